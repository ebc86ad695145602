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

import json
import re
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from phonenumbers import SUPPORTED_REGIONS

from store.consent import keyword_settings
from store.access import permissions
from store.access.api_tokens import API_TOKENS
from store.errors import CorruptDataFile, ValidationError
from store.model import (
    CONSENT_STATUSES, CONTACTS, IMPORTS, LISTS, META, POLICIES, SCHEMA_VERSION, SETTINGS, SUPPRESSION, USERS,
)
from store.consent.reply_keywords import fold_accents, normalize_reply
from store.rules.text import printable

MAX_ID = 2**53 - 1  # the largest integer every JSON reader keeps exactly
_MISSING: Any = object()
_SHOWN_MAX = 60

_ID = re.compile(r"[1-9][0-9]{0,15}")
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_STAMP = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z")
# The same forms for many values at once, joined by newlines (see _all_match).
_IDS = re.compile(r"(?:[1-9][0-9]{0,15}\n)*+")
_E164S = re.compile(r"(?:\+[1-9][0-9]{1,14}\n)*+")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CONSENTS = frozenset(CONSENT_STATUSES)

FOUND_NOTHING = "nothing (the field is missing)"
EXAMPLE_STAMP = "2026-01-31T09:00:00Z"


class Problem(Exception):
    """Where a record breaks the schema and how. ``field`` is None when the record itself is wrong."""

    def __init__(self, table: str, record: str, field: str | None, expected: str, found: str):
        super().__init__(expected)
        self.table, self.record, self.field, self.expected, self.found = table, record, field, expected, found

    def message(self, path: Path) -> str:
        record = self.record if _ID.fullmatch(self.record) else json.dumps(self.record)
        where = f'table "{self.table}", record {printable(record)}'
        if self.field is not None:
            where += f', field "{printable(self.field)}"'
        return (
            f"{path}: {where}: expected {self.expected}, found {self.found}. "
            "The file was left as it is: correct it, or restore it from a backup."
        )


def shown(value: Any) -> str:
    """A value found in the file, short and safe to print."""
    if value is _MISSING:
        return FOUND_NOTHING
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > _SHOWN_MAX:
        text = text[: _SHOWN_MAX - 3] + "..."
    return printable(text)


def check_document(data: Mapping[str, Any], path: Path, *, types_proven: bool = False) -> dict[str, int]:
    """Check every table's records; raise CorruptDataFile for the first problem.

    Returns the contacts' phone -> id index, which the check builds on its way (duplicates are
    found with it), so the store does not build it again. ``types_proven``: the contacts were
    decoded by store.file.typed_read, so only the forms of their values are left to check.
    """
    try:
        return _check(data, types_proven)
    except Problem as problem:
        raise CorruptDataFile(problem.message(path)) from None


def _check(data: Mapping[str, Any], types_proven: bool = False) -> dict[str, int]:
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
    id_by_phone = _contacts_typed(contacts, list_ids) if types_proven else _contacts_fast(contacts, list_ids)
    if id_by_phone is None:
        id_by_phone = _contacts_slow(contacts, list_ids)
    max_ids[CONTACTS] = max(id_by_phone.values(), default=0)
    max_ids[SUPPRESSION] = _check_table(SUPPRESSION, data.get(SUPPRESSION) or {})
    max_ids[IMPORTS] = _check_imports(data.get(IMPORTS) or {})
    max_ids[API_TOKENS] = _check_table(API_TOKENS, data.get(API_TOKENS) or {})
    _check_table(META, data.get(META) or {})
    _check_counters(data.get(META) or {}, data, max_ids)
    return id_by_phone


# -- values ----------------------------------------------------------------------------------------

# A check takes a value and returns what was expected when the value is wrong, or None.
Check = Callable[[Any], "str | None"]


def _text(value: Any) -> str | None:
    return None if type(value) is str else "text"


def _non_blank(value: Any) -> str | None:
    return None if type(value) is str and value.strip() else "text that is not blank"


def _text_or_null(value: Any) -> str | None:
    return None if value is None or type(value) is str else "text or null"


def _bool(value: Any) -> str | None:
    return None if type(value) is bool else "true or false"


def _scalar(value: Any) -> str | None:
    return None if value is None or type(value) in (bool, str) else "true, false, text or null"


def _stamp(value: Any) -> str | None:
    ok = type(value) is str and _STAMP.fullmatch(value)
    return None if ok else f'a UTC time such as "{EXAMPLE_STAMP}"'


def _stamp_or_null(value: Any) -> str | None:
    return None if value is None else _stamp(value) and f'a UTC time such as "{EXAMPLE_STAMP}", or null'


def _phone(value: Any) -> str | None:
    ok = type(value) is str and _E164.fullmatch(value)
    return None if ok else 'a phone number as stored (E.164), such as "+14155550132"'


def _one_of(values: Iterable[str]) -> Check:
    allowed = tuple(values)
    expected = "one of " + ", ".join(f'"{v}"' for v in allowed)
    return lambda value: None if type(value) is str and value in allowed else expected


def _action(value: Any) -> str | None:
    # Read at each check: actions added to store.access.permissions are accepted without a change here.
    return _one_of(permissions.ACTIONS)(value)


def _subject(value: Any) -> str | None:
    kind, _, name = value.partition(":") if type(value) is str else ("", "", "")
    if (kind == "role" and name in permissions.ROLES) or (kind == "user" and name):
        return None
    return f'"role:" and one of {", ".join(permissions.ROLES)}, or "user:" and a login'


def _region(value: Any) -> str | None:
    ok = type(value) is str and value in SUPPORTED_REGIONS
    return None if ok else 'a region code phonenumbers knows, such as "US"'


def _counter(value: Any) -> str | None:
    return None if type(value) is int and 1 <= value <= MAX_ID else "a whole number from 1 to 2^53 - 1"


def _version(value: Any) -> str | None:
    ok = type(value) is int and 1 <= value <= SCHEMA_VERSION
    return None if ok else f"a whole number from 1 to {SCHEMA_VERSION}"


def _count(value: Any) -> str | None:
    return None if type(value) is int and 0 <= value <= MAX_ID else "a whole number from 0 to 2^53 - 1"


def _sha256(value: Any) -> str | None:
    return None if type(value) is str and _SHA256.fullmatch(value) else "a SHA-256 digest (64 hex digits)"


def _next_ids(value: Any) -> str | None:
    return None if type(value) is dict else "an object of counters by table name"


# (field, check, required)
Spec = tuple[tuple[str, Check, bool], ...]

HISTORY_ENTRY: Spec = (
    ("at", _stamp, True), ("field", _text, True), ("from", _scalar, True), ("to", _scalar, True),
    ("source", _text, False), ("by", _text, False), ("detail", _text, False), ("via", _text, False),
)
REVIEW_ITEM: Spec = (
    ("at", _stamp, True), ("text", _text, True), ("by", _text, False), ("via", _text, False),
    ("resolved_at", _stamp_or_null, False), ("resolved_by", _text_or_null, False), ("resolution", _text_or_null, False),
)
CONTACT: Spec = (
    ("name", _non_blank, True), ("phone", _phone, True), ("email", _text_or_null, False),
    ("opted_out", _bool, False), ("consent", _one_of(CONSENT_STATUSES), False),
    ("consent_changed_at", _stamp_or_null, False), ("created_at", _stamp, False), ("updated_at", _stamp, False),
)
TABLES: dict[str, Spec] = {
    SETTINGS: (("default_region", _region, False),),
    USERS: (("login", _non_blank, True), ("role", _one_of(permissions.ROLES), True)),
    POLICIES: (("subject", _subject, True), ("action", _action, True), ("allow", _bool, True)),
    LISTS: (("name", _non_blank, True), ("created_at", _stamp, False)),
    SUPPRESSION: (("phone", _phone, True), ("since", _stamp, True), ("reason", _text, False)),
    META: (("schema_version", _version, False), ("next_ids", _next_ids, False)),
    API_TOKENS: (
        ("name", _non_blank, True), ("hash", _sha256, True), ("created_by", _non_blank, True),
        ("created_at", _stamp, True), ("revoked_at", _stamp_or_null, False), ("revoked_by", _text_or_null, False),
    ),
}

KEYWORD_CHANGE: Spec = (
    ("at", _stamp, True), ("by", _text, True), ("change", _one_of(("added", "removed", "turned on", "turned off")), True),
    ("kind", _one_of((*keyword_settings.KINDS, "language")), True), ("word", _text, True),
)

IMPORT: Spec = (("at", _stamp, True), ("by", _text, True), ("source", _text, True), ("list", _text_or_null, False))
IMPORT_BEFORE: Spec = (("name", _non_blank, False), ("email", _text_or_null, False), ("updated_at", _stamp, False))
IMPORT_UNDONE: Spec = (
    ("at", _stamp, True), ("by", _text, True), ("removed", _count, False), ("restored", _count, False),
    ("kept", _count, False),
)


# -- records ---------------------------------------------------------------------------------------


def _record_id(table: str, key: str) -> int:
    if _ID.fullmatch(key) and int(key) <= MAX_ID:
        return int(key)
    raise Problem(table, key, None, "a record id (a whole number from 1 to 2^53 - 1)", shown(key))


def _check_fields(table: str, key: str, doc: Any, spec: Spec, prefix: str = "") -> None:
    if type(doc) is not dict:
        if prefix:
            raise Problem(table, key, prefix.rstrip("."), "an object", shown(doc))
        raise Problem(table, key, None, "an object", shown(doc))
    for field, check, required in spec:
        value = doc.get(field, _MISSING)
        if value is _MISSING:
            if required:
                raise Problem(table, key, prefix + field, check(None) or "a value", FOUND_NOTHING)
            continue
        expected = check(value)
        if expected is not None:
            raise Problem(table, key, prefix + field, expected, shown(value))


def _check_table(table: str, records: Mapping[str, Any]) -> int:
    """Check every record of a (small) table; return its highest id."""
    highest = 0
    spec = TABLES[table]
    for key, doc in records.items():
        highest = max(highest, _record_id(table, key))
        _check_fields(table, key, doc, spec)
    return highest


def _check_unique(table: str, records: Mapping[str, Any], value: Callable[[Any], Any], field: str, expected: str) -> None:
    seen: dict[Any, str] = {}
    for key, doc in records.items():
        first = seen.setdefault(value(doc), key)
        if first != key:
            raise Problem(table, key, field, expected, f"{shown(doc[field])}, which record {first} has too")


def _check_counters(metas: Mapping[str, Any], data: Mapping[str, Any], max_ids: Mapping[str, int]) -> None:
    for key, meta in metas.items():
        for table, counter in (meta.get("next_ids") or {}).items():
            field = f"next_ids.{table}"
            expected = _counter(counter)
            if expected is not None:
                raise Problem(META, key, field, expected, shown(counter))
            if table in data and counter <= max_ids.get(table, 0):
                raise Problem(
                    META, key, field,
                    f'a whole number above every id in table "{table}" (the highest is {max_ids[table]})',
                    shown(counter),
                )


# -- reply keywords (store.consent.keyword_settings) --------------------------------------------------------


def _check_keyword_settings(key: str, doc: Mapping[str, Any]) -> None:
    """Words are lists of valid keywords, one kind per word; languages are known codes; history
    entries say who changed what when. The words' own rules are those of store.consent.keyword_settings."""
    stored = doc.get("keywords", _MISSING)
    if stored is not _MISSING:
        if type(stored) is not dict:
            raise Problem(SETTINGS, key, "keywords", "an object of keyword lists by kind", shown(stored))
        seen: dict[str, str] = {}
        for kind in (*keyword_settings.KINDS, "languages"):
            values = stored.get(kind, [])
            field = f"keywords.{kind}"
            if type(values) is not list:
                raise Problem(SETTINGS, key, field, "a list", shown(values))
            for index, value in enumerate(values):
                where = f"{field}[{index}]"
                if kind == "languages":
                    expected = _one_of(keyword_settings.LANGUAGES)(value)
                    if expected is None and value in values[:index]:
                        expected = "a language not listed before"
                    if expected is not None:
                        raise Problem(SETTINGS, key, where, expected, shown(value))
                    continue
                try:
                    if keyword_settings.clean_keyword(value) != value:
                        raise ValidationError.single("keyword", "not in the stored form")
                except ValidationError:
                    raise Problem(
                        SETTINGS, key, where,
                        f"a keyword as stored: upper-case letters and digits, words separated by one space, "
                        f"at most {keyword_settings.MAX_KEYWORD_LENGTH} characters", shown(value),
                    ) from None
                form = fold_accents(normalize_reply(value))
                if form in seen:
                    raise Problem(SETTINGS, key, where, "a word no other keyword list has", f"{shown(value)}, which {seen[form]} has too")
                seen[form] = f"keywords.{kind}"
        problem = keyword_settings.clash(keyword_settings.stored_keywords({SETTINGS: {"1": doc}}))
        if problem:
            where = _clash_place(stored)
            raise Problem(SETTINGS, key, where, "keywords of one kind each", printable(problem))
    history = doc.get("keyword_history", [])
    if type(history) is not list:
        raise Problem(SETTINGS, key, "keyword_history", "a list of changes", shown(history))
    for index, entry in enumerate(history):
        _check_fields(SETTINGS, key, entry, KEYWORD_CHANGE, f"keyword_history[{index}].")


def _clash_place(stored: Mapping[str, Any]) -> str:
    """The first added word whose kind clashes with the standard or a language word."""
    for kind in keyword_settings.KINDS:
        for index, value in enumerate(stored.get(kind, [])):
            alone = {k: ([value] if k == kind else []) for k in keyword_settings.KINDS}
            alone["languages"] = list(stored.get("languages", []))
            if keyword_settings.clash(alone):
                return f"keywords.{kind}[{index}]"
    return "keywords"


# -- the import log (store.transfer.import_log) ----------------------------------------------------------


def _is_id(value: Any) -> bool:
    return type(value) is int and 1 <= value <= MAX_ID


def _check_id_list(key: str, doc: dict[str, Any], field: str, what: str) -> None:
    values = doc.get(field, [])
    if type(values) is not list:
        raise Problem(IMPORTS, key, field, f"a list of {what} ids", shown(values))
    for index, value in enumerate(values):
        if not _is_id(value):
            raise Problem(IMPORTS, key, f"{field}[{index}]", f"a {what} id", shown(value))


def _check_imports(records: Mapping[str, Any]) -> int:
    """Check every import record; return the highest record id."""
    highest = 0
    for key, doc in records.items():
        highest = max(highest, _record_id(IMPORTS, key))
        _check_fields(IMPORTS, key, doc, IMPORT)
        runs = doc.get("created", [])
        if type(runs) is not list:
            raise Problem(IMPORTS, key, "created", "a list of runs [first, last] of contact ids", shown(runs))
        for index, run in enumerate(runs):
            if not (type(run) is list and len(run) == 2 and all(map(_is_id, run)) and run[0] <= run[1]):
                raise Problem(IMPORTS, key, f"created[{index}]", "a run [first, last] of contact ids", shown(run))
        updated = doc.get("updated", {})
        if type(updated) is not dict:
            raise Problem(IMPORTS, key, "updated", "an object of values before by contact id", shown(updated))
        for contact, before in updated.items():
            where = f"updated.{contact}"
            if not (_ID.fullmatch(contact) and int(contact) <= MAX_ID):
                raise Problem(IMPORTS, key, where, "a contact id", shown(contact))
            _check_fields(IMPORTS, key, before, IMPORT_BEFORE, f"{where}.")
            lists = before.get("lists", [])
            if type(lists) is not list:
                raise Problem(IMPORTS, key, f"{where}.lists", "a list of list ids", shown(lists))
            for index, list_id in enumerate(lists):
                if not _is_id(list_id):
                    raise Problem(IMPORTS, key, f"{where}.lists[{index}]", "a list id", shown(list_id))
        _check_id_list(key, doc, "touched", "contact")
        _check_id_list(key, doc, "lists_created", "list")
        undone = doc.get("undone")
        if undone is not None:
            if type(undone) is not dict:
                raise Problem(IMPORTS, key, "undone", "null, or an object with at and by", shown(undone))
            _check_fields(IMPORTS, key, undone, IMPORT_UNDONE, "undone.")
    return highest


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


_ALL_CONTACT_FIELDS = itemgetter(
    "phone", "name", "lists", "history", "review", "consent_changed_at", "created_at", "updated_at"
)


def _columns(docs: Iterable[Mapping[str, Any]]) -> tuple[tuple[Any, ...], ...]:
    """The contacts' phones, names, lists, histories, reviews and three times, as columns.

    One pass over the records when each has every field (as the store writes them): at a million
    contacts every pass costs about 0.1 s of memory traffic, so one beats eight. Records that
    leave optional fields out (older or hand-made files) are read field by field.
    """
    try:
        columns = tuple(zip(*map(_ALL_CONTACT_FIELDS, docs)))
    except KeyError:
        columns = tuple(tuple(map(dict.get, docs, repeat(field))) for field in
                        ("phone", "name", "lists", "history", "review", "consent_changed_at", "created_at", "updated_at"))
    return columns or ((),) * 8


def _contacts_typed(contacts: Mapping[str, Any], list_ids: set[int]) -> dict[str, int] | None:
    """The phone index when a table whose types store.file.typed_read proved is right, else None.

    Every value already has its type (names are non-empty text, opted_out true or false, list
    ids whole numbers, history entries and review items complete...). Left: the forms of ids,
    phones and times, blank names, list ids that exist, no phone or list given twice. Each is
    a C-level pass over one column of values, so the check costs a few percent of the parse.
    """
    keys = list(contacts)
    phones, names, lists, histories, reviews, changed, created, updated = _columns(contacts.values())
    if not _all_match(_IDS, keys) or not _all_match(_E164S, phones):
        return None
    id_by_phone = dict(zip(phones, map(int, keys)))
    if len(id_by_phone) != len(keys) or (id_by_phone and max(id_by_phone.values()) > MAX_ID):
        return None
    if any(map(str.isspace, names)):
        return None
    member_lists = list(filter(None, lists))
    members = list(chain.from_iterable(member_lists))
    if not set(members) <= list_ids or sum(map(len, map(set, member_lists))) != len(members):
        return None
    entries = list(chain.from_iterable(filter(None, histories)))
    items = list(chain.from_iterable(filter(None, reviews)))
    stamps = set(changed).union(created, updated, map(itemgetter("at"), entries), map(itemgetter("at"), items),
                                map(dict.get, items, repeat("resolved_at")))
    stamps.discard(None)  # a time left out or null where it may be (consent_changed_at, resolved_at)
    if not all(map(_STAMP.fullmatch, stamps)):
        return None
    return id_by_phone
