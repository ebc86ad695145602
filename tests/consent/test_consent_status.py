"""The consent message status: not_sent -> sent -> confirmed | declined, and the refusals."""

from __future__ import annotations

import pytest

from store import NotFound
from store.consent.replies import ConsentRefused, mark_consent_sent, record_reply

from .conftest import ANN_PHONE


def test_a_new_contact_has_not_been_sent_the_consent_message(ann):
    assert (ann.consent, ann.consent_changed_at) == ("not_sent", None)


def test_mark_sent_moves_not_sent_to_sent(store, ann, on_disk):
    contact = mark_consent_sent(store, ann.id)
    assert contact.consent == "sent"
    doc = on_disk(ann.id)
    assert doc["consent"] == "sent"
    assert doc["consent_changed_at"] == doc["updated_at"] is not None


def test_marking_sent_twice_changes_nothing(store, ann, unchanged):
    first = mark_consent_sent(store, ann.id)
    with unchanged():
        again = mark_consent_sent(store, ann.id)
    assert again.consent == "sent" and again.consent_changed_at == first.consent_changed_at
    assert len(again.history) == 1


@pytest.mark.parametrize("reply, status, opted_out", [("YES", "confirmed", False), ("START", "confirmed", False), ("STOP", "declined", True)])
def test_sent_then_a_reply_confirms_or_declines(store, ann, reply, status, opted_out):
    mark_consent_sent(store, ann.id)
    record_reply(store, ANN_PHONE, reply)
    contact = store.get(ann.id)
    assert (contact.consent, contact.opted_out) == (status, opted_out)
    assert [(e["from"], e["to"]) for e in contact.history if e["field"] == "consent"] == [
        ("not_sent", "sent"),
        ("sent", status),
    ]


@pytest.mark.parametrize("reply, status", [("YES", "Confirmed"), ("STOP", "Declined")])
def test_marking_sent_after_a_reply_is_refused(store, ann, unchanged, reply, status):
    record_reply(store, ANN_PHONE, reply)
    with unchanged(), pytest.raises(ConsentRefused) as err:
        mark_consent_sent(store, ann.id)
    assert f"consent {status}" in str(err.value) and "undo their reply" in str(err.value)


def test_marking_sent_on_an_opted_out_contact_is_refused(store, ann, unchanged):
    store.opt_out(ann.id)
    with unchanged(), pytest.raises(ConsentRefused, match="opted out"):
        mark_consent_sent(store, ann.id)
    assert store.get(ann.id).consent == "not_sent"


def test_marking_sent_on_a_missing_contact_is_refused(store, unchanged):
    with unchanged(), pytest.raises(NotFound):
        mark_consent_sent(store, 42)


def test_declined_then_start_confirms_again(store, ann):
    record_reply(store, ANN_PHONE, "STOP")
    record_reply(store, ANN_PHONE, "START")
    contact = store.get(ann.id)
    assert (contact.consent, contact.opted_out) == ("confirmed", False)
