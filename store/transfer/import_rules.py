"""The rules of a CSV import, one row or one contact at a time (no I/O, no transaction).

- Every row is cleaned with the editor's rules (``store.rules.validation``).
- A phone that appears twice in a file is merged: the later row wins, but an opt-out or a
  declined consent in either row is kept, and list names add up.
- A phone already stored updates that contact: the name always, the email only when the cell is
  not empty, and it joins the lists named (never leaves one).
- Opt-outs and consent only move the safe way:
  * "Opted Out" = yes opts a contact out (history source ``import``); "no" never opts anyone in.
  * A number on the suppression list is created already opted out (source ``suppression``).
  * For an existing contact the Consent column is ignored unless it says ``declined`` (an explicit
    refusal recorded elsewhere). It never raises consent, nor lowers it from an old export.
  * A new contact takes the file's consent, except that ``confirmed`` is stored as ``sent``: only
    the contact's own reply confirms. ``keep_confirmed`` (restoring this app's own export) keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from store.errors import ValidationError
from store.model import CONSENT_LABELS, new_contact_doc
from store.rules.validation import clean_email, clean_list_name, clean_name, clean_phone

_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0", ""})
_CONSENT_WORDS = {key.replace("_", " "): key for key in CONSENT_LABELS} | {
    label.casefold(): key for key, label in CONSENT_LABELS.items()
}


@dataclass(frozen=True)
class Problem:
    line: int  # the row's number: a line of CSV, a row of a sheet, a card of a vCard file
    field: str  # the column's title ("column B (Phone)" in a sheet)
    message: str
    where: str | None = None  # "sheet Contacts, row 4", "card 2 (line 9)"; None: "line <line>"

    def __str__(self) -> str:
        return f"{self.where or f'line {self.line}'}, {self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One contact as the file describes it (after merging duplicate phones)."""

    first_line: int
    line: int
    name: str
    phone: str  # E.164
    email: str | None  # None: the cell was empty, keep the stored email
    opted_out: bool
    consent: str | None  # None: not given
    lists: tuple[str, ...]  # list names as written, split on ';'


@dataclass(frozen=True)
class Context:
    now: str
    user: str
    source: str
    keep_confirmed: bool
    suppressed: set[str]
    unit: str = "line"  # what the file's row numbers count: line, row, card


def entry_from_row(line: int, values: dict[str, str], region: str) -> Entry:
    """Clean one row (column key -> text); raise one ValidationError naming every bad field."""
    errors: dict[str, str] = {}

    def check(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except ValidationError as exc:
            errors.update(exc.errors)
            return None

    name = check(clean_name, values.get("name", ""))
    phone = check(clean_phone, values.get("phone", ""), region)
    email = check(clean_email, values.get("email", ""))
    opted_out = check(_yes_no, values.get("opted_out", ""))
    consent = check(_consent, values.get("consent", ""))
    lists = check(_list_names, values.get("lists", ""))
    if errors:
        raise ValidationError(errors)
    return Entry(line, line, name, phone, email, bool(opted_out), consent, lists)


def entry_reader(columns: tuple[str, ...], region: str) -> Callable[[int, list[str]], Entry]:
    """``entry_from_row`` for rows whose fields are laid out as ``columns``, made for 100,000
    rows: no dict and no closures per row. A row with any bad field is handed to
    ``entry_from_row`` itself, so the errors (every bad field, same messages) are exactly its."""
    at = {key: i for i, key in enumerate(columns)}
    name_at, phone_at = at["name"], at["phone"]
    email_at, opted_at, consent_at, lists_at = (at.get(k) for k in ("email", "opted_out", "consent", "lists"))
    optional = email_at is not None or opted_at is not None or consent_at is not None or lists_at is not None

    def read(line: int, fields: list[str]) -> Entry:
        try:
            name = clean_name(fields[name_at])
            phone = clean_phone(fields[phone_at], region)
            if not optional:
                return Entry(line, line, name, phone, None, False, None, ())
            return Entry(
                line,
                line,
                name,
                phone,
                clean_email(fields[email_at]) if email_at is not None else None,
                _yes_no(fields[opted_at]) if opted_at is not None else False,
                _consent(fields[consent_at]) if consent_at is not None else None,
                _list_names(fields[lists_at]) if lists_at is not None else (),
            )
        except ValidationError:
            return entry_from_row(line, dict(zip(columns, fields)), region)  # raises, naming every field

    return read


def _yes_no(text: str) -> bool:
    word = text.strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValidationError.single("opted_out", f"Opted Out must be yes or no, not '{text.strip()[:40]}'")


def _consent(text: str) -> str | None:
    word = " ".join(text.strip().casefold().replace("_", " ").replace("-", " ").split())
    if not word:
        return None
    if word in _CONSENT_WORDS:
        return _CONSENT_WORDS[word]
    raise ValidationError.single(
        "consent", f"Consent must be one of {', '.join(CONSENT_LABELS)}, not '{text.strip()[:40]}'"
    )


def _list_names(text: str) -> tuple[str, ...]:
    pieces = tuple(p for p in text.split(";") if p.strip())
    for piece in pieces:
        try:
            clean_list_name(piece)
        except ValidationError as exc:  # named by its column, like every other field of the row
            raise ValidationError.single("lists", exc.errors["list"]) from None
    return pieces


def merge_duplicate(earlier: Entry, later: Entry) -> Entry:
    """Two rows with the same phone: the later row wins, keeping any opt-out or refusal."""
    if "declined" in (earlier.consent, later.consent):
        consent: str | None = "declined"
    else:
        consent = later.consent if later.consent is not None else earlier.consent
    return Entry(
        first_line=earlier.first_line,
        line=later.line,
        name=later.name,
        phone=later.phone,
        email=later.email if later.email is not None else earlier.email,
        opted_out=earlier.opted_out or later.opted_out,
        consent=consent,
        lists=earlier.lists + tuple(n for n in later.lists if n not in earlier.lists),
    )


def split_list_names(pieces: tuple[str, ...], known: dict[str, Any]) -> list[str]:
    """List names from a Lists cell split on ';'. Adjacent pieces that together name an existing
    list (whose name contains ';') are joined again; ``known`` is keyed by casefolded name."""
    names: list[str] = []
    i = 0
    while i < len(pieces):
        for j in range(len(pieces), i + 1, -1):
            joined = ";".join(pieces[i:j]).strip()
            if joined.casefold() in known:
                names.append(joined)
                i = j
                break
        else:
            names.append(pieces[i].strip())
            i += 1
    return names


def _history(ctx: Context, field: str, old: Any, new: Any, source: str, detail: str) -> dict[str, Any]:
    return {"at": ctx.now, "field": field, "from": old, "to": new, "source": source, "by": ctx.user, "detail": detail}


def contact_doc(old: dict[str, Any] | None, entry: Entry, list_ids: list[int], ctx: Context) -> dict[str, Any]:
    """The contact document after importing ``entry``: a new dict, or ``old`` itself when the
    import changes nothing."""
    if old is None:
        doc = new_contact_doc(entry.name, entry.phone, entry.email, list(dict.fromkeys(list_ids)), ctx.now)
        consent = entry.consent
        if consent and consent != "not_sent":
            detail = f"Consent in {_where(ctx, entry)}"
            if consent == "confirmed" and not ctx.keep_confirmed:
                consent, detail = "sent", f"{_where(ctx, entry)} says confirmed; an import records it as sent"
            _set_consent(doc, consent, ctx, detail)
        if entry.phone in ctx.suppressed:
            _opt_out(doc, ctx, "suppression", "number is on the opt-out list from before")
        elif entry.opted_out:
            _opt_out(doc, ctx, "import", f"Opted Out = yes in {_where(ctx, entry)}")
        return doc
    doc = dict(old)
    doc["name"] = entry.name
    if entry.email is not None:
        doc["email"] = entry.email
    stored = list(old.get("lists", ()))
    added = [lid for lid in dict.fromkeys(list_ids) if lid not in stored]
    if added:
        doc["lists"] = stored + added
    if entry.opted_out and not old.get("opted_out"):
        _opt_out(doc, ctx, "import", f"Opted Out = yes in {_where(ctx, entry)}")
    if entry.consent == "declined" and old.get("consent") != "declined":
        _set_consent(doc, "declined", ctx, f"Consent in {_where(ctx, entry)}")
    if doc == old:
        return old
    doc["updated_at"] = ctx.now
    return doc


def _where(ctx: Context, entry: Entry) -> str:
    return f"{ctx.source}, {ctx.unit} {entry.line}"


def _opt_out(doc: dict[str, Any], ctx: Context, source: str, detail: str) -> None:
    doc["opted_out"] = True
    doc["history"] = list(doc.get("history", ())) + [_history(ctx, "opted_out", False, True, source, detail)]


def _set_consent(doc: dict[str, Any], consent: str, ctx: Context, detail: str) -> None:
    old = doc.get("consent", "not_sent")
    doc["consent"] = consent
    doc["consent_changed_at"] = ctx.now
    doc["history"] = list(doc.get("history", ())) + [_history(ctx, "consent", old, consent, "import", detail)]


def shown(line: int, doc: dict[str, Any], list_names: dict[int, str]) -> dict[str, Any]:
    """A contact as it will be stored, for previews."""
    return {
        "line": line,
        "name": doc["name"],
        "phone": doc["phone"],
        "email": doc.get("email"),
        "opted_out": bool(doc.get("opted_out")),
        "consent": doc.get("consent", "not_sent"),
        "lists": [list_names.get(lid, "?") for lid in doc.get("lists", ())],
    }
