"""Search and order: by name (ignoring case and accents), email, and phone typed in any format.

The store patches its index after each change instead of rebuilding it; these tests check the
patched index against ``SearchIndex.build`` of the same data, by hand and with Hypothesis.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Store
from store import search as search_module
from store.search import SearchIndex, fold, needle_for

ANN = "+14155550132"


@pytest.fixture
def people(store: Store) -> dict[str, int]:
    vip = store.add_list("VIP")
    rows = [
        ("Ann Lee", "(415) 555-0132", "ann@example.com", [vip.id]),
        ("Émile Zola", "+33 1 42 68 53 00", "emile@paris.example", []),
        ("zed", "415 555 0199", None, [vip.id]),
        ("Bob Ode", "212 555 0100", "bob2024@work.example", []),
        ("José Núñez", "650 555 0101", "josé@bücher.de", []),
        ("Straße Müller", "+44 20 7946 0958", None, []),
        ("bob ode", "212 555 0101", None, []),
    ]
    return {name: store.add_contact(name, phone, email, lists=lists).id for name, phone, email, lists in rows}


def names(store: Store, ids: list[int]) -> list[str]:
    return [store.get(cid).name for cid in ids]


# -- by name -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ann", ["Ann Lee"]),
        ("ANN LEE", ["Ann Lee"]),
        ("emile", ["Émile Zola"]),
        ("ÉMILE", ["Émile Zola"]),
        ("e\u0301mile", ["Émile Zola"]),  # a decomposed accent in the query
        ("zola", ["Émile Zola"]),
        ("nunez", ["José Núñez"]),
        ("NÚÑEZ", ["José Núñez"]),
        ("strasse", ["Straße Müller"]),
        ("muller", ["Straße Müller"]),
        ("bob ode", ["Bob Ode", "bob ode"]),
        ("  ann  ", ["Ann Lee"]),
        ("nobody", []),
    ],
)
def test_search_by_name_ignores_case_and_accents(store, people, query, expected):
    assert names(store, store.search(query)) == expected


# -- by email ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ann@example.com", ["Ann Lee"]),
        ("ANN@EXAMPLE", ["Ann Lee"]),
        ("paris.example", ["Émile Zola"]),
        ("bob2024", ["Bob Ode"]),
        ("josé@", ["José Núñez"]),
        ("jose@bucher", ["José Núñez"]),  # accents are ignored in emails too
        ("example", ["Ann Lee", "Bob Ode", "Émile Zola"]),
    ],
)
def test_search_by_email(store, people, query, expected):
    assert names(store, store.search(query)) == expected


# -- by phone, typed any way -------------------------------------------------------------------


@pytest.mark.parametrize("query", ["4155550132", "415-555-0132", "(415) 555-0132", "+1 415 555 0132", "+14155550132", "555-0132", "0132"])
def test_search_by_phone_in_any_format(store, people, query):
    assert people["Ann Lee"] in store.search(query)
    assert store.get(people["Ann Lee"]).phone == ANN


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("415-555", ["Ann Lee", "zed"]),
        ("+1 415", ["Ann Lee", "zed"]),
        ("(415) 555-0132", ["Ann Lee"]),
        ("212 555 010", ["Bob Ode", "bob ode"]),
        ("+44 20 7946", ["Straße Müller"]),
        ("020 7946 0958", ["Straße Müller"]),  # a national format with its trunk 0
        ("01 42 68 53 00", ["Émile Zola"]),
        ("+33", ["Émile Zola"]),
    ],
)
def test_phone_queries_match_on_digits(store, people, query, expected):
    assert names(store, store.search(query)) == expected


def test_the_needle_of_a_phone_query_is_its_digits():
    assert needle_for("(415) 555-0132") == "4155550132"
    assert needle_for("+1 415") == "1415"
    assert needle_for("415-555") == "415555"
    assert needle_for("Ann Lee") == "ann lee"
    assert needle_for("Émile") == "emile"


def test_a_query_cannot_match_across_fields(store):
    store.add_contact("Ann", "4155550132", "lee@example.com")
    assert store.search("ann\x00lee") == []
    assert store.search("\x00") == store.search("") == store.ordered_ids()  # nothing to look for


# -- order -------------------------------------------------------------------------------------


def test_contacts_are_ordered_by_name_ignoring_case_and_accents(store, people):
    assert names(store, store.ordered_ids()) == [
        "Ann Lee",
        "Bob Ode",
        "bob ode",  # same name, ignoring case: the older (smaller id) first
        "Émile Zola",
        "José Núñez",
        "Straße Müller",
        "zed",
    ]
    assert names(store, store.search("")) == names(store, store.ordered_ids())
    assert [store.position(cid) for cid in store.ordered_ids()] == list(range(len(people)))


def test_search_within_a_list(store, people):
    vip = store.get_list("VIP").id
    assert names(store, store.search("", vip)) == ["Ann Lee", "zed"]
    assert names(store, store.search("415", vip)) == ["Ann Lee", "zed"]
    assert names(store, store.search("ann", vip)) == ["Ann Lee"]
    assert names(store, store.search("bob", vip)) == []


def test_fold():
    assert fold("Émile") == "emile"
    assert fold("STRASSE") == fold("Straße") == "strasse"
    assert fold("İstanbul") == "istanbul"
    assert fold("张伟") == "张伟"


# -- the patched index equals a rebuilt one ------------------------------------------------------


QUERIES = ["", "a", "ann", "e", "415", "+1 415", "555-01", "example", "0", "zz"]


def assert_index_matches_the_file(store: Store) -> None:
    """The store's index answers exactly like one built from what is on disk."""
    rebuilt = SearchIndex.build(json.loads(store.path.read_bytes())["contacts"])
    assert store.ordered_ids() == rebuilt.order
    assert [store.position(cid) for cid in rebuilt.order] == list(range(len(rebuilt)))
    for query in QUERIES:
        assert store.search(query) == rebuilt.search(query), query


def test_the_index_follows_adds_edits_and_deletes(store, people):
    assert_index_matches_the_file(store)
    ann = people["Ann Lee"]
    store.update_contact(ann, name="Zelda Ann")  # moves to the end
    assert_index_matches_the_file(store)
    assert store.ordered_ids()[-1] == ann
    store.update_contact(ann, email="new@mail.example", phone="415 555 0177")
    assert_index_matches_the_file(store)
    assert store.search("4155550132") == []
    assert store.search("0177") == [ann]
    assert store.search("new@mail") == [ann]
    store.delete_contact(people["zed"])
    assert_index_matches_the_file(store)
    assert store.position(people["zed"]) is None
    new = store.add_contact("Aaron", "415 555 0150")
    assert store.ordered_ids()[0] == new.id
    assert_index_matches_the_file(store)
    store.delete_list("VIP")
    assert_index_matches_the_file(store)
    store.delete_all()
    assert store.ordered_ids() == [] and store.search("a") == []
    assert_index_matches_the_file(store)


def test_the_index_catches_up_with_another_stores_changes(store, people, db_path):
    other = Store.open(db_path, user="bob")
    other.update_contact(people["Ann Lee"], name="Aaa First")
    other.delete_contact(people["zed"])
    store.add_contact("Mid", "415 555 0160")  # reloads, then patches
    assert_index_matches_the_file(store)
    assert names(store, store.ordered_ids())[0] == "Aaa First"


# Hypothesis: random contacts, random batches of changes, incremental == rebuilt.

NAME_PIECES = st.sampled_from(list("aAbBeEéÉzZß-'ñÑ張") + [" a", "e\u0301"])
names_st = st.lists(NAME_PIECES, min_size=1, max_size=6).map("".join)
doc_st = st.builds(
    lambda name, n, email: {"name": name, "phone": f"+1415555{n:04d}", "email": email},
    names_st,
    st.integers(0, 9999),
    st.one_of(st.none(), st.sampled_from(["a@x.io", "B@Y.io", "é@z.io"])),
)
change_st = st.tuples(st.sampled_from(["add", "edit", "delete"]), st.integers(1, 30), doc_st)


@contextmanager
def masks_for_every_size():
    """Character masks are built from MASKS_FROM contacts up: here for the small test indexes too."""
    before = search_module.MASKS_FROM
    search_module.MASKS_FROM = 0
    try:
        yield
    finally:
        search_module.MASKS_FROM = before


def index_state(index: SearchIndex):
    return (
        index.order,
        index.hay,
        [index.position(cid) for cid in index.order],
        [index.search(q) for q in ["a", "é", "b", "415", "+1 415 555", "ß", "ss"]],
    )


@settings(max_examples=200, deadline=None)
@given(
    initial=st.dictionaries(st.integers(1, 30), doc_st, max_size=15),
    batches=st.lists(st.lists(change_st, min_size=1, max_size=6), max_size=8),
)
def test_incremental_index_equals_a_rebuilt_one(initial, batches):
    contacts = {str(cid): doc for cid, doc in initial.items()}
    index = SearchIndex.build(contacts)
    with masks_for_every_size():
        index.prepare()  # the character masks are patched along with the haystacks
    for batch in batches:
        contacts = dict(contacts)  # a new table per change, as the store's transactions make
        changed = set()
        for op, cid, doc in batch:
            key = str(cid)
            if op == "delete":
                contacts.pop(key, None)
            elif op == "edit" and key not in contacts:
                continue
            else:
                contacts[key] = dict(doc)
            changed.add(cid)
        index = index.with_changes(contacts, changed)
        assert index_state(index) == index_state(SearchIndex.build(contacts))
        masks = index.masks()  # patched along (or dropped after many changes): each still exact
        if masks is not None:
            for part, mask in masks.items():
                assert mask == bytes(part in text for text in index.hay), part


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ops=st.lists(
        st.tuples(st.sampled_from(["add", "rename", "rephone", "delete"]), st.integers(0, 5), names_st),
        max_size=12,
    )
)
def test_store_index_equals_a_rebuilt_one_after_any_changes(ops):
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "contacts.json", user="alice")
        next_phone = iter(range(100, 10_000))
        for op, pick, name in ops:
            ids = store.ordered_ids()
            if op == "add" or not ids:
                store.add_contact(name, f"+1415555{next(next_phone):04d}")
                continue
            cid = ids[pick % len(ids)]
            if op == "rename":
                store.update_contact(cid, name=name)
            elif op == "rephone":
                store.update_contact(cid, phone=f"+1415555{next(next_phone):04d}")
            else:
                store.delete_contact(cid)
            assert_index_matches_the_file(store)
        assert_index_matches_the_file(store)


def test_refining_a_search_gives_what_a_fresh_search_gives():
    """Typing on narrows from the previous matches; the answer must equal a search from scratch."""
    import random

    from store.demo_data import people

    contacts = {
        str(i): {"name": p.name, "phone": p.phone_e164, "email": p.email}
        for i, p in enumerate(people(3000, seed=11), start=1)
    }
    rng = random.Random(5)
    allowed = {int(cid) for cid in contacts if rng.random() < 0.5}
    for typed in ("maria garcía", "ann lee", "415 555", "+1 212", "example.org", "émi", "lee", "zz", "x", "q9"):
        for subset, masked in ((None, False), (allowed, False), (None, True), (allowed, True)):
            index = SearchIndex.build(contacts)
            if masked:
                with masks_for_every_size():
                    index.prepare()
            for end in range(1, len(typed) + 1):
                query = typed[:end]
                fresh = SearchIndex.build(contacts).search(query, subset)
                assert index.search(query, subset) == fresh, query
            for end in range(len(typed), 0, -1):  # and back, with backspace
                query = typed[:end]
                assert index.search(query, subset) == SearchIndex.build(contacts).search(query, subset), query


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="aelmr 4é", min_size=1, max_size=4), st.integers(0, 2)), max_size=25))
@pytest.mark.parametrize("masked", [False, True], ids=["scan", "masks"])
def test_any_sequence_of_searches_answers_as_a_fresh_index(masked, queries):
    """Remembered searches (typing on, Backspace, another list filter) never leak into an answer."""
    from store.demo_data import people

    contacts = {
        str(i): {"name": p.name, "phone": p.phone_e164, "email": p.email}
        for i, p in enumerate(people(300, seed=3), start=1)
    }
    subsets = [None, {int(cid) for cid in contacts if int(cid) % 2}, {int(cid) for cid in contacts if int(cid) % 7}]
    index = SearchIndex.build(contacts)
    if masked:
        with masks_for_every_size():
            index.prepare()
    for query, which in queries:
        expected = SearchIndex.build(contacts).search(query, subsets[which])
        assert index.search(query, subsets[which]) == expected, (query, which)


def test_typing_on_within_a_big_allowed_set_keeps_to_it_with_masks():
    """Typing on may start from the characters' masks rather than the last answer: those hold
    contacts outside the list filter, which must still be left out."""
    from store.demo_data import people

    contacts = {
        str(i): {"name": p.name, "phone": p.phone_e164, "email": p.email}
        for i, p in enumerate(people(600, seed=8), start=1)
    }
    allowed = {int(cid) for cid in contacts if int(cid) % 7}
    for typed in ("maria", "lee", "ra", "el", "4155"):
        index = SearchIndex.build(contacts)
        with masks_for_every_size():
            index.prepare()
        for end in range(1, len(typed) + 1):
            found = index.search(typed[:end], allowed)
            assert found == SearchIndex.build(contacts).search(typed[:end], allowed), typed[:end]
            assert set(found) <= allowed


def test_masked_ids_read_as_the_list_of_the_ids_they_stand_for():
    """A one-letter search's answer (MaskedIds) indexes, slices, iterates and counts as the list."""
    import random

    from store.search import MaskedIds

    rng = random.Random(4)
    for size in (0, 1, 5, MaskedIds.BLOCK - 1, MaskedIds.BLOCK, 3 * MaskedIds.BLOCK + 17):
        order = rng.sample(range(10 * size + 1), size)
        mask = bytearray(rng.random() < 0.4 for _ in range(size))
        expected = [cid for cid, bit in zip(order, mask) if bit]
        found = MaskedIds(order, mask)
        assert len(found) == len(expected) and list(found) == expected and found == expected
        picks = list(range(len(expected))) if len(expected) < 300 else rng.sample(range(len(expected)), 300)
        assert [found[i] for i in picks] == [expected[i] for i in picks]
        if expected:
            assert found[-1] == expected[-1] and found[2:9] == expected[2:9]
        with pytest.raises(IndexError):
            found[len(expected)]
