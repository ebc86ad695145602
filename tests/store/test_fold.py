"""fold(): the word cache gives exactly what folding the whole name at once gives."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from store import search
from store.search import fold


def fold_whole(text: str) -> str:
    folded = text.casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@settings(max_examples=1000)
@given(st.text())
def test_fold_by_words_equals_folding_the_whole_text(text):
    assert fold(text) == fold_whole(text)


def test_fold_ignores_case_and_accents():
    assert fold("ÉMILE Zoë") == "emile zoe"
    assert fold("Straße") == "strasse"
    assert fold("  José  García ") == "  jose  garcia "


def test_word_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(search, "_FOLDED_WORDS_MAX", 10)
    search._FOLDED_WORDS.clear()
    for i in range(50):
        assert fold(f"é{i}") == f"e{i}"
    assert len(search._FOLDED_WORDS) <= 10
