"""``contacts api --public-url``: a URL Twilio's signatures can never match is refused at the start,
saying what is wrong; a good one gives the webhook URLs to paste into Twilio, printed at start."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from api.public_url import public_url_problem, webhook_urls
from tui.cli import main


@pytest.mark.parametrize("url, said", [
    ("sms.example.com", "http"),                                  # no scheme
    ("ftp://sms.example.com", "http"),
    ("https://", "host"),
    ("https://sms.example.com/webhooks/twilio", "/webhooks/"),   # the webhook's own URL
    ("https://sms.example.com/x/webhooks/", "/webhooks/"),
    ("https://sms.example.com/?a=1", "query"),
    ("https://sms.example.com/#top", "fragment"),
    ("https://sms.example.com:99999", "port"),
    ("https://sms.example.com/a b", "space"),
    ("https://sms.example.com/\x1b[31m", "control"),
])
def test_a_public_url_that_can_not_be_signed_is_refused_saying_why(url, said):
    problem = public_url_problem(url)
    assert problem and said in problem


@pytest.mark.parametrize("url", ["https://sms.example.com", "https://sms.example.com/", "http://127.0.0.1:8443/contacts/", "https://[::1]:9000/a/b"])
def test_a_base_url_is_accepted(url):
    assert public_url_problem(url) is None


def test_the_webhook_urls_are_the_public_base_plus_the_path():
    assert webhook_urls("https://sms.example.com/contacts/") == [
        ("Twilio", "https://sms.example.com/contacts/webhooks/twilio"),
        ("generic", "https://sms.example.com/contacts/webhooks/generic"),
    ]


def test_contacts_api_refuses_a_bad_public_url_with_usage_status(db_path, capsys):
    for url in ("sms.example.com", "https://sms.example.com/webhooks/twilio", "https://x.example/?q=1#f", "https://x.example/\x1b]0;pwn\x07"):
        with pytest.raises(SystemExit) as exc:
            main(["--db", str(db_path), "api", "--port", "0", "--public-url", url])
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert "--public-url" in err and "expected" in err
        assert "\x1b" not in err and "\x07" not in err


def test_the_server_prints_the_webhook_urls_to_give_twilio(db_path, tmp_path):
    from store import Store

    command = Path(sys.executable).parent / "contacts"
    if not command.exists():
        pytest.skip("the contacts command is not installed next to this Python")
    Store.open(db_path)
    with __import__("socket").socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [str(command), "--db", str(db_path), "api", "--port", str(port), "--public-url", "https://sms.example.com/contacts"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            assert selector.select(timeout=60), "the server printed nothing"
        out = "".join(proc.stdout.readline().decode() for _ in range(3))  # printed in one go
        assert f"http://127.0.0.1:{port}" in out
        assert "https://sms.example.com/contacts/webhooks/twilio" in out
        assert "https://sms.example.com/contacts/webhooks/generic" in out
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
