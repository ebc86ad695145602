"""record_reply(..., via=...): the history says which way a reply came in (a webhook, the API)."""

from __future__ import annotations

from store import Store
from store.consent.replies import record_reply
from tui.text import history_reason


def test_history_entries_name_the_way_the_reply_came(store: Store, db_path):
    contact = store.add_contact("Ann Lee", "+14155550132")
    record_reply(store, "+14155550132", "STOP", via="Twilio webhook")
    entries = Store.open(db_path, user="alice").get(contact.id).history
    assert entries and all(entry["via"] == "Twilio webhook" for entry in entries)
    assert "via Twilio webhook" in history_reason(entries[0])


def test_a_review_item_names_the_way_too(store: Store):
    contact = store.add_contact("Ann Lee", "+14155550132")
    record_reply(store, "+14155550132", "please stop texting me", via="API token zapier")
    assert store.get(contact.id).review[0]["via"] == "API token zapier"


def test_without_via_entries_are_as_before(store: Store):
    contact = store.add_contact("Ann Lee", "+14155550132")
    record_reply(store, "+14155550132", "STOP")
    assert all("via" not in entry for entry in store.get(contact.id).history)
