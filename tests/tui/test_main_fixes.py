"""Quitting with unsaved edits, editing a contact out of the search, the cursor on edit, demo title."""

from __future__ import annotations

from textual.widgets import Input

from tui.app import ContactsApp
from tui.screens import UnsavedChangesDialog

from .main_support import open_db, screen_text, settle


def name_field(app: ContactsApp) -> Input:
    return app.main.query_one("#name", Input)


async def test_quit_with_unsaved_edits_asks_and_cancel_keeps_them(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"Dee")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert name_field(app).value == "Dee"


async def test_quit_without_edits_quits(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_enter_puts_the_cursor_at_the_end_of_full_name(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *" Jr")
        await pilot.pause()
        assert name_field(app).value.endswith(" Jr")
        assert not name_field(app).value.startswith(" Jr")


async def test_a_contact_edited_out_of_the_search_stays_in_the_editor(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"lee", "enter", "enter")
        await pilot.pause()
        assert app.main.editor.contact.name == "Ann Lee"
        await pilot.press("backspace", "backspace", "backspace", *"Kim", "ctrl+s")
        await settle(app, pilot)
        assert store.find("+14155550132").name == "Ann Kim"
        assert app.main.contact_list.highlighted_id is None  # "lee" matches nobody now
        assert app.main.editor.contact is not None
        assert app.main.editor.contact.name == "Ann Kim"


async def test_demo_mode_says_so_on_screen(db_path):
    app = ContactsApp(open_db(db_path), demo=True)
    async with app.run_test(size=(80, 24)):
        assert "DEMO" in screen_text(app).splitlines()[0]


async def test_delete_all_in_the_palette_follows_the_permission(db_path):
    from store import Store
    from tui.commands_palette import ContactsCommands
    from tui.screens.delete_all_screen import DeleteAllScreen

    Store.open(db_path, user="alice")  # alice creates the file: she is its admin
    for user, offered in (("alice", True), ("bob", False)):  # bob is an agent
        app = ContactsApp(Store.open(db_path, user=user))
        async with app.run_test(size=(80, 24)) as pilot:
            if user == "alice":
                app.store.add_contact("Zed", "+12125550199")
            titles = [title for title, _, _ in ContactsCommands(app.screen)._available()]
            assert ("Delete all contacts…" in titles) is offered
            if offered:
                await app.run_action("delete_all")
                await pilot.pause()
                await pilot.pause()
                assert isinstance(app.screen, DeleteAllScreen)
