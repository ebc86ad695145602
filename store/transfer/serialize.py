"""The stable JSON shape of contacts and lists (the command line's integration interface)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.model import Contact

if TYPE_CHECKING:
    from store.core.store import Store


def contact_to_json(store: "Store", contact: Contact, *, detail: bool = False, names: dict[int, str] | None = None) -> dict[str, Any]:
    """Keys: id, name, phone (E.164), email (or None), opted_out, consent, lists (names),
    created_at, updated_at; with ``detail`` also consent_changed_at, history and review."""
    if names is None:
        names = {lst.id: lst.name for lst in store.lists()}
    out: dict[str, Any] = {
        "id": contact.id,
        "name": contact.name,
        "phone": contact.phone,
        "email": contact.email,
        "opted_out": contact.opted_out,
        "consent": contact.consent,
        "lists": [names[lid] for lid in contact.lists if lid in names],
        "created_at": contact.created_at,
        "updated_at": contact.updated_at,
    }
    if detail:
        out["consent_changed_at"] = contact.consent_changed_at
        out["history"] = [dict(entry) for entry in contact.history]
        out["review"] = [dict(entry) for entry in contact.review]
    return out
