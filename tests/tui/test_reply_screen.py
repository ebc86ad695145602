"""The Record reply screen, driven on the real ContactsApp through its "r" key."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from store import Store
from store.consent.replies import pending_reviews, record_reply
from tui.app import ContactsApp
from tui.screens import ReplyScreen

PHONE = "+14155550132"


@pytest.fixture
def ann(store: Store):
    return store.add_contact("Ann [b]Lee[/b]", PHONE)  # markup-looking on purpose


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_reply(app: ContactsApp, pilot) -> ReplyScreen:
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(app.screen, ReplyScreen)
    return app.screen


async def record(app: ContactsApp, pilot, text: str) -> None:
    screen = await open_reply(app, pilot)
    screen.query_one("#reply-input", Input).value = text
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def notices(app: ContactsApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_stop_opts_out_and_the_app_says_so(store, ann):
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await record(app, pilot, "Stop!")
        assert not isinstance(app.screen, ReplyScreen)
        contact = store.get(ann.id)
        assert contact.opted_out and contact.consent == "declined"
        assert any(n.startswith("Opted out: Ann [b]Lee[/b]") for n in notices(app))
        assert app.main.editor.contact.opted_out  # the editor was refreshed


async def test_start_opts_back_in(store, ann):
    record_reply(store, PHONE, "STOP")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reply(app, pilot)
        assert "Opted out: yes" in shown(screen, "#reply-state")
        assert "Consent: Declined" in shown(screen, "#reply-state")
        await pilot.press("escape")
        await record(app, pilot, "START")
        contact = store.get(ann.id)
        assert not contact.opted_out and contact.consent == "confirmed"
        assert any(n.startswith("Opted in:") for n in notices(app))


async def test_please_stop_is_flagged_for_review(store, ann):
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await record(app, pilot, "please stop")
        assert [r.text for r in pending_reviews(store)] == ["please stop"]
        assert not store.get(ann.id).opted_out
        assert any(n.startswith("Flagged for review:") for n in notices(app))
        screen = await open_reply(app, pilot)
        assert "1 reply waiting for review" in shown(screen, "#reply-state")


async def test_the_name_is_shown_literally_with_the_keywords(store, ann):
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reply(app, pilot)
        assert "Ann [b]Lee[/b]" in shown(screen, "#reply-title")
        assert "Opted out: no" in shown(screen, "#reply-state")
        assert "Consent: Not sent" in shown(screen, "#reply-state")
        keywords = shown(screen, "#reply-keywords")
        assert "STOP" in keywords and "UNSTOP" in keywords and "HELP" in keywords


async def test_escape_cancels_and_changes_nothing(store, ann, unchanged):
    app = ContactsApp(store)
    with unchanged():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_reply(app, pilot)
            screen.query_one("#reply-input", Input).value = "STOP"
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ReplyScreen)
    assert not store.get(ann.id).opted_out


async def test_an_empty_reply_is_not_recorded(store, ann, unchanged):
    app = ContactsApp(store)
    with unchanged():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_reply(app, pilot)
            await pilot.press("space", "enter")
            await pilot.pause()
            assert app.screen is screen
            assert "Type the reply first" in shown(screen, "#reply-error")
            assert screen.query_one("#reply-error").display
            await pilot.press("x")
            assert not screen.query_one("#reply-error").display  # typing clears the complaint


async def test_a_contact_deleted_elsewhere_is_reported_in_the_dialog(store, ann, db_path):
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reply(app, pilot)
        Store.open(db_path, user="alice").delete_contact(ann.id)
        screen.query_one("#reply-input", Input).value = "STOP"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        assert "No contact with id" in shown(screen, "#reply-error")
        assert not screen.query_one("#record").disabled  # ready to cancel or retry
