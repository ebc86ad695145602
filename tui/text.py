"""Small wording helpers for what the app shows."""

from __future__ import annotations

from typing import Any, Mapping

from store import StoreError
from store.model import CONSENT_LABELS

FIELD_LABELS = {"opted_out": "Opted out", "consent": "Consent"}


def field_value(field: object, value: object) -> str:
    if field == "opted_out":
        return "yes" if value else "no"
    if field == "consent":
        return CONSENT_LABELS.get(str(value), str(value))
    return str(value)


def history_change(entry: Mapping[str, Any], arrow: str = "->") -> str:
    """What a history entry changed, as the contact's fields read: ``Opted out: no -> yes``."""
    field = entry.get("field")
    label = FIELD_LABELS.get(str(field), str(field))
    return f"{label}: {field_value(field, entry.get('from'))} {arrow} {field_value(field, entry.get('to'))}"


def history_reason(entry: Mapping[str, Any]) -> str:
    """Why: ``reply 'STOP', recorded by ann``, or the stored detail (``opted out by hand by ann``)."""
    source, detail, by = entry.get("source"), str(entry.get("detail") or ""), entry.get("by")
    why = f"reply {detail!r}" if source == "reply" else detail or str(source or "")
    if by and source in ("reply", "import"):  # other details already name who did it
        why += f", recorded by {by}"
    if entry.get("via"):
        why += f", via {entry['via']}"
    return why


def failure_text(exc: BaseException | None) -> str:
    """What a failed change says: the store's own refusal, or the unexpected error by name."""
    if isinstance(exc, StoreError):
        return str(exc)
    return f"Unexpected error: {type(exc).__name__}: {exc}"
