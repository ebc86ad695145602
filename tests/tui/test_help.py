"""Help for a newcomer: ? and F1 list every key of the screen in front, dialogs show their keys,
refused actions are greyed out with the reason, Escape clears the search from the list too, and the
opt-out state reads without colour."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, DirectoryTree, Footer, Input

from store import Store
from tui.app import ContactsApp
from tui.screens import ActionsMenu, ConfirmDialog, UnsavedChangesDialog
from tui.screens.import_browse import FilePicker
from tui.screens.import_sample import SampleScreen
from tui.screens.name_prompt import NamePrompt
from tui.screens.help_screen import HelpScreen

from .main_support import list_names, open_db, screen_text, settle, write_db


def help_text(app: ContactsApp) -> str:
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    return screen.plain_text()


def footer_keys(app: ContactsApp) -> dict[str, str]:
    """What the footer of the screen in front offers: key shown -> description."""
    footer = app.screen.query_one(Footer)
    return {key.key_display: key.description for key in footer.query("FooterKey")}  # type: ignore[attr-defined]


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_lists_the_hidden_keys_with_what_they_do(db_path, key):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        text = help_text(app)
        lines = text.splitlines()

        def line_of(key_shown: str) -> str:
            found = [line for line in lines if line.strip().startswith(key_shown + " ")]
            assert found, f"{key_shown} missing from the help:\n{text}"
            return found[0]

        assert "Record" in line_of("r") and "reply" in line_of("r")
        assert "consent" in line_of("m").lower()
        assert "search" in line_of("esc").lower()
        assert "palette" in line_of("^p").lower()
        assert "Settings" in line_of(",")
        # closes with escape, q and ? alike
        for close in ("escape", "q", "question_mark"):
            await pilot.press(close)
            await pilot.pause()
            assert app.screen is app.main, close
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)


async def test_help_in_a_dialog_lists_the_dialogs_keys(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l", "f1")
        await pilot.pause()
        text = help_text(app)
        assert "Add list" in text and "Rename" in text
        assert "New contact" not in text  # the main screen's keys do not apply in the dialog


async def test_question_mark_types_into_a_text_field(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"ann?")
        await pilot.pause()
        assert app.screen is app.main
        assert app.main.query_one("#search", Input).value == "ann?"
        await pilot.press("f1")  # F1 works in a field too
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_dialogs_show_their_keys_in_their_footer(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        keys = footer_keys(app)
        assert {"y", "n", "esc", "enter"} <= {k.lower() if k != "⏎" else "enter" for k in keys}, keys
        await pilot.press("escape", "n", *"X")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        keys = footer_keys(app)
        assert {"s", "d", "esc"} <= set(keys), keys
        await pilot.press("d")  # discard: back to the list and its contact
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ActionsMenu)
        keys = footer_keys(app)
        assert {"r", "m", "d", "esc"} <= set(keys), keys


def shown_keys(app: ContactsApp) -> set[str]:
    """The footer's keys, spelled as bindings are ("enter" for the footer's ⏎)."""
    return {"enter" if key == "⏎" else key.lower() for key in footer_keys(app)}


async def test_the_import_and_list_dialogs_show_their_keys_too(db_path, tmp_path):
    """The name prompt (Enter saves), the file picker (Enter picks) and the sample (ctrl+s saves):
    each shows its keys in a footer, like the other dialogs, and Enter does what the footer says."""
    (tmp_path / "people.csv").write_text("Zed,4155550177\n", encoding="utf-8")
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l", "a")
        await pilot.pause()
        assert isinstance(app.screen, NamePrompt)
        assert {"enter", "esc"} <= shown_keys(app), footer_keys(app)
        await pilot.press(*"VIP", "enter")
        await settle(app, pilot)
        assert [lst.name for lst in app.store.lists()] == ["VIP"]
        assert not isinstance(app.screen, NamePrompt)
        await pilot.press("escape", "i", "ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, SampleScreen)
        assert {"esc", "^s"} <= shown_keys(app), footer_keys(app)
        await pilot.press("escape")
        await pilot.pause()
        app.screen.query_one("#import-path", Input).value = f"{tmp_path}/"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, FilePicker)
        assert {"enter", "esc"} <= shown_keys(app), footer_keys(app)
        tree = app.screen.query_one(DirectoryTree)
        for _ in range(50):  # the tree reads the folder in a worker
            if tree.root.children:
                break
            await pilot.pause(0.02)
        for _ in range(3):  # the folder, then its one file
            if tree.cursor_node is not None and tree.cursor_node.data.path.name == "people.csv":
                break
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, FilePicker)
        assert app.screen.query_one("#import-path", Input).value == str(tmp_path / "people.csv")


async def test_consent_sent_is_greyed_out_with_the_reason_once_confirmed(db_path):
    write_db(db_path, extra={0: {"consent": "confirmed", "consent_changed_at": "2024-03-02T08:30:00Z"}})
    store = Store.open(db_path, user="alice")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.main.editor.contact.name == "Ann Lee"
        assert app.check_action("mark_consent_sent", ()) is None
        await pilot.press("a")
        await pilot.pause()
        option = app.screen.query_one("#menu").get_option("mark_consent_sent")
        assert option.disabled
        assert "already replied" in str(option.prompt)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ActionsMenu)  # not chosen
        await pilot.press("escape", "f1")
        await pilot.pause()
        assert "already replied" in help_text(app)
        assert store.get(app.main.editor.contact.id).consent == "confirmed"


async def test_escape_on_the_list_clears_the_search(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"lee", "enter")
        await pilot.pause()
        assert app.main.contact_list.has_focus
        assert list_names(app) == ["Ann Lee"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.main.query_one("#search", Input).value == ""
        assert len(list_names(app)) == 4


async def test_opt_out_state_reads_without_colour(db_path):
    write_db(db_path, extra={1: {"opted_out": True}})
    app = ContactsApp(open_db(db_path, extra={1: {"opted_out": True}}))
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.main.editor.query_one("#opted-out", Checkbox)
        assert not box.value
        opted_in = str(box.render())
        await pilot.press("j")
        await pilot.pause()
        assert box.value
        opted_out = str(box.render())
        assert opted_in != opted_out
        assert "no" in opted_in.lower() and "yes" in opted_out.lower()
        assert "Opted out: yes" in screen_text(app)
