"""Property: keys delivered in one read give exactly the result of the same keys typed slowly.

Over a slow SSH link a terminal delivers several keys in one read, and the driver posts them all
to the App before any is handled. Hypothesis generates key sequences from the keys people use in
the app (text, editing keys, focus keys, Enter, Escape, ctrl+s, the single-letter actions), feeds
each once as one burst and once key by key (waiting until each is fully handled), and compares
what was saved and what the screen shows.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.widgets import Checkbox, Input

from store import Store
from tui.app import ContactsApp

from .main_support import settle, write_db

CHARACTER_NAMES = {" ": "space", "/": "slash", ",": "comma", "?": "question_mark", "@": "at", ".": "full_stop"}
TEXT = list("abxyz AB019@.")
EDITING = ["backspace", "delete", "home", "end", "left", "right", "ctrl+a", "ctrl+e", "ctrl+k", "ctrl+u", "ctrl+w"]
MOVING = ["tab", "shift+tab", "up", "down", "enter", "escape"]
# n new, / find, a Actions menu, d delete (asks), y yes in a dialog, r reply, m consent sent, l lists,
# i import, ? and f1 help, q closes help
ACTIONS = ["n", "slash", "ctrl+s", "a", "d", "y", "r", "m", "l", "i", "question_mark", "f1", "q"]

KEY = st.one_of(
    st.sampled_from(TEXT).map(lambda c: ("char", c)),
    st.sampled_from(EDITING + MOVING + ACTIONS).map(lambda k: ("key", k)),
    st.sampled_from(["Zoë Lee", "415 555 0100", "x@y.z"]).map(lambda t: ("paste", t)),
)


def key_event(kind: str, value: str) -> events.Key | events.Paste:
    if kind == "paste":
        return events.Paste(value)
    if kind == "char":
        return events.Key(CHARACTER_NAMES.get(value, value), value)
    character = {"tab": "\t", "enter": "\r", "escape": "\x1b", "space": " ", "slash": "/", "question_mark": "?"}.get(value)
    if len(value) == 1:
        character = value
    return events.Key(value, character)


def observed(app: ContactsApp, store: Store) -> dict:
    """What a person could check afterwards: the saved contacts and what the screen holds."""
    store.refresh()
    saved = sorted(
        (contact.name, contact.phone, contact.email, contact.opted_out) for contact in store.contacts()
    )
    screen = app.screen
    fields = {
        widget.id: widget.value
        for widget in screen.query("Input, Checkbox")
        if isinstance(widget, (Input, Checkbox)) and widget.id
    }
    focused = app.focused
    return {
        "saved": saved,
        "screen": type(screen).__name__,
        "fields": fields,
        "focused": (type(focused).__name__, focused.id) if focused else None,
        "editing": app.main.editor.contact.id if app.main.editor.contact else None,
        "highlighted": app.main.contact_list.highlighted_id,
    }


async def run_keys(db: Path, keys: list[tuple[str, str]], *, burst: bool) -> dict:
    store = Store.open(db, user="alice")
    app = ContactsApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        if burst:
            for kind, value in keys:
                app.post_message(key_event(kind, value))
        else:
            for kind, value in keys:
                app.post_message(key_event(kind, value))
                await settle(app, pilot)
                await pilot.pause(0.05)
        await settle(app, pilot)
        await pilot.pause(0.1)
        await settle(app, pilot)
        assert app.keys_waiting == 0
        assert app.keys_let_through_by_time_limit == 0, "a key went through on the time limit, not in order"
        return observed(app, store)


def outcome(keys: list[tuple[str, str]], *, burst: bool) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        db = write_db(Path(folder) / "contacts.json", SAMPLE_CONTACTS)
        return asyncio.run(run_keys(db, keys, burst=burst))


SAMPLE_CONTACTS = [("Ann Lee", "+14155550132", "ann@example.com"), ("Bob Stone", "+442079460958", None)]


# KEY_BURST_EXAMPLES=300 for a longer hunt than CI's.
@settings(max_examples=int(os.environ.get("KEY_BURST_EXAMPLES", 30)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(KEY, min_size=1, max_size=25))
def test_a_burst_of_keys_gives_what_the_same_keys_typed_slowly_give(keys):
    assert outcome(keys, burst=True) == outcome(keys, burst=False)


def test_the_issue_s_bursts_give_what_slow_typing_gives():
    """The sequences reported from tmux: editing keys, Home, and ctrl+a ctrl+k after a Tab."""
    chars = lambda text: [("char", c) for c in text]  # noqa: E731
    key = lambda name: ("key", name)  # noqa: E731
    sequences = [
        [key("n"), *chars("abcdef"), key("backspace"), key("backspace"), *chars("XY"), key("tab"),
         *chars("4155550123"), key("ctrl+s")],
        [key("n"), *chars("bcd"), key("home"), *chars("a"), key("tab"), *chars("4155550124"), key("ctrl+s")],
        [key("n"), *chars("Zed"), key("tab"), key("ctrl+a"), key("ctrl+k"), *chars("4155550125"), key("tab"),
         *chars("z@x.com"), key("ctrl+s")],
    ]
    for keys in sequences:
        burst = outcome(keys, burst=True)
        assert burst == outcome(keys, burst=False)
        assert burst["saved"] != sorted(
            (n, p, e, False) for n, p, e in SAMPLE_CONTACTS
        ), "the burst saved nothing"
    names = {row[0] for row in outcome(sequences[0], burst=True)["saved"]}
    assert "abcdXY" in names
