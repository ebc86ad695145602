"""The check of the contacts table, the big one: a fast proof that the whole table is right (one
tight loop), and the field-by-field
check that runs only when the proof fails, to find and name the first problem."""

from __future__ import annotations

import re
from itertools import chain
from operator import itemgetter
from typing import Any, Mapping

from store.model import CONTACTS, CONSENT_STATUSES
from store.file.schema.tables import CONTACT, HISTORY_ENTRY, REVIEW_ITEM
from store.file.schema.values import _E164S, _IDS, _STAMP, MAX_ID, Problem, Spec, _check_fields, _record_id, shown

_CONSENTS = frozenset(CONSENT_STATUSES)

# -- contacts --------------------------------------------------------------------------------------


def _check_contact(key: str, doc: Any, list_ids: set[int]) -> None:
    _check_fields(CONTACTS, key, doc, CONTACT)
    lists = doc.get("lists", [])
    if type(lists) is not list:
        raise Problem(CONTACTS, key, "lists", "a list of list ids", shown(lists))
    for index, list_id in enumerate(lists):
        if type(list_id) is not int or list_id not in list_ids:
            raise Problem(CONTACTS, key, f"lists[{index}]", 'the id of a list in table "lists"', shown(list_id))
        if list_id in lists[:index]:
            raise Problem(CONTACTS, key, f"lists[{index}]", "a list id the contact does not have yet", shown(list_id))
    for field, spec in (("history", HISTORY_ENTRY), ("review", REVIEW_ITEM)):
        items = doc.get(field, [])
        if type(items) is not list:
            raise Problem(CONTACTS, key, field, "a list of objects", shown(items))
        for index, item in enumerate(items):
            _check_fields(CONTACTS, key, item, spec, f"{field}[{index}].")


def _contacts_slow(contacts: Mapping[str, Any], list_ids: set[int]) -> dict[str, int]:
    """Field by field, in the file's order: finds and names the first problem."""
    id_by_phone: dict[str, int] = {}
    for key, doc in contacts.items():
        contact_id = _record_id(CONTACTS, key)
        _check_contact(key, doc, list_ids)
        phone = doc["phone"]
        first = id_by_phone.setdefault(phone, contact_id)
        if first != contact_id:
            raise Problem(
                CONTACTS, key, "phone", "a phone number no other contact has", f"{shown(phone)}, which record {first} has too"
            )
    return id_by_phone


_CONTACT_FIELDS = itemgetter(
    "name", "phone", "email", "opted_out", "consent", "consent_changed_at", "lists", "history", "review",
    "created_at", "updated_at",
)


def _all_match(run: re.Pattern[str], values: list[str] | set[str]) -> bool:
    """Do all ``values`` (all str) match one form? ``run`` matches ``(?:FORM\\n)*``; the newline
    count guards against a value that holds newlines itself."""
    joined = "\n".join(values)
    joined += "\n" if values else ""
    return joined.count("\n") == len(values) and run.fullmatch(joined) is not None


_HISTORY_FIELDS = itemgetter("at", "field", "from", "to", "source", "by", "detail")
_SCALARS = (str, bool, type(None))


def _entries_fast(entries: list[tuple[Spec, list[Any]]], stamps: list[Any]) -> bool:
    """Are all history entries and review items right? History entries as the store writes them
    (every field) are read in one go, their times added to ``stamps``; anything else is checked
    field by field."""
    stamp = stamps.append
    try:
        for spec, items in entries:
            for item in items:
                if spec is HISTORY_ENTRY and type(item) is dict and len(item) == 7:
                    try:
                        at, field, old, new, source, by, detail = _HISTORY_FIELDS(item)
                    except KeyError:
                        pass
                    else:
                        if (
                            type(field) is str and type(source) is str and type(by) is str
                            and type(detail) is str and type(old) in _SCALARS and type(new) in _SCALARS
                        ):
                            stamp(at)
                            continue
                _check_fields(CONTACTS, "", item, spec)
    except Problem:
        return False
    return True


def _contacts_fast(contacts: Mapping[str, Any], list_ids: set[int]) -> dict[str, int] | None:
    """The phone index when the whole table is provably right, else None (then the slow check runs).

    Only proves, never names: it needs every field present, and reads each document once.
    """
    by_phone: dict[str, str] = {}
    stamps: list[Any] = []
    member_lists: list[list[Any]] = []
    entries: list[tuple[Spec, Any]] = []
    consents, stamp, with_lists, with_entries = _CONSENTS, stamps.append, member_lists.append, entries.append
    try:
        for key, doc in contacts.items():
            name, phone, email, opted_out, consent, changed_at, lists, history, review, created, updated = (
                _CONTACT_FIELDS(doc)
            )
            if (
                type(name) is not str
                or type(phone) is not str
                or (opted_out is not True and opted_out is not False)
                or consent not in consents
                or type(lists) is not list
                or type(history) is not list
                or type(review) is not list
                or (email is not None and type(email) is not str)
                or not name
                or name.isspace()
            ):
                return None
            by_phone[phone] = key
            stamp(created)
            stamp(updated)
            if changed_at is not None:
                stamp(changed_at)
            if lists:
                with_lists(lists)
            if history:
                with_entries((HISTORY_ENTRY, history))
            if review:
                with_entries((REVIEW_ITEM, review))
    except (KeyError, TypeError):  # a missing field, a record that is no object, an unhashable value
        return None
    if len(by_phone) != len(contacts):
        return None
    if not _all_match(_IDS, list(by_phone.values())) or not _all_match(_E164S, list(by_phone)):
        return None
    members = list(chain.from_iterable(member_lists))
    if not set(map(type, members)) <= {int} or not set(members) <= list_ids:
        return None
    if sum(map(len, map(set, member_lists))) != len(members):
        return None
    if not _entries_fast(entries, stamps):
        return None
    # Times repeat (one per change, shared by every contact a change touched): judge each once.
    try:
        distinct = set(stamps)
    except TypeError:
        return None
    if not all(type(value) is str and _STAMP.fullmatch(value) for value in distinct):
        return None
    id_by_phone = dict(zip(by_phone, map(int, by_phone.values())))
    if id_by_phone and max(id_by_phone.values()) > MAX_ID:
        return None
    return id_by_phone
