"""What each table's records hold (the specs), and the checks of the small tables: settings and
their reply keywords, users, policies, lists, suppression, API tokens, the import log, id counters."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from store.access.api_tokens import API_TOKENS
from store.consent import keyword_settings
from store.access import permissions
from store.consent.reply_keywords import fold_accents, normalize_reply
from store.errors import ValidationError
from store.model import CONSENT_STATUSES, IMPORTS, LISTS, META, POLICIES, SETTINGS, SUPPRESSION, USERS
from store.rules.text import printable
from store.file.schema.values import (
    _ID, _MISSING, MAX_ID, Problem, Spec, _action, _bool, _count, _counter, _next_ids, _non_blank,
    _one_of, _phone, _record_id, _check_fields, _region, _scalar, _sha256, _stamp, _stamp_or_null, _subject, _text,
    _text_or_null, _version, shown,
)


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


# -- tables ---------------------------------------------------------------------------------------


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
