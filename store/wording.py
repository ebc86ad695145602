"""Counts in words, for every message the store and the app word: ``1 contact``, ``2 contacts``."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``1 contact``, ``2 contacts``, ``1,000 contacts``."""
    return f"{count:,} {noun_for(count, noun)}"


def noun_for(count: int, noun: str) -> str:
    """The noun alone, as the count wants it: for a count printed apart (in a column)."""
    return noun if count == 1 else f"{noun}s"
