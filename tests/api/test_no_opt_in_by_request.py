"""Property: no request to the API (any endpoint, any body, signed or not) opts anyone in, except
an opt-in keyword in that number's own reply (POST /replies) or validly signed inbound webhook.

"Opted in" here means leaving the blocked state: a contact that was opted out is no longer, or a
suppressed number is no longer suppressed. The server runs once; Hypothesis sends sequences of
requests and the state of every number is compared before and after each one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.parse

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from api.server import ApiConfig, start_in_thread
from store import Store
from store.access.api_tokens import create_token
from store.consent.replies import classify_reply
from store.consent.reply_keywords import LIFTS_OPT_OUT, ReplyKind, matched_keyword
from store.rules.validation import clean_phone
from store.access.webhook_secrets import set_secret

from .conftest import Client

AUTH_TOKEN = "auth-token-for-the-property"
GENERIC = "generic-key-for-the-property"
NUMBERS = ["+14155550101", "+14155550102", "+14155550103", "+14155550104"]
FORMATS = [lambda n: n, lambda n: n[2:], lambda n: f"({n[2:5]}) {n[5:8]}-{n[8:]}", lambda n: "1-" + n[2:]]
TEXTS = [
    "START", "start", "Unstop!", "OPT IN", "optin", "SUBSCRIBE", "YES", "STOP", "stop all", "HELP",
    "please start again", "start stop", "STARTED", "", "hello",
]

phones = st.one_of(
    st.builds(lambda n, f: f(n), st.sampled_from(NUMBERS), st.sampled_from(FORMATS)),
    st.text(max_size=12),
)
texts = st.one_of(st.sampled_from(TEXTS), st.text(max_size=20))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
fields = st.fixed_dictionaries(
    {}, optional={"name": st.text(max_size=10), "phone": phones, "email": st.none(), "opted_out": st.booleans(), "lists": st.just([])}
)


def opts_in_on_own_behalf(phone: object, text: object) -> str | None:
    """The number whose own reply this is, when the text is an opt-in keyword that lifts an opt-out."""
    if not isinstance(phone, str) or not isinstance(text, str):
        return None
    try:
        number = clean_phone(phone, "US")
    except Exception:
        return None
    try:
        lifts = classify_reply(text) is ReplyKind.OPT_IN and matched_keyword(text) in LIFTS_OPT_OUT
    except Exception:
        return None
    return number if lifts else None


@st.composite
def requests(draw):
    """(method, path, body bytes, headers, the number allowed to opt in or None)."""
    kind = draw(st.sampled_from(["reply", "twilio", "twilio-forged", "generic", "generic-forged", "create", "patch", "delete", "junk"]))
    if kind == "reply":
        phone, text = draw(phones), draw(texts)
        body = draw(st.sampled_from([{"phone": phone, "text": text}, {"phone": phone, "text": text, "opted_out": False}]))
        return "POST", "/replies", json.dumps(body).encode(), {}, opts_in_on_own_behalf(phone, text) if len(body) == 2 else None
    if kind.startswith("twilio"):
        params = {"From": draw(phones), "Body": draw(texts), "To": "+14155550000"}
        return "POST", "/webhooks/twilio", params, {"forged": kind.endswith("forged")}, (
            None if kind.endswith("forged") else opts_in_on_own_behalf(params["From"], params["Body"])
        )
    if kind.startswith("generic"):
        phone, text = draw(phones), draw(texts)
        raw = json.dumps({"from": phone, "text": text}).encode()
        key = (GENERIC if kind == "generic" else "wrong").encode()
        sig = "sha256=" + hmac.new(key, raw, hashlib.sha256).hexdigest()
        return "POST", "/webhooks/generic", raw, {"X-Signature": sig}, opts_in_on_own_behalf(phone, text) if kind == "generic" else None
    cid = draw(st.integers(min_value=1, max_value=5))
    if kind == "create":
        return "POST", "/contacts", json.dumps(draw(fields)).encode(), {}, None
    if kind == "patch":
        changes = draw(st.one_of(st.just({"opted_out": False}), fields))
        base = {k: draw(st.sampled_from([v, True, False, None, "x"])) for k, v in changes.items()}
        return "PATCH", f"/contacts/{cid}", json.dumps({"changes": changes, "base": base}).encode(), {}, None
    if kind == "delete":
        return "DELETE", f"/contacts/{cid}", b"", {}, None
    path = draw(st.sampled_from(["/contacts", f"/contacts/{cid}", "/replies", "/webhooks/generic", "/webhooks/twilio", "/x"]))
    method = draw(st.sampled_from(["GET", "POST", "PATCH", "DELETE", "PUT"]))
    return method, path, json.dumps(draw(json_values)).encode(), {}, None


def blocked(db_path) -> tuple[set[str], set[int]]:
    """The numbers that may not be texted for an opt-out (opted-out contacts' and suppressed ones),
    and the ids of opted-out contacts."""
    store = Store.open(db_path, user="alice")
    out_ids = {cid for cid in store.ordered_ids() if store.get(cid).opted_out}
    return {store.get(cid).phone for cid in out_ids} | set(store.suppressed_phones()), out_ids


def test_no_request_opts_anyone_in_but_their_own_opt_in_keyword(db_path, store):
    token = create_token(store, "prop")
    set_secret(store, "twilio", AUTH_TOKEN)
    set_secret(store, "generic", GENERIC)
    for i, number in enumerate(NUMBERS[:3]):
        store.add_contact(f"Person {i}", number, opted_out=i != 1)
    running = start_in_thread(ApiConfig(db_path=db_path, host="127.0.0.1", port=0, rate=1e9, burst=10**9))
    client = Client(running.url, token)
    twilio_url = running.url + "/webhooks/twilio"

    def send(method, path, body, headers, _allowed):
        if path == "/webhooks/twilio" and isinstance(body, dict):
            key = "wrong" if headers.get("forged") else AUTH_TOKEN
            sig = RequestValidator(key).compute_signature(twilio_url, body)
            return client.request(method, path, raw=urllib.parse.urlencode(body).encode(), token=None,
                                  headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig})
        return client.request(method, path, raw=body or None, headers={"Content-Type": "application/json", **headers})

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(requests(), min_size=1, max_size=6))
    def check(sequence):
        for request in sequence:
            numbers_before, ids_before = blocked(db_path)
            reply = send(*request)
            assert reply.status < 500, reply.body
            assert b"Traceback" not in reply.body
            numbers_after, ids_after = blocked(db_path)
            allowed = request[4]
            freed = numbers_before - numbers_after
            assert freed <= ({allowed} if allowed else set()), (request, reply.body)
            store_now = Store.open(db_path, user="alice")
            for cid in ids_before - ids_after:
                gone = str(cid) not in store_now.records("contacts")
                if not gone:  # a contact deleted while opted out left its number suppressed (checked above)
                    assert allowed and store_now.get(cid).phone == allowed, (request, reply.body)

    try:
        check()
    finally:
        running.stop()
