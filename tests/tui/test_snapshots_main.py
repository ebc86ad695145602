"""Snapshots of the main screen at 80x24: empty, with contacts, with validation errors.

Data is written with fixed timestamps and the file is always named contacts.json, so the
pictures only change when the screen does. Update them with ``pytest --snapshot-update``
after checking the new pictures by eye.
"""

from __future__ import annotations

from textual.widgets import Input

from store import Store
from tui.app import ContactsApp

from .main_support import write_db


async def no_blink(pilot) -> None:
    for widget in pilot.app.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def test_empty_state(db_path, snap_compare):
    app = ContactsApp(Store.open(db_path, user="alice"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=no_blink)


def test_contacts_with_one_selected(db_path, snap_compare):
    write_db(
        db_path,
        extra={
            1: {"opted_out": True, "consent": "declined", "consent_changed_at": "2024-03-02T08:30:00Z"},
            2: {"consent": "confirmed", "consent_changed_at": "2024-03-03T09:00:00Z", "lists": [1]},
            3: {"consent": "sent", "consent_changed_at": "2024-03-04T10:00:00Z"},
        },
        lists=["VIP", "Newsletter"],
    )
    app = ContactsApp(Store.open(db_path, user="alice"))

    async def select_chloe(pilot) -> None:
        await pilot.press("j", "j")
        await no_blink(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=select_chloe)


def test_validation_errors(db_path, snap_compare):
    write_db(db_path)
    app = ContactsApp(Store.open(db_path, user="alice"))

    async def bad_new_contact(pilot) -> None:
        await pilot.press("n", "tab", *"555 01", "tab", *"ann@", "ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await no_blink(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=bad_new_contact)
