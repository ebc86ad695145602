"""The virtual contact list on its own, in a minimal app."""

from __future__ import annotations

from textual.app import App, ComposeResult

from store import Store
from tui.widgets import ContactList

from .main_support import write_db


class ListApp(App[None]):
    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self.messages: list[tuple[str, int | None]] = []

    def compose(self) -> ComposeResult:
        yield ContactList(self.store)

    def on_mount(self) -> None:
        self.query_one(ContactList).set_ids(self.store.ordered_ids())
        self.query_one(ContactList).focus()

    def on_contact_list_highlighted(self, event: ContactList.Highlighted) -> None:
        self.messages.append(("highlighted", event.contact_id))

    def on_contact_list_selected(self, event: ContactList.Selected) -> None:
        self.messages.append(("selected", event.contact_id))


def many(count: int) -> list[tuple[str, str, None]]:
    return [(f"Person {i:04d}", f"+1212{2000000 + i:07d}", None) for i in range(count)]


def row_text(widget: ContactList, y: int) -> str:
    return widget.render_line(y).text


async def test_rows_are_rendered_lines_not_widgets(db_path):
    write_db(db_path, many(500))
    app = ListApp(Store.open(db_path, user="alice"))
    async with app.run_test(size=(60, 10)):
        widget = app.query_one(ContactList)
        assert widget.virtual_size.height == 500
        assert len(widget.children) == 0
        assert "Person 0000" in row_text(widget, 0)
        assert "(212) 200-0000" in row_text(widget, 0)
        assert row_text(widget, 0).startswith(" · ")  # not opted out, consent not sent
        assert len(row_text(widget, 0)) == widget.scrollable_content_region.width


async def test_cursor_scrolls_into_view_and_posts_messages(db_path):
    write_db(db_path, many(500))
    store = Store.open(db_path, user="alice")
    app = ListApp(store)
    async with app.run_test(size=(60, 10)) as pilot:
        widget = app.query_one(ContactList)
        await pilot.pause()
        assert app.messages == [("highlighted", store.ordered_ids()[0])]
        for _ in range(15):
            await pilot.press("j")
        await pilot.pause()
        assert widget.cursor == 15
        assert widget.scroll_y > 0
        top = round(widget.scroll_y)
        assert "Person 0015" in row_text(widget, 15 - top)  # the cursor row is on screen
        await pilot.press("end")
        await pilot.pause()
        assert widget.highlighted_id == store.ordered_ids()[-1]
        assert "Person 0499" in row_text(widget, 499 - round(widget.scroll_y))
        await pilot.press("home", "enter")
        await pilot.pause()
        assert widget.scroll_y == 0
        assert app.messages[-1] == ("selected", store.ordered_ids()[0])


async def test_cursor_row_is_highlighted(db_path):
    write_db(db_path, many(3))
    app = ListApp(Store.open(db_path, user="alice"))
    async with app.run_test(size=(60, 10)) as pilot:
        widget = app.query_one(ContactList)
        cursor_bg = widget.get_component_rich_style("contact-list--cursor").bgcolor
        name_style = lambda y: next(s.style for s in widget.render_line(y) if "Person" in s.text)  # noqa: E731
        assert name_style(0).bgcolor == cursor_bg
        assert name_style(1).bgcolor != cursor_bg
        await pilot.press("j")
        assert name_style(1).bgcolor == cursor_bg
        assert name_style(0).bgcolor != cursor_bg


async def test_set_ids_keeps_the_cursor_on_the_same_contact(db_path):
    write_db(db_path, many(50))
    store = Store.open(db_path, user="alice")
    app = ListApp(store)
    async with app.run_test(size=(60, 10)) as pilot:
        widget = app.query_one(ContactList)
        for _ in range(20):
            await pilot.press("j")
        target = widget.highlighted_id
        widget.set_ids(store.search("person 002"))  # Person 0020..0029
        assert widget.highlighted_id == target
        assert widget.cursor == 0
        widget.set_ids(store.ordered_ids())
        assert widget.highlighted_id == target
        assert widget.cursor == 20
        widget.set_ids([])
        assert widget.highlighted_id is None
        await pilot.pause()
        assert app.messages[-1] == ("highlighted", None)


async def test_invalidate_shows_changed_contacts(db_path):
    write_db(db_path, many(3))
    store = Store.open(db_path, user="alice")
    app = ListApp(store)
    async with app.run_test(size=(60, 10)):
        widget = app.query_one(ContactList)
        first = store.ordered_ids()[0]
        assert "Person 0000" in row_text(widget, 1 - 1)
        second = store.ordered_ids()[1]
        row = row_text(widget, 1)  # cached
        store.update_contact(second, name="Person 0001 Renamed", opted_out=True)
        assert row_text(widget, 1) == row  # still the cached row
        widget.invalidate()
        assert "Person 0001 Renamed" in row_text(widget, 1)
        assert row_text(widget, 1).startswith("⊘")
        assert widget.highlighted_id == first


async def test_long_and_wide_names_are_cut_to_the_column(db_path):
    write_db(db_path, [("李" * 40, "+14155550100", None), ("x" * 200, "+14155550101", None)])
    app = ListApp(Store.open(db_path, user="alice"))
    async with app.run_test(size=(40, 6)):
        widget = app.query_one(ContactList)
        for y in (0, 1):
            strip = widget.render_line(y)
            assert strip.cell_length == widget.scrollable_content_region.width
            assert "…" in strip.text
            assert strip.text.rstrip()[:-1].endswith("(415) 555-010")  # the phone is whole


async def test_the_cursor_stays_on_its_contact_in_any_filtered_result(db_path):
    """Where a contact is in a search result is found by its place in the whole list (binary
    search), for every contact shown; a contact not shown leaves the cursor where it was."""
    write_db(db_path, many(300))
    store = Store.open(db_path, user="alice")
    app = ListApp(store)
    async with app.run_test(size=(60, 10)) as pilot:
        widget = app.query_one(ContactList)
        await pilot.pause()
        shown = store.search("person 01")  # a filtered result: not the whole list
        assert 0 < len(shown) < store.count()
        for place, contact_id in enumerate(shown):
            widget.set_ids(shown, keep=contact_id)
            assert widget.cursor == place and widget.highlighted_id == contact_id
        hidden = next(cid for cid in store.ordered_ids() if cid not in shown)
        widget.cursor = 5
        widget.set_ids(shown, keep=hidden)
        assert widget.cursor == 5
        store.delete_contact(shown[3])  # the shown ids are now older than the store
        widget.set_ids(shown, keep=shown[7])
        assert widget.cursor == 7
