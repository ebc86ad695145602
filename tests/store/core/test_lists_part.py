"""Marketing lists in the store (store.core.lists): what a lookup that fails says, what a new list
records, member counts on request, and contacts written without a ``lists`` field."""

from __future__ import annotations

import json

import pytest

from store import NotFound, Store, ValidationError


def test_an_unknown_list_is_refused_naming_the_lists_there_are(store):
    with pytest.raises(NotFound, match=r"^No list named 'VIP' \(lists: none yet\)$"):
        store.get_list("VIP")
    store.add_list("Leads")
    store.add_list("Customers")
    with pytest.raises(NotFound, match=r"^No list named 'VIP' \(lists: Customers, Leads\)$"):
        store.get_list("VIP")


def test_a_taken_list_name_is_refused_on_the_list_field(store):
    store.add_list("VIP")
    with pytest.raises(ValidationError) as refused:
        store.add_list("vip")
    assert refused.value.errors == {"list": "A list named 'VIP' already exists"}


def test_a_new_list_records_when_it_was_made(ticking_store, db_path):
    vip = ticking_store.add_list("VIP")
    stored = json.loads(db_path.read_bytes())["lists"][str(vip.id)]
    assert set(stored) == {"name", "created_at"}
    assert stored["name"] == "VIP" and stored["created_at"].startswith("2030-01-01T00:00")


def test_member_counts_only_when_asked(store):
    vip = store.add_list("VIP")
    ann = store.add_contact("Ann", "+14155550132")
    store.set_memberships(ann.id, [vip.id])
    assert [(lst.name, lst.members) for lst in store.lists()] == [("VIP", 1)]
    assert [(lst.name, lst.members) for lst in store.lists(counts=False)] == [("VIP", 0)]


def test_a_contact_written_without_a_lists_field_is_in_no_list(db_path):
    store = Store.open(db_path, user="alice")
    vip = store.add_list("VIP")
    ann = store.add_contact("Ann", "+14155550132")
    bob = store.add_contact("Bob", "+12125550100")
    store.set_memberships(bob.id, [vip.id])
    data = json.loads(db_path.read_bytes())
    del data["contacts"][str(ann.id)]["lists"]
    db_path.write_text(json.dumps(data))
    again = Store.open(db_path, user="alice")
    assert again.members(vip.id) == {bob.id}
    assert [(lst.name, lst.members) for lst in again.lists()] == [("VIP", 1)]


def test_members_are_worked_out_once_until_a_change(store):
    """The member sets are one pass over every contact: kept, not redone on every question."""
    vip = store.add_list("VIP")
    ann = store.add_contact("Ann", "+14155550132")
    store.set_memberships(ann.id, [vip.id])
    assert store.members(vip.id) is store.members(vip.id) == {ann.id}
    store.set_memberships(ann.id, [])
    assert store.members(vip.id) == set()
