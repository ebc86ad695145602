"""At 60x20 every action stays reachable: buttons on screen, fields wide enough, keys shown."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Button, Footer, Input

from tui.app import ContactsApp
from tui.screens import ImportScreen, SettingsScreen

from .main_support import open_db

SIZE = (60, 20)


def on_screen(app: ContactsApp, widget) -> bool:
    region = widget.region
    width, height = app.size
    return region.width > 0 and region.x >= 0 and region.y >= 0 and region.right <= width and region.bottom <= height


def footer_descriptions(app: ContactsApp) -> list[str]:
    footer = app.screen.query_one(Footer)
    return [key.description for key in footer.query("FooterKey") if on_screen(app, key)]  # type: ignore[attr-defined]


async def test_main_screen_at_60x20(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.main
        for button in main.query("#topbar Button").results(Button):
            assert on_screen(app, button), button.id
        shown = footer_descriptions(app)
        for description in ("Help", "Find", "Save", "Actions", "Delete", "Quit"):
            assert description in shown, shown
        await pilot.press("enter")  # edit: the editor takes the whole width
        await pilot.pause()
        phone = main.editor.query_one("#phone", Input)
        assert phone.has_focus or main.editor.has_focus_within
        assert phone.region.width > cell_len("(415) 555-0132  ")
        assert main.editor.query_one("#email", Input).region.width > cell_len("chloe@example.fr  ")
        for button_id in ("#save", "#actions"):
            assert on_screen(app, main.editor.query_one(button_id, Button)), button_id
        await pilot.press("escape")  # back to the list at full width
        await pilot.pause()
        assert main.contact_list.has_focus and on_screen(app, main.contact_list)


async def test_import_and_settings_buttons_at_60x20(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        for button in app.screen.query(Button).results(Button):
            button.scroll_visible(animate=False)
            await pilot.pause()
            assert on_screen(app, button), button.id
        await pilot.press("escape", "comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        table = app.screen.query_one("#perm-table")
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no column cut off
        assert "Roles" in footer_descriptions(app) and "Delete all…" in footer_descriptions(app)
