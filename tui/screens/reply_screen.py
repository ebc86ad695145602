"""Record a contact's inbound SMS reply: the consent rules of store.consent.replies, from the app.

Shows who the contact is and where their consent stands, takes the reply's text and records it
with ``record_reply`` in a thread worker (one save rewrites the whole file). Dismisses with the
result's sentence ("Opted out: ...") for the app to notify, or None when cancelled. Everything
shown from the contact (name, reply) is literal text, never markup.
"""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static
from textual.worker import Worker, WorkerState

from store import CONSENT_LABELS, Store, StoreError
from store.consent.replies import ReplyResult, record_reply
from store.consent.reply_keywords import HELP_KEYWORDS, LIFTS_OPT_OUT, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS
from store.rules.text import printable
from store.rules.validation import display_phone

from ..widgets.text_field import TextField
from .dialog_keys import PressFocused, enter_binding


def _line(label: str, keywords: list[str] | str, width: int) -> str:
    """One aligned line of the cheat sheet; a two-word keyword ("OPT OUT") is never split."""
    words = keywords if isinstance(keywords, str) else ", ".join(k.replace(" ", "\xa0") for k in keywords)
    text = textwrap.fill(words, width=width, initial_indent=f"{label:<10}", subsequent_indent=" " * 10)
    return text.replace("\xa0", " ")


def cheat_sheet(width: int = 72) -> str:
    """The reply keywords, wrapped to ``width`` columns."""
    return "\n".join(
        [
            _line("Opt out:", list(OPT_OUT_KEYWORDS), width),
            _line("Opt in:", [k for k in OPT_IN_KEYWORDS if k in LIFTS_OPT_OUT], width),
            _line("", "(YES confirms consent but does not undo an opt-out)", width),
            _line("Help:", f"{', '.join(HELP_KEYWORDS)} (no change; a help reply is due)", width),
            textwrap.fill("Whole message only. Other text with an opt-out word is flagged for review.", width),
        ]
    )


CHEAT_SHEET = cheat_sheet()


class ReplyScreen(PressFocused, ModalScreen[str | None]):
    """Dismisses with a summary to notify, or None when cancelled."""

    BINDINGS = [
        enter_binding("Record"),
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without recording anything."),
    ]
    DEFAULT_CSS = """
    ReplyScreen { align: center middle; }
    ReplyScreen > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ReplyScreen #reply-title { text-style: bold; }
    ReplyScreen #reply-state { color: $text-muted; }
    ReplyScreen #reply-input { margin-top: 1; }
    ReplyScreen #reply-error { color: $error; height: auto; display: none; }
    ReplyScreen #reply-error.-shown { display: block; }
    ReplyScreen #reply-keywords { color: $text-muted; margin-top: 1; }
    ReplyScreen Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ReplyScreen Button { margin-left: 2; }
    """

    def __init__(self, store: Store, contact_id: int):
        super().__init__()
        self.store = store
        self.contact_id = contact_id

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title(), id="reply-title")
            yield Static(self._state(), id="reply-state")
            yield TextField(placeholder="What did they reply? e.g. STOP", id="reply-input", max_length=2000, compact=True)
            yield Static("", id="reply-error")
            # The dialog is 78 wide, less its border and padding, at most the terminal's width.
            yield Static(Text(cheat_sheet(min(72, self.app.size.width - 6))), id="reply-keywords")
            with Horizontal():
                yield Button("Record", id="record", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#reply-input", Input).focus()

    # -- what is shown ---------------------------------------------------------------------------

    def _title(self) -> Text:
        try:
            contact = self.store.get(self.contact_id)
        except StoreError:
            return Text("Record reply")
        phone = display_phone(contact.phone, self.store.default_region)
        return Text(f"Record reply from {printable(contact.name)}  {phone}")

    def _state(self) -> Text:
        try:
            contact = self.store.get(self.contact_id)
        except StoreError as exc:
            return Text(str(exc))
        consent = CONSENT_LABELS.get(contact.consent, printable(contact.consent))
        parts = [
            "Opted out: yes" if contact.opted_out else "Opted out: no",
            f"Consent: {consent}",
        ]
        pending = sum(1 for item in contact.review if not item.get("resolved_at"))
        if pending:
            parts.append(f"{pending} reply waiting for review" if pending == 1 else f"{pending} replies waiting for review")
        return Text("  ·  ".join(parts))

    # -- recording -------------------------------------------------------------------------------

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    @on(Input.Changed, "#reply-input")
    def _typing(self) -> None:
        self._show_error("")

    @on(Button.Pressed, "#record")
    @on(Input.Submitted, "#reply-input")
    def _record(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        text = self.query_one("#reply-input", Input).value
        if not text.strip():
            self._show_error("Type the reply first (exactly as they sent it).")
            return
        self._set_busy(True)
        self._write(text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="reply")
    def _write(self, text: str) -> ReplyResult:
        return record_reply(self.store, self.contact_id, text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Dismiss only once the write's worker has ended (dismissing earlier cancels it)."""
        if event.worker.group != "reply":
            return
        if event.state == WorkerState.SUCCESS:
            self.dismiss(printable(event.worker.result.message))
        elif event.state == WorkerState.ERROR:
            self._refused(event.worker.error)

    def _refused(self, exc: Exception) -> None:
        self._set_busy(False)
        message = str(exc) if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc}"
        self._show_error(message)
        self.query_one("#reply-state", Static).update(self._state())

    def _show_error(self, message: str) -> None:
        error = self.query_one("#reply-error", Static)
        error.update(Text(printable(message)))
        error.set_class(bool(message), "-shown")

    def _set_busy(self, busy: bool) -> None:
        self.query_one("#record", Button).disabled = busy
        self.query_one("#reply-input", Input).disabled = busy
