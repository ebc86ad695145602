"""The data file's schema, checked on every read before the store uses any of it.

A hand-edited or foreign file can be valid JSON and still hold a string where a row belongs, a
number where a region belongs or ``"no"`` where ``false`` belongs. Left in, such a value crashes a
command much later, or worse, means something else (``"no"`` is true in Python). So every record
of every table is checked when the file is read (at open and when another process wrote it), and
the first problem refuses the whole file with a message naming the table, the record and the
field, e.g. ``table "contacts", record 17, field "opted_out": expected true or false, found "no"``.

What is checked: the type of every known field, and the form the store writes it in (E.164
phones, UTC timestamps to the second, consent and role values, actions from ``store.access.permissions``),
record ids and id counters (whole numbers below 2**53, counters above every id of their table),
list ids that name existing lists, and uniqueness where the store enforces it (a phone per contact,
a list name, a login, a rule per subject and action). Required fields: a contact's name and phone,
a list's name, a user's login and role, a rule's subject, action and allow, a suppressed number's
phone and time, an import record's time, user and source (``imports``: runs of contact ids,
values before by contact id, an ``undone`` object or null); every other field may be missing (older and hand-made files) but, when present,
must be right. Unknown tables and fields are kept as they are and not judged. Free text (names,
emails, reasons, history details) is only checked to be text: the screens escape what it holds.

Speed: at 100,000 contacts the check must cost a small part of the open. The contacts table (the
big one) first goes through ``_contacts_fast``, one tight loop that only proves the table good,
with the per-value work done by C-level set, join and regex operations; the field-by-field
``_check_record`` runs only when that proof fails, to find and name the first problem (or to
accept a file the fast loop does not know how to read, such as one with missing optional fields).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from store.access.api_tokens import API_TOKENS
from store.errors import CorruptDataFile
from store.file.schema.contacts import _contacts_fast, _contacts_slow
from store.file.schema.tables import (
    _check_counters, _check_imports, _check_keyword_settings, _check_table, _check_unique,
)
from store.file.schema.values import Problem
from store.model import CONTACTS, IMPORTS, LISTS, META, POLICIES, SETTINGS, SUPPRESSION, USERS

def check_document(data: Mapping[str, Any], path: Path) -> dict[str, int]:
    """Check every table's records; raise CorruptDataFile for the first problem.

    Returns the contacts' phone -> id index, which the check builds on its way (duplicates are
    found with it), so the store does not build it again.
    """
    try:
        return _check(data)
    except Problem as problem:
        raise CorruptDataFile(problem.message(path)) from None


def check_small_tables(data: Mapping[str, Any], path: Path) -> None:
    """Check the settings, users, rules and lists as a read would (a few records each): the
    store runs this before writing a change to them, so that it never writes a file it would
    then refuse to read. Raises CorruptDataFile naming the problem."""
    try:
        for table in (SETTINGS, USERS, POLICIES, LISTS):
            _check_table(table, data.get(table) or {})
        for key, doc in (data.get(SETTINGS) or {}).items():
            _check_keyword_settings(key, doc)
    except Problem as problem:
        raise CorruptDataFile(problem.message(path)) from None


def _check(data: Mapping[str, Any]) -> dict[str, int]:
    for table in (META, SETTINGS):  # the store reads and writes record 1 of these alone
        records = data.get(table) or {}
        if isinstance(records, Mapping) and len(records) > 1:
            extra = sorted(records, key=lambda key: (len(key), key))[1]
            raise Problem(table, extra, None, "one record in this table", "a second record")
    max_ids: dict[str, int] = {}
    for table in (SETTINGS, USERS, POLICIES, LISTS):
        max_ids[table] = _check_table(table, data.get(table) or {})
    for key, doc in (data.get(SETTINGS) or {}).items():
        _check_keyword_settings(key, doc)
    _check_unique(USERS, data.get(USERS) or {}, lambda doc: doc["login"], "login", "a login no other user has")
    _check_unique(
        POLICIES, data.get(POLICIES) or {}, lambda doc: (doc["subject"], doc["action"]), "action",
        "one rule per subject and action",
    )
    lists = data.get(LISTS) or {}
    _check_unique(LISTS, lists, lambda doc: doc["name"].casefold(), "name", "a name no other list has (in any case)")
    list_ids = {int(key) for key in lists}
    contacts = data.get(CONTACTS) or {}
    id_by_phone = _contacts_fast(contacts, list_ids)
    if id_by_phone is None:
        id_by_phone = _contacts_slow(contacts, list_ids)
    max_ids[CONTACTS] = max(id_by_phone.values(), default=0)
    max_ids[SUPPRESSION] = _check_table(SUPPRESSION, data.get(SUPPRESSION) or {})
    max_ids[IMPORTS] = _check_imports(data.get(IMPORTS) or {})
    max_ids[API_TOKENS] = _check_table(API_TOKENS, data.get(API_TOKENS) or {})
    _check_table(META, data.get(META) or {})
    _check_counters(data.get(META) or {}, data, max_ids)
    return id_by_phone
