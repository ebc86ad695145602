"""The ``contacts`` command's core subcommands: exit codes, JSON shape, messages, safe printing.

Most tests call ``tui.cli.main`` in-process; the last ones run the installed ``contacts`` command.
Exit status: 0 done, 1 refused by a rule (reason on stderr, file unchanged), 2 usage error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import Store
from tui.cli import main

LIST_KEYS = {"id", "name", "phone", "email", "opted_out", "consent", "lists", "created_at", "updated_at"}
ESC = "\x1b"


@pytest.fixture
def run(db_path, capsys):
    """Run ``contacts --db DB ARGS...`` in-process; return (exit status, stdout, stderr)."""

    def call(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", str(db_path), *args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.fixture
def ann(run):
    code, out, err = run("add", "--name", "Ann Lee", "--phone", "(415) 555-0132", "--email", "ann@example.com")
    assert (code, err) == (0, "")
    return out


def listed(run, *extra: str) -> list[dict]:
    code, out, err = run("list", "--json", *extra)
    assert (code, err) == (0, "")
    return json.loads(out)


# -- add / list ---------------------------------------------------------------------------------


def test_add_prints_what_was_stored(ann):
    assert ann == "Added Ann Lee +14155550132\n"


def test_list_json_has_the_documented_keys_and_values(run, ann):
    run("lists", "add", "VIP")
    assert run("add", "--name", "Bob", "--phone", "+1 415 555 0133", "--list", "vip", "--opt-out")[0] == 0
    rows = listed(run)
    assert [set(row) for row in rows] == [LIST_KEYS, LIST_KEYS]
    a, b = rows
    assert a["name"] == "Ann Lee" and a["phone"] == "+14155550132" and a["email"] == "ann@example.com"
    assert a["opted_out"] is False and a["consent"] == "not_sent" and a["lists"] == []
    assert isinstance(a["id"], int) and a["id"] != b["id"]
    assert a["created_at"].endswith("Z") and a["updated_at"] == a["created_at"]
    assert b["name"] == "Bob" and b["email"] is None and b["opted_out"] is True and b["lists"] == ["VIP"]


def test_list_is_sorted_by_name_and_filters_by_list(run):
    run("lists", "add", "VIP")
    run("add", "--name", "zed", "--phone", "4155550101", "--list", "VIP")
    run("add", "--name", "Émile", "--phone", "4155550102")
    run("add", "--name", "anna", "--phone", "4155550103", "--list", "VIP")
    assert [row["name"] for row in listed(run)] == ["anna", "Émile", "zed"]
    assert [row["name"] for row in listed(run, "--list", "vip")] == ["anna", "zed"]


def test_list_text_output(run, ann):
    code, out, err = run("list")
    assert code == 0 and err == ""
    assert out.startswith("Ann Lee")
    assert "(415) 555-0132" in out and "ann@example.com" in out and "consent: Not sent" in out


def test_list_of_an_empty_file(run):
    assert run("list") == (0, "", "No contacts.\n")
    assert listed(run) == []


def test_list_of_a_missing_list_is_refused(run):
    code, out, err = run("list", "--list", "Nope")
    assert code == 1 and out == ""
    assert "No list named 'Nope'" in err


# -- refusals: exit 1, a reason, and an untouched file --------------------------------------------


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["add", "--name", "Other", "--phone", "415.555.0132"], "Phone +14155550132 already belongs to Ann Lee"),
        (["add", "--name", "", "--phone", "4155550199"], "Full Name is required"),
        (["add", "--name", "X", "--phone", "12"], "Phone '12' is too short"),
        (["add", "--name", "X", "--phone", "4155550199", "--email", "nope@"], "Email 'nope@' is not valid"),
        (["add", "--name", "X\x1b[2J", "--phone", "4155550199"], "Full Name contains a control character (U+001B)"),
        (["add", "--name", "X", "--phone", "4155550199", "--list", "Nope"], "No list named 'Nope'"),
        (["edit", "ann@example.com", "--phone", "not a phone"], "is not a phone number"),
        (["edit", "4155550100", "--name", "X"], "No contact has the phone +14155550100"),
        (["show", "nobody@example.com"], "No contact has the email nobody@example.com"),
        (["delete", "4155550100", "--yes"], "No contact has the phone +14155550100"),
        (["lists", "add", "vip"], "A list named 'VIP' already exists"),
        (["lists", "rename", "Nope", "X"], "No list named 'Nope'"),
        (["lists", "remove", "Nope"], "No list named 'Nope'"),
    ],
)
def test_refusals_exit_1_with_the_reason_and_change_nothing(run, ann, db_path, unchanged, args, reason):
    run("lists", "add", "VIP")
    with unchanged():
        code, out, err = run(*args)
    assert code == 1
    assert out == ""
    assert err.startswith("contacts: ") and reason in err
    assert ESC not in err


def test_refusal_messages_never_echo_control_codes(run, ann):
    code, _, err = run("add", "--name", "X", "--phone", "4155550199", "--email", "a\x1b]0;pwn\x07@x.io")
    assert code == 1
    assert ESC not in err and "\x07" not in err


# -- usage errors: exit 2 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["add", "--phone", "4155550132"],  # no --name
        ["add", "--name", "Ann"],  # no --phone
        ["delete", "4155550132"],  # no --yes
        ["edit", "4155550132"],  # nothing to change
        ["edit", "4155550132", "--opt-in"],  # there is no way to clear an opt-out
        ["frobnicate"],
        ["list", "--bogus"],
        ["show"],
    ],
)
def test_usage_errors_exit_2(run, ann, db_path, unchanged, args):
    with unchanged():
        code, out, err = run(*args)
    assert code == 2
    assert "usage: contacts" in err


# -- show / edit / delete ------------------------------------------------------------------------


def test_show_by_phone_in_any_format_or_email(run, ann):
    code, out, err = run("show", "415-555-0132")
    assert code == 0 and err == ""
    assert "Name:       Ann Lee" in out and "Phone:      +14155550132" in out
    code, out_json, _ = run("show", "ANN@example.com", "--json")
    data = json.loads(out_json)
    assert LIST_KEYS | {"consent_changed_at", "history", "review"} == set(data)
    assert data["phone"] == "+14155550132"


def test_edit_changes_fields_and_can_remove_the_email(run, ann):
    code, out, err = run("edit", "4155550132", "--name", "Ann Lee-Smith", "--email", "")
    assert (code, err) == (0, "")
    assert out == "Updated Ann Lee-Smith +14155550132\n"
    row = listed(run)[0]
    assert row["name"] == "Ann Lee-Smith" and row["email"] is None


def test_edit_phone_in_another_format(run, ann):
    assert run("edit", "ann@example.com", "--phone", "+1 (415) 555-0177")[0] == 0
    assert listed(run)[0]["phone"] == "+14155550177"


def test_a_no_op_edit_succeeds_without_writing(run, ann, unchanged):
    with unchanged():
        code, out, _ = run("edit", "4155550132", "--name", "Ann Lee", "--phone", "415 555 0132")
    assert code == 0 and out == "Updated Ann Lee +14155550132\n"


def test_opt_out_sticks(run, ann, unchanged):
    code, out, _ = run("edit", "4155550132", "--opt-out")
    assert code == 0 and out == "Updated Ann Lee +14155550132 (opted out)\n"
    # Other edits keep it; deleting and re-adding keeps it.
    run("edit", "4155550132", "--name", "Ann L")
    assert listed(run)[0]["opted_out"] is True
    assert run("delete", "4155550132", "--yes") == (0, "Deleted Ann L +14155550132\n", "")
    code, out, _ = run("add", "--name", "Ann", "--phone", "4155550132")
    assert code == 0 and "opted out" in out
    assert listed(run)[0]["opted_out"] is True


def test_delete_removes_the_contact(run, ann):
    assert run("delete", "ann@example.com", "--yes") == (0, "Deleted Ann Lee +14155550132\n", "")
    assert listed(run) == []


# -- lists ---------------------------------------------------------------------------------------


def test_lists_add_rename_remove_keep_contacts(run):
    assert run("lists") == (0, 'No lists. Create one with: contacts lists add "NAME"\n', "")
    assert run("lists", "add", "Spring promo") == (0, "Created list Spring promo\n", "")
    run("add", "--name", "Ann", "--phone", "4155550132", "--list", "spring PROMO")
    code, out, _ = run("lists", "--json")
    assert code == 0
    [entry] = json.loads(out)
    assert set(entry) == {"id", "name", "members"} and (entry["name"], entry["members"]) == ("Spring promo", 1)
    assert run("lists", "rename", "spring promo", "Summer promo") == (0, "Renamed list to Summer promo\n", "")
    assert listed(run)[0]["lists"] == ["Summer promo"]
    assert run("lists", "remove", "SUMMER PROMO") == (0, "Removed list Summer promo (1 contact kept)\n", "")
    assert [row["name"] for row in listed(run)] == ["Ann"]
    assert listed(run)[0]["lists"] == []


# -- printing what a hand-edited file holds --------------------------------------------------------


def hand_edit_names(db_path: Path, names: dict[str, str]) -> None:
    doc = json.loads(db_path.read_bytes())
    for cid, name in names.items():
        doc["contacts"][cid]["name"] = name
    db_path.write_text(json.dumps(doc))


def test_markup_and_escape_codes_in_names_print_safely(run, db_path):
    run("add", "--name", "[bold]x[/]", "--phone", "4155550101")
    run("add", "--name", "placeholder", "--phone", "4155550102", "--email", "p@example.com")
    run("lists", "add", "VIP")
    ids = [str(row["id"]) for row in listed(run)]
    hostile = "Evil\x1b[2J\x1b]0;owned\x07\x9b31m\u202eName"
    hand_edit_names(db_path, {ids[1]: hostile})
    for args in (["list"], ["show", "4155550102"], ["edit", "4155550102", "--email", "q@example.com"],
                 ["delete", "4155550102", "--yes"]):
        code, out, err = run(*args)
        assert code == 0, err
        for raw in (ESC, "\x07", "\x9b", "\u202e"):
            assert raw not in out and raw not in err
        assert "Evil\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202eName" in out
    code, out, _ = run("list")
    assert out.startswith("[bold]x[/]")  # brackets kept and shown literally, not as markup
    code, out, _ = run("show", "4155550101")
    assert "Name:       [bold]x[/]" in out


def test_json_output_escapes_control_codes(run, db_path):
    run("add", "--name", "Ann", "--phone", "4155550101")
    hostile = "Ann\x1b[31m\x7f\x9b2J\u202eEvil\u2066"
    hand_edit_names(db_path, {str(listed(run)[0]["id"]): hostile})
    for args in (["list", "--json"], ["show", "4155550101", "--json"]):
        code, out, _ = run(*args)
        assert code == 0
        assert not any(raw in out for raw in (ESC, "\x7f", "\x9b", "\u202e", "\u2066"))
        data = json.loads(out)
        assert (data[0] if isinstance(data, list) else data)["name"] == hostile  # reported faithfully


def test_a_corrupt_file_is_refused_naming_it(run, db_path, unchanged):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"{ not json")
    with unchanged():
        code, out, err = run("list")
    assert code == 1 and out == ""
    assert str(db_path) in err and "not valid JSON" in err


def test_contacts_db_environment_variable_is_used(tmp_path, monkeypatch, capsys):
    path = tmp_path / "via-env.json"
    monkeypatch.setenv("CONTACTS_DB", str(path))
    assert main(["add", "--name", "Ann", "--phone", "4155550132"]) == 0
    assert Store.open(path, user="check").count() == 1


# -- the installed command, in a real process ----------------------------------------------------


def contacts_command() -> str:
    path = Path(sys.executable).parent / "contacts"
    if not path.exists():
        pytest.skip("the contacts command is not installed next to this Python")
    return str(path)


def run_installed(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CONTACTS_DB=str(db))
    return subprocess.run([contacts_command(), *args], capture_output=True, text=True, env=env, timeout=60)


def test_the_installed_command_end_to_end(tmp_path):
    db = tmp_path / "sub" / "contacts.json"
    done = run_installed("add", "--name", "Ann Lee", "--phone", "(415) 555-0132", "--email", "ann@example.com", db=db)
    assert (done.returncode, done.stdout, done.stderr) == (0, "Added Ann Lee +14155550132\n", "")
    assert os.stat(db).st_mode & 0o777 == 0o600

    before = db.read_bytes()
    refused = run_installed("add", "--name", "Dup", "--phone", "4155550132", db=db)
    assert refused.returncode == 1 and refused.stdout == ""
    assert "already belongs to Ann Lee" in refused.stderr
    assert db.read_bytes() == before

    usage = run_installed("delete", "4155550132", db=db)
    assert usage.returncode == 2 and "--yes" in usage.stderr
    assert db.read_bytes() == before

    listing = run_installed("list", "--json", db=db)
    assert listing.returncode == 0
    [row] = json.loads(listing.stdout)
    assert set(row) == LIST_KEYS and row["phone"] == "+14155550132"

    other = tmp_path / "other.json"
    explicit = run_installed("--db", str(other), "lists", "add", "VIP", db=db)
    assert explicit.returncode == 0 and other.exists()  # --db beats CONTACTS_DB
    assert db.read_bytes() == before
