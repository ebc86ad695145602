"""A contact's consent history: the entry every change of ``opted_out`` or ``consent`` appends, and
opting out with the reason recorded (shared by the Store, replies, imports and opt-out lists)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.core.transaction import Transaction

OPT_IN_KEYWORDS_TEXT = "START, UNSTOP, OPTIN or SUBSCRIBE"


def history_entry(tx: Transaction, field: str, old: Any, new: Any, source: str, detail: str) -> dict[str, Any]:
    return {"at": tx.now, "field": field, "from": old, "to": new, "source": source, "by": tx.user, "detail": detail}


def set_opt_out(doc: dict[str, Any], tx: Transaction, source: str, detail: str) -> None:
    """Opt ``doc`` (a fresh copy) out and record why. Consent is left as it was."""
    if doc.get("opted_out"):
        return
    doc["opted_out"] = True
    doc["history"] = list(doc.get("history", ())) + [history_entry(tx, "opted_out", False, True, source, detail)]
