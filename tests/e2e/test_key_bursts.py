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


def test_editing_keys_in_one_burst_give_what_slow_typing_gives(start_app, cli: Cli):
    """The bursts reported from tmux: Backspace, Home and ctrl+a ctrl+k after a Tab, all in one read."""
    t = start_app()
    t.wait_all("No contacts yet", "0 contacts")
    t.send(
        "n", *keys("abcdef"), "BSpace", "BSpace", *keys("XY"), "Tab", *keys("4155550123"), "C-s",
        "n", *keys("bcd"), "Home", "a", "Tab", *keys("4155550124"), "C-s",
        "n", *keys("Zed"), "Tab", *keys("4155550125"), "Tab", *keys("e@x.com"), "Home", "C-k", *keys("q@x.com"),
        "BTab", "C-a", "C-k", *keys("4155550126"), "C-s",
    )
    t.wait_for(lambda s: "3 contacts" in left(s), what="three contacts saved")
    saved = {(c["name"], c["phone"], c["email"]) for c in cli.contacts()}
    assert saved == {
        ("abcdXY", "+14155550123", None),
        ("abcd", "+14155550124", None),
        ("Zed", "+14155550126", "q@x.com"),
    }


def test_a_key_after_enter_in_the_search_box_acts_on_the_list(start_app, cli: Cli):
    """Enter moves the focus from the search box to the list; the d in the same read deletes."""
    cli.add("Bob Stone", "212 555 0188")
    cli.add("Ann Lee", "415 555 0132")
    t = start_app()
    t.wait_all("Ann Lee", "Bob Stone", "2 contacts")
    t.send("/", *keys("bob"), "Enter", "d")
    screen = t.wait_for(lambda s: "Delete Bob Stone" in s, what="the delete confirmation for Bob")
    assert "bobd" not in screen
    t.send("y")
    t.wait_for(lambda s: "Bob Stone" not in s, what="Bob deleted")
    assert [c["name"] for c in cli.contacts()] == ["Ann Lee"]


def test_escape_and_a_letter_in_one_read_are_two_keys(start_app, cli: Cli):
    """A terminal sends Escape then a as ESC a, which also means Alt+a: the app has no Alt+a, so
    it is the two keys: leave the field, then open the Actions menu."""
    cli.add("Ann Lee", "415 555 0132")
    t = start_app()
    t.wait_all("Ann Lee", "1 contact")
    t.send("Enter")
    t.wait_cursor_on("Full Name *")
    t.send("Escape", "a")
    screen = t.wait_for(lambda s: "Actions: Ann Lee" in s, what="the Actions menu")
    assert "Ann Leea" not in screen
    t.send("Escape", "Escape")
    t.wait_gone("Actions: Ann Lee")
    assert [c["name"] for c in cli.contacts()] == ["Ann Lee"]


def test_escape_then_keys_with_escape_sequences_in_one_read(start_app, cli: Cli):
    """"Escape d Down Down" in one read: Textual alone typed "^d" into the name field."""
    cli.add("Bob Stone", "212 555 0188")
    t = start_app()
    t.wait_all("Bob Stone", "1 contact")
    t.send("n", *keys("Ann"), "Escape", "d", "Down", "Down")
    screen = t.wait_for(lambda s: "Edit: Bob Stone" in s, what="the new form discarded, Bob in the editor")
    name_row = next(line for line in screen.splitlines() if "Full Name *" in line)
    assert name_row.split("Full Name *")[1].strip() == "Bob Stone"
    assert "Ann" not in left(screen)
    t.send("Enter", "End", "BSpace", "BSpace", "Escape", "s", "Escape", "Escape")
    t.wait_for(lambda s: "Bob Stone" not in s and "Saved Bob Sto" in s, what="the edit saved from the dialog")
    assert [c["name"] for c in cli.contacts()] == ["Bob Sto"]
