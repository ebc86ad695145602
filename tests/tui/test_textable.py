"""Who may be texted, in the app: "N contacts · M textable" under the list, and the status filter
(All / Textable / Opted out / Needs review) with its key f, at 80x24 and 60x20."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len
from textual.widgets import Input, Select

from store.consent.replies import record_reply
from tui.app import ContactsApp
from tui.screens.help_screen import HelpScreen
from tui.widgets.list_status import status_text

from .main_support import FIXED, list_names, open_db, screen_text, settle

# Ann opted out (and declined), Bob with a reply waiting for review, Chloé and Dan textable.
EXTRA = {
    0: {"opted_out": True, "consent": "declined"},
    1: {"review": [{"at": FIXED, "text": "stop texting pls", "by": "alice"}]},
}


async def counted(app, pilot) -> None:
    """The textable count is worked out in a thread after the first paint."""
    await app.workers.wait_for_complete()
    await pilot.pause()


def status_line(app) -> str:
    return str(app.main.query_one("#list-status").render())


async def test_the_status_line_counts_contacts_and_textable(db_path):
    app = ContactsApp(open_db(db_path, extra=EXTRA))
    async with app.run_test(size=(80, 24)) as pilot:
        await counted(app, pilot)
        assert "4 contacts · 3 textable" in screen_text(app)
        await pilot.press("slash", *"an")  # Ann Lee, Dan Wu (and Chloé Martin)
        await pilot.pause()
        shown = list_names(app)
        textable = len([n for n in shown if n != "Ann Lee"])
        assert status_line(app) == f"{len(shown)} of 4 · {textable} textable"


async def test_the_count_follows_a_change(db_path):
    store = open_db(db_path, extra=EXTRA)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await counted(app, pilot)
        record_reply(store, "+12125550199", "STOP")  # Dan
        app.reload_contacts()
        await pilot.pause()
        assert status_line(app) == "4 contacts · 2 textable"


async def test_f_cycles_the_status_filter(db_path):
    app = ContactsApp(open_db(db_path, extra=EXTRA))
    async with app.run_test(size=(80, 24)) as pilot:
        await counted(app, pilot)
        seen = []
        for _ in range(4):
            await pilot.press("f")
            await pilot.pause()
            seen.append((str(app.main.query_one("#status-filter", Select).selection), list_names(app)))
        assert seen == [
            ("textable", ["Bob Stone", "Chloé Martin", "Dan Wu"]),
            ("opted_out", ["Ann Lee"]),
            ("needs_review", ["Bob Stone"]),
            ("None", ["Ann Lee", "Bob Stone", "Chloé Martin", "Dan Wu"]),
        ]


async def test_the_filter_combines_with_search_and_says_so(db_path):
    app = ContactsApp(open_db(db_path, extra=EXTRA))
    async with app.run_test(size=(80, 24)) as pilot:
        await counted(app, pilot)
        app.main.query_one("#status-filter", Select).value = "textable"
        await pilot.pause()
        assert status_line(app) == "3 of 4 · 3 textable"
        assert "Textable" in screen_text(app)
        await pilot.press("slash", *"example.com")  # Ann and Dan have such emails; Ann is out
        await pilot.pause()
        assert list_names(app) == ["Dan Wu"]


async def test_an_empty_status_filter_says_how_to_see_the_others(db_path):
    """Nobody needs review: the hint under the empty list names the filter, not a search that is
    not there."""
    app = ContactsApp(open_db(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await counted(app, pilot)
        app.main.query_one("#status-filter", Select).value = "needs_review"
        await pilot.pause()
        hint = str(app.main.query_one("#empty-hint").render())
        assert list_names(app) == []
        assert "Escape clears the search" not in hint and "f shows the other statuses" in hint
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        hint = str(app.main.query_one("#empty-hint").render())
        assert "Escape clears the search" in hint and "f shows the other statuses" in hint


async def test_f_types_into_the_search_box(db_path):
    app = ContactsApp(open_db(db_path, extra=EXTRA))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", "f")
        await pilot.pause()
        assert app.main.query_one("#search", Input).value == "f"
        assert app.main.query_one("#status-filter", Select).selection is None


async def test_help_explains_f(db_path):
    app = ContactsApp(open_db(db_path, extra=EXTRA))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = [line.strip() for line in app.screen.plain_text().splitlines()]
        line = next(line for line in lines if line.startswith("f "))
        assert "Textable" in line and "Opted out" in line and "Needs review" in line


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_filters_and_status_fit(db_path, size):
    app = ContactsApp(open_db(db_path, extra=EXTRA))
    async with app.run_test(size=size) as pilot:
        await counted(app, pilot)
        await pilot.press("f", "f", "f")  # Needs review: the longest label
        await pilot.pause()
        text = screen_text(app)
        assert "Needs review" in text and "All contacts" in text
        assert "4 contacts · 3 textable" not in text  # filtered now
        assert "1 of 4 · 1 textable" in text  # Bob: a reply to review, but not opted out


@pytest.mark.parametrize(
    "shown, total, textable",
    [(4, 4, 3), (1, 4, 0), (100_000, 100_000, 95_000), (499_999, 500_000, 499_999), (500_000, 500_000, 475_000)],
)
@pytest.mark.parametrize("width", [33, 58])
def test_the_status_text_fits_the_pane(shown, total, textable, width):
    text = status_text(shown, total, textable, width)
    assert cell_len(text) <= width
    numbers = [int(n.replace(",", "")) for n in re.findall(r"[\d,]+", text)]
    assert numbers == ([total, textable] if shown == total else [shown, total, textable])


async def test_a_big_result_is_counted_once_typing_pauses(db_path, monkeypatch):
    """Counting 400,000 shown contacts takes ~12 ms: past BIG_RESULT the count waits for a pause in
    typing, so each keystroke costs what it did before; the line says the count is coming."""
    import tui.screens.contacts_screen as contacts_screen

    monkeypatch.setattr(contacts_screen, "BIG_RESULT", 1)
    monkeypatch.setattr(contacts_screen, "COUNT_AFTER", 60)  # no pause in typing during the test
    app = ContactsApp(open_db(db_path, extra=EXTRA))
    async with app.run_test(size=(80, 24)) as pilot:
        await counted(app, pilot)
        assert status_line(app) == "4 contacts · 3 textable"  # all of them: known without counting
        counts = []
        real = app.store.textable_count
        monkeypatch.setattr(app.store, "textable_count", lambda ids=None: counts.append(len(ids)) or real(ids))
        await pilot.press("slash", *"an")
        await pilot.pause()
        assert status_line(app) == "2 of 4 · … textable"  # Ann Lee and Dan Wu
        assert counts == []  # not counted per keystroke
        app.main.show_status(now=True)  # what the pause in typing sets off
        await pilot.pause()
        assert status_line(app) == "2 of 4 · 1 textable" and counts == [2]


async def test_the_count_comes_after_a_pause(db_path, monkeypatch):
    import tui.screens.contacts_screen as contacts_screen

    monkeypatch.setattr(contacts_screen, "BIG_RESULT", 1)
    monkeypatch.setattr(contacts_screen, "COUNT_AFTER", 0.01)
    app = ContactsApp(open_db(db_path, extra=EXTRA))
    async with app.run_test(size=(80, 24)) as pilot:
        await counted(app, pilot)
        await pilot.press("slash", *"an")
        for _ in range(100):  # however slow the machine: it comes
            await pilot.pause(0.02)
            if "…" not in status_line(app):
                break
        assert status_line(app) == "2 of 4 · 1 textable"


async def test_a_big_file_is_counted_in_a_thread_after_the_first_paint(db_path, monkeypatch):
    import tui.screens.contacts_screen as contacts_screen

    monkeypatch.setattr(contacts_screen, "COUNT_AT_ONCE", 2)  # "big": more than 2 contacts
    store = open_db(db_path, extra=EXTRA)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await counted(app, pilot)
        assert status_line(app) == "4 contacts · 3 textable"
        from store import Store

        Store.open(db_path, user="bob").add_contact("Zed", "+13125550101")  # another process
        store.refresh()  # a file read again: the sets are built again, in the thread
        app.reload_contacts()
        assert status_line(app) == "5 contacts · … textable"
        await counted(app, pilot)
        assert status_line(app) == "5 contacts · 4 textable"
