"""Keys that arrive together (one read from a slow SSH link, a paste) are handled in order."""

from __future__ import annotations

from textual import events

from tui.app import ContactsApp

from .main_support import open_db, settle


def burst(app: ContactsApp, *keys: str) -> None:
    """Post keys the way the terminal driver does for one read: all at once, before any is handled."""
    for key in keys:
        if len(key) == 1:
            name = {" ": "space", "[": "left_square_bracket", "]": "right_square_bracket", "/": "slash",
                    "@": "at", ".": "full_stop"}.get(key, key)
            app.post_message(events.Key(name, key))
        else:
            app.post_message(events.Key(key, {"tab": "\t"}.get(key)))


def chars(text: str) -> list[str]:
    return list(text)


async def test_a_whole_form_typed_in_one_burst_is_saved_as_typed(db_path):
    store = open_db(db_path)
    before = store.count()
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(
            app,
            "n", *chars("Ann [bold]Lee[/]"), "tab", *chars("415 555 0177"), "tab", *chars("ann@example.com"), "ctrl+s",
            "n", *chars("Bob Day"), "tab", *chars("4155550178"), "ctrl+s",
        )
        await settle(app, pilot)
        await settle(app, pilot)
        assert store.count() == before + 2
        ann = store.find("+14155550177")
        assert (ann.name, ann.email) == ("Ann [bold]Lee[/]", "ann@example.com")
        assert store.find("+14155550178").name == "Bob Day"


async def test_letters_after_a_focus_change_go_to_the_new_field(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "n", *chars("Dana"), "tab", *chars("212 555 0100"), "shift+tab", *chars(" X"))
        await settle(app, pilot)
        editor = app.main.editor
        assert editor.current().name == "Dana X"
        assert editor.current().phone == "212 555 0100"


async def test_an_invalid_form_saved_in_a_burst_shows_its_error_after_earlier_saves_finish(db_path):
    store = open_db(db_path)
    before = store.count()
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "n", *chars("Bob"), "tab", *chars("4155550178"), "ctrl+s", "n", *chars("Cy"), "tab", "1", "2", "ctrl+s")
        await settle(app, pilot)
        await settle(app, pilot)
        assert store.count() == before + 1
        editor = app.main.editor
        assert editor.current().name == "Cy" and editor.current().phone == "12"
        assert "too short" in editor.error_text("phone")


async def test_a_save_that_ends_while_the_next_new_contact_is_typed_leaves_that_form_alone(db_path):
    """ctrl+s, n, typing: the first save finishing mid-typing must not load its contact into the form."""
    import threading

    store = open_db(db_path)
    release = threading.Event()
    real_add = store.add_contact

    def slow_add(**fields):
        release.wait(5)
        return real_add(**fields)

    store.add_contact = slow_add  # type: ignore[method-assign]
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "n", *chars("Bob"), "tab", *chars("4155550178"), "ctrl+s", "n")
        for _ in range(20):
            await pilot.pause()
        assert app.main.editor.contact is None and app.main.editor.current().name == ""
        release.set()  # the save ends while the new form is still empty
        await settle(app, pilot)
        burst(app, *chars("Cy"), "tab", *chars("4155550179"))
        await settle(app, pilot)
        editor = app.main.editor
        assert editor.contact is None, "the saved contact was loaded over the new form"
        assert (editor.current().name, editor.current().phone) == ("Cy", "4155550179")
        assert store.find("+14155550178").name == "Bob"
