"""contacts import | export | sample-csv, in-process through tui.cli.main and once for real."""

from __future__ import annotations

import io
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from store import Store
from store.transfer.csv_format import CsvSource, sample_csv
from store.transfer.importer import import_csv
from tui.cli import main

from .helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def cli(db_path: Path, *args: str) -> int:
    return main(["--db", str(db_path), *args])


def test_sample_csv_at_the_root_is_the_packaged_one():
    packaged = resources.files("store").joinpath("data/sample.csv").read_bytes()
    assert (ROOT / "sample.csv").read_bytes() == packaged


def test_sample_csv_has_an_accent_and_a_row_without_email(store):
    text = sample_csv()
    assert text.splitlines()[0] == "Full Name,Phone,Email"
    assert any(ord(ch) > 127 for ch in text)
    assert any(line.endswith(",") for line in text.splitlines())


def test_sample_csv_command_prints_it_and_it_imports(db_path, capsys, monkeypatch):
    assert cli(db_path, "sample-csv") == 0
    printed = capsys.readouterr().out
    assert printed == sample_csv()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(printed.encode())))
    assert cli(db_path, "import", "-", "--skip-header") == 0
    out = capsys.readouterr().out
    assert out.startswith("Imported 4 rows from standard input") and "4 new" in out
    assert Store.open(db_path).count() == 4


def test_import_prints_a_one_line_summary(store, db_path, capsys):
    store.add_list("VIP")
    assert cli(db_path, "import", str(FIXTURES / "semicolon.csv"), "--skip-header", "--list", "VIP") == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "3 rows" in out and "semicolon-separated" in out and "list VIP" in out
    store.refresh()
    assert store.get_list("VIP").members == 3


def test_import_problems_go_to_stderr_with_exit_1_and_nothing_changes(store, db_path, unchanged, capsys):
    with unchanged():
        assert cli(db_path, "import", str(FIXTURES / "invalid_phone.csv"), "--skip-header") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "line 4, Phone: Phone '12345' is too short" in captured.err


def test_import_refusal_with_header_and_no_skip_suggests_the_flag(store, db_path, unchanged, capsys):
    with unchanged():
        assert cli(db_path, "import", str(ROOT / "sample.csv")) == 1
    assert "--skip-header" in capsys.readouterr().err


def test_import_into_a_missing_list_exits_1(store, db_path, unchanged, capsys):
    with unchanged():
        assert cli(db_path, "import", str(FIXTURES / "no_header.csv"), "--list", "Nope") == 1
    assert "No list named 'Nope'" in capsys.readouterr().err


def test_dry_run_writes_nothing_and_shows_rows_as_stored(store, db_path, unchanged, capsys):
    with unchanged():
        assert cli(db_path, "import", str(FIXTURES / "no_header.csv"), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Nothing written" in out
    assert "line 1: Ann Lee | +14155550132 | ann@example.com" in out


def test_control_characters_from_the_file_never_reach_the_terminal(store, db_path, tmp_path, capsys):
    path = tmp_path / "evil.csv"
    path.write_text("Full Name,Phone,Evil\x1b[2J\nAnn,415 555 0132,x\n")
    assert cli(db_path, "import", str(path), "--skip-header") == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "Evil\\x1b[2J" in err


def test_export_to_stdout_and_back(store, db_path, tmp_path, capsys):
    store.add_list("VIP")
    store.add_contact("@Ann", "+14155550132", "ann@example.com", lists=["VIP"], opted_out=True)
    assert cli(db_path, "export") == 0
    text = capsys.readouterr().out
    assert text.splitlines() == [
        "Full Name,Phone,Email,Opted Out,Consent,Lists",
        "'@Ann,'+14155550132,ann@example.com,yes,not_sent,VIP",
    ]
    (tmp_path / "out.csv").write_text(text, newline="")
    other = tmp_path / "other.json"
    assert cli(other, "import", str(tmp_path / "out.csv"), "--skip-header") == 0
    copy = Store.open(other).contacts()[0]
    assert (copy.name, copy.phone, copy.email, copy.opted_out) == ("@Ann", "+14155550132", "ann@example.com", True)


def test_export_to_a_file(store, db_path, tmp_path, capsys):
    store.add_contact("Ann", "+14155550132")
    target = tmp_path / "out.csv"
    assert cli(db_path, "export", "-o", str(target)) == 0
    assert "Exported 1 contact" in capsys.readouterr().err
    assert target.read_bytes().startswith(b"Full Name,Phone,Email,Opted Out,Consent,Lists\r\n")


def test_export_of_a_missing_list_exits_1_and_leaves_no_file(store, db_path, tmp_path, capsys):
    target = tmp_path / "out.csv"
    assert cli(db_path, "export", "-o", str(target), "--list", "Nope") == 1
    assert not target.exists() and list(tmp_path.glob(".out.csv.*")) == []


@pytest.mark.parametrize("command", ["import", "export", "sample-csv"])
def test_help_has_examples(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "example" in capsys.readouterr().out


def test_real_subprocess_import_and_export(tmp_path):
    db = tmp_path / "contacts.json"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CONTACTS_DB": str(db)}
    run = [sys.executable, "-m", "tui"]
    done = subprocess.run(run + ["import", str(ROOT / "sample.csv"), "--skip-header"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Imported 4 rows")
    bad = subprocess.run(run + ["import", str(FIXTURES / "utf16.csv")], capture_output=True, text=True, env=env, cwd=ROOT)
    assert bad.returncode == 1 and "save it as CSV UTF-8" in bad.stderr
    exported = subprocess.run(run + ["export"], capture_output=True, env=env, cwd=ROOT)
    assert exported.returncode == 0
    assert "José Álvarez".encode() in exported.stdout and exported.stdout.count(b"\r\n") == 5


def test_csv_modules_do_not_import_textual():
    code = "import store.transfer.csv_format, store.transfer.importer, store.transfer.exporter, sys; print(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "False"


def test_export_into_a_closed_pipe_is_quiet(tmp_path):
    db = tmp_path / "contacts.json"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CONTACTS_DB": str(db)}
    store = Store.open(db, user="alice")
    import_csv(store, CsvSource.from_text("".join(f"P {i},+1 212 555 {i:04d}\n" for i in range(3000))))  # > a pipe buffer
    done = subprocess.run(
        f"{sys.executable} -m tui export | head -1", shell=True, capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.stdout == "Full Name,Phone,Email,Opted Out,Consent,Lists\n"
    assert "Traceback" not in done.stderr
