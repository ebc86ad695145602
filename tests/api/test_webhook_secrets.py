"""Webhook secrets: a file of their own beside the data file, mode 0600, never the data file."""

from __future__ import annotations

import os
import stat

import pytest

from store import PermissionDenied, Store, StoreError, ValidationError
from store.access.webhook_secrets import read_secret, secrets_path, set_secret


def test_a_secret_goes_to_its_own_private_file_not_the_data_file(store: Store, db_path):
    set_secret(store, "twilio", "abc123token")
    path = secrets_path(db_path)
    assert path != db_path and path.parent == db_path.parent
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "abc123token" not in db_path.read_text()
    assert read_secret(db_path, "twilio") == "abc123token"
    assert read_secret(db_path, "generic") is None


def test_setting_one_secret_keeps_the_other(store: Store, db_path):
    set_secret(store, "twilio", "t1")
    set_secret(store, "generic", "g1")
    set_secret(store, "twilio", "t2")
    assert (read_secret(db_path, "twilio"), read_secret(db_path, "generic")) == ("t2", "g1")


def test_only_an_admin_sets_a_secret(store: Store, db_path):
    bob = Store.open(db_path, user="bob")
    with pytest.raises(PermissionDenied):
        set_secret(bob, "twilio", "x")
    assert not secrets_path(db_path).exists()


def test_bad_provider_or_secret_is_refused(store: Store, db_path):
    with pytest.raises(ValidationError):
        set_secret(store, "telnyx", "x")
    for bad in ("", "   ", "a b", "tok\x1b"):
        with pytest.raises(ValidationError):
            set_secret(store, "twilio", bad)
    assert not secrets_path(db_path).exists()


def test_a_secrets_file_others_can_read_is_refused(store: Store, db_path):
    set_secret(store, "twilio", "t1")
    os.chmod(secrets_path(db_path), 0o644)
    with pytest.raises(StoreError) as err:
        read_secret(db_path, "twilio")
    assert "0600" in str(err.value)


def test_a_symlink_in_place_of_the_secrets_file_is_refused(store: Store, db_path, tmp_path):
    target = tmp_path / "elsewhere"
    target.write_text("{}")
    secrets_path(db_path).symlink_to(target)
    with pytest.raises(StoreError):
        set_secret(store, "twilio", "t1")
    assert target.read_text() == "{}"


def test_a_secret_set_through_a_symlinked_db_is_beside_the_real_file_and_found_by_either_name(tmp_path):
    """Issue 12, item 5: --db is resolved once, and what belongs to the data file lives beside the
    real file, so the data file's two names (the link, the real path) share it (as they share the
    lock). Set through the link, the secret was kept beside the link, where a server started with
    the real path never found it."""
    real = tmp_path / "team" / "contacts.json"
    Store.open(real, user="alice")
    (tmp_path / "mine").mkdir()
    link = tmp_path / "mine" / "team.json"
    link.symlink_to(real)
    written = set_secret(Store.open(link, user="alice"), "twilio", "t1")
    assert written == secrets_path(real)
    assert not secrets_path(link).exists()
    assert read_secret(real, "twilio") == "t1"
    assert read_secret(link, "twilio") == "t1"
