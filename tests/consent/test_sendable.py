"""Who may be texted now (store.consent.sendable): one rule, and the status filters and counts built on it.

A contact may be texted when it is not opted out, its number is not suppressed and its consent is
not Declined. The store keeps the sets behind the list's filters (Textable, Opted out, Needs
review) and the textable count up to date after each change without rescanning every contact;
these tests check them against the rule applied to every contact from scratch.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Store
from store.consent.replies import mark_consent_sent, record_reply, resolve_review
from store.consent.sendable import NEEDS_REVIEW, OPTED_OUT, TEXTABLE, may_be_texted, sendable_contacts

from .conftest import ANN_PHONE, BOB_PHONE

CY_PHONE = "+13125550101"


@pytest.fixture
def three(store: Store, ann):
    bob = store.add_contact("Bob", BOB_PHONE)
    cy = store.add_contact("Cy", CY_PHONE)
    return ann, bob, cy


def test_the_rule():
    doc = {"phone": ANN_PHONE, "opted_out": False, "consent": "sent"}
    assert may_be_texted(doc, set())
    assert not may_be_texted(dict(doc, opted_out=True), set())
    assert not may_be_texted(dict(doc, consent="declined"), set())
    assert not may_be_texted(doc, {ANN_PHONE})
    for consent in ("not_sent", "sent", "confirmed"):
        assert may_be_texted(dict(doc, consent=consent), set())


def test_a_suppressed_number_whose_contact_is_not_opted_out_is_not_textable(store, three, db_path):
    """Only a hand-edited file can hold that; the rule still refuses it."""
    data = json.loads(db_path.read_bytes())
    data["suppression"]["1"] = {"phone": BOB_PHONE, "since": "2024-01-01T00:00:00Z", "reason": "by hand"}
    db_path.write_text(json.dumps(data))
    store.refresh()
    ann, bob, cy = three
    assert [c.id for c in sendable_contacts(store)] == [ann.id, cy.id]
    assert store.textable_count() == 2


def test_sendable_contacts_leave_out_opted_out_declined_and_suppressed(store, three):
    ann, bob, cy = three
    store.opt_out(ann.id)
    record_reply(store, BOB_PHONE, "STOP")
    assert [c.name for c in sendable_contacts(store)] == ["Cy"]


def test_sendable_within_a_list_and_by_consent(store, three):
    ann, bob, cy = three
    vip = store.add_list("VIP")
    store.set_memberships(ann.id, [vip.id])
    store.set_memberships(cy.id, [vip.id])
    record_reply(store, CY_PHONE, "YES")
    mark_consent_sent(store, ann.id)
    assert [c.name for c in sendable_contacts(store, list_key="vip")] == ["Ann Lee", "Cy"]
    assert [c.name for c in sendable_contacts(store, list_key="VIP", consent="confirmed")] == ["Cy"]
    assert [c.name for c in sendable_contacts(store, consent="sent")] == ["Ann Lee"]


def test_status_filters(store, three):
    ann, bob, cy = three
    store.opt_out(ann.id)
    record_reply(store, BOB_PHONE, "please stop texting me")
    assert store.search("", status=TEXTABLE) == [bob.id, cy.id]
    assert store.search("", status=OPTED_OUT) == [ann.id]
    assert store.search("", status=NEEDS_REVIEW) == [bob.id]
    assert store.search("c", status=TEXTABLE) == [cy.id]
    resolve_review(store, bob.id, opt_out=False)
    assert store.search("", status=NEEDS_REVIEW) == []


def test_status_and_list_filters_combine(store, three):
    ann, bob, cy = three
    vip = store.add_list("VIP")
    store.set_memberships(ann.id, [vip.id])
    store.set_memberships(bob.id, [vip.id])
    store.opt_out(ann.id)
    assert store.search("", vip.id, status=TEXTABLE) == [bob.id]
    assert store.search("", vip.id, status=OPTED_OUT) == [ann.id]


def test_textable_count_of_all_and_of_a_result(store, three):
    ann, bob, cy = three
    assert store.textable_count() == 3
    store.opt_out(ann.id)
    assert store.textable_count() == 2
    assert store.textable_count(store.search("a")) == 0  # "a" matches only Ann, who is out
    assert store.textable_count([bob.id, cy.id, ann.id]) == 2


def test_an_unknown_status_is_refused(store):
    with pytest.raises(ValueError):
        store.search("", status="everyone")


def test_counts_follow_another_process(store, three, db_path):
    other = Store.open(db_path, user="bob")
    other.opt_out(three[2].id)
    store.refresh()
    assert store.textable_count() == 2
    assert store.search("", status=OPTED_OUT) == [three[2].id]


def _from_scratch(store: Store) -> tuple[set[int], set[int], set[int]]:
    suppressed = store.suppressed_phones()
    textable, out, review = set(), set(), set()
    for cid in store.ordered_ids():
        c = store.get(cid)
        doc = {"phone": c.phone, "opted_out": c.opted_out, "consent": c.consent}
        if may_be_texted(doc, suppressed):
            textable.add(cid)
        if c.opted_out:
            out.add(cid)
        if any(not item.get("resolved_at") for item in c.review):
            review.add(cid)
    return textable, out, review


OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "opt_out", "stop", "start", "maybe", "dismiss", "delete", "phone", "yes", "import"]),
        st.integers(0, 7),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_the_kept_sets_equal_the_rule_applied_from_scratch(tmp_path_factory, ops):
    from store.transfer.csv_format import CsvSource
    from store.consent.optouts import import_optouts

    path = tmp_path_factory.mktemp("s") / "c.json"
    store = Store.open(path, user="alice")
    phones = [f"+1312555{i:04d}" for i in range(8)]
    for op, i in ops:
        phone = phones[i]
        cid = store.id_for_phone(phone)
        store.search("", status=TEXTABLE), store.textable_count()  # the sets exist, so are patched
        try:
            if op == "add":
                store.add_contact(f"P{i}", phone)
            elif op == "import":
                import_optouts(store, CsvSource.from_text(phone, name="l.txt"))
            elif op in ("stop", "start", "maybe", "yes"):
                text = {"stop": "STOP", "start": "START", "maybe": "stop it please", "yes": "YES"}[op]
                record_reply(store, phone, text)
            elif cid is None:
                continue
            elif op == "opt_out":
                store.opt_out(cid)
            elif op == "dismiss":
                resolve_review(store, cid, opt_out=False)
            elif op == "delete":
                store.delete_contact(cid)
            elif op == "phone":
                store.update_contact(cid, phone=phones[(i + 3) % 8])
        except Exception as exc:  # a refused change (duplicate phone, nothing to review) changes nothing
            from store import StoreError

            assert isinstance(exc, StoreError)
        textable, out, review = _from_scratch(store)
        assert set(store.search("", status=TEXTABLE)) == textable
        assert set(store.search("", status=OPTED_OUT)) == out
        assert set(store.search("", status=NEEDS_REVIEW)) == review
        assert store.textable_count() == len(textable)
