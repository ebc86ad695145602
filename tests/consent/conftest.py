"""Fixtures for the consent tests: a store with one contact, Ann, and helpers to read the file."""

from __future__ import annotations

import json

import pytest

from store import Store

ANN_PHONE = "+14155550132"
BOB_PHONE = "+12125550100"


@pytest.fixture
def store(ticking_store: Store) -> Store:
    """Consent tests check that replies which change nothing leave the file alone: with a clock
    that ticks on every change, such a rewrite could not go unseen (same bytes in the same second)."""
    return ticking_store


@pytest.fixture
def ann(store: Store):
    return store.add_contact("Ann Lee", "(415) 555-0132", "ann@example.com")


@pytest.fixture
def on_disk(db_path):
    """The contact docs and suppressed phones as written to the file (not the store's memory)."""

    def read(contact_id: int | None = None):
        data = json.loads(db_path.read_bytes())
        if contact_id is None:
            return {row["phone"] for row in data["suppression"].values()}
        return data["contacts"][str(contact_id)]

    return read
