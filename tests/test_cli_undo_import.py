"""contacts imports [--json] and contacts undo-import ID [--yes] [--remove-changed] (issue 13, part 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import Store
from tui.cli import main

CSV = "Full Name,Phone,Email\nBob Ode,4155550133,\nCy Young,4155550134,cy@example.com\n"


def cli(db_path: Path, *args: str) -> int:
    return main(["--db", str(db_path), *args])


@pytest.fixture
def imported(db_path: Path, tmp_path: Path, capsys) -> Path:
    """A file where 'Ann' was added by hand, then sales.csv was imported."""
    Store.open(db_path).add_contact("Ann Lee", "4155550132")
    source = tmp_path / "sales.csv"
    source.write_text(CSV, encoding="utf-8")
    assert cli(db_path, "import", str(source), "--skip-header") == 0
    capsys.readouterr()
    return source


def names(db_path: Path) -> list[str]:
    return [c.name for c in Store.open(db_path).contacts()]


def test_imports_with_none_recorded(db_path, capsys):
    assert cli(db_path, "imports") == 0
    assert capsys.readouterr().out == "No imports recorded yet.\n"


def test_imports_lists_them_newest_first(db_path, imported, capsys, tmp_path):
    other = tmp_path / "more.csv"
    other.write_text("Full Name,Phone\nDee Ray,4155550135\n", encoding="utf-8")
    assert cli(db_path, "import", str(other), "--skip-header") == 0
    capsys.readouterr()
    assert cli(db_path, "imports") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["ID", "WHEN", "BY"]
    assert lines[1].startswith("2 ") and "more.csv" in lines[1] and "1 added, 0 changed" in lines[1]
    assert lines[2].startswith("1 ") and "sales.csv" in lines[2] and "2 added, 0 changed" in lines[2]


def test_imports_json_shape(db_path, imported, capsys):
    assert cli(db_path, "imports", "--json") == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert set(record) == {"id", "at", "by", "source", "list", "created", "updated", "lists_created", "undone"}
    assert (record["id"], record["source"], record["created"], record["updated"], record["undone"]) == (
        1, str(imported), 2, 0, None,
    )


def test_undo_without_yes_says_what_would_happen_and_changes_nothing(db_path, imported, capsys, unchanged):
    with unchanged():
        assert cli(db_path, "undo-import", "1") == 0
    out = capsys.readouterr().out
    assert f"removes 2 contacts added by {imported.name}" in out
    assert "Nothing was changed: add --yes to undo it." in out


def test_undo_with_yes(db_path, imported, capsys):
    assert cli(db_path, "undo-import", "1", "--yes") == 0
    out = capsys.readouterr().out
    assert out.startswith("Undid import 1 (") and f"removed 2 contacts added by {imported.name}." in out
    assert names(db_path) == ["Ann Lee"]
    assert cli(db_path, "imports", "--json") == 0
    undone = json.loads(capsys.readouterr().out)[0]["undone"]
    assert (undone["removed"], undone["restored"], undone["kept"]) == (2, 0, 0)


def test_a_contact_changed_since_is_kept_and_named_unless_removed_anyway(db_path, imported, capsys, monkeypatch):
    # A later second than the import, as a person editing would be.
    store = Store.open(db_path)
    store.update_contact(store.find("4155550133").id, email="bob@example.com")
    assert cli(db_path, "undo-import", "1", "--yes") == 0
    out = capsys.readouterr().out
    assert "1 changed since was kept" in out
    assert "Kept (changed since the import; --remove-changed removes them): Bob Ode +14155550133" in out
    assert names(db_path) == ["Ann Lee", "Bob Ode"]


def test_remove_changed(db_path, imported, capsys):
    store = Store.open(db_path)
    store.update_contact(store.find("4155550133").id, email="bob@example.com")
    assert cli(db_path, "undo-import", "1", "--yes", "--remove-changed") == 0
    assert "including 1 changed since" in capsys.readouterr().out
    assert names(db_path) == ["Ann Lee"]


def test_unknown_import_exits_1(db_path, imported, capsys, unchanged):
    with unchanged():
        assert cli(db_path, "undo-import", "7", "--yes") == 1
    assert capsys.readouterr().err.startswith("contacts: No import 7 (recent imports: 1).")


def test_already_undone_exits_1(db_path, imported, capsys):
    assert cli(db_path, "undo-import", "1", "--yes") == 0
    assert cli(db_path, "undo-import", "1", "--yes") == 1
    assert "Import 1 was already undone at " in capsys.readouterr().err


def test_refused_by_policy_exits_1(db_path, imported, capsys, unchanged):
    from store.access.permissions import current_login

    Store.open(db_path).set_policy(f"user:{current_login()}", "delete", False)
    with unchanged():
        assert cli(db_path, "undo-import", "1", "--yes") == 1
    assert "has not allowed" in capsys.readouterr().err
    assert len(names(db_path)) == 3


def test_a_bad_id_is_a_usage_error(db_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli(db_path, "undo-import", "latest")
    assert exit_.value.code == 2
    assert "invalid int value" in capsys.readouterr().err
