"""The contact as read from the file (store.model): stored values as they are, the documented
defaults for fields a hand-written file leaves out, and times in UTC whatever the local zone."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

from store import Store
from store.model import SCHEMA_VERSION, now_iso


def test_a_contact_reads_its_stored_times(store, db_path):
    ann = store.add_contact("Ann", "+14155550132")
    stored = json.loads(db_path.read_bytes())["contacts"][str(ann.id)]
    assert (ann.created_at, ann.updated_at) == (stored["created_at"], stored["updated_at"]) != ("", "")


def test_a_hand_written_contact_with_only_name_and_phone_gets_the_defaults(store, db_path):
    data = json.loads(db_path.read_bytes())
    data["contacts"] = {"1": {"name": "Ann", "phone": "+14155550132"}}
    db_path.write_text(json.dumps(data))
    ann = Store.open(db_path, user="alice").get(1)
    assert (ann.email, ann.opted_out, ann.consent, ann.consent_changed_at) == (None, False, "not_sent", None)
    assert (ann.lists, ann.created_at, ann.updated_at, ann.history, ann.review) == ((), "", "", (), ())


def test_times_are_stamped_in_utc_whatever_the_local_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Kolkata")  # UTC+5:30: a local time would be far off
    time.tzset()
    try:
        stamped = datetime.strptime(now_iso(), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert abs(stamped - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_a_new_file_holds_empty_tables_region_us_its_creator_as_admin_and_its_schema_version(store, db_path):
    assert json.loads(db_path.read_bytes()) == {
        "contacts": {}, "lists": {}, "policies": {}, "suppression": {}, "imports": {},
        "settings": {"1": {"default_region": "US"}},
        "users": {"1": {"login": "alice", "role": "admin"}},
        "_meta": {"1": {"schema_version": SCHEMA_VERSION, "next_ids": {"users": 2}}},
    }
    store.set_role("bob", "agent")  # the next user is number 2
    assert json.loads(db_path.read_bytes())["users"]["2"] == {"login": "bob", "role": "agent"}


def test_a_new_contact_is_stored_with_every_field_and_not_opted_out(store, db_path):
    ann = store.add_contact("Ann", "+14155550132", "ann@example.com")
    stored = json.loads(db_path.read_bytes())["contacts"][str(ann.id)]
    assert stored == {
        "name": "Ann", "phone": "+14155550132", "email": "ann@example.com", "opted_out": False,
        "consent": "not_sent", "consent_changed_at": None, "lists": [], "history": [], "review": [],
        "created_at": ann.created_at, "updated_at": ann.created_at,
    }
    assert not ann.opted_out and ann.consent == "not_sent"


def test_a_contact_reads_every_stored_field(store, db_path):
    vip = store.add_list("VIP")
    data = json.loads(db_path.read_bytes())
    entry = {"at": "2030-01-02T03:04:05Z", "field": "opted_out", "from": False, "to": True,
             "source": "manual", "by": "alice", "detail": "opted out by hand by alice"}
    item = {"at": "2030-01-02T03:04:06Z", "text": "who is this?"}
    data["contacts"] = {"7": {
        "name": "Ann Lee", "phone": "+14155550132", "email": "ann@example.com", "opted_out": True,
        "consent": "confirmed", "consent_changed_at": "2030-01-01T00:00:00Z", "lists": [vip.id],
        "history": [entry], "review": [item], "created_at": "2029-12-31T00:00:00Z", "updated_at": "2030-01-02T03:04:06Z",
    }}
    db_path.write_text(json.dumps(data))
    ann = Store.open(db_path, user="alice").get(7)
    assert (ann.id, ann.name, ann.phone, ann.email) == (7, "Ann Lee", "+14155550132", "ann@example.com")
    assert (ann.opted_out, ann.consent, ann.consent_changed_at, ann.lists) == (True, "confirmed", "2030-01-01T00:00:00Z", (vip.id,))
    assert (ann.created_at, ann.updated_at) == ("2029-12-31T00:00:00Z", "2030-01-02T03:04:06Z")
    assert (ann.history, ann.review) == ((entry,), (item,))
