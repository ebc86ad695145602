"""Saves based on what the user started from (optimistic concurrency), so no one's edit is lost.

A form (the app's editor, a web page) loads a contact, the user changes some fields, and meanwhile
another process may change the same contact. The save sends the fields the user changed plus the
*base*: the values the form loaded (``base_of(contact)``). Inside the write transaction the store
compares, field by field, what is stored now with that base:

- stored == base: nobody else changed the field; the user's value is written;
- stored == the user's value: both agree; nothing to write;
- otherwise someone else changed it to something else: ``Conflict`` (nothing is written), holding
  base, theirs and yours for each such field, so the caller can ask the user which to keep and
  save again with ``resolve``.

Fields the user did not send are never written, so other people's changes to them stay. Lists are
merged one list at a time: the lists the user ticked are added, the ones they unticked removed,
the others left as they are now. A contact deleted meanwhile raises ``ContactDeleted``; a delete
based on values that changed meanwhile raises ``ChangedMeanwhile`` (naming the changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from store.errors import NotFound, StoreError
from store.model import Contact
from store.rules.text import printable

# The fields a delete compares (a save compares the ones it sends).
COMPARED = ("name", "phone", "email", "opted_out", "consent", "lists")
LABELS = {
    "name": "Full Name",
    "phone": "Phone",
    "email": "Email",
    "opted_out": "Opted out",
    "consent": "Consent",
    "lists": "Lists",
}

Base = Mapping[str, Any]


def base_of(contact: Contact) -> dict[str, Any]:
    """The base to save against: the contact's values as the form loaded them."""
    return {
        "name": contact.name,
        "phone": contact.phone,
        "email": contact.email,
        "opted_out": contact.opted_out,
        "consent": contact.consent,
        "lists": sorted(contact.lists),
    }


def state_of(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The compared values of a stored contact document (the same shape as ``base_of``)."""
    return {
        "name": doc.get("name"),
        "phone": doc.get("phone"),
        "email": doc.get("email"),
        "opted_out": bool(doc.get("opted_out", False)),
        "consent": doc.get("consent", "not_sent"),
        "lists": sorted(doc.get("lists", ())),
    }


def shown(value: Any) -> str:
    """A value for a message: printable, quoted; "(none)" for no email."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return repr(printable(str(value)))


@dataclass(frozen=True)
class FieldConflict:
    field: str
    base: Any  # what the user started from
    theirs: Any  # what is stored now (someone else's change)
    yours: Any  # what the user wants (cleaned)

    @property
    def label(self) -> str:
        return LABELS.get(self.field, self.field)


class Conflict(StoreError):
    """Someone else changed a field the user changed too, to another value. Nothing was written."""

    def __init__(self, contact_id: int, name: str, fields: Iterable[FieldConflict]):
        self.contact_id = contact_id
        self.name = name
        self.fields = tuple(fields)
        parts = "; ".join(
            f"{c.label}: you started from {shown(c.base)}, it is now {shown(c.theirs)}, you want {shown(c.yours)}"
            for c in self.fields
        )
        super().__init__(
            f"Someone else changed {printable(name)} since you loaded it ({parts}). Nothing was saved; "
            "load the contact again and choose."
        )

    def theirs(self) -> dict[str, Any]:
        return {c.field: c.theirs for c in self.fields}


class ContactDeleted(NotFound):
    """The contact being saved was deleted by someone else since it was loaded. Nothing was written."""

    def __init__(self, contact_id: int, base: Base | None, doing: str = "saved"):
        self.contact_id = contact_id
        self.base = dict(base or {})
        who = printable(str(self.base.get("name") or f"Contact {contact_id}"))
        phone = self.base.get("phone")
        super().__init__(
            f"{who}{f' ({phone})' if phone else ''} was deleted by someone else since you loaded it; "
            f"nothing was {doing}."
        )


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    now: Any

    @property
    def label(self) -> str:
        return LABELS.get(self.field, self.field)


class ChangedMeanwhile(StoreError):
    """A delete based on values that someone else has changed since. Nothing was deleted."""

    def __init__(self, contact_id: int, name: str, changes: Iterable[FieldChange]):
        self.contact_id = contact_id
        self.name = name
        self.changes = tuple(changes)
        parts = "; ".join(f"{c.label}: {shown(c.before)} → {shown(c.now)}" for c in self.changes)
        super().__init__(
            f"Someone else changed {printable(name)} since you loaded it ({parts}); nothing was deleted."
        )


def changes_since(base: Base, doc: Mapping[str, Any]) -> list[FieldChange]:
    """What differs between ``base`` and a stored document, in the order of COMPARED."""
    now = state_of(doc)
    return [
        FieldChange(field, base[field], now[field])
        for field in COMPARED
        if field in base and _norm(field, base[field]) != _norm(field, now[field])
    ]


def _norm(field: str, value: Any) -> Any:
    if field == "lists":
        return frozenset(value or ())
    if field == "email":
        return value or None
    return value


def check_fields(contact_id: int, stored: Mapping[str, Any], cleaned: dict[str, Any], base: Base) -> dict[str, Any]:
    """The cleaned fields left to write, after comparing each with the base (see the module doc).

    Raises ``Conflict`` naming every field someone else changed to a value other than the user's.
    """
    to_write: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for field, yours in cleaned.items():
        theirs = stored.get(field)
        if field not in base or _norm(field, theirs) == _norm(field, base[field]):
            to_write[field] = yours
        elif _norm(field, theirs) != _norm(field, yours):
            conflicts.append(FieldConflict(field, base[field], theirs, yours))
    if conflicts:
        raise Conflict(contact_id, str(stored.get("name", "")), conflicts)
    return to_write


def merge_lists(stored: Iterable[int], yours: Iterable[int], base: Iterable[int]) -> list[int]:
    """Stored memberships plus the lists the user ticked, minus the ones they unticked."""
    yours_set, base_set = set(yours), set(base)
    added = yours_set - base_set
    removed = base_set - yours_set
    kept = [lid for lid in stored if lid not in removed]
    return kept + sorted(lid for lid in added if lid not in kept)


def resolve(
    changes: Mapping[str, Any], base: Base, conflict: Conflict, keep_yours: Iterable[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The save to try again once the user chose: for each conflicting field, theirs or yours.

    Theirs: the field is not sent. Yours: it is sent, against the value it conflicted with as its
    new base (so a third change made while the user was choosing conflicts again).
    """
    keep = set(keep_yours)
    new_changes = dict(changes)
    new_base = dict(base)
    for c in conflict.fields:
        new_base[c.field] = c.theirs
        if c.field not in keep:
            new_changes.pop(c.field, None)
    return new_changes, new_base
