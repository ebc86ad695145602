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
3. what the key set off (an Input's Changed, a focus change, a screen pushed) has been processed
   and the screen refreshed (``call_after_refresh``).

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


class InOrderKeys:
    """App mixin (put it before ``App`` in the bases); call ``init_key_order()`` in ``__init__``."""

    def init_key_order(self) -> None:
        self._keys_waiting: deque[events.Key | events.Paste] = deque()
        self._key_in_flight: object | None = None  # a token for the key being handled
        self.keys_let_through_by_time_limit = 0  # a key that never settled (counted for tests)

    @property
    def keys_waiting(self) -> int:
        """Keys (and pastes) received but not yet handled, the one in flight included."""
        return len(self._keys_waiting) + (self._key_in_flight is not None)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._keys_waiting.append(event)
            if self._key_in_flight is None:
                await self._handle_next_key()
            return
        await super().on_event(event)  # type: ignore[misc]

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
        # Queued on the App behind the key itself if it bubbled here; then wait for what the key
        # set off (messages, focus, a new screen) to be processed and drawn.
        self.call_later(  # type: ignore[attr-defined]
            lambda: self.call_after_refresh(self._key_done, token)  # type: ignore[attr-defined]
        )

    def _key_done(self, token: object, timed_out: bool = False) -> None:
        if self._key_in_flight is not token:
            return  # already done (the time limit, or the other way round)
        self.keys_let_through_by_time_limit += timed_out
        self._key_in_flight = None
        if self._keys_waiting:
            self.call_later(self._handle_next_key)  # type: ignore[attr-defined]
