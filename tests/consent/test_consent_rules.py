"""Consent rules that mutation testing found unguarded; each test names the rule it pins.

Equivalent mutants of store/consent.py are listed in tests/mutation_equivalents.md.
"""

from __future__ import annotations

import json

import pytest

from store import Store
from store.consent.replies import ConsentRefused, mark_consent_sent, pending_reviews, record_reply, resolve_review

from .conftest import ANN_PHONE, BOB_PHONE


def test_a_number_started_again_is_no_longer_suppressed_in_the_same_process(store):
    record_reply(store, BOB_PHONE, "STOP")  # no contact: the number is suppressed
    assert store.is_suppressed(BOB_PHONE)
    assert record_reply(store, BOB_PHONE, "START").suppression_changed
    assert not store.is_suppressed(BOB_PHONE)
    assert store.add_contact("Bob", BOB_PHONE).opted_out is False


def test_a_contacts_start_lifts_the_suppression_in_the_same_process(store):
    record_reply(store, BOB_PHONE, "STOP")
    bob = store.add_contact("Bob", BOB_PHONE)  # created opted out
    assert bob.opted_out and store.is_suppressed(BOB_PHONE)
    record_reply(store, BOB_PHONE, "UNSTOP")
    assert not store.is_suppressed(BOB_PHONE) and not store.get(bob.id).opted_out


def test_an_item_already_resolved_keeps_its_resolution_when_later_ones_are_resolved(store, ann):
    record_reply(store, ANN_PHONE, "please stop texting me")
    resolve_review(store, ann.id, opt_out=False)
    first = store.get(ann.id).review[0]
    record_reply(store, ANN_PHONE, "remove me")
    record_reply(store, ANN_PHONE, "STOP")  # resolves what is pending, and only that
    review = store.get(ann.id).review
    assert review[0] == first and first["resolution"] == "dismissed"
    assert review[1]["resolution"] == "opted_out by reply" and review[1]["resolved_at"] != first["resolved_at"]


def test_a_manual_opt_out_quotes_every_pending_reply_in_its_history(store, ann):
    record_reply(store, ANN_PHONE, "stop it")
    record_reply(store, ANN_PHONE, "remove me")
    contact = resolve_review(store, ann.id, opt_out=True)
    details = {entry["field"]: entry["detail"] for entry in contact.history}
    assert details == {
        "opted_out": "reply 'stop it', 'remove me' judged a revocation by alice",
        "consent": "reply 'stop it', 'remove me' judged a revocation by alice",
    }
    assert contact.updated_at == contact.review[-1]["resolved_at"] == contact.history[-1]["at"]


def test_marking_sent_stamps_the_contact_as_updated(store, ann):
    contact = mark_consent_sent(store, ann.id)
    assert contact.updated_at == contact.consent_changed_at != ann.updated_at


@pytest.mark.parametrize("reply, label", [("YES", "Confirmed"), ("STOP", "Declined")])
def test_marking_sent_after_a_reply_says_who_and_why(store, ann, reply, label):
    record_reply(store, ANN_PHONE, reply)
    with pytest.raises(ConsentRefused) as err:
        mark_consent_sent(store, ann.id)
    assert str(err.value) == (
        f"Ann Lee already replied (consent {label}); marking the consent message sent would undo their reply"
    )


# -- files written by hand or by older versions: optional fields left out ------------------------


def _strip(db_path, contact_id: int, *fields: str) -> None:
    data = json.loads(db_path.read_bytes())
    for field in fields:
        data["contacts"][str(contact_id)].pop(field, None)
    db_path.write_bytes(json.dumps(data).encode())


def test_a_contact_without_a_consent_field_counts_as_not_sent(store, ann, db_path):
    _strip(db_path, ann.id, "consent", "history", "review")
    store = Store.open(db_path, user="alice", clock=store.clock)
    contact = mark_consent_sent(store, ann.id)
    assert [(e["field"], e["from"], e["to"]) for e in contact.history] == [("consent", "not_sent", "sent")]
    _strip(db_path, ann.id, "consent", "history", "review")
    store = Store.open(db_path, user="alice", clock=store.clock)
    record_reply(store, ANN_PHONE, "STOP")
    assert [(e["field"], e["from"], e["to"]) for e in store.get(ann.id).history] == [
        ("opted_out", False, True),
        ("consent", "not_sent", "declined"),
    ]


def test_a_review_item_without_by_is_listed_with_an_empty_by(store, ann, db_path):
    record_reply(store, ANN_PHONE, "please stop")
    data = json.loads(db_path.read_bytes())
    del data["contacts"][str(ann.id)]["review"][0]["by"]
    db_path.write_bytes(json.dumps(data).encode())
    store = Store.open(db_path, user="alice")
    [item] = pending_reviews(store)
    assert (item.text, item.by) == ("please stop", "")


def test_resolving_a_contact_without_a_review_field_says_there_is_nothing(store, ann, db_path):
    _strip(db_path, ann.id, "review")
    store = Store.open(db_path, user="alice")
    with pytest.raises(Exception, match=r"^Ann Lee \(\+14155550132\) has no reply waiting for review$"):
        resolve_review(store, ann.id, opt_out=True)


def test_a_repeated_stop_leaves_a_file_without_a_review_field_alone(store, ann, db_path, unchanged):
    record_reply(store, ANN_PHONE, "STOP")
    _strip(db_path, ann.id, "review")
    store = Store.open(db_path, user="alice", clock=store.clock)
    with unchanged():
        assert not record_reply(store, ANN_PHONE, "STOP").changed


# -- what each reply says and returns ---------------------------------------------------------------

UNKNOWN = f"{BOB_PHONE} (no contact) replied"


def test_each_reply_from_an_unknown_number_says_what_happened(store):
    said = []
    for text in ("STOP", "STOP", "START", "START", "HELP", "please stop", "hello", "YES"):
        result = record_reply(store, "(212) 555-0100", text)
        assert (result.contact_id, result.phone, result.opted_out_changed, result.consent_changed) == (None, BOB_PHONE, False, False)
        said.append((result.kind.name, result.suppression_changed, result.message))
    assert said == [
        ("OPT_OUT", True, f"Opted out: {UNKNOWN} 'STOP'; the number is now suppressed (adding it creates the contact opted out)."),
        ("OPT_OUT", False, f"No change: {UNKNOWN} 'STOP'; the number is already suppressed."),
        ("OPT_IN", True, f"Opted in: {UNKNOWN} 'START'; the number is no longer suppressed."),
        ("OPT_IN", False, f"No change: {UNKNOWN} 'START'; the number was not suppressed."),
        ("HELP", False, f"Help reply due: {UNKNOWN} 'HELP'. Nothing was changed."),
        ("POSSIBLE_REVOCATION", False, f"No change: {UNKNOWN} 'please stop'; nothing is recorded for unknown numbers. "
                                       "It may be a revocation: if so, record STOP for this number."),
        ("OTHER", False, f"No change: {UNKNOWN} 'hello'; nothing is recorded for unknown numbers."),
        ("OPT_IN", False, f"No change: {UNKNOWN} 'YES'; nothing is recorded for unknown numbers."),
    ]


ANN = f"Ann Lee ({ANN_PHONE}) replied"


def test_each_reply_from_a_contact_says_what_happened(store, ann):
    said = []
    for text in ("hello", "HELP", "START", "START", "please stop", "STOP", "STOP", "remove me", "YES", "UNSTOP", "YES"):
        result = record_reply(store, ann.id, text)
        assert result.contact_id == ann.id and result.phone == ANN_PHONE
        flags = (result.opted_out_changed, result.consent_changed, result.suppression_changed, result.flagged_for_review)
        assert all(flag is True or flag is False for flag in flags)
        said.append((flags, result.message))
    assert said == [
        ((False, False, False, False), f"No change: {ANN} 'hello'; not a consent keyword."),
        ((False, False, False, False), f"Help reply due: {ANN} 'HELP'. Nothing was changed."),
        ((False, True, False, False), f"Consent confirmed: {ANN} 'START'; consent is now Confirmed."),
        ((False, False, False, False), f"No change: {ANN} 'START'; already opted in (consent Confirmed)."),
        ((False, False, False, True), f"Flagged for review: {ANN} 'please stop'; it may revoke consent, so a person must "
                                      "decide (opt them out or dismiss)."),
        ((True, True, False, False), f"Opted out: {ANN} 'STOP'; consent is now Declined."),
        ((False, False, False, False), f"No change: {ANN} 'STOP'; already opted out (consent Declined)."),
        ((False, False, False, False), f"No change: {ANN} 'remove me'; they are already opted out, so there is nothing to review."),
        ((False, False, False, False), f"No change: {ANN} 'YES'; they are opted out and only START, UNSTOP, OPTIN or "
                                       "SUBSCRIBE opts them back in."),
        ((True, True, False, False), f"Opted in: {ANN} 'UNSTOP'; no longer opted out, consent Confirmed."),
        ((False, False, False, False), f"No change: {ANN} 'YES'; consent was already Confirmed."),
    ]
    assert {e["source"] for e in store.get(ann.id).history} == {"reply"}


def test_yes_confirms_consent_with_the_reply_as_source(store, ann):
    result = record_reply(store, ANN_PHONE, "yes")
    assert result.message == f"Consent confirmed: {ANN} 'yes'; consent is now Confirmed."
    assert [(e["field"], e["to"], e["source"]) for e in store.get(ann.id).history] == [("consent", "confirmed", "reply")]


def test_stop_from_a_contact_whose_consent_is_already_declined_still_opts_out(store, db_path):
    from store.transfer.csv_format import CsvSource
    from store.transfer.importer import import_csv

    import_csv(store, CsvSource.from_text("Full Name,Phone,Consent\nAnn Lee,4155550132,declined\n"), skip_first_line=True)
    result = record_reply(store, ANN_PHONE, "STOP")
    assert (result.opted_out_changed, result.consent_changed) == (True, False)
    assert result.message == f"Opted out: {ANN} 'STOP'; consent is now Declined."


def test_a_contact_without_a_review_field_can_be_flagged(store, ann, db_path):
    _strip(db_path, ann.id, "review")
    store = Store.open(db_path, user="alice", clock=store.clock)
    assert record_reply(store, ANN_PHONE, "please stop").flagged_for_review
    [item] = pending_reviews(store)
    assert (item.contact_id, item.text, item.by, item.at) == (ann.id, "please stop", "alice", store.get(ann.id).review[0]["at"])
    assert item.at.startswith("2030-")
