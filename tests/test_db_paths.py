"""Paths and files that aren't what they seem (issue 12, item 5), and read-only files (item 4).

A symlinked ``--db`` stays a link and both names are one file with one lock; ``export -o`` never
writes over the data file, and over another existing file only with ``--force``; a FIFO, a device,
a folder or a socket as ``--db`` is refused at once; a read-only file can be read but not changed.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from store import Store
from tui.cli import main

CONTACTS = [str(Path(sys.executable).with_name("contacts"))]


@pytest.fixture
def cli(capsys):
    """Run ``contacts ARGS...`` in-process; return (exit status, stdout, stderr)."""

    def call(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return call


def _add(cli, db: Path, name: str, phone: str) -> None:
    code, _, err = cli("--db", str(db), "add", "--name", name, "--phone", phone)
    assert (code, err) == (0, ""), err


# -- a symlinked --db -----------------------------------------------------------------------------


def test_a_symlinked_db_stays_a_link_and_both_names_are_one_file(tmp_path, cli):
    team = tmp_path / "team" / "contacts.json"
    _add(cli, team, "Ann Lee", "+14155550132")
    link = tmp_path / "mine" / "link.json"
    link.parent.mkdir()
    link.symlink_to(team)

    _add(cli, link, "Ben Ode", "+14155550133")
    _add(cli, team, "Cy Day", "+14155550134")
    _add(cli, link, "Di Eve", "+14155550135")

    assert link.is_symlink() and link.resolve() == team
    for name in (link, team):
        assert sorted(c.name for c in Store.open(name, user="check").contacts()) == ["Ann Lee", "Ben Ode", "Cy Day", "Di Eve"]
    # Nothing was written beside the link: its temp files and lock live beside the real file.
    assert sorted(p.name for p in link.parent.iterdir()) == ["link.json"]


WORKER = textwrap.dedent(
    """
    import json, sys
    from store import Store
    path, worker = sys.argv[1], int(sys.argv[2])
    done = []
    for i in range(25):
        phone = f"+1415555{worker}{i:03d}"
        Store.open(path, user=f"w{worker}").add_contact(f"W{worker} {i}", phone)
        done.append(phone)
    print(json.dumps(done))
    """
)


def test_writers_through_the_link_and_the_real_name_share_one_lock(tmp_path):
    team = tmp_path / "team" / "contacts.json"
    Store.open(team, user="admin")
    link = tmp_path / "link.json"
    link.symlink_to(team)
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(link if w % 2 else team), str(w)], stdout=subprocess.PIPE, text=True)
        for w in range(4)
    ]
    confirmed = []
    for proc in procs:
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0
        confirmed += json.loads(out)
    assert link.is_symlink()
    assert sorted(c.phone for c in Store.open(team, user="check").contacts()) == sorted(confirmed)
    assert len(confirmed) == 100


# -- export -o ------------------------------------------------------------------------------------


def test_export_onto_the_data_file_is_refused_and_changes_nothing(tmp_path, cli):
    db = tmp_path / "contacts.json"
    _add(cli, db, "Ann Lee", "+14155550132")
    before = db.read_bytes()
    link = tmp_path / "also.json"
    link.symlink_to(db)
    for target in (db, link, tmp_path / "." / "contacts.json"):
        for force in ([], ["--force"]):
            code, out, err = cli("--db", str(db), "export", "-o", str(target), *force)
            assert code == 1, (target, force)
            assert err.count("\n") == 1 and "is the data file" in err, err
            assert db.read_bytes() == before
    assert link.is_symlink()


def test_export_onto_the_data_file_is_refused_even_after_its_link_was_pointed_elsewhere(tmp_path):
    """The store opened through a link writes the file the link named then (resolved once); if the
    link is pointed elsewhere meanwhile (the app stays open for hours), that file is still the data
    file, and an export onto it must still be refused."""
    from store.errors import SaveFailed
    from store.transfer.exporter import export_to_path

    real = tmp_path / "contacts.json"
    link = tmp_path / "team.json"
    link.symlink_to(real)
    store = Store.open(link, user="alice")
    store.add_contact("Ann Lee", "+14155550132")
    before = real.read_bytes()
    elsewhere = tmp_path / "old-team.json"
    elsewhere.write_text("{}")
    link.unlink()
    link.symlink_to(elsewhere)
    with pytest.raises(SaveFailed, match="is the data file"):
        export_to_path(store, real, overwrite=True)
    assert real.read_bytes() == before
    assert [c.name for c in Store.open(real, user="alice").contacts()] == ["Ann Lee"]


def test_export_over_an_existing_file_needs_force(tmp_path, cli):
    db = tmp_path / "contacts.json"
    _add(cli, db, "Ann Lee", "+14155550132")
    out_file = tmp_path / "report.csv"
    out_file.write_text("my own notes\n")

    code, _, err = cli("--db", str(db), "export", "-o", str(out_file))
    assert code == 1
    assert err.count("\n") == 1 and "already exists" in err and "--force" in err, err
    assert out_file.read_text() == "my own notes\n"

    code, _, err = cli("--db", str(db), "export", "-o", str(out_file), "--force")
    assert code == 0, err
    assert out_file.read_text().splitlines()[1].startswith("Ann Lee,")

    fresh = tmp_path / "new.csv"
    code, _, err = cli("--db", str(db), "export", "-o", str(fresh))
    assert code == 0, err
    assert fresh.read_text().splitlines()[1].startswith("Ann Lee,")
    assert stat.S_IMODE(os.stat(fresh).st_mode) == 0o600


def test_export_refuses_a_target_that_is_not_a_regular_file_even_with_force(tmp_path, cli):
    db = tmp_path / "contacts.json"
    _add(cli, db, "Ann Lee", "+14155550132")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = cli("--db", str(db), "export", "-o", str(fifo), "--force")
    assert code == 1 and "not a regular file" in err, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


# -- not a regular file as --db ------------------------------------------------------------------


def _refused_at_once(db: Path, what: str) -> None:
    """Run the real command (a hang must not hang the suite) and check the refusal."""
    result = subprocess.run([*CONTACTS, "--db", str(db), "list"], capture_output=True, text=True, timeout=20)
    assert result.returncode == 1, result
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert what in result.stderr and "not a regular file" in result.stderr, result.stderr


def test_a_fifo_as_db_is_refused_at_once(tmp_path):
    fifo = tmp_path / "contacts.json"
    os.mkfifo(fifo)
    _refused_at_once(fifo, "named pipe")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.json"]


def test_dev_null_as_db_is_refused_and_nothing_is_created_in_dev():
    before = set(os.listdir("/dev"))
    _refused_at_once(Path("/dev/null"), "device")
    assert set(os.listdir("/dev")) - before == set()


def test_a_folder_and_a_socket_as_db_are_refused(tmp_path):
    folder = tmp_path / "contacts.json"
    folder.mkdir()
    _refused_at_once(folder, "folder")
    sock_path = tmp_path / "s.json"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        _refused_at_once(sock_path, "socket")


SWAP_IN_A_FIFO = textwrap.dedent(
    """
    import os, sys
    from store import Store, StoreError
    db = sys.argv[1]
    store = Store.open(db, user="alice")
    os.unlink(db)
    os.mkfifo(db)  # after the store opened it: the next look must not wait for a writer
    try:
        store.refresh()
    except StoreError as exc:
        print(exc)
    """
)


def test_a_fifo_swapped_in_after_the_open_does_not_hang_a_reader(tmp_path):
    db = tmp_path / "contacts.json"
    result = subprocess.run([sys.executable, "-c", SWAP_IN_A_FIFO, str(db)], capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stderr
    assert "named pipe" in result.stdout and "not a regular file" in result.stdout, result.stdout


# -- read-only files (item 4) ---------------------------------------------------------------------


def test_a_read_only_file_can_be_listed_but_not_changed(tmp_path, cli):
    db = tmp_path / "contacts.json"
    _add(cli, db, "Ann Lee", "+14155550132")
    os.chmod(db, 0o444)
    before = db.read_bytes()

    code, out, err = cli("--db", str(db), "list")
    assert (code, err) == (0, ""), err
    assert "Ann Lee" in out

    code, out, err = cli("--db", str(db), "add", "--name", "Ben Ode", "--phone", "+14155550133")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "read-only" in err and "Traceback" not in err, err
    assert db.read_bytes() == before
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.json"]


HOLD_THE_LOCK = textwrap.dedent(
    """
    import sys
    from store import Store
    store = Store.open(sys.argv[1], user="bob")
    with store.transaction():  # a writer in the middle of a change
        print("holding", flush=True)
        sys.stdin.read()
    """
)


def test_a_user_holding_the_write_lock_does_not_block_readers(tmp_path):
    db = tmp_path / "contacts.json"
    Store.open(db, user="alice").add_contact("Ann Lee", "+14155550132")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "holding\n"
        result = subprocess.run(
            [str(Path(sys.executable).with_name("contacts")), "--db", str(db), "list"],
            capture_output=True, text=True, timeout=60,
        )
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
        assert "Ann Lee" in result.stdout
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
