"""Counts in words (store.wording): the one place every message gets "1 row" / "2 rows" from."""

from __future__ import annotations

import pytest

from store.wording import noun_for, plural


@pytest.mark.parametrize(
    "count, words",
    [(0, "0 rows"), (1, "1 row"), (2, "2 rows"), (1000, "1,000 rows"), (-1, "-1 rows")],
)
def test_a_count_takes_the_noun_in_the_number_it_wants(count, words):
    assert plural(count, "row") == words
    assert noun_for(count, "row") == words.split(" ", 1)[1]
