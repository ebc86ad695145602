"""Shared fixtures: every test gets its own data file under tmp_path, never the user's own."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from store import Store


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's data folder and $CONTACTS_DB out of every test."""
    monkeypatch.delenv("CONTACTS_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "contacts.json"


@pytest.fixture
def store(db_path: Path) -> Store:
    """A store on a fresh file, opened by 'alice', who thereby is its admin."""
    return Store.open(db_path, user="alice")


class TickingClock:
    """A clock for ``Store.open(..., clock=...)`` that moves one second on every change.

    With the real clock, a rewrite within the same second can write the very same bytes, so a
    "leaves the file alone" check could not fail; with this one every write stamps a new time.
    """

    def __init__(self, start: datetime = datetime(2030, 1, 1, tzinfo=timezone.utc)):
        self.at = start

    def __call__(self) -> str:
        self.at += timedelta(seconds=1)
        return self.at.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def ticking_store(db_path: Path) -> Store:
    """Like ``store``, but every change is stamped one second after the last (see TickingClock)."""
    return Store.open(db_path, user="alice", clock=TickingClock())


def file_bytes(path: Path) -> bytes:
    return path.read_bytes()


@pytest.fixture
def unchanged(db_path: Path):
    """Assert that a block leaves the data file byte-for-byte unchanged: ``with unchanged(): ...``."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = db_path.read_bytes()
        stat_before = os.stat(db_path)
        yield
        assert db_path.read_bytes() == before
        assert os.stat(db_path).st_mtime_ns == stat_before.st_mtime_ns

    return check
