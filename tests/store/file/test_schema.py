"""Every table's records are checked against the schema when the file is read (issue 12, item 6).

A file that is valid JSON but holds a wrong type or value anywhere is refused at open, and on
every later read of another process's write, with one message naming the table, the record and
the field; the file is left byte for byte as it was and nothing is written over it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from store import CorruptDataFile, Store
from store.model import CONTACTS, LISTS, META, POLICIES, SUPPRESSION

from .bad_files import ANN, AT, CASES, Case, valid_document


def write(path: Path, doc: dict) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    content = json.dumps(doc).encode()  # json, not orjson: it also writes integers past 64 bits
    path.write_bytes(content)
    return content


def test_the_valid_document_opens(db_path):
    write(db_path, valid_document())
    store = Store.open(db_path, user="alice")
    assert store.count() == 3 and [lst.name for lst in store.lists()] == ["Newsletter", "VIP"]


def test_there_are_at_least_25_bad_files():
    assert len(CASES) >= 25
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_a_file_with_a_wrong_type_or_value_is_refused_naming_table_record_and_field(db_path, case: Case):
    content = write(db_path, case.document())
    before = os.stat(db_path)
    with pytest.raises(CorruptDataFile) as err:
        Store.open(db_path, user="alice")
    message = str(err.value)
    assert message.startswith(f"{db_path}: {case.where}: expected ")
    assert "found " in message and "left as it is" in message
    assert "\n" not in message
    assert db_path.read_bytes() == content
    assert os.stat(db_path).st_mtime_ns == before.st_mtime_ns


def test_the_message_shows_what_was_found():
    doc = valid_document()
    doc[CONTACTS]["2"]["opted_out"] = "no"
    with pytest.raises(CorruptDataFile) as err:
        _open_document(doc)
    assert str(err.value).endswith(
        ': table "contacts", record 2, field "opted_out": expected true or false, found "no". '
        "The file was left as it is: correct it, or restore it from a backup."
    )


def test_a_duplicate_phone_names_the_record_that_has_it_first():
    doc = valid_document()
    doc[CONTACTS]["3"]["phone"] = ANN
    with pytest.raises(CorruptDataFile, match=r'found "\+14155550132", which record 1 has too'):
        _open_document(doc)


def test_escape_codes_in_what_was_found_are_shown_escaped():
    doc = valid_document()
    doc[CONTACTS]["1"]["consent"] = "\x1b]2;owned\x07"
    with pytest.raises(CorruptDataFile) as err:
        _open_document(doc)
    assert "\x1b" not in str(err.value) and "\x07" not in str(err.value)
    assert 'found "\\u001b]2;owned\\u0007"' in str(err.value)  # as JSON writes it in the file


def test_a_long_value_found_is_shortened():
    doc = valid_document()
    doc[CONTACTS]["1"]["email"] = ["x" * 10_000]
    with pytest.raises(CorruptDataFile) as err:
        _open_document(doc)
    assert len(str(err.value)) < 300


def _open_document(doc: dict) -> Store:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.json"
        write(path, doc)
        return Store.open(path, user="alice")


# -- what stays allowed ---------------------------------------------------------------------------


def test_unknown_fields_and_tables_are_kept_untouched(db_path):
    doc = valid_document()
    doc[CONTACTS]["1"]["nickname"] = {"any": ["shape", 1]}
    doc[LISTS]["1"]["colour"] = 7
    doc["_default"] = {"1": {"anything": True}}
    write(db_path, doc)
    store = Store.open(db_path, user="alice")
    store.update_contact(1, name="Ann Leigh")
    saved = json.loads(db_path.read_bytes())
    assert saved[CONTACTS]["1"]["nickname"] == {"any": ["shape", 1]}
    assert saved[CONTACTS]["1"]["name"] == "Ann Leigh"
    assert saved[LISTS]["1"]["colour"] == 7
    assert saved["_default"] == {"1": {"anything": True}}


def test_a_minimal_hand_made_file_opens(db_path):
    """Only name and phone are required of a contact; a missing table or counter is fine."""
    write(db_path, {CONTACTS: {"1": {"name": "Ann", "phone": ANN}, "2": {"name": "Bob", "phone": "+14155550133"}}})
    store = Store.open(db_path, user="alice")
    assert [c.name for c in store.contacts()] == ["Ann", "Bob"]
    assert store.add_contact("Cy", "+14155550134").id == 3


def test_policies_for_every_known_action_are_accepted(db_path):
    from store.access import permissions

    doc = valid_document()
    doc[POLICIES] = {
        str(number): {"subject": "user:bob", "action": action, "allow": True}
        for number, action in enumerate(permissions.ACTIONS, start=1)
    }
    doc[META]["1"]["next_ids"][POLICIES] = len(permissions.ACTIONS) + 1
    write(db_path, doc)
    assert {rule.action for rule in Store.open(db_path, user="alice").rules()} >= set(permissions.ACTIONS)


def test_suppression_rows_without_a_reason_and_text_with_escape_codes_open(db_path):
    """Free text is not judged at open (the screens escape it); only its type is."""
    doc = valid_document()
    del doc[SUPPRESSION]["1"]["reason"]
    doc[CONTACTS]["1"]["name"] = "Ann \x1b[2J Lee"
    write(db_path, doc)
    assert Store.open(db_path, user="alice").get(1).name == "Ann \x1b[2J Lee"


# -- reads after the open -------------------------------------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c.name in ("opted_out is the string no", "suppression row is a string", "id counter of 10^30", "duplicate phone")], ids=lambda c: c.name)
def test_a_bad_file_written_by_someone_else_is_refused_and_never_written_over(db_path, case: Case):
    write(db_path, valid_document())
    store = Store.open(db_path, user="alice")
    content = write(db_path, case.document())
    with pytest.raises(CorruptDataFile, match=case.where):
        store.refresh()
    for _ in range(2):  # every change is refused, not only the first
        with pytest.raises(CorruptDataFile, match=case.where):
            store.add_list("New")
        with pytest.raises(CorruptDataFile, match=case.where):
            store.add_contact("Zed", "+14155550150")
        assert db_path.read_bytes() == content
    assert store.get(1).name == "Ann Lee"  # what was loaded stays readable
    assert store.find(ANN).lists == (1, 2)


def test_a_repaired_file_is_taken_again(db_path):
    write(db_path, valid_document())
    store = Store.open(db_path, user="alice")
    bad = valid_document()
    bad[CONTACTS]["1"]["consent"] = "maybe"
    write(db_path, bad)
    with pytest.raises(CorruptDataFile):
        store.refresh()
    good = valid_document()
    good[CONTACTS]["1"]["name"] = "Ann Repaired"
    write(db_path, good)
    assert store.refresh()
    assert store.get(1).name == "Ann Repaired"
    store.add_contact("Zed", "+14155550150")
    assert json.loads(db_path.read_bytes())[CONTACTS]["4"]["name"] == "Zed"


def test_a_timestamp_must_have_the_stored_form():
    for stamp in ("2026-03-01 12:00:00", "2026-13-01T12:00:00Z", "2026-03-01T12:00:00+00:00", "2026-03-01T12:00Z"):
        doc = valid_document()
        doc[LISTS]["1"]["created_at"] = stamp
        with pytest.raises(CorruptDataFile, match='table "lists", record 1, field "created_at"'):
            _open_document(doc)
    doc = valid_document()
    doc[LISTS]["1"]["created_at"] = AT
    _open_document(doc)
