"""The store never writes a file that its own read would refuse (found by a tester: two keywords
that differ only by accents were written, and every later open refused the file)."""

from __future__ import annotations

import pytest

from store import Store, StoreError
from store.model import SETTINGS


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
