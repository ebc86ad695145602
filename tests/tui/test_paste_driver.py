"""PasteGuard: keys pass unchanged; a paste's ESC and NUL travel coded and come back exact."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tui.paste_driver import ESCAPE_KEY, MARK, PASTE_END, PASTE_START, PasteGuard, decode_paste

# Pasted text: anything a clipboard can hold (ESC, NUL, BEL, the mark itself, partial markers)
# except the end marker, which ends a bracketed paste by definition.
PASTED = st.text(st.sampled_from(["a", "Z", "é", "李", "\x1b", "\x00", "\x07", "[", "2", "0", "1", "~", MARK, "\n"])).filter(
    lambda t: PASTE_END.decode() not in t
)
# Typed bytes never hold CSI 27 u themselves, so turning the guard's CSI 27 u back into ESC (below)
# gives exactly what came in.
TYPED = st.binary(max_size=20).filter(
    lambda b: PASTE_START not in b and not PASTE_START.startswith(b[-5:] or b"-") and ESCAPE_KEY not in b
)


def run(data: bytes, cuts: list[int]) -> bytes:
    """Feed ``data`` in the pieces ``cuts`` makes (as reads from a terminal would come)."""
    guard = PasteGuard()
    out = b""
    start = 0
    for cut in sorted(c % (len(data) + 1) for c in cuts):
        out += guard.feed(data[start:cut])
        start = max(start, cut)
    return out + guard.feed(data[start:]) + guard.flush()


@given(TYPED, PASTED, TYPED, st.lists(st.integers(min_value=0), max_size=8))
def test_a_paste_comes_back_exact_and_typed_keys_unchanged(before, pasted, after, cuts):
    data = before + PASTE_START + pasted.encode() + PASTE_END + after
    out = run(data, cuts)
    head, rest = out.split(PASTE_START, 1)
    coded, tail = rest.split(PASTE_END, 1)
    assert head.replace(ESCAPE_KEY, b"\x1b") == before and tail.replace(ESCAPE_KEY, b"\x1b") == after
    assert b"\x1b" not in coded and b"\x00" not in coded  # nothing left for the parser to trip on
    assert decode_paste(coded.decode()) == pasted


def escapes_made_plain(data: bytes) -> bytes:
    """``data`` with each Escape key that has another key after it in the same read (ESC then
    anything but ``[``, ``O`` or DEL) written as CSI 27 u."""
    return re.sub(rb"\x1b(?=[^\[O\x7f])", lambda m: ESCAPE_KEY, data)


@given(st.binary(max_size=40))
def test_without_a_paste_bytes_pass_as_they_came_but_an_escape_key_with_more_after_it(data):
    data = data.replace(PASTE_START, b"")
    if PASTE_START in data:
        return
    assert PasteGuard().feed(data) == escapes_made_plain(data)


@given(st.binary(max_size=40), st.lists(st.integers(min_value=0), max_size=8))
def test_reads_cut_anywhere_change_only_escape_keys(data, cuts):
    """Cut into reads, an ESC at a read's end passes as it is (Textual's parser waits for more);
    otherwise the same bytes."""
    data = data.replace(PASTE_START, b"")
    if PASTE_START in data or ESCAPE_KEY in data:
        return
    assert run(data, cuts).replace(ESCAPE_KEY, b"\x1b") == data


def test_escape_then_keys_in_one_read_is_the_escape_key_then_those_keys():
    """Textual read ``ESC d ESC [ B`` as a "^" key, d, Down: Escape was typed as text."""
    assert PasteGuard().feed(b"Ann\x1bd\x1b[B") == b"Ann" + ESCAPE_KEY + b"d\x1b[B"
    assert PasteGuard().feed(b"\x1b\x1b") == ESCAPE_KEY + b"\x1b"
    assert PasteGuard().feed(b"x\x1b\x7f") == b"x\x1b\x7f"  # Alt+Backspace stays one key
    assert PasteGuard().feed(b"\x1bOP\x1b[A") == b"\x1bOP\x1b[A"  # F1, Up


def test_a_lone_escape_key_is_not_held_back():
    guard = PasteGuard()
    assert guard.feed(b"\x1b") == b"\x1b"
    assert guard.feed(b"\x1b[20") == b"\x1b[20"  # a key sequence's start outside a paste passes at once


def test_the_issue_s_paste():
    guard = PasteGuard()
    pasted = "Eve\x1b]52;c;aGVsbG8=\x07X"
    out = guard.feed(PASTE_START + pasted.encode() + PASTE_END)
    assert b"\x1b]" not in out
    assert decode_paste(out[len(PASTE_START) : -len(PASTE_END)].decode()) == pasted
