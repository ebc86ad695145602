"""contacts import-optouts | export --sendable | list --sendable, in-process through tui.cli.main."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest

from store import Store
from store.consent.replies import record_reply

from .conftest import ANN_PHONE, BOB_PHONE

CY_PHONE = "+13125550101"


@pytest.fixture
def run(db_path, capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        code = main_exit(["--db", str(db_path), *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def main_exit(argv: list[str]) -> int:
    from tui.cli import main

    try:
        return main(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2
        return int(exc.code or 0)


@pytest.fixture
def three(store: Store, ann):
    return ann, store.add_contact("Bob", BOB_PHONE), store.add_contact("Cy", CY_PHONE, "cy@example.com")


# -- import-optouts -------------------------------------------------------------------------------


def test_import_optouts_prints_a_summary_and_opts_out(run, store, three, tmp_path):
    path = tmp_path / "old-provider.csv"
    path.write_text(f"Phone Number,Opted out at\n{ANN_PHONE},2024-01-02\n+1 646 555 0100,2024-01-03\n")
    code, out, err = run("import-optouts", str(path))
    assert (code, err) == (0, "")
    assert out.startswith("Opt-out list ") and "old-provider.csv" in out
    assert "2 numbers" in out and "1 contact opted out" in out and "no contact created" in out
    store.refresh()
    ann = store.get(three[0].id)
    assert ann.opted_out and ann.consent == "declined" and "old-provider.csv" in ann.history[-1]["detail"]
    assert store.count() == 3 and store.is_suppressed("+16465550100")


def test_import_optouts_refuses_bad_numbers_with_lines_exit_1_and_changes_nothing(run, three, tmp_path, unchanged):
    path = tmp_path / "list.txt"
    path.write_text(f"{ANN_PHONE}\nnope\n{BOB_PHONE}\n+1 212\n")
    with unchanged():
        code, out, err = run("import-optouts", str(path))
    assert (code, out) == (1, "")
    assert "2 problems, nothing was imported" in err
    assert "line 2, Phone:" in err and "line 4, Phone:" in err


def test_import_optouts_escapes_control_characters_in_messages(run, store, tmp_path, unchanged):
    path = tmp_path / "evil\x1b[2J.txt"
    path.write_bytes(b"+1 212 \x1b]0;pwned\x07 555 0100\n")
    with unchanged():
        code, out, err = run("import-optouts", str(path))
    assert code == 1
    assert "\x1b" not in err and "\x07" not in err
    assert "line 1, Phone:" in err


def test_import_optouts_dry_run_writes_nothing(run, three, tmp_path, unchanged):
    path = tmp_path / "l.txt"
    path.write_text(f"{ANN_PHONE}\n")
    with unchanged():
        code, out, err = run("import-optouts", str(path), "--dry-run")
    assert code == 0 and out.startswith("Preview of opt-out list") and "Nothing written yet" in out


def test_import_optouts_from_standard_input_and_skip_header(run, store, monkeypatch):
    data = f"Do not contact\n{BOB_PHONE}\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, err = run("import-optouts", "-", "--skip-header")
    assert code == 0 and "first line skipped" in out
    store.refresh()
    assert store.is_suppressed(BOB_PHONE)


def test_import_optouts_hints_at_skip_header(run, tmp_path):
    path = tmp_path / "l.txt"
    path.write_text(f"Do not contact\n{BOB_PHONE}\n")
    code, out, err = run("import-optouts", str(path))
    assert code == 1 and "--skip-header" in err


def test_import_optouts_of_a_missing_file(run, tmp_path):
    code, out, err = run("import-optouts", str(tmp_path / "nope.csv"))
    assert code == 1 and "Cannot read" in err and "nope.csv" in err


# -- export and list --sendable ---------------------------------------------------------------------


def _exported(out: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(out)))


def test_export_sendable_leaves_out_who_may_not_be_texted(run, store, three):
    ann, bob, cy = three
    store.opt_out(ann.id)
    record_reply(store, BOB_PHONE, "STOP")
    code, out, err = run("export", "--sendable")
    rows = _exported(out)
    assert code == 0
    assert rows[0][:2] == ["Full Name", "Phone"]
    assert [r[0] for r in rows[1:]] == ["Cy"]


def test_export_sendable_with_list_and_consent_and_it_imports_back(run, store, three, tmp_path, db_path):
    ann, bob, cy = three
    vip = store.add_list("VIP")
    store.set_memberships(ann.id, [vip.id])
    store.set_memberships(cy.id, [vip.id])
    record_reply(store, CY_PHONE, "YES")
    out_path = tmp_path / "send.csv"
    code, out, err = run("export", "--sendable", "--list", "VIP", "--consent", "confirmed", "-o", str(out_path))
    assert code == 0 and "Exported 1 contact to" in err
    rows = _exported(out_path.read_text())
    assert [r[0] for r in rows[1:]] == ["Cy"] and rows[1][4] == "confirmed"
    other = tmp_path / "other.json"
    assert main_exit(["--db", str(other), "import", str(out_path), "--skip-header"]) == 0
    assert Store.open(other).find(CY_PHONE).name == "Cy"


def test_export_sendable_declined_is_a_usage_error(run, three):
    code, out, err = run("export", "--sendable", "--consent", "declined")
    assert code == 2 and "never" in err


def test_export_consent_must_be_a_known_status(run, three):
    code, out, err = run("export", "--consent", "maybe")
    assert code == 2 and "invalid choice" in err


def test_list_sendable_json(run, store, three):
    ann, bob, cy = three
    store.opt_out(bob.id)
    code, out, err = run("list", "--sendable", "--json")
    assert code == 0
    assert [c["name"] for c in json.loads(out)] == ["Ann Lee", "Cy"]


def test_list_sendable_text_and_empty(run, store, three):
    code, out, err = run("list", "--sendable")
    assert code == 0 and len(out.splitlines()) == 3
    for contact in three:
        store.opt_out(contact.id)
    code, out, err = run("list", "--sendable")
    assert (code, out) == (0, "") and "No contacts may be texted" in err
    code, out, err = run("list", "--sendable", "--json")
    assert json.loads(out) == []


def test_list_sendable_in_a_list_with_consent(run, store, three):
    ann, bob, cy = three
    vip = store.add_list("VIP")
    store.set_memberships(bob.id, [vip.id])
    code, out, err = run("list", "--sendable", "--list", "vip", "--consent", "not_sent", "--json")
    assert [c["name"] for c in json.loads(out)] == ["Bob"]
    code, out, err = run("list", "--sendable", "--list", "nope")
    assert code == 1 and "No list named" in err
