"""The installed ``contacts`` app in an 80x24 terminal (a pty read by pyte), driven key by key.

Each test starts the app on its own data file (seeded with the command line where it needs
contacts), sends one logical key at a time and waits for its effect on the screen, then checks
the file with ``contacts list --json``: what the screen says and what was saved must agree.
Every screen read fails at once if a Python traceback is showing (see ``Terminal.screen``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import Cli
from .terminal import Terminal

REPO = Path(__file__).resolve().parents[2]
SAMPLE_CSV = REPO / "sample.csv"
PLACEHOLDERS = {"Phone *": "any format, e.g. 415 555 0132", "Email": "optional"}  # shown when empty
LEFT_PANE = 35  # columns of the search box, list and count; the editor is to the right


def left(screen: str) -> str:
    """The left pane (search, list, count) of the main screen."""
    return "\n".join(line[:LEFT_PANE] for line in screen.splitlines())


def right(screen: str) -> str:
    """The editor pane of the main screen."""
    return "\n".join(line[LEFT_PANE + 1 :] for line in screen.splitlines())


def row(screen: str, text: str) -> str:
    """The first line containing ``text`` ("" when none)."""
    return next((line for line in screen.splitlines() if text in line), "")


def prose(screen: str) -> str:
    """The screen's words in one line: frame characters dropped, wrapped lines joined."""
    return " ".join(re.sub(r"[█▌▐▕▏▊▎]", " ", screen).split())


def list_row(screen: str, name: str) -> str:
    """The contact list's row for ``name`` ("" when it is not listed)."""
    return row(left(screen), name)


def field_shows(label: str, value: str):
    """A wait_for predicate: the editor's ``label`` row holds ``value`` and nothing else."""

    def check(screen: str) -> bool:
        line = row(right(screen), label)
        return line.split(label, 1)[-1].strip() == value

    check.__name__ = f"the {label!r} field to show {value!r}"
    return check


def type_into(t: Terminal, label: str, value: str) -> None:
    """Type into the focused field labelled ``label`` and wait until it shows ``value``."""
    t.type(value)
    t.wait_for(field_shows(label, value))


def clear_field(t: Terminal, label: str) -> None:
    """Empty the focused field (cursor to the end, then delete everything to its left)."""
    t.send("End")
    t.send("C-u")
    t.wait_for(field_shows(label, PLACEHOLDERS.get(label, "")))


def to_the_list(t: Terminal) -> None:
    """Enter in the search box: the focus moves to the list, whose keys (d Delete) join the footer."""
    t.send("Enter")
    t.wait_for(lambda s: "d Delete" in s.splitlines()[-1], what="the focus on the list (d Delete in the footer)")


def open_editor(t: Terminal, name: str) -> None:
    """Enter on the list: edit the highlighted contact, with the focus in Full Name."""
    t.wait_for(f"Edit: {name}")
    t.send("Enter")
    t.wait_cursor_on("Full Name *")


# -- add, search, edit -------------------------------------------------------------------------


def test_add_a_contact(start_app, cli: Cli):
    t = start_app()
    t.wait_all("No contacts yet", "0 contacts")

    t.send("n")
    t.wait_cursor_on("Full Name *")
    type_into(t, "Full Name *", "Ann Lee")
    t.send("Tab")
    t.wait_cursor_on("Phone *")
    type_into(t, "Phone *", "415 555 0132")
    t.send("Tab")
    t.wait_cursor_on("Email")
    type_into(t, "Email", "ann@example.com")
    t.send("C-s")

    screen = t.wait_for(
        lambda s: "(415) 555-0132" in list_row(s, "Ann Lee") and "1 contact" in left(s) and "Edit: Ann Lee" in s,
        what="Ann Lee in the list, counted, and in the editor",
    )
    assert "No contacts yet" not in screen
    [ann] = cli.contacts()
    assert (ann["name"], ann["phone"], ann["email"]) == ("Ann Lee", "+14155550132", "ann@example.com")
    assert ann["opted_out"] is False and ann["consent"] == "not_sent"


def test_a_contact_without_phone_is_refused_and_nothing_is_saved(start_app, cli: Cli):
    t = start_app()
    t.send("n")
    t.wait_cursor_on("Full Name *")
    type_into(t, "Full Name *", "Ann Lee")
    t.send("C-s")

    # The message names the field, the focus goes to it, and the file stays empty.
    t.wait_cursor_on("Phone *")
    screen = t.wait_for(lambda s: "phone" in right(s).lower().split("phone *", 1)[-1], what="a message about the phone")
    assert "0 contacts" in left(screen)
    assert cli.contacts() == []


def test_search_filters_the_list_and_escape_clears_it(start_app, cli: Cli):
    cli.add("Ann Lee", "415 555 0132")
    cli.add("Bob Stone", "212 555 0188", "--email", "bob@example.org")
    t = start_app()
    t.wait_all("Ann Lee", "Bob Stone", "2 contacts")
    search_row = t.line_of("Search name")

    t.send("/")
    t.wait_for(lambda s: t.cursor()[1] == search_row, what="the cursor in the search box")
    t.type("stone")
    t.wait_for(
        lambda s: "Ann Lee" not in left(s) and "Bob Stone" in left(s) and "1 of 2" in left(s),
        what="only Bob Stone listed, 1 of 2",
    )

    t.type("zz")
    t.wait_for(lambda s: "Bob Stone" not in left(s) and "No contact matches" in s, what="no match")

    t.send("Escape")
    screen = t.wait_all("Ann Lee", "Bob Stone", "2 contacts")
    assert "stonezz" not in screen
    # Searching changes nothing in the file.
    assert sorted(cli.by_name()) == ["Ann Lee", "Bob Stone"]


def test_search_by_phone_in_another_format_then_edit(start_app, cli: Cli):
    cli.add("Ann Lee", "415 555 0132", "--email", "ann@example.com")
    cli.add("Bob Stone", "212 555 0188")
    t = start_app()
    t.wait_all("Ann Lee", "Bob Stone")

    t.send("/")
    t.type("415-555-0132")
    t.wait_for(lambda s: "Bob Stone" not in left(s) and "Ann Lee" in left(s), what="only Ann Lee listed")
    to_the_list(t)  # on the one match
    open_editor(t, "Ann Lee")

    clear_field(t, "Full Name *")
    type_into(t, "Full Name *", "Ann Lee-Wu")
    t.send("Tab")
    t.wait_cursor_on("Phone *")
    clear_field(t, "Phone *")
    type_into(t, "Phone *", "+1 (415) 555-0199")
    t.send("C-s")
    # The new number no longer matches the search: clear it to see the contact again.
    t.wait_for(lambda s: "0 of 2" in left(s), what="the edited contact to leave the search result")
    t.send("/")
    t.wait_for(lambda s: t.cursor()[1] == t.line_of("415-555-0132", s), what="the cursor in the search box")
    t.send("Escape")

    t.wait_for(lambda s: "(415) 555-0199" in list_row(s, "Ann Lee-Wu"), what="the edited contact in the list")
    people = cli.by_name()
    assert sorted(people) == ["Ann Lee-Wu", "Bob Stone"]
    ann = people["Ann Lee-Wu"]
    assert ann["phone"] == "+14155550199"
    assert ann["email"] == "ann@example.com"  # untouched fields are kept


# -- opt-out ---------------------------------------------------------------------------------


def tab_to_opted_out(t: Terminal) -> None:
    """From Full Name, Tab to the Opted out checkbox (its label's colours change on focus)."""
    t.send("Tab")
    t.wait_cursor_on("Phone *")
    t.send("Tab")
    t.wait_cursor_on("Email")
    before = t.style_at("Opted out")
    t.send("Tab")
    t.wait_style_change("Opted out", before)


def test_opt_out_a_contact_and_it_cannot_be_undone_by_hand(start_app, cli: Cli):
    cli.add("Ann Lee", "415 555 0132")
    t = start_app()
    open_editor(t, "Ann Lee")
    tab_to_opted_out(t)
    t.send("Space")
    t.wait_for("Saving opts them out by hand")
    t.send("C-s")

    t.wait_for(
        lambda s: list_row(s, "Ann Lee").lstrip().startswith("⊘") and "Stays opted out until they" in s,
        what="the opted-out mark ⊘ in the list and the note in the editor",
    )
    assert cli.by_name()["Ann Lee"]["opted_out"] is True

    # Unticking is refused on the spot: only the contact's own reply can opt them back in.
    open_editor(t, "Ann Lee")
    tab_to_opted_out(t)
    t.send("Space")
    t.wait_for("Ann Lee opted out. Only their")
    t.send("C-s")  # nothing to save
    t.send("Escape")
    t.wait_for(lambda s: list_row(s, "Ann Lee").lstrip().startswith("⊘"))
    assert cli.by_name()["Ann Lee"]["opted_out"] is True


# -- import ----------------------------------------------------------------------------------


def test_import_sample_csv_skipping_the_header(start_app, cli: Cli):
    assert SAMPLE_CSV.exists(), SAMPLE_CSV
    # Ann Lee's number is in sample.csv: the import updates her but cannot opt her back in.
    cli.add("Ann Lee", "415 555 0132", "--opt-out")
    t = start_app()
    t.wait_all("Ann Lee", "1 contact")

    t.send("i")
    t.wait_for("Import contacts")
    t.wait_cursor_on("path/to/contacts.csv")
    t.type(str(SAMPLE_CSV))
    t.wait_for(str(SAMPLE_CSV))
    t.send("C-t")  # Skip First Line
    t.send("C-r")  # Preview: says whether the header was used, and writes nothing
    t.wait_for(
        lambda s: all(words in prose(s) for words in ("Preview of 4 rows", "header used", "3 new, 1 updated")),
        what="the preview of 4 rows, header used: 3 new, 1 updated",
    )
    assert len(cli.contacts()) == 1

    t.send("C-s")
    names = ("Ann Lee", "José Álvarez", "Mei Chen", "Smith, Robert")
    t.wait_for(
        lambda s: "4 contacts" in left(s) and all(name in left(s) for name in names) and "Import contacts" not in s,
        what="the dialog closed and the 4 contacts listed",
    )

    people = cli.by_name()
    assert sorted(people) == ["Ann Lee", "José Álvarez", "Mei Chen", "Smith, Robert"]
    assert people["Ann Lee"]["opted_out"] is True
    assert people["Ann Lee"]["email"] == "ann.lee@example.com"
    assert people["José Álvarez"]["phone"] == "+14155550147"
    assert people["Mei Chen"]["email"] is None
    assert people["Smith, Robert"]["phone"] == "+12125550188"
    assert not any(p["opted_out"] for name, p in people.items() if name != "Ann Lee")


def test_import_without_skipping_the_header_is_refused_whole(start_app, cli: Cli):
    t = start_app()
    t.send("i")
    t.wait_cursor_on("path/to/contacts.csv")
    t.type(str(SAMPLE_CSV))
    t.wait_for(str(SAMPLE_CSV))
    t.send("C-s")  # import at once, header row included
    screen = t.wait_for(lambda s: "line 1" in s.lower(), what="a problem reported on line 1")
    assert "Import contacts" in screen  # still open, showing the problem
    assert cli.contacts() == []

    t.send("Escape")
    t.wait_all("No contacts yet", "0 contacts")


# -- delete ----------------------------------------------------------------------------------


def test_delete_one_contact_after_a_cancelled_try(start_app, cli: Cli):
    cli.add("Ann Lee", "415 555 0132")
    cli.add("Bob Stone", "212 555 0188")
    t = start_app()
    t.wait_all("Ann Lee", "Bob Stone", "2 contacts")
    t.send("/")
    t.type("bob")
    t.wait_for(lambda s: "Ann Lee" not in left(s))
    to_the_list(t)
    t.wait_for("Edit: Bob Stone")

    t.send("d")
    t.wait_for("Delete Bob Stone ((212) 555-0188)?")
    t.send("Escape")  # Cancel: nothing happens
    t.wait_gone("Delete Bob Stone")
    assert sorted(cli.by_name()) == ["Ann Lee", "Bob Stone"]

    t.send("d")
    t.wait_for("Delete Bob Stone")
    # Cancel has the focus: Tab to Delete, then Enter, as a keyboard user would.
    t.wait_focused_button(" Cancel ", on_line_with="Delete")
    t.send("Tab")
    t.wait_focused_button(" Delete ", on_line_with="Cancel")
    t.send("Enter")
    t.wait_gone("Delete Bob Stone")

    t.send("/")
    t.send("Escape")  # clear the search
    t.wait_for(
        lambda s: "1 contact" in left(s) and "Bob Stone" not in left(s) and "Ann Lee" in left(s),
        what="only Ann Lee left",
    )
    assert list(cli.by_name()) == ["Ann Lee"]


def test_delete_all_contacts_with_the_typed_confirmation(start_app, cli: Cli):
    cli.add("Ann Lee", "415 555 0132", "--opt-out")
    cli.add("Bob Stone", "212 555 0188")
    cli.add("Mei Chen", "415 555 0163")
    t = start_app()
    t.wait_for("3 contacts")

    t.send(",")
    t.wait_for("Delete all contacts…")
    t.send("D")
    t.wait_for("Type DELETE (or 3) to confirm")
    t.type("DELETE")
    t.wait_for(lambda s: t.cursor()[0] > (row(s, "DELETE  ").index("DELETE") if row(s, "DELETE  ") else 999),
               what="DELETE typed")
    assert len(cli.contacts()) == 3
    t.send("Enter")

    t.wait_for(
        lambda s: re.search(r"Contacts\s+0\b", s) is not None and "Type DELETE" not in s,
        what="the confirmation closed and Settings showing 0 contacts",
    )
    t.send("Escape")
    t.wait_all("No contacts yet", "0 contacts")
    assert cli.contacts() == []

    # The opted-out number stays suppressed: adding it again creates it opted out.
    cli.add("Ann Lee", "415 555 0132")
    assert cli.by_name()["Ann Lee"]["opted_out"] is True
    # ...and the running app picks up the change made by the command line.
    t.wait_for(lambda s: list_row(s, "Ann Lee").lstrip().startswith("⊘"), what="Ann Lee back, opted out")


# -- quitting --------------------------------------------------------------------------------

QUIT_SCRIPT = (
    'before=$(stty -g); "$0" --db "$1"; status=$?; after=$(stty -g); '
    '[ "$before" = "$after" ] && tty=same || tty=changed; '
    'echo "contacts exited with status $status; tty settings $tty"; exec sleep 600'
)


@pytest.mark.parametrize("terminal", ["pty", "tmux"], indirect=True)  # tmux: a real terminal agrees
def test_ctrl_q_quits_and_restores_the_terminal(terminal: Terminal, contacts_command: Path, db: Path):
    terminal.start(["sh", "-c", QUIT_SCRIPT, str(contacts_command), str(db)], raw=True)
    terminal.wait_for("0 contacts")
    assert terminal.display("#{alternate_on}") == "1"  # the app uses the alternate screen

    terminal.send("C-q")
    screen = terminal.wait_for("contacts exited with", what="the app to exit")
    assert "contacts exited with status 0; tty settings same" in screen
    assert "New Contact" not in screen  # back on the normal screen, not the app's
    flags = terminal.display("#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{mouse_sgr_flag}")
    assert flags == "0 1 0 0", "alternate screen, cursor visible, mouse reporting, SGR mouse: " + flags
    assert db.exists()


def test_quit_exit_status_is_zero(start_app, terminal: Terminal):
    start_app()
    terminal.send("C-q")
    assert terminal.wait_exit() == 0


# -- the demo --------------------------------------------------------------------------------


def start_demo(terminal: Terminal, contacts_command: Path) -> str:
    terminal.start([str(contacts_command), "--demo"])
    return terminal.wait_for(lambda s: "300 contacts" in left(s), timeout=20, what="the demo's 300 contacts")


def test_demo_runs_on_a_throwaway_file_that_is_removed_on_quit(
    terminal: Terminal, contacts_command: Path, tmp_path: Path
):
    start_demo(terminal, contacts_command)
    terminal.send(",")
    screen = terminal.wait_for("Data file")
    match = re.search(r"Data file\s+(\S+demo-contacts\.json)", screen)
    assert match, f"no demo data file in Settings:\n{screen}"
    demo_file = Path(match.group(1))
    assert demo_file.exists()
    terminal.send("Escape")
    terminal.wait_gone("Data file")
    terminal.send("C-q")
    assert terminal.wait_exit() == 0
    assert not demo_file.parent.exists(), "the demo's temporary folder outlives the app"
    # The user's own data folder (HOME and XDG_DATA_HOME point into tmp_path here) is untouched.
    assert not list((tmp_path / "xdg-data").glob("**/*.json"))
    assert not list((tmp_path / "home").glob("**/contacts.json"))


def test_demo_says_it_is_a_demo_in_the_header(terminal: Terminal, contacts_command: Path):
    screen = start_demo(terminal, contacts_command)
    header = screen.splitlines()[0].replace("demo-contacts.json", "")
    assert "demo" in header.lower(), f"the header does not say DEMO: {header!r}"
