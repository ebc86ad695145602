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

Accents: opt-out and help keywords match with or without them ("ARRET", "arrêt"; "stöp" is STOP):
reading a revocation generously is the safe side. Opt-in keywords match only as spelled, so no
message opts anyone in unless it is exactly an opt-in keyword in force.

Which keywords are in force is a ``KeywordSet``: the standard English ones below, plus the
language sets and words an admin turned on (store.consent.keyword_settings). ``classify_reply`` and
``matched_keyword`` without a set use the standard one; ``record_reply`` uses the store's.

A message that is not an exact keyword but contains an opt-out keyword as a whole word ("please
stop texting me", "STOP 😡", '"stop"'), or one of a few plain revocation phrases ("remove me",
"don't text me"), is a POSSIBLE_REVOCATION: a person reviews it, because consent law asks that
reasonable revocations be honoured. Opt-ins are never guessed: "yes please" is OTHER.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Iterable


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


def fold_accents(normalized: str) -> str:
    """``normalized`` without combining marks: "arrêt" -> "arret", "información" -> "informacion"."""
    decomposed = unicodedata.normalize("NFD", normalized)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def reply_words(normalized: str) -> list[str]:
    """The words of a normalised reply, accents folded and apostrophes dropped ("don't" -> "dont")."""
    return _WORD.findall(fold_accents(_APOSTROPHES.sub("", normalized)))


@dataclass(frozen=True)
class Keyword:
    """One keyword in force. ``source``: "en" (standard English), a language code, or "admin"."""

    word: str
    kind: ReplyKind
    lifts: bool = False  # an opt-in keyword that also lifts an opt-out (START; never YES)
    source: str = "en"


def standard_keywords() -> list[Keyword]:
    return [
        *(Keyword(k, ReplyKind.OPT_OUT) for k in OPT_OUT_KEYWORDS),
        *(Keyword(k, ReplyKind.OPT_IN, k in LIFTS_OPT_OUT) for k in OPT_IN_KEYWORDS),
        *(Keyword(k, ReplyKind.HELP) for k in HELP_KEYWORDS),
    ]


class KeywordSet:
    """The keywords in force, compiled once (per change of the settings), read for every reply.

    Opt-out and help keywords match without accents ("ARRET" and "ARRÊT" are one word): reading
    a revocation generously is the safe side. Opt-in keywords match only in their exact
    normalised spelling, so a message opts nobody in unless it is one of them. Should a file hold
    one word in two kinds, opt-out wins over help, which wins over opt-in.
    """

    def __init__(self, keywords: Iterable[Keyword], phrases: Iterable[str] = REVOCATION_PHRASES):
        self.keywords = tuple(keywords)
        order = {ReplyKind.OPT_OUT: 0, ReplyKind.HELP: 1, ReplyKind.OPT_IN: 2}
        self._folded: dict[str, Keyword] = {}  # opt-out and help, by folded form
        self._opt_in: dict[str, Keyword] = {}  # by exact normalised form
        for keyword in sorted(self.keywords, key=lambda k: order[k.kind]):
            form = normalize_reply(keyword.word)
            if keyword.kind is ReplyKind.OPT_IN:
                if fold_accents(form) not in self._folded:
                    self._opt_in.setdefault(form, keyword)
            else:
                self._folded.setdefault(fold_accents(form), keyword)
        out = {" ".join(reply_words(normalize_reply(k.word))) for k in self.keywords if k.kind is ReplyKind.OPT_OUT}
        self._out_words = frozenset(w for w in out if w and " " not in w)
        self._out_phrases = tuple(sorted(w for w in out if " " in w))
        self._phrases = tuple(" ".join(reply_words(normalize_reply(p))) for p in phrases)

    @classmethod
    def standard(cls) -> "KeywordSet":
        """The standard English keywords alone (what a file with no keyword settings uses)."""
        return _STANDARD

    def match(self, text: str) -> tuple[ReplyKind, Keyword | None]:
        """What the reply is, and the keyword it is exactly (None for a near miss or other text)."""
        normalized = normalize_reply(text)
        hit = self._folded.get(fold_accents(normalized)) or self._opt_in.get(normalized)
        if hit is not None and hit.kind is ReplyKind.OPT_OUT:
            return hit.kind, hit
        # Checked before an opt-in or help keyword: one holding a revocation ("REMOVE ME" in a file
        # from before the rule refusing such keywords) is read as the possible revocation it also is.
        if self.revocation_word(normalized) is not None:
            return ReplyKind.POSSIBLE_REVOCATION, None
        if hit is not None:
            return hit.kind, hit
        return ReplyKind.OTHER, None

    def classify(self, text: str) -> ReplyKind:
        return self.match(text)[0]

    def matched_keyword(self, text: str) -> str | None:
        hit = self.match(text)[1]
        return hit.word if hit else None

    def lifts(self, text: str) -> bool:
        """Is ``text`` exactly an opt-in keyword that lifts an opt-out?"""
        hit = self.match(text)[1]
        return bool(hit and hit.kind is ReplyKind.OPT_IN and hit.lifts)

    def revocation_word(self, normalized: str) -> str | None:
        """The opt-out word or revocation phrase a (normalised) message holds as whole words, if any."""
        words = reply_words(normalized)
        found = next((word for word in words if word in self._out_words), None)
        if found is not None:
            return found
        spaced = f" {' '.join(words)} "
        return next((p for p in (*self._out_phrases, *self._phrases) if f" {p} " in spaced), None)


_STANDARD = KeywordSet(standard_keywords())


def matched_keyword(text: str, keywords: KeywordSet | None = None) -> str | None:
    """The keyword (as listed, e.g. "STOP ALL") the whole reply matches, or None."""
    return (keywords or _STANDARD).matched_keyword(text)


def classify_reply(text: str, keywords: KeywordSet | None = None) -> ReplyKind:
    """What the reply is, read with ``keywords`` (the standard English ones when None)."""
    return (keywords or _STANDARD).classify(text)
