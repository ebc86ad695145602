"""A whole form in ONE send-keys call (one write, as over a slow SSH link) is saved correctly."""

from __future__ import annotations

from .conftest import Cli
from .test_tui_e2e import left, list_row


def keys(text: str) -> list[str]:
    """One tmux key argument per character (a lone character is never taken as a key name)."""
    return ["Space" if char == " " else char for char in text]


def test_a_whole_form_sent_in_one_burst_is_saved_correctly(start_app, cli: Cli):
    t = start_app()
    t.wait_all("No contacts yet", "0 contacts")
    t.send("n", *keys("Ann Lee"), "Tab", *keys("415 555 0132"), "Tab", *keys("ann@example.com"), "C-s")
    t.wait_for(
        lambda s: "1 contact" in left(s) and "(415) 555-0132" in list_row(s, "Ann Lee"),
        what="Ann Lee saved and listed",
    )
    [ann] = cli.contacts()
    assert (ann["name"], ann["phone"], ann["email"]) == ("Ann Lee", "+14155550132", "ann@example.com")
