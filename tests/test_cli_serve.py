"""``contacts serve``: the README's commands start a real server that answers on its port.

Each test starts the installed command on a free port, waits (up to a generous limit, never as a
pass/fail timing) until the page answers, checks it, and stops the process it started.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tui.cli import build_parser

START_LIMIT_SECONDS = 60  # a ceiling for slow machines, not a measurement


def contacts_command() -> str:
    path = Path(sys.executable).parent / "contacts"
    if not path.exists():
        pytest.skip("the contacts command is not installed next to this Python")
    return str(path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_page(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def serve_and_fetch(args: list[str], port: int, db: Path) -> tuple[str | None, int | None, str]:
    """Start ``contacts ARGS``; return (the page at the port, exit status if it ended early, stderr)."""
    env = dict(os.environ, CONTACTS_DB=str(db))
    proc = subprocess.Popen(
        [contacts_command(), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group, so stopping it stops what it started
    )
    page = early_exit = None
    try:
        deadline = time.monotonic() + START_LIMIT_SECONDS
        while time.monotonic() < deadline:
            early_exit = proc.poll()
            if early_exit is not None:
                break
            page = fetch_page(f"http://127.0.0.1:{port}/")
            if page is not None:
                break
            time.sleep(0.2)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _, err = proc.communicate()
    return page, early_exit, err.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--demo", "--port", "{port}"],  # README / serve --help: contacts serve --demo --port 8080
        ["serve", "--port", "{port}"],
        ["serve", "--host", "127.0.0.1", "--port", "{port}", "--demo"],
    ],
    ids=["demo-port", "data-file", "host-port-demo"],
)
def test_the_readme_serve_commands_start_a_server(tmp_path, args):
    port = free_port()
    args = [a.format(port=port) for a in args]
    page, early_exit, err = serve_and_fetch(args, port, tmp_path / "contacts.json")
    assert early_exit is None, f"contacts {' '.join(args)} exited {early_exit}: {err}"
    assert page is not None and "sms-contacts" in page
    assert f"Serving sms-contacts on http://127.0.0.1:{port}" in err
    assert "Traceback" not in err


def test_serve_demo_without_a_port_parses_to_the_default_port():
    args = build_parser().parse_args(["serve", "--demo"])
    assert args.command == "serve" and args.port == 8000 and args.host == "127.0.0.1"
    assert args.serve_demo is True
    assert args.demo is False  # the app's own --demo was not given


def test_the_apps_demo_flag_still_refuses_a_subcommand(tmp_path):
    """``contacts --demo serve`` is a usage error, not a server on the real data file."""
    env = dict(os.environ, CONTACTS_DB=str(tmp_path / "contacts.json"))
    try:
        done = subprocess.run(
            [contacts_command(), "--demo", "serve", "--port", str(free_port())],
            capture_output=True, text=True, env=env, timeout=START_LIMIT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("contacts --demo serve started a server instead of refusing")
    assert done.returncode == 2
    assert "contacts serve --demo" in done.stderr
