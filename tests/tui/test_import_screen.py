"""The Import screen, driven with Pilot at 80x24 inside the real app."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, ProgressBar, Select, Static, TextArea

from store import Store
from store.transfer.csv_format import sample_csv
from tui.app import ContactsApp
from tui.screens.confirm_dialog import ConfirmDialog
from tui.screens.import_browse import FilePicker, PathSuggester
from tui.screens.import_sample import SampleScreen
from tui.screens.import_screen import ImportScreen

from .main_support import list_names, open_db, screen_text, settle

FIXTURES = Path(__file__).resolve().parents[1] / "csv" / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


def result_text(app) -> str:
    return str(app.screen.query_one("#import-result", Static).content)


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def open_import(app, pilot) -> ImportScreen:
    await pilot.press("i")
    await pilot.pause()
    assert isinstance(app.screen, ImportScreen)
    return app.screen


async def type_path(pilot, screen: ImportScreen, path: Path) -> None:
    screen.query_one("#import-path", Input).value = str(path)
    await pilot.pause()


async def test_list_picker_hidden_without_lists(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        assert not screen.query("#import-list")
        hint = str(screen.query_one("#import-no-lists", Static).content)
        assert "Lists screen (key l)" in hint


async def test_list_picker_shown_with_one_list_and_imports_into_it(db_path):
    store = open_db(db_path, lists=["VIP"])
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        assert not screen.query("#import-no-lists")
        select = screen.query_one("#import-list", Select)
        select.value = "VIP"
        await type_path(pilot, screen, FIXTURES / "no_header.csv")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
    vip = store.get_list("VIP")
    assert vip.members == 2
    assert {store.get(cid).name for cid in store.members(vip.id)} == {"Ann Lee", "Bob Stone"}


async def test_skip_first_line_toggle_changes_the_result(db_path, unchanged):
    app = ContactsApp(open_db(db_path, contacts=[]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        await type_path(pilot, screen, ROOT / "sample.csv")
        with unchanged():
            await pilot.press("ctrl+r")
            await settle(app, pilot)
            text = result_text(app)
            assert "line 1, Phone: Phone 'Phone' is not a phone number" in text
            assert "turn on Skip First Line" in text
            await pilot.press("ctrl+t")
            await pilot.press("ctrl+r")
            await settle(app, pilot)
        text = result_text(app)
        assert "Preview of 4 rows" in text and "header used" in text and "4 new" in text
        assert "line 2: Ann Lee | +14155550132 | ann.lee@example.com" in text


async def test_paste_import_notifies_and_refreshes_the_list(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Zed Paste" not in list_names(app)
        screen = await open_import(app, pilot)
        await pilot.press("ctrl+b")
        area = screen.query_one("#import-text", TextArea)
        assert area.has_focus
        area.text = "Zed Paste;+1 415 555 0190;zed@example.com\nYan Paste;415 555 0191;\n"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert {"Zed Paste", "Yan Paste"} <= set(list_names(app))
        [summary] = [m for m in notifications(app) if m.startswith("Imported")]
        assert "2 rows from pasted text (semicolon-separated, no header): 2 new" in summary
    assert store.find("+14155550190").email == "zed@example.com"


async def test_errors_are_shown_with_line_numbers_and_nothing_is_written(db_path, unchanged):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        await type_path(pilot, screen, FIXTURES / "invalid_phone.csv")
        await pilot.press("ctrl+t")
        with unchanged():
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        assert app.screen is screen  # still open, showing why
        text = result_text(app)
        assert "1 problem, nothing was imported" in text
        assert "line 4, Phone: Phone '12345' is too short" in text
        assert screen.query_one("#import-result").has_class("-error")


async def test_file_errors_are_literal_text_not_markup(db_path, tmp_path, unchanged):
    bad = tmp_path / "markup.csv"
    bad.write_text("[bold]Ann[/bold],[red]123\n")
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        await type_path(pilot, screen, bad)
        with unchanged():
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        assert "line 1, Phone: Phone '[red]123' is too short" in result_text(app)


async def test_unreadable_file_reason_is_shown(db_path, unchanged):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        await type_path(pilot, screen, FIXTURES / "latin1.csv")
        with unchanged():
            await pilot.press("ctrl+r")
            await settle(app, pilot)
        assert "line 3: byte 0xE9 is not UTF-8" in result_text(app)


async def test_empty_path_asks_for_one(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert "Enter the path of a CSV file" in result_text(app)


async def test_progress_bar_follows_the_rows(db_path, tmp_path):
    big = tmp_path / "big.csv"
    big.write_text("".join(f"Person {i},+1 212 555 {i:04d}\n" for i in range(2500)))
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        await type_path(pilot, screen, big)
        bar = screen.query_one("#import-progress", ProgressBar)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        # _start resets the bar to an unknown total: only the worker's progress messages set these.
        assert (bar.total, bar.progress) == (2500, 2500)
        assert not bar.display
        assert "Preview of 2,500 rows" in result_text(app)
        assert not screen.running


async def test_while_running_the_bar_shows_and_actions_are_greyed(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        screen.running = True
        await pilot.pause()
        assert screen.query_one("#import-progress", ProgressBar).display
        assert screen.query_one("#import", Button).disabled and not screen.query_one("#close", Button).disabled
        assert screen.check_action("import", ()) is None and screen.check_action("close", ())
        await pilot.press("escape")  # refused while running: the import finishes as a whole
        await pilot.pause()
        assert app.screen is screen
        screen.running = False
        await pilot.pause()
        assert not screen.query_one("#import-progress", ProgressBar).display


async def test_import_after_preview_applies_the_previewed_plan(db_path):
    store = open_db(db_path, contacts=[])
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        await type_path(pilot, screen, FIXTURES / "bom.csv")
        await pilot.press("ctrl+t", "ctrl+r")
        await settle(app, pilot)
        assert screen.plan is not None
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert any("Imported 2 rows" in m for m in notifications(app))
    assert store.count() == 2


async def test_changing_a_choice_after_preview_drops_the_preview(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        await type_path(pilot, screen, FIXTURES / "no_header.csv")
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert screen.plan is not None
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert screen.plan is None and "choices changed" in result_text(app)


async def test_escape_closes_without_importing(db_path, unchanged):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        await type_path(pilot, screen, FIXTURES / "no_header.csv")
        with unchanged():
            await pilot.press("escape")
            await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)


async def test_browse_fills_in_the_chosen_file(db_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        await type_path(pilot, screen, FIXTURES)
        await pilot.press("ctrl+o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, FilePicker) and picker.start == FIXTURES
        picker.dismiss(FIXTURES / "tab.csv")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#import-path", Input).value == str(FIXTURES / "tab.csv")


async def test_path_suggester_completes_files_and_folders(tmp_path, monkeypatch):
    (tmp_path / "contacts-2024.csv").write_text("")
    (tmp_path / "exports").mkdir()
    suggester = PathSuggester()
    assert await suggester.get_suggestion(f"{tmp_path}/con") == f"{tmp_path}/contacts-2024.csv"
    assert await suggester.get_suggestion(f"{tmp_path}/ex") == f"{tmp_path}/exports/"
    assert await suggester.get_suggestion(f"{tmp_path}/zzz") is None
    monkeypatch.chdir(tmp_path)
    assert await suggester.get_suggestion("exp") == "exports/"


async def test_sample_is_shown_and_saved_never_overwriting_without_asking(db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        sample = app.screen
        assert isinstance(sample, SampleScreen)
        assert str(sample.query_one("#sample-text", Static).content) == sample_csv().rstrip("\n")
        assert sample.query_one("#sample-path", Input).value == "./sample.csv"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (tmp_path / "sample.csv").read_text(encoding="utf-8") == sample_csv()
        assert app.screen is screen
        assert any("Saved the sample CSV" in m for m in notifications(app))

        (tmp_path / "sample.csv").write_text("mine")
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # keep my file
        await pilot.pause()
        assert (tmp_path / "sample.csv").read_text() == "mine"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert (tmp_path / "sample.csv").read_text(encoding="utf-8") == sample_csv()


async def test_at_80x24_keys_are_listed_and_the_result_scrolled_into_view(db_path):
    app = ContactsApp(open_db(db_path, lists=["VIP"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(app, pilot)
        footer = screen_text(app).splitlines()[-2]
        for key in ("esc Close", "^r Preview", "^s Import", "^o Browse", "^b Source", "^t Header", "^g Sample"):
            assert key in footer
        await type_path(pilot, screen, ROOT / "sample.csv")
        await pilot.press("ctrl+t", "ctrl+r")
        await settle(app, pilot)
        body = screen.query_one("#import-body")
        result = screen.query_one("#import-result")
        assert body.region.y <= result.region.y < body.region.bottom
        assert "Preview of 4 rows" in screen_text(app)


async def test_a_paste_with_escape_codes_is_refused_whole_with_where_and_what(db_path, unchanged):
    """The paste box draws what it holds as is: text with ESC or a bidi override never gets in."""
    from textual import events

    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        with unchanged():
            screen = await open_import(app, pilot)
            await pilot.press("ctrl+b")
            area = screen.query_one("#import-text", TextArea)
            app.post_message(events.Paste("Zed;4155550190\nEve\x1b]2;owned\x07;4155550191\n"))
            await pilot.pause()
            assert area.text == ""
            [refusal] = [m for m in notifications(app) if "Nothing was pasted" in m]
            assert refusal.startswith("Line 2, column 4: a control character (U+001B)")
            app.post_message(events.Paste("Ann\u202eeL;4155550192"))
            await pilot.pause()
            assert area.text == ""
            app.post_message(events.Paste("Yan\tPaste;4155550193\r\n"))  # tabs and line breaks are CSV's own
            await pilot.pause()
            assert area.text.startswith("Yan\tPaste;4155550193")
