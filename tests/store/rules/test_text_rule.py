"""One rule for the characters text may not hold: refused by every way in, escaped by every way out.

Invisible and layout characters hide or move text, so names refuse them like control characters;
what real names and emoji need (ZWJ, ZWNJ, variation selectors, subdivision flags) is kept.
"""

from __future__ import annotations

import io
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store import Store, ValidationError
from store.transfer.importer import ImportRefused, import_csv
from store.transfer.csv_format import CsvSource
from store.rules.text import printable, refusal, visible
from tui.cli import main

ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"

REFUSED = [
    ("Ann\u2028Lee", "a line or paragraph separator (U+2028) at position 4"),
    ("Ann\u2029Lee", "a line or paragraph separator (U+2029) at position 4"),
    ("Ann\u200bLee", "an invisible formatting character (U+200B) at position 4"),
    ("Ann\u200eLee", "an invisible formatting character (U+200E) at position 4"),
    ("Ann\u200fLee", "an invisible formatting character (U+200F) at position 4"),
    ("Ann\u2060Lee", "an invisible formatting character (U+2060) at position 4"),
    ("\ufeffAnn Lee", "an invisible formatting character (U+FEFF) at position 1"),
    ("Ann\u00adLee", "an invisible formatting character (U+00AD) at position 4"),
    ("Ann\U000e0041Lee", "a tag character outside an emoji flag (U+E0041) at position 4"),
    # tags after something other than the black flag, or without the closing cancel tag
    ("A\U000e0067\U000e0062\U000e007f", "a tag character outside an emoji flag (U+E0067) at position 2"),
    ("\U0001f3f4\U000e0067\U000e0062 Ann", "a tag character outside an emoji flag (U+E0067) at position 2"),
    ("Ann \U000e007f", "a tag character outside an emoji flag (U+E007F) at position 5"),
    ("Ann\u202eeeL", "a bidirectional override (U+202E) at position 4"),
    ("Eve\x1b]52;c;aGVsbG8=\x07X", "a control character (U+001B) at position 4"),
]

KEPT = [
    f"Ann {ENGLAND}",
    f"{SCOTLAND}{ENGLAND} Ann",
    "Family \U0001f468\u200d\U0001f469\u200d\U0001f467",  # ZWJ sequence
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian with ZWNJ
    "Ann \u2764\ufe0f",  # variation selector
    "Ann\u00a0Lee",  # no-break space
    "\U0001f3f4 Ann",  # the black flag alone
]


@pytest.mark.parametrize(("name", "what"), REFUSED)
def test_hiding_and_moving_characters_are_refused_with_where(store, unchanged, name, what):
    with unchanged(), pytest.raises(ValidationError) as err:
        store.add_contact(name, "4155550132")
    assert err.value.errors == {"name": f"Full Name contains {what}"}


@pytest.mark.parametrize("name", KEPT)
def test_what_names_and_emoji_need_is_kept_exactly(store, name):
    assert store.add_contact(name, "4155550132").name == name
    assert Store.open(store.path, user="bob").find("+14155550132").name == name


def test_email_and_list_names_follow_the_same_rule(store, unchanged):
    with unchanged(), pytest.raises(ValidationError, match=r"Email contains an invisible formatting character \(U\+200B\)"):
        store.add_contact("Ann", "4155550132", "ann\u200b@example.com")
    with unchanged(), pytest.raises(ValidationError, match=r"List name contains a line or paragraph separator"):
        store.add_list("VIP\u2028")


def test_import_follows_the_rule(store, unchanged):
    csv = f"Full Name,Phone\nAnn {ENGLAND},4155550132\nBob\u200bLee,4155550133\n"
    with unchanged(), pytest.raises(ImportRefused, match=r"line 3, Full Name: Full Name contains an invisible formatting character \(U\+200B\) at position 4"):
        import_csv(store, CsvSource.from_bytes(csv.encode(), "x.csv"), skip_first_line=True)


def test_the_command_line_follows_the_rule(db_path, capsys):
    assert main(["--db", str(db_path), "add", "--name", "Ann\u2060Lee", "--phone", "4155550132"]) == 1
    err = capsys.readouterr().err
    assert "Full Name contains an invisible formatting character (U+2060) at position 4" in err
    assert "\u2060" not in err
    assert main(["--db", str(db_path), "add", "--name", f"Ann {ENGLAND}", "--phone", "4155550132"]) == 0


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.one_of(
    st.characters(),
    st.sampled_from(["\x1b", "\x9b", "\u202e", "\u2066", "\u2028", "\u200b", "\ufeff", "\U000e0041", ENGLAND,
                     "\U0001f3f4", "\U000e007f", "\u200d"]),
)).map("".join))
def test_what_is_shown_never_holds_a_refused_character(text):
    assert refusal(printable(text)) is None
    shown = visible(text)
    assert refusal(shown) is None
    assert len(shown) == len(text)
    # unchanged exactly when there was nothing to refuse
    assert (printable(text) == text) == (refusal(text) is None) == (shown == text)


def test_printable_shows_escapes_by_code_point():
    assert printable("Eve\x1b]2;x\x07") == "Eve\\x1b]2;x\\x07"
    assert printable("a\u202eb\U000e0041") == "a\\u202eb\\U000e0041"
    assert printable(f"Ann {ENGLAND}") == f"Ann {ENGLAND}"
    assert visible("Eve\x1b\x07\x7f\u202e") == "Eve\u241b\u2407\u2421\ufffd"


ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"


def test_text_after_a_subdivision_flag_is_still_checked():
    """The flag's tags are skipped as part of the emoji; what follows the flag is not."""
    assert refusal("Ann " + ENGLAND) is None
    assert refusal(ENGLAND + "\x1b[2J") == f"a control character (U+001B) at position {len(ENGLAND) + 1}"
    assert refusal(ENGLAND + " " + ENGLAND + "\u202e") == f"a bidirectional override (U+202E) at position {2 * len(ENGLAND) + 2}"
    assert printable(ENGLAND + "\x07") == ENGLAND + "\\x07"


def test_a_lone_surrogate_is_named_as_one():
    assert refusal("Ann\ud800") == "a lone surrogate (U+D800) at position 4"
