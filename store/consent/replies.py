"""SMS consent: recording replies, the consent-message status, and review of possible revocations.

A number that said STOP must never be texted again by mistake. So:

- An opt-out reply opts the contact out and sets consent ``declined``; from an unknown number it
  puts the number in the suppression table, so adding it later creates the contact opted out.
- Only the contact's own START, UNSTOP, OPTIN (OPT IN) or SUBSCRIBE lifts an opt-out; it also sets
  consent ``confirmed`` and removes the number from the suppression table. YES confirms consent
  on a contact who is not opted out, but does not undo an opt-out.
- A reply that merely contains an opt-out word is queued on the contact's ``review`` list for a
  person to decide; ``resolve_review`` either opts the contact out (source ``manual``) or
  dismisses it. Items stay on the list, marked resolved, as the record of who decided what.
- Consent status: ``not_sent`` -> ``sent`` (``mark_consent_sent``) -> ``confirmed``/``declined``
  by replies. Every change of ``opted_out`` or ``consent`` appends a history entry.

Replies that change nothing (HELP, other text, a repeated STOP) leave no trace in the file.

Length (over 300 lines): one set of rules (replies, the consent status, review), a function per
step; split, the order in which the rules apply would be spread over files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from store.errors import NotFound, StoreError, ValidationError
from store.model import CONSENT_LABELS, SUPPRESSION, Contact
from store.consent.reply_keywords import ReplyKind, classify_reply, normalize_reply
from store.consent.history import OPT_IN_KEYWORDS_TEXT, history_entry, set_opt_out
from store.consent.suppression import suppress
from store.rules.validation import clean_phone

if TYPE_CHECKING:
    from store.core.store import Store
    from store.core.transaction import Transaction

__all__ = [
    "ConsentRefused",
    "MAX_REPLY_LENGTH",
    "PendingReview",
    "ReplyKind",
    "ReplyResult",
    "classify_reply",
    "mark_consent_sent",
    "normalize_reply",
    "pending_reviews",
    "record_reply",
    "resolve_review",
]

MAX_REPLY_LENGTH = 2000  # a concatenated SMS tops out around 1,600 characters
LIFT_KEYWORDS_TEXT = OPT_IN_KEYWORDS_TEXT


class ConsentRefused(StoreError):
    """A consent change the rules forbid (not a bad field): e.g. marking sent after a reply."""


@dataclass(frozen=True)
class ReplyResult:
    """What recording one reply did. ``message`` is a sentence for people (may hold a name)."""

    kind: ReplyKind
    contact_id: int | None
    phone: str
    message: str
    opted_out_changed: bool = False
    consent_changed: bool = False
    suppression_changed: bool = False
    flagged_for_review: bool = False

    @property
    def changed(self) -> bool:
        return self.opted_out_changed or self.consent_changed or self.suppression_changed or self.flagged_for_review

    @property
    def help_due(self) -> bool:
        return self.kind is ReplyKind.HELP


@dataclass(frozen=True)
class PendingReview:
    contact_id: int
    name: str
    phone: str
    at: str
    text: str
    by: str


# -- small doc helpers (doc is always a fresh copy of the stored contact) ---------------------------


def _add_history(doc: dict[str, Any], entry: dict[str, Any]) -> None:
    doc["history"] = list(doc.get("history", ())) + [entry]


def _set_consent(doc: dict[str, Any], tx: "Transaction", new: str, source: str, detail: str) -> bool:
    old = doc.get("consent", "not_sent")
    if old == new:
        return False
    doc["consent"] = new
    doc["consent_changed_at"] = tx.now
    _add_history(doc, history_entry(tx, "consent", old, new, source, detail))
    return True


def _opt_out(doc: dict[str, Any], tx: "Transaction", source: str, detail: str) -> bool:
    was_out = bool(doc.get("opted_out"))
    set_opt_out(doc, tx, source, detail)
    return not was_out


def _opt_in(doc: dict[str, Any], tx: "Transaction", detail: str) -> bool:
    if not doc.get("opted_out"):
        return False
    doc["opted_out"] = False
    _add_history(doc, history_entry(tx, "opted_out", True, False, "reply", detail))
    return True


def _unsuppress(tx: "Transaction", phone: str) -> bool:
    rows = [int(rid) for rid, row in tx.table(SUPPRESSION).items() if row.get("phone") == phone]
    for rid in rows:
        tx.remove(SUPPRESSION, rid)
    # The store's set of suppressed numbers is rebuilt when the commit saves a changed table:
    # touching it here would show other threads the change before it is saved.
    return bool(rows)


def _resolve_pending(doc: dict[str, Any], tx: "Transaction", resolution: str) -> int:
    """Mark every unresolved review item resolved. Returns how many there were."""
    count = 0
    items = []
    for item in doc.get("review", ()):
        if not item.get("resolved_at"):
            item = dict(item, resolved_at=tx.now, resolved_by=tx.user, resolution=resolution)
            count += 1
        items.append(item)
    if count:
        doc["review"] = items
    return count


def _clean_reply(text: object) -> str:
    if not isinstance(text, str):
        raise ValidationError.single("reply", "Reply must be text")
    text = text.strip()
    if len(text) > MAX_REPLY_LENGTH:
        raise ValidationError.single("reply", f"Reply is longer than {MAX_REPLY_LENGTH} characters")
    return text


def _label(status: str) -> str:
    return CONSENT_LABELS.get(status, status)


# -- replies ---------------------------------------------------------------------------------------


def record_reply(store: "Store", phone_or_contact_id: int | str, text: str, *, via: str | None = None) -> ReplyResult:
    """Apply the consent rules to a reply from a phone number (any format) or a contact id.

    ``via``: the way the reply came in when not typed by a person ("Twilio webhook", "API token
    zapier"); every history entry and review item it makes says so.

    Raises ValidationError for an invalid phone or reply, NotFound for an unknown contact id.
    """
    text = _clean_reply(text)
    phone = None
    if not isinstance(phone_or_contact_id, int) or isinstance(phone_or_contact_id, bool):
        phone = clean_phone(phone_or_contact_id, store.default_region)
    with store.transaction() as tx:
        # Read inside the lock: the keywords in force as the file stands now (store.consent.keyword_settings).
        kind, hit = store.reply_keywords().match(text)
        keyword = hit.word if hit else None
        if phone is None:
            contact_id: int | None = int(phone_or_contact_id)
            phone = tx.contact_doc(contact_id)["phone"]
        else:
            contact_id = tx.id_for_phone(phone)
        if contact_id is None:
            return _reply_from_unknown(tx, phone, kind, keyword, text, via)
        return _reply_from_contact(tx, contact_id, kind, keyword, text, via)


def _reply_from_unknown(
    tx: "Transaction", phone: str, kind: ReplyKind, keyword: str | None, text: str, via: str | None = None
) -> ReplyResult:
    said = f"{phone} (no contact) replied {text!r}"
    if kind is ReplyKind.OPT_OUT:
        if tx.store.is_suppressed(phone):
            return ReplyResult(kind, None, phone, f"No change: {said}; the number is already suppressed.")
        suppress(tx, phone, f"replied {text!r} with no contact" + (f" (via {via})" if via else ""))
        return ReplyResult(
            kind, None, phone,
            f"Opted out: {said}; the number is now suppressed (adding it creates the contact opted out).",
            suppression_changed=True,
        )
    if kind is ReplyKind.OPT_IN and tx.store.reply_keywords().lifts(text):
        if _unsuppress(tx, phone):
            return ReplyResult(kind, None, phone, f"Opted in: {said}; the number is no longer suppressed.", suppression_changed=True)
        return ReplyResult(kind, None, phone, f"No change: {said}; the number was not suppressed.")
    if kind is ReplyKind.HELP:
        return ReplyResult(kind, None, phone, f"Help reply due: {said}. Nothing was changed.")
    hint = " It may be a revocation: if so, record STOP for this number." if kind is ReplyKind.POSSIBLE_REVOCATION else ""
    return ReplyResult(kind, None, phone, f"No change: {said}; nothing is recorded for unknown numbers.{hint}")


def _reply_from_contact(
    tx: "Transaction", contact_id: int, kind: ReplyKind, keyword: str | None, text: str, via: str | None = None
) -> ReplyResult:
    old = tx.contact_doc(contact_id)
    doc = dict(old)
    phone = doc["phone"]
    said = f"{doc['name']} ({phone}) replied {text!r}"
    out_changed = consent_changed = suppressed_changed = flagged = False

    if kind is ReplyKind.OPT_OUT:
        out_changed = _opt_out(doc, tx, "reply", text)
        consent_changed = _set_consent(doc, tx, "declined", "reply", text)
        _resolve_pending(doc, tx, "opted_out by reply")
        if out_changed or consent_changed:
            message = f"Opted out: {said}; consent is now Declined."
        else:
            message = f"No change: {said}; already opted out (consent Declined)."
    elif kind is ReplyKind.OPT_IN and tx.store.reply_keywords().lifts(text):
        out_changed = _opt_in(doc, tx, text)
        suppressed_changed = _unsuppress(tx, phone)
        consent_changed = _set_consent(doc, tx, "confirmed", "reply", text)
        if out_changed:
            message = f"Opted in: {said}; no longer opted out, consent Confirmed."
        elif consent_changed or suppressed_changed:  # they were never opted out: only consent moved
            message = f"Consent confirmed: {said}; consent is now Confirmed."
        else:
            message = f"No change: {said}; already opted in (consent Confirmed)."
    elif kind is ReplyKind.OPT_IN:  # YES: confirms consent, never lifts an opt-out
        if doc.get("opted_out"):
            message = f"No change: {said}; they are opted out and only {LIFT_KEYWORDS_TEXT} opts them back in."
        else:
            consent_changed = _set_consent(doc, tx, "confirmed", "reply", text)
            message = f"Consent confirmed: {said}; consent is now Confirmed." if consent_changed else (
                f"No change: {said}; consent was already Confirmed."
            )
    elif kind is ReplyKind.HELP:
        message = f"Help reply due: {said}. Nothing was changed."
    elif kind is ReplyKind.POSSIBLE_REVOCATION and not doc.get("opted_out"):
        item = {"at": tx.now, "text": text, "by": tx.user}
        doc["review"] = list(doc.get("review", ())) + [dict(item, via=via) if via else item]
        flagged = True
        message = (
            f"Flagged for review: {said}; it may revoke consent, so a person must decide "
            "(opt them out or dismiss)."
        )
    elif kind is ReplyKind.POSSIBLE_REVOCATION:
        message = f"No change: {said}; they are already opted out, so there is nothing to review."
    else:
        message = f"No change: {said}; not a consent keyword."

    if doc != old:
        if via:
            kept = len(old.get("history", ()))
            doc["history"] = list(doc["history"][:kept]) + [dict(entry, via=via) for entry in doc["history"][kept:]]
        doc["updated_at"] = tx.now
        tx.put_contact(contact_id, doc)
    return ReplyResult(kind, contact_id, phone, message, out_changed, consent_changed, suppressed_changed, flagged)


# -- consent message -------------------------------------------------------------------------------


def mark_sent_refusal(name: str, consent: str, opted_out: bool) -> str | None:
    """Why marking the consent message sent is refused for this contact, or None if it is not.

    The one rule behind ``mark_consent_sent`` and the greyed-out key and menu item in the app.
    """
    if consent in ("confirmed", "declined"):
        return (
            f"{name} already replied (consent {_label(consent)}); marking the consent message "
            "sent would undo their reply"
        )
    if opted_out:
        return f"{name} is opted out: no consent message may be sent to them"
    return None


def mark_consent_sent(store: "Store", contact_id: int) -> Contact:
    """Record that the consent message was sent: ``not_sent`` -> ``sent``. Already sent: no change.

    Raises ConsentRefused for a confirmed or declined contact (it would undo their reply) and for
    an opted-out contact (they must not be texted at all).
    """
    with store.transaction() as tx:
        old = tx.contact_doc(contact_id)
        status = old.get("consent", "not_sent")
        refusal = mark_sent_refusal(old["name"], status, bool(old.get("opted_out")))
        if refusal:
            raise ConsentRefused(refusal)
        if status == "sent":
            return store.get(contact_id)
        doc = dict(old)
        _set_consent(doc, tx, "sent", "manual", f"consent message marked sent by {tx.user}")
        doc["updated_at"] = tx.now
        tx.put_contact(contact_id, doc)
    return store.get(contact_id)


# -- review of possible revocations -----------------------------------------------------------------


def pending_reviews(store: "Store") -> list[PendingReview]:
    """Unresolved review items of every contact, oldest first."""
    found = []
    for cid in store.ordered_ids():
        contact = store.get(cid)
        for item in contact.review:
            if not item.get("resolved_at"):
                found.append(PendingReview(cid, contact.name, contact.phone, item.get("at", ""), item.get("text", ""), item.get("by", "")))
    return sorted(found, key=lambda r: (r.at, r.name.casefold(), r.contact_id))


def resolve_review(store: "Store", contact_id: int, opt_out: bool) -> Contact:
    """Decide every pending review item of a contact.

    ``opt_out=True``: a person judged the reply a revocation: the contact is opted out by hand
    (source ``manual``) and consent becomes ``declined``. ``False``: dismissed, nothing else changes.
    Either way the items stay on the list with resolved_at, resolved_by and resolution.
    """
    with store.transaction() as tx:
        old = tx.contact_doc(contact_id)
        pending = [item for item in old.get("review", ()) if not item.get("resolved_at")]
        if not pending:
            raise NotFound(f"{old['name']} ({old['phone']}) has no reply waiting for review")
        doc = dict(old)
        if opt_out:
            texts = ", ".join(repr(item.get("text", "")) for item in pending)
            detail = f"reply {texts} judged a revocation by {tx.user}"
            _opt_out(doc, tx, "manual", detail)
            _set_consent(doc, tx, "declined", "manual", detail)
        _resolve_pending(doc, tx, "opted_out" if opt_out else "dismissed")
        doc["updated_at"] = tx.now
        tx.put_contact(contact_id, doc)
    return store.get(contact_id)
