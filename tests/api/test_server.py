"""``contacts api`` over real HTTP: tokens, every endpoint, every error as JSON."""

from __future__ import annotations

import urllib.parse

from api.server import ApiConfig, start_in_thread
from store import Store
from store.access.api_tokens import create_token, revoke_token
from store.transfer.serialize import contact_to_json

from .conftest import Client, assert_error


def fresh(store: Store) -> Store:
    return Store.open(store.path, user="alice")


# -- tokens ------------------------------------------------------------------------------------------


def test_a_request_without_a_token_gets_401(served):
    client, _ = served
    assert_error(client.get("/contacts", token=None), 401, "Authorization")
    assert_error(client.get("/contacts", headers={"Authorization": "Basic abc"}, token=None), 401, "Authorization")


def test_a_wrong_or_revoked_token_gets_401(served):
    client, store = served
    assert_error(client.get("/contacts", token="sc_wrong"), 401, "Authorization")
    other = create_token(store, "other")
    assert client.get("/contacts", token=other).status == 200
    revoke_token(store, "other")
    assert_error(client.get("/contacts", token=other), 401, "Authorization")


def test_a_token_acts_as_its_maker_with_the_makers_permissions(served, unchanged):
    client, store = served
    ann = store.add_contact("Ann Lee", "+14155550132")
    store.set_policy("alice", "delete", False)
    with unchanged():
        data = assert_error(client.request("DELETE", f"/contacts/{ann.id}"), 403)
    assert "alice" in data["error"]


# -- lookups -----------------------------------------------------------------------------------------


def test_lookup_by_phone_in_any_format_by_email_and_by_id(served):
    client, store = served
    ann = store.add_contact("Ann Lee", "+14155550132", "ann@example.com")
    expected = contact_to_json(store, ann, detail=True)
    for path in (
        "/contacts/phone/" + urllib.parse.quote("(415) 555-0132"),
        "/contacts/phone/+14155550132",
        "/contacts/phone/4155550132",
        "/contacts/email/ANN@example.com",
        f"/contacts/{ann.id}",
    ):
        reply = client.get(path)
        assert reply.status == 200, (path, reply.body)
        assert reply.json == expected


def test_lookups_that_find_nothing_get_404(served):
    client, store = served
    store.add_contact("Ann Lee", "+14155550132")
    assert_error(client.get("/contacts/phone/4155550199"), 404)
    assert_error(client.get("/contacts/email/nobody@example.com"), 404)
    assert_error(client.get("/contacts/999"), 404)
    assert_error(client.get("/contacts/phone/not-a-phone"), 404)
    assert_error(client.get("/nowhere"), 404)


def test_list_with_list_sendable_and_paging(served):
    client, store = served
    store.add_list("VIP")
    names = [f"Person {i:02}" for i in range(7)]
    for i, name in enumerate(names):
        store.add_contact(name, f"+1415555{i:04}", lists=["VIP"] if i % 2 else [], opted_out=i == 1)
    everyone = client.get("/contacts").json
    assert everyone["total"] == 7 and [c["name"] for c in everyone["contacts"]] == names
    assert everyone["contacts"][0] == contact_to_json(store, fresh(store).get(everyone["contacts"][0]["id"]))
    vip = client.get("/contacts?list=VIP").json
    assert [c["name"] for c in vip["contacts"]] == names[1::2]
    sendable_vip = client.get("/contacts?list=vip&sendable=true").json
    assert [c["name"] for c in sendable_vip["contacts"]] == [names[3], names[5]]
    page = client.get("/contacts?offset=2&limit=3").json
    assert [c["name"] for c in page["contacts"]] == names[2:5]
    assert (page["total"], page["offset"], page["limit"]) == (7, 2, 3)


def test_bad_list_parameters_get_400_naming_the_parameter(served):
    client, _ = served
    assert_error(client.get("/contacts?limit=abc"), 400, "limit")
    assert_error(client.get("/contacts?limit=0"), 400, "limit")
    assert_error(client.get("/contacts?offset=-1"), 400, "offset")
    assert_error(client.get("/contacts?sendable=maybe"), 400, "sendable")
    assert_error(client.get("/contacts?consent=sometimes"), 400, "consent")
    assert_error(client.get("/contacts?list=Nope"), 404, "list")


# -- changes -----------------------------------------------------------------------------------------


def test_create_returns_201_and_the_contact(served):
    client, store = served
    reply = client.post("/contacts", {"name": "Ann Lee", "phone": "(415) 555-0132", "email": "ann@example.com"})
    assert reply.status == 201, reply.body
    created = fresh(store).find("+14155550132")
    assert reply.json == contact_to_json(store, created, detail=True)


def test_create_with_bad_fields_gets_400_naming_the_field_and_changes_nothing(served, unchanged):
    client, store = served
    store.add_contact("Ann Lee", "+14155550132")
    with unchanged():
        assert_error(client.post("/contacts", {"name": "Bo", "phone": "12"}), 400, "phone")
        assert_error(client.post("/contacts", {"name": "Bo", "phone": "4155550132"}), 400, "phone")
        assert_error(client.post("/contacts", {"phone": "4155550133"}), 400, "name")
        assert_error(client.post("/contacts", {"name": "Bo", "phone": "4155550133", "colour": "red"}), 400, "colour")
        assert_error(client.post("/contacts", {"name": 5, "phone": "4155550133"}), 400, "name")
        assert_error(client.post("/contacts", raw=b"{not json", headers={"Content-Type": "application/json"}), 400)
        assert_error(client.post("/contacts", [1, 2]), 400)


def test_update_writes_only_the_fields_sent_against_what_the_caller_saw(served):
    client, store = served
    ann = store.add_contact("Ann Lee", "+14155550132", "ann@example.com")
    store.update_contact(ann.id, email="ann@other.example")  # someone else, meanwhile
    reply = client.request(
        "PATCH", f"/contacts/{ann.id}", {"changes": {"name": "Ann Lee-Smith"}, "base": {"name": "Ann Lee"}}
    )
    assert reply.status == 200, reply.body
    now = fresh(store).get(ann.id)
    assert (now.name, now.email) == ("Ann Lee-Smith", "ann@other.example")
    assert reply.json == contact_to_json(store, now, detail=True)


def test_a_stale_update_gets_409_and_changes_nothing(served, unchanged):
    client, store = served
    ann = store.add_contact("Ann Lee", "+14155550132")
    store.update_contact(ann.id, name="Ann Smith")  # someone else changed the name
    with unchanged():
        data = assert_error(
            client.request("PATCH", f"/contacts/{ann.id}", {"changes": {"name": "Ann Jones"}, "base": {"name": "Ann Lee"}}),
            409, "name",
        )
    assert data["theirs"] == {"name": "Ann Smith"}


def test_an_update_needs_the_value_last_seen_of_each_field(served, unchanged):
    client, store = served
    ann = store.add_contact("Ann Lee", "+14155550132")
    with unchanged():
        assert_error(client.request("PATCH", f"/contacts/{ann.id}", {"changes": {"name": "X"}}), 400, "base.name")
        assert_error(client.request("PATCH", f"/contacts/{ann.id}", {"changes": {"consent": "confirmed"}, "base": {"consent": "not_sent"}}), 400, "consent")
        assert_error(client.request("PATCH", f"/contacts/{ann.id}", {"changes": {}, "base": {}}), 400, "changes")


def test_an_update_can_not_opt_a_contact_back_in(served, unchanged):
    client, store = served
    ann = store.add_contact("Ann Lee", "+14155550132", opted_out=True)
    with unchanged():
        assert_error(
            client.request("PATCH", f"/contacts/{ann.id}", {"changes": {"opted_out": False}, "base": {"opted_out": True}}),
            400, "opted_out",
        )


def test_update_of_lists_by_name_and_of_a_deleted_contact(served):
    client, store = served
    store.add_list("VIP")
    ann = store.add_contact("Ann Lee", "+14155550132")
    reply = client.request("PATCH", f"/contacts/{ann.id}", {"changes": {"lists": ["VIP"]}, "base": {"lists": []}})
    assert reply.status == 200 and reply.json["lists"] == ["VIP"]
    store.delete_contact(ann.id)
    assert_error(client.request("PATCH", f"/contacts/{ann.id}", {"changes": {"name": "X"}, "base": {"name": "Ann Lee"}}), 404)


def test_delete_returns_the_deleted_contact(served):
    client, store = served
    ann = store.add_contact("Ann Lee", "+14155550132")
    reply = client.request("DELETE", f"/contacts/{ann.id}")
    assert reply.status == 200 and reply.json["deleted"]["phone"] == "+14155550132"
    assert fresh(store).count() == 0
    assert_error(client.request("DELETE", f"/contacts/{ann.id}"), 404)


def test_record_a_reply_applies_the_consent_rules_and_names_the_token(served):
    client, store = served
    ann = store.add_contact("Ann Lee", "+14155550132")
    reply = client.post("/replies", {"phone": "415-555-0132", "text": "Stop!"})
    assert reply.status == 200, reply.body
    assert reply.json["kind"] == "opt_out" and reply.json["opted_out_changed"] is True
    now = fresh(store).get(ann.id)
    assert now.opted_out and now.history[-1]["via"] == "API token tests"
    assert_error(client.post("/replies", {"phone": "12", "text": "STOP"}), 400, "phone")
    assert_error(client.post("/replies", {"phone": "4155550132"}), 400, "text")


def test_a_wrong_method_gets_405_as_json(served):
    client, _ = served
    assert_error(client.request("PUT", "/contacts"), 405)


# -- limits ------------------------------------------------------------------------------------------


def test_a_huge_body_gets_413_and_changes_nothing(served, unchanged):
    client, _ = served
    huge = b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'", "phone": "4155550132"}'
    with unchanged():
        assert_error(client.post("/contacts", raw=huge, headers={"Content-Type": "application/json"}), 413)


def test_past_the_rate_limit_a_token_gets_429(db_path, store):
    token = create_token(store, "busy")
    running = start_in_thread(ApiConfig(db_path=db_path, host="127.0.0.1", port=0, rate=0.001, burst=3))
    try:
        client = Client(running.url, token)
        statuses = [client.get("/contacts").status for _ in range(4)]
        assert statuses[:3] == [200, 200, 200]
        reply = client.get("/contacts")
        data = assert_error(reply, 429)
        assert "limit" in data["error"] and int(reply.headers["Retry-After"]) >= 1
        other = create_token(store, "other")  # per token: another one is still served
        assert Client(running.url, other).get("/contacts").status == 200
    finally:
        running.stop()
