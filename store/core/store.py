"""The store: the one way to read and change the contacts file.

``Store.open(path)`` loads the file once; lookups and searches use the parsed data in memory.
Every change runs in :meth:`Store.transaction`: it takes the file's write lock, reloads the file if
another process changed it, applies the change and writes the file atomically, all or nothing.
Every rule (validation, unique phones, opt-outs, permissions) is checked inside that write, so the
app, the command line, the API and scripts cannot bypass it.

This module holds only the opening, syncing and the transaction. Each capability is a part of its
own, composed into ``Store`` as a mixin: reading and searching contacts (``finding``), changing one
contact (``contacts``), lists (``lists``), settings, users and permissions (``admin``), consent
views (``consent_views``) and changes to every contact at once (``bulk``). Mixins rather than parts
the Store delegates to, because the parts share one state (the loaded data, its indexes, the lock)
and call each other (adding a contact checks lists, suppression and the region): as mixins they do
so through ``self`` with no forwarding methods, and ``Store`` stays the one class users import and
the one object tests and the app hold. ``store.core.state`` declares the shared state.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from store.access import permissions
from store.consent.reply_keywords import KeywordSet
from store.consent.sendable import StatusIndex
from store.core.admin import AdminPart
from store.core.bulk import BulkPart
from store.core.consent_views import ConsentViewsPart
from store.core.contacts import ContactsPart
from store.core.finding import FindingPart
from store.core.lists import ListsPart
from store.core.transaction import Transaction
from store.errors import CorruptDataFile, StoreError
from store.file.schema import check_document, check_small_tables
from store.file.storage import AtomicJSONStorage
from store.gc_pause import gc_paused
from store.model import (
    CONTACTS, LISTS, META, POLICIES, SCHEMA_VERSION, SETTINGS, SUPPRESSION, TABLES, USERS, empty_document, now_iso,
)
from store.search import SearchIndex
from store.transfer import import_log


class Store(FindingPart, ContactsPart, ListsPart, AdminPart, ConsentViewsPart, BulkPart):
    def __init__(self, path: str | Path, *, user: str | None = None, clock: Callable[[], str] | None = None):
        self.path = Path(path)
        self.user = user or permissions.current_login()
        self.clock = clock  # the time each change is stamped with; None: now_iso (tests pass one that ticks)
        self._storage = AtomicJSONStorage(self.path)
        self._lock = threading.RLock()
        self._data: dict[str, dict[str, Any]] = {}
        self._id_by_phone: dict[str, int] = {}
        self._index = SearchIndex.empty()
        self._list_members_cache: dict[int, set[int]] | None = None
        self._suppressed_cache: set[str] | None = None
        self._status: StatusIndex | None = None  # built on first use, then patched by each change
        self._allowed: dict[tuple[int | None, str], frozenset[int] | set[int]] = {}
        self._keywords: tuple[Any, KeywordSet] | None = None  # (stored settings, compiled from them)

    @property
    def real_path(self) -> Path:
        """The data file's real path, resolved once when the store was made (``path`` may be a
        symlink): everything that belongs beside the data file goes beside this one."""
        return self._storage.path

    # -- opening and syncing ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, user: str | None = None, clock: Callable[[], str] | None = None) -> "Store":
        """Open (creating if needed, with its folder) the data file at ``path``.

        ``clock`` gives the timestamp of each change (``now_iso`` unless a test passes its own).
        """
        store = cls(path, user=user, clock=clock)
        store._storage.ensure_folder()
        with store._lock:  # no file lock: reading needs none (saves are atomic renames)
            if store._storage.reload() is None:
                store._storage.create(empty_document(store.user))
            with gc_paused():
                store._adopt(store._storage.read())
        return store

    def _adopt(self, data: dict[str, Any] | None) -> None:
        """Take freshly loaded data as the current state and rebuild the indexes."""
        assert data is not None
        meta = data.get(META, {}).get("1", {})
        version = meta.get("schema_version") if isinstance(meta, dict) else None
        if type(version) is int and version > SCHEMA_VERSION:
            raise CorruptDataFile(
                f"{self.path} was written by a newer sms-contacts (schema {version}; this one reads "
                f"{SCHEMA_VERSION}). Upgrade sms-contacts; the file was left as it is."
            )
        id_by_phone = check_document(data, self.path)  # every table, record and field (store.file.schema)
        for table in TABLES:
            data.setdefault(table, {})
        index = SearchIndex.build(data[CONTACTS])
        self._id_by_phone = id_by_phone
        self._data = data
        self._index = index
        self._forget_derived()

    def _forget_derived(self) -> None:
        self._list_members_cache = None
        self._suppressed_cache = None
        self._status = None
        self._allowed = {}

    def _reload(self) -> None:
        with gc_paused():
            self._reload_now()

    def _reload_now(self) -> None:
        data = self._storage.reload()
        if data is None:
            self._storage.forget()
            raise StoreError(
                f"{self.path} was removed or moved away since it was opened; nothing was saved. "
                "Open it again to start a new file there."
            )
        try:
            self._adopt(data)
        except StoreError:
            # Keep what we had, and make the next change look at the file again rather than
            # writing our older data over it.
            self._storage.forget()
            raise

    def changed_on_disk(self) -> bool:
        """Cheap (one stat): has another process written the file since we last read or wrote it?"""
        return self._storage.changed_on_disk()

    def refresh(self) -> bool:
        """Reload if another process changed the file. Returns True when something was reloaded."""
        with self._lock:
            if not self._storage.changed_on_disk():
                return False
            self._reload()
            return True

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Lock, catch up with the file, yield a Transaction, write once if anything changed.

        The transaction changes copies (see store.core.transaction); they become the store's data only
        after the file was written. Until then readers on other threads see the old data, and a
        change that raises or fails to save is simply dropped: nothing to reload or undo.
        """
        # The GC is paused throughout: a change allocates many small acyclic objects, and with
        # 100,000 contacts loaded each full collection it would trigger walks the whole heap.
        with self._lock, self._storage.locked(), gc_paused():
            if self._storage.changed_on_disk():
                self._reload()
            tx = Transaction(self, self.clock() if self.clock else now_iso())
            try:
                yield tx
            except BaseException:
                self._forget_derived()  # caches a helper may have patched ahead of the commit
                raise
            if not tx.dirty:
                return
            import_log.note_changes(tx)  # an import's contacts changed within its own second
            if any(tx.data.get(table) is not self._data.get(table) for table in (SETTINGS, USERS, POLICIES, LISTS)):
                try:  # never write a file that every later read would refuse
                    check_small_tables(tx.data, self.path)
                except CorruptDataFile as exc:
                    self._forget_derived()
                    raise StoreError(f"Nothing was saved: the change would make the file unreadable. {exc}") from None
            try:
                self._storage.write(tx.data)
            except BaseException:
                self._forget_derived()
                raise
            contacts = tx.data[CONTACTS]
            if tx.rebuild_all:
                index = SearchIndex.build(contacts)
            else:
                index = self._index.with_changes(contacts, tx.changed_contacts - tx.keys_kept)
            status, suppressed = self._status, self._suppressed_cache
            same_suppression = tx.data[SUPPRESSION] is self._data[SUPPRESSION]
            self._data = tx.data
            if tx.phones_changed is not None:
                self._id_by_phone = tx.phones_changed
            self._index = index
            self._forget_derived()
            if same_suppression:
                self._suppressed_cache = suppressed
                if status is not None and not tx.rebuild_all:
                    self._status = status.with_changes(contacts, tx.changed_contacts, self.suppressed_phones())

    # -- reading any table ---------------------------------------------------------------------

    def records(self, table: str) -> dict[str, Any]:
        """The records of ``table`` as loaded, by id (read them; change them in a transaction)."""
        return self._data.get(table) or {}
