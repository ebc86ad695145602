"""The app's writes: one at a time, in the order asked for, off the UI thread.

One save rewrites the whole file (tens of ms at 100,000 contacts), so every change runs in a thread
worker that reports back on the UI thread and never touches widgets itself. Saves asked for while
one is running wait in a queue, each holding the change it was given when ctrl+s was pressed (not
whatever the editor shows later), so a fast typist can save a form, start the next and save that
too before the first write is done.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from textual import work

from store import Contact, StoreError, ValidationError
from store.text import printable

from .widgets.editor import FIELDS as EDITOR_FIELDS

if TYPE_CHECKING:
    from .screens import ContactsScreen
    from .widgets.editor import ContactEditor

EditorForm = tuple[int, Any]  # (the editor's generation, its values) when the save was asked for


@dataclass
class PendingWrite:
    change: Callable[[], Any]
    verb: str  # "Added", "Saved", "Deleted", or a sentence's start for other changes
    form: EditorForm | None = None  # set for saves of the editor
    after: Callable[[], None] | None = None  # run once the write succeeded


class SavesInOrder:
    """Mixin for ContactsApp: the write queue and what happens when a write ends."""

    main: "ContactsScreen"

    def init_writes(self) -> None:
        self._writes: deque[PendingWrite] = deque()
        self._current: PendingWrite | None = None
        self._held = False  # a dialog is writing by itself (the import)
        self._exit_when_written = False

    @property
    def busy(self) -> bool:
        """A write is running (the reload timer waits for it)."""
        return self._current is not None or self._held

    @busy.setter
    def busy(self, value: bool) -> None:
        self._held = value

    def is_being_saved(self, editor: "ContactEditor") -> bool:
        """True while exactly what ``editor`` shows is being saved or queued to be."""
        form = (editor.generation, editor.current())
        return any(w.form == form for w in (self._current, *self._writes) if w is not None)

    def save_editor(self, after: Callable[[], None] | None = None) -> None:
        """Validate what the editor holds and queue its save; then run ``after``."""
        editor = self.main.editor
        changes = editor.changes()
        contact_id = editor.contact_id
        try:
            fields = {k: v for k, v in changes.items() if k in ("name", "phone", "email")}
            self.store.validate(**fields, contact_id=contact_id)  # type: ignore[attr-defined]
        except ValidationError as exc:
            editor.show_errors(exc.errors)
            return
        form = (editor.generation, editor.current())
        if editor.has_focus_within:
            self.main.focus_list()  # at once, so n, j, k... typed next act on the list
        store = self.store  # type: ignore[attr-defined]
        if contact_id is None:
            self.queue_write(lambda: store.add_contact(**changes), "Added", form=form, after=after)
        else:
            self.queue_write(lambda: store.update_contact(contact_id, **changes), "Saved", form=form, after=after)

    def queue_write(
        self,
        change: Callable[[], Any],
        verb: str,
        *,
        form: EditorForm | None = None,
        after: Callable[[], None] | None = None,
    ) -> None:
        self._writes.append(PendingWrite(change, verb, form, after))
        if self._current is None:
            self._start_next()

    def exit_when_written(self) -> None:
        """Quit now, or as soon as the running and queued writes are done (none is cut off)."""
        if self._current is None:
            self.exit()  # type: ignore[attr-defined]
            return
        self._exit_when_written = True
        self.notify("Saving… the app closes when the save is done.")  # type: ignore[attr-defined]

    def _start_next(self) -> None:
        self._current = self._writes.popleft() if self._writes else None
        self.refresh_bindings()  # type: ignore[attr-defined]
        if self._current is not None:
            self._write(self._current)
        elif self._exit_when_written:
            self.exit()  # type: ignore[attr-defined]

    @work(thread=True, exit_on_error=False, group="write")
    def _write(self, pending: PendingWrite) -> None:
        """Run one store change off the UI thread; report the outcome on it."""
        try:
            result = pending.change()
        except Exception as exc:  # every refusal is shown; nothing may kill the app
            self.call_from_thread(self._refused, exc, pending)  # type: ignore[attr-defined]
        else:
            self.call_from_thread(self._done, result, pending)  # type: ignore[attr-defined]

    def _done(self, result: Any, pending: PendingWrite) -> None:
        main = self.main
        if pending.verb == "Deleted":
            if main.editor.contact_id == result.id:
                main.editor.load(None)
            main.reload_contacts()
        elif pending.form is not None:
            self._show_saved(result, pending)
        else:
            main.reload_contacts()  # keeps unsaved edits
        name = printable(result.name) if isinstance(result, Contact) else "the contact"
        self.notify(f"{pending.verb} {name}", markup=False)  # type: ignore[attr-defined]
        if pending.after is not None:
            pending.after()
        self._start_next()

    def _show_saved(self, result: Contact, pending: PendingWrite) -> None:
        """Show the saved contact, without losing what was typed while the save ran."""
        editor = self.main.editor
        generation, sent = pending.form or (-1, None)
        if editor.generation == generation:  # still the form that was saved
            if editor.current() == sent:
                editor.load(result)
                if editor.has_focus_within:
                    self.main.focus_list()  # so n, j, k, d... work straight away
            else:
                editor.keep_edits_over(result)
        # Follow the saved contact, unless the user was on the way to another one.
        self.main.reload_contacts(keep=None if pending.after else result.id)

    def _refused(self, exc: Exception, pending: PendingWrite) -> None:
        editor = self.main.editor
        same_form = pending.form is not None and editor.generation == pending.form[0]
        if isinstance(exc, ValidationError) and set(exc.errors) <= set(EDITOR_FIELDS) and same_form:
            editor.show_errors(exc.errors)
        elif isinstance(exc, StoreError):
            self.notify(str(exc), title="Not saved", severity="error", markup=False)  # type: ignore[attr-defined]
        else:
            self.notify(  # type: ignore[attr-defined]
                f"{type(exc).__name__}: {exc}", title="Unexpected error", severity="error", markup=False
            )
        self._start_next()
