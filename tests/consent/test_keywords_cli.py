"""contacts keywords [--json] | add | remove | language | history, in-process through tui.cli.main."""

from __future__ import annotations

import json

import pytest

from store import Store
from store.access.permissions import current_login
from tui.cli import main

from .conftest import ANN_PHONE


ME = current_login()


@pytest.fixture
def store(db_path) -> Store:
    """The file is created by the user running the tests, who thereby is its admin (as the CLI runs as them)."""
    return Store.open(db_path)


@pytest.fixture
def run(db_path, capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_keywords_lists_what_is_active_per_kind_and_language(run, store):
    code, out, err = run("keywords")
    assert (code, err) == (0, "")
    assert "Spanish (es): off" in out and "French (fr): off" in out
    assert "STOP" in out and "ALTO" not in out
    run("keywords", "language", "es", "on")
    code, out, _ = run("keywords")
    assert "Spanish (es): on" in out
    opt_out = out.split("Opt-out")[1].split("Opt-in")[0]
    assert "ALTO" in opt_out and "Spanish" in opt_out


def test_keywords_json(run, store):
    run("keywords", "add", "opt-out", "td")
    code, out, _ = run("keywords", "--json")
    data = json.loads(out)
    assert data["languages"]["es"] == {"name": "Spanish", "on": False}
    assert {"word": "TD", "kind": "opt_out", "source": "admin", "lifts_opt_out": False} in data["keywords"]
    assert {"word": "START", "kind": "opt_in", "source": "en", "lifts_opt_out": True} in data["keywords"]
    assert {"word": "YES", "kind": "opt_in", "source": "en", "lifts_opt_out": False} in data["keywords"]


def test_add_then_a_reply_with_it_opts_out(run, store, ann):
    code, out, err = run("keywords", "add", "opt-out", "take", "me", "off")
    assert (code, err) == (0, "")
    assert "Added opt-out keyword TAKE ME OFF" in out
    code, out, _ = run("reply", ANN_PHONE, "Take me off!")
    assert out.startswith("Opted out:")


def test_remove(run, store):
    run("keywords", "add", "help", "support")
    code, out, _ = run("keywords", "remove", "help", "SUPPORT")
    assert code == 0 and "Removed help keyword SUPPORT" in out


def test_standard_keywords_cannot_be_removed_exit_1(run, store, unchanged):
    with unchanged():
        code, out, err = run("keywords", "remove", "opt-out", "stop")
    assert (code, out) == (1, "")
    assert err.startswith("contacts: STOP is a standard English opt-out keyword and cannot be removed")


def test_language_on_off_and_history(run, store):
    code, out, _ = run("keywords", "language", "fr", "on")
    assert code == 0 and "French keywords are now on" in out
    code, out, _ = run("keywords", "language", "fr", "on")
    assert code == 0 and "already on" in out
    run("keywords", "language", "fr", "off")
    code, out, _ = run("keywords", "history")
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert ME in lines[0] and "turned on French (fr)" in lines[0]
    assert "turned off French (fr)" in lines[1]
    code, out, _ = run("keywords", "history", "--json")
    assert [e["change"] for e in json.loads(out)] == ["turned on", "turned off"]


def test_bad_input_is_refused_with_a_message(run, store, unchanged):
    with unchanged():
        assert run("keywords", "add", "opt-out", "stop\x1b[2J")[0] == 1
        code, out, err = run("keywords", "add", "opt-in", "stop")
        assert code == 1 and "both" in err
        code, _, err = run("keywords", "language", "de", "on")
        assert code == 1 and "Unknown language 'de'" in err
        code, _, err = run("keywords", "add", "sideways", "x")
        assert code == 1 and "opt-out, opt-in or help" in err
    code, _, err = run("keywords", "add", "opt-out", "stop\x1b[2J")
    assert "\x1b" not in err


def test_language_needs_on_or_off(run, store, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--db", str(store.path), "keywords", "language", "es", "maybe"])
    assert exit.value.code == 2


def test_an_agent_is_refused(run, store, db_path, unchanged, monkeypatch):
    store.set_role("bob", "agent")
    monkeypatch.setattr("store.access.permissions.current_login", lambda: "bob")
    with unchanged():
        code, out, err = run("keywords", "add", "opt-out", "td")
    assert code == 1 and "may not change settings" in err
    assert run("keywords")[0] == 0  # everyone may look
