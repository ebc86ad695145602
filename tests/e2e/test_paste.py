"""Pasting into the app: the terminal sends the text as one bracketed paste (``PtyDriver.paste``)."""

from __future__ import annotations

import pytest

from .conftest import Cli
from .test_tui_e2e import left, right


def test_a_pasted_search_filters_the_list(start_app, cli: Cli):
    cli.add("Ann Lee", "415 555 0132")
    cli.add("Bob Stone", "212 555 0188")
    t = start_app()
    t.wait_all("Ann Lee", "Bob Stone", "2 contacts")
    search_row = t.line_of("Search name")
    t.send("/")
    t.wait_for(lambda s: t.cursor()[1] == search_row, what="the cursor in the search box")
    t.paste("(212) 555-0188\nsecond line")  # a search box takes the first line only
    screen = t.wait_for(
        lambda s: "Ann Lee" not in left(s) and "Bob Stone" in left(s) and "1 of 2" in left(s),
        what="only Bob Stone listed, 1 of 2",
    )
    assert "second line" not in screen


def test_a_paste_and_ctrl_s_in_one_read_save_the_contact(start_app, cli: Cli):
    t = start_app()
    t.send("n")
    t.wait_cursor_on("Full Name *")
    t.type("Ann Lee")
    t.send("Tab")
    t.wait_cursor_on("Phone *")
    t.write(b"\x1b[200~415 555 0132\x1b[201~" + b"\x13")  # paste the phone, then ctrl+s: one write
    t.wait_for(lambda s: "1 contact" in left(s), timeout=3, what="Ann Lee saved")
    [ann] = cli.contacts()
    assert (ann["name"], ann["phone"]) == ("Ann Lee", "+14155550132")


def test_a_paste_with_escape_codes_is_kept_exactly_shown_safely_and_refused(start_app, cli: Cli):
    """Textual alone cut this paste at the ESC and saved ``^]52;c;aGVsbG8=XEve``."""
    t = start_app()
    t.wait_all("No contacts yet", "0 contacts")
    t.send("n")
    t.wait_cursor_on("Full Name *")
    t.paste("Eve\x1b]52;c;aGVsbG8=\x07X")
    t.wait_for(lambda s: "Eve␛]52;c;aGVsbG8=␇X" in s, what="the paste shown with stand-ins, in order")
    t.wait_for(lambda s: "control character (U+001B)" in " ".join(right(s).split()), what="the refusal")
    t.send("Tab", *"4155550123", "C-s")
    screen = t.wait_for(lambda s: "4155550123" in s, what="the phone typed")
    assert "^]" not in screen
    assert cli.contacts() == []
