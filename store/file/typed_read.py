"""Reading the data file in one C pass that also proves the contacts table's types.

The contacts table is nearly all of the file (a million contacts is 300 MB). Checking each field
of each contact in Python (store.file.schema) costs as much again as parsing the file, so the file is
decoded with msgspec against the contact's types: every field's type (text, true/false, one of
the consent values, whole numbers for list ids, history entries and review items of the right
shape) is proven while parsing, at the speed of parsing without types (faster than orjson at
100,000 contacts; bench/bench_store.py prints both). What is left for store.file.schema is the forms
of a few values (E.164, UTC times, ids), done with C-level passes over joined values.

This is only a fast path. The decoder refuses what it was not made for: a field it does not know
(the store keeps unknown fields as they are), a wrong type, a missing required field. Then the
file is parsed again by orjson and checked field by field, which names the first problem or
accepts the file (e.g. one with unknown fields). The result of either path is the same data:
``tests/store/file/test_typed_read.py`` checks that over generated documents. Optional fields that a
record leaves out stay left out (``UNSET``), so nothing is added to what the file holds.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

import msgspec
import orjson
from msgspec import UNSET, Meta, Struct, UnsetType, field

from store.model import CONTACTS

Scalar = Union[str, bool, None]


class _HistoryEntry(Struct, forbid_unknown_fields=True, gc=False):
    at: str
    field: str
    from_: Scalar = field(name="from")
    to: Scalar
    source: Union[str, UnsetType] = UNSET
    by: Union[str, UnsetType] = UNSET
    detail: Union[str, UnsetType] = UNSET
    via: Union[str, UnsetType] = UNSET


class _ReviewItem(Struct, forbid_unknown_fields=True, gc=False):
    at: str
    text: str
    by: Union[str, UnsetType] = UNSET
    via: Union[str, UnsetType] = UNSET
    resolved_at: Union[str, None, UnsetType] = UNSET
    resolved_by: Union[str, None, UnsetType] = UNSET
    resolution: Union[str, None, UnsetType] = UNSET


# The field order is the one the store writes, so a file the store wrote reads back unchanged.
class _Contact(Struct, forbid_unknown_fields=True, gc=False):
    name: Annotated[str, Meta(min_length=1)]
    phone: str
    email: Union[str, None, UnsetType] = UNSET
    opted_out: Union[bool, UnsetType] = UNSET
    consent: Union[Literal["not_sent", "sent", "confirmed", "declined"], UnsetType] = UNSET
    consent_changed_at: Union[str, None, UnsetType] = UNSET
    lists: Union[list[int], UnsetType] = UNSET
    history: Union[list[_HistoryEntry], UnsetType] = UNSET
    review: Union[list[_ReviewItem], UnsetType] = UNSET
    created_at: Union[str, UnsetType] = UNSET
    updated_at: Union[str, UnsetType] = UNSET


_TABLES = msgspec.json.Decoder(dict[str, msgspec.Raw])
_CONTACTS = msgspec.json.Decoder(dict[str, _Contact])


def decode_typed(raw: bytes) -> dict[str, Any] | None:
    """The document with its contacts' types proven, or None when the fast path cannot say.

    None is not a verdict: the caller parses the file the slow way, which accepts it or names
    the problem. Call with the garbage collector paused (the result is a big acyclic tree).
    """
    try:
        tables = _TABLES.decode(raw)
        data: dict[str, Any] = {}
        for name, table in tables.items():
            if name == CONTACTS:
                data[name] = msgspec.to_builtins(_CONTACTS.decode(table))
            else:
                data[name] = orjson.loads(memoryview(table))  # as the slow path reads it (big numbers too)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError, RecursionError):
        return None
    return data

