"""Keywords an admin sets (store.consent.keyword_settings): words per kind, language sets, history.

The rules: the standard English keywords cannot be removed; a keyword is printable, short, made
of words, and in one kind only (opt-out, opt-in or help, compared without accents); every change
is kept in a history in the data file; only who may change settings (admins by default) changes
them; the classifier and record_reply use exactly the keywords in force.
"""

from __future__ import annotations

import json

import pytest

from store import PermissionDenied, Store, ValidationError
from store.consent.replies import ReplyKind, record_reply
from store.errors import NotFound
from store.consent.keyword_settings import (
    LANGUAGES,
    MAX_KEYWORD_LENGTH,
    add_keyword,
    keyword_history,
    keywords_in_force,
    remove_keyword,
    set_language,
)
from store.consent.reply_keywords import HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS

from .conftest import ANN_PHONE, BOB_PHONE

OUT, IN, HELP, REVIEW, OTHER = (
    ReplyKind.OPT_OUT, ReplyKind.OPT_IN, ReplyKind.HELP, ReplyKind.POSSIBLE_REVOCATION, ReplyKind.OTHER,
)


def kind_of(store: Store, text: str) -> ReplyKind:
    return store.reply_keywords().classify(text)


# -- adding and removing words ----------------------------------------------------------------------


def test_an_added_opt_out_word_opts_out_through_record_reply(store, ann, db_path):
    assert record_reply(store, ANN_PHONE, "REMOVE").kind is OTHER  # not a keyword before
    store2 = Store.open(db_path, user="alice")
    add_keyword(store2, "opt-out", "remove")
    result = record_reply(store2, ANN_PHONE, "Remove!")
    assert result.kind is OUT and result.opted_out_changed
    assert store2.get(ann.id).opted_out


def test_record_reply_reads_the_keywords_another_process_just_set(store, ann, db_path):
    other = Store.open(db_path, user="alice")
    set_language(other, "es", True)
    result = record_reply(store, ANN_PHONE, "ALTO")  # store has not reloaded by itself
    assert result.kind is OUT and result.opted_out_changed


def test_an_added_help_word_and_opt_in_word(store):
    add_keyword(store, "help", "support")
    add_keyword(store, "opt-in", "join")
    assert kind_of(store, "Support?") is HELP
    assert kind_of(store, "JOIN") is IN
    assert store.reply_keywords().lifts("join")


def test_added_words_are_stored_in_one_normalised_form(store, db_path):
    assert add_keyword(store, "opt-out", "  take-me   off  ") == "TAKE ME OFF"
    data = json.loads(db_path.read_bytes())
    assert data["settings"]["1"]["keywords"]["opt_out"] == ["TAKE ME OFF"]
    assert kind_of(store, "take me off") is OUT
    assert kind_of(store, "TAKE-ME-OFF.") is OUT


def test_removing_an_added_word_stops_it(store):
    add_keyword(store, "opt-out", "REMOVE")
    remove_keyword(store, "opt-out", "remove")
    assert kind_of(store, "REMOVE") is not OUT


@pytest.mark.parametrize(
    "kind, word", [("opt-out", w) for w in OPT_OUT_KEYWORDS] + [("opt-in", w) for w in OPT_IN_KEYWORDS]
    + [("help", w) for w in HELP_KEYWORDS],
)
def test_standard_english_keywords_cannot_be_removed(store, unchanged, kind, word):
    with unchanged(), pytest.raises(ValidationError, match="standard English .* cannot be removed"):
        remove_keyword(store, kind, word.lower())


def test_a_language_word_is_removed_by_turning_the_language_off(store, unchanged):
    set_language(store, "es", True)
    with unchanged(), pytest.raises(ValidationError, match="Spanish.*turn Spanish off"):
        remove_keyword(store, "opt-out", "ALTO")


def test_removing_a_word_that_is_not_there_is_refused(store, unchanged):
    with unchanged(), pytest.raises(NotFound, match="FOO is not an opt-out keyword"):
        remove_keyword(store, "opt-out", "foo")


@pytest.mark.parametrize(
    "kind, word, message",
    [
        ("opt-out", "", "A keyword is required"),
        ("opt-out", "   ", "A keyword is required"),
        ("opt-out", "!!!", "letters or digits"),
        ("opt-out", "stop\x1b[31m", "control character"),
        ("opt-out", "st\u202eop", "bidirectional"),
        ("opt-out", "x" * (MAX_KEYWORD_LENGTH + 1), f"longer than {MAX_KEYWORD_LENGTH}"),
        ("opt-out", "don't", "letters and digits"),
        ("opt-out", "stop@once", "letters and digits"),
        ("opt-out", "stop", "already an opt-out keyword"),
        ("opt-out", "Stop All", "already an opt-out keyword"),
        ("opt-out", "yes", "both"),  # a standard opt-in word
        ("opt-in", "stop", "both"),
        ("opt-in", "stöp", "both"),  # the same word without its accent
        ("help", "start", "both"),
        ("opt-in", "please stop", "contains the opt-out word"),
        ("sideways", "foo", "opt-out, opt-in or help"),
        ("opt-out", 7, "A keyword must be text"),
    ],
)
def test_bad_keywords_are_refused_and_change_nothing(store, unchanged, kind, word, message):
    with unchanged(), pytest.raises(ValidationError, match=message):
        add_keyword(store, kind, word)


def test_a_word_cannot_be_added_to_a_second_kind_later(store, unchanged):
    add_keyword(store, "opt-in", "join")
    with unchanged(), pytest.raises(ValidationError, match="both"):
        add_keyword(store, "opt-out", "JOIN")
    with unchanged(), pytest.raises(ValidationError, match="already an opt-in keyword"):
        add_keyword(store, "opt-in", "Join!")


def test_an_opt_out_word_that_an_opt_in_word_contains_is_refused(store, unchanged):
    add_keyword(store, "opt-in", "join now")
    with unchanged(), pytest.raises(ValidationError, match="JOIN NOW"):
        add_keyword(store, "opt-out", "now")


# -- languages ------------------------------------------------------------------------------------


def test_at_least_spanish_and_french():
    assert {"es", "fr"} <= set(LANGUAGES)
    assert {"ALTO", "PARAR", "BAJA", "CANCELAR", "DETENER"} <= set(LANGUAGES["es"].opt_out)
    assert {"ARRET", "ARRÊT", "DESABONNER"} <= set(LANGUAGES["fr"].opt_out)


@pytest.mark.parametrize(
    "code, text, kind",
    [
        ("es", "ALTO", OUT), ("es", "parar!", OUT), ("es", "Baja", OUT), ("es", "cancelar", OUT),
        ("es", "DETENER", OUT), ("es", "ayuda", HELP), ("es", "Información", HELP), ("es", "informacion", HELP),
        ("es", "por favor PARA ya", REVIEW), ("es", "quiero darme de baja", REVIEW),
        ("fr", "ARRET", OUT), ("fr", "ARRÊT", OUT), ("fr", "arrêt.", OUT), ("fr", "Désabonner", OUT),
        ("fr", "desabonner", OUT), ("fr", "AIDE", HELP), ("fr", "merci, arrêtez svp", REVIEW), ("fr", "à bientôt", OTHER),
        ("fr", "arret svp", REVIEW), ("fr", "s'il vous plaît ARRÊT", REVIEW),
    ],
)
def test_language_words_act_only_when_turned_on(store, code, text, kind):
    before = kind_of(store, text)
    set_language(store, code, True)
    assert kind_of(store, text) is kind
    set_language(store, code, False)
    assert kind_of(store, text) is before


def test_the_near_miss_review_works_for_spanish_through_record_reply(store, ann):
    set_language(store, "es", True)
    result = record_reply(store, ANN_PHONE, "por favor PARA ya")
    assert result.kind is REVIEW and result.flagged_for_review
    assert [item["text"] for item in store.get(ann.id).review] == ["por favor PARA ya"]


def test_language_opt_in_words_lift_only_where_the_english_rule_would(store, ann):
    set_language(store, "es", True)
    set_language(store, "fr", True)
    record_reply(store, ANN_PHONE, "BAJA")
    for confirm in ("SI", "sí", "OUI"):  # like YES: confirm consent, never lift an opt-out
        assert kind_of(store, confirm) is IN
        result = record_reply(store, ANN_PHONE, confirm)
        assert not result.opted_out_changed and store.get(ann.id).opted_out
    assert record_reply(store, ANN_PHONE, "comenzar").opted_out_changed
    assert not store.get(ann.id).opted_out


def test_an_opt_in_word_is_never_matched_without_its_exact_spelling(store, ann):
    set_language(store, "es", True)
    record_reply(store, ANN_PHONE, "STOP")
    for near in ("comenzár", "comenzar ya", "stárt", "start please"):
        result = record_reply(store, ANN_PHONE, near)
        assert not result.opted_out_changed, near
    assert store.get(ann.id).opted_out


def test_an_opt_out_word_from_an_unknown_number_suppresses_it(store):
    set_language(store, "fr", True)
    result = record_reply(store, BOB_PHONE, "Arrêt")
    assert result.suppression_changed and store.is_suppressed(BOB_PHONE)


def test_a_language_that_would_clash_with_an_added_word_is_refused(store, unchanged):
    add_keyword(store, "opt-in", "para")  # Spanish is off: no clash yet
    with unchanged(), pytest.raises(ValidationError, match="PARA"):
        set_language(store, "es", True)


def test_unknown_language_is_refused(store, unchanged):
    with unchanged(), pytest.raises(ValidationError, match="es or fr"):
        set_language(store, "de", True)


def test_turning_on_a_language_that_is_on_changes_nothing(store, db_path):
    set_language(store, "es", True)
    before = db_path.read_bytes()
    set_language(store, "es", True)
    assert db_path.read_bytes() == before
    assert len(keyword_history(store)) == 1


# -- what is in force, and the history -------------------------------------------------------------


def test_keywords_in_force_name_kind_and_source(store):
    set_language(store, "fr", True)
    add_keyword(store, "opt-out", "TD")
    found = {(k.word, k.kind, k.source) for k in keywords_in_force(store)}
    assert ("STOP", OUT, "en") in found
    assert ("ARRÊT", OUT, "fr") in found
    assert ("TD", OUT, "admin") in found
    assert not any(source == "es" for _, _, source in found)


def test_every_change_goes_to_the_history_with_who_and_when(store, db_path):
    add_keyword(store, "opt-out", "remove")
    set_language(store, "es", True)
    other = Store.open(db_path, user="carol")
    store.set_role("carol", "admin")
    other.refresh()
    remove_keyword(other, "opt-out", "REMOVE")
    set_language(other, "es", False)
    history = keyword_history(Store.open(db_path, user="x"))
    assert [(h["by"], h["change"], h["kind"], h["word"]) for h in history] == [
        ("alice", "added", "opt_out", "REMOVE"),
        ("alice", "turned on", "language", "es"),
        ("carol", "removed", "opt_out", "REMOVE"),
        ("carol", "turned off", "language", "es"),
    ]
    assert all(h["at"].endswith("Z") for h in history)
    assert json.loads(db_path.read_bytes())["settings"]["1"]["keyword_history"] == history


# -- permissions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_only_admins_change_keywords(store, db_path, unchanged, role):
    store.set_role("bob", role)
    bob = Store.open(db_path, user="bob")
    with unchanged():
        for change in (
            lambda: add_keyword(bob, "opt-out", "remove"),
            lambda: remove_keyword(bob, "opt-out", "remove"),
            lambda: set_language(bob, "es", True),
        ):
            with pytest.raises(PermissionDenied, match="change settings"):
                change()
    assert bob.reply_keywords().classify("ALTO") is OTHER  # reading is open to all


def test_an_admin_can_let_a_user_change_them_with_the_settings_rule(store, db_path):
    store.set_policy("bob", "settings", True)
    bob = Store.open(db_path, user="bob")
    add_keyword(bob, "opt-out", "remove")
    assert keyword_history(bob)[-1]["by"] == "bob"


# -- compiled once per change ---------------------------------------------------------------------


def test_the_classifier_is_compiled_once_per_settings_change(store, ann):
    first = store.reply_keywords()
    record_reply(store, ANN_PHONE, "hello")  # a change of a contact, not of settings
    store.add_contact("Bob", BOB_PHONE)
    assert store.reply_keywords() is first
    add_keyword(store, "opt-out", "remove")
    assert store.reply_keywords() is not first


# -- the exact words people read (pinned by mutation testing) -------------------------------------


@pytest.mark.parametrize(
    "change, field, message",
    [
        (lambda s: add_keyword(s, "opt-out", "stop"), "keyword", "STOP is already an opt-out keyword (standard English)"),
        (lambda s: add_keyword(s, "help", "help"), "keyword", "HELP is already a help keyword (standard English)"),
        (lambda s: add_keyword(s, "opt-out", "yes"), "keyword",
         "YES would be both an opt-in keyword (YES, standard English) and an opt-out keyword (added by an admin); "
         "a word has one kind only"),
        (lambda s: add_keyword(s, "opt-in", "please stop"), "keyword",
         "The opt-in keyword PLEASE STOP (added by an admin) contains the opt-out word STOP: a reply holding it "
         "would both opt in and look like a revocation"),
        (lambda s: add_keyword(s, "help", "stop help"), "keyword",
         "The help keyword STOP HELP (added by an admin) contains the opt-out word STOP: a reply holding it "
         "would both ask for help and look like a revocation"),
        (lambda s: add_keyword(s, "sideways", "foo"), "kind", "Unknown keyword kind 'sideways'; use opt-out, opt-in or help"),
        (lambda s: add_keyword(s, "opt-out", 7), "keyword", "A keyword must be text"),
        (lambda s: add_keyword(s, "opt-out", " "), "keyword", "A keyword is required"),
        (lambda s: add_keyword(s, "opt-out", "!!!"), "keyword", "Keyword '!!!' has no letters or digits"),
        (lambda s: add_keyword(s, "opt-out", "stop\x1b[31m"), "keyword", "A keyword may not hold a control character (U+001B)"),
        (lambda s: add_keyword(s, "opt-out", "don't"), "keyword",
         "Keyword \"don't\" may hold only letters and digits, its words separated by spaces or dashes"),
        (lambda s: add_keyword(s, "opt-out", "x" * 31), "keyword", f"Keyword '{'x' * 31}' is longer than 30 characters"),
        (lambda s: remove_keyword(s, "opt-out", "stop"), "keyword", "STOP is a standard English opt-out keyword and cannot be removed"),
        (lambda s: remove_keyword(s, "help", "info"), "keyword", "INFO is a standard English help keyword and cannot be removed"),
        (lambda s: set_language(s, "de", True), "language", "Unknown language 'de'; use es or fr"),
    ],
)
def test_refusals_say_exactly_what_is_wrong_and_name_the_field(store, unchanged, change, field, message):
    with unchanged(), pytest.raises(ValidationError) as caught:
        change(store)
    assert caught.value.errors == {field: message}


def test_a_word_already_there_without_its_accents_is_named_with_where_it_comes_from(store):
    add_keyword(store, "opt-out", "remove")
    with pytest.raises(ValidationError) as caught:
        add_keyword(store, "opt-out", "rémove")
    assert str(caught.value) == "RÉMOVE is already an opt-out keyword as REMOVE (the same word without accents) (added by an admin)"
    set_language(store, "fr", True)
    with pytest.raises(ValidationError) as caught:
        add_keyword(store, "help", "arret")
    assert str(caught.value) == (
        "ARRET would be both an opt-out keyword (ARRET, French) and a help keyword (added by an admin); a word has one kind only"
    )


@pytest.mark.parametrize("kind, word", [("opt-out", "arret"), ("opt-in", "commencer"), ("help", "aide")])
def test_every_kind_of_language_word_is_removed_only_by_turning_the_language_off(store, unchanged, kind, word):
    set_language(store, "fr", True)
    with unchanged(), pytest.raises(ValidationError) as caught:
        remove_keyword(store, kind, word)
    assert caught.value.errors == {
        "keyword": f"{word.upper()} comes with the French keywords; to stop it, turn French off (contacts keywords language fr off)"
    }


@pytest.mark.parametrize("kind, article", [("opt-out", "an opt-out"), ("help", "a help")])
def test_removing_a_word_nobody_added_is_not_found(store, unchanged, kind, article):
    with unchanged(), pytest.raises(NotFound) as caught:
        remove_keyword(store, kind, "foo")
    assert str(caught.value) == f"FOO is not {article} keyword an admin added, so there is nothing to remove"


def test_changes_are_described_for_people():
    from store.consent.keyword_settings import describe_change

    assert describe_change({"change": "added", "kind": "opt_out", "word": "REMOVE"}) == "added opt-out keyword REMOVE"
    assert describe_change({"change": "removed", "kind": "opt_in", "word": "JOIN"}) == "removed opt-in keyword JOIN"
    assert describe_change({"change": "turned on", "kind": "language", "word": "es"}) == "turned on Spanish (es)"
    assert describe_change({"change": "turned off", "kind": "language", "word": "xx"}) == "turned off xx (xx)"


def test_sources_are_named_for_people():
    from store.consent.keyword_settings import source_name

    assert [source_name(s) for s in ("en", "admin", "es", "fr")] == [
        "standard English", "added by an admin", "Spanish", "French",
    ]


# -- what is accepted ------------------------------------------------------------------------------


def test_kinds_and_languages_are_read_whatever_their_case_and_spacing(store):
    assert add_keyword(store, " OPT_OUT ", "remove") == "REMOVE"
    assert add_keyword(store, "Help", "support") == "SUPPORT"
    assert set_language(store, " FR ", True) is True
    assert kind_of(store, "remove") is OUT and kind_of(store, "support") is HELP and kind_of(store, "arret") is OUT


def test_a_keyword_of_exactly_the_longest_length_is_accepted(store):
    word = "x" * MAX_KEYWORD_LENGTH
    assert add_keyword(store, "opt-out", word) == word.upper()


def test_a_word_whose_upper_case_reads_as_another_word_is_kept_as_typed(store):
    """Dotless ı in upper case is I, which reads as a dotted i: KAPI would be another word."""
    assert add_keyword(store, "help", "kapı") == "kapı"
    assert kind_of(store, "KAPı") is HELP
    assert kind_of(store, "kapi") is not HELP


def test_removing_one_added_word_keeps_the_others_and_returns_it_as_stored(store, db_path):
    add_keyword(store, "opt-out", "remove")
    add_keyword(store, "opt-out", "td")
    assert remove_keyword(store, "opt-out", "Remove!") == "REMOVE"
    assert json.loads(db_path.read_bytes())["settings"]["1"]["keywords"]["opt_out"] == ["TD"]
    assert kind_of(store, "TD") is OUT
    assert keyword_history(store)[-1]["word"] == "REMOVE"


def test_turning_a_language_on_or_off_says_whether_anything_changed(store):
    assert set_language(store, "es", False) is False
    assert set_language(store, "es", True) is True
    assert set_language(store, "es", True) is False
    assert set_language(store, "es", False) is True
    assert kind_of(store, "ALTO") is OTHER


def test_changing_keywords_keeps_the_other_settings(store, db_path):
    store.set_default_region("GB")
    add_keyword(store, "opt-out", "remove")
    set_language(store, "es", True)
    assert Store.open(db_path, user="x").default_region == "GB"


def test_a_language_adds_its_revocation_phrases_and_keeps_the_english_ones(store):
    assert kind_of(store, "no me escriban mas") is OTHER
    set_language(store, "es", True)
    assert kind_of(store, "no me escriban mas") is REVIEW
    assert kind_of(store, "please remove me from this") is REVIEW


def test_a_store_where_no_keyword_was_ever_changed_has_an_empty_history(store):
    assert keyword_history(store) == []


def test_a_language_s_yes_word_is_named_as_the_language_s_and_removed_only_with_it(store, unchanged):
    set_language(store, "fr", True)
    assert ("OUI", IN, "fr") in {(k.word, k.kind, k.source) for k in keywords_in_force(store)}
    # listed under "confirms only" by the app and `contacts keywords`, which ask for lifts is False
    assert {(k.word, k.lifts) for k in keywords_in_force(store) if k.kind is IN and k.source == "fr"} == {
        ("COMMENCER", True), ("OUI", False),
    }
    with unchanged(), pytest.raises(ValidationError) as caught:
        remove_keyword(store, "opt-in", "oui")
    assert caught.value.errors == {
        "keyword": "OUI comes with the French keywords; to stop it, turn French off (contacts keywords language fr off)"
    }


@pytest.mark.parametrize(
    "keywords, text, kind",
    [
        ({"opt_out": ["REMOVE"]}, "remove", OUT),
        ({"help": ["SUPPORT"]}, "support", HELP),
        ({"languages": ["es"]}, "alto", OUT),
        ({"languages": ["es"]}, "no me escriban mas", REVIEW),
    ],
)
def test_a_file_whose_keywords_leave_out_some_kinds_is_read_as_empty_lists(store, keywords, text, kind):
    """The schema lets a file hold only the kinds it uses; the others are empty."""
    with store.transaction() as tx:
        tx.put("settings", 1, dict(tx.data["settings"]["1"], keywords=keywords))
    assert kind_of(store, text) is kind
    add_keyword(store, "opt-out", "td")
    assert kind_of(store, text) is kind and kind_of(store, "TD") is OUT


def test_keywords_can_be_changed_in_a_file_without_settings(store, db_path):
    """A file written without a settings record (by hand, or before there were settings) is valid."""
    data = json.loads(db_path.read_bytes())
    del data["settings"]
    db_path.write_text(json.dumps(data))
    bare = Store.open(db_path, user="alice")
    assert add_keyword(bare, "opt-out", "remove") == "REMOVE"
    assert kind_of(Store.open(db_path, user="x"), "remove") is OUT


# -- a keyword that holds a revocation phrase (found by mutation testing: x_clash__mutmut_21) -----


@pytest.mark.parametrize(
    "kind, word, says",
    [
        ("opt-in", "remove me", "The opt-in keyword REMOVE ME (added by an admin) contains the revocation phrase "
         "REMOVE ME: a reply holding it would both opt in and look like a revocation"),
        ("help", "take me off please", "The help keyword TAKE ME OFF PLEASE (added by an admin) contains the "
         "revocation phrase TAKE ME OFF: a reply holding it would both ask for help and look like a revocation"),
    ],
)
def test_an_opt_in_or_help_keyword_holding_a_revocation_phrase_is_refused(store, unchanged, kind, word, says):
    with unchanged(), pytest.raises(ValidationError) as refused:
        add_keyword(store, kind, word)
    assert refused.value.errors == {"keyword": says}


def test_a_file_that_already_holds_such_a_keyword_opens_and_the_reply_never_opts_anyone_in(store, ann, db_path):
    """A file written before this rule (or by hand) may hold the opt-in keyword REMOVE ME: it still
    opens, but "remove me" reads as a possible revocation, so an opted-out contact stays out."""
    data = json.loads(db_path.read_text())
    settings = data.setdefault("settings", {}).setdefault("1", {})
    settings["keywords"] = {"opt_in": ["REMOVE ME"], "help": ["TAKE ME OFF"]}
    db_path.write_text(json.dumps(data))
    reopened = Store.open(db_path, user="alice")
    assert record_reply(reopened, ANN_PHONE, "STOP").opted_out_changed
    assert kind_of(reopened, "remove me") is REVIEW and kind_of(reopened, "Take me off") is REVIEW
    result = record_reply(reopened, ANN_PHONE, "Remove me")
    assert result.kind is REVIEW and not result.opted_out_changed
    assert Store.open(db_path, user="bob").get(ann.id).opted_out


def test_a_revocation_phrase_of_a_language_that_is_on_is_refused_as_an_opt_in_keyword(store, unchanged):
    set_language(store, "es", True)
    with unchanged(), pytest.raises(ValidationError) as refused:
        add_keyword(store, "opt-in", "no me escriban")
    assert refused.value.errors == {"keyword": (
        "The opt-in keyword NO ME ESCRIBAN (added by an admin) contains the revocation phrase NO ME ESCRIBAN: "
        "a reply holding it would both opt in and look like a revocation"
    )}
