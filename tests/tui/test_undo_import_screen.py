"""Undo an import from the app (issue 13, part 1): the Import screen lists the recent imports and
undoes the highlighted one after a confirmation that says what will happen; Settings offers to
undo the last import before Delete all. Pilot at 80x24 (and 60x20 where the layout is tight)."""

from __future__ import annotations

import pytest
from textual.widgets import Button, OptionList, Static

from store import Store
from store.transfer.csv_format import CsvSource
from store.transfer.importer import import_csv
from tui.app import ContactsApp
from tui.screens.delete_all_screen import DeleteAllScreen
from tui.screens.help_screen import HelpScreen
from tui.screens.import_screen import ImportScreen
from tui.screens.undo_import import UndoImportDialog

from .main_support import list_names, open_db, open_settings, screen_text, settle


def imported(db_path, *rows: str, name: str = "sales.csv") -> Store:
    store = open_db(db_path, contacts=[("Ann Lee", "+14155550132", None)])
    text = "Full Name,Phone\n" + "".join(f"{row}\n" for row in rows)
    import_csv(store, CsvSource.from_text(text, name=name), skip_first_line=True)
    return store


async def open_import(app, pilot) -> ImportScreen:
    await pilot.press("i")
    await pilot.pause()
    assert isinstance(app.screen, ImportScreen)
    return app.screen


def history(screen) -> list[str]:
    options = screen.query_one("#import-history", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_import_screen_lists_recent_imports_newest_first(db_path):
    store = imported(db_path, "Bob Ode,4155550133", "Cy Young,4155550134")
    import_csv(store, CsvSource.from_text("Full Name,Phone\nDee Ray,4155550135\n", name="more.csv"), skip_first_line=True)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        rows = history(screen)
        assert len(rows) == 2
        assert "more.csv" in rows[0] and "1 added" in rows[0]
        assert "sales.csv" in rows[1] and "2 added" in rows[1]


async def test_no_imports_yet(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        assert "No imports yet" in str(screen.query_one("#import-history-empty", Static).content)
        assert screen.check_action("undo_import", ()) is None
        assert "no import" in screen.refusal("undo_import").lower()


async def test_undo_asks_saying_what_will_happen_then_undoes(db_path):
    store = imported(db_path, "Bob Ode,4155550133", "Cy Young,4155550134")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert isinstance(app.screen, UndoImportDialog)
        assert app.screen.message.endswith(": removes 2 contacts added by sales.csv.")
        assert "removes 2 contacts added by" in screen_text(app)
        assert not app.screen.query("#undo-remove-changed")  # nothing changed since: no such choice
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is screen
        assert list_names(app) == ["Ann Lee"]
        assert "undone" in history(screen)[0]
        assert "Undid import 1" in str(screen.query_one("#import-result", Static).content)
        assert screen.check_action("undo_import", ()) is None  # that one is undone now


async def test_cancel_changes_nothing(db_path, unchanged):
    store = imported(db_path, "Bob Ode,4155550133")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        with unchanged():
            await open_import(app, pilot)
            for key in ("n", "escape"):
                await pilot.press("ctrl+z")
                await pilot.pause()
                assert isinstance(app.screen, UndoImportDialog)
                await pilot.press(key)
                await settle(app, pilot)
                assert isinstance(app.screen, ImportScreen)
        assert store.count() == 2


async def test_a_contact_changed_since_is_kept_or_removed_as_chosen(db_path):
    store = imported(db_path, "Bob Ode,4155550133", "Cy Young,4155550134")
    store.update_contact(store.find("4155550133").id, name="Robert Ode")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(app, pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, UndoImportDialog)
        assert dialog.message.endswith("removes 1 contact added by sales.csv; 1 changed since is kept.")
        dialog.query_one("#undo-remove-changed", Button).press()
        await settle(app, pilot)
        assert list_names(app) == ["Ann Lee"]


async def test_the_contacts_kept_are_named_after_the_undo(db_path):
    store = imported(db_path, "Bob Ode,4155550133", "Cy Young,4155550134")
    store.update_contact(store.find("4155550133").id, name="Robert Ode")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        result = str(screen.query_one("#import-result", Static).content)
        assert "1 changed since was kept." in result
        assert "Kept (changed since the import): Robert Ode +14155550133" in result
        assert list_names(app) == ["Ann Lee", "Robert Ode"]


async def test_undo_is_greyed_out_with_the_reason_for_a_user_who_may_not_delete(db_path):
    store = imported(db_path, "Bob Ode,4155550133")
    store.set_policy("agent", "delete", False)
    agent = Store.open(db_path, user="bob")
    app = ContactsApp(agent)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        assert screen.check_action("undo_import", ()) is None
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.screen is screen and agent.count() == 2
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        line = next(line for line in app.screen.plain_text().splitlines() if "Undo import" in line)
        assert "not now: An administrator has not allowed the agent role (bob) to delete contacts" in line


async def test_help_lists_the_undo_key(db_path):
    app = ContactsApp(imported(db_path, "Bob Ode,4155550133"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        lines = app.screen.plain_text().splitlines()
        assert any(line.startswith("^z  Undo import") for line in lines), lines


# -- Settings: Delete all offers to undo the last import first --------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_settings_offers_to_undo_the_last_import_before_delete_all(db_path, size):
    store = imported(db_path, "Bob Ode,4155550133", "Cy Young,4155550134")
    app = ContactsApp(store)
    async with app.run_test(size=size) as pilot:
        screen = await open_settings(app, pilot)
        hint = str(screen.query_one("#undo-import-hint", Static).content)
        assert "The last big change was import 1 of sales.csv (2 added, 0 changed)" in hint
        assert screen.query_one("#undo-last-import", Button).region.y < screen.query_one("#delete-all", Button).region.y + 1
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, UndoImportDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is screen
        assert list_names(app) == ["Ann Lee"]
        assert not screen.query_one("#undo-last-import", Button).display


async def test_delete_all_says_the_last_change_was_an_import(db_path):
    app = ContactsApp(imported(db_path, "Bob Ode,4155550133"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, DeleteAllScreen)
        text = str(app.screen.query_one("#delete-all-import-hint", Static).content)
        assert "The last big change was import 1 of sales.csv" in text and "Undo that import (u)" in text


async def test_settings_without_an_import_offers_no_undo(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        assert not screen.query_one("#undo-last-import", Button).display
        assert screen.check_action("undo_import", ()) is False
