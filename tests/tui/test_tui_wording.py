"""What the app says: one Quit in the command palette, a legend that names Declined and fits its
pane, and an import hint that names this screen's key rather than the command line's flag.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.command import CommandList, CommandPalette
from textual.widgets import Static

from tui.app import ContactsApp
from tui.screens.import_screen import ImportScreen

from .main_support import open_db, settle
from .test_import_screen import ROOT, open_import, result_text, type_path


async def palette_entries(app: ContactsApp, pilot) -> list[str]:
    """The titles the command palette lists on opening (before anything is typed)."""
    await pilot.press("ctrl+p")
    for _ in range(200):  # its providers answer asynchronously: wait for the list, not for a time
        await pilot.pause()
        if isinstance(app.screen, CommandPalette) and app.screen.query_one(CommandList).option_count:
            break
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]


async def test_the_command_palette_lists_quit_once(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        titles = await palette_entries(app, pilot)
        assert "Settings" in titles and "Theme" in titles  # ours and Textual's own
        assert titles.count("Quit") == 1, titles


async def test_palette_quit_still_asks_about_unsaved_edits(db_path):
    from tui.screens.unsaved_dialog import UnsavedChangesDialog

    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.press(*"Zed")
        await pilot.pause()
        await palette_entries(app, pilot)
        await pilot.press(*"quit", "enter")
        for _ in range(200):
            await pilot.pause()
            if isinstance(app.screen, UnsavedChangesDialog):
                break
        assert isinstance(app.screen, UnsavedChangesDialog)


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (200, 50)])
async def test_the_legend_says_declined_and_fits(db_path, size):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        legend = app.screen.query_one("#legend")
        shown = str(legend.render())
        assert "✗ declined" in shown and "✗ no" not in shown
        for mark in ("⊘", "✓", "◷", "✗"):
            assert mark in shown
        assert cell_len(shown) <= legend.content_size.width, (shown, legend.content_size)


async def test_the_legend_rewords_itself_when_the_terminal_narrows(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        legend = app.screen.query_one("#legend")
        wide = str(legend.render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        narrow = str(legend.render())
        assert cell_len(narrow) < cell_len(wide) and cell_len(narrow) <= legend.content_size.width


async def test_the_import_header_hint_names_the_key(db_path):
    app = ContactsApp(open_db(db_path, contacts=[]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        await type_path(pilot, screen, ROOT / "sample.csv")
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        text = result_text(app)
        assert "turn on Skip First Line (ctrl+t)" in text, text
        assert "--skip-header" not in text
        assert isinstance(app.screen, ImportScreen)


async def test_delete_all_of_one_contact_says_contact_while_it_runs(db_path):
    from textual.widgets import Input

    from tui.screens.delete_all_screen import DeleteAllScreen

    store = open_db(db_path, contacts=[("Ann Lee", "+14155550132", None)])
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = DeleteAllScreen(store)
        await app.push_screen(dialog)
        dialog.query_one(Input).value = "DELETE"
        await pilot.pause()
        dialog.start()  # the worker reports back only once this test yields: read the status now
        status = str(dialog.query_one("#delete-all-status", Static).content)
        assert status == "Deleting 1 contact…"
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert store.count() == 0


async def test_the_editors_history_reads_as_show_does(db_path):
    from store.consent.replies import record_reply

    store = open_db(db_path, contacts=[("Ann Lee", "+14155550132", None)])
    record_reply(store, "+14155550132", "STOP")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        history = str(app.screen.query_one("#history", Static).content)
        assert "Opted out: no → yes" in history and "Consent: Not sent → Declined" in history, history
        assert "reply 'STOP'" in history
        for raw in ("opted_out", "False", "True", "not_sent", "declined"):
            assert raw not in history, history
