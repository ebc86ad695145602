"""The app at the smallest terminal it supports and a large one: a contact added from the keyboard."""

from __future__ import annotations

import pytest

from .conftest import Cli
from .test_tui_e2e import row


@pytest.mark.parametrize(("width", "height"), [(60, 20), (200, 50)])
def test_add_a_contact_at_other_sizes(start_app, cli: Cli, width: int, height: int):
    t = start_app(width=width, height=height)
    screen = t.wait_all("No contacts yet", "0 contacts")
    assert len(screen.splitlines()) == height
    assert t.display("#{window_width}x#{window_height}") == f"{width}x{height}"

    t.send("n")
    t.wait_cursor_on("Full Name *")
    t.type("Ann Lee")
    t.wait_for(lambda s: row(s, "Full Name *").rstrip().endswith("Ann Lee"), what="the name typed")
    t.send("Tab")
    t.wait_cursor_on("Phone *")
    t.type("415 555 0132")
    t.wait_for(lambda s: "555 0132" in row(s, "Phone *"), what="the phone typed")  # scrolled at 60 wide
    t.send("C-s")

    t.wait_for(
        lambda s: "1 contact" in s and any("Ann Lee" in line and "(415) 555-0132" in line for line in s.splitlines()),
        what="Ann Lee saved and listed",
    )
    [ann] = cli.contacts()
    assert (ann["name"], ann["phone"]) == ("Ann Lee", "+14155550132")
