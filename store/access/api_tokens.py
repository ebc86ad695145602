"""API tokens: what lets a program use ``contacts api`` as the admin who made the token.

A token is ``sc_`` plus 32 random bytes (``secrets.token_urlsafe``), shown once when made. The
data file keeps only its SHA-256 (a 256-bit random token needs no slow hash: nothing to guess),
with its name, who made it and when, in the table ``api_tokens``. Checking a presented token
hashes it and compares with every live hash in constant time (``hmac.compare_digest``).

A token acts as the user who created it, with that user's permissions as they stand at each
request (a demoted admin's token loses what the admin lost). Only an admin creates or revokes one.
A revoked token stays in the table, marked, as the record of who revoked it and when.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from store.access import permissions
from store.errors import NotFound, PermissionDenied, ValidationError

if TYPE_CHECKING:
    from store.core.store import Store

API_TOKENS = "api_tokens"
PREFIX = "sc_"
MAX_NAME_LENGTH = 64


@dataclass(frozen=True)
class ApiToken:
    id: int
    name: str
    created_by: str
    created_at: str
    revoked_at: str | None = None
    revoked_by: str | None = None

    @classmethod
    def from_doc(cls, token_id: int, doc: dict[str, Any]) -> "ApiToken":
        return cls(
            token_id, doc["name"], doc["created_by"], doc["created_at"], doc.get("revoked_at"), doc.get("revoked_by")
        )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def clean_token_name(value: object) -> str:
    """A token's name: the same rule as a login (no spaces or control characters, at most 64)."""
    try:
        return permissions.clean_login(value)
    except ValidationError as exc:
        message = exc.errors["user"].replace("User name", "Token name")
        raise ValidationError.single("name", message) from None


def _require_admin(store: "Store", tx: Any, doing: str) -> None:
    if permissions.role_of(tx.data, store.user) != "admin":
        raise PermissionDenied(f"Only an admin can {doing} API tokens ({store.user} is not one)")


def create_token(store: "Store", name: str) -> str:
    """Make a token named ``name`` for this store's user (an admin); return it (it is not kept)."""
    name = clean_token_name(name)
    token = PREFIX + secrets.token_urlsafe(32)
    with store.transaction() as tx:
        _require_admin(store, tx, "create")
        table = tx.table(API_TOKENS)
        if any(doc.get("name") == name and not doc.get("revoked_at") for doc in table.values()):
            raise ValidationError.single("name", f"A token named {name!r} exists; revoke it first or pick another name")
        token_id = tx.new_id(API_TOKENS)
        tx.put(API_TOKENS, token_id, {"name": name, "hash": hash_token(token), "created_by": store.user, "created_at": tx.now})
    return token


def list_tokens(store: "Store") -> list[ApiToken]:
    """Every token, live and revoked, oldest first (never the tokens themselves: they are not kept)."""
    table = store.records(API_TOKENS)
    return [ApiToken.from_doc(int(tid), doc) for tid, doc in sorted(table.items(), key=lambda item: int(item[0]))]


def revoke_token(store: "Store", name: str) -> ApiToken:
    """Revoke the live token named ``name`` (admins only): requests with it get 401 from now on."""
    name = clean_token_name(name)
    with store.transaction() as tx:
        _require_admin(store, tx, "revoke")
        table = tx.table(API_TOKENS)
        found = next((tid for tid, doc in table.items() if doc.get("name") == name and not doc.get("revoked_at")), None)
        if found is None:
            raise NotFound(f"No live API token named {name!r} (contacts api-token list shows them)")
        doc = dict(table[found], revoked_at=tx.now, revoked_by=store.user)
        tx.put(API_TOKENS, int(found), doc)
    return ApiToken.from_doc(int(found), doc)


def verify_token(store: "Store", presented: str) -> ApiToken | None:
    """The live token ``presented`` is, or None. Every live hash is compared, in constant time."""
    if not presented:
        return None
    digest = hash_token(presented)
    match = None
    for tid, doc in (store.records(API_TOKENS)).items():
        if hmac.compare_digest(digest, str(doc.get("hash", ""))) and not doc.get("revoked_at"):
            match = ApiToken.from_doc(int(tid), doc)
    return match
