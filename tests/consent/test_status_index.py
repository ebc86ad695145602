"""The status sets built from a file as it is on disk (store.consent.sendable.StatusIndex.build),
and the textable count of any list of ids, including ids the index has never seen.

test_sendable.py checks the sets patched change by change; these start from files written by
hand or by another process, which the store reads whole."""

from __future__ import annotations

import json

import pytest

from store import Store
from store.consent.sendable import NEEDS_REVIEW, OPTED_OUT, TEXTABLE, StatusIndex, select_contacts, select_ids

from .conftest import ANN_PHONE, BOB_PHONE

CY_PHONE = "+13125550101"
STAMP = "2024-01-01T00:00:00Z"


def _contact(name: str, phone: str, **fields) -> dict:
    doc = {"name": name, "phone": phone, "email": None, "opted_out": False, "consent": "not_sent",
           "lists": [], "history": [], "review": [], "created_at": STAMP, "updated_at": STAMP}
    doc.update(fields)
    return doc


def _open(db_path, contacts: dict[str, dict]) -> Store:
    Store.open(db_path, user="alice")  # makes the file with its tables
    data = json.loads(db_path.read_bytes())
    data["contacts"] = contacts
    db_path.write_text(json.dumps(data))
    return Store.open(db_path, user="alice")


def test_a_contact_whose_consent_is_declined_is_not_textable_even_when_not_opted_out(db_path):
    store = _open(db_path, {
        "1": _contact("Ann", ANN_PHONE, consent="declined"),
        "2": _contact("Bob", BOB_PHONE, consent="confirmed"),
    })
    assert store.search("", status=TEXTABLE) == [2]
    assert store.search("", status=OPTED_OUT) == []
    assert store.textable_count() == 1


def test_only_unresolved_replies_need_review_in_a_file_read_whole(db_path):
    resolved = {"at": STAMP, "text": "stop it", "resolved_at": STAMP, "resolved_by": "alice", "outcome": "kept"}
    waiting = {"at": STAMP, "text": "please stop"}
    store = _open(db_path, {
        "1": _contact("Ann", ANN_PHONE, review=[resolved]),
        "2": _contact("Bob", BOB_PHONE, review=[resolved, waiting]),
        "3": _contact("Cy", CY_PHONE),
    })
    assert store.search("", status=NEEDS_REVIEW) == [2]


def test_a_contact_written_without_a_review_field_can_be_changed_and_counted(db_path):
    """Older and hand-written files may leave out ``review``; it means no replies to review."""
    bare = _contact("Ann", ANN_PHONE)
    del bare["review"]
    store = _open(db_path, {"1": bare, "2": _contact("Bob", BOB_PHONE)})
    store.search("", status=NEEDS_REVIEW)  # the sets exist, so the change below patches them
    store.update_contact(1, name="Ann Lee")
    assert store.search("", status=NEEDS_REVIEW) == []
    assert store.textable_count() == 2


def test_textable_count_of_no_ids_is_zero(store, ann):
    assert store.textable_count([]) == 0
    store.opt_out(ann.id)
    assert store.textable_count([]) == 0


def test_textable_count_of_one_id(store, ann):
    bob = store.add_contact("Bob", BOB_PHONE)
    store.opt_out(ann.id)
    assert store.textable_count([ann.id]) == 0
    assert store.textable_count([bob.id]) == 1


def test_count_untextable_of_ids_the_index_never_saw():
    """Ids above every contact id (a result from before a reload, say) are simply textable-unknown:
    counted by the set, never an IndexError."""
    index = StatusIndex.build({"1": _contact("Ann", ANN_PHONE, opted_out=True), "2": _contact("Bob", BOB_PHONE)}, set())
    assert index.count_untextable([1, 2]) == 1
    assert index.count_untextable([1, 99]) == 1
    assert index.count_untextable([99]) == 0
    assert index.count_untextable((2, 1, 500)) == 1


def test_a_contact_added_opted_out_with_the_highest_id_is_counted_as_untextable():
    """The id table grows with the ids a change brings: the newest contact is in it."""
    contacts = {"1": _contact("Ann", ANN_PHONE)}
    index = StatusIndex.build(contacts, set())
    contacts = {**contacts, "2": _contact("Bob", BOB_PHONE, opted_out=True)}
    changed = index.with_changes(contacts, [2], set())
    assert changed.count_untextable([2]) == 1
    assert changed.count_untextable([1, 2]) == 1
    assert changed.count_untextable([1]) == 0


def test_an_unknown_status_is_refused_naming_the_known_ones(store):
    with pytest.raises(ValueError, match=r"Unknown status 'everyone' \(known: textable, opted_out, needs_review\)"):
        store.search("", status="everyone")


def test_an_unknown_consent_is_refused_naming_the_known_ones(store):
    with pytest.raises(ValueError, match=r"Unknown consent 'maybe' \(known: not_sent, sent, confirmed, declined\)"):
        select_ids(store, consent="maybe")


def test_select_ids_gives_everyone_unless_asked_for_the_sendable(store, ann):
    store.opt_out(ann.id)
    bob = store.add_contact("Bob", BOB_PHONE)
    assert select_ids(store) == [ann.id, bob.id]
    assert select_ids(store, sendable=True) == [bob.id]
    assert [c.name for c in select_contacts(store)] == ["Ann Lee", "Bob"]
    assert [c.name for c in select_contacts(store, sendable=True)] == ["Bob"]


def test_textable_count_takes_any_iterable_of_ids(store, ann):
    bob = store.add_contact("Bob", BOB_PHONE)
    store.opt_out(ann.id)
    assert store.textable_count(cid for cid in (ann.id, bob.id)) == 1
    assert store.textable_count({bob.id}) == 1


def test_the_views_are_built_once_and_rebuilt_after_a_change(store, ann):
    """Counts and keyword matching stay instant: the sets, the suppressed numbers and the compiled
    keywords are kept until a change makes them stale, not rebuilt on every call."""
    from store.consent.keyword_settings import add_keyword

    assert store.status_index() is store.status_index()
    assert store.suppressed_phones() is store.suppressed_phones()
    keywords = store.reply_keywords()
    assert store.reply_keywords() is keywords
    add_keyword(store, "opt_out", "HALTE")
    assert store.reply_keywords() is not keywords
    assert store.reply_keywords() is store.reply_keywords()
    before = store.status_index()
    store.opt_out(ann.id)
    assert store.status_index() is not before
    assert store.search("", status=OPTED_OUT) == [ann.id]
