"""API tokens (store.access.api_tokens): made by admins, shown once, only a hash kept, act as their maker."""

from __future__ import annotations

import stat

import pytest

from store import PermissionDenied, Store, ValidationError
from store.access.api_tokens import API_TOKENS, create_token, list_tokens, revoke_token, verify_token


def test_an_admin_creates_a_token_that_verifies_as_the_admin(store: Store, db_path):
    token = create_token(store, "zapier")
    assert len(token) > 40
    assert token not in db_path.read_text()  # only the hash is in the file
    found = verify_token(Store.open(db_path, user="someone-else"), token)
    assert found is not None and found.name == "zapier" and found.created_by == "alice"


def test_a_wrong_or_revoked_token_does_not_verify(store: Store):
    token = create_token(store, "zapier")
    assert verify_token(store, token + "x") is None
    assert verify_token(store, "") is None
    revoke_token(store, "zapier")
    assert verify_token(store, token) is None
    assert [t.name for t in list_tokens(store) if t.revoked_at] == ["zapier"]


def test_only_an_admin_creates_or_revokes_tokens(store: Store, db_path, unchanged):
    create_token(store, "one")
    bob = Store.open(db_path, user="bob")  # unknown user: an agent
    with unchanged():
        with pytest.raises(PermissionDenied):
            create_token(bob, "mine")
        with pytest.raises(PermissionDenied):
            revoke_token(bob, "one")


def test_token_names_are_checked_and_unique_among_live_tokens(store: Store, unchanged):
    create_token(store, "zapier")
    with unchanged():
        with pytest.raises(ValidationError) as err:
            create_token(store, "zapier")
        assert "zapier" in str(err.value)
        for bad in ("", "  ", "a\x1bb", "x" * 65):
            with pytest.raises(ValidationError):
                create_token(store, bad)
    revoke_token(store, "zapier")
    create_token(store, "zapier")  # the name is free again once revoked


def test_revoking_an_unknown_token_says_so(store: Store, unchanged):
    with unchanged():
        with pytest.raises(Exception) as err:
            revoke_token(store, "nope")
    assert "nope" in str(err.value)


def test_the_token_table_survives_a_reopen_and_the_schema_check(store: Store, db_path):
    create_token(store, "a")
    reopened = Store.open(db_path, user="alice")
    assert [t.name for t in list_tokens(reopened)] == ["a"]
    assert API_TOKENS in db_path.read_text()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_a_hand_edited_token_record_is_refused_with_its_field(store: Store, db_path):
    import json

    from store import CorruptDataFile

    create_token(store, "a")
    data = json.loads(db_path.read_text())
    data[API_TOKENS]["1"]["hash"] = 12
    db_path.write_text(json.dumps(data))
    with pytest.raises(CorruptDataFile) as err:
        Store.open(db_path, user="alice")
    assert API_TOKENS in str(err.value) and "hash" in str(err.value)
