"""Two added keywords that differ only by accents (ARRÊT, then ARRET) must not make the data file
unreadable: the store accepts the second word, then every later open refuses the file."""

from __future__ import annotations

import pytest

from store import Store, StoreError
from store.consent.keyword_settings import add_keyword


@pytest.mark.parametrize(
    "kind, first, second",
    [("opt-in", "ARRÊT", "ARRET"), ("opt-out", "ARRÊT", "ARRET"), ("help", "AIDÉ", "AIDE")],
)
def test_an_accent_twin_keyword_is_refused_or_the_file_still_opens(store: Store, kind: str, first: str, second: str):
    store.add_contact("Ana Ruiz", "+14155550101")
    add_keyword(store, kind, first)
    try:
        add_keyword(store, kind, second)
    except StoreError:
        pass  # refused with a message: fine, the file is as before
    reopened = Store.open(store.path, user="alice")  # must not raise: the file must stay readable
    assert [c.name for c in reopened.contacts()] == ["Ana Ruiz"]
