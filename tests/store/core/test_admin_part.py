"""Settings, users and policies in the store (store.core.admin): settings read with defaults,
a region change that keeps the other settings, policies in a fixed order, and the only admin."""

from __future__ import annotations

import json

from store import Store
from store.consent.keyword_settings import add_keyword


def test_a_setting_not_in_the_file_gives_the_default(store, db_path):
    assert store.setting("no such setting") is None
    assert store.setting("no such setting", 5) == 5
    data = json.loads(db_path.read_bytes())
    data["settings"] = {}
    db_path.write_text(json.dumps(data))
    bare = Store.open(db_path, user="alice")
    assert bare.setting("keywords", "none") == "none"
    assert bare.default_region == "US"
    assert bare.set_default_region("GB") == "GB"
    assert Store.open(db_path, user="alice").default_region == "GB"


def test_changing_the_region_keeps_the_other_settings(store):
    add_keyword(store, "opt_out", "HALTE")
    keywords = store.setting("keywords")
    assert keywords
    store.set_default_region("GB")
    assert store.default_region == "GB"
    assert store.setting("keywords") == keywords
    assert Store.open(store.path, user="alice").reply_keywords().matched_keyword("halte") == "HALTE"


def test_policies_are_listed_by_subject_then_action(store):
    store.set_policy("user:zed", "delete", False)
    store.set_policy("agent", "delete-all", False)
    store.set_policy("agent", "delete", True)
    store.set_policy("supervisor", "delete", False)
    assert [(p["subject"], p["action"]) for p in store.policies()] == [
        ("role:agent", "delete"), ("role:agent", "delete-all"), ("role:supervisor", "delete"), ("user:zed", "delete"),
    ]


def test_the_only_admin_may_be_made_admin_again(store):
    store.set_role("alice", "admin")
    assert [(u["login"], u["role"]) for u in store.users()] == [("alice", "admin")]
