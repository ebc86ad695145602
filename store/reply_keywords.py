"""Reading an SMS reply: is it an opt-out, an opt-in, a help request, or none of these?

Carriers and consent law match keywords against the WHOLE message, so "STOP" opts out but
"STOPPED" or "stop by tomorrow" do not. Phones and people add noise, which ``normalize_reply``
removes in this order:

1. Unicode NFKC (full-width "ＳＴＯＰ" becomes "STOP") and removal of invisible format characters
   (zero-width spaces, bidi marks: category Cf).
2. Trim and case-fold.
3. Remove trailing punctuation and the spaces among it ("Stop!", "stop !!", "OPTOUT." -> "stop",
   "optout"). Leading punctuation stays, so '"STOP' is not an exact match (it is flagged for review).
4. Collapse: every run of white space and/or dashes (hyphen-minus and the other Unicode dashes)
   becomes ONE space. "STOP   ALL", "stop-all", "stop - all" all become "stop all".

"Collapsed" therefore never deletes a separator, it only makes every separator the same. Two-word
keywords are listed in both spellings ("stop all" and "stopall", "opt out" and "optout", "opt in"
and "optin"), so both match, while a space is never removed inside a word: "st op" is not "stop".

A message that is not an exact keyword but contains an opt-out keyword as a whole word ("please
stop texting me", "STOP 😡", '"stop"'), or one of a few plain revocation phrases ("remove me",
"don't text me"), is a POSSIBLE_REVOCATION: a person reviews it, because consent law asks that
reasonable revocations be honoured. Opt-ins are never guessed: "yes please" is OTHER.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum


class ReplyKind(Enum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"
    POSSIBLE_REVOCATION = "possible_revocation"
    OTHER = "other"


OPT_OUT_KEYWORDS = ("STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT")
OPT_IN_KEYWORDS = ("START", "UNSTOP", "OPTIN", "OPT IN", "SUBSCRIBE", "YES")
HELP_KEYWORDS = ("HELP", "INFO")
# The opt-in keywords that lift an opt-out. YES confirms consent but does not undo an opt-out:
# a bare "yes" may answer anything, and the README promises START, UNSTOP, OPTIN or SUBSCRIBE.
LIFTS_OPT_OUT = frozenset({"START", "UNSTOP", "OPTIN", "OPT IN", "SUBSCRIBE"})

# Plain-language revocations that contain no keyword (apostrophes are dropped before matching).
REVOCATION_PHRASES = (
    "remove me",
    "take me off",
    "do not text",
    "dont text",
    "do not message",
    "dont message",
    "do not contact",
    "dont contact",
    "no more texts",
    "no more messages",
    "leave me alone",
)

_KINDS = {
    **{k.casefold(): (k, ReplyKind.OPT_OUT) for k in OPT_OUT_KEYWORDS},
    **{k.casefold(): (k, ReplyKind.OPT_IN) for k in OPT_IN_KEYWORDS},
    **{k.casefold(): (k, ReplyKind.HELP) for k in HELP_KEYWORDS},
}
_OPT_OUT_WORDS = frozenset(k.casefold() for k in OPT_OUT_KEYWORDS)

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]+")
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc]")
_WORD = re.compile(r"[^\W_]+")


def normalize_reply(text: str) -> str:
    """The comparable form of a reply (see the module docstring for each step)."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.strip().casefold()
    end = len(text)
    while end and (text[end - 1].isspace() or unicodedata.category(text[end - 1]).startswith("P")):
        end -= 1
    return _SEPARATORS.sub(" ", text[:end]).strip()


def matched_keyword(text: str) -> str | None:
    """The keyword (as listed above, e.g. "STOP ALL") the whole reply matches, or None."""
    hit = _KINDS.get(normalize_reply(text))
    return hit[0] if hit else None


def classify_reply(text: str) -> ReplyKind:
    normalized = normalize_reply(text)
    hit = _KINDS.get(normalized)
    if hit:
        return hit[1]
    if _looks_like_revocation(normalized):
        return ReplyKind.POSSIBLE_REVOCATION
    return ReplyKind.OTHER


def _looks_like_revocation(normalized: str) -> bool:
    words = _WORD.findall(_APOSTROPHES.sub("", normalized))
    if any(word in _OPT_OUT_WORDS for word in words):
        return True
    spaced = f" {' '.join(words)} "
    pairs = {f"{a} {b}" for a, b in zip(words, words[1:])}
    return bool(pairs & _OPT_OUT_WORDS) or any(f" {phrase} " in spaced for phrase in REVOCATION_PHRASES)
