"""Snapshots at 60x20 and 200x50 (80x24 is in test_snapshots_main.py): the list and the editor
taking turns at 60 columns, the help, Settings. Update with ``pytest --snapshot-update`` after
checking the new pictures by eye."""

from __future__ import annotations

import pytest

from store import Store
from tui.app import ContactsApp

from .main_support import write_db
from .test_snapshots_main import no_blink

EXTRA = {1: {"opted_out": True, "consent": "declined", "consent_changed_at": "2024-03-02T08:30:00Z"}}


@pytest.mark.parametrize("size", [(60, 20), (200, 50)])
def test_main_screen(db_path, snap_compare, size):
    write_db(db_path, extra=EXTRA)
    app = ContactsApp(Store.open(db_path, user="alice"))
    assert snap_compare(app, terminal_size=size, run_before=no_blink)


@pytest.mark.parametrize(
    ("name", "keys"), [("editor", ("j", "enter")), ("help", ("question_mark",)), ("settings", ("comma",))]
)
def test_narrow(db_path, snap_compare, name, keys):
    write_db(db_path, extra=EXTRA)
    app = ContactsApp(Store.open(db_path, user="alice"))

    assert snap_compare(app, terminal_size=(60, 20), press=list(keys), run_before=no_blink)
