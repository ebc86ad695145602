"""`contacts import FILE [--sheet NAME] [--map COLUMN=FIELD ...]` for every format."""

from __future__ import annotations

from pathlib import Path

from store import Store
from tui.cli import main

from .writers import vcard, write_xlsx


def cli(db_path: Path, *args: str) -> int:
    return main(["--db", str(db_path), *args])


def phones(db_path: Path) -> list[str]:
    return sorted(c.phone for c in Store.open(db_path, user="alice").contacts())


def test_import_a_sheet_by_name(db_path, tmp_path, capsys):
    path = write_xlsx(tmp_path / "b.xlsx", {"Notes": [["x"]], "People": [["Full Name", "Phone"], ["Ann Lee", 4155550132]]})
    assert cli(db_path, "import", str(path), "--sheet", "People", "--skip-header") == 0
    assert "Imported 1 row" in capsys.readouterr().out
    assert phones(db_path) == ["+14155550132"]


def test_import_with_map_options(db_path, tmp_path, capsys):
    path = tmp_path / "odd.csv"
    path.write_text("Given,Family,Cell,Notes\nAnn,Lee,4155550132,tea\n", encoding="utf-8")
    code = cli(db_path, "import", str(path), "--map", "Cell=phone", "--map", "Given=first_name", "--map", "Family=last_name")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "ignored columns: Notes" in out.out
    assert [c.name for c in Store.open(db_path, user="alice").contacts()] == ["Ann Lee"]


def test_unknown_header_is_refused_with_the_columns_and_a_map_example(db_path, tmp_path, capsys):
    path = tmp_path / "odd.csv"
    path.write_text("Given,Cell,Notes\nAnn,4155550132,tea\n", encoding="utf-8")
    assert cli(db_path, "import", str(path), "--skip-header") == 1
    err = capsys.readouterr().err
    assert "Given (e.g. Ann), Cell (e.g. 4155550132), Notes (e.g. tea)" in err
    assert '--map "Given=first_name" --map "Cell=phone"' in err


def test_bad_map_option_is_an_error_not_a_traceback(db_path, tmp_path, capsys):
    path = tmp_path / "a.csv"
    path.write_text("Ann Lee,4155550132\n", encoding="utf-8")
    assert cli(db_path, "import", str(path), "--map", "Mobile") == 1
    assert "--map takes COLUMN=FIELD" in capsys.readouterr().err


def test_vcard_dry_run_shows_cards(db_path, tmp_path, capsys):
    path = tmp_path / "c.vcf"
    path.write_text(vcard("Ann Lee", tels=[("4155550132", ["CELL"])]), encoding="utf-8")
    assert cli(db_path, "import", str(path), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Preview of 1 card" in out and "card 1: Ann Lee | +14155550132" in out


def test_sheet_option_on_a_csv_file_is_refused(db_path, tmp_path, capsys):
    path = tmp_path / "a.csv"
    path.write_text("Ann Lee,4155550132\n", encoding="utf-8")
    assert cli(db_path, "import", str(path), "--sheet", "X") == 1
    assert "has no sheets" in capsys.readouterr().err
