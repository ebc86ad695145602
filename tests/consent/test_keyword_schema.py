"""A hand-edited file whose keyword settings have wrong types or values is refused, naming the
place (store.file.schema), and left as it is; good keyword settings open."""

from __future__ import annotations

import json
import os

import pytest

from store import CorruptDataFile, Store
from store.model import SETTINGS
from tests.store.file.bad_files import AT, Case, refusal, valid_document


def _keywords(**fields):
    def change(doc):
        doc[SETTINGS]["1"]["keywords"] = fields

    return change


def _history(value):
    def change(doc):
        doc[SETTINGS]["1"]["keyword_history"] = value

    return change


GOOD_ENTRY = {"at": AT, "by": "alice", "change": "added", "kind": "opt_out", "word": "REMOVE"}

CASES = [
    Case("keywords is a list", lambda d: d[SETTINGS]["1"].update(keywords=["STOP"]), SETTINGS, "1", "keywords"),
    Case("opt_out is a string", _keywords(opt_out="REMOVE"), SETTINGS, "1", "keywords.opt_out"),
    Case("an opt_in word is a number", _keywords(opt_in=["JOIN", 7]), SETTINGS, "1", "keywords.opt_in[1]"),
    Case("a help word with an escape code", _keywords(help=["\x1b[2J"]), SETTINGS, "1", "keywords.help[0]"),
    Case("a word too long", _keywords(opt_out=["X" * 31]), SETTINGS, "1", "keywords.opt_out[0]"),
    Case("a word with punctuation", _keywords(opt_out=["STOP!!NOW"]), SETTINGS, "1", "keywords.opt_out[0]"),
    Case("a word in two kinds", _keywords(opt_out=["JOIN"], opt_in=["JOIN"]), SETTINGS, "1", "keywords.opt_in[0]"),
    Case("a standard word as opt-in", _keywords(opt_in=["STOP"]), SETTINGS, "1", "keywords.opt_in[0]"),
    Case("a word twice", _keywords(opt_out=["TD", "td"]), SETTINGS, "1", "keywords.opt_out[1]"),
    Case("languages is a string", _keywords(languages="es"), SETTINGS, "1", "keywords.languages"),
    Case("an unknown language", _keywords(languages=["es", "xx"]), SETTINGS, "1", "keywords.languages[1]"),
    Case("history is an object", _history({"0": GOOD_ENTRY}), SETTINGS, "1", "keyword_history"),
    Case("history entry at in words", _history([dict(GOOD_ENTRY, at="now")]), SETTINGS, "1", "keyword_history[0].at"),
    Case("history entry by missing", _history([{k: v for k, v in GOOD_ENTRY.items() if k != "by"}]), SETTINGS, "1",
         "keyword_history[0].by"),
    Case("history entry change unknown", _history([dict(GOOD_ENTRY, change="zapped")]), SETTINGS, "1",
         "keyword_history[0].change"),
    Case("history entry word a number", _history([dict(GOOD_ENTRY, word=3)]), SETTINGS, "1", "keyword_history[0].word"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_bad_keyword_settings_are_refused_naming_the_place(db_path, case: Case):
    db_path.parent.mkdir(parents=True, exist_ok=True)
    content = json.dumps(case.document()).encode()
    db_path.write_bytes(content)
    before = os.stat(db_path)
    with pytest.raises(CorruptDataFile) as err:
        Store.open(db_path, user="alice")
    message = str(err.value)
    assert message.startswith(f"{db_path}: {case.where}: expected "), message
    assert "\x1b" not in message and "\n" not in message
    assert db_path.read_bytes() == content
    assert os.stat(db_path).st_mtime_ns == before.st_mtime_ns


def test_good_keyword_settings_open_and_act(db_path):
    doc = valid_document()
    doc[SETTINGS]["1"]["keywords"] = {"opt_out": ["REMOVE"], "opt_in": ["JOIN"], "help": [], "languages": ["fr"]}
    doc[SETTINGS]["1"]["keyword_history"] = [GOOD_ENTRY]
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.write_text(json.dumps(doc))
    store = Store.open(db_path, user="alice")
    assert store.reply_keywords().classify("remove").value == "opt_out"
    assert store.reply_keywords().classify("arrêt").value == "opt_out"
    assert store.reply_keywords().lifts("JOIN")


def test_a_file_written_by_the_store_passes_its_own_check(store, db_path):
    from store.consent.keyword_settings import add_keyword, set_language

    set_language(store, "es", True)
    add_keyword(store, "opt-out", "td")
    add_keyword(store, "help", "soporte tecnico")
    assert Store.open(db_path, user="x").reply_keywords().classify("TD").value == "opt_out"


KEYWORD_FORM = (
    "a keyword as stored: upper-case letters and digits, words separated by one space, at most 30 characters"
)
MESSAGES = [
    (lambda d: d[SETTINGS]["1"].update(keywords=["STOP"]),
     'field "keywords": expected an object of keyword lists by kind, found a list'),
    (_keywords(opt_out="REMOVE"), 'field "keywords.opt_out": expected a list, found "REMOVE"'),
    (_keywords(languages="es"), 'field "keywords.languages": expected a list, found "es"'),
    (_keywords(languages=["xx"]), 'field "keywords.languages[0]": expected one of "es", "fr", found "xx"'),
    (_keywords(languages=["fr", "fr"]), 'field "keywords.languages[1]": expected a language not listed before, found "fr"'),
    (_keywords(help=["INFO", "stop!!now"]), f'field "keywords.help[1]": expected {KEYWORD_FORM}, found "stop!!now"'),
    (_keywords(opt_out=["REMOVE", "remove"]), f'field "keywords.opt_out[1]": expected {KEYWORD_FORM}, found "remove"'),
    (_keywords(opt_out=["X", "JOIN"], opt_in=["JOIN"]),
     'field "keywords.opt_in[0]": expected a word no other keyword list has, found "JOIN", which keywords.opt_out has too'),
    (_keywords(opt_in=["JOIN", "ALTO"], languages=["es"]),
     'field "keywords.opt_in[1]": expected keywords of one kind each, found ALTO would be both an opt-out keyword '
     "(ALTO, Spanish) and an opt-in keyword (added by an admin); a word has one kind only"),
    (_keywords(opt_out=["JO"], opt_in=["PLEASE JO"]),  # neither word clashes alone: the place is the whole object
     'field "keywords": expected keywords of one kind each, found The opt-in keyword PLEASE JO (added by an admin) '
     "contains the opt-out word JO: a reply holding it would both opt in and look like a revocation"),
    (_history({"0": GOOD_ENTRY}), 'field "keyword_history": expected a list of changes, found an object'),
    (_history([GOOD_ENTRY, "added REMOVE"]), 'field "keyword_history[1]": expected an object, found "added REMOVE"'),
    (_history([dict(GOOD_ENTRY, change="zapped")]),
     'field "keyword_history[0].change": expected one of "added", "removed", "turned on", "turned off", found "zapped"'),
    (_history([dict(GOOD_ENTRY, kind="stop")]),
     'field "keyword_history[0].kind": expected one of "opt_out", "opt_in", "help", "language", found "stop"'),
]


@pytest.mark.parametrize("change, said", MESSAGES, ids=[said.split(":")[0] for _, said in MESSAGES])
def test_each_refusal_of_keyword_settings_says_what_was_expected_and_found(change, said):
    doc = valid_document()
    change(doc)
    assert refusal(doc) == f'table "settings", record 1, {said}'


def test_keyword_settings_with_only_some_kinds_and_no_history_open(db_path):
    doc = valid_document()
    doc[SETTINGS]["1"]["keywords"] = {"opt_in": ["JOIN"]}
    doc[SETTINGS]["1"].pop("keyword_history", None)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.write_text(json.dumps(doc))
    assert Store.open(db_path, user="alice").reply_keywords().lifts("JOIN")
