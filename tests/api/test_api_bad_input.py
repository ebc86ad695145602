"""Bad input to the API gets a 400/404 JSON answer, never a 500: digits Python's int() refuses
(superscripts pass str.isdigit), and JSON nested deeper than the decoder's recursion limit."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error


@pytest.mark.parametrize("path, status", [
    ("/contacts?limit=%C2%B2", 400),   # "²": str.isdigit() is true, int() raises
    ("/contacts?offset=%C2%B9", 400),  # "¹"
    ("/contacts/%C2%B2", 404),
])
def test_superscript_digits_are_bad_input_not_an_internal_error(served, path, status):
    client, store = served
    store.add_contact("Ann Lee", "+14155550132")
    assert_error(client.get(path), status)


def test_deeply_nested_json_is_bad_input_not_an_internal_error(served):
    client, _store = served
    body = b'{"name": "x", "phone": "+14155550132", "lists": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert_error(client.post("/contacts", raw=body, headers={"Content-Type": "application/json"}), 400)


@pytest.mark.parametrize("query", ["limit=%EF%BC%91", "offset=%D9%A3", "limit=%E0%A5%A8", "offset=%EF%BC%90"])
def test_digits_other_than_ascii_are_refused_not_silently_read(served, query):
    """int() reads fullwidth "１" and Arabic-Indic "٣" as numbers; the API takes ASCII digits only."""
    client, store = served
    store.add_contact("Ann Lee", "+14155550132")
    name = query.partition("=")[0]
    data = assert_error(client.get(f"/contacts?{query}"), 400, name)
    assert "0-9" in data["error"] or "digits" in data["error"]


def test_an_id_in_other_digits_finds_no_contact(served):
    client, store = served
    for i in range(3):
        store.add_contact(f"Person {i}", f"+1415555010{i}")
    assert client.get("/contacts/3").status == 200
    for path in ("/contacts/%D9%A3", "/contacts/%EF%BC%93"):  # Arabic-Indic and fullwidth 3
        assert_error(client.get(path), 404)
        assert_error(client.request("DELETE", path), 404)
    assert len(store.contacts()) == 3


NESTED = b"[" * 5000 + b"]" * 5000


@pytest.mark.parametrize("method, path, body", [
    ("PATCH", "/contacts/1", b'{"changes": {"lists": ' + NESTED + b'}, "base": {"lists": []}}'),
    ("POST", "/replies", b'{"phone": "+14155550132", "text": ' + NESTED + b"}"),
    ("POST", "/contacts", NESTED),
], ids=["patch", "reply", "create"])
def test_deeply_nested_json_is_400_on_every_json_endpoint(served, unchanged, method, path, body):
    client, store = served
    store.add_contact("Ann Lee", "+14155550132")
    with unchanged():
        data = assert_error(client.request(method, path, raw=body, headers={"Content-Type": "application/json"}), 400)
    assert "nested" in data["error"]


def test_deeply_nested_json_to_the_generic_webhook_is_400_after_the_signature(served, unchanged):
    import hashlib
    import hmac

    from store.access.webhook_secrets import set_secret

    client, store = served
    set_secret(store, "generic", "k")
    body = b'{"from": "+14155550132", "text": ' + NESTED + b"}"
    headers = {"Content-Type": "application/json"}
    with unchanged():
        unsigned = client.post("/webhooks/generic", raw=body, headers=headers, token=None)
        assert_error(unsigned, 403)
        signed = {**headers, "X-Signature": "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()}
        data = assert_error(client.post("/webhooks/generic", raw=body, headers=signed, token=None), 400)
    assert "nested" in data["error"]


@pytest.mark.parametrize("query, name", [("list=A&list=B", "list"), ("limit=5&limit=6", "limit"), ("sendable=true&sendable=false", "sendable")])
def test_a_parameter_given_twice_is_refused(served, query, name):
    client, store = served
    store.add_list("A")
    store.add_list("B")
    data = assert_error(client.get(f"/contacts?{query}"), 400, name)
    assert "once" in data["error"]


def test_patching_an_id_that_is_not_there_says_not_found(served, unchanged):
    client, _store = served
    with unchanged():
        data = assert_error(client.request("PATCH", "/contacts/999", {"changes": {"name": "x"}, "base": {"name": "y"}}), 404)
    assert "999" in data["error"] and "deleted" not in data["error"]


def test_user_text_in_an_error_message_is_escaped(served):
    client, _store = served
    data = assert_error(client.get("/contacts/email/%1B%5B31mx%E2%80%AE@example.com"), 404)
    assert "\x1b" not in data["error"] and "\u202e" not in data["error"]
    assert "\\x1b[31mx" in data["error"]
    data = assert_error(client.get("/contacts?list=%1B%5D0%3Bpwn%07"), 404, "list")
    assert "\x1b" not in data["error"] and "\x07" not in data["error"]
