"""The app's writes: one at a time, in the order asked for, off the UI thread.

One save rewrites the whole file (tens of ms at 100,000 contacts), so every change runs in a thread
worker that reports back on the UI thread and never touches widgets itself. Saves asked for while
one is running wait in a queue, each holding the change it was given when ctrl+s was pressed (not
whatever the editor shows later), so a fast typist can save a form, start the next and save that
too before the first write is done.

An edit is saved as the fields the user changed plus what they started from (the editor's base):
the store compares that inside the write (store.core.conflicts). When someone else changed the same
field, or deleted the contact, the app asks the user (ConflictDialog, ContactDeletedDialog) and
saves again with their answer.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from textual import work

from store import ChangedMeanwhile, Conflict, Contact, ContactDeleted, StoreError, ValidationError
from store.core.conflicts import resolve
from store.rules.text import printable
from store.rules.validation import display_phone

from .screens.conflict_dialog import ConflictDialog, ContactDeletedDialog, DeletedChoice

from .widgets.editor import FIELDS as EDITOR_FIELDS

if TYPE_CHECKING:
    from .screens import ContactsScreen
    from .widgets.editor import ContactEditor

EditorForm = tuple[int, Any]  # (the editor's generation, its values) when the save was asked for


@dataclass(frozen=True)
class EditorSave:
    """An edit as sent to the store: what changed, and the values it was based on."""

    contact_id: int
    changes: dict[str, Any]
    base: dict[str, Any]


@dataclass
class PendingWrite:
    change: Callable[[], Any]
    verb: str  # "Added", "Saved", "Deleted", or a sentence's start for other changes
    form: EditorForm | None = None  # set for saves of the editor
    after: Callable[[], None] | None = None  # run once the write succeeded
    edit: EditorSave | None = None  # set for saves of an edit (to ask and save again)


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
            self.queue_edit(EditorSave(contact_id, changes, dict(editor.base)), form, after)

    def queue_edit(self, edit: EditorSave, form: EditorForm, after: Callable[[], None] | None) -> None:
        store = self.store  # type: ignore[attr-defined]
        self.queue_write(
            lambda: store.update_contact(edit.contact_id, **edit.changes, base=edit.base),
            "Saved", form=form, after=after, edit=edit,
        )

    def queue_write(
        self,
        change: Callable[[], Any],
        verb: str,
        *,
        form: EditorForm | None = None,
        after: Callable[[], None] | None = None,
        edit: EditorSave | None = None,
    ) -> None:
        self._writes.append(PendingWrite(change, verb, form, after, edit))
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
                editor.keep_edits_over(result, sent=sent)
        # Follow the saved contact, unless the user was on the way to another one.
        self.main.reload_contacts(keep=None if pending.after else result.id)

    def _refused(self, exc: Exception, pending: PendingWrite) -> None:
        editor = self.main.editor
        same_form = pending.form is not None and editor.generation == pending.form[0]
        if pending.edit is not None and same_form and isinstance(exc, Conflict):
            self._ask_conflict(exc, pending, pending.edit)
        elif pending.edit is not None and same_form and isinstance(exc, ContactDeleted):
            self._ask_deleted(pending)
        elif isinstance(exc, ChangedMeanwhile) and editor.contact_id == exc.contact_id:
            self.reload_contacts()  # type: ignore[attr-defined]
            self.call_later(self.run_action, "delete")  # type: ignore[attr-defined]  # ask again, saying what changed
        elif isinstance(exc, ValidationError) and set(exc.errors) <= set(EDITOR_FIELDS) and same_form:
            editor.show_errors(exc.errors)
        elif isinstance(exc, StoreError):
            self.notify(str(exc), title="Not saved", severity="error", markup=False)  # type: ignore[attr-defined]
        else:
            self.notify(  # type: ignore[attr-defined]
                f"{type(exc).__name__}: {exc}", title="Unexpected error", severity="error", markup=False
            )
        self._start_next()

    def _ask_conflict(self, conflict: Conflict, pending: PendingWrite, edit: EditorSave) -> None:
        """Someone else changed a field the user changed: show both values, save the choices."""

        def chosen(keep_yours: set[str] | None) -> None:
            editor = self.main.editor
            if keep_yours is None or pending.form is None or editor.generation != pending.form[0]:
                if editor.generation == (pending.form or (-1,))[0]:
                    editor.focus_field(conflict.fields[0].field)  # back to editing
                return
            changes, base = resolve(edit.changes, edit.base, conflict, keep_yours)
            form = (editor.generation, editor.current())
            self.queue_edit(EditorSave(edit.contact_id, changes, base), form, pending.after)

        self.push_screen(ConflictDialog(self.store, conflict.name, conflict.fields), chosen)  # type: ignore[attr-defined]

    def _ask_deleted(self, pending: PendingWrite) -> None:
        """The contact was deleted by someone else: add it again as new, or discard the edits."""
        editor = self.main.editor
        contact = editor.contact
        name = contact.name if contact else "The contact"
        phone = display_phone(contact.phone, self.store.default_region) if contact else ""  # type: ignore[attr-defined]

        def chosen(choice: DeletedChoice | None) -> None:
            if pending.form is None or editor.generation != pending.form[0]:
                return
            if choice == "add":
                now = editor.current()
                store = self.store  # type: ignore[attr-defined]
                fields = dict(name=now.name, phone=now.phone, email=now.email, lists=sorted(now.lists), opted_out=now.opted_out)
                self.queue_write(lambda: store.add_contact(**fields), "Added", form=(editor.generation, now), after=pending.after)
            elif choice == "discard":
                editor.load(None)
                self.reload_contacts()  # type: ignore[attr-defined]
                self.main.back_to_list()
            else:
                editor.focus_field("name")

        self.push_screen(ContactDeletedDialog(name, phone), chosen)  # type: ignore[attr-defined]
