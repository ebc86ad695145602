"""Every table's records are checked against the schema when the file is read (issue 12, item 6).

A file that is valid JSON but holds a wrong type or value anywhere is refused at open, and on
every later read of another process's write, with one message naming the table, the record and
the field; the file is left byte for byte as it was and nothing is written over it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable

import pytest

from store import CorruptDataFile, Store
from store.model import CONTACTS, IMPORTS, LISTS, META, POLICIES, SETTINGS, SUPPRESSION, USERS

from .bad_files import ANN, AT, CASES, Case, refusal, valid_document


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


# -- what each refusal says -----------------------------------------------------------------------


def _change(path: str, value) -> Callable[[dict], None]:
    """Set (or with _GONE, delete) the value at a dotted path such as ``contacts.2.history.0.from``."""
    def change(doc: dict) -> None:
        *parents, last = path.split(".")
        target = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if value is _GONE:
            del target[int(last) if isinstance(target, list) else last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


_GONE = object()
STAMP_FORM = 'a UTC time such as "2026-01-31T09:00:00Z"'
MESSAGES = [
    # the form of every kind of value (store/file/schema/values.py)
    ("contacts.2.history.0.by", ["ann"], 'table "contacts", record 2, field "history[0].by": expected text, found a list'),
    ("contacts.1.name", "   ", 'table "contacts", record 1, field "name": expected text that is not blank, found "   "'),
    ("contacts.3.email", 5, 'table "contacts", record 3, field "email": expected text or null, found 5'),
    ("contacts.2.history.0.from", {"a": 1},
     'table "contacts", record 2, field "history[0].from": expected true, false, text or null, found an object'),
    ("contacts.1.created_at", "yesterday",
     f'table "contacts", record 1, field "created_at": expected {STAMP_FORM}, found "yesterday"'),
    ("contacts.2.consent_changed_at", 17,
     f'table "contacts", record 2, field "consent_changed_at": expected {STAMP_FORM}, or null, found 17'),
    ("contacts.1.phone", "(415) 555-0132",
     'table "contacts", record 1, field "phone": expected a phone number as stored (E.164), such as "+14155550132", '
     'found "(415) 555-0132"'),
    ("contacts.1.consent", "yes",
     'table "contacts", record 1, field "consent": expected one of "not_sent", "sent", "confirmed", "declined", '
     'found "yes"'),
    ("policies.1.subject", "role:boss",
     'table "policies", record 1, field "subject": expected "role:" and one of admin, supervisor, agent, '
     'or "user:" and a login, found "role:boss"'),
    ("policies.1.subject", 5,
     'table "policies", record 1, field "subject": expected "role:" and one of admin, supervisor, agent, '
     'or "user:" and a login, found 5'),
    ("settings.1.default_region", "XX",
     'table "settings", record 1, field "default_region": expected a region code phonenumbers knows, such as "US", '
     'found "XX"'),
    ("_meta.1.next_ids.lists", 0,
     'table "_meta", record 1, field "next_ids.lists": expected a whole number from 1 to 2^53 - 1, found 0'),
    ("_meta.1.schema_version", 0,
     'table "_meta", record 1, field "schema_version": expected a whole number from 1 to 1, found 0'),
    ("imports.2.undone.kept", -1,
     'table "imports", record 2, field "undone.kept": expected a whole number from 0 to 2^53 - 1, found -1'),
    ("_meta.1.next_ids", [4, 3],
     'table "_meta", record 1, field "next_ids": expected an object of counters by table name, found a list'),
    ("suppression.1", "+14155550199", 'table "suppression", record 1: expected an object, found "+14155550199"'),
    ("contacts.2.history.0", "opted out",
     'table "contacts", record 2, field "history[0]": expected an object, found "opted out"'),
    ("contacts.3.name", _GONE,
     'table "contacts", record 3, field "name": expected text that is not blank, found nothing (the field is missing)'),
    ("contacts.2.history.0.to", _GONE,
     'table "contacts", record 2, field "history[0].to": expected a value, found nothing (the field is missing)'),
    # what was found: as JSON writes it, letters kept, cut to 60 characters
    ("contacts.1.consent", "Émile", 'table "contacts", record 1, field "consent": expected one of "not_sent", "sent", '
     '"confirmed", "declined", found "Émile"'),
    ("contacts.1.email", ["x"], 'table "contacts", record 1, field "email": expected text or null, found a list'),
    ("contacts.1.opted_out", "x" * 58,
     'table "contacts", record 1, field "opted_out": expected true or false, found "' + "x" * 58 + '"'),
    ("contacts.1.opted_out", "x" * 59,
     'table "contacts", record 1, field "opted_out": expected true or false, found "' + "x" * 56 + "..."),
    ("contacts.1.opted_out", "y" * 500,
     'table "contacts", record 1, field "opted_out": expected true or false, found "' + "y" * 56 + "..."),
    # the contacts table (store/file/schema/contacts.py)
    ("contacts.1.lists", "VIP", 'table "contacts", record 1, field "lists": expected a list of list ids, found "VIP"'),
    ("contacts.1.lists", [1, 9],
     'table "contacts", record 1, field "lists[1]": expected the id of a list in table "lists", found 9'),
    ("contacts.1.lists", [2, 2],
     'table "contacts", record 1, field "lists[1]": expected a list id the contact does not have yet, found 2'),
    ("contacts.2.history", {"at": AT},
     'table "contacts", record 2, field "history": expected a list of objects, found an object'),
    ("contacts.3.review", 7, 'table "contacts", record 3, field "review": expected a list of objects, found 7'),
    # history entries as the store writes them (seven fields) are read in one go: each field still counts
    ("contacts.2.history.0", "changed",
     'table "contacts", record 2, field "history[0]": expected an object, found "changed"'),
    ("contacts.2.history.0.field", 5, 'table "contacts", record 2, field "history[0].field": expected text, found 5'),
    ("contacts.2.history.0.source", 5, 'table "contacts", record 2, field "history[0].source": expected text, found 5'),
    ("contacts.2.history.1.detail", 5, 'table "contacts", record 2, field "history[1].detail": expected text, found 5'),
    ("contacts.2.history.1.to", {},
     'table "contacts", record 2, field "history[1].to": expected true, false, text or null, found an object'),
    ("contacts.2.history.1.via", 5, 'table "contacts", record 2, field "history[1].via": expected text, found 5'),
    ("contacts.3.review.0", {"at": AT, "field": "x", "from": None, "to": None, "source": "", "by": "", "detail": ""},
     'table "contacts", record 3, field "review[0].text": expected text, found nothing (the field is missing)'),
    ("contacts.3.phone", ANN,
     'table "contacts", record 3, field "phone": expected a phone number no other contact has, '
     'found "+14155550132", which record 1 has too'),
    # the small tables and the import log (store/file/schema/tables.py)
    ("policies.2", {"subject": "role:agent", "action": "delete", "allow": True},
     'table "policies", record 2, field "action": expected one rule per subject and action, found "delete", '
     'which record 1 has too'),
    ("lists.2.name", "vip",
     'table "lists", record 2, field "name": expected a name no other list has (in any case), found "vip", '
     'which record 1 has too'),
    ("_meta.1.next_ids.contacts", 3,
     'table "_meta", record 1, field "next_ids.contacts": expected a whole number above every id in table '
     '"contacts" (the highest is 3), found 3'),
    ("imports.1.created", 3,
     'table "imports", record 1, field "created": expected a list of runs [first, last] of contact ids, found 3'),
    ("imports.1.created", [[3, 1]],
     'table "imports", record 1, field "created[0]": expected a run [first, last] of contact ids, found a list'),
    ("imports.1.updated", [1],
     'table "imports", record 1, field "updated": expected an object of values before by contact id, found a list'),
    ("imports.1.updated", {"x": {}}, 'table "imports", record 1, field "updated.x": expected a contact id, found "x"'),
    ("imports.1.updated.1.lists", 2,
     'table "imports", record 1, field "updated.1.lists": expected a list of list ids, found 2'),
    ("imports.1.updated.1.lists", ["VIP"],
     'table "imports", record 1, field "updated.1.lists[0]": expected a list id, found "VIP"'),
    ("imports.1.touched", "3", 'table "imports", record 1, field "touched": expected a list of contact ids, found "3"'),
    ("imports.1.touched", ["3"], 'table "imports", record 1, field "touched[0]": expected a contact id, found "3"'),
    ("imports.2.lists_created", [0], 'table "imports", record 2, field "lists_created[0]": expected a list id, found 0'),
    ("imports.2.undone", "yes",
     'table "imports", record 2, field "undone": expected null, or an object with at and by, found "yes"'),
    ("api_tokens", {"1": {"name": "a", "hash": "ABC", "created_by": "alice", "created_at": AT}},
     'table "api_tokens", record 1, field "hash": expected a SHA-256 digest (64 hex digits), found "ABC"'),
    # the whole file (store/file/schema/__init__.py)
    ("contacts.x", {"name": "X", "phone": "+14155550177"},
     'table "contacts", record "x": expected a record id (a whole number from 1 to 2^53 - 1), found "x"'),
    ("imports.x", {"at": AT, "by": "bob", "source": "sales.csv"},
     'table "imports", record "x": expected a record id (a whole number from 1 to 2^53 - 1), found "x"'),
    ("settings.2", {}, 'table "settings", record 2: expected one record in this table, found a second record'),
]


@pytest.mark.parametrize("path, value, said", MESSAGES, ids=[f"{n}-{m[0]}" for n, m in enumerate(MESSAGES)])
def test_each_refusal_says_what_was_expected_and_what_was_found(path, value, said):
    doc = valid_document()
    _change(path, value)(doc)
    assert refusal(doc) == said


def test_a_login_twice_names_the_login_and_the_user_that_has_it_first():
    doc = valid_document()
    login = doc[USERS]["1"]["login"]
    doc[USERS]["2"]["login"] = login
    assert refusal(doc) == (
        f'table "users", record 2, field "login": expected a login no other user has, found "{login}", '
        "which record 1 has too"
    )


def test_an_unknown_action_is_refused_listing_every_known_action():
    from store.access import permissions

    doc = valid_document()
    doc[POLICIES]["1"]["action"] = "fly"
    known = ", ".join(f'"{action}"' for action in permissions.ACTIONS)
    assert refusal(doc) == f'table "policies", record 1, field "action": expected one of {known}, found "fly"'


# -- the bounds the messages name are the bounds applied ------------------------------------------

LAST_ID = 2**53 - 1  # the largest integer every JSON reader keeps exactly


@pytest.mark.parametrize("table", [CONTACTS, LISTS])
def test_a_record_id_may_be_2_to_the_53_minus_1_and_no_more(table):
    doc = valid_document()
    del doc[META]["1"]["next_ids"][table]  # no counter can be above the last id
    doc[table][str(LAST_ID)] = doc[table].pop("2")
    if table == LISTS:
        doc[CONTACTS]["1"]["lists"] = [1]
        doc[CONTACTS]["2"]["lists"] = []
    _open_document(doc)
    doc[table][str(LAST_ID + 1)] = doc[table].pop(str(LAST_ID))
    assert refusal(doc) == (
        f'table "{table}", record {LAST_ID + 1}: expected a record id (a whole number from 1 to 2^53 - 1), '
        f"found \"{LAST_ID + 1}\""
    )


def test_id_counters_run_from_1_to_2_to_the_53_minus_1():
    doc = valid_document()
    doc[META]["1"]["next_ids"][LISTS] = LAST_ID
    assert _open_document(doc).count() == len(doc[CONTACTS])  # opened and read


@pytest.mark.parametrize("table", [CONTACTS, POLICIES, SUPPRESSION, IMPORTS])
def test_the_counter_of_a_table_without_records_may_be_1(table):
    doc = valid_document()
    doc[table] = {}
    doc[META]["1"]["next_ids"][table] = 1
    assert _open_document(doc).count() == len(doc[CONTACTS])  # opened and read


def test_a_table_the_store_does_not_know_may_have_a_counter_of_1():
    doc = valid_document()
    doc["_default"] = {}
    doc[META]["1"]["next_ids"]["_default"] = 1
    assert _open_document(doc).count() == len(doc[CONTACTS])  # opened and read


def test_of_several_records_where_one_belongs_the_refusal_names_the_second_in_id_order():
    doc = valid_document()
    doc[SETTINGS] = {"1": {"default_region": "US"}, "10": {}, "2": {}}
    assert refusal(doc) == 'table "settings", record 2: expected one record in this table, found a second record'


def test_the_counts_of_an_undone_import_run_from_0_to_2_to_the_53_minus_1():
    doc = valid_document()
    doc[IMPORTS]["2"]["undone"].update(removed=0, restored=LAST_ID, kept=1)
    _open_document(doc)
    doc[IMPORTS]["2"]["undone"]["restored"] = LAST_ID + 1
    assert refusal(doc) == (
        f'table "imports", record 2, field "undone.restored": expected a whole number from 0 to 2^53 - 1, found {LAST_ID + 1}'
    )


def test_a_record_missing_an_optional_field_still_has_its_later_fields_checked():
    doc = valid_document()
    del doc[CONTACTS]["2"]["email"]  # optional, and before opted_out in the spec
    doc[CONTACTS]["2"]["opted_out"] = "no"
    assert refusal(doc) == 'table "contacts", record 2, field "opted_out": expected true or false, found "no"'


def test_an_import_record_may_name_ids_from_1_to_2_to_the_53_minus_1():
    doc = valid_document()
    doc[IMPORTS]["1"].update(created=[[1, LAST_ID]], touched=[1, LAST_ID], lists_created=[1, LAST_ID])
    doc[IMPORTS]["1"]["updated"]["1"]["lists"] = [1, LAST_ID]
    doc[IMPORTS]["1"]["updated"][str(LAST_ID)] = {}
    _open_document(doc)
    doc[IMPORTS]["1"]["created"] = [[1, LAST_ID + 1]]
    assert refusal(doc) == (
        'table "imports", record 1, field "created[0]": expected a run [first, last] of contact ids, found a list'
    )


def test_an_import_record_needs_only_its_time_user_and_source():
    doc = valid_document()
    doc[IMPORTS]["1"] = {"at": AT, "by": "bob", "source": "sales.csv"}
    doc[IMPORTS]["2"]["updated"] = {"1": {}}  # no value before but the contact id
    from store.transfer.import_log import imports

    assert sorted(record.id for record in imports(_open_document(doc))) == sorted(map(int, doc[IMPORTS]))


def test_a_rule_for_a_user_whose_login_holds_a_colon_opens_again(db_path):
    """Logins may hold a colon (``corp:bob``): a subject is split at its first one."""
    store = Store.open(db_path, user="alice")
    store.set_policy("user:corp:bob", "delete", True)
    assert [(r.subject, r.allow) for r in Store.open(db_path, user="alice").rules() if r.subject.startswith("user:")] == [
        ("user:corp:bob", True)
    ]
