"""Property tests of admin keywords: whatever the admin sets, nothing opts anyone in except an
exact opt-in keyword in force, and a language turned off has no effect at all."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Store, StoreError
from store.consent.replies import ReplyKind, record_reply
from store.consent.keyword_settings import LANGUAGES, add_keyword, keywords_in_force, set_language
from store.consent.reply_keywords import KeywordSet, classify_reply, normalize_reply

ANN = "+14155550132"
WORDS = st.text(alphabet=st.sampled_from("abcdeéfghíijnoóprstuüyz -"), min_size=1, max_size=12)
KINDS = st.sampled_from(["opt-out", "opt-in", "help"])
SOME_TEXT = st.one_of(
    st.text(max_size=30),
    WORDS,
    st.sampled_from(
        ["START", "start!", "Comenzar", "COMMENCER", "SI", "OUI", "YES", "unstop", "opt in", "ALTO", "arrêt",
         "stárt", "start now", "please start", "\u200bstart", "ＳＴＡＲＴ"]
    ),
)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def lifting_forms(store: Store) -> set[str]:
    return {normalize_reply(k.word) for k in keywords_in_force(store) if k.kind is ReplyKind.OPT_IN and k.lifts}


@PROPERTY
@given(
    changes=st.lists(st.tuples(KINDS, WORDS), max_size=6),
    languages=st.sets(st.sampled_from(sorted(LANGUAGES))),
    messages=st.lists(SOME_TEXT, min_size=1, max_size=6),
)
def test_no_message_opts_anyone_in_unless_it_is_exactly_an_opt_in_keyword(tmp_path_factory, changes, languages, messages):
    store = Store.open(tmp_path_factory.mktemp("p") / "c.json", user="alice")
    for code in languages:
        set_language(store, code, True)
    for kind, word in changes:
        try:
            add_keyword(store, kind, word)
        except StoreError:
            pass  # refused words change nothing; the property must hold for what was accepted
    contact = store.add_contact("Ann", ANN, opted_out=True)
    lifting = lifting_forms(store)
    for text in messages:
        result = record_reply(store, ANN, text)
        if result.opted_out_changed:
            assert normalize_reply(text) in lifting, text
        if normalize_reply(text) not in lifting:
            assert store.get(contact.id).opted_out, text
        if not store.get(contact.id).opted_out:
            record_reply(store, ANN, "STOP")


@PROPERTY
@given(code=st.sampled_from(sorted(LANGUAGES)), extra=st.lists(WORDS, max_size=3))
def test_a_language_turned_off_stops_its_words_from_acting(tmp_path_factory, code, extra):
    store = Store.open(tmp_path_factory.mktemp("p") / "c.json", user="alice")
    set_language(store, code, True)
    set_language(store, code, False)
    language = LANGUAGES[code]
    for word in (*language.opt_out, *language.opt_in, *language.confirm, *language.help, *extra):
        for text in (word, f"{word}!", word.lower()):
            assert store.reply_keywords().classify(text) is classify_reply(text), text
            assert store.reply_keywords().match(text) == KeywordSet.standard().match(text)
