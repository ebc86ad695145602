"""Every file the app itself writes passes the schema check, by the fast proof (issue 12, item 6).

Random sequences of store operations (contacts, lists, replies, review, import, undo of an
import, delete all, roles, policies, region) are applied, then the file is read again: the check must accept it, and
the one-pass proof (``_contacts_fast``) must accept it too, so that real files never pay for the
field-by-field check. The proof must also never accept a table the field-by-field check refuses.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Store, StoreError
from store.transfer.csv_format import CsvSource
from store.consent.replies import mark_consent_sent, record_reply, resolve_review
from store.demo_data import write_document
from store.transfer.import_log import imports, undo_import
from store.transfer.importer import import_csv
from store.model import CONTACTS, LISTS
from store.file.schema import check_document
from store.file.schema.contacts import _contacts_fast, _contacts_slow
from store.file.schema.values import Problem

from .bad_files import CASES, valid_document

PHONES = [f"+1415555{n:04d}" for n in range(100, 112)]
NAMES = ["Ann", "Bob", "Cy", "Dee", "Émile", "李"]
LIST_NAMES = ["VIP", "News", "vip2"]
REPLIES = ["STOP", "START", "HELP", "YES", "please stop", "hello"]

operation = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(NAMES), st.sampled_from(PHONES), st.booleans()),
    st.tuples(st.just("edit"), st.sampled_from(PHONES), st.sampled_from(NAMES), st.sampled_from(PHONES)),
    st.tuples(st.just("email"), st.sampled_from(PHONES), st.sampled_from(["a@example.com", "", None])),
    st.tuples(st.just("delete"), st.sampled_from(PHONES)),
    st.tuples(st.just("list"), st.sampled_from(LIST_NAMES)),
    st.tuples(st.just("rename"), st.sampled_from(LIST_NAMES), st.sampled_from(LIST_NAMES)),
    st.tuples(st.just("unlist"), st.sampled_from(LIST_NAMES)),
    st.tuples(st.just("member"), st.sampled_from(PHONES), st.lists(st.sampled_from(LIST_NAMES), max_size=3)),
    st.tuples(st.just("reply"), st.sampled_from(PHONES), st.sampled_from(REPLIES)),
    st.tuples(st.just("sent"), st.sampled_from(PHONES)),
    st.tuples(st.just("resolve"), st.sampled_from(PHONES), st.booleans()),
    st.tuples(st.just("import"), st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(PHONES)), min_size=1, max_size=4),
              st.sampled_from([None, "VIP", "Imported"])),
    st.tuples(st.just("delete-all")),
    st.tuples(st.just("undo"), st.integers(0, 3), st.booleans()),
    st.tuples(st.just("role"), st.sampled_from(["bob", "eve"]), st.sampled_from(["agent", "supervisor", "admin"])),
    st.tuples(st.just("policy"), st.sampled_from(["agent", "supervisor", "user:bob"]), st.booleans()),
    st.tuples(st.just("region"), st.sampled_from(["US", "GB", "de"])),
)


def apply(store: Store, op: tuple) -> None:
    kind, *args = op
    if kind == "add":
        store.add_contact(args[0], args[1], opted_out=args[2])
    elif kind == "edit":
        store.update_contact(store.find(args[0]).id, name=args[1], phone=args[2])
    elif kind == "email":
        store.update_contact(store.find(args[0]).id, email=args[1])
    elif kind == "delete":
        store.delete_contact(store.find(args[0]).id)
    elif kind == "list":
        store.add_list(args[0])
    elif kind == "rename":
        store.rename_list(args[0], args[1])
    elif kind == "unlist":
        store.delete_list(args[0])
    elif kind == "member":
        store.set_memberships(store.find(args[0]).id, args[1])
    elif kind == "reply":
        record_reply(store, args[0], args[1])
    elif kind == "sent":
        mark_consent_sent(store, store.find(args[0]).id)
    elif kind == "resolve":
        resolve_review(store, store.find(args[0]).id, args[1])
    elif kind == "import":
        text = "Full Name,Phone\n" + "".join(f"{name},{phone}\n" for name, phone in args[0])
        import_csv(store, CsvSource.from_text(text), list_name=args[1])
    elif kind == "undo":
        recent = imports(store)
        if recent:
            undo_import(store, recent[min(args[0], len(recent) - 1)].id, remove_changed=args[1])
    elif kind == "delete-all":
        store.delete_all()
    elif kind == "role":
        store.set_role(args[0], args[1])
    elif kind == "policy":
        store.set_policy(args[0], "delete", args[1])
    elif kind == "region":
        store.set_default_region(args[0])


def assert_proven(path: Path) -> None:
    data = orjson.loads(path.read_bytes())
    check_document(data, path)  # raises CorruptDataFile if anything is wrong
    list_ids = {int(key) for key in data.get(LISTS, {})}
    assert _contacts_fast(data.get(CONTACTS, {}), list_ids) is not None, "a file the app wrote missed the fast proof"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=25))
def test_every_file_the_store_writes_passes_the_check(ops):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.json"
        store = Store.open(path, user="alice")
        for op in ops:
            try:
                apply(store, op)
            except StoreError:
                pass  # a refused change writes nothing
        assert_proven(path)
        Store.open(path, user="bob")  # and it opens again


def test_the_demo_and_benchmark_files_pass_the_check(tmp_path):
    path = tmp_path / "demo.json"
    write_document(path, 2000, seed=3)
    assert_proven(path)


def test_the_fast_proof_accepts_no_contacts_table_the_slow_check_refuses():
    for case in CASES:
        doc = case.document()
        list_ids = {int(key) for key in doc[LISTS] if key.isdigit()}
        contacts = doc[CONTACTS]
        try:
            _contacts_slow(contacts, list_ids)
        except Problem:
            assert _contacts_fast(contacts, list_ids) is None, case.name


@settings(max_examples=300, deadline=None)
@given(
    field=st.sampled_from(["name", "phone", "email", "opted_out", "consent", "consent_changed_at", "lists",
                           "history", "review", "created_at", "updated_at"]),
    value=st.recursive(
        st.none() | st.booleans() | st.integers(-3, 2**60) | st.floats(allow_nan=False)
        | st.sampled_from(["", " ", "\t", "no", "sent", "+14155550132", "+1415555013\n2", "2026-03-01T12:00:00Z",
                           "2026-02-30T25:00:00Z", "x"]),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["at", "text", "field", "by"]), inner, max_size=3),
        max_leaves=6,
    ),
    record=st.sampled_from(["1", "2", "3"]),
)
def test_the_fast_proof_and_the_slow_check_agree(field, value, record):
    doc = copy.deepcopy(valid_document("alice"))
    doc[CONTACTS][record][field] = value
    list_ids = {int(key) for key in doc[LISTS]}
    try:
        slow = _contacts_slow(doc[CONTACTS], list_ids)
    except Problem:
        slow = None
    fast = _contacts_fast(doc[CONTACTS], list_ids)
    if fast is not None:
        assert fast == slow


@pytest.mark.parametrize("count", [0, 1])
def test_tiny_tables_pass(tmp_path, count):
    path = tmp_path / "c.json"
    write_document(path, count, seed=1)
    assert_proven(path)


def test_the_fast_proof_accepts_a_table_as_the_app_writes_it_with_lists_history_and_review():
    contacts = valid_document("alice")[CONTACTS]
    assert _contacts_fast(contacts, {1, 2}) == {"+14155550132": 1, "+14155550133": 2, "+442079460958": 3}


def test_opening_a_file_the_app_wrote_never_runs_the_field_by_field_check(tmp_path, monkeypatch):
    import store.file.schema as schema

    def slow(*args):
        raise AssertionError("the field-by-field check ran on a file the app wrote")

    monkeypatch.setattr(schema, "_contacts_slow", slow)
    path = tmp_path / "c.json"
    write_document(path, 50, seed=2)
    assert Store.open(path, user="alice").count() == 50
