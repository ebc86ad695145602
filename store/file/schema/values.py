"""The schema's vocabulary: how a problem is reported, the form of every kind of value, and the
check of one record's fields against a spec (a tuple of field, check, required). Names with a
leading underscore are the schema package's own: store.file.schema's modules share them, nothing else."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Iterable

from phonenumbers import SUPPORTED_REGIONS

from store.access import permissions
from store.model import SCHEMA_VERSION
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
