"""After a search that finds one contact far down the list, Escape clears the search and keeps that
contact highlighted (the editor shows it), so the list must scroll to show it. Today the list
shows its first rows and the highlighted contact is off screen (at 10,000 and 500,000 contacts
alike); pressing j then jumps from the invisible row."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_key_bursts import keys
from tests.e2e.test_tui_e2e import left, list_row
from tests.tui.main_support import write_db


def test_escape_after_a_one_match_search_shows_the_highlighted_contact(start_app, db: Path):
    people = [(f"Ann Filler {n:03d}", f"+1415555{n:04d}", None) for n in range(200)]
    people.append(("Zed Zulu", "+12125550199", None))
    write_db(db, people)
    t = start_app()
    t.wait_all("Ann Filler 000", "201 contacts")
    t.send("/", *keys("zulu"))
    t.wait_for(lambda s: list_row(s, "Zed Zulu") and "Ann Filler" not in left(s), what="only Zed Zulu listed")
    t.send("Escape")
    screen = t.wait_for(lambda s: "201 contacts" in left(s) and "Edit: Zed Zulu" in s, what="the search cleared")
    screen = t.wait_for(lambda s: list_row(s, "Zed Zulu") != "", timeout=3, what="Zed Zulu's highlighted row on screen")
    assert list_row(screen, "Zed Zulu")
