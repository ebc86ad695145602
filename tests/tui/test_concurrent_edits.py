"""Two people on one file: the app saves only what its user changed (issue 12, item 1).

``other`` is a second Store on the same file: another process (the command line, a colleague's
app). The app notices its writes with ``check_disk`` (what its 1 s timer calls).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, SelectionList

from store import Store
from tui.app import ContactsApp
from tui.screens import ConfirmDialog, ConflictDialog, ContactDeletedDialog

from .main_support import open_db, screen_text, settle

ALICE = [("Alice", "+12125550101", "old@example.com")]
ALICE_ID = 1
VIP, TEAM = 1, 2


def field(app, name: str) -> Input:
    return app.main.editor.query_one(f"#{name}", Input)


def lists_box(app) -> SelectionList:
    return app.main.editor.query_one("#lists", SelectionList)


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def app(db_path):
    return ContactsApp(open_db(db_path, contacts=ALICE, lists=("VIP", "Team")))


@pytest.fixture
def other(app, db_path):
    return Store.open(db_path, user="bob")


def stored(db_path):
    return Store.open(db_path, user="carol").get(ALICE_ID)


async def refresh(app, pilot) -> None:
    app.check_disk()
    await pilot.pause()


async def test_the_issues_repro_email_changed_elsewhere_is_kept(app, other, db_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "x")  # Enter on Alice, type x in the name, don't save
        assert field(app, "name").value == "Alicex"
        other.update_contact(ALICE_ID, email="new@example.com")
        await refresh(app, pilot)
        assert field(app, "email").value == "new@example.com"  # a field the user did not touch follows
        assert field(app, "name").value == "Alicex"  # the typed one stays
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = stored(db_path)
        assert (saved.name, saved.email) == ("Alicex", "new@example.com")
        assert not app.main.editor.is_dirty


async def test_phone_changed_elsewhere_is_kept(app, other, db_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "x")
        other.update_contact(ALICE_ID, phone="+12125550199")
        await refresh(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = stored(db_path)
        assert (saved.name, saved.phone) == ("Alicex", "+12125550199")


async def test_list_added_elsewhere_is_kept_and_the_users_toggle_applies(app, other, db_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        lists_box(app).select(TEAM)  # the user ticks Team
        await pilot.pause()
        other.update_contact(ALICE_ID, lists=[VIP])  # someone else adds her to VIP
        await refresh(app, pilot)
        assert set(lists_box(app).selected) == {VIP, TEAM}
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert set(stored(db_path).lists) == {VIP, TEAM}


async def test_list_removed_elsewhere_stays_removed(app, other, db_path):
    Store.open(db_path, user="alice").update_contact(ALICE_ID, lists=[VIP, TEAM])
    app.store.refresh()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "x")  # the user edits the name only
        other.update_contact(ALICE_ID, lists=[TEAM])  # someone else takes her off VIP
        await refresh(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = stored(db_path)
        assert (saved.name, list(saved.lists)) == ("Alicex", [TEAM])


async def test_a_change_saved_before_the_refresh_is_not_reverted_either(app, other, db_path):
    """The save can come before the timer noticed the other write: the store compares anyway."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "x")
        other.update_contact(ALICE_ID, email="new@example.com")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = stored(db_path)
        assert (saved.name, saved.email) == ("Alicex", "new@example.com")


async def edit_email_into_conflict(app, other, pilot) -> ConflictDialog:
    await pilot.press("enter", "x", "tab", "tab", "end", *"-mine")  # name Alicex, email ...com-mine
    assert field(app, "email").value == "old@example.com-mine"
    field(app, "email").value = "mine@example.com"
    other.update_contact(ALICE_ID, email="theirs@example.com")
    await refresh(app, pilot)
    assert field(app, "email").value == "mine@example.com"  # the user's text is never replaced
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert isinstance(app.screen, ConflictDialog)
    return app.screen


async def test_same_field_changed_by_both_asks_and_theirs_keeps_theirs(app, other, db_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await edit_email_into_conflict(app, other, pilot)
        text = screen_text(app)
        assert "theirs: theirs@example.com" in text and "yours: mine@example.com" in text
        assert stored(db_path).email == "theirs@example.com"  # nothing written yet
        await pilot.press("t", "enter")
        await settle(app, pilot)
        saved = stored(db_path)
        assert (saved.name, saved.email) == ("Alicex", "theirs@example.com")
        assert field(app, "email").value == "theirs@example.com"
        assert not app.main.editor.is_dirty


async def test_same_field_changed_by_both_and_yours_keeps_yours(app, other, db_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await edit_email_into_conflict(app, other, pilot)
        await pilot.press("t", "y", "enter")  # changing one's mind: the last pick counts
        await settle(app, pilot)
        saved = stored(db_path)
        assert (saved.name, saved.email) == ("Alicex", "mine@example.com")


async def test_escape_goes_back_to_editing_with_nothing_saved(app, other, db_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await edit_email_into_conflict(app, other, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.main
        assert field(app, "email").value == "mine@example.com"
        assert field(app, "name").value == "Alicex"
        assert stored(db_path).name == "Alice"


async def test_the_conflict_dialogs_keys_are_in_its_help(app, other):
    async with app.run_test(size=(80, 24)) as pilot:
        await edit_email_into_conflict(app, other, pilot)
        await pilot.press("f1")
        help_text = app.screen.plain_text()
        for expected in ("t  Theirs", "y  Yours", "Save", "esc  Back"):
            assert expected in help_text, help_text


async def test_saving_a_contact_deleted_elsewhere_says_so_and_can_add_it_again(app, other, db_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "x")
        other.delete_contact(ALICE_ID)
        await refresh(app, pilot)
        assert field(app, "name").value == "Alicex"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactDeletedDialog)
        assert "deleted by someone else" in screen_text(app)
        assert Store.open(db_path, user="carol").count() == 0  # not recreated silently
        await pilot.press("a")
        await settle(app, pilot)
        again = Store.open(db_path, user="carol").find("+12125550101")
        assert (again.name, again.email) == ("Alicex", "old@example.com")
        assert app.main.editor.contact_id == again.id


async def test_saving_a_contact_deleted_elsewhere_can_be_discarded(app, other, db_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "x")
        other.delete_contact(ALICE_ID)
        await pilot.press("ctrl+s")  # before the refresh noticed
        await settle(app, pilot)
        assert isinstance(app.screen, ContactDeletedDialog)
        await pilot.press("f1")
        help_text = app.screen.plain_text()
        for expected in ("a  Add again", "d  Discard", "esc  Back"):
            assert expected in help_text, help_text
        await pilot.press("escape")
        await pilot.press("d")
        await settle(app, pilot)
        assert app.screen is app.main
        assert not app.main.editor.is_dirty
        assert Store.open(db_path, user="carol").count() == 0


async def test_delete_confirmation_says_the_contact_changed_since_it_was_opened(app, other, db_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        other.update_contact(ALICE_ID, email="new@example.com")
        await refresh(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        message = str(app.screen.query_one("#confirm-message").render()).splitlines()
        assert message[-2:] == ["It changed since you opened it:", "  Email: old@example.com → new@example.com"]
        await pilot.press("y")
        await settle(app, pilot)
        assert Store.open(db_path, user="carol").count() == 0


async def test_delete_asks_again_when_the_contact_changes_while_the_confirmation_is_open(app, other, db_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert "changed since" not in " ".join(screen_text(app).split())
        other.update_contact(ALICE_ID, name="Alice Changed")
        await pilot.press("y")
        await settle(app, pilot)
        assert Store.open(db_path, user="carol").count() == 1  # not deleted on stale values
        assert isinstance(app.screen, ConfirmDialog)
        assert "Alice Changed" in " ".join(screen_text(app).split())
        await pilot.press("y")
        await settle(app, pilot)
        assert Store.open(db_path, user="carol").count() == 0


async def test_a_click_on_a_value_picks_it(app, other, db_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await edit_email_into_conflict(app, other, pilot)
        await pilot.click("#choice-email", offset=(4, 1))  # the "theirs" line
        await pilot.press("enter")
        await settle(app, pilot)
        assert stored(db_path).email == "theirs@example.com"


async def test_t_tab_y_tab_t_picks_for_each_field_in_turn(app, other, db_path):
    """The hint says t/y pick for the highlighted field and Tab moves on: t Tab y Tab t Enter is
    theirs, yours, theirs (a pick that also moved on made Tab skip a field: their phone was lost)."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        field(app, "name").value = "Mine Name"
        field(app, "phone").value = "212 555 0102"
        field(app, "email").value = "mine@example.com"
        other.update_contact(ALICE_ID, name="Their Name", phone="+12125550198", email="theirs@example.com")
        await refresh(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        order = [c.conflict.field for c in app.screen.choices]
        assert sorted(order) == ["email", "name", "phone"]
        await pilot.press("t", "tab", "y", "tab", "t", "enter")
        await settle(app, pilot)
        saved = stored(db_path)
        theirs = {"name": "Their Name", "phone": "+12125550198", "email": "theirs@example.com"}
        yours = {"name": "Mine Name", "phone": "+12125550102", "email": "mine@example.com"}
        picked = dict(zip(order, (theirs, yours, theirs)))
        assert {"name": saved.name, "phone": saved.phone, "email": saved.email} == {f: picked[f][f] for f in order}
