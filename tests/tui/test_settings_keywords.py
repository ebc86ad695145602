"""Pilot tests of the reply keywords in Settings: add, remove, languages, refusals, read-only users."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, Select

from store import Store
from store.consent.keyword_settings import keyword_history
from tui.app import ContactsApp
from tui.screens.help_screen import HelpScreen

from .main_support import open_db, open_settings, screen_text, settle, text_of


async def test_k_then_typing_and_enter_adds_an_opt_out_word(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        await pilot.press("k")
        assert app.focused is screen.query_one("#keyword-input", Input)
        await pilot.press("r", "e", "m", "o", "v", "e", "enter")
        await settle(app, pilot)
        assert Store.open(store.path, user="x").reply_keywords().classify("REMOVE").value == "opt_out"
        assert "Added opt-out keyword REMOVE." in text_of(screen, "#keyword-status")
        assert "REMOVE (added by an admin)" in text_of(screen, "#keywords-summary")
        assert "added opt-out keyword REMOVE" in text_of(screen, "#keyword-history")
        assert screen.query_one("#keyword-input", Input).value == ""
        # ctrl+r removes the word typed
        await pilot.press("r", "e", "m", "o", "v", "e", "ctrl+r")
        await settle(app, pilot)
        assert store.reply_keywords().classify("REMOVE").value != "opt_out"
        assert "Removed opt-out keyword REMOVE." in text_of(screen, "#keyword-status")


async def test_help_kind_chosen_in_the_select(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        screen.query_one("#keyword-kind", Select).value = "help"
        await pilot.press("k", "s", "o", "s", "enter")
        await settle(app, pilot)
        assert store.reply_keywords().classify("sos").value == "help"


async def test_removing_stop_is_refused_with_the_stores_words(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    before = store.path.read_bytes()
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        await pilot.press("k", "s", "t", "o", "p", "ctrl+r")
        await settle(app, pilot)
        assert "STOP is a standard English opt-out keyword and cannot be removed" in text_of(screen, "#keyword-status")
        assert screen.query_one("#keyword-status").has_class("error")
    assert store.path.read_bytes() == before


async def test_s_and_f_turn_languages_on_and_off(tmp_path: Path) -> None:
    store = open_db(tmp_path / "c.json")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        assert store.reply_keywords().classify("ALTO").value == "opt_out"
        assert "Spanish: on" in str(screen.query_one("#language-es", Button).label)
        assert "ALTO" in text_of(screen, "#keywords-summary")
        await pilot.press("f")
        await settle(app, pilot)
        assert store.reply_keywords().classify("arrêt").value == "opt_out"
        await pilot.press("s")
        await settle(app, pilot)
        assert store.reply_keywords().classify("ALTO").value == "other"
        assert [e["word"] for e in keyword_history(store)] == ["es", "fr", "es"]


async def test_an_agent_sees_the_keywords_but_cannot_change_them(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    open_db(path)
    store = Store.open(path, user="bob")
    before = path.read_bytes()
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        assert screen.query_one("#keyword-input", Input).disabled
        assert screen.query_one("#language-es", Button).disabled
        assert "may not change settings" in text_of(screen, "#keyword-status")
        assert "STOP" in text_of(screen, "#keywords-summary")
        await pilot.press("k", "s", "f")
        await settle(app, pilot)
        assert screen.check_action("language", ("es",)) is None  # greyed out
    assert path.read_bytes() == before


async def test_the_help_lists_the_keyword_keys(tmp_path: Path) -> None:
    app = ContactsApp(open_db(tmp_path / "c.json"))
    async with app.run_test(size=(80, 40)) as pilot:
        await open_settings(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Keywords" in text and "Spanish on/off" in text and "French on/off" in text
