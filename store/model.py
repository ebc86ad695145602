"""What is stored, and the read-only views the store hands out.

On disk the file is a TinyDB document: ``{table name: {doc id (str): document}}``. The tables:

- ``contacts``: ``name``, ``phone`` (E.164), ``email`` (or null), ``opted_out``, ``consent``,
  ``consent_changed_at``, ``lists`` (list ids), ``history``, ``review``, ``created_at``,
  ``updated_at``;
- ``lists``: ``name``;
- ``settings``: one document (id 1) with ``default_region``;
- ``users``: ``login``, ``role``; ``policies``: ``subject``, ``action``, ``allow``;
- ``suppression``: ``phone``, ``since``, ``reason`` (opted-out numbers kept after deletion);
- ``imports``: the last imports, so that one can be undone (see ``store.transfer.import_log``);
- ``_meta``: one document (id 1) with ``schema_version`` and ``next_ids`` (per table counters,
  so ids are never reused, even after a delete).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

SCHEMA_VERSION = 1

CONTACTS = "contacts"
LISTS = "lists"
SETTINGS = "settings"
USERS = "users"
POLICIES = "policies"
SUPPRESSION = "suppression"
IMPORTS = "imports"
META = "_meta"
TABLES = (CONTACTS, LISTS, SETTINGS, USERS, POLICIES, SUPPRESSION, IMPORTS, META)

CONSENT_STATUSES = ("not_sent", "sent", "confirmed", "declined")
CONSENT_LABELS = {
    "not_sent": "Not sent",
    "sent": "Sent",
    "confirmed": "Confirmed",
    "declined": "Declined",
}
DEFAULT_REGION = "US"


def now_iso() -> str:
    """UTC timestamp, to the second, as stored in the file."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class ContactList:
    id: int
    name: str
    members: int = 0


@dataclass(frozen=True, slots=True)
class Contact:
    id: int
    name: str
    phone: str
    email: str | None
    opted_out: bool
    consent: str
    consent_changed_at: str | None
    lists: tuple[int, ...]
    created_at: str
    updated_at: str
    history: tuple[dict[str, Any], ...] = field(default=(), compare=False)
    review: tuple[dict[str, Any], ...] = field(default=(), compare=False)

    @classmethod
    def from_doc(cls, contact_id: int, doc: dict[str, Any]) -> "Contact":
        return cls(
            id=contact_id,
            name=doc["name"],
            phone=doc["phone"],
            email=doc.get("email"),
            opted_out=bool(doc.get("opted_out", False)),
            consent=doc.get("consent", "not_sent"),
            consent_changed_at=doc.get("consent_changed_at"),
            lists=tuple(doc.get("lists", ())),
            created_at=doc.get("created_at", ""),
            updated_at=doc.get("updated_at", ""),
            history=tuple(doc.get("history", ())),
            review=tuple(doc.get("review", ())),
        )


def new_contact_doc(name: str, phone: str, email: str | None, lists: list[int], at: str) -> dict[str, Any]:
    return {
        "name": name,
        "phone": phone,
        "email": email,
        "opted_out": False,
        "consent": "not_sent",
        "consent_changed_at": None,
        "lists": lists,
        "history": [],
        "review": [],
        "created_at": at,
        "updated_at": at,
    }


def empty_document(creator: str) -> dict[str, Any]:
    """A brand-new data file: its creator is its admin."""
    return {
        CONTACTS: {},
        LISTS: {},
        SETTINGS: {"1": {"default_region": DEFAULT_REGION}},
        USERS: {"1": {"login": creator, "role": "admin"}},
        POLICIES: {},
        SUPPRESSION: {},
        IMPORTS: {},
        META: {"1": {"schema_version": SCHEMA_VERSION, "next_ids": {USERS: 2}}},
    }
