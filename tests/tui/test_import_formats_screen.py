"""The Import screen with the files people have: a workbook's sheet, and the mapping step for a
header the app does not know (each column with a sample and a picker, guessed where it can)."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from store import Store
from tui.app import ContactsApp
from tui.screens.help_screen import HelpScreen
from tui.screens.import_screen import ImportScreen

from ..formats.writers import write_xlsx
from .main_support import open_db, screen_text, settle


async def open_with(app, pilot, path) -> ImportScreen:
    await pilot.press("i")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ImportScreen)
    screen.query_one("#import-path", Input).value = str(path)
    await pilot.pause()
    return screen


async def test_unknown_header_shows_columns_with_samples_and_guesses_then_imports(db_path, tmp_path):
    path = write_xlsx(
        tmp_path / "crm.xlsx", {"Leads": [["Given", "Surname", "Cell", "Notes"], ["Ann", "Lee", 4155550132, "tea"]]}
    )
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_with(app, pilot, path)
        await pilot.press("ctrl+t", "ctrl+r")  # Skip First Line: the first row is a header
        await settle(app, pilot)
        pickers = list(screen.query("#import-mapping Select").results(Select))
        assert [p.value for p in pickers] == ["first_name", "last_name", "phone", "ignore"]
        shown = str(screen.query_one("#import-mapping").query(Static).first().content)
        assert "Given" in shown and "Ann" in shown
        assert "choose what each column holds" in str(screen.query_one("#import-result", Static).content)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
    contacts = Store.open(db_path, user="alice").contacts()
    assert ("Ann Lee", "+14155550132") in [(c.name, c.phone) for c in contacts]


async def test_a_header_no_title_of_which_is_guessed_shows_the_pickers_too(db_path, tmp_path):
    path = write_xlsx(tmp_path / "de.xlsx", {"S": [["Vorname", "Nachname", "Handy", "Notizen"], ["Uwe", "Zorn", 4155550131, "x"]]})
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_with(app, pilot, path)
        await pilot.press("ctrl+t", "ctrl+r")
        await settle(app, pilot)
        pickers = list(screen.query("#import-mapping Select").results(Select))
        assert [p.name for p in pickers] == ["Vorname", "Nachname", "Handy", "Notizen"]
        assert "--map" not in str(screen.query_one("#import-result", Static).content)
        for picker, field in zip(pickers, ["first_name", "last_name", "phone", "ignore"]):
            picker.value = field
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
    contacts = Store.open(db_path, user="alice").contacts()
    assert ("Uwe Zorn", "+14155550131") in [(c.name, c.phone) for c in contacts]


async def test_changing_a_picker_changes_the_import(db_path, tmp_path):
    path = write_xlsx(tmp_path / "crm.xlsx", {"S": [["Who", "Cell", "Backup"], ["Ann Lee", 4155550100, 4155550132]]})
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_with(app, pilot, path)
        await pilot.press("ctrl+t", "ctrl+r")  # Skip First Line: the first row is a header
        await settle(app, pilot)
        pickers = list(screen.query("#import-mapping Select").results(Select))
        pickers[0].value = "name"
        pickers[1].value = "ignore"
        pickers[2].value = "phone"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    phones = [c.phone for c in Store.open(db_path, user="alice").contacts()]
    assert "+14155550132" in phones and "+14155550100" not in phones


async def test_sheet_field_reads_the_named_sheet(db_path, tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", {"Notes": [["x"]], "People": [["Full Name", "Phone"], ["Ann Lee", 4155550132]]})
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_with(app, pilot, path)
        sheet = screen.query_one("#import-sheet", Input)
        assert sheet.display
        sheet.value = "People"
        await pilot.press("ctrl+t", "ctrl+r")
        await settle(app, pilot)
        assert "sheet People" in str(screen.query_one("#import-result", Static).content)


async def test_help_lists_the_columns_key(db_path, tmp_path):
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Columns" in app.screen.plain_text()


async def test_file_picker_offers_workbooks_and_vcards(db_path, tmp_path):
    from tui.screens.import_browse import CsvDirectoryTree, FilePicker

    folder = tmp_path / "files"
    folder.mkdir()
    for name in ("a.csv", "b.xlsx", "c.ods", "d.xls", "e.vcf", "f.png"):
        (folder / name).write_bytes(b"x")
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(FilePicker(folder))
        await pilot.pause()
        tree = app.screen.query_one(CsvDirectoryTree)
        names = sorted(p.name for p in tree.filter_paths(folder.iterdir()))
    assert names == ["a.csv", "b.xlsx", "c.ods", "d.xls", "e.vcf"]
