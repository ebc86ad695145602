"""The store never writes a file that its own read would refuse (found by a tester: two keywords
that differ only by accents were written, and every later open refused the file)."""

from __future__ import annotations

import pytest

from store import Store, StoreError
from store.model import LISTS, POLICIES, SETTINGS, USERS


def test_a_change_that_would_make_the_file_unreadable_is_refused_and_nothing_is_written(db_path):
    store = Store.open(db_path, user="alice")
    store.add_contact("Ana Ruiz", "+14155550101")
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="would make the file unreadable.*ARRET"):
        with store.transaction() as tx:  # what a slip in any rule's own check would write
            settings = dict(tx.table(SETTINGS).get("1", {}))
            settings["keywords"] = {"opt_out": [], "opt_in": ["ARRÊT", "ARRET"], "help": [], "languages": []}
            tx.put(SETTINGS, 1, settings)
    assert db_path.read_bytes() == before
    assert [c.name for c in Store.open(db_path, user="alice").contacts()] == ["Ana Ruiz"]
    store.add_contact("Bo Lee", "+14155550102")  # the store goes on working
    assert Store.open(db_path, user="alice").count() == 2


@pytest.mark.parametrize(
    "table, record, doc, said",
    [
        (SETTINGS, 1, {"default_region": "XX"},
         'table "settings", record 1, field "default_region": expected a region code phonenumbers knows, such as "US", '
         'found "XX"'),
        (USERS, 2, {"login": "bob", "role": "boss"},
         'table "users", record 2, field "role": expected one of "admin", "supervisor", "agent", found "boss"'),
        (POLICIES, 1, {"subject": "role:agent", "action": "delete", "allow": "yes"},
         'table "policies", record 1, field "allow": expected true or false, found "yes"'),
        (LISTS, 1, {"name": "  "}, 'table "lists", record 1, field "name": expected text that is not blank, found "  "'),
    ],
    ids=[SETTINGS, USERS, POLICIES, LISTS],
)
def test_a_change_that_would_break_a_small_table_is_refused_naming_the_place(db_path, table, record, doc, said):
    store = Store.open(db_path, user="alice")
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as err:
        with store.transaction() as tx:
            tx.put(table, record, doc)
    assert str(err.value) == (
        f"Nothing was saved: the change would make the file unreadable. {db_path}: {said}. "
        "The file was left as it is: correct it, or restore it from a backup."
    )
    assert db_path.read_bytes() == before
