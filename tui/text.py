"""Small wording helpers for what the app shows."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``1 contact``, ``2 contacts``, ``1,000 contacts``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
