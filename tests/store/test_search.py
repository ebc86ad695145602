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
from store.search import SearchIndex, fold, haystack, needle_for

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


# -- pinned by mutation testing ----------------------------------------------------------------


def doc(name: str, n: int, email: str | None = None) -> dict:
    return {"name": name, "phone": f"+1415555{n:04d}", "email": email}


def test_same_names_are_in_id_order_whatever_order_the_file_lists_them():
    contacts = {"2": doc("Ann", 2), "1": doc("ann", 1), "3": doc("ANN", 3), "9": doc("Bob", 9), "4": doc("Bob", 4)}
    index = SearchIndex.build(contacts)
    assert index.order == [1, 2, 3, 4, 9]
    assert [index.position(cid) for cid in (1, 2, 3, 4, 9)] == [0, 1, 2, 3, 4]


def test_an_empty_index_finds_nothing_and_takes_new_contacts():
    index = SearchIndex.empty()
    assert (len(index), list(index.search("")), list(index.search("a")), index.position(1)) == (0, [], [], None)
    grown = index.with_changes({"1": doc("Ann", 1)}, [1])
    assert (grown.order, list(grown.search("ann")), grown.position(1)) == ([1], [1], 0)


def test_searches_answer_the_same_after_forgetting_the_remembered_ones(store, people):
    before = [list(store.search(q)) for q in ("b", "bo", "bob", "415")]
    store.forget_searches()
    assert [list(store.search(q)) for q in ("b", "bo", "bob", "415")] == before
    assert names(store, store.search("bob o")) == ["Bob Ode", "bob ode"]


def test_changes_before_any_search_give_what_a_rebuilt_index_gives():
    contacts = {str(i): doc(f"Person {i}", i, f"p{i}@x.io") for i in range(1, 8)}
    index = SearchIndex.build(contacts)  # no search yet: no haystacks built
    changed = dict(contacts)
    changed["3"] = doc("Aaron", 3)
    del changed["5"]
    changed["8"] = doc("Zoe", 8, "zoe@x.io")
    patched = index.with_changes(changed, [3, 5, 8])
    fresh = SearchIndex.build(changed)
    assert patched.order == fresh.order
    for query in ("", "a", "aaron", "person", "zoe@", "4155550003", "p5@"):
        assert list(patched.search(query)) == list(fresh.search(query)), query


def test_a_batch_of_more_changes_than_the_rebuild_threshold_gives_the_rebuilt_index():
    size = search_module.REBUILD_THRESHOLD + 1
    contacts = {str(i): doc(f"P{i % 97}", i) for i in range(1, size + 1)}
    index = SearchIndex.build(contacts)
    renamed = {cid: doc(f"Q{int(cid) % 89}", int(cid)) for cid in contacts}
    patched = index.with_changes(renamed, [int(cid) for cid in renamed])
    fresh = SearchIndex.build(renamed)
    assert patched.order == fresh.order
    assert list(patched.search("q1")) == list(fresh.search("q1")) != []


def test_masks_are_built_from_masks_from_contacts_up(monkeypatch):
    monkeypatch.setattr(search_module, "MASKS_FROM", 3)
    small = SearchIndex.build({str(i): doc(f"Ann {i}", i) for i in (1, 2)})
    small.prepare()
    assert small.masks() is None  # below MASKS_FROM a full pass is fast enough
    index = SearchIndex.build({str(i): doc(name, i, email) for i, (name, email) in
                               enumerate([("Ann Lee", None), ("Bob", "bob@x.io"), ("Zed", None)], start=1)})
    assert index.masks() is None  # not before prepare()
    index.prepare()
    masks = index.masks()
    assert masks is not None and set(search_module.MASKED) <= set(masks)
    for part, mask in masks.items():
        assert mask == bytes(part in text for text in index.hay), part
    assert masks["z"] == bytes([0, 0, 1]) and masks["b"] == bytes([0, 1, 0])


def masked_index(size: int) -> SearchIndex:
    index = SearchIndex.build({str(i): doc(f"Name {i}", i, f"n{i}@x.io") for i in range(1, size + 1)})
    with masks_for_every_size():
        index.prepare()
    assert index.masks() is not None
    return index


def assert_exact_masks(index: SearchIndex) -> None:
    masks = index.masks()
    assert masks is not None, "the masks were dropped"
    for part, mask in masks.items():
        assert mask == bytes(part in text for text in index.hay), part


def test_the_masks_are_kept_through_changes_up_to_the_patch_limit(monkeypatch):
    monkeypatch.setattr(search_module, "MASK_PATCH_LIMIT", 3)
    index = masked_index(6)
    same_fields = {cid: dict(d, opted_out=True) for cid, d in index._contacts.items()}  # no search field changed
    kept = index.with_changes(same_fields, [])
    assert_exact_masks(kept)
    contacts = dict(same_fields)
    contacts["2"] = doc("Abel", 2)
    contacts["7"] = doc("Zora", 7, "z@x.io")
    del contacts["4"]
    patched = kept.with_changes(contacts, [2, 4, 7])  # exactly MASK_PATCH_LIMIT changes
    assert_exact_masks(patched)
    assert list(patched.search("zora")) == [7]


def test_a_change_to_no_searched_field_keeps_the_haystacks_and_masks():
    index = masked_index(4)
    hay = index.hay
    same_fields = {cid: dict(d, opted_out=True) for cid, d in index._contacts.items()}
    kept = index.with_changes(same_fields, [])
    assert kept.hay is hay  # not rebuilt: at a million contacts that costs seconds
    assert kept.masks() == index.masks()


def test_a_search_for_a_masked_character_or_pair_answers_from_its_mask():
    from store.search import MaskedIds

    index = masked_index(12)
    for query in ("n", "1", "na"):
        found = index.search(query)
        assert isinstance(found, MaskedIds), query  # no pass over the haystacks
        assert list(found) == [cid for cid, text in zip(index.order, index.hay) if query in text]
    assert not isinstance(index.search("nam"), MaskedIds)  # longer: a pass over what "na" matched


def test_a_search_with_no_masked_character_finds_what_a_scan_finds():
    index = masked_index(5)
    fresh = SearchIndex.build(index._contacts)
    for query in ("@", "@x.", ".io"):
        assert list(index.search(query)) == list(fresh.search(query)) == [1, 2, 3, 4, 5], query


def test_a_search_for_each_common_pair_is_exact():
    from store.demo_data import people

    contacts = {str(i): {"name": p.name, "phone": p.phone_e164, "email": p.email}
                for i, p in enumerate(people(400, seed=2), start=1)}
    index = SearchIndex.build(contacts)
    with masks_for_every_size():
        index.prepare()
    pairs = [part for part in index.masks() if len(part) == 2]
    assert len(pairs) == search_module.PAIRS
    scan = SearchIndex.build(contacts)  # no masks: every haystack is read
    for pair in pairs + ["ll", "ee", "ss", "nn", "rr", "tt", "55"]:
        assert list(index.search(pair)) == list(scan.search(pair)), pair


def test_common_pairs_are_the_most_frequent_pairs_of_masked_characters():
    hay = ["anna\x00\x00123"] * 50 + ["bob\x00b@x.io\x00456"] * 30 + ["zed\x00\x00789"] * 20
    pairs = search_module.common_pairs(hay)
    assert set(pairs[:5]) == {"an", "nn", "na", "12", "23"}  # in 50 haystacks
    assert set(pairs[5:10]) == {"bo", "ob", "45", "56", "io"}  # in 30
    assert set(pairs[10:]) == {"ze", "ed", "78", "89"}  # in 20
    assert all(len(pair) == 2 for pair in pairs)  # "b@", "@x", "x.", "\x00b" hold a character without a mask


def test_common_pairs_keep_the_pairs_in_at_least_one_percent_of_the_sample():
    hay = ["aa"] * 197 + ["xy"] * 2 + ["qz"]  # 200 haystacks: 1 % is 2
    assert sorted(search_module.common_pairs(hay)) == ["aa", "xy"]
    hay = ["aa"] * 150 + ["xy"]  # 151: 1 % rounds down to 1
    assert sorted(search_module.common_pairs(hay)) == ["aa", "xy"]


def test_common_pairs_are_at_most_pairs_and_the_most_frequent():
    letters = "abcdefghij"
    every = [a + b for a in letters for b in letters]  # 100 pairs
    hay = []
    for rank, pair in enumerate(every):
        hay += [pair] * (rank + 1)  # "ja".."jj" most frequent
    pairs = search_module.common_pairs(hay)
    assert sorted(pairs) == sorted(every[-search_module.PAIRS:])
    assert pairs[0] == "jj"


def test_common_pairs_read_an_even_sample_of_a_big_list():
    step = 2
    hay = ["ab", "cd"] * (search_module.PAIR_SAMPLE * step // 2)
    assert search_module.common_pairs(hay) == ["ab"]  # every second haystack: the "cd" ones are not read
    assert search_module.common_pairs(hay[:100]) in (["ab", "cd"], ["cd", "ab"])


def test_masked_ids_row_reads_right_whichever_block_is_read_first():
    from store.search import MaskedIds

    size = 3 * MaskedIds.BLOCK
    order = list(range(1000, 1000 + size))
    mask = bytearray(i % 3 == 0 for i in range(size))
    expected = [cid for cid, bit in zip(order, mask) if bit]
    per_block = MaskedIds.BLOCK // 3 + 1
    for first in (per_block + 5, 2 * per_block + 5, 5):
        found = MaskedIds(order, mask)
        assert found[first] == expected[first]
        assert found[0] == expected[0] and found[-1] == expected[-1]


def test_masked_ids_equal_only_the_same_ids_and_read_as_them():
    from store.search import MaskedIds

    found = MaskedIds([5, 6, 7, 8], bytearray([1, 0, 1, 1]))
    assert found == [5, 7, 8] and found == (5, 7, 8)
    assert found != [5, 7, 9] and found != [5, 7] and found != [6, 7, 8]
    assert repr(found) == "MaskedIds([5, 7, 8])"
    with pytest.raises(IndexError, match="^MaskedIds index out of range$"):
        found[3]
    with pytest.raises(IndexError, match="^MaskedIds index out of range$"):
        found[-4]


def test_masks_built_in_chunks_cover_every_contact(monkeypatch):
    monkeypatch.setattr(search_module, "MASK_CHUNK", 2)  # 5 contacts: chunks of 2, 2 and 1
    index = masked_index(5)
    assert_exact_masks(index)
    assert all(len(mask) == 5 for mask in index.masks().values())


def test_a_search_for_a_doubled_letter_pair_is_exact():
    """A pair like "ll" has two masks of its own ("l" and "ll"): its answer is the pair's mask."""
    first = ["Allison", "Ellen", "Anna", "Tess", "Terry", "Otto", "Emma", "Aaron", "Abbott", "Eddie", "Jeff", "Peggy"]
    last = ["Bennett", "Russo", "Hill", "Lee", "Scott", "Mann", "Pippa", "Ricco", "Moss", "Tull"]
    contacts = {str(i): doc(f"{first[i % 12]} {last[i % 10]}", i) for i in range(1, 241)}
    index = SearchIndex.build(contacts)
    with masks_for_every_size():
        index.prepare()
    doubled = [pair for pair in index.masks() if len(pair) == 2 and pair[0] == pair[1] and not pair.isdigit()]
    assert len(doubled) >= 8  # enough that the pair's own mask is not by luck the one read
    scan = SearchIndex.build(contacts)
    for pair in doubled:
        assert list(index.search(pair)) == list(scan.search(pair)), pair


def test_a_haystack_is_the_folded_name_and_email_and_the_phone_digits():
    emile = {"name": "Émile ZOLA", "phone": "+33142685300", "email": "Émile@Paris.example"}
    assert haystack(emile) == "emile zola\x00emile@paris.example\x0033142685300"
    assert haystack({"name": "zed", "phone": "+14155550199", "email": None}) == "zed\x00\x0014155550199"
    assert haystack({"name": "Ann", "phone": "+14155550132"}) == "ann\x00\x0014155550132"


def test_the_masks_are_kept_through_successive_changes_with_no_search_between():
    index = masked_index(6)
    contacts = dict(index._contacts)
    contacts["2"] = doc("Abel", 2)
    once = index.with_changes(contacts, [2])
    contacts = dict(contacts)
    contacts["7"] = doc("Zora", 7, "z@x.io")
    twice = once.with_changes(contacts, [7])  # nothing read the first patched index
    assert_exact_masks(twice)
    assert list(twice.search("z")) == [7] and list(twice.search("abel")) == [2]
