"""contacts api-token | webhook-secret | api: the command line around the API."""

from __future__ import annotations

import io
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from store import Store
from store.access.api_tokens import list_tokens, verify_token
from store.access.webhook_secrets import read_secret, secrets_path
from tui.cli import main
from tui.commands.api_commands import host_warning


@pytest.fixture
def run(db_path, capsys, monkeypatch):
    def call(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            code = main(["--db", str(db_path), *args])
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return call


def test_api_token_create_prints_the_token_once_and_list_never_shows_it(run, db_path):
    code, out, err = run("api-token", "create", "zapier")
    assert code == 0
    token = out.strip()
    assert "\n" not in token and verify_token(Store.open(db_path), token).name == "zapier"
    assert "only time" in err
    code, out, _ = run("api-token", "list")
    assert code == 0 and "zapier" in out and token not in out
    code, out, _ = run("api-token", "list", "--json")
    listed = json.loads(out)
    assert [t["name"] for t in listed] == ["zapier"] and "hash" not in listed[0]
    assert run("api-token", "revoke", "zapier")[0] == 0
    assert verify_token(Store.open(db_path), token) is None
    code, _, err = run("api-token", "revoke", "zapier")
    assert code == 1 and "zapier" in err


def test_a_non_admin_can_not_make_tokens_or_set_secrets(run, db_path, unchanged):
    Store.open(db_path, user="alice")  # alice made the file: she is the admin, we are an agent
    with unchanged():
        code, out, err = run("api-token", "create", "mine")
        assert code == 1 and out == "" and "admin" in err
        code, out, err = run("webhook-secret", "twilio", stdin="abc\n")
        assert code == 1 and "admin" in err
    assert not secrets_path(db_path).exists()


def test_webhook_secret_reads_stdin_and_never_prints_it(run, db_path):
    code, out, err = run("webhook-secret", "twilio", stdin="s3cr3t-token-value\n")
    assert code == 0
    assert "s3cr3t" not in out + err and str(secrets_path(db_path)) in out
    assert read_secret(db_path, "twilio") == "s3cr3t-token-value"
    assert "s3cr3t" not in db_path.read_text()
    code, _, err = run("webhook-secret", "twilio", stdin="")
    assert code == 1 and "empty" in err
    assert run("webhook-secret", "sendgrid", stdin="x")[0] == 2


def test_another_host_than_localhost_gets_a_warning():
    assert host_warning("127.0.0.1") is None and host_warning("localhost") is None and host_warning("::1") is None
    warning = host_warning("0.0.0.0")
    assert warning and "0.0.0.0" in warning and "plain HTTP" in warning


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_installed_command_serves_the_api(db_path, tmp_path):
    command = Path(sys.executable).parent / "contacts"
    if not command.exists():
        pytest.skip("the contacts command is not installed next to this Python")
    store = Store.open(db_path)
    store.add_contact("Ann Lee", "+14155550132")
    token = subprocess.run([str(command), "--db", str(db_path), "api-token", "create", "t"], capture_output=True, text=True, check=True).stdout.strip()
    port = free_port()
    proc = subprocess.Popen(
        [str(command), "--db", str(db_path), "api", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            assert selector.select(timeout=60), "the server printed nothing"
        line = proc.stdout.readline().decode()
        assert f"http://127.0.0.1:{port}" in line
        req = urllib.request.Request(f"http://127.0.0.1:{port}/contacts/phone/4155550132", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            assert json.loads(resp.read())["name"] == "Ann Lee"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
