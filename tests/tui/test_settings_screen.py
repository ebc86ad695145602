"""Pilot tests of Settings: file info, region, Delete all with its typed confirmation, permissions."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Input

from store import Store
from tui.app import ContactsApp
from tui.screens import ActionsMenu, SettingsScreen
from tui.screens.delete_all_screen import DeleteAllScreen

from .main_support import list_names, open_db, open_settings, screen_text, settle, text_of


def shown_in(app: ContactsApp, widget) -> str:
    """The text on screen inside ``widget``'s box, its lines joined with spaces."""
    lines, box = screen_text(app).splitlines(), widget.region
    return " ".join(lines[y][box.x : box.right].strip() for y in range(max(box.y, 0), min(box.bottom, len(lines))))


def as_user(path: Path, user: str) -> ContactsApp:
    return ContactsApp(Store.open(path, user=user))


async def test_shows_path_size_count_user_and_role(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        info = text_of(screen, "#info")
        assert str(store.path) in info
        assert "Size" in info and ("bytes" in info or "kB" in info)
        assert "Contacts    4" in info
        assert "alice (admin)" in info


async def test_region_change(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        await pilot.press("g")
        region = screen.query_one("#region-input", Input)
        assert app.focused is region
        region.value = ""
        await pilot.press("g", "b", "enter")
        await settle(app, pilot)
        assert store.default_region == "GB"
        assert Store.open(store.path, user="x").default_region == "GB"
        assert region.value == "GB"
        assert "GB" in text_of(screen, "#region-status")


async def test_invalid_region_is_refused_with_the_message(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    before = store.path.read_bytes()
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        await pilot.press("g")
        screen.query_one("#region-input", Input).value = "ZZ"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "'ZZ' is not a region" in text_of(screen, "#region-status")
        assert screen.query_one("#region-status").has_class("error")
        assert store.default_region == "US"
        assert store.path.read_bytes() == before


async def test_typed_confirmation_enables_the_button(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await pilot.press("D")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DeleteAllScreen)
        assert "CANNOT BE UNDONE" in text_of(dialog, "#cannot-undo")
        button = dialog.query_one("#delete-all", Button)
        field = dialog.query_one(Input)
        assert button.disabled
        for wrong in ("DELET", "delete", "DELETE ALL", "3", "yes"):
            field.value = wrong
            await pilot.pause()
            assert button.disabled, wrong
            assert dialog.check_action("press_focused", ()) is None
        await pilot.press("enter")  # a wrong word + enter does nothing
        await pilot.pause()
        assert app.screen is dialog and store.count() == 4
        for right in ("DELETE", "4", " DELETE "):
            field.value = right
            await pilot.pause()
            assert not button.disabled, right
        field.value = ""
        await pilot.pause()
        assert button.disabled
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert store.count() == 4


async def test_delete_all_empties_the_main_list(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json", extra={0: {"opted_out": True}})
    opted_out_phone = store.get(1).phone
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert len(list_names(app)) == 4
        screen = await open_settings(app, pilot)
        await pilot.press("D")
        await pilot.pause()
        await pilot.press(*"DELETE")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert list_names(app) == []  # refreshed under the modal, before it closes
        assert "Contacts    0" in text_of(screen, "#info")
        assert screen.query_one("#delete-all", Button).disabled
        assert "no contacts" in text_of(screen, "#delete-all-reason")
        await pilot.press("escape")
        await pilot.pause()
        assert list_names(app) == []
    assert Store.open(store.path, user="x").count() == 0
    assert store.is_suppressed(opted_out_phone)


async def test_delete_all_is_greyed_out_for_an_agent(tmp_path: Path) -> None:
    path = open_db(tmp_path / "c.json").path
    app = as_user(path, "carol")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        assert "carol (agent)" in text_of(screen, "#info")
        assert screen.query_one("#delete-all", Button).disabled
        assert "The agent role (carol) may not delete all contacts" in text_of(screen, "#delete-all-reason")
        assert screen.check_action("delete_all", ()) is None
        await pilot.press("D")
        await pilot.pause()
        assert app.screen is screen  # no confirmation offered
    assert Store.open(path, user="x").count() == 4


async def test_delete_all_refused_inside_the_transaction_shows_why(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await pilot.press("D")
        await pilot.pause()
        dialog = app.screen
        # Another admin denies it after the dialog opened; the store decides on the file as it is now.
        Store.open(store.path, user="alice").set_policy("alice", "delete-all", False)
        dialog.query_one(Input).value = "DELETE"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialog
        assert "Nothing was deleted" in text_of(dialog, "#delete-all-status")
        assert store.count() == 4


async def test_delete_is_greyed_out_in_the_main_actions_for_a_denied_user(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    store.set_policy("bob", "delete", False)
    app = as_user(store.path, "bob")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.main.editor.contact is not None  # the highlighted contact is loaded
        assert app.check_action("delete", ()) is None  # greyed out in the footer
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is app.main
        await pilot.press("a")
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, ActionsMenu)
        option = menu.query_one("#menu").get_option("delete")
        assert option.disabled
        assert "has not allowed bob to delete contacts" in str(option.prompt)
    assert Store.open(store.path, user="x").count() == 4


async def test_admin_toggles_a_policy_in_the_table(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        table = screen.query_one("#permissions DataTable", DataTable)
        assert app.focused is table
        agent_row = [str(table.get_row_at(i)[0]) for i in range(table.row_count)].index("Every agent")
        table.move_cursor(row=agent_row, column=2)  # Delete all
        await pilot.pause()
        await pilot.press("space")
        await settle(app, pilot)
        assert Store.open(store.path, user="carol").can("delete-all").allowed
        assert str(table.get_row_at(agent_row)[2]) == "allow*"
        assert text_of(screen, "#perm-detail") == "Every agent may delete all contacts (role rule)."
        await pilot.press("space")
        await settle(app, pilot)
        assert not Store.open(store.path, user="carol").can("delete-all").allowed


async def test_admin_sets_a_role(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        screen.query_one("#role-user", Input).value = "dora"
        screen.query_one("#role-select").value = "supervisor"
        screen.query_one("#set-role", Button).press()
        await settle(app, pilot)
        assert Store.open(store.path, user="dora").role == "supervisor"
        table = screen.query_one("#permissions DataTable", DataTable)
        assert "dora (supervisor)" in [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "dora is now supervisor" in text_of(screen, "#perm-status")


async def test_the_last_admin_cannot_demote_themselves_here_either(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        screen.query_one("#role-user", Input).value = "alice"
        screen.query_one("#role-select").value = "agent"
        screen.query_one("#set-role", Button).press()
        await settle(app, pilot)
        assert "only admin" in text_of(screen, "#perm-status")
        assert store.role == "admin"


async def test_non_admins_see_the_rules_but_cannot_change_them(tmp_path: Path) -> None:
    path = open_db(tmp_path / "c.json").path
    app = as_user(path, "bob")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        assert not screen.query_one("#role-form").display
        assert "Only an admin can change these" in text_of(screen, "#perm-help")
        table = screen.query_one("#permissions DataTable", DataTable)
        table.move_cursor(row=2, column=2)
        await pilot.press("space")
        await settle(app, pilot)
        assert Store.open(path, user="alice").policies() == []


async def test_escape_closes(tmp_path: Path) -> None:
    app = ContactsApp(open_db(tmp_path / "c.json"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_region_is_greyed_out_with_the_reason_for_a_non_admin(tmp_path: Path, size) -> None:
    from tui.screens.help_screen import HelpScreen

    store = open_db(tmp_path / "c.json")
    store.set_role("bob", "supervisor")
    before = store.path.read_bytes()
    app = as_user(store.path, "bob")
    async with app.run_test(size=size) as pilot:
        screen = await open_settings(app, pilot)
        status = screen.query_one("#region-status")
        status.scroll_visible(animate=False)
        await pilot.pause()
        shown = shown_in(app, status)  # all of the reason, in its own box: not cut off by its row
        region = screen.query_one("#region-input", Input)
        assert region.disabled and region.value == "US"
        assert screen.query_one("#set-region", Button).disabled
        why = "The supervisor role (bob) may not change settings; ask an admin"
        assert why in text_of(screen, "#region-status")
        assert why in shown, shown
        assert screen.check_action("edit_region", ()) is None  # g greyed out in the footer
        await pilot.press("g")
        await pilot.pause()
        assert app.focused is not region
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert why in app.screen.plain_text()
    assert store.path.read_bytes() == before


async def test_a_user_rule_lets_an_agent_set_the_region(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    store.set_policy("carol", "settings", True)
    app = as_user(store.path, "carol")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        region = screen.query_one("#region-input", Input)
        assert not region.disabled
        await pilot.press("g")
        region.value = ""
        await pilot.press("g", "b", "enter")
        await settle(app, pilot)
        assert "Default region is now GB" in text_of(screen, "#region-status")
    assert Store.open(store.path, user="x").default_region == "GB"


async def test_admin_toggles_lists_and_settings_rules_in_the_table(tmp_path: Path) -> None:
    from store.access.permissions import ACTIONS

    store = open_db(tmp_path / "c.json")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        table = screen.query_one("#permissions DataTable", DataTable)
        headers = [str(column.label) for column in table.columns.values()]
        assert headers == ["Who", "Delete", "Delete all", "Lists", "Settings"]
        agent_row = [str(table.get_row_at(i)[0]) for i in range(table.row_count)].index("Every agent")
        for action in ("lists", "settings"):
            table.move_cursor(row=agent_row, column=1 + ACTIONS.index(action))
            await pilot.pause()
            detail = text_of(screen, "#perm-detail")
            assert "Every agent may not" in detail and "(default)" in detail, detail
            assert str(table.get_row_at(agent_row)[1 + ACTIONS.index(action)]) == "deny"
            await pilot.press("space")
            await settle(app, pilot)
            assert Store.open(store.path, user="carol").can(action).allowed, action
            assert str(table.get_row_at(agent_row)[1 + ACTIONS.index(action)]) == "allow*"
            assert "Every agent may" in text_of(screen, "#perm-detail")
            assert "(role rule)" in text_of(screen, "#perm-detail")


async def test_the_permissions_table_fits_60x20_with_every_action(tmp_path: Path) -> None:
    from textual.widgets import Footer

    store = open_db(tmp_path / "c.json")
    store.set_role("a-rather-long-login-name", "supervisor")
    app = ContactsApp(store)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_settings(app, pilot)
        table = screen.query_one("#permissions DataTable", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no column cut off
        assert table.region.right <= 60
        for row in range(table.row_count):
            for cell in table.get_row_at(row)[1:]:
                assert str(cell) in ("allow", "deny", "allow*", "deny*")
        labels = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert app.focused is table
        await pilot.press(*["right"] * 4, *["down"] * labels.index("a-rather-long-login-name (supervisor)"))
        await pilot.pause()
        # The whole login, cut in the Who column, is in the line that explains the cell, and the
        # screen scrolled to show that line.
        why = "a-rather-long-login-name (supervisor) may not change settings (default)."
        assert why in text_of(screen, "#perm-detail")
        assert why in shown_in(app, screen.query_one("#perm-detail"))
        assert screen.query_one(Footer).region.bottom <= 20
