"""A hand-edited file whose keyword settings have wrong types or values is refused, naming the
place (store.file.schema), and left as it is; good keyword settings open."""

from __future__ import annotations

import json
import os

import pytest

from store import CorruptDataFile, Store
from store.model import SETTINGS
from tests.store.file.bad_files import AT, Case, valid_document


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
