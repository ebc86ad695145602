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


def test_a_token_record_says_who_made_and_revoked_it_and_when(db_path):
    from tests.conftest import TickingClock

    store = Store.open(db_path, user="alice", clock=TickingClock())
    token = create_token(store, "zapier")
    assert token.startswith("sc_") and len(token) == 3 + 43  # 32 random bytes, base64url
    live = verify_token(store, token)
    (listed,) = list_tokens(store)
    assert live == listed
    assert (listed.id, listed.name, listed.created_by, listed.revoked_at, listed.revoked_by) == (1, "zapier", "alice", None, None)
    assert listed.created_at.startswith("2030-01-01T00:00")
    revoked = revoke_token(store, "zapier")
    assert (revoked.id, revoked.name, revoked.revoked_by) == (1, "zapier", "alice")
    assert revoked.revoked_at > revoked.created_at == listed.created_at
    assert list_tokens(Store.open(db_path, user="bob")) == [revoked]


def test_what_refusals_of_tokens_say(store: Store, db_path):
    create_token(store, "one")
    bob = Store.open(db_path, user="bob")
    with pytest.raises(PermissionDenied, match=r"^Only an admin can create API tokens \(bob is not one\)$"):
        create_token(bob, "mine")
    with pytest.raises(PermissionDenied, match=r"^Only an admin can revoke API tokens \(bob is not one\)$"):
        revoke_token(bob, "one")
    with pytest.raises(ValidationError) as taken:
        create_token(store, "one")
    assert taken.value.errors == {"name": "A token named 'one' exists; revoke it first or pick another name"}
    with pytest.raises(ValidationError) as bad:
        create_token(store, "a b")
    assert list(bad.value.errors) == ["name"] and bad.value.errors["name"].startswith("Token name ")


def test_revoking_takes_the_live_token_of_that_name_only(store: Store):
    first = create_token(store, "zap")
    other = create_token(store, "other")
    revoke_token(store, "zap")
    second = create_token(store, "zap")
    revoke_token(store, "zap")  # the live one, not the one revoked before
    assert verify_token(store, second) is None and verify_token(store, first) is None
    assert verify_token(store, other).name == "other"
    assert [t.name for t in list_tokens(store) if not t.revoked_at] == ["other"]


def test_tokens_are_listed_oldest_first_by_number(store: Store, db_path):
    import json

    for i in range(11):
        create_token(store, f"t{i}")
    data = json.loads(db_path.read_text())
    data[API_TOKENS] = dict(reversed(list(data[API_TOKENS].items())))  # a hand-reordered file
    db_path.write_text(json.dumps(data))
    listed = list_tokens(Store.open(db_path, user="alice"))
    assert [t.id for t in listed] == list(range(1, 12))
    assert [t.name for t in listed] == [f"t{i}" for i in range(11)]


def test_a_presented_token_that_is_not_even_valid_text_is_simply_wrong(store: Store):
    create_token(store, "zap")
    assert verify_token(store, "sc_\udc80\ud800") is None  # lone surrogates, as a mangled header may carry
