"""Which data file is used: --db beats $CONTACTS_DB beats the platform default, all resolved on call."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from store import Store, default_db_path, resolve_db_path
from tui.cli import main


def test_the_default_is_contacts_json_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "one"))
    assert default_db_path() == tmp_path / "one" / "sms-contacts" / "contacts.json"
    # Resolved when asked, not frozen at import time.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "two"))
    assert default_db_path() == tmp_path / "two" / "sms-contacts" / "contacts.json"
    assert resolve_db_path() == tmp_path / "two" / "sms-contacts" / "contacts.json"


def test_contacts_db_beats_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTACTS_DB", str(tmp_path / "env.json"))
    assert resolve_db_path() == tmp_path / "env.json"
    assert resolve_db_path(None) == tmp_path / "env.json"


def test_db_option_beats_contacts_db(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTACTS_DB", str(tmp_path / "env.json"))
    assert resolve_db_path(str(tmp_path / "cli.json")) == tmp_path / "cli.json"


def test_an_explicit_environment_is_honoured(tmp_path):
    assert resolve_db_path(None, {"CONTACTS_DB": str(tmp_path / "x.json")}) == tmp_path / "x.json"
    assert resolve_db_path(None, {}) == default_db_path()


def test_an_empty_contacts_db_means_unset(monkeypatch):
    monkeypatch.setenv("CONTACTS_DB", "")
    assert resolve_db_path() == default_db_path()


def test_paths_are_made_absolute_and_expand_home(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_db_path("rel/contacts.json") == tmp_path / "rel" / "contacts.json"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert resolve_db_path("~/c.json") == tmp_path / "home" / "c.json"
    monkeypatch.setenv("CONTACTS_DB", "~/e.json")
    assert resolve_db_path() == tmp_path / "home" / "e.json"


def test_opening_the_default_creates_its_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    store = Store.open(resolve_db_path(), user="alice")
    assert store.path == tmp_path / "xdg" / "sms-contacts" / "contacts.json"
    assert store.path.is_file()


def test_the_command_line_uses_the_same_order(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert main(["--where"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "xdg" / "sms-contacts" / "contacts.json")
    monkeypatch.setenv("CONTACTS_DB", str(tmp_path / "env.json"))
    assert main(["--where"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "env.json")
    assert main(["--db", str(tmp_path / "cli.json"), "--where"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "cli.json")
    # And a command really writes to the file it resolved, creating its folder.
    assert main(["--db", str(tmp_path / "new" / "cli.json"), "lists", "add", "VIP"]) == 0
    assert (tmp_path / "new" / "cli.json").is_file()
    assert not (tmp_path / "env.json").exists()
    assert not (tmp_path / "xdg" / "sms-contacts" / "contacts.json").exists()


def test_the_users_own_data_folder_is_never_touched(tmp_path):
    """The autouse fixture points HOME and XDG_DATA_HOME into tmp_path for every test."""
    assert Path(os.environ["HOME"]).is_relative_to(tmp_path)
    assert default_db_path().is_relative_to(tmp_path)


@pytest.mark.parametrize("value", ["", None])
def test_an_empty_db_option_falls_back(value, tmp_path, monkeypatch):
    monkeypatch.setenv("CONTACTS_DB", str(tmp_path / "env.json"))
    assert resolve_db_path(value) == tmp_path / "env.json"
