"""Every change of opted_out or consent is in the contact's history, whatever the path."""

from __future__ import annotations

from tui.cli import main
from store import Store
from store.consent.replies import mark_consent_sent, record_reply, resolve_review

from .conftest import ANN_PHONE

KEYS = {"at", "field", "from", "to", "source", "by", "detail"}


def only_entry(contact, field):
    entries = [e for e in contact.history if e["field"] == field]
    assert len(entries) == 1, contact.history
    assert set(entries[0]) == KEYS
    return entries[0]


def test_manual_opt_out(store, ann):
    entry = only_entry(store.opt_out(ann.id), "opted_out")
    assert (entry["from"], entry["to"], entry["source"], entry["by"]) == (False, True, "manual", "alice")
    assert entry["detail"] == "opted out by hand by alice"


def test_added_opted_out_by_hand(store):
    contact = store.add_contact("Cy", "3125550101", opted_out=True)
    entry = only_entry(contact, "opted_out")
    assert (entry["to"], entry["source"], entry["by"]) == (True, "manual", "alice")
    assert entry["detail"] == "opted out by hand by alice"


def test_opt_out_reply_records_both_fields_with_the_reply_text(store, ann):
    record_reply(store, ANN_PHONE, "  Stop!  ")
    contact = store.get(ann.id)
    out, consent = only_entry(contact, "opted_out"), only_entry(contact, "consent")
    assert (out["from"], out["to"], out["source"], out["detail"]) == (False, True, "reply", "Stop!")
    assert (consent["from"], consent["to"], consent["source"], consent["detail"]) == ("not_sent", "declined", "reply", "Stop!")
    assert out["at"] == consent["at"] == contact.consent_changed_at == contact.updated_at
    assert out["by"] == consent["by"] == "alice"


def test_opt_in_reply(store, ann):
    store.opt_out(ann.id)
    record_reply(store, ANN_PHONE, "unstop")
    contact = store.get(ann.id)
    lifted = contact.history[-2]
    assert (lifted["field"], lifted["from"], lifted["to"], lifted["source"], lifted["detail"]) == (
        "opted_out", True, False, "reply", "unstop",
    )
    assert contact.history[-1]["field"] == "consent" and contact.history[-1]["to"] == "confirmed"


def test_mark_sent_is_a_manual_change(store, ann):
    entry = only_entry(mark_consent_sent(store, ann.id), "consent")
    assert (entry["from"], entry["to"], entry["source"], entry["by"]) == ("not_sent", "sent", "manual", "alice")


def test_suppression_paths(store, ann):
    store.opt_out(ann.id)
    store.delete_contact(ann.id)
    again = store.add_contact("Ann Again", ANN_PHONE)
    entry = only_entry(again, "opted_out")
    assert (entry["from"], entry["to"], entry["source"], entry["by"]) == (False, True, "suppression", "alice")
    moved = store.add_contact("Dee", "3125550102")
    store.delete_contact(again.id)
    entry = only_entry(store.update_contact(moved.id, phone=ANN_PHONE), "opted_out")
    assert entry["source"] == "suppression"


def test_review_resolution_is_manual_with_the_reviewer(store, ann):
    record_reply(store, ANN_PHONE, "please stop texting me")
    reviewer = Store.open(store.path, user="bob")
    contact = resolve_review(reviewer, ann.id, opt_out=True)
    out, consent = only_entry(contact, "opted_out"), only_entry(contact, "consent")
    assert out["source"] == consent["source"] == "manual"
    assert out["by"] == "bob" and "please stop texting me" in out["detail"]


def test_history_is_in_show_json(store, ann, capsys):
    import json

    record_reply(store, ANN_PHONE, "STOP")
    assert main(["--db", str(store.path), "show", ANN_PHONE, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(e["field"], e["source"]) for e in shown["history"]] == [("opted_out", "reply"), ("consent", "reply")]
    assert shown["consent"] == "declined" and shown["consent_changed_at"]
