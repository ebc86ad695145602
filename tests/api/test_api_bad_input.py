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
