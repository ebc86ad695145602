"""Reply keywords, in the Settings screen: what is in force, and (for admins) changing it.

Shows the language sets (on or off), the keywords per kind with where each comes from, and the
last changes. An admin picks a kind, types a word and presses Enter to add it (ctrl+r removes
it), and turns a language on or off with its button (s, f on the Settings screen). Every change
is the same store call as ``contacts keywords``; refusals show the store's message. Others see
it read-only, with the reason.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from store import Store, StoreError
from store.consent.keyword_settings import (
    KIND_NAMES,
    LANGUAGES,
    add_keyword,
    describe_change,
    keyword_history,
    remove_keyword,
    set_language,
    source_name,
    stored_keywords,
)
from store.consent.reply_keywords import ReplyKind
from store.rules.text import printable

from .text_field import TextField

LANGUAGE_KEYS = {"es": "s", "fr": "f"}
SHOWN_HISTORY = 3
SECTIONS = (
    ("Opt-out", ReplyKind.OPT_OUT, None),
    ("Opt-in", ReplyKind.OPT_IN, True),
    ("Confirm only", ReplyKind.OPT_IN, False),
    ("Help", ReplyKind.HELP, None),
)


class KeywordsPanel(Vertical):
    DEFAULT_CSS = """
    KeywordsPanel { height: auto; margin-top: 1; }
    KeywordsPanel .row { height: auto; }
    KeywordsPanel .label { width: 12; padding: 0 1 0 0; text-style: bold; }
    KeywordsPanel #keyword-kind { width: 14; }
    KeywordsPanel #keyword-input { width: 1fr; min-width: 10; }
    KeywordsPanel Button { margin-left: 1; width: auto; min-width: 6; }
    KeywordsPanel #keyword-status, KeywordsPanel #keywords-summary, KeywordsPanel #keyword-history {
        height: auto; color: $text-muted;
    }
    KeywordsPanel #keyword-status.error { color: $text-error; }
    """

    def __init__(self, store: Store, **kwargs: object):
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.store = store

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Static("Keywords", classes="label")
            yield Select(
                [(KIND_NAMES[key], key) for key in KIND_NAMES], value="opt_out", allow_blank=False,
                compact=True, id="keyword-kind",
            )
            yield TextField("", id="keyword-input", placeholder="a keyword", max_length=60, compact=True)
            yield Button("Add", id="add-keyword", compact=True)
            yield Button("Remove", id="remove-keyword", compact=True)
        yield Static("", id="keyword-status", markup=False)
        with Horizontal(classes="row"):
            yield Static("Languages", classes="label")
            for code in LANGUAGES:
                yield Button("", id=f"language-{code}", compact=True)
        yield Static("", id="keywords-summary", markup=False)
        yield Static("", id="keyword-history", markup=False)

    def on_mount(self) -> None:
        self.refresh_keywords()

    # -- showing ---------------------------------------------------------------------------------

    def refusal(self) -> str | None:
        decision = self.store.can("settings")
        return None if decision.allowed else decision.reason

    def languages_on(self) -> list[str]:
        return stored_keywords({"settings": {"1": {"keywords": self.store.setting("keywords") or {}}}})["languages"]

    def refresh_keywords(self, status: str | None = None, *, error: bool = False) -> None:
        changed = status is not None
        reason = self.refusal()
        for selector in ("#keyword-kind", "#keyword-input", "#add-keyword", "#remove-keyword"):
            self.query_one(selector).disabled = reason is not None
        on = self.languages_on()
        for code, lang in LANGUAGES.items():
            button = self.query_one(f"#language-{code}", Button)
            button.label = f"{lang.name}: {'on' if code in on else 'off'} ({LANGUAGE_KEYS.get(code, '')})"
            button.disabled = reason is not None
        keywords = self.store.reply_keywords().keywords
        summary = Text()
        for title, kind, lifts in SECTIONS:
            chosen = [k for k in keywords if k.kind is kind and (lifts is None or k.lifts is lifts)]
            parts = []
            for source in dict.fromkeys(k.source for k in chosen):
                words = ", ".join(k.word for k in chosen if k.source == source)
                parts.append(words if source == "en" else f"{words} ({source_name(source)})")
            summary.append(f"{title}: ", style="bold")
            summary.append(printable("; ".join(parts)) + "\n")
        summary.rstrip()
        self.query_one("#keywords-summary", Static).update(summary)
        history = keyword_history(self.store)
        lines = [f"{e.get('at')} {e.get('by')}: {describe_change(e)}" for e in history[-SHOWN_HISTORY:]]
        head = f"Last changes ({len(history)} in all; contacts keywords history):" if history else "No changes yet."
        self.query_one("#keyword-history", Static).update(Text("\n".join(printable(line) for line in [head, *lines])))
        if status is None:
            status = reason or "Type a word, Enter adds it, ctrl+r removes it. English ones stay."
        label = self.query_one("#keyword-status", Static)
        label.update(Text(printable(status)))
        label.set_class(error, "error")
        if changed:
            label.scroll_visible()  # on a small screen the answer is below the fold: bring it up

    # -- changing --------------------------------------------------------------------------------

    def focus_word(self) -> None:
        if self.refusal() is None:
            self.query_one("#keyword-input", Input).focus()

    def add(self) -> None:
        self._change("add", self._take_word())

    def remove(self) -> None:
        self._change("remove", self._take_word())

    def _take_word(self) -> str:
        """The word typed, with the box emptied at once: keys that arrive while the change is
        saved (a burst over SSH) start the next word instead of joining or losing this one."""
        box = self.query_one("#keyword-input", Input)
        word, box.value = box.value, ""
        return word

    def toggle_language(self, code: str) -> None:
        if self.refusal() is None:
            self._change("language", code)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button in ("add-keyword", "remove-keyword"):
            event.stop()
            (self.add if button == "add-keyword" else self.remove)()
        elif button.startswith("language-"):
            event.stop()
            self.toggle_language(button.removeprefix("language-"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "keyword-input":
            event.stop()
            self.add()

    def _change(self, what: str, value: str) -> None:
        kind = str(self.query_one("#keyword-kind", Select).value)
        self._run_change(what, kind, value)

    @work(thread=True, exit_on_error=False, group="keywords")  # each change runs; the store orders them
    def _run_change(self, what: str, kind: str, value: str) -> None:
        try:
            if what == "add":
                done = f"Added {KIND_NAMES[kind]} keyword {add_keyword(self.store, kind, value)}."
            elif what == "remove":
                done = f"Removed {KIND_NAMES[kind]} keyword {remove_keyword(self.store, kind, value)}."
            else:
                on = value not in self.languages_on()
                set_language(self.store, value, on)
                done = f"{LANGUAGES[value].name} keywords are now {'on' if on else 'off'}."
        except StoreError as exc:
            self.app.call_from_thread(self._refused, str(exc), value if what != "language" else "")
        else:
            self.app.call_from_thread(self.refresh_keywords, done)

    def _refused(self, message: str, word: str) -> None:
        box = self.query_one("#keyword-input", Input)
        if word and not box.value:  # give the refused word back to correct, unless more was typed
            box.value = word
        self.refresh_keywords(message, error=True)
