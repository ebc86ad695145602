"""Every on/off control can be read without colour: the glyph differs, not just its colour."""

from __future__ import annotations

from textual.widgets import Checkbox, SelectionList

from tui.app import ContactsApp

from .main_support import open_db, settle


def glyph(checkbox: Checkbox) -> str:
    """The checkbox as plain text (no styles): what a monochrome or colour-blind reader sees."""
    return checkbox.render().plain


async def test_the_skip_first_line_and_opted_out_checkboxes_differ_in_shape(db_path):
    store = open_db(db_path, lists=["VIP"])
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        opted_out = app.main.editor.query_one("#opted-out", Checkbox)
        off = glyph(opted_out)
        opted_out.value = True
        await pilot.pause()
        assert glyph(opted_out) != off and "X" in glyph(opted_out) and "X" not in off
        await pilot.press("i")
        await pilot.pause()
        skip = app.screen.query_one("#import-skip", Checkbox)
        before = glyph(skip)
        skip.toggle()
        await pilot.pause()
        assert {before.count("X"), glyph(skip).count("X")} == {0, 1}


async def test_a_list_the_contact_is_not_in_shows_no_mark(db_path):
    store = open_db(db_path, lists=["VIP", "Newsletter"])
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        lists = app.main.editor.query_one("#lists", SelectionList)
        lists.select(lists.get_option_at_index(0).value)
        await pilot.pause()
        line_on, line_off = lists.render_line(0), lists.render_line(1)

        def mark(strip) -> tuple:
            """The X of the line's toggle and whether it shows: its colour differs from its background."""
            segment = next(s for s in strip if s.text == "X")
            return segment.style.color != segment.style.bgcolor

        assert mark(line_on) is True
        assert mark(line_off) is False, "an unticked list shows the same X, only in another colour"
        # And in the text itself, for a terminal without colour (where both X would show).
        text_on, text_off = line_on.text, line_off.text
        first, second = (str(lists.get_option_at_index(i).prompt).strip(" ✓") for i in (0, 1))
        assert "✓" in text_on and first in text_on
        assert "✓" not in text_off and second in text_off
        lists.deselect(lists.get_option_at_index(0).value)
        await pilot.pause()
        assert "✓" not in lists.render_line(0).text
