"""Pilot tests of the Lists screen: create, rename, delete (contacts kept), refusals, literal names."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Button, DataTable, Input, Static

from store import Store
from tui.app import ContactsApp
from tui.screens import ConfirmDialog, ListsScreen
from tui.screens.name_prompt import NamePrompt

from .main_support import open_db, settle


def rows(screen: ListsScreen) -> list[tuple[str, str]]:
    table = screen.query_one(DataTable)
    return [(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1]).strip()) for i in range(table.row_count)]


async def open_lists(app: ContactsApp, pilot) -> ListsScreen:
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(app.screen, ListsScreen)
    return app.screen


async def type_name(app, pilot, name: str) -> None:
    prompt = app.screen
    assert isinstance(prompt, NamePrompt)
    prompt.query_one(Input).value = ""
    await pilot.press(*name)
    await pilot.press("enter")
    await settle(app, pilot)


async def test_lists_show_member_counts(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json", lists=["VIP", "Spring promo"])
    vip = store.get_list("VIP")
    store.set_memberships(store.ordered_ids()[0], [vip.id])
    store.set_memberships(store.ordered_ids()[1], [vip.id])
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lists(app, pilot)
        assert rows(screen) == [("Spring promo", "0"), ("VIP", "2")]


async def test_create_a_list(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lists(app, pilot)
        assert screen.query_one("#lists-empty").display
        await pilot.press("a")
        await type_name(app, pilot, "Spring promo")
        assert app.screen is screen
        assert rows(screen) == [("Spring promo", "0")]
        assert [lst.name for lst in Store.open(store.path, user="x").lists()] == ["Spring promo"]


async def test_duplicate_name_is_refused_in_the_prompt(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json", lists=["VIP"])
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lists(app, pilot)
        before = store.path.read_bytes()
        await pilot.press("a")
        await type_name(app, pilot, "vip")
        prompt = app.screen
        assert isinstance(prompt, NamePrompt)  # still open, so the name can be fixed
        error = prompt.query_one("#prompt-error", Static)
        assert "A list named 'VIP' already exists" in str(error.render())
        assert prompt.query_one(Input).value == "vip"
        assert store.path.read_bytes() == before
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert rows(screen) == [("VIP", "0")]


async def test_rename_a_list(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json", lists=["VIP"])
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lists(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "VIP"  # starts from the current name
        await type_name(app, pilot, "Very important")
        assert rows(screen) == [("Very important", "0")]
        assert store.get_list("Very important").id == 1


async def test_delete_a_list_keeps_its_contacts(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json", lists=["VIP"])
    member = store.ordered_ids()[0]
    store.set_memberships(member, ["VIP"])
    count = store.count()
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lists(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        message = str(dialog.query_one("#confirm-message", Static).render())
        assert "VIP" in message and "1 contact is kept" in message
        await pilot.click("#yes")
        await settle(app, pilot)
        assert app.screen is screen
        assert rows(screen) == []
        assert store.lists() == []
        assert store.count() == count
        assert store.get(member).lists == ()


async def test_cancelling_the_delete_keeps_the_list(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json", lists=["VIP"])
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lists(app, pilot)
        await pilot.press("d")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert [lst.name for lst in store.lists()] == ["VIP"]


async def test_rename_and_delete_are_greyed_out_without_lists(tmp_path: Path) -> None:
    app = ContactsApp(open_db(tmp_path / "c.json"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lists(app, pilot)
        assert screen.check_action("rename", ()) is None
        assert screen.check_action("delete", ()) is None
        assert screen.check_action("add", ()) is True
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is screen  # nothing opened


async def test_names_are_shown_literally_never_as_markup(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json", lists=["[bold red]Promo[/]"])
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lists(app, pilot)
        cell = screen.query_one(DataTable).get_row_at(0)[0]
        assert isinstance(cell, Text) and cell.plain == "[bold red]Promo[/]" and not cell.spans
        await pilot.press("d")
        await pilot.pause()
        assert "[bold red]Promo[/]" in str(app.screen.query_one("#confirm-message", Static).render())


async def test_escape_closes(tmp_path: Path) -> None:
    app = ContactsApp(open_db(tmp_path / "c.json"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lists(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ListsScreen)


async def test_the_prompt_cancel_button_saves_nothing(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lists(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(Input).value = "Never saved"
        app.screen.query_one("#cancel", Button).press()
        await settle(app, pilot)
        assert isinstance(app.screen, ListsScreen)
        assert store.lists() == []


async def test_rename_and_delete_are_greyed_out_with_the_reason_for_an_agent(tmp_path: Path) -> None:
    from tui.screens.help_screen import HelpScreen

    path = open_db(tmp_path / "c.json", lists=["VIP"]).path
    before = path.read_bytes()
    app = ContactsApp(Store.open(path, user="carol"))  # not in the file: an agent
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lists(app, pilot)
        assert rows(screen) == [("VIP", "0")]
        assert screen.check_action("rename", ()) is None  # greyed out in the footer
        assert screen.check_action("delete", ()) is None
        assert screen.check_action("add", ()) is True  # adding stays open to everyone
        why = "The agent role (carol) may not rename or remove lists; ask an admin"
        refusal = screen.query_one("#lists-refusal", Static)
        assert refusal.display and why in str(refusal.render())
        for key in ("r", "d"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, key  # no prompt, no confirmation
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert why in app.screen.plain_text()
    assert path.read_bytes() == before


async def test_a_supervisor_may_rename_and_sees_no_refusal(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json", lists=["VIP"])
    store.set_role("bob", "supervisor")
    app = ContactsApp(Store.open(store.path, user="bob"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lists(app, pilot)
        assert screen.check_action("rename", ()) is True
        assert not screen.query_one("#lists-refusal").display
        await pilot.press("r")
        await pilot.pause()
        await type_name(app, pilot, "Gold")
        assert rows(screen) == [("Gold", "0")]
    assert [lst.name for lst in Store.open(store.path, user="alice").lists()] == ["Gold"]


async def test_a_user_rule_allows_an_agent_in_the_app(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json", lists=["VIP"])
    store.set_policy("carol", "lists", True)
    app = ContactsApp(Store.open(store.path, user="carol"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lists(app, pilot)
        assert screen.check_action("delete", ()) is True
        await pilot.press("d")
        await pilot.pause()
        await pilot.click("#yes")
        await settle(app, pilot)
        assert rows(screen) == []
    assert Store.open(store.path, user="alice").lists() == []
