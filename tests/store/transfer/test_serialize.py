"""The JSON shape of a contact (store.transfer.serialize): the command line's and the API's
interface, so its keys are a promise to scripts."""

from __future__ import annotations

from store.consent.replies import record_reply
from store.transfer.serialize import contact_to_json


def test_a_contact_as_json_has_exactly_the_documented_keys(ticking_store):
    store = ticking_store
    vip = store.add_list("VIP")
    ann = store.add_contact("Ann Lee", "(415) 555-0132", "ann@example.com")
    ann = store.set_memberships(ann.id, [vip.id])
    assert contact_to_json(store, ann) == {
        "id": ann.id,
        "name": "Ann Lee",
        "phone": "+14155550132",
        "email": "ann@example.com",
        "opted_out": False,
        "consent": "not_sent",
        "lists": ["VIP"],
        "created_at": ann.created_at,
        "updated_at": ann.updated_at,
    }
    assert ann.created_at < ann.updated_at  # two changes, two times: the keys are not swapped


def test_detail_adds_consent_time_history_and_review(ticking_store):
    store = ticking_store
    ann = store.add_contact("Ann Lee", "(415) 555-0132")
    record_reply(store, ann.phone, "please stop")
    ann = store.get(ann.id)
    out = contact_to_json(store, ann, detail=True)
    assert set(out) - set(contact_to_json(store, ann)) == {"consent_changed_at", "history", "review"}
    assert out["review"] == [dict(item) for item in ann.review] and out["review"][0]["text"] == "please stop"
    assert out["history"] == [dict(entry) for entry in ann.history]
    assert out["consent_changed_at"] == ann.consent_changed_at


def test_list_names_can_be_given_once_for_many_contacts(store):
    vip, old = store.add_list("VIP"), store.add_list("Old")
    ann = store.add_contact("Ann", "+14155550132")
    ann = store.set_memberships(ann.id, [vip.id, old.id])
    assert contact_to_json(store, ann, names={vip.id: "VIP"})["lists"] == ["VIP"]  # a list gone meanwhile is left out
    assert contact_to_json(store, ann)["lists"] == ["VIP", "Old"]


def test_detail_shows_an_opt_out_with_its_time_and_history_entry(ticking_store):
    store = ticking_store
    ann = store.add_contact("Ann Lee", "(415) 555-0132")
    record_reply(store, ann.phone, "STOP")
    ann = store.get(ann.id)
    out = contact_to_json(store, ann, detail=True)
    assert out["opted_out"] is True
    assert out["consent_changed_at"] is not None and out["consent_changed_at"] == ann.consent_changed_at
    assert out["history"] and out["history"] == [dict(entry) for entry in ann.history]
    assert {"field": "opted_out", "from": False, "to": True}.items() <= out["history"][0].items()
