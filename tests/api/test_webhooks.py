"""Inbound SMS webhooks: Twilio's signed form, checked with Twilio's own validator, and a generic
HMAC-SHA256 JSON format. A valid STOP opts out within the one request; a forged one changes nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.parse

from twilio.request_validator import RequestValidator

from api.server import ApiConfig, start_in_thread
from store import Store
from store.access.webhook_secrets import set_secret

from .conftest import Client, assert_error

AUTH_TOKEN = "12345678901234567890123456789012"
GENERIC_SECRET = "generic-secret-42"


def twilio_form(frm: str, body: str) -> dict[str, str]:
    return {"MessageSid": "SM" + "0" * 32, "AccountSid": "AC" + "1" * 32, "From": frm, "To": "+14155550000", "Body": body, "NumMedia": "0"}


def post_twilio(client: Client, params: dict[str, str], *, signature: str | None = None, url: str | None = None):
    url = url or client.base + "/webhooks/twilio"
    if signature is None:
        signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature:
        headers["X-Twilio-Signature"] = signature
    return client.post("/webhooks/twilio", raw=urllib.parse.urlencode(params).encode(), headers=headers, token=None)


def test_a_signed_twilio_stop_opts_the_contact_out_within_the_request(served):
    client, store = served
    set_secret(store, "twilio", AUTH_TOKEN)
    ann = store.add_contact("Ann Lee", "+14155550132")
    reply = post_twilio(client, twilio_form("+14155550132", "STOP"))
    assert reply.status == 200, reply.body
    assert reply.headers["Content-Type"].startswith("text/xml")
    assert reply.text.startswith("<?xml") and "<Response" in reply.text
    now = Store.open(store.path, user="alice").get(ann.id)
    assert now.opted_out and now.consent == "declined"
    assert {entry["via"] for entry in now.history} == {"Twilio webhook"}
    # The validator itself agrees with what was sent (the test is not checking us against ourselves only).
    params = twilio_form("+14155550132", "STOP")
    url = client.base + "/webhooks/twilio"
    assert RequestValidator(AUTH_TOKEN).validate(url, params, RequestValidator(AUTH_TOKEN).compute_signature(url, params))


def test_a_signed_start_opts_back_in_and_a_stop_from_an_unknown_number_is_remembered(served):
    client, store = served
    set_secret(store, "twilio", AUTH_TOKEN)
    ann = store.add_contact("Ann Lee", "+14155550132", opted_out=True)
    assert post_twilio(client, twilio_form("+14155550132", "START")).status == 200
    assert post_twilio(client, twilio_form("+14155550177", "stop")).status == 200
    now = Store.open(store.path, user="alice")
    assert not now.get(ann.id).opted_out
    assert now.is_suppressed("+14155550177")


def test_help_gets_twiml_and_changes_nothing(served, unchanged):
    client, store = served
    set_secret(store, "twilio", AUTH_TOKEN)
    store.add_contact("Ann Lee", "+14155550132")
    with unchanged():
        reply = post_twilio(client, twilio_form("+14155550132", "HELP"))
    assert reply.status == 200 and "<Response" in reply.text


def test_a_forged_or_unsigned_twilio_request_gets_403_and_changes_nothing(served, unchanged):
    client, store = served
    set_secret(store, "twilio", AUTH_TOKEN)
    ann = store.add_contact("Ann Lee", "+14155550132")
    forged = RequestValidator("not-the-token").compute_signature(client.base + "/webhooks/twilio", twilio_form("+14155550132", "STOP"))
    with unchanged():
        assert_error(post_twilio(client, twilio_form("+14155550132", "STOP"), signature=forged), 403)
        assert_error(post_twilio(client, twilio_form("+14155550132", "STOP"), signature=""), 403)
        # Signed for another body: Body changed after signing.
        good = RequestValidator(AUTH_TOKEN).compute_signature(client.base + "/webhooks/twilio", twilio_form("+14155550132", "HELP"))
        assert_error(post_twilio(client, twilio_form("+14155550132", "STOP"), signature=good), 403)
    assert not Store.open(store.path, user="alice").get(ann.id).opted_out


def test_without_an_auth_token_set_every_twilio_request_is_refused(served, unchanged):
    client, store = served
    store.add_contact("Ann Lee", "+14155550132")
    with unchanged():
        data = assert_error(post_twilio(client, twilio_form("+14155550132", "STOP")), 403)
    assert "webhook-secret twilio" in data["error"]


def test_the_public_url_is_the_one_signed(db_path, store: Store, unchanged):
    set_secret(store, "twilio", AUTH_TOKEN)
    ann = store.add_contact("Ann Lee", "+14155550132")
    public = "https://sms.example.com/contacts"
    running = start_in_thread(ApiConfig(db_path=db_path, host="127.0.0.1", port=0, public_url=public))
    try:
        client = Client(running.url, None)
        with unchanged():  # signed for the local address: not what Twilio signs behind the proxy
            assert_error(post_twilio(client, twilio_form("+14155550132", "STOP")), 403)
        reply = post_twilio(client, twilio_form("+14155550132", "STOP"), url=public + "/webhooks/twilio")
        assert reply.status == 200, reply.body
    finally:
        running.stop()
    assert Store.open(db_path, user="alice").get(ann.id).opted_out


def generic_post(client: Client, payload: dict, secret: str = GENERIC_SECRET, header: str | None = None):
    body = json.dumps(payload).encode()
    sig = header if header is not None else "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post("/webhooks/generic", raw=body, headers={"Content-Type": "application/json", "X-Signature": sig}, token=None)


def test_the_generic_webhook_applies_a_signed_stop_and_refuses_a_forged_one(served, unchanged):
    client, store = served
    set_secret(store, "generic", GENERIC_SECRET)
    ann = store.add_contact("Ann Lee", "+14155550132")
    with unchanged():
        assert_error(generic_post(client, {"from": "+14155550132", "text": "STOP"}, secret="wrong"), 403)
        assert_error(generic_post(client, {"from": "+14155550132", "text": "STOP"}, header=""), 403)
        assert_error(generic_post(client, {"from": "+14155550132", "text": "STOP"}, header="sha256=zz"), 403)
    reply = generic_post(client, {"from": "(415) 555-0132", "text": "stop"})
    assert reply.status == 200, reply.body
    assert reply.json["kind"] == "opt_out"
    now = Store.open(store.path, user="alice").get(ann.id)
    assert now.opted_out and now.history[-1]["via"] == "generic webhook"


def test_a_signed_generic_request_with_bad_fields_gets_400(served, unchanged):
    client, store = served
    set_secret(store, "generic", GENERIC_SECRET)
    with unchanged():
        assert_error(generic_post(client, {"from": "12", "text": "STOP"}), 400, "from")
        assert_error(generic_post(client, {"from": "+14155550132"}), 400, "text")
