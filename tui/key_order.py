"""Keys are handled in the order they were typed, even when several arrive in one read.

Textual posts each key to the focused widget's message queue and returns at once, so when keys
arrive together (a fast typist or a paste over a slow SSH link: "Ann<Tab>415<ctrl+s>") the next
key is dispatched before the previous one was handled: characters after a Tab land in the old
field, and a ctrl+s handled by the App can overtake the characters typed before it.

``InOrderKeys`` puts a barrier in front of every key: before dispatching a key, the App waits until
the previous key was handled by the widget it went to and by the widgets it bubbled through (a
callback posted to each queue runs only after everything queued before it). Typing at human speed
the queues are already empty and the wait is a few event-loop turns. A time limit means a widget
that never answers can slow keys down, never lose them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual import events
from textual.dom import DOMNode
from textual.message_pump import MessagePump

BARRIER_TIMEOUT_SECONDS = 0.5
MAX_ROUNDS = 4


class InOrderKeys:
    """App mixin (put it before ``App`` in the bases)."""

    _last_key_target: MessagePump | None = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self._previous_key_handled()
            target = self.focused or self.screen  # type: ignore[attr-defined]
            await super().on_event(event)  # type: ignore[misc]
            self._last_key_target = target if event.is_forwarded else None
            return
        await super().on_event(event)  # type: ignore[misc]

    async def _previous_key_handled(self) -> None:
        target: Any = self._last_key_target
        self._last_key_target = None
        chain = []
        while isinstance(target, DOMNode) and target is not self:
            chain.append(target)
            target = target.parent
        # Handling a key can post more messages (an Input's Changed, which enables a button):
        # go round again while any queue on the way still holds something.
        for _ in range(MAX_ROUNDS):
            for node in chain:
                if not node.is_attached or not node.is_running:
                    return
                handled = asyncio.Event()
                node.call_later(handled.set)
                try:
                    await asyncio.wait_for(handled.wait(), BARRIER_TIMEOUT_SECONDS)
                except asyncio.TimeoutError:
                    return
            if not any(node._message_queue.qsize() for node in chain):
                return
