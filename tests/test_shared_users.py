"""The README's sharing steps, followed literally by real OS users made for the test (issue 12, item 4).

Root creates a group and users with ``groupadd``/``useradd`` and removes them afterwards. Each
user's commands run in a forked child that really drops to that user's uid, gid and groups and
then runs ``contacts`` (``tui.cli.main``) there. (``runuser`` cannot be used for this: it would
have to exec the interpreter, which lives under /root here, a folder other users cannot enter.)
Without root the tests are skipped, with that reason shown.
"""

from __future__ import annotations

import grp
import io
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterator

import pytest

from store import Store

needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("useradd") is None,
    reason="making a second OS user (useradd) and switching to it needs root",
)
pytestmark = needs_root


class Users:
    """Makes a group and users; removes them in the fixture's finalizer."""

    def __init__(self) -> None:
        self.tag = secrets.token_hex(3)
        self.group = f"ct{self.tag}team"
        self.made: list[str] = []
        subprocess.run(["groupadd", self.group], check=True)

    @property
    def gid(self) -> int:
        return grp.getgrnam(self.group).gr_gid

    def add(self, role: str, in_team: bool) -> str:
        name = f"ct{self.tag}{role}"
        extra = ["-G", self.group] if in_team else []
        subprocess.run(["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", *extra, name], check=True)
        self.made.append(name)
        return name

    def remove(self) -> None:
        for name in self.made:
            subprocess.run(["userdel", name], check=False)
        subprocess.run(["groupdel", self.group], check=False)


@pytest.fixture
def users() -> Iterator[Users]:
    made = Users()
    try:
        yield made
    finally:
        made.remove()


@pytest.fixture
def srv() -> Iterator[Path]:
    """Stands for /srv: a folder everyone may enter (pytest's tmp_path is private to root)."""
    parent = Path(tempfile.mkdtemp(prefix="contacts-srv-", dir="/tmp"))
    os.chmod(parent, 0o755)
    try:
        yield parent
    finally:
        shutil.rmtree(parent)


def as_user(name: str, fn: Callable[[], int]) -> tuple[int, str, str]:
    """Run ``fn`` in a child that is really user ``name``; return (exit status, stdout, stderr)."""
    out_file, err_file = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 70
        try:
            entry = pwd.getpwnam(name)
            os.initgroups(name, entry.pw_gid)
            os.setgid(entry.pw_gid)
            os.setuid(entry.pw_uid)
            os.umask(0o022)
            os.dup2(out_file.fileno(), 1)
            os.dup2(err_file.fileno(), 2)
            sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", write_through=True)
            sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", write_through=True)
            try:
                code = fn()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            import traceback

            os.write(2, traceback.format_exc().encode())
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    texts = []
    for f in (out_file, err_file):
        f.seek(0)
        texts.append(f.read().decode())
        f.close()
    return os.waitstatus_to_exitcode(status), texts[0], texts[1]


def contacts(name: str, *argv: str) -> tuple[int, str, str]:
    """``contacts ARGV...`` as user ``name``."""

    def run() -> int:
        from tui.cli import main

        return main(list(argv))

    return as_user(name, run)


def shell(name: str, fn: Callable[[], None]) -> None:
    """A step the README gives as a shell command (chgrp, chmod), done as user ``name``."""

    def run() -> int:
        fn()
        return 0

    code, _, err = as_user(name, run)
    assert code == 0, err


def test_the_readme_sharing_steps_work_at_once_for_a_second_user(users: Users, srv: Path) -> None:
    admin = users.add("admin", in_team=True)
    member = users.add("member", in_team=True)
    team_gid = users.gid

    # 1. A folder for the team (by root): the team's group, setgid, group-writable.
    folder = srv / "contacts"
    folder.mkdir()  # mkdir /srv/contacts
    os.chown(folder, -1, team_gid)  # chgrp team /srv/contacts
    os.chmod(folder, 0o2770)  # chmod 2770 /srv/contacts
    db = str(folder / "contacts.json")

    # 2. The admin's first command creates the file.
    code, out, err = contacts(admin, "--db", db, "whoami")
    assert (code, err) == (0, ""), err
    assert "admin" in out

    # 3. The admin shares it with the group.
    shell(admin, lambda: os.chown(db, -1, team_gid))  # chgrp team contacts.json
    shell(admin, lambda: os.chmod(db, 0o660))  # chmod 0660 contacts.json

    # 4. At once, the second user can read and change it ...
    code, out, err = contacts(member, "--db", db, "list")
    assert code == 0 and "contacts:" not in err, err
    code, out, err = contacts(member, "--db", db, "add", "--name", "Ben Ode", "--phone", "+14155550133")
    assert (code, err) == (0, ""), err
    # ... and so can the admin afterwards, on the file the member's save made.
    code, out, err = contacts(admin, "--db", db, "add", "--name", "Ann Lee", "--phone", "+14155550132")
    assert (code, err) == (0, ""), err
    code, out, err = contacts(member, "--db", db, "list")
    assert (code, err) == (0, "") and "Ann Lee" in out and "Ben Ode" in out, (out, err)

    st = os.stat(db)
    assert stat.S_IMODE(st.st_mode) == 0o660 and st.st_gid == team_gid  # still shared after both saves
    # Nothing in the folder is private to one of them (no lock file only its creator could use).
    for entry in folder.iterdir():
        entry_st = os.lstat(entry)
        assert stat.S_ISREG(entry_st.st_mode) and stat.S_IMODE(entry_st.st_mode) == 0o660, entry
        assert entry_st.st_gid == team_gid, entry


def test_a_reader_with_read_access_only_can_list_and_is_refused_changes_in_one_line(users: Users, srv: Path) -> None:
    admin = users.add("admin", in_team=False)
    auditor = users.add("audit", in_team=False)
    folder = srv / "admins"
    folder.mkdir()
    os.chown(folder, pwd.getpwnam(admin).pw_uid, -1)
    os.chmod(folder, 0o755)  # the auditor may enter and read, not create files
    db = str(folder / "contacts.json")
    assert contacts(admin, "--db", db, "add", "--name", "Ann Lee", "--phone", "+14155550132")[0] == 0
    shell(admin, lambda: os.chmod(db, 0o644))
    before = Path(db).read_bytes()

    code, out, err = contacts(auditor, "--db", db, "list")
    assert (code, err) == (0, ""), err
    assert "Ann Lee" in out
    code, out, err = contacts(auditor, "--db", db, "show", "+14155550132")
    assert (code, err) == (0, ""), err

    code, out, err = contacts(auditor, "--db", db, "add", "--name", "Ben Ode", "--phone", "+14155550133")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("contacts: ") and "Traceback" not in err, err
    assert "write access" in err, err
    assert Path(db).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["contacts.json"]


def test_the_owner_of_a_read_only_file_can_list_but_not_add(users: Users, srv: Path) -> None:
    admin = users.add("admin", in_team=False)
    folder = srv / "own"
    folder.mkdir()
    os.chown(folder, pwd.getpwnam(admin).pw_uid, -1)
    db = str(folder / "contacts.json")
    assert contacts(admin, "--db", db, "add", "--name", "Ann Lee", "--phone", "+14155550132")[0] == 0
    shell(admin, lambda: os.chmod(db, 0o444))  # chmod 0444 contacts.json

    code, out, err = contacts(admin, "--db", db, "list")
    assert (code, err) == (0, "") and "Ann Lee" in out, err
    code, out, err = contacts(admin, "--db", db, "add", "--name", "Ben Ode", "--phone", "+14155550133")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "read-only" in err and "Traceback" not in err, err
