"""Pilot tests of the list side: search, list filter, delete, greyed-out keys, literal text, scale."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, Select

from store import Store
from store.model import CONTACTS
from tui.app import ContactsApp
from tui.screens import ActionsMenu, ConfirmDialog, ImportScreen, ListsScreen, ReplyScreen, SettingsScreen

from .main_support import SAMPLE, list_names, open_db, screen_text, settle, write_db


async def search_for(app, pilot, text: str) -> list[str]:
    await pilot.press("slash")
    search = app.main.query_one("#search", Input)
    assert app.focused is search
    search.value = ""
    await pilot.press(*text)
    await pilot.pause()
    return list_names(app)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ann", ["Ann Lee"]),
        ("CHLOE", ["Chloé Martin"]),  # case and accents ignored
        ("example.com", ["Ann Lee", "Dan Wu"]),  # email
        ("(415) 555-0132", ["Ann Lee"]),  # phone, national format
        ("+1 415 555 0132", ["Ann Lee"]),  # phone, international
        ("4155550132", ["Ann Lee"]),  # digits only
        ("020 7946", ["Bob Stone"]),  # a trunk 0
        ("555", ["Ann Lee", "Dan Wu"]),
        ("nobody", []),
    ],
)
async def test_search_filters_as_you_type(db_path, query, expected):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        assert await search_for(app, pilot, query) == expected
        if expected:
            assert expected[0] in screen_text(app)
            assert f"{len(expected)} of 4" in screen_text(app)


async def test_escape_clears_search_and_enter_goes_to_list(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await search_for(app, pilot, "dan")
        await pilot.press("enter")
        assert app.focused is app.main.contact_list
        assert app.main.editor.contact.name == "Dan Wu"
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert app.main.query_one("#search", Input).value == ""
        assert len(list_names(app)) == 4
        assert app.main.contact_list.highlighted_id == app.store.find("+12125550199").id


async def test_list_filter_shows_one_marketing_list(db_path):
    store = open_db(db_path, lists=["VIP"])
    vip = store.get_list("VIP").id
    store.set_memberships(store.find("+12125550199").id, [vip])
    store.set_memberships(store.find("+442079460958").id, [vip])
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.main.query_one("#list-filter", Select).value = vip
        await pilot.pause()
        assert list_names(app) == ["Bob Stone", "Dan Wu"]
        assert await search_for(app, pilot, "dan") == ["Dan Wu"]  # search within the list
        app.main.query_one("#list-filter", Select).clear()
        await pilot.pause()
        assert list_names(app) == ["Dan Wu"]


async def test_j_k_and_arrows_move_and_load_the_editor(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j")
        assert app.main.editor.contact.name == "Chloé Martin"
        await pilot.press("k")
        assert app.main.editor.contact.name == "Bob Stone"
        await pilot.press("down", "down", "down")
        assert app.main.editor.contact.name == "Dan Wu"
        await pilot.press("up")
        assert app.main.editor.contact.name == "Chloé Martin"


async def test_delete_with_confirmation_and_cancel(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j")  # Bob
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Delete Bob Stone (+44 20 7946 0958)?" in str(app.screen.query_one("#confirm-message").render())
        await pilot.press("escape")  # cancel
        await pilot.pause()
        assert store.count() == 4
        # through the Actions menu this time, and confirm
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ActionsMenu)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#yes")
        await settle(app, pilot)
        assert store.count() == 3
        assert "Bob Stone" not in list_names(app)
        # the cursor stays in place, on the next contact, which the editor shows
        assert app.main.editor.contact.name == "Chloé Martin"
        assert app.main.contact_list.highlighted_id == app.main.editor.contact_id


async def test_delete_not_allowed_is_greyed_out_with_reason(db_path):
    write_db(db_path)
    admin = Store.open(db_path, user="alice")
    admin.set_role("bob", "agent")
    admin.set_policy("agent", "delete", False)
    store = Store.open(db_path, user="bob")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.check_action("delete", ()) is None  # greyed out in the footer
        assert app.check_action("actions", ()) is True
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is app.main  # no confirmation: the key is disabled
        await pilot.press("a")
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, ActionsMenu)
        option = menu.query_one("#menu").get_option("delete")
        assert option.disabled
        reason = store.can("delete").reason
        assert reason and reason in str(option.prompt)
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is menu  # still the menu: Delete cannot be chosen
        await pilot.press("escape")
        assert store.count() == 4


async def test_keys_greyed_out_without_a_contact_or_edits(db_path):
    store = Store.open(db_path, user="alice")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        for action in ("delete", "actions", "record_reply", "mark_consent_sent", "save"):
            assert app.check_action(action, ()) is None, action
        assert app.check_action("new_contact", ()) is True
        await pilot.press("n", *"Someone")
        assert app.check_action("save", ()) is True
        # a dialog on top: the main screen's keys are not offered at all
        await pilot.press("escape")
        await pilot.pause()
        assert app.check_action("new_contact", ()) is False


@pytest.mark.parametrize(
    ("key", "screen"),
    [("i", ImportScreen), ("l", ListsScreen), ("comma", SettingsScreen), ("r", ReplyScreen)],
)
async def test_keys_open_the_other_screens_and_reload_on_close(db_path, key, screen):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, screen)
        store.add_contact("Aaron Abbot", "+1 312 555 0100")  # as the dialog would, same process
        app.screen.dismiss(None)
        await pilot.pause()
        assert app.screen is app.main
        assert list_names(app)[0] == "Aaron Abbot"


async def test_dialog_result_is_notified(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        app.screen.dismiss("Imported 3 contacts [bold]x[/]")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["Imported 3 contacts [bold]x[/]"]


async def test_mark_consent_sent_from_actions(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        ann = app.main.editor.contact
        await pilot.press("a", "m")
        await settle(app, pilot)
        assert store.get(ann.id).consent == "sent"
        assert "Sent 20" in str(app.main.editor.query_one("#consent").render())
        assert "◷" in screen_text(app).splitlines()[3]


async def test_command_palette_runs_app_commands(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"new contact")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.screen is app.main
        assert app.main.editor.contact is None
        assert app.focused is app.main.editor.query_one("#name")


TRICKY_NAMES = ["[bold]x[/]", "[/", "[@click=app.quit]x[/]", "[red]Red[/red] Rita"]


async def test_markup_and_control_characters_show_literally(db_path):
    people = [(name, f"+1415555{100 + i:04d}", None) for i, name in enumerate(TRICKY_NAMES)]
    people.append(("Evil\x1b[31mRed\x07", "+14155550199", None))
    write_db(db_path, people)
    raw = json.loads(db_path.read_text())
    assert "\x1b" in raw[CONTACTS]["5"]["name"]  # planted behind the store's back
    app = ContactsApp(Store.open(db_path, user="alice"))
    async with app.run_test(size=(100, 30)) as pilot:
        text = screen_text(app)
        for name in TRICKY_NAMES:
            assert name in text
        assert "Evil\\x1b[31mRed\\x07" in text
        assert "\x1b" not in text and "\x07" not in text
        # the list is sorted: "[" names first, then Evil; each loads into the editor literally
        for _ in TRICKY_NAMES:
            await pilot.press("j")
            await pilot.pause()
        assert app.main.editor.contact.name == "Evil\x1b[31mRed\x07"
        text = screen_text(app)
        assert "Edit: Evil\\x1b[31mRed\\x07" in text
        assert "Full Name * Evil␛[31mRed␇" in text  # the field holds the text itself, shown with stand-ins
        assert "\x1b" not in text
        await pilot.press("k")
        await pilot.pause()
        assert app.main.editor.contact.name == "[red]Red[/red] Rita"
        await pilot.click("#contact-list", offset=(5, 1))  # a click on "[@click=app.quit]x[/]"
        await pilot.click("#contact-list", offset=(5, 1))
        await pilot.pause()
        assert app.is_running
        assert app.main.editor.contact.name == "[@click=app.quit]x[/]"
        assert "Edit: [@click=app.quit]x[/]" in screen_text(app)


async def test_twenty_thousand_contacts_search_and_rows(db_path):
    people = [(f"Person {i:05d}", f"+1212{2000000 + i:07d}", f"p{i}@example.com") for i in range(20_000)]
    write_db(db_path, people)
    app = ContactsApp(Store.open(db_path, user="alice"))
    async with app.run_test(size=(80, 24)) as pilot:
        assert len(app.main.contact_list.ids) == 20_000
        assert len(app.main.contact_list.children) == 0  # virtual: no widget per contact
        assert "Person 00000" in screen_text(app)
        await pilot.press("end")
        assert app.main.editor.contact.name == "Person 19999"
        assert "Person 19999" in screen_text(app)
        assert await search_for(app, pilot, "person 1234") == [f"Person 1234{d}" for d in range(10)]
        assert "Person 12349" in screen_text(app)
        assert await search_for(app, pilot, "(212) 201-2345") == ["Person 12345"]
        assert await search_for(app, pilot, "p7777@") == ["Person 07777"]
        assert "Person 07777" in screen_text(app)
