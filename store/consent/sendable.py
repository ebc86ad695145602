"""Who may be texted now: one rule, and the contact sets that the list filters and counts use.

``may_be_texted(doc, suppressed)`` is THE rule: a contact may be texted when it is not opted out,
its number is not on the suppression list and its consent is not Declined. Export, ``contacts
list --sendable``, the app's Textable filter and its "M textable" count all use it.

``StatusIndex`` holds the ids of the contacts that may NOT be texted, that opted out, and that
have replies waiting for review (all three usually a minority). The store builds it once, then
patches it with the contacts each change touched, so the count under the list never rescans
100,000 contacts after a save, let alone on a keystroke.
"""

from __future__ import annotations

from operator import itemgetter
from typing import TYPE_CHECKING, AbstractSet, Any, Iterable, Mapping, Sequence

from store.model import CONSENT_STATUSES, Contact

if TYPE_CHECKING:
    from store.core.store import Store

TEXTABLE = "textable"
OPTED_OUT = "opted_out"
NEEDS_REVIEW = "needs_review"
STATUS_LABELS = {TEXTABLE: "Textable", OPTED_OUT: "Opted out", NEEDS_REVIEW: "Needs review"}


def may_be_texted(doc: Mapping[str, Any], suppressed: AbstractSet[str]) -> bool:
    """May this contact (a stored document, or any mapping with phone/opted_out/consent) be
    texted now? Not when opted out, suppressed or Declined."""
    return not doc.get("opted_out") and doc.get("consent") != "declined" and doc.get("phone") not in suppressed


def needs_review(doc: Mapping[str, Any]) -> bool:
    """Has this contact a reply that may revoke consent, waiting for a person to decide?"""
    return any(not item.get("resolved_at") for item in doc.get("review", ()))


class StatusIndex:
    """Ids by status. Immutable: ``with_changes`` returns a new one. ``id_limit`` is above every
    contact id (for the flags by id that ``count_untextable`` builds on first use)."""

    __slots__ = ("untextable", "opted_out", "review", "id_limit", "_flags")

    def __init__(self, untextable: frozenset[int], opted_out: frozenset[int], review: frozenset[int], id_limit: int):
        self.untextable = untextable
        self.opted_out = opted_out
        self.review = review
        self.id_limit = id_limit
        self._flags: bytes | None = None

    @classmethod
    def build(cls, contacts: Mapping[str, Mapping[str, Any]], suppressed: AbstractSet[str]) -> "StatusIndex":
        untextable, opted_out, review = set(), set(), set()
        for key, doc in contacts.items():
            if doc.get("opted_out") or doc.get("consent") == "declined" or doc.get("phone") in suppressed:
                untextable.add(int(key))
                if doc.get("opted_out"):
                    opted_out.add(int(key))
            if doc.get("review") and needs_review(doc):
                review.add(int(key))
        id_limit = max(map(int, contacts), default=0) + 1
        return cls(frozenset(untextable), frozenset(opted_out), frozenset(review), id_limit)

    def with_changes(
        self, contacts: Mapping[str, Mapping[str, Any]], changed: Iterable[int], suppressed: AbstractSet[str]
    ) -> "StatusIndex":
        """After the contacts ``changed`` were added, edited or removed (suppression unchanged)."""
        changed = list(changed)
        if not changed:
            return self
        untextable, opted_out, review = set(self.untextable), set(self.opted_out), set(self.review)
        for cid in changed:
            doc = contacts.get(str(cid))
            for ids, inside in (
                (untextable, doc is not None and not may_be_texted(doc, suppressed)),
                (opted_out, doc is not None and bool(doc.get("opted_out"))),
                (review, doc is not None and needs_review(doc)),
            ):
                if inside:
                    ids.add(cid)
                else:
                    ids.discard(cid)
        id_limit = max(self.id_limit, max(changed) + 1)
        return StatusIndex(frozenset(untextable), frozenset(opted_out), frozenset(review), id_limit)

    def count_untextable(self, ids: Sequence[int]) -> int:
        """How many of ``ids`` (contact ids) may not be texted. A lookup per id in a bytes table
        by id: about 4x faster than set lookups for 400,000 ids in name order (no hashing, and
        the table of 500,000 contacts fits in the CPU cache)."""
        if not ids or not self.untextable:
            return 0
        flags = self._flags
        if flags is None:
            table = bytearray(self.id_limit)
            for cid in self.untextable:
                table[cid] = 1
            flags = self._flags = bytes(table)
        try:
            if len(ids) == 1:
                return flags[ids[0]]
            return itemgetter(*ids)(flags).count(1)
        except (IndexError, TypeError):  # not ids of this index's contacts
            return sum(map(self.untextable.__contains__, ids))

    def members(self, status: str, all_ids: Iterable[int]) -> frozenset[int]:
        """The ids with ``status``; Textable needs every id (``all_ids``) to take the others from."""
        if status == OPTED_OUT:
            return self.opted_out
        if status == NEEDS_REVIEW:
            return self.review
        if status == TEXTABLE:
            return frozenset(all_ids).difference(self.untextable)
        raise ValueError(f"Unknown status {status!r} (known: {', '.join(STATUS_LABELS)})")


def select_contacts(
    store: "Store", list_key: int | str | None = None, *, sendable: bool = False, consent: str | None = None
) -> list[Contact]:
    """Contacts by name: all, or only members of a list, only those that may be texted now
    (``sendable``), only those with one consent status (``confirmed``...), as asked."""
    return [store.get(cid) for cid in select_ids(store, list_key, sendable=sendable, consent=consent)]


def select_ids(
    store: "Store", list_key: int | str | None = None, *, sendable: bool = False, consent: str | None = None
) -> list[int]:
    """The ids ``select_contacts`` gives, in the same order, without building every contact
    (a page of the API's list needs only its own)."""
    if consent is not None and consent not in CONSENT_STATUSES:
        raise ValueError(f"Unknown consent {consent!r} (known: {', '.join(CONSENT_STATUSES)})")
    list_id = store.get_list(list_key).id if list_key is not None else None
    ids = store.search("", list_id, status=TEXTABLE if sendable else None)
    return ids if consent is None else [cid for cid in ids if store.get(cid).consent == consent]


def sendable_contacts(store: "Store", list_key: int | str | None = None, consent: str | None = None) -> list[Contact]:
    """The contacts that may be texted now, by name (see ``select_contacts``)."""
    return select_contacts(store, list_key, sendable=True, consent=consent)
