"""Opt-outs survive deletion: delete, delete all, re-add, phone edits, and the only way out."""

from __future__ import annotations

import pytest

from store import PermissionDenied, Store, ValidationError
from store.consent.replies import record_reply

from .conftest import ANN_PHONE, BOB_PHONE


def test_deleting_an_opted_out_contact_keeps_the_number_suppressed(store, ann, on_disk):
    store.opt_out(ann.id)
    store.delete_contact(ann.id)
    assert on_disk() == {ANN_PHONE}
    again = store.add_contact("Ann Lee", "+1 415 555 0132")
    assert again.opted_out


def test_deleting_a_contact_who_replied_stop_keeps_the_number_suppressed(store, ann):
    record_reply(store, ANN_PHONE, "STOP")
    store.delete_contact(ann.id)
    assert Store.open(store.path, user="bob").add_contact("Ann", ANN_PHONE).opted_out


def test_deleting_a_contact_who_never_opted_out_forgets_the_number(store, ann, on_disk):
    store.delete_contact(ann.id)
    assert on_disk() == set()
    assert not store.add_contact("Ann Lee", ANN_PHONE).opted_out


def test_delete_all_keeps_every_opted_out_number_and_only_those(store, ann, on_disk):
    bob = store.add_contact("Bob", BOB_PHONE)
    store.add_contact("Cy", "3125550101")
    record_reply(store, ANN_PHONE, "STOP")
    store.opt_out(bob.id)
    assert store.delete_all() == 3
    assert on_disk() == {ANN_PHONE, BOB_PHONE}
    assert store.add_contact("Ann", ANN_PHONE).opted_out
    assert store.add_contact("Bob", BOB_PHONE).opted_out
    assert not store.add_contact("Cy", "3125550101").opted_out


def test_delete_all_twice_does_not_duplicate_suppression_rows(store, ann, db_path):
    import json

    store.opt_out(ann.id)
    store.delete_all()
    store.add_contact("Ann", ANN_PHONE)
    store.delete_all()
    rows = json.loads(db_path.read_bytes())["suppression"].values()
    assert [row["phone"] for row in rows] == [ANN_PHONE]


def test_delete_all_refused_keeps_contacts_and_opt_outs(store, ann, db_path, unchanged):
    store.set_role("carol", "agent")
    store.opt_out(ann.id)
    with unchanged(), pytest.raises(PermissionDenied):
        Store.open(db_path, user="carol").delete_all()


def test_only_the_contacts_own_opt_in_clears_a_suppressed_number(store, ann, on_disk):
    store.opt_out(ann.id)
    store.delete_contact(ann.id)
    again = store.add_contact("Ann Lee", ANN_PHONE)
    assert again.opted_out
    with pytest.raises(ValidationError, match="START"):
        store.update_contact(again.id, opted_out=False)
    record_reply(store, ANN_PHONE, "YES")  # not enough
    assert store.get(again.id).opted_out and on_disk() == {ANN_PHONE}
    result = record_reply(store, ANN_PHONE, "START")
    assert result.opted_out_changed and result.suppression_changed
    assert on_disk() == set()
    store.delete_contact(again.id)
    assert not store.add_contact("Ann Lee", ANN_PHONE).opted_out


def test_editing_a_phone_to_a_suppressed_number_opts_out(store, ann):
    record_reply(store, BOB_PHONE, "STOP")  # no contact yet
    moved = store.update_contact(ann.id, phone="212-555-0100")
    assert moved.opted_out and moved.phone == BOB_PHONE
    assert moved.history[-1]["source"] == "suppression"


def test_editing_a_phone_to_a_free_number_leaves_the_opt_in(store, ann):
    assert not store.update_contact(ann.id, phone=BOB_PHONE).opted_out


def test_an_opted_out_contact_moving_away_leaves_its_old_number_suppressed(store, ann):
    record_reply(store, ANN_PHONE, "STOP")
    store.update_contact(ann.id, phone=BOB_PHONE)
    assert store.is_suppressed(ANN_PHONE)
    assert store.add_contact("New owner", ANN_PHONE).opted_out


def test_cli_add_of_a_suppressed_number_says_it_is_opted_out(store, capsys):
    from tui.cli import main

    record_reply(store, BOB_PHONE, "STOP")
    assert main(["--db", str(store.path), "add", "--name", "Bob", "--phone", "2125550100"]) == 0
    assert "opted out" in capsys.readouterr().out
    assert Store.open(store.path, user="alice").find(BOB_PHONE).opted_out


def _reasons(db_path) -> dict[str, str]:
    import json

    rows = json.loads(db_path.read_bytes())["suppression"].values()
    return {row["phone"]: row["reason"] for row in rows}


def test_each_suppressed_number_records_why_it_is_suppressed(store, ann, db_path):
    """The suppression list is an audit trail: each row says what put the number there."""
    bob = store.add_contact("Bob", BOB_PHONE)
    store.opt_out(ann.id)
    store.delete_contact(ann.id)
    assert _reasons(db_path) == {ANN_PHONE: "contact deleted while opted out"}
    store.opt_out(bob.id)
    store.delete_all()
    assert _reasons(db_path) == {
        ANN_PHONE: "contact deleted while opted out",
        BOB_PHONE: "all contacts deleted while opted out",
    }


def test_the_history_says_why_a_number_came_back_opted_out(store, ann, db_path):
    store.opt_out(ann.id)
    store.update_contact(ann.id, phone=BOB_PHONE)  # the opt-out stays with the old number...
    assert _reasons(db_path) == {ANN_PHONE: "opted-out contact moved to another number"}
    again = store.add_contact("Ann again", ANN_PHONE)  # ...so whoever gets it back is opted out
    assert [(e["source"], e["detail"]) for e in again.history] == [("suppression", "number is on the opt-out list from before")]
    cy = store.add_contact("Cy", "+13125550101")
    store.delete_contact(again.id)
    moved = store.update_contact(cy.id, phone=ANN_PHONE)
    assert moved.opted_out
    assert [(e["source"], e["detail"]) for e in moved.history] == [("suppression", "new number is on the opt-out list from before")]


def test_opting_back_in_by_hand_is_refused_saying_who_can(store, ann):
    store.opt_out(ann.id)
    with pytest.raises(ValidationError) as refused:
        store.update_contact(ann.id, opted_out=False)
    message = refused.value.errors["opted_out"]
    assert message.startswith("Ann Lee opted out. Only their own reply (") and message.endswith(") can opt them back in.")
    assert "START" in message
