"""`contacts serve` serves the app's page on a local port (textual-serve), at the secret address
it prints."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.test_cli_serve import read_line
from tui.commands.serve_command import app_command


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_app_command_runs_this_python_on_the_chosen_file(tmp_path: Path):
    from store import Store

    store = Store.open(tmp_path / "c.json", user="alice")
    command = app_command(store, demo=False)
    assert command.startswith(sys.executable)
    assert str(tmp_path / "c.json") in command
    assert app_command(None, demo=True).endswith("-m tui --demo")


def test_each_session_opens_the_file_the_served_link_named_at_start(tmp_path: Path):
    """--db is resolved once (issue 12, item 5): a browser session started later opens the file
    the server opened, not whatever the link names by then."""
    import shlex

    from store import Store

    real = tmp_path / "contacts.json"
    link = tmp_path / "team.json"
    link.symlink_to(real)
    store = Store.open(link, user="alice")
    argv = shlex.split(app_command(store, demo=False))
    assert argv[argv.index("--db") + 1] == str(real)


def test_serve_answers_on_localhost(tmp_path: Path):
    port = _free_port()
    db = tmp_path / "served.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        line = read_line(proc, 20)  # "Serving sms-contacts on URL (ctrl+c to stop)"
        assert line.startswith("Serving sms-contacts on "), line
        url = line.split()[3]
        assert url.startswith(f"http://127.0.0.1:{port}/") and len(url) > len(f"http://127.0.0.1:{port}/") + 30
        deadline = time.monotonic() + 20
        body = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.status == 200
                    body = response.read().decode("utf-8", "replace")
                    break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(f"serve exited early: {proc.stderr.read().decode()}")
                time.sleep(0.2)
        assert "sms-contacts" in body
        assert "<html" in body.lower()
        assert db.exists()  # the data file was opened (and so checked) before serving
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
