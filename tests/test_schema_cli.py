"""Hand-made files with wrong types inside: every command refuses them the same way (issue 12, item 6).

Each of ``list``, ``show``, ``export``, ``add``, ``lists add`` and ``delete-all --yes`` exits 1 with
one line naming the table, record and field, prints nothing on stdout and no traceback, and
leaves the file's bytes as they were. The app is not started on such a file, and a running app
that reads one keeps what it had and writes nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import Store
from tui.app import ContactsApp
from tui.cli import main

from .store.file.bad_files import ANN, CASES, Case, valid_document

COMMANDS = [
    ("list",),
    ("show", ANN),
    ("export",),
    ("add", "--name", "Zed", "--phone", "4155550150"),
    ("lists", "add", "New"),
    ("delete-all", "--yes"),
]


def write(path: Path, doc: dict) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    content = json.dumps(doc).encode()
    path.write_bytes(content)
    return content


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_command_refuses_a_bad_file_with_one_clear_line(db_path, capsys, case: Case):
    content = write(db_path, case.document())
    mtime = os.stat(db_path).st_mtime_ns
    for command in COMMANDS:
        code = main(["--db", str(db_path), *command])
        out, err = capsys.readouterr()
        assert code == 1, command
        assert out == "", command
        assert err.startswith(f"contacts: {db_path}: {case.where}: expected "), (command, err)
        assert err.count("\n") == 1 and "Traceback" not in err, command
        assert db_path.read_bytes() == content, command
        assert os.stat(db_path).st_mtime_ns == mtime, command


def test_the_installed_command_prints_no_traceback(db_path):
    case = next(c for c in CASES if c.name == "suppression row is a string")
    content = write(db_path, case.document())
    bin_dir = Path(sys.executable).parent
    for command in (["lists", "add", "New"], ["delete-all", "--yes"], ["list"]):
        done = subprocess.run(
            [str(bin_dir / "contacts"), "--db", str(db_path), *command], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 1
        assert done.stdout == ""
        assert done.stderr.startswith(f"contacts: {db_path}: {case.where}: expected an object")
        assert "Traceback" not in done.stderr
    assert db_path.read_bytes() == content


def test_the_app_is_not_started_on_a_bad_file(db_path, capsys, monkeypatch):
    case = next(c for c in CASES if c.name == "opted_out is the string no")
    content = write(db_path, case.document())
    started = []
    monkeypatch.setattr(ContactsApp, "run", lambda self, *a, **k: started.append(self))
    assert main(["--db", str(db_path)]) == 1
    assert started == []
    assert case.where in capsys.readouterr().err
    assert db_path.read_bytes() == content


async def test_a_running_app_that_reads_a_bad_file_says_so_keeps_its_data_and_writes_nothing(db_path):
    from tui.screens import ContactsScreen

    from .tui.main_support import screen_text, settle

    write(db_path, valid_document())
    store = Store.open(db_path, user="alice")
    app = ContactsApp(store)
    shown: list[str] = []
    notify = app.notify
    app.notify = lambda message, *args, **kwargs: (shown.append(str(message)), notify(message, *args, **kwargs))[1]
    async with app.run_test(size=(100, 30)) as pilot:
        case = next(c for c in CASES if c.name == "lists nested in a list")
        content = write(db_path, case.document())  # another program writes a bad file
        app.check_disk()
        await pilot.pause()
        assert any(case.where in message for message in shown), shown
        assert isinstance(app.screen, ContactsScreen)
        assert "Ann Lee" in screen_text(app) and "Cy Young" in screen_text(app)  # what it had
        shown.clear()
        # a save is refused with the same message, and the bad file is not written over
        await pilot.press("enter", *" Jr", "ctrl+s")
        await settle(app, pilot)
        assert db_path.read_bytes() == content
        assert any(case.where in message for message in shown), shown
        assert "Ann Lee" in screen_text(app)
