"""record_reply on known contacts: opt-out, opt-in, YES, HELP, other text; what is kept in the file."""

from __future__ import annotations

import pytest

from store import NotFound, Store, ValidationError
from store.consent.replies import MAX_REPLY_LENGTH, ReplyKind, record_reply

from .conftest import ANN_PHONE


@pytest.mark.parametrize("text", ["STOP", "stop-all", "Opt out", "UNSUBSCRIBE.", "end", "Quit!", "revoke", "cancel"])
def test_an_opt_out_reply_opts_out_and_declines(store, ann, on_disk, text):
    result = record_reply(store, "415-555-0132", text)
    assert result.kind is ReplyKind.OPT_OUT
    assert result.contact_id == ann.id
    assert (result.opted_out_changed, result.consent_changed) == (True, True)
    assert result.message.startswith("Opted out:")
    doc = on_disk(ann.id)
    assert doc["opted_out"] is True
    assert doc["consent"] == "declined"
    assert doc["consent_changed_at"] == doc["updated_at"]
    reopened = Store.open(store.path, user="bob").get(ann.id)
    assert reopened.opted_out and reopened.consent == "declined"


@pytest.mark.parametrize("text", ["START", "unstop", "Opt-in", "OPTIN", "subscribe!"])
def test_an_opt_in_keyword_lifts_an_opt_out_and_confirms(store, ann, on_disk, text):
    store.opt_out(ann.id)
    result = record_reply(store, ANN_PHONE, text)
    assert result.kind is ReplyKind.OPT_IN
    assert result.opted_out_changed and result.consent_changed
    assert result.message.startswith("Opted in:")
    doc = on_disk(ann.id)
    assert (doc["opted_out"], doc["consent"]) == (False, "confirmed")


def test_yes_confirms_consent_but_does_not_lift_an_opt_out(store, ann, unchanged):
    record_reply(store, ANN_PHONE, "STOP")
    with unchanged():
        result = record_reply(store, ANN_PHONE, "Yes!")
    assert result.kind is ReplyKind.OPT_IN and not result.changed
    assert "START, UNSTOP, OPTIN or SUBSCRIBE" in result.message
    assert store.get(ann.id).opted_out and store.get(ann.id).consent == "declined"


def test_yes_confirms_consent_of_a_contact_who_is_not_opted_out(store, ann):
    result = record_reply(store, ANN_PHONE, "YES")
    assert result.consent_changed and not result.opted_out_changed
    assert store.get(ann.id).consent == "confirmed"


def test_a_reply_by_contact_id_works_like_one_by_phone(store, ann):
    result = record_reply(store, ann.id, "STOP")
    assert result.contact_id == ann.id and result.phone == ANN_PHONE
    assert store.get(ann.id).opted_out


@pytest.mark.parametrize("text, kind, start", [
    ("HELP", ReplyKind.HELP, "Help reply due:"),
    ("info", ReplyKind.HELP, "Help reply due:"),
    ("see you at 5", ReplyKind.OTHER, "No change:"),
    ("", ReplyKind.OTHER, "No change:"),
    ("STOPPED", ReplyKind.OTHER, "No change:"),
])
def test_replies_that_change_nothing_leave_the_file_alone(store, ann, unchanged, text, kind, start):
    with unchanged():
        result = record_reply(store, ANN_PHONE, text)
    assert result.kind is kind and not result.changed
    assert result.help_due is (kind is ReplyKind.HELP)
    assert result.message.startswith(start)
    assert store.get(ann.id).history == ()


def test_a_repeated_stop_changes_nothing_and_adds_no_history(store, ann, unchanged):
    record_reply(store, ANN_PHONE, "STOP")
    history = store.get(ann.id).history
    with unchanged():
        result = record_reply(store, ANN_PHONE, "stop")
    assert not result.changed and result.message.startswith("No change:")
    assert store.get(ann.id).history == history


def test_a_repeated_start_changes_nothing(store, ann, unchanged):
    record_reply(store, ANN_PHONE, "START")
    with unchanged():
        result = record_reply(store, ANN_PHONE, "START")
    assert not result.changed


def test_stop_on_a_contact_opted_out_by_hand_still_declines_consent(store, ann):
    store.opt_out(ann.id)
    result = record_reply(store, ANN_PHONE, "STOP")
    assert (result.opted_out_changed, result.consent_changed) == (False, True)
    assert store.get(ann.id).consent == "declined"


def test_an_edit_still_cannot_undo_a_stop_reply(store, ann, unchanged):
    record_reply(store, ANN_PHONE, "STOP")
    with unchanged(), pytest.raises(ValidationError, match="START, UNSTOP, OPTIN or SUBSCRIBE"):
        store.update_contact(ann.id, opted_out=False)


@pytest.mark.parametrize("phone", ["12", "not a phone", ""])
def test_an_invalid_phone_is_refused(store, ann, unchanged, phone):
    with unchanged(), pytest.raises(ValidationError):
        record_reply(store, phone, "STOP")


def test_an_unknown_contact_id_is_refused(store, unchanged):
    with unchanged(), pytest.raises(NotFound):
        record_reply(store, 99, "STOP")


def test_a_reply_that_is_too_long_or_not_text_is_refused(store, ann, unchanged):
    with unchanged():
        with pytest.raises(ValidationError, match="longer than"):
            record_reply(store, ANN_PHONE, "stop " * MAX_REPLY_LENGTH)
        with pytest.raises(ValidationError, match="must be text"):
            record_reply(store, ANN_PHONE, None)  # type: ignore[arg-type]


def test_a_reply_recorded_by_another_process_is_seen(store, ann, db_path):
    other = Store.open(db_path, user="bob")
    record_reply(other, ANN_PHONE, "STOP")
    result = record_reply(store, ANN_PHONE, "STOP")  # catches up under the lock first
    assert not result.changed
    assert store.get(ann.id).history[-1]["by"] == "bob"


def test_a_reply_of_the_maximum_length_is_recorded_and_one_more_is_refused(store, ann, unchanged):
    longest = "x" * MAX_REPLY_LENGTH
    assert record_reply(store, ANN_PHONE, f"  {longest}  ").kind is ReplyKind.OTHER  # trimmed first
    with unchanged(), pytest.raises(ValidationError) as err:
        record_reply(store, ANN_PHONE, longest + "x")
    assert err.value.errors == {"reply": f"Reply is longer than {MAX_REPLY_LENGTH} characters"}
    with pytest.raises(ValidationError) as err:
        record_reply(store, ANN_PHONE, 7)  # type: ignore[arg-type]
    assert err.value.errors == {"reply": "Reply must be text"}
