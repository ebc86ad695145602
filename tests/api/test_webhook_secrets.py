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


def test_what_refused_providers_and_secrets_say(store: Store, db_path):
    cases = [
        (("telnyx", "x"), {"provider": "Unknown webhook 'telnyx'; use twilio or generic"}),
        (("twilio", " "), {"secret": "The secret is empty: give it on standard input"}),
        (("twilio", "x" * 257), {"secret": "The secret is longer than 256 characters"}),
        (("twilio", "a b"), {"secret": "The secret may not contain spaces or control characters (was the right text pasted?)"}),
    ]
    for (provider, secret), errors in cases:
        with pytest.raises(ValidationError) as refused:
            set_secret(store, provider, secret)
        assert refused.value.errors == errors
    set_secret(store, "twilio", "x" * 256)  # the longest allowed
    assert read_secret(db_path, "twilio") == "x" * 256
    with pytest.raises(PermissionDenied, match=r"^Only an admin can set webhook secrets \(bob is not one\)$"):
        set_secret(Store.open(db_path, user="bob"), "generic", "g1")


def test_the_secrets_file_is_readable_json(store: Store, db_path):
    set_secret(store, "twilio", "t1")
    assert secrets_path(db_path).read_text() == '{\n  "twilio": "t1"\n}'


def _private(path, text: str) -> None:
    path.write_text(text)
    os.chmod(path, 0o600)


def test_a_secrets_file_read_through_a_symlink_is_refused(store: Store, db_path, tmp_path):
    mine = tmp_path / "my-own-private.json"
    _private(mine, '{"twilio": "not through a link"}')
    secrets_path(db_path).symlink_to(mine)
    with pytest.raises(StoreError, match=r"cannot open the webhook secrets file \(.*\); a symlink is refused$"):
        read_secret(db_path, "twilio")


def test_a_secrets_file_that_is_not_a_file_or_not_secrets_is_named(store: Store, db_path):
    path = secrets_path(db_path)
    os.mkfifo(path, 0o600)
    with pytest.raises(StoreError, match=r"is not a regular file; the webhook secrets file must be one$"):
        read_secret(db_path, "twilio")
    path.unlink()
    _private(path, "not json")
    with pytest.raises(StoreError, match=r"is not a webhook secrets file \(not JSON\); set the secrets again$"):
        read_secret(db_path, "twilio")
    _private(path, '["twilio"]')
    with pytest.raises(StoreError, match=r"is not a webhook secrets file \(not an object\); set the secrets again$"):
        read_secret(db_path, "twilio")
    os.chmod(path, 0o640)
    with pytest.raises(StoreError, match=r"now 0640\); others could read or change the secrets\. Fix it: chmod 600, or set the secrets again\.$"):
        read_secret(db_path, "twilio")


def test_hand_edited_secrets_files_read_as_what_they_hold(store: Store, db_path):
    path = secrets_path(db_path)
    _private(path, "")
    assert read_secret(db_path, "twilio") is None  # empty: nothing set
    _private(path, '{"twilio": 5, "generic": ""}')
    assert read_secret(db_path, "twilio") is None and read_secret(db_path, "generic") is None
    _private(path, '{"twilio": "t1",' + " " * 200_000 + '"generic": "g1"}')  # bigger than one read
    assert (read_secret(db_path, "twilio"), read_secret(db_path, "generic")) == ("t1", "g1")


def test_a_link_planted_at_the_temporary_name_is_not_written_through(store: Store, db_path, tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    planted = secrets_path(db_path).with_name(f".{secrets_path(db_path).name}.{os.getpid()}.tmp")
    planted.symlink_to(victim)
    with pytest.raises(StoreError, match=r"\.tmp is in the way \(File exists\); nothing was changed$"):
        set_secret(store, "twilio", "t1")
    assert victim.read_text() == "keep me"
    assert not secrets_path(db_path).exists()


def test_a_failed_write_of_the_secrets_leaves_no_temporary_file(store: Store, db_path, monkeypatch):
    def no_room(fd):
        raise OSError(28, "No space left on device")

    set_secret(store, "twilio", "t1")
    monkeypatch.setattr(os, "fsync", no_room)
    with pytest.raises(StoreError, match=r"^Could not save .*\.secrets: No space left on device; nothing was changed$"):
        set_secret(store, "generic", "g1")
    monkeypatch.undo()
    assert sorted(p.name for p in db_path.parent.iterdir() if "secrets" in p.name) == [secrets_path(db_path).name]
    assert read_secret(db_path, "twilio") == "t1" and read_secret(db_path, "generic") is None


def test_the_temporary_secrets_file_is_never_open_to_others_not_even_before_its_chmod(store: Store, db_path, monkeypatch):
    # Permissions are checked when a file is opened: had the temporary file been created with the
    # umask's usual 0644/0755 and only then chmod-ed to 0600, another user who opened it in that
    # moment would keep reading the secrets written to it afterwards.
    temp = secrets_path(db_path).with_name(f".{secrets_path(db_path).name}.{os.getpid()}.tmp")
    modes: list[int] = []
    real_fchmod = os.fchmod

    def watching_fchmod(fd, mode):
        if temp.exists() and os.path.samestat(os.fstat(fd), os.stat(temp)):
            modes.append(stat.S_IMODE(os.fstat(fd).st_mode))
        real_fchmod(fd, mode)

    monkeypatch.setattr(os, "fchmod", watching_fchmod)
    old_umask = os.umask(0o022)
    try:
        set_secret(store, "twilio", "t1")
    finally:
        os.umask(old_umask)
    assert modes and all(mode & 0o066 == 0 for mode in modes), [oct(m) for m in modes]
    assert read_secret(db_path, "twilio") == "t1"
