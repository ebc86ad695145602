"""Shared fixtures: every test gets its own data file under tmp_path, never the user's own."""

from __future__ import annotations

import os
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
