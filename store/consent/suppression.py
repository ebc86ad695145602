"""The suppression list: numbers that opted out, remembered even after their contact is gone.

A number on it is never texted and never quietly opted back in: re-adding or importing it keeps
it opted out, until the person texts an opt-in keyword (store.consent.replies). These functions add to
it inside a transaction (store.core.transaction), which writes the file once at its end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.model import SUPPRESSION

if TYPE_CHECKING:
    from store.core.transaction import Transaction


def suppress_many(tx: "Transaction", phones: list[str], reason: str) -> None:
    """Remember opted-out numbers (delete all, undo of an import, an opt-out list): one id
    block and one table copy for all of them; numbers already on the list are left as they are."""
    known = tx.store.suppressed_phones()
    fresh = list(dict.fromkeys(phone for phone in phones if phone not in known))
    if not fresh:
        return
    table = tx.table(SUPPRESSION)
    for sid, phone in zip(tx.new_ids(SUPPRESSION, len(fresh)), fresh):
        table[str(sid)] = {"phone": phone, "since": tx.now, "reason": reason}
    tx.dirty = True
    known.update(fresh)


def suppress(tx: "Transaction", phone: str, reason: str) -> None:
    """Remember an opted-out number so that re-adding it never opts it back in."""
    suppress_many(tx, [phone], reason)
