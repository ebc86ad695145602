"""Pilot tests of the editor: add, edit, validation, opt-out, lists, unsaved-changes prompt."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, SelectionList

from store import Store
from tui.app import ContactsApp
from tui.screens import ContactsScreen
from tui.screens import UnsavedChangesDialog

from .main_support import list_names, open_db, screen_text, settle, write_db


def field(app, name: str) -> Input:
    return app.main.editor.query_one(f"#{name}", Input)


async def test_add_contact_with_n_and_ctrl_s(db_path):
    store = Store.open(db_path, user="alice")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Press n to add a contact," in screen_text(app)
        assert "i to import a CSV." in screen_text(app)
        await pilot.press("n")
        assert app.focused is field(app, "name")
        await pilot.press(*"Ann Lee", "tab", *"(415) 555-0132", "tab", *"ann@example.com")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert [c.name for c in store.contacts()] == ["Ann Lee"]
        added = store.contacts()[0]
        assert (added.phone, added.email) == ("+14155550132", "ann@example.com")
        assert list_names(app) == ["Ann Lee"]
        assert app.main.editor.contact_id == added.id
        assert "Update Contact Details" in screen_text(app)
        # the file on disk has it too, for any other process
        assert Store.open(db_path, user="bob").count() == 1


async def test_add_contact_button_in_new_mode(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#new-contact")
        assert "Add Contact" in screen_text(app)
        field(app, "name").value = "Eve Park"
        field(app, "phone").value = "+1 646 555 0111"
        await pilot.click("#save")
        await settle(app, pilot)
        assert store.find("+16465550111").name == "Eve Park"


async def test_edit_contact_updates_file_and_list(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.main.editor.contact.name == "Ann Lee"  # first row is loaded
        await pilot.press("enter")
        assert app.focused is field(app, "name")
        field(app, "name").value = "Zoe Lee"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.find("+14155550132").name == "Zoe Lee"
        assert list_names(app)[-1] == "Zoe Lee"
        # the cursor followed the contact to its new place
        assert app.main.contact_list.highlighted_id == store.find("+14155550132").id
        assert not app.main.editor.is_dirty


async def test_validation_errors_shown_next_to_fields_and_nothing_saved(db_path, unchanged):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        field(app, "phone").value = "12"
        field(app, "email").value = "not-an-email"
        with unchanged():
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        editor = app.main.editor
        assert editor.error_text("name") == "Full Name is required"
        assert "Phone '12'" in editor.error_text("phone")
        assert "Email 'not-an-email' is not valid" in editor.error_text("email")
        assert store.count() == len(list_names(app)) == 4
        text = screen_text(app)
        assert "Full Name is required" in text
        assert app.focused is field(app, "name")  # first bad field


async def test_duplicate_phone_is_refused_next_to_phone(db_path, unchanged):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        field(app, "name").value = "Copy Cat"
        field(app, "phone").value = "415.555.0132"
        with unchanged():
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        assert app.main.editor.error_text("phone") == "Phone +14155550132 already belongs to Ann Lee"
        assert app.main.editor.error_text("name") == ""


async def test_opt_out_by_hand_then_box_cannot_be_cleared(db_path, unchanged):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        ann = app.main.editor.contact
        box = app.main.editor.query_one("#opted-out", Checkbox)
        box.value = True
        await pilot.pause()
        note = str(app.main.editor.query_one("#opted-out-note").render())
        assert "Stays opted out until they reply START, UNSTOP, OPTIN or SUBSCRIBE" in note
        assert "SUBSCRIBE." in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.get(ann.id).opted_out
        assert store.get(ann.id).history[-1]["source"] == "manual"
        assert "⊘" in screen_text(app).splitlines()[3]  # Ann's row shows the mark
        # Trying to clear it: the box refuses and says why; nothing to save.
        with unchanged():
            box.value = False
            await pilot.pause()
            await pilot.pause()
            assert box.value is True
            assert "Only their own reply (START, UNSTOP, OPTIN or SUBSCRIBE)" in app.main.editor.error_text("opted_out")
            assert not app.main.editor.is_dirty
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        assert store.get(ann.id).opted_out


async def test_list_memberships_are_shown_and_saved(db_path):
    store = open_db(db_path, lists=["Newsletter", "VIP"])
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        ann = app.main.editor.contact
        selection = app.main.editor.query_one("#lists", SelectionList)
        prompts = lambda: [str(selection.get_option_at_index(i).prompt) for i in range(selection.option_count)]  # noqa: E731
        assert prompts() == ["  Newsletter", "  VIP"]
        vip = store.get_list("VIP").id
        selection.select(vip)
        await pilot.pause()
        assert prompts() == ["  Newsletter", "✓ VIP"]  # ticked in words too, not only in colour
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.get(ann.id).lists == (vip,)
        # shown again when the contact is loaded back
        await pilot.press("j", "k")
        await pilot.pause()
        assert app.main.editor.contact_id == ann.id
        assert selection.selected == [vip]
        selection.deselect(vip)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.get(ann.id).lists == ()


async def test_unsaved_edits_prompt_when_moving_away(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        ann = app.main.editor.contact
        field(app, "name").value = "Ann Changed"
        await pilot.pause()
        # moving in the list asks first; cancel keeps the edits and the cursor on Ann
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.main.editor.contact_id == ann.id
        assert field(app, "name").value == "Ann Changed"
        assert app.main.contact_list.highlighted_id == ann.id
        # n asks too; discard drops the edits and opens a new form
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.click("#discard")
        await pilot.pause()
        assert app.main.editor.contact is None
        assert store.get(ann.id).name == "Ann Lee"


async def test_unsaved_prompt_save_then_moves_on(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        ann = app.main.editor.contact
        field(app, "email").value = "ann@new.example.com"
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.click("#save")
        await settle(app, pilot)
        assert store.get(ann.id).email == "ann@new.example.com"
        assert app.main.editor.contact.name == "Bob Stone"


async def test_escape_in_editor_asks_before_dropping_edits(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"xyz")
        assert field(app, "name").value == "Ann Leexyz"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("d")  # discard
        await pilot.pause()
        assert field(app, "name").value == "Ann Lee"
        assert app.focused is app.main.contact_list


async def test_letter_keys_type_into_fields(db_path):
    """n, d, a, j, k... are text inside an Input, not commands."""
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"dank jail", "tab", *"/,i")
        assert field(app, "name").value == "dank jail"
        assert field(app, "phone").value == "/,i"
        assert app.screen is app.main
        assert store.count() == 4


async def test_outside_change_refreshes_list_and_keeps_unsaved_text(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j")  # on Bob
        bob = app.main.editor.contact
        field(app, "email").value = "typing@not-saved.example"
        await pilot.pause()
        other = Store.open(db_path, user="bob")
        other.add_contact("Aaron Abbot", "+1 312 555 0100")
        other.update_contact(bob.id, name="Bob Stoner")
        await pilot.pause(1.5)  # the 1 s timer notices
        await pilot.pause()
        assert list_names(app)[0] == "Aaron Abbot"
        assert "Aaron Abbot" in screen_text(app)
        assert app.main.contact_list.highlighted_id == bob.id  # the place is kept
        assert field(app, "email").value == "typing@not-saved.example"  # so are the edits
        assert app.main.editor.is_dirty


async def test_outside_change_reloads_clean_editor(db_path):
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        ann = app.main.editor.contact
        Store.open(db_path, user="bob").update_contact(ann.id, email="ann@elsewhere.example")
        app.check_disk()
        await pilot.pause()
        assert field(app, "email").value == "ann@elsewhere.example"
        assert not app.main.editor.is_dirty


async def test_the_next_form_can_start_while_a_save_runs(db_path, monkeypatch):
    import threading

    store = open_db(db_path)
    release = threading.Event()
    original = store.add_contact

    def slow_add(*args, **kwargs):
        release.wait(5)
        return original(*args, **kwargs)

    monkeypatch.setattr(store, "add_contact", slow_add)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"Eve", "tab", *"646 555 0111", "ctrl+s")
        await pilot.pause()
        assert app.check_action("save", ()) is None  # one save at a time
        assert app.main.contact_list.has_focus  # ctrl+s hands the keys back to the list at once
        await pilot.press("n", *"Fay", "tab", *"646 555 0112")  # not blocked, and no "unsaved?" prompt
        assert isinstance(app.screen, ContactsScreen)
        release.set()
        await settle(app, pilot)
        eve = store.find("+16465550111")
        assert eve.name == "Eve"
        assert app.main.editor.contact is None  # still the new form...
        assert field(app, "name").value == "Fay"  # ...with what was typed since
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.count() == 6 and store.find("+16465550112").name == "Fay"


async def test_a_save_refused_after_moving_on_is_reported_not_pinned_on_the_new_form(db_path, monkeypatch):
    import threading

    from store import ValidationError

    store = open_db(db_path)
    release = threading.Event()

    def refused_add(*args, **kwargs):
        release.wait(5)
        raise ValidationError.single("phone", "Phone +16465550111 already belongs to someone")

    monkeypatch.setattr(store, "add_contact", refused_add)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"Eve", "tab", *"646 555 0111", "ctrl+s", "n", *"Fay")
        release.set()
        await settle(app, pilot)
        assert field(app, "name").value == "Fay"
        assert app.main.editor.error_text("phone") == ""
        assert any("already belongs" in str(n.message) for n in app._notifications)


async def test_a_refresh_while_typing_keeps_the_cursor_where_it_was(db_path):
    """Another process saves while the user types: the next key must land after the last one."""
    store = open_db(db_path)
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"Bo")
        Store.open(db_path, user="bob").add_list("Colleague's list")  # someone else writes
        app.check_disk()
        await pilot.press(*"b Lee")
        await settle(app, pilot)
        assert field(app, "name").value == "Bob Lee"
