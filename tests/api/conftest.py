"""A real ``contacts api`` server on a free local port, in a thread, and a small HTTP client."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

from api.server import ApiConfig, start_in_thread
from store import Store
from store.access.api_tokens import create_token


@dataclass
class Reply:
    status: int
    headers: Any
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class Client:
    def __init__(self, base: str, token: str | None):
        self.base = base
        self.token = token

    def request(
        self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
        headers: dict[str, str] | None = None, token: str | None | bool = True,
    ) -> Reply:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        sent = {"Content-Type": "application/json"} if body is not None else {}
        use = self.token if token is True else token
        if use:
            sent["Authorization"] = f"Bearer {use}"
        sent.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return Reply(resp.status, resp.headers, resp.read())
        except urllib.error.HTTPError as err:
            return Reply(err.code, err.headers, err.read())

    def get(self, path: str, **kw: Any) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.request("POST", path, body, **kw)


@pytest.fixture
def served(db_path: Path, store: Store) -> Iterator[tuple[Client, Store]]:
    """A server on alice's file (alice is its admin), a client with alice's token, and her store."""
    token = create_token(store, "tests")
    running = start_in_thread(ApiConfig(db_path=db_path, host="127.0.0.1", port=0))
    try:
        yield Client(running.url, token), store
    finally:
        running.stop()


def assert_error(reply: Reply, status: int, field: str | None = None) -> dict[str, Any]:
    """A JSON error with a message (and the field, when given); never a traceback."""
    assert reply.status == status, reply.body
    assert reply.headers["Content-Type"].startswith("application/json")
    data = reply.json
    assert isinstance(data["error"], str) and data["error"]
    assert "Traceback" not in reply.text and 'File "' not in reply.text
    if field is not None:
        assert data["field"] == field
    return data
