"""Text columns of the command line line up on screen whatever the names hold (CJK, emoji, accents).

A terminal shows 李 and 👩‍💻 two cells wide, so padding by len() pushes later columns right.
Positions here are display columns (rich.cells.cell_len, the measure Textual uses too).
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from store import Store
from store.consent.replies import record_reply
from tui.cli import main

NAMES = ["李小龍", "Zoë 👩‍💻", "Ann Lee", "e\u0301lodie", "🇫🇷 Café"]
PHONES = ["4155550101", "4155550102", "4155550103", "4155550104", "4155550105"]


@pytest.fixture
def run(db_path, capsys):
    def call(*args: str) -> list[str]:
        assert main(["--db", str(db_path), *args]) == 0
        out, err = capsys.readouterr()
        assert err == ""
        return out.splitlines()

    return call


@pytest.fixture
def people(store: Store) -> Store:
    for name, phone in zip(NAMES, PHONES):
        store.add_contact(name, phone, f"{phone}@example.com")
    return store


def column_of(line: str, part: str) -> int:
    """The display column at which ``part`` starts in ``line``."""
    assert part in line, (part, line)
    return cell_len(line[: line.index(part)])


def test_list_columns_start_at_the_same_display_column(people, run):
    lines = run("list")
    assert len(lines) == len(NAMES)
    phones = {column_of(line, "(415) 555-01") for line in lines}
    emails = {column_of(line, "@example.com") - len("4155550101") for line in lines}
    flags = {column_of(line, "consent: ") for line in lines}
    assert len(phones) == len(emails) == len(flags) == 1, lines
    assert phones == {31}  # 30 cells of name and a space


def test_lists_counts_line_up(store, run):
    for name in ["李小龍's fans", "Zoë 👩‍💻 team", "VIP"]:
        store.add_list(name)
    lines = run("lists")
    assert len({column_of(line, "0 contacts") for line in lines}) == 1, lines


def test_review_columns_line_up(people, run):
    for phone in PHONES:
        record_reply(people, phone, "please stop texting")
    lines = [line for line in run("review") if "please stop" in line]
    assert len(lines) == len(NAMES)
    assert len({column_of(line, "+1415555") for line in lines}) == 1, lines
