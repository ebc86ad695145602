"""Replies from numbers with no contact: opt-outs are remembered, opt-ins forget them."""

from __future__ import annotations

from store import Store
from store.consent.replies import ReplyKind, record_reply

from .conftest import BOB_PHONE


def test_stop_from_an_unknown_number_suppresses_it_and_adding_it_opts_out(store, on_disk):
    result = record_reply(store, "(212) 555-0100", "STOP")
    assert result.contact_id is None and result.suppression_changed
    assert result.message.startswith("Opted out:")
    assert on_disk() == {BOB_PHONE}
    bob = Store.open(store.path, user="bob").add_contact("Bob", "212 555 0100")
    assert bob.opted_out
    assert bob.history[-1]["source"] == "suppression"


def test_a_second_stop_from_an_unknown_number_changes_nothing(store, unchanged):
    record_reply(store, BOB_PHONE, "STOP")
    with unchanged():
        result = record_reply(store, BOB_PHONE, "unsubscribe")
    assert not result.changed and "already suppressed" in result.message


def test_start_from_an_unknown_number_lifts_its_suppression(store, on_disk):
    record_reply(store, BOB_PHONE, "STOP")
    result = record_reply(store, BOB_PHONE, "START")
    assert result.kind is ReplyKind.OPT_IN and result.suppression_changed
    assert on_disk() == set()
    assert not store.add_contact("Bob", BOB_PHONE).opted_out


def test_yes_from_an_unknown_suppressed_number_does_not_lift_it(store, unchanged):
    record_reply(store, BOB_PHONE, "STOP")
    with unchanged():
        result = record_reply(store, BOB_PHONE, "YES")
    assert not result.changed
    assert store.is_suppressed(BOB_PHONE)


def test_other_replies_from_unknown_numbers_change_nothing_and_say_so(store, unchanged):
    for text in ("START", "HELP", "hello", "please stop texting me"):
        with unchanged():
            result = record_reply(store, BOB_PHONE, text)
        assert not result.changed and result.contact_id is None
        assert "no contact" in result.message
    assert "record STOP" in result.message  # the possible revocation gets a hint
