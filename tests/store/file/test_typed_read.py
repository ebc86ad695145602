"""The fast read (store.file.typed_read + the typed proof in store.file.schema) decides as the slow one.

The fast path parses the file with msgspec against the contacts' types and leaves store.file.schema
only the forms of values; the slow path parses with orjson and checks field by field. For every
file, the two must give the same data and phone index, or refuse it with the same message.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import msgspec
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.errors import CorruptDataFile
from store.model import CONTACTS
from store.file.schema import check_document
from store.file.storage import parse_document
from store.file.typed_read import decode_typed

from .bad_files import CASES, valid_document

PATH = Path("/data/contacts.json")


def slow(raw: bytes) -> tuple[Any, ...]:
    """The reference: orjson and the field-by-field check."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return ("not json",)
    try:
        return ("ok", data, check_document(data, PATH, types_proven=False))
    except CorruptDataFile as exc:
        return ("refused", str(exc))


def fast(raw: bytes) -> tuple[Any, ...]:
    """What the store does: the typed decode when it can, then the check it allows."""
    try:
        data, proven = parse_document(raw, PATH)
    except CorruptDataFile:
        return ("not json",)
    try:
        return ("ok", data, check_document(data, PATH, types_proven=proven))
    except CorruptDataFile as exc:
        return ("refused", str(exc))


def test_a_file_as_the_store_writes_it_is_decoded_typed_and_unchanged():
    doc = valid_document("admin")
    raw = orjson.dumps(doc)
    data, proven = parse_document(raw, PATH)
    assert proven
    assert data == doc and list(data[CONTACTS]["1"]) == list(doc[CONTACTS]["1"])  # same fields, same order
    assert fast(raw) == slow(raw)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_bad_file_is_refused_with_the_same_message(case):
    doc = valid_document("admin")
    case.change(doc)
    raw = json.dumps(doc).encode()
    expected = slow(raw)
    assert expected[0] == "refused"
    assert fast(raw) == expected


def test_replies_that_came_through_a_webhook_are_decoded_typed():
    """History entries and review items may say how a reply came in (``via``): still the fast path."""
    doc = valid_document("admin")
    doc[CONTACTS]["2"]["history"][0]["via"] = "Twilio webhook"
    doc[CONTACTS]["3"]["review"][0]["via"] = "API token zapier"
    raw = orjson.dumps(doc)
    data, proven = parse_document(raw, PATH)
    assert proven and data == doc
    assert fast(raw) == slow(raw)


def test_every_optional_history_and_review_field_is_known_to_the_fast_path():
    """A field the schema accepts but the typed decode does not know sends every file that has
    it down the slow path: the two lists of fields must stay the same."""
    from store.file.schema.tables import CONTACT, HISTORY_ENTRY, REVIEW_ITEM
    from store.file.typed_read import _Contact, _HistoryEntry, _ReviewItem

    contact_fields = {f.encode_name for f in msgspec.structs.fields(_Contact)}
    assert contact_fields == {field for field, _, _ in CONTACT} | {"lists", "history", "review"}
    assert {field for field, _, _ in HISTORY_ENTRY} == {f.encode_name for f in msgspec.structs.fields(_HistoryEntry)}
    assert {field for field, _, _ in REVIEW_ITEM} == {f.encode_name for f in msgspec.structs.fields(_ReviewItem)}


def test_unknown_fields_are_kept_not_dropped():
    doc = valid_document("admin")
    doc[CONTACTS]["1"]["nickname"] = "Annie"
    doc[CONTACTS]["2"]["history"][0]["channel"] = "sms"
    raw = orjson.dumps(doc)
    assert decode_typed(raw) is None  # the typed decode would drop them: it steps aside
    result = fast(raw)
    assert result[0] == "ok" and result[1][CONTACTS]["1"]["nickname"] == "Annie"
    assert result[1][CONTACTS]["2"]["history"][0]["channel"] == "sms"


def test_left_out_optional_fields_stay_left_out():
    doc = valid_document("admin")
    for field in ("email", "opted_out", "consent", "consent_changed_at", "lists", "history", "review",
                  "created_at", "updated_at"):
        del doc[CONTACTS]["1"][field]
    del doc[CONTACTS]["3"]["review"][0]["by"]
    raw = orjson.dumps(doc)
    data, proven = parse_document(raw, PATH)
    assert proven and data == doc


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", " ", "Ann", "+14155550132", "+14155550133", "2026-03-01T12:00:00Z",
                       "2026-13-01T12:00:00Z", "not_sent", "declined", "x\u0000y", "a\nb", "é"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["at", "field", "from", "to", "text", "by", "source", "detail", "resolved_at", "zz"]),
        inner, max_size=8),
    max_leaves=8,
)
contact_fields = st.sampled_from([
    "name", "phone", "email", "opted_out", "consent", "consent_changed_at", "lists", "history", "review",
    "created_at", "updated_at", "extra",
])


@st.composite
def changed_documents(draw):
    doc = valid_document("admin")
    for _ in range(draw(st.integers(1, 4))):
        record = draw(st.sampled_from(["1", "2", "3", "4x", "0"]))
        contacts = doc[CONTACTS]
        if record not in contacts:
            contacts[record] = copy.deepcopy(contacts["1"])
        what = draw(st.sampled_from(["set", "drop", "entry", "item", "record"]))
        target = contacts[record]
        if what == "set" and isinstance(target, dict):
            target[draw(contact_fields)] = draw(json_values)
        elif what == "drop" and isinstance(target, dict):
            target.pop(draw(contact_fields), None)
        elif what == "entry" and isinstance(target, dict):
            target["history"] = [dict(valid_document("admin")[CONTACTS]["2"]["history"][0],
                                      **draw(st.dictionaries(st.sampled_from(["at", "from", "to", "by", "zz"]), json_values, max_size=2)))]
        elif what == "item" and isinstance(target, dict):
            target["review"] = [dict(valid_document("admin")[CONTACTS]["3"]["review"][1],
                                     **draw(st.dictionaries(st.sampled_from(["at", "text", "resolved_at", "zz"]), json_values, max_size=2)))]
        else:
            contacts[record] = draw(json_values)
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changed_documents())
def test_the_fast_read_decides_as_the_slow_one(doc):
    try:
        raw = json.dumps(doc, ensure_ascii=False).encode()
    except ValueError:
        return
    assert fast(raw) == slow(raw)
