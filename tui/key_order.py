"""Keys are handled one at a time, in the order typed, even when several arrive in one read.

Textual hands a key to the focused widget's queue and goes straight on to the next key. A key the
widget doesn't handle itself (Backspace, Home, ctrl+k in an Input; Tab) bubbles up and reaches the
bindings only when it gets back to the App's queue: behind the keys that arrived with it. So when a
slow SSH link delivers "abcdef<BS><BS>XY" in one read, XY are typed before the Backspaces run, and
letters after a Tab land in the old field. A bare Textual app does the same (reproduced with three
Inputs and tmux send-keys).

``InOrderKeys`` makes the App a turnstile: a key (or a paste) that arrives while another is still
being handled waits in a queue of our own, and goes through only once the one before it has been
dealt with completely:

1. the widget it was sent to and every widget it bubbled through have handled it
   (``call_later`` on each of them in turn runs after what was queued there before);
2. the App has run the bindings for it if it bubbled that far (an App ``call_later``);
3. what the key set off (an Input's Changed, a focus change, a menu choice that dismisses one
   screen and pushes another) has been processed and drawn: ``call_after_refresh`` again and
   again until the screens and the focus are the same before and after a refresh.

Typing at human speed nothing waits: a key that arrives with none in flight goes through at once.
A time limit means a key whose handling never settles slows the next key down, never loses it.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Callable

from textual import events
from textual.dom import DOMNode

# The longest one key may hold up the next (an action that never lets the screen settle).
KEY_TIME_LIMIT_SECONDS = 1.0
MAX_SETTLE_ROUNDS = 8  # refreshes to wait for the screens and focus to stop changing
LOST_REFRESH_SECONDS = 0.1


class InOrderKeys:
    """App mixin (put it before ``App`` in the bases); call ``init_key_order()`` in ``__init__``."""

    def init_key_order(self) -> None:
        self._keys_waiting: deque[events.Key | events.Paste] = deque()
        self._key_in_flight: object | None = None  # a token for the key being handled
        self._settle_round: object | None = None
        self.keys_let_through_by_time_limit = 0  # a key that never settled (counted for tests)

    @property
    def keys_waiting(self) -> int:
        """Keys (and pastes) received but not yet handled, the one in flight included."""
        return len(self._keys_waiting) + (self._key_in_flight is not None)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._keys_waiting.extend(self._as_typed(event))
            if self._key_in_flight is None:
                await self._handle_next_key()
            return
        await super().on_event(event)  # type: ignore[misc]

    def _as_typed(self, event: events.Key | events.Paste) -> list[events.Key | events.Paste]:
        """Escape then a key can reach the app as one alt+key (a terminal sends Alt+a as ESC a).
        Within one read the input guard (tui/paste_driver.py) already sends such an Escape as its
        own key; this covers an ESC ending one read with the key starting the next. Where the app
        has no alt+ binding for it, it was the two keys typed."""
        if not isinstance(event, events.Key) or not event.key.startswith("alt+"):
            return [event]
        app: Any = self
        if event.key in app.screen.active_bindings:
            return [event]  # alt+backspace in a field: a key of its own
        return [events.Key("escape", "\x1b"), events.Key(event.key.removeprefix("alt+"), event.character)]

    async def _handle_next_key(self) -> None:
        if self._key_in_flight is not None or not self._keys_waiting:
            return
        event = self._keys_waiting.popleft()
        token = self._key_in_flight = object()
        app: Any = self
        target = app.focused or app.screen
        self.set_timer(KEY_TIME_LIMIT_SECONDS, lambda: self._key_done(token, timed_out=True))  # type: ignore[attr-defined]
        await super().on_event(event)  # type: ignore[misc]  # Textual: priority bindings, or forward
        if event.is_forwarded:
            self._after_each(self._bubble_path(target), lambda: self._after_app(token))
        else:
            self._after_app(token)

    def _bubble_path(self, target: DOMNode) -> list[DOMNode]:
        """The widget a key was sent to, and the ones it bubbles through up to the screen."""
        path: list[DOMNode] = []
        node: Any = target
        while isinstance(node, DOMNode) and node is not self:
            path.append(node)
            node = node.parent
        return path

    def _after_each(self, path: list[DOMNode], then: Callable[[], None]) -> None:
        """Run ``then`` once every node in ``path`` has handled what was queued before it."""
        if not path:
            then()
            return
        node, rest = path[0], path[1:]
        if not node.call_later(self._after_each, rest, then):
            self._after_each(rest, then)  # the node is closing: nothing more will happen there

    def _after_app(self, token: object) -> None:
        # Queued on the App behind the key itself if it bubbled here.
        self.call_later(self._settle, token, None, 0)  # type: ignore[attr-defined]

    def _settle(self, token: object, before: tuple | None, rounds: int) -> None:
        """Wait for what the key set off (messages, focus, screens pushed or dismissed) to be
        processed and drawn: a refresh at a time, until one passes with nothing changed."""
        if self._key_in_flight is not token:
            return
        now = self._where_keys_go()
        if now == before or rounds >= MAX_SETTLE_ROUNDS:
            self._key_done(token)
            return
        app: Any = self
        this_round = self._settle_round = object()

        def next_round() -> None:
            if self._settle_round is this_round:  # once per round, whichever way it ends
                self._settle(token, now, rounds + 1)

        def refreshed() -> None:
            # A screen dismissed before it refreshed never runs what waits for it: look again.
            screen = app.screen
            app.call_after_refresh(next_round)
            self.set_timer(LOST_REFRESH_SECONDS, lambda: screen in app.screen_stack or next_round())  # type: ignore[attr-defined]

        # Messages the key set off wait in the queues of the focused widget and its parents
        # (a menu's OptionSelected, an Input's Changed): let them through, then the App's, then draw.
        self._after_each(self._bubble_path(app.focused or app.screen), lambda: app.call_later(refreshed))

    def _where_keys_go(self) -> tuple:
        """What decides where the next key goes: the screens and the focused widget."""
        app: Any = self
        return (*map(id, app.screen_stack), id(app.focused))

    def _key_done(self, token: object, timed_out: bool = False) -> None:
        if self._key_in_flight is not token:
            return  # already done (the time limit, or the other way round)
        self.keys_let_through_by_time_limit += timed_out
        self._key_in_flight = None
        if self._keys_waiting:
            self.call_later(self._handle_next_key)  # type: ignore[attr-defined]
