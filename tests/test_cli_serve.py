"""``contacts serve``: the README's commands start a real server that answers on its port, and
only to the address it printed (a secret in the path), except for the demo.

Each test starts the installed command on a free port, reads the address it prints, waits (up to
a generous limit, never as a pass/fail timing) until the page answers, checks it, and stops the
process group it started.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

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


# -- a secret in the URL: other local users cannot use the app with your rights -----------------

URL_PATTERN = re.compile(r"http://127\.0\.0\.1:(\d+)(/\S*)?")


def read_line(proc: subprocess.Popen, limit: float) -> str:
    """One line of the server's stdout, waiting at most ``limit`` seconds (a ceiling, not a measure)."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=limit):
            return ""
    return proc.stdout.readline().decode("utf-8", "replace")


class Served:
    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.url = ""
        self.err = ""  # its stderr, once it has stopped


@contextmanager
def serving(args: list[str], db: Path) -> Iterator[Served]:
    """Start ``contacts ARGS``; yield it with the URL it printed; always stop its process group."""
    env = dict(os.environ, CONTACTS_DB=str(db))
    proc = subprocess.Popen(
        [contacts_command(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        start_new_session=True,  # its own process group, so stopping it stops what it started
    )
    served = Served(proc)
    try:
        deadline = time.monotonic() + START_LIMIT_SECONDS
        lines: list[str] = []
        while not (lines and URL_PATTERN.search(lines[-1])) and time.monotonic() < deadline and len(lines) < 20:
            line = read_line(proc, deadline - time.monotonic())
            if not line:
                break
            lines.append(line)
        match = URL_PATTERN.search(lines[-1]) if lines else None
        assert match, f"no URL printed on stdout: {lines!r}"
        served.url = match.group(0)
        deadline = time.monotonic() + START_LIMIT_SECONDS
        while status_of(served.url)[0] is None and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        yield served
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _, err = proc.communicate()
        served.err = err.decode("utf-8", "replace")


def status_of(url: str, headers: dict[str, str] | None = None) -> tuple[int | None, str]:
    """(HTTP status, body) of a GET, or (None, '') when nothing answers."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {})
        response = connection.getresponse()
        body = "" if response.status == 101 else response.read().decode("utf-8", "replace")
        return response.status, body
    except (ConnectionError, TimeoutError, OSError):
        return None, ""
    finally:
        connection.close()


WEBSOCKET_HANDSHAKE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": base64.b64encode(b"0123456789abcdef").decode(),
}


def test_serve_prints_a_secret_url_and_refuses_everything_without_it(tmp_path):
    port = free_port()
    with serving(["serve", "--port", str(port)], tmp_path / "contacts.json") as served:
        proc, url = served.proc, served.url
        assert url.startswith(f"http://127.0.0.1:{port}/")
        secret = urllib.parse.urlsplit(url).path.strip("/")
        assert len(secret) >= 32  # secrets.token_urlsafe: unguessable
        status, page = status_of(url)
        assert status == 200, page
        assert "sms-contacts" in page and "<html" in page.lower()
        # The page's own addresses carry the secret, so the browser's websocket gets through.
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/{secret}/ws"' in page
        base = f"http://127.0.0.1:{port}"
        wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
        for refused in ("/", f"/{wrong}/", f"/?token={secret}", "/ws", "/static/js/textual.js", "/download/x",
                        f"/{wrong}/ws", f"/{secret.upper() if secret.upper() != secret else secret.lower()}/"):
            status, body = status_of(base + refused)
            assert status == 403, (refused, status)
            assert secret not in body
        # The websocket that drives the app: refused without the secret, accepted with it.
        assert status_of(f"{base}/ws?width=80&height=24", WEBSOCKET_HANDSHAKE)[0] == 403
        assert status_of(f"{base}/{wrong}/ws?width=80&height=24", WEBSOCKET_HANDSHAKE)[0] == 403
        assert status_of(f"{base}/{secret}/ws?width=80&height=24", WEBSOCKET_HANDSHAKE)[0] == 101
        assert status_of(f"{base}/{secret}/static/js/textual.js")[0] == 200
        # The address typed without its last slash leads to the app, not to a 403.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", f"/{secret}")
        response = connection.getresponse()
        assert (response.status, response.getheader("Location")) == (302, f"/{secret}/")
        connection.close()
        assert status_of(f"{base}/{wrong}")[0] == 403
        assert proc.poll() is None
    assert secret not in served.err  # printed once, to stdout only: no log repeats it
    assert "keep it to yourself" in served.err


def test_each_start_has_a_new_secret(tmp_path):
    secrets_seen = set()
    for _ in range(2):
        port = free_port()
        with serving(["serve", "--port", str(port)], tmp_path / "contacts.json") as served:
            secrets_seen.add(urllib.parse.urlsplit(served.url).path)
    assert len(secrets_seen) == 2


def test_serve_demo_needs_no_secret(tmp_path):
    port = free_port()
    with serving(["serve", "--demo", "--port", str(port)], tmp_path / "contacts.json") as served:
        assert served.url == f"http://127.0.0.1:{port}/"
        status, page = status_of(f"http://127.0.0.1:{port}/")
        assert status == 200 and "sms-contacts" in page
        assert status_of(f"http://127.0.0.1:{port}/ws?width=80&height=24", WEBSOCKET_HANDSHAKE)[0] == 101


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
    with serving(args, tmp_path / "contacts.json") as served:
        assert served.url.startswith(f"http://127.0.0.1:{port}/")
        status, page = status_of(served.url)
        assert status == 200 and "sms-contacts" in page
        assert served.proc.poll() is None, f"contacts {' '.join(args)} exited"
    assert "Traceback" not in served.err


# -- a port it cannot use: one line saying why, as `contacts api` does, never a traceback -------


def run_serve(args: list[str], db: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, CONTACTS_DB=str(db))
    try:
        return subprocess.run(
            [contacts_command(), *args], capture_output=True, text=True, env=env, timeout=START_LIMIT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"contacts {' '.join(args)} started a server instead of refusing")


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_an_impossible_port_is_a_usage_error(tmp_path, port):
    done = run_serve(["serve", "--demo", "--port", port], tmp_path / "contacts.json")
    assert done.returncode == 2, done.stderr
    assert f"serve: --port must be from 0 to 65535 (0 picks a free port), not {port}" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""  # no address printed for a server that never started


def test_a_port_in_use_is_refused_saying_so(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run_serve(["serve", "--demo", "--port", str(port)], tmp_path / "contacts.json")
    assert done.returncode == 1, done.stderr
    assert f"contacts serve: cannot listen on 127.0.0.1:{port}:" in done.stderr
    assert "address already in use" in done.stderr
    assert "Traceback" not in done.stderr
