"""Typed and pasted text in the editor obeys the command line's rule: kept exactly, refused in place.

A paste arrives as one ``events.Paste`` (posted here as the terminal's driver posts it). Textual's
Input keeps only a paste's first line and drops typed characters that are not printable; the
editor's fields keep everything, show refused characters as visible stand-ins (never as control
codes), and say what is wrong with the same words as ``contacts add`` until the user fixes it.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from store import Store
from tui.app import ContactsApp
from tui.cli import main

from .main_support import open_db, screen_text, settle

HOSTILE = "Eve\x1b]52;c;aGVsbG8=\x07X"
TERMINAL_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")


def field(app, name: str) -> Input:
    return app.main.editor.query_one(f"#{name}", Input)


def cli_refusal(db_path, capsys, name: str) -> str:
    """What ``contacts add`` says about ``name`` (without the ``contacts: `` prefix)."""
    capsys.readouterr()
    assert main(["--db", str(db_path), "add", "--name", name, "--phone", "4155550100"]) == 1
    err = capsys.readouterr().err.strip()
    return err.removeprefix("contacts: ")


async def paste(app, pilot, text: str) -> None:
    app.post_message(events.Paste(text))
    await pilot.pause()
    await pilot.pause()


async def type_character(app, pilot, key: str, character: str) -> None:
    """A key as a terminal's driver posts it (Pilot.press cannot give these their character)."""
    app.post_message(events.Key(key, character))
    await pilot.pause()
    await pilot.pause()


async def test_a_paste_with_escape_codes_is_kept_exactly_and_refused_like_the_cli(db_path, capsys, unchanged):
    store = open_db(db_path)
    expected = cli_refusal(db_path, capsys, HOSTILE)
    assert expected == "Full Name contains a control character (U+001B) at position 4"
    app = ContactsApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await paste(app, pilot, HOSTILE)
        assert field(app, "name").value == HOSTILE
        assert app.main.editor.error_text("name") == expected
        shown = screen_text(app)
        assert "Eve\u241b]52;c;aGVsbG8=\u2407X" in shown  # visible stand-ins, not control codes
        assert not any(ch in shown for ch in TERMINAL_CONTROLS)
        await pilot.press("tab", *"4155550100")
        with unchanged():
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        assert field(app, "name").value == HOSTILE  # still as pasted, for the user to fix
        assert app.main.editor.error_text("name") == expected
        # fixing it: delete everything after "Eve"; the message goes once the text is clean
        assert app.focused is field(app, "name")
        await pilot.press("end", *["backspace"] * (len(HOSTILE) - 3))
        assert field(app, "name").value == "Eve"
        assert app.main.editor.error_text("name") == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.find("+14155550100").name == "Eve"


async def test_a_typed_bidi_override_is_kept_and_refused_not_dropped(db_path, capsys):
    store = open_db(db_path)
    expected = cli_refusal(db_path, capsys, "Ann\u202eeeL")
    app = ContactsApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", *"Ann")
        await type_character(app, pilot, "right_to_left_override", "\u202e")
        await pilot.press(*"eeL")
        assert field(app, "name").value == "Ann\u202eeeL"
        assert app.main.editor.error_text("name") == expected
        assert not any(ch in screen_text(app) for ch in TERMINAL_CONTROLS)


async def test_a_typed_no_break_space_is_kept(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", *"Ann")
        await type_character(app, pilot, "no_break_space", "\u00a0")
        await pilot.press(*"Lee")
        assert field(app, "name").value == "Ann\u00a0Lee"
        assert app.main.editor.error_text("name") == ""


async def test_a_multi_line_paste_is_kept_whole_and_refused(db_path, capsys):
    store = open_db(db_path)
    expected = cli_refusal(db_path, capsys, "Ann\u2028Lee")
    app = ContactsApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await paste(app, pilot, "Ann\u2028Lee")
        assert field(app, "name").value == "Ann\u2028Lee"
        assert app.main.editor.error_text("name") == expected
        await pilot.press("tab")
        await paste(app, pilot, "415 555\n0100")
        assert field(app, "phone").value == "415 555\n0100"
        assert app.main.editor.error_text("phone") == "Phone contains a control character (U+000A) at position 8"


async def test_a_clean_paste_goes_in_at_the_cursor(db_path):
    store = Store.open(db_path, user="alice")
    app = ContactsApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", *"Ann Lee", "left", "left", "left")
        await paste(app, pilot, "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f ")
        assert field(app, "name").value == "Ann \U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f Lee"
        assert app.main.editor.error_text("name") == ""


async def test_a_hand_edited_name_with_control_codes_is_edited_as_it_is_never_rewritten_as_escapes(db_path):
    """The field holds the stored text itself (shown with stand-ins): editing it and saving is
    refused for the control characters, instead of silently storing the ``\\x1b`` notation."""
    hostile = "Al\x1b]2;PWNED\x07ice"
    store = open_db(db_path, extra={0: {"name": hostile}})
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert field(app, "name").value == hostile
        assert "\x1b" not in screen_text(app) and "Al␛]2;PWNED␇ice" in screen_text(app)
        await pilot.press("end", "backspace", "ctrl+s")
        await settle(app, pilot)
        assert "control character (U+001B)" in app.main.editor.error_text("name")
    assert Store.open(db_path, user="alice").get(1).name == hostile  # unchanged, never "Al\\x1b..."
