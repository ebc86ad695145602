"""contacts reply | mark-sent | review, run in-process through tui.cli.main."""

from __future__ import annotations

import json

import pytest

from store import Store
from tui.cli import main

from .conftest import ANN_PHONE, BOB_PHONE


@pytest.fixture
def run(db_path, capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.mark.parametrize(
    "words, start",
    [
        (["STOP"], "Opted out:"),
        (["opt", "out"], "Opted out:"),
        (["HELP"], "Help reply due:"),
        (["please", "stop", "texting", "me"], "Flagged for review:"),
        (["see", "you"], "No change:"),
    ],
)
def test_reply_prints_what_happened(run, ann, words, start):
    code, out, err = run("reply", "415.555.0132", *words)
    assert (code, err) == (0, "")
    assert out.startswith(start)


def test_reply_start_after_stop(run, store, ann):
    run("reply", ANN_PHONE, "STOP")
    code, out, _ = run("reply", ANN_PHONE, "START")
    assert code == 0 and out.startswith("Opted in:")
    assert not Store.open(store.path, user="alice").get(ann.id).opted_out


def test_reply_from_an_unknown_number(run, store):
    code, out, _ = run("reply", BOB_PHONE, "STOP")
    assert code == 0 and "now suppressed" in out
    code, out, _ = run("add", "--name", "Bob", "--phone", BOB_PHONE)
    assert "opted out" in out


def test_reply_with_an_invalid_phone_exits_1(run, unchanged, store):
    with unchanged():
        code, out, err = run("reply", "12", "STOP")
    assert (code, out) == (1, "")
    assert "Phone '12' is too short" in err


def test_reply_text_is_printed_safely(run, ann):
    code, out, _ = run("reply", ANN_PHONE, "stop \x1b[31mnow")
    assert code == 0 and "\x1b" not in out and "Flagged for review" in out


def test_mark_sent(run, store, ann):
    code, out, _ = run("mark-sent", "ann@example.com")
    assert code == 0 and out.startswith("Marked sent:")
    code, out, _ = run("mark-sent", ANN_PHONE)
    assert code == 0 and out.startswith("No change:")
    run("reply", ANN_PHONE, "YES")
    code, out, err = run("mark-sent", ANN_PHONE)
    assert code == 1 and "undo their reply" in err


def test_mark_sent_on_an_unknown_contact_exits_1(run, store):
    code, _, err = run("mark-sent", BOB_PHONE)
    assert code == 1 and "No contact" in err


def test_review_list_json_and_resolve(run, store, ann):
    code, out, _ = run("review")
    assert code == 0 and "No replies waiting for review." in out
    run("reply", ANN_PHONE, "please", "stop")
    code, out, _ = run("review")
    assert "please stop" in out and "Ann Lee" in out
    code, out, _ = run("review", "--json")
    assert [(i["phone"], i["text"]) for i in json.loads(out)] == [(ANN_PHONE, "please stop")]
    code, out, _ = run("review", "--resolve", ANN_PHONE, "--opt-out")
    assert code == 0 and out.startswith("Opted out:")
    code, out, _ = run("review", "--json")
    assert json.loads(out) == []
    code, out, _ = run("show", ANN_PHONE, "--json")
    shown = json.loads(out)
    assert shown["opted_out"] and shown["review"][0]["resolution"] == "opted_out"


def test_review_dismiss(run, store, ann):
    run("reply", ANN_PHONE, "stop", "by", "later")
    code, out, _ = run("review", "--resolve", "ann@example.com", "--dismiss")
    assert code == 0 and out.startswith("Dismissed:")
    assert not Store.open(store.path, user="alice").get(ann.id).opted_out


def test_review_resolve_with_nothing_pending_exits_1(run, ann):
    code, _, err = run("review", "--resolve", ANN_PHONE, "--dismiss")
    assert code == 1 and "no reply waiting" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["review", "--resolve", ANN_PHONE],
        ["review", "--opt-out"],
        ["review", "--resolve", ANN_PHONE, "--opt-out", "--dismiss"],
        ["reply", ANN_PHONE],
    ],
)
def test_usage_errors_exit_2(run, ann, argv):
    with pytest.raises(SystemExit) as exit_:
        run(*argv)
    assert exit_.value.code == 2


@pytest.mark.parametrize("command", ["reply", "mark-sent", "review"])
def test_help_has_examples(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert f"contacts {command}" in capsys.readouterr().out.split("examples:")[1]


def test_show_lists_review_items_and_their_resolution(run, ann):
    run("reply", ANN_PHONE, "stop", "it")
    code, out, _ = run("show", ANN_PHONE)
    assert code == 0 and "Review:" in out and "'stop it' (waiting for review" in out
    run("review", "--resolve", ANN_PHONE, "--dismiss")
    _, out, _ = run("show", ANN_PHONE)
    assert "'stop it' (decided by " in out and ": dismissed)" in out and "waiting for review" not in out


def test_consent_modules_do_not_import_textual():
    import subprocess
    import sys

    code = "import store.consent.replies, store.consent.reply_keywords, sys; print(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"
