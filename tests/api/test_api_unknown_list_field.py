"""A list name in a body that names no list is bad input in field "lists" (400), as the issue asks
("JSON with a message and the field"); today it is a 404 with field null, as if the URL were wrong."""

from __future__ import annotations

from tests.api.conftest import assert_error


def test_creating_with_an_unknown_list_names_the_field(served):
    client, _store = served
    assert_error(client.post("/contacts", {"name": "Cy Diaz", "phone": "+14155550177", "lists": ["Nope"]}), 400, "lists")


def test_updating_to_an_unknown_list_names_the_field(served):
    client, store = served
    ann = store.add_contact("Ann Lee", "+14155550132")
    reply = client.request("PATCH", f"/contacts/{ann.id}", {"changes": {"lists": ["Nope"]}, "base": {"lists": []}})
    assert_error(reply, 400, "lists")
