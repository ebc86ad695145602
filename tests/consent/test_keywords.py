"""normalize_reply and classify_reply: every keyword, its noisy spellings, and the near misses."""

from __future__ import annotations

import pytest

from store.consent.replies import ReplyKind, classify_reply, normalize_reply
from store.consent.reply_keywords import HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS, matched_keyword

OUT, IN, HELP, REVIEW, OTHER = (
    ReplyKind.OPT_OUT,
    ReplyKind.OPT_IN,
    ReplyKind.HELP,
    ReplyKind.POSSIBLE_REVOCATION,
    ReplyKind.OTHER,
)


def noisy(keyword: str) -> list[str]:
    """The ways a phone or a person dresses up a keyword; each must still match."""
    return [
        keyword,
        keyword.lower(),
        keyword.title(),
        f"  {keyword}  ",
        f"{keyword}!",
        f"{keyword}.",
        f"{keyword} !!?",
        f"\t{keyword.lower()}\n",
        keyword.replace(" ", "-"),
        keyword.replace(" ", "   "),
        keyword.replace(" ", " - "),
    ]


@pytest.mark.parametrize(
    "keywords, kind",
    [(OPT_OUT_KEYWORDS, OUT), (OPT_IN_KEYWORDS, IN), (HELP_KEYWORDS, HELP)],
)
def test_every_keyword_matches_in_every_noisy_spelling(keywords, kind):
    for keyword in keywords:
        for text in noisy(keyword):
            assert classify_reply(text) is kind, (keyword, text)
            assert matched_keyword(text) == keyword, (keyword, text)


@pytest.mark.parametrize("text", ["hello", "STOPPING BY LATER", "START NOW", ""])
def test_a_reply_that_is_no_keyword_names_none(text):
    assert matched_keyword(text) is None


def test_a_word_held_as_opt_out_and_as_help_is_an_opt_out_in_whichever_order_it_is_listed():
    from store.consent.reply_keywords import Keyword, KeywordSet

    help_first = KeywordSet([Keyword("HALT", ReplyKind.HELP), Keyword("HALT", ReplyKind.OPT_OUT)])
    out_first = KeywordSet([Keyword("HALT", ReplyKind.OPT_OUT), Keyword("HALT", ReplyKind.HELP)])
    for keywords in (help_first, out_first):
        kind, keyword = keywords.match("halt")
        assert kind is ReplyKind.OPT_OUT and keyword == Keyword("HALT", ReplyKind.OPT_OUT)


def test_the_keyword_lists_are_the_ones_the_rules_name():
    assert set(OPT_OUT_KEYWORDS) == {
        "STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT",
    }
    assert set(OPT_IN_KEYWORDS) == {"START", "UNSTOP", "OPTIN", "OPT IN", "SUBSCRIBE", "YES"}
    assert set(HELP_KEYWORDS) == {"HELP", "INFO"}


@pytest.mark.parametrize(
    "text, kind",
    [
        # the examples from the rules
        ("Stop!", OUT),
        (" stop ", OUT),
        ("STOP ALL", OUT),
        ("stop-all", OUT),
        ("Opt out", OUT),
        ("opt-out", OUT),
        ("OPTOUT.", OUT),
        # collapsing: separators become one space, never vanish
        ("STOPALL", OUT),
        ("stop\u2013all", OUT),  # en dash
        ("opt\u00a0out", OUT),  # no-break space
        ("ＳＴＯＰ", OUT),  # full-width letters from some phones
        ("stop\u200b", OUT),  # zero-width space
        ("st op", OTHER),
        ("s-t-o-p", OTHER),
        ("opt--in!", IN),
        ("Help?", HELP),
        ("info...", HELP),
        # words that merely contain a keyword
        ("STOPPED", OTHER),
        ("stops", OTHER),
        ("nonstop", OTHER),
        ("starting", OTHER),
        ("restart", OTHER),
        ("yesterday", OTHER),
        ("eyes", OTHER),
        ("BACKEND", OTHER),
        ("weekend", OTHER),
        ("quite", OTHER),
        ("cancellation", OTHER),
        ("helpful", OTHER),
        ("information", OTHER),
        ("subscriber", OTHER),
        # empty and blank
        ("", OTHER),
        ("   ", OTHER),
        ("\n\t", OTHER),
        ("!!!", OTHER),
        # opt-out words among other words: a person reviews them
        ("please stop texting me", REVIEW),
        ("STOP STOP", REVIEW),
        ("stop it", REVIEW),
        ("I want to unsubscribe", REVIEW),
        ("cancel my subscription", REVIEW),
        ("QUIT sending these", REVIEW),
        ("Please opt-out me", REVIEW),
        ("stop all of this", REVIEW),
        ('"STOP"', REVIEW),  # leading punctuation is kept, so not exact
        ("STOP 😡", REVIEW),
        ("remove me from this list", REVIEW),
        ("Don\u2019t text me again", REVIEW),
        ("do not text this number", REVIEW),
        # opt-ins and help are never guessed
        ("yes please", OTHER),
        ("start again", OTHER),
        ("help me", OTHER),
        ("I stopped by yesterday", OTHER),
        ("see you Tuesday", OTHER),
    ],
)
def test_classify(text, kind):
    assert classify_reply(text) is kind


@pytest.mark.parametrize(
    "text, normalized",
    [
        ("  Stop!  ", "stop"),
        ("STOP   ALL", "stop all"),
        ("stop - all !!", "stop all"),
        ("Opt-Out.", "opt out"),
        ("STOPALL", "stopall"),
        ("please   stop texting me.", "please stop texting me"),
        ('"STOP"', '"stop'),
        ("", ""),
    ],
)
def test_normalize_reply(text, normalized):
    assert normalize_reply(text) == normalized
