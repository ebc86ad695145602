"""Renaming/removing lists and changing the region, from the command line, as a real other login.

The admin is whoever runs the suite (they create the file, share it the README's way and give
roles). The other person is a real operating-system user made for this module with ``useradd``:
a forked child drops to their uid and runs the ``contacts`` command line (tui.cli.main), so the
store sees the login the operating system gives, and the file's real permissions apply. (The
venv's Python lives under root's private home, so the other user could not start it afresh.)
Making a user needs root; elsewhere these tests are skipped and say why.
"""

from __future__ import annotations

import grp
import io
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator, NamedTuple

import pytest

from store import Store
from tui.cli import main

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("useradd") is None,
    reason="needs root and useradd to create a second operating-system user",
)


class Login(NamedTuple):
    name: str
    uid: int
    gid: int


class Result(NamedTuple):
    status: int
    out: str
    err: str


@pytest.fixture(scope="module")
def other_user() -> Iterator[Login]:
    name = "ctperm" + secrets.token_hex(4)  # unique: suites in other worktrees may run at once
    command = ["useradd", "--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin", name]
    for _ in range(20):  # another useradd may hold /etc/passwd's lock for a moment
        made = subprocess.run(command, capture_output=True, text=True)
        if made.returncode not in (1, 10):  # can't update the password or group file: locked
            break
        time.sleep(0.5)
    assert made.returncode == 0, made.stderr
    try:
        entry = pwd.getpwnam(name)
        yield Login(name, entry.pw_uid, entry.pw_gid)
    finally:
        subprocess.run(["userdel", name], check=False)


@pytest.fixture
def shared_db(other_user: Login) -> Iterator[Path]:
    """The README's sharing: a setgid folder of the user's group, the admin's file made 0660."""
    parent = Path(tempfile.mkdtemp(prefix="contacts-perm-", dir="/tmp"))  # tmp_path is private to root
    os.chmod(parent, 0o755)
    folder = parent / "team"
    folder.mkdir()
    os.chown(folder, -1, other_user.gid)
    os.chmod(folder, 0o2770)
    path = folder / "contacts.json"
    try:
        assert main(["--db", str(path), "lists", "add", "VIP"]) == 0  # the admin creates it
        os.chmod(path, 0o660)
        assert grp.getgrgid(os.stat(path).st_gid).gr_gid == other_user.gid
        yield path
    finally:
        shutil.rmtree(parent)


def run_cli_as(login: Login, argv: list[str]) -> Result:
    """``contacts ARGV`` in a forked child running as ``login``; its status, stdout and stderr."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        out, err = io.StringIO(), io.StringIO()
        try:
            os.setgroups([login.gid])
            os.setgid(login.gid)
            os.setuid(login.uid)
            os.umask(0o022)
            sys.stdout, sys.stderr = out, err
            try:
                status = main(argv)
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else 1
        except BaseException as exc:
            status, err = 99, io.StringIO(f"child failed: {type(exc).__name__}: {exc}")
        os.write(write_end, json.dumps([status, out.getvalue(), err.getvalue()]).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        status, out, err = json.loads(pipe.read().decode())
    os.waitpid(pid, 0)
    return Result(status, out, err)


def give_role(path: Path, login: Login, role: str) -> None:
    assert main(["--db", str(path), "role", login.name, role]) == 0


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), os.stat(path).st_mtime_ns


def list_names(path: Path) -> list[str]:
    return [lst.name for lst in Store.open(path).lists()]


def test_the_child_really_runs_as_the_other_user(shared_db: Path, other_user: Login) -> None:
    give_role(shared_db, other_user, "agent")
    result = run_cli_as(other_user, ["--db", str(shared_db), "whoami"])
    assert result.status == 0, result.err
    assert result.out.startswith(f"{other_user.name} (agent)")


@pytest.mark.parametrize(
    ("argv", "refusal"),
    [
        (["lists", "rename", "VIP", "Gold"], "may not rename or remove lists"),
        (["lists", "remove", "VIP"], "may not rename or remove lists"),
        (["region", "GB"], "may not change settings"),
    ],
    ids=["lists-rename", "lists-remove", "region"],
)
def test_an_agent_is_refused_with_a_message_and_the_file_is_unchanged(
    shared_db: Path, other_user: Login, argv: list[str], refusal: str
) -> None:
    give_role(shared_db, other_user, "agent")
    before = snapshot(shared_db)
    result = run_cli_as(other_user, ["--db", str(shared_db), *argv])
    assert result.status == 1, result
    assert result.err.startswith("contacts: ")
    assert f"The agent role ({other_user.name}) {refusal}; ask an admin" in result.err
    assert result.out == ""
    assert snapshot(shared_db) == before
    assert list_names(shared_db) == ["VIP"]
    assert Store.open(shared_db).default_region == "US"


def test_a_supervisor_renames_and_removes_lists_but_not_the_region(shared_db: Path, other_user: Login) -> None:
    give_role(shared_db, other_user, "supervisor")
    renamed = run_cli_as(other_user, ["--db", str(shared_db), "lists", "rename", "VIP", "Gold"])
    assert renamed.status == 0, renamed.err
    assert list_names(shared_db) == ["Gold"]
    removed = run_cli_as(other_user, ["--db", str(shared_db), "lists", "remove", "Gold"])
    assert removed.status == 0, removed.err
    assert list_names(shared_db) == []
    before = snapshot(shared_db)
    region = run_cli_as(other_user, ["--db", str(shared_db), "region", "GB"])
    assert region.status == 1
    assert f"The supervisor role ({other_user.name}) may not change settings" in region.err
    assert snapshot(shared_db) == before


def test_an_admins_rule_for_the_user_overrides_their_role(shared_db: Path, other_user: Login) -> None:
    give_role(shared_db, other_user, "agent")
    assert main(["--db", str(shared_db), "policy", other_user.name, "lists", "allow"]) == 0
    assert main(["--db", str(shared_db), "policy", other_user.name, "settings", "allow"]) == 0
    assert run_cli_as(other_user, ["--db", str(shared_db), "lists", "rename", "VIP", "Gold"]).status == 0
    assert run_cli_as(other_user, ["--db", str(shared_db), "region", "GB"]).status == 0
    assert list_names(shared_db) == ["Gold"]
    assert Store.open(shared_db).default_region == "GB"
    # ... and a deny for the user wins over an allow for their role.
    assert main(["--db", str(shared_db), "policy", "agent", "lists", "allow"]) == 0
    assert main(["--db", str(shared_db), "policy", other_user.name, "lists", "deny"]) == 0
    before = snapshot(shared_db)
    refused = run_cli_as(other_user, ["--db", str(shared_db), "lists", "remove", "Gold"])
    assert refused.status == 1
    assert f"An administrator has not allowed {other_user.name} to rename or remove lists" in refused.err
    assert snapshot(shared_db) == before


def test_the_other_user_cannot_give_themselves_the_right(shared_db: Path, other_user: Login) -> None:
    give_role(shared_db, other_user, "agent")
    before = snapshot(shared_db)
    result = run_cli_as(other_user, ["--db", str(shared_db), "policy", other_user.name, "settings", "allow"])
    assert result.status == 1
    assert "Only an admin" in result.err
    assert snapshot(shared_db) == before
