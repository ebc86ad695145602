"""Replies that may revoke consent: flagged for a person, listed, and resolved either way."""

from __future__ import annotations

import pytest

from store import NotFound, Store
from store.consent.replies import ReplyKind, pending_reviews, record_reply, resolve_review

from .conftest import ANN_PHONE, BOB_PHONE


def test_a_possible_revocation_is_flagged_and_changes_nothing_else(store, ann, on_disk):
    result = record_reply(store, ANN_PHONE, "please stop texting me")
    assert result.kind is ReplyKind.POSSIBLE_REVOCATION
    assert result.flagged_for_review and not (result.opted_out_changed or result.consent_changed)
    assert result.message.startswith("Flagged for review:")
    doc = on_disk(ann.id)
    assert doc["review"] == [{"at": doc["updated_at"], "text": "please stop texting me", "by": "alice"}]
    assert (doc["opted_out"], doc["consent"], doc["history"]) == (False, "not_sent", [])


def test_pending_reviews_lists_every_unresolved_item_oldest_first(store, ann):
    bob = store.add_contact("Bob", BOB_PHONE)
    record_reply(store, ANN_PHONE, "stop it")
    record_reply(Store.open(store.path, user="bob", clock=store.clock), BOB_PHONE, "remove me")
    store.refresh()  # like every read, pending_reviews uses what this store has loaded
    items = pending_reviews(store)
    assert [(r.contact_id, r.text, r.by) for r in items] == [(ann.id, "stop it", "alice"), (bob.id, "remove me", "bob")]
    assert items[0].name == "Ann Lee" and items[0].phone == ANN_PHONE


def test_resolving_with_opt_out_opts_out_and_declines(store, ann):
    record_reply(store, ANN_PHONE, "please stop texting me")
    record_reply(store, ANN_PHONE, "I said stop")
    contact = resolve_review(store, ann.id, opt_out=True)
    assert contact.opted_out and contact.consent == "declined"
    assert [item["resolution"] for item in contact.review] == ["opted_out", "opted_out"]
    assert all(item["resolved_by"] == "alice" and item["resolved_at"] for item in contact.review)
    assert pending_reviews(store) == []


def test_dismissing_changes_nothing_but_the_review(store, ann):
    record_reply(store, ANN_PHONE, "the end of the line")
    contact = resolve_review(store, ann.id, opt_out=False)
    assert not contact.opted_out and contact.consent == "not_sent" and contact.history == ()
    assert contact.review[0]["resolution"] == "dismissed"
    assert contact.review[0]["text"] == "the end of the line"
    assert pending_reviews(store) == []


def test_resolving_without_anything_pending_is_refused(store, ann, unchanged):
    record_reply(store, ANN_PHONE, "stop it")
    resolve_review(store, ann.id, opt_out=False)
    with unchanged(), pytest.raises(NotFound, match="no reply waiting for review"):
        resolve_review(store, ann.id, opt_out=True)


def test_an_opt_out_reply_settles_pending_reviews(store, ann):
    record_reply(store, ANN_PHONE, "stop it")
    record_reply(store, ANN_PHONE, "STOP")
    assert pending_reviews(store) == []
    assert store.get(ann.id).review[0]["resolution"] == "opted_out by reply"


def test_an_opted_out_contact_is_not_flagged_again(store, ann, unchanged):
    record_reply(store, ANN_PHONE, "STOP")
    with unchanged():
        result = record_reply(store, ANN_PHONE, "stop texting me!!")
    assert not result.changed and "already opted out" in result.message
    assert pending_reviews(store) == []
