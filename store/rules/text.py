"""The one rule for characters that text may not hold, and for showing text safely.

Validation refuses these characters in stored text (``refusal``) and every place that shows text
escapes them (``printable``, ``visible``), both from the definition below, so the two cannot drift:

- control characters (Unicode category Cc: C0, DEL, C1), which drive a terminal;
- format characters (Cf), which are invisible and hide or reorder text: bidirectional controls,
  U+200B zero width space, U+200E/U+200F marks, U+2060 word joiner, U+FEFF, Unicode tags...;
- line and paragraph separators (Zl, Zp: U+2028, U+2029);
- lone surrogates (Cs), which cannot even be written as UTF-8.

Kept, because real names and emoji need them: U+200C zero width non-joiner and U+200D zero width
joiner (Persian and Indic names, emoji families), variation selectors (category Mn, not Cf), and
tag characters inside an emoji tag sequence (the subdivision flags, such as England's: U+1F3F4,
tags U+E0020-U+E007E, then U+E007F). A tag anywhere else is refused.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterator

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
ALLOWED_FORMAT = frozenset("\u200c\u200d")  # ZWNJ, ZWJ
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BLACK_FLAG = "\U0001f3f4"
_EMOJI_TAG_SEQUENCE = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


def refused_positions(text: str) -> Iterator[int]:
    """The index of every refused character in ``text``, by a full scan (see the module doc)."""
    category = unicodedata.category
    i, end = 0, len(text)
    while i < end:
        ch = text[i]
        if ch == BLACK_FLAG and (sequence := _EMOJI_TAG_SEQUENCE.match(text, i)):
            i = sequence.end()  # a subdivision flag: its tags are part of the emoji
            continue
        if ch not in ALLOWED_FORMAT and category(ch) in REFUSED_CATEGORIES:
            yield i
        i += 1


def first_refused(text: str) -> int | None:
    """The index of the first refused character, or None when ``text`` may be stored."""
    if text.isprintable():
        return None  # the common case, at C speed: every refused category is non-printable
    return next(refused_positions(text), None)


def describe(ch: str) -> str:
    """What kind of refused character ``ch`` is, for a message: ``a control character (U+001B)``."""
    category = unicodedata.category(ch)
    if ch in BIDI_CONTROLS:
        kind = "a bidirectional override"
    elif category == "Cc":
        kind = "a control character"
    elif category in ("Zl", "Zp"):
        kind = "a line or paragraph separator"
    elif "\U000e0000" <= ch <= "\U000e007f":
        kind = "a tag character outside an emoji flag"
    elif category == "Cs":
        kind = "a lone surrogate"
    else:
        kind = "an invisible formatting character"
    return f"{kind} (U+{ord(ch):04X})"


def refusal(text: str) -> str | None:
    """``a control character (U+001B) at position 4`` for the first refused character, or None."""
    index = first_refused(text)
    if index is None:
        return None
    return f"{describe(text[index])} at position {index + 1}"


def escape_refused(text: str, escape: Callable[[str], str]) -> str:
    """``text`` with each refused character replaced by ``escape(character)``."""
    if text.isprintable():
        return text
    pieces: list[str] = []
    start = 0
    for index in refused_positions(text):
        pieces.append(text[start:index])
        pieces.append(escape(text[index]))
        start = index + 1
    if not pieces:
        return text
    pieces.append(text[start:])
    return "".join(pieces)


def _backslash(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` with every refused character shown as a visible escape such as ``\\x1b``.

    Everything that shows stored or outside text (the app, the command line, messages) goes
    through this (or ``visible``), so nothing in it can drive or reorder the terminal.
    """
    return escape_refused(text, _backslash)


def _picture(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode's control pictures: ␛ for ESC, ␇ for BEL, ␊ for LF
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def visible(text: str) -> str:
    """``text`` with each refused character replaced by one visible character (``␛``, ``␇``, ``�``).

    Unlike ``printable`` it keeps the length, so positions in the shown text are positions in the
    text itself: for an input field that holds text as typed while showing it safely.
    """
    return escape_refused(text, _picture)
