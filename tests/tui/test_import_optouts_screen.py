"""The Import screen's opt-out list choice (ctrl+n): another provider's numbers, suppressed and their
contacts opted out, after a confirmation that says how many; bad numbers shown with their lines."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Checkbox, Input, Static, TextArea

from tui.app import ContactsApp
from tui.screens.confirm_dialog import ConfirmDialog
from tui.screens.help_screen import HelpScreen
from tui.screens.import_screen import ImportScreen

from .main_support import open_db, screen_text, settle

ANN = "+14155550132"
DAN = "+12125550199"


def result_text(app) -> str:
    return str(app.screen.query_one("#import-result", Static).content)


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def open_optouts(app, pilot, path: Path | None = None) -> ImportScreen:
    await pilot.press("i")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ImportScreen)
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert screen.query_one("#import-optouts", Checkbox).value
    if path is not None:
        screen.query_one("#import-path", Input).value = str(path)
        await pilot.pause()
    return screen


def write_list(tmp_path: Path, text: str, name: str = "old-provider.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


async def test_the_opt_out_choice_changes_the_screen(db_path):
    app = ContactsApp(open_db(db_path, lists=["VIP"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_optouts(app, pilot)
        assert not screen.query_one("#import-list").display  # opt-outs go into no list
        assert "Opt-out" in str(screen.query_one("#import", Button).label)
        hint = screen.query_one("#import-optouts-hint", Static)
        assert "no contact is created" in str(hint.content) and hint.region.height > 0
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.query_one("#import-list").display
        assert str(screen.query_one("#import", Button).label) == "Import Contacts"
        assert hint.region.height == 0


async def test_import_asks_first_then_opts_out_and_notifies(db_path, tmp_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    path = write_list(tmp_path, f"phone\n{ANN}\n+1 646 555 0100\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_optouts(app, pilot, path)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        question = screen_text(app)
        assert "2 numbers" in question and "1 contact" in question and "cannot be undone" in question
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is app.main
        assert any(m.startswith("Opt-out list") and "old-provider.csv" in m for m in notifications(app))
        assert "4 contacts · 3 textable" in screen_text(app)
    ann = store.get(store.id_for_phone(ANN))
    assert ann.opted_out and ann.consent == "declined"
    assert store.is_suppressed("+16465550100") and store.count() == 4


async def test_no_at_the_question_changes_nothing(db_path, tmp_path, unchanged):
    app = ContactsApp(open_db(db_path))
    path = write_list(tmp_path, f"{ANN}\n")
    async with app.run_test(size=(80, 24)) as pilot:
        with unchanged():
            screen = await open_optouts(app, pilot, path)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            await pilot.press("n")
            await settle(app, pilot)
            assert app.screen is screen


async def test_bad_numbers_are_listed_with_lines_and_nothing_is_written(db_path, tmp_path, unchanged):
    app = ContactsApp(open_db(db_path))
    path = write_list(tmp_path, f"{ANN}\n[bold]nope[/]\n{DAN}\n12\n")
    async with app.run_test(size=(80, 24)) as pilot:
        with unchanged():
            await open_optouts(app, pilot, path)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, ImportScreen)
            text = result_text(app)
            assert "2 problems, nothing was imported" in text
            assert "line 2, Phone: Phone '[bold]nope[/]'" in text  # literal, not markup
            assert "line 4, Phone:" in text


async def test_preview_says_what_would_happen(db_path, tmp_path, unchanged):
    app = ContactsApp(open_db(db_path))
    path = write_list(tmp_path, f"Do not text\n{DAN}\n")
    async with app.run_test(size=(80, 24)) as pilot:
        with unchanged():
            await open_optouts(app, pilot, path)
            await pilot.press("ctrl+r")
            await settle(app, pilot)
            assert "turn on Skip First Line (ctrl+t)" in result_text(app)
            await pilot.press("ctrl+t", "ctrl+r")
            await settle(app, pilot)
            text = result_text(app)
            assert text.startswith("Preview of opt-out list") and "1 contact opted out" in text


async def test_pasted_numbers(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_optouts(app, pilot)
        await pilot.press("ctrl+b")
        screen.query_one("#import-text", TextArea).text = f"{DAN}\n"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert any("pasted text" in m for m in notifications(app))
    assert store.get(store.id_for_phone(DAN)).opted_out


async def test_help_lists_the_opt_out_key(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = [line.strip() for line in app.screen.plain_text().splitlines()]
        line = next(line for line in lines if line.startswith("^n "))
        assert "opt-out list" in line.lower()


async def test_at_60x20_the_choice_and_its_key_show(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(60, 20)) as pilot:
        await open_optouts(app, pilot)
        text = screen_text(app)
        assert "Opt-out list" in text


async def test_the_sample_follows_the_choice_an_opt_out_list_sample_for_opt_outs(db_path, tmp_path, monkeypatch):
    from store.consent.optouts import sample_optouts
    from tui.screens.import_sample import SampleScreen

    monkeypatch.chdir(tmp_path)
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_optouts(app, pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        sample = app.screen
        assert isinstance(sample, SampleScreen)
        assert str(sample.query_one("#sample-title", Static).content) == "Sample opt-out list"
        assert str(sample.query_one("#sample-text", Static).content) == sample_optouts().rstrip("\n")
        assert "no contact is created" in str(sample.query_one("#sample-help", Static).content)
        assert sample.query_one("#sample-path", Input).value == "./sample-optouts.csv"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (tmp_path / "sample-optouts.csv").read_text() == sample_optouts()
        assert not (tmp_path / "sample.csv").exists()
        assert any("sample opt-out list" in n for n in notifications(app))
