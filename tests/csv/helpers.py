"""Helpers shared by the CSV tests: fixture files, a one-call import, stored values."""

from __future__ import annotations

from pathlib import Path

from store import Store
from store.transfer.csv_format import CsvSource
from store.transfer.importer import ImportPlan, import_csv

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> CsvSource:
    return CsvSource.from_path(FIXTURES / name)


def run_import(store: Store, text_or_source: str | CsvSource, **options) -> ImportPlan:
    source = CsvSource.from_text(text_or_source) if isinstance(text_or_source, str) else text_or_source
    return import_csv(store, source, **options)


def stored(store: Store) -> list[tuple[str, str, str | None]]:
    """(name, phone, email) of every contact, sorted by phone."""
    return sorted(((c.name, c.phone, c.email) for c in store.contacts()), key=lambda t: t[1])
