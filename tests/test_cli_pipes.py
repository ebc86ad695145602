"""Every command is quiet when the reader of its output goes away (``contacts list | head -3``).

As other Unix tools: no traceback, nothing on stderr, exit status 141 (128 + SIGPIPE, what a shell
reports for a tool stopped by SIGPIPE). These run the installed command with real pipes: a reader
that takes one line and closes, and a pipe whose reading end is closed before the command starts
(so every write fails, however short the output).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import Store
from store.transfer import importer
from store.consent.replies import record_reply
from store.transfer.csv_format import CsvSource

BROKEN_PIPE_STATUS = 141
CONTACTS = 3000  # some 300 KB of `list` output: far more than a pipe holds
ANN = "+14155550132"


def contacts_command() -> str:
    path = Path(sys.executable).parent / "contacts"
    if not path.exists():
        pytest.skip("the contacts command is not installed next to this Python")
    return str(path)


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pipes") / "contacts.json"
    store = Store.open(path, user="alice")
    rows = "".join(f"Person {i:04d},+1212555{i:04d},p{i}@example.com\n" for i in range(CONTACTS))
    importer.import_csv(store, CsvSource.from_stream(io.BytesIO(rows.encode())))
    ann = store.add_contact("Ann Lee", ANN, "ann@example.com")
    for reply in ("STOP", "START", "STOP"):
        record_reply(store, ann.phone, reply)
    return path


def env_for(db: Path, unbuffered: bool = False) -> dict[str, str]:
    """As a user runs it: stdout block-buffered into a pipe, unless ``unbuffered`` (PYTHONUNBUFFERED)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    return dict(env, CONTACTS_DB=str(db))


def read_one_line_then_close(args: list[str], db: Path) -> tuple[int, bytes, str]:
    proc = subprocess.Popen(
        [contacts_command(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env_for(db)
    )
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader goes away, as `head -1` does
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    return proc.wait(timeout=60), first, err


def into_a_closed_pipe(args: list[str], db: Path, unbuffered: bool = False) -> tuple[int, str]:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: the first write fails
    try:
        done = subprocess.run(
            [contacts_command(), *args], stdout=write_end, stderr=subprocess.PIPE, env=env_for(db, unbuffered), timeout=60
        )
    finally:
        os.close(write_end)
    return done.returncode, done.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "args, first_line",
    [
        (["list"], b"Ann Lee "),
        (["list", "--json"], b"["),
        (["export"], b"Full Name,"),
    ],
)
def test_a_reader_that_leaves_early_gets_no_traceback(big_db, args, first_line):
    status, first, err = read_one_line_then_close(args, big_db)
    assert first.startswith(first_line)
    assert (status, err) == (BROKEN_PIPE_STATUS, "")


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["list", "--json"],
        ["show", ANN],
        ["show", ANN, "--json"],
        ["export"],
        ["export", "-o", "-"],
        ["--help"],
        ["list", "--help"],
        ["serve", "--help"],
        ["lists"],
        ["users"],
        ["whoami"],
        ["policy"],
        ["region"],
        ["review"],
        ["sample-csv"],
        ["--where"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
def test_every_command_is_quiet_into_a_closed_pipe(big_db, args, unbuffered):
    before = big_db.read_bytes()
    # argparse's help drops a failed write itself and exits 0; when stdout is unbuffered nothing
    # is left for main to find. Quiet either way.
    status = 0 if unbuffered and "--help" in args else BROKEN_PIPE_STATUS
    assert into_a_closed_pipe(args, big_db, unbuffered) == (status, "")
    assert big_db.read_bytes() == before


def test_a_change_is_kept_when_its_message_cannot_be_printed(big_db):
    assert into_a_closed_pipe(["add", "--name", "Bo Diaz", "--phone", "2125559999"], big_db) == (BROKEN_PIPE_STATUS, "")
    assert Store.open(big_db, user="alice").find("+12125559999").name == "Bo Diaz"


@pytest.mark.parametrize("pipeline", ["contacts list | head -3", f"contacts show {ANN} | head -2"])
def test_the_pipelines_of_the_issue_print_their_lines_and_nothing_else(big_db, pipeline):
    bin_dir = str(Path(contacts_command()).parent)
    env = dict(env_for(big_db), PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    done = subprocess.run(["sh", "-c", pipeline], capture_output=True, text=True, env=env, timeout=60)
    wanted = int(pipeline[-1])
    assert len(done.stdout.splitlines()) == wanted
    assert done.stdout.startswith("Ann Lee ") or done.stdout.startswith("Name:       Ann Lee")
    assert (done.returncode, done.stderr) == (0, "")  # the status of head, the last in the pipeline


def test_a_file_given_as_a_process_substitution_is_imported(tmp_path):
    """`contacts import <(cmd)`: the path is a pipe, whose bytes can be read only once."""
    db = tmp_path / "contacts.json"
    bin_dir = str(Path(contacts_command()).parent)
    env = dict(env_for(db), PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    script = (
        "contacts import --skip-header <(printf 'Full Name,Phone\\nAnn Lee,4155550132\\n') && "
        "contacts import-optouts <(printf '4155550147\\n')"
    )
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert "1 new" in done.stdout
    store = Store.open(db, user="alice")
    assert store.find("+14155550132").name == "Ann Lee"
    assert store.is_suppressed("+14155550147")
