"""Helpers for the contacts-screen tests: data files written directly, and app drivers.

Data is written straight into the JSON file (fixed timestamps, no validation), which keeps
snapshots stable, makes 20,000 contacts quick, and lets a test plant text the store would refuse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from store import Store
from store.model import CONTACTS, LISTS, META, empty_document, new_contact_doc

FIXED = "2024-03-01T12:00:00Z"

SAMPLE = [
    ("Ann Lee", "+14155550132", "ann@example.com"),
    ("Bob Stone", "+442079460958", None),
    ("Chloé Martin", "+33142685300", "chloe@example.fr"),
    ("Dan Wu", "+12125550199", "dan@example.com"),
]


def write_db(
    path: Path,
    contacts: Iterable[tuple[str, str, str | None]] = SAMPLE,
    *,
    lists: Iterable[str] = (),
    extra: dict[int, dict[str, Any]] | None = None,
    user: str = "alice",
) -> Path:
    """A data file holding ``contacts`` (name, E.164 phone, email) and ``lists`` (names).

    ``extra`` maps a contact's position (0-based) to fields to override in its document.
    """
    doc = empty_document(user)
    for number, (name, phone, email) in enumerate(contacts, start=1):
        contact = new_contact_doc(name, phone, email, [], FIXED)
        contact.update((extra or {}).get(number - 1, {}))
        doc[CONTACTS][str(number)] = contact
    for number, name in enumerate(lists, start=1):
        doc[LISTS][str(number)] = {"name": name, "created_at": FIXED}
    doc[META]["1"]["next_ids"] = {CONTACTS: len(doc[CONTACTS]) + 1, LISTS: len(doc[LISTS]) + 1, "users": 2}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def open_db(path: Path, **kwargs: Any) -> Store:
    write_db(path, **kwargs)
    return Store.open(path, user="alice")


async def settle(app, pilot) -> None:
    """Wait for save workers, the messages they send back, and any writes queued behind them."""
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        if not getattr(app, "busy", False) and not any(w.is_running for w in app.workers):
            return
    raise AssertionError("the app's writes did not finish")


def screen_text(app) -> str:
    """Everything on screen as plain text, line by line (what a person reads)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def list_names(app) -> list[str]:
    """Names of the contacts the list shows, in order."""
    store = app.store
    return [store.get(cid).name for cid in app.main.contact_list.ids]


def text_of(screen, selector: str) -> str:
    """The text a Static shows."""
    from textual.widgets import Static

    return str(screen.query_one(selector, Static).render())


async def open_settings(app, pilot):
    """Press , and return the Settings screen it opened."""
    from tui.screens import SettingsScreen

    await pilot.press("comma")
    await pilot.pause()
    assert isinstance(app.screen, SettingsScreen)
    return app.screen
