"""Looking contacts up (store.core.finding): by id, phone or email, and what a failed or
ambiguous lookup says; search with no arguments gives everyone."""

from __future__ import annotations

import pytest

from store import NotFound, StoreError


def test_search_with_no_arguments_gives_every_contact_in_name_order(store):
    bob = store.add_contact("Bob", "+12125550100")
    ann = store.add_contact("Ann", "+14155550132")
    assert list(store.search()) == [ann.id, bob.id]


def test_an_unknown_id_is_named(store):
    with pytest.raises(NotFound, match=r"^No contact with id 42$"):
        store.get(42)


def test_an_unknown_email_is_named(store):
    with pytest.raises(NotFound, match=r"^No contact has the email nobody@example\.com$"):
        store.find("nobody@example.com")


def test_a_key_that_is_neither_phone_nor_email_says_why(store):
    with pytest.raises(NotFound, match=r"^No contact found for 'hello': .*[Pp]hone"):
        store.find("hello")


def test_an_email_two_contacts_share_is_refused_naming_them(store):
    store.add_contact("Ann", "+14155550132", "team@example.com")
    store.add_contact("Bob", "+12125550100", "Team@Example.com")
    with pytest.raises(StoreError, match=(
        r"^2 contacts have the email team@example\.com: Ann \(\+14155550132\), Bob \(\+12125550100\)\. Use the phone\.$"
    )):
        store.find("team@example.com")


def test_an_email_many_share_names_the_first_five(store):
    for i in range(6):
        store.add_contact(f"P{i}", f"+1212555010{i}", "desk@example.com")
    with pytest.raises(StoreError) as refused:
        store.find("desk@example.com")
    message = str(refused.value)
    assert message.startswith("6 contacts have the email desk@example.com: P0 (+12125550100), ")
    assert message.count("(+1") == 5 and "P5" not in message
