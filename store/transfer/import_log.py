"""The import log: every import that changed something is recorded, so that it can be undone.

Table ``imports`` keeps the last ``KEEP_IMPORTS`` records (older ones are dropped as new ones
come). A record:

- ``at``, ``by``: the import's transaction time (also the ``updated_at`` of every contact it
  created or changed) and who ran it;
- ``source``: the file as the importer named it, or ``pasted text`` / ``standard input``;
- ``list``: the list everything was imported into, or null;
- ``created``: the ids of the contacts it created, as runs ``[first, last]``: an import takes one
  block of ids, so 100,000 new contacts are one short run, not 100,000 numbers;
- ``updated``: for each contact it changed, the values before of the fields it changed among
  ``name``, ``email`` and ``lists``, plus ``updated_at`` when those were all it changed. Opt-outs
  and consent are not recorded: they are never undone;
- ``lists_created``: ids of the lists it created (from a Lists column);
- ``touched``: its contacts that were changed again within the import's own second (a time to
  the second cannot tell such a change from the import itself; ``note_changes`` records them);
- ``undone``: null, or ``{at, by, removed, restored, kept}``.

Undo (``undo_import``) is one transaction under the ``delete`` permission. A contact *changed
since* the import (its ``updated_at`` is no longer the import's time, or it is in ``touched``:
edited, replied, put on a list, changed by a later import) is kept and reported; with
``remove_changed`` the ones it created are removed anyway. The others it created are removed and
the ones it changed get their recorded values back (lists deleted since are left out). Opt-outs,
consent and their history are never undone: a removed contact that is opted out leaves its
number on the suppression list, and a STOP recorded since stays. Lists the import created are
deleted when no contact is left on them.

Length (over 300 lines): recording an import and undoing it read and write the same record
format; kept in one module so that the two cannot drift apart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

from store.errors import NotFound, StoreError
from store.model import CONTACTS, IMPORTS, LISTS
from store.rules.text import printable
from store.wording import plural
from store.consent.suppression import suppress_many

if TYPE_CHECKING:
    from store.core.store import Store
    from store.core.transaction import Transaction

KEEP_IMPORTS = 20
RESTORED = {"name": "", "email": None, "lists": []}  # the fields an undo gives back, with defaults
SMALL_UNDO = 500  # up to this many contacts: one change each; more: one table swap
_UPDATED_AT = itemgetter("updated_at")
_OPTED_OUT = itemgetter("opted_out")


def shown_time(stamp: str) -> str:
    """``2026-03-01T12:00:03Z`` -> ``2026-03-01 12:00:03 UTC``."""
    return stamp.replace("T", " ").replace("Z", " UTC")


# -- records ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRecord:
    id: int
    at: str
    by: str
    source: str
    list_name: str | None
    created_count: int
    updated_count: int
    lists_created: int
    undone: dict[str, Any] | None

    @classmethod
    def from_doc(cls, record_id: int, doc: Mapping[str, Any]) -> "ImportRecord":
        return cls(
            id=record_id,
            at=doc["at"],
            by=doc["by"],
            source=doc["source"],
            list_name=doc.get("list"),
            created_count=sum(last - first + 1 for first, last in doc.get("created", ())),
            updated_count=len(doc.get("updated", {})),
            lists_created=len(doc.get("lists_created", ())),
            undone=doc.get("undone"),
        )

    @property
    def file_name(self) -> str:
        """The source without its folders: ``sales.csv``, ``pasted text``."""
        return os.path.basename(self.source) or self.source

    def label(self) -> str:
        """``import 3 (sales.csv, 2026-03-01 12:00:03 UTC, by alice)``, safe to print."""
        return printable(f"import {self.id} ({self.source}, {shown_time(self.at)}, by {self.by})")

    def counts(self) -> str:
        return f"{self.created_count:,} added, {self.updated_count:,} changed"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "by": self.by,
            "source": self.source,
            "list": self.list_name,
            "created": self.created_count,
            "updated": self.updated_count,
            "lists_created": self.lists_created,
            "undone": self.undone,
        }


def imports(store: "Store") -> list[ImportRecord]:
    """The recorded imports, newest first."""
    table = store._data.get(IMPORTS) or {}
    return [ImportRecord.from_doc(int(key), table[key]) for key in sorted(table, key=int, reverse=True)]


def last_import_to_offer(store: "Store") -> ImportRecord | None:
    """The newest import when it is the last big change and undoing it would still do something:
    not undone, and some contact it created or changed is still there (a delete all since
    removed them all). Delete all offers to undo just this import instead."""
    table = store._data.get(IMPORTS) or {}
    if not table:
        return None
    newest = max(table, key=int)
    doc = table[newest]
    if doc.get("undone"):
        return None
    contacts = store._data[CONTACTS]
    there = any(key in contacts for key in doc.get("updated", {})) or any(
        str(cid) in contacts for cid in _created_ids(doc)
    )
    return ImportRecord.from_doc(int(newest), doc) if there else None


def _created_ids(doc: Mapping[str, Any]) -> Iterator[int]:
    for first, last in doc.get("created", ()):
        yield from range(first, last + 1)


def _runs(ids: Iterable[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for cid in sorted(ids):
        if runs and runs[-1][1] == cid - 1:
            runs[-1][1] = cid
        else:
            runs.append([cid, cid])
    return runs


# -- recording (called by the importer, inside its transaction) -----------------------------------


def record_import(tx: "Transaction", source: str, list_name: str | None, changes: Mapping[str, dict[str, Any]]) -> None:
    """Record an import about to write ``changes`` (contact id -> new document). Call it before
    the changes are applied: the documents stored now are the values before."""
    if not changes:
        return
    stored = tx.data[CONTACTS]
    created: list[int] = []
    updated: dict[str, dict[str, Any]] = {}
    for key, doc in changes.items():
        old = stored.get(key)
        if old is None:
            created.append(int(key))
            continue
        before = {f: old.get(f, d) for f, d in RESTORED.items() if old.get(f, d) != doc.get(f, d)}
        others = (set(old) | set(doc)) - set(RESTORED) - {"updated_at"}
        if "updated_at" in old and all(old.get(f) == doc.get(f) for f in others):
            before["updated_at"] = old["updated_at"]
        updated[key] = before
    known_lists = tx.store._data.get(LISTS) or {}
    record = {
        "at": tx.now,
        "by": tx.user,
        "source": source,
        "list": list_name,
        "created": _runs(created),
        "updated": updated,
        "lists_created": [int(key) for key in tx.data.get(LISTS) or {} if key not in known_lists],
        "touched": [],
        "undone": None,
    }
    tx.put(IMPORTS, tx.new_id(IMPORTS), record)
    table = tx.table(IMPORTS)
    for old_id in sorted(map(int, table))[:-KEEP_IMPORTS]:
        tx.remove(IMPORTS, old_id)


def note_changes(tx: "Transaction") -> None:
    """Called by every transaction before it writes: an import's contacts changed within the
    import's own second are added to its ``touched``, so that its undo knows they changed."""
    earlier = tx.store._data.get(IMPORTS)
    if not earlier:
        return
    now = tx.data.get(IMPORTS) or {}  # as this transaction leaves it (an undo marks its record)
    same = [key for key, doc in now.items() if key in earlier and doc.get("at") == tx.now and not doc.get("undone")]
    if not same:
        return
    changed = _changed_ids(tx)
    table = tx.table(IMPORTS)
    for key in same:
        doc = table[key]
        mine = {cid for cid in changed if str(cid) in doc.get("updated", {}) or _in_runs(doc, cid)}
        touched = set(doc.get("touched", ()))
        if not mine <= touched:
            table[key] = dict(doc, touched=sorted(touched | mine))
            tx.dirty = True


def _in_runs(doc: Mapping[str, Any], cid: int) -> bool:
    return any(first <= cid <= last for first, last in doc.get("created", ()))


def _changed_ids(tx: "Transaction") -> set[int]:
    if not tx.rebuild_all:
        return set(tx.changed_contacts)
    old, new = tx.store._data.get(CONTACTS) or {}, tx.data[CONTACTS]
    changed = {int(key) for key, doc in old.items() if new.get(key) is not doc}
    return changed | {int(key) for key in new.keys() - old.keys()}


# -- undoing ---------------------------------------------------------------------------------------


@dataclass
class UndoPlan:
    """What undoing an import does (``done`` False) or did (True)."""

    record: ImportRecord
    remove: list[str]  # contact ids (as stored) to remove
    restore: dict[str, dict[str, Any]]  # contact id -> values to give back
    kept_created: list[int]  # created, changed since, kept
    kept_updated: list[int]  # changed by the import and again since: keep their values now
    removed_changed: int  # created, changed since, removed anyway (remove_changed)
    gone: int  # deleted since
    remove_changed: bool
    done: bool = False
    lists_removed: list[str] = field(default_factory=list)
    opted_out: list[str] = field(default_factory=list)  # phones of opted-out contacts it removes

    @property
    def removed(self) -> int:
        return len(self.remove)

    @property
    def restored(self) -> int:
        return len(self.restore)

    @property
    def kept(self) -> int:
        return len(self.kept_created) + len(self.kept_updated)

    @property
    def kept_ids(self) -> tuple[int, ...]:
        return tuple(sorted(self.kept_created + self.kept_updated))

    def describe(self) -> str:
        """One line, safe to print: "removes 1,204 contacts added by sales.csv, restores 36 it
        changed; 3 changed since are kept." (past tense once done)."""
        done = self.done
        source = printable(self.record.file_name)
        actions = []
        if self.removed:
            actions.append(f"{'removed' if done else 'removes'} {plural(self.removed, 'contact')} added by {source}")
        if self.restored:
            actions.append(f"{'restored' if done else 'restores'} {self.restored:,} it changed")
        if not actions:
            actions.append("changed nothing" if done else "changes nothing")
        notes = []
        if self.removed_changed:
            notes.append(f"including {self.removed_changed:,} changed since")
        if self.kept:
            verb = ("was" if done else "is") if self.kept == 1 else ("were" if done else "are")
            notes.append(f"{self.kept:,} changed since {verb} kept")
        if self.gone:
            notes.append(f"{self.gone:,} already deleted")
        if self.lists_removed:
            names = ", ".join(printable(n) for n in self.lists_removed)
            notes.append(f"removed the empty list{'s' if len(self.lists_removed) != 1 else ''} it created: {names}")
        head = f"{'Undid' if done else 'Undo'} {self.record.label()}: "
        return head + ", ".join(actions) + "".join(f"; {note}" for note in notes) + "."


def kept_names(store: "Store", plan: UndoPlan, limit: int = 10) -> str:
    """The contacts an undo kept (changed since), safe to print: "Bob Ode +14155550133, ... and
    3 more"; "" when none were kept."""
    people = []
    for cid in plan.kept_ids[:limit]:
        contact = store.get(cid)
        people.append(printable(f"{contact.name} {contact.phone}"))
    more = f" and {len(plan.kept_ids) - limit:,} more" if len(plan.kept_ids) > limit else ""
    return ", ".join(people) + more


def _record_doc(data: Mapping[str, Any], import_id: int) -> dict[str, Any]:
    table = data.get(IMPORTS) or {}
    doc = table.get(str(import_id))
    if doc is None:
        known = ", ".join(sorted(table, key=int, reverse=True)) or "none recorded"
        raise NotFound(f"No import {import_id} (recent imports: {known}). `contacts imports` lists them.")
    undone = doc.get("undone")
    if undone:
        raise StoreError(
            f"Import {import_id} was already undone at {shown_time(undone['at'])} by {printable(undone['by'])}."
        )
    return doc


def _plan(data: Mapping[str, Any], import_id: int, doc: Mapping[str, Any], remove_changed: bool) -> UndoPlan:
    contacts = data[CONTACTS]
    at = doc["at"]
    touched = set(doc.get("touched", ()))
    plan = UndoPlan(ImportRecord.from_doc(import_id, doc), [], {}, [], [], 0, 0, remove_changed)
    for first, last in doc.get("created", ()):
        keys = list(map(str, range(first, last + 1)))
        docs = list(map(contacts.get, keys))
        if not touched and _all_unchanged(docs, at):
            # The usual case (none changed or deleted since), at C speed: 100,000 contacts cost
            # about what delete all's pass over them costs.
            plan.remove += keys
            try:
                flags = list(map(_OPTED_OUT, docs))
            except KeyError:
                flags = [d.get("opted_out", False) for d in docs]
            plan.opted_out += [d["phone"] for d in compress(docs, flags)]
            continue
        for key, stored in zip(keys, docs):
            if stored is None:
                plan.gone += 1
                continue
            changed = stored.get("updated_at") != at or int(key) in touched
            if not changed or remove_changed:
                plan.removed_changed += changed
                plan.remove.append(key)
                if stored.get("opted_out"):
                    plan.opted_out.append(stored["phone"])
            else:
                plan.kept_created.append(int(key))
    for key, before in doc.get("updated", {}).items():
        stored = contacts.get(key)
        if stored is None:
            plan.gone += 1
        elif stored.get("updated_at") == at and int(key) not in touched:
            plan.restore[key] = before
        else:
            plan.kept_updated.append(int(key))
    return plan


def _all_unchanged(docs: list[Any], at: str) -> bool:
    """Is every document there, with ``updated_at`` the import's time?"""
    try:
        stamps = list(map(_UPDATED_AT, docs))
    except (TypeError, KeyError):  # a contact deleted since (None), or a hand-made one without the field
        return False
    return stamps.count(at) == len(stamps)


def plan_undo(store: "Store", import_id: int, *, remove_changed: bool = False) -> UndoPlan:
    """What ``undo_import`` would do now. Writes nothing."""
    store.refresh()
    data = store._data
    return _plan(data, import_id, _record_doc(data, import_id), remove_changed)


def undo_import(store: "Store", import_id: int, *, remove_changed: bool = False) -> UndoPlan:
    """Undo import ``import_id`` in one atomic write (see the module doc); returns what it did."""

    with store.transaction() as tx:
        store._require_in(tx, "delete")
        doc = _record_doc(tx.data, import_id)
        plan = _plan(tx.data, import_id, doc, remove_changed)
        contacts = tx.data[CONTACTS]
        lists = tx.data.get(LISTS) or {}
        restored: dict[str, dict[str, Any]] = {}
        for key, before in plan.restore.items():
            new = dict(contacts[key], **before)
            if "lists" in before:
                new["lists"] = [lid for lid in before["lists"] if str(lid) in lists]
            if "updated_at" not in before:
                new["updated_at"] = tx.now
            restored[key] = new
        if plan.removed + plan.restored > SMALL_UNDO:
            if plan.removed == len(contacts):
                table = {}
            else:
                gone = set(plan.remove)
                table = {key: value for key, value in contacts.items() if key not in gone}
            table.update(restored)
            tx.replace_all_contacts(table)
        else:
            for key in plan.remove:
                tx.remove_contact(int(key))
            for key, new in restored.items():
                tx.put_contact(int(key), new)
        suppress_many(tx, plan.opted_out, "contact removed by undoing an import while opted out")
        _remove_empty_lists(tx, doc.get("lists_created", ()), plan)
        undone = {"at": tx.now, "by": tx.user, "removed": plan.removed, "restored": plan.restored, "kept": plan.kept}
        tx.put(IMPORTS, import_id, dict(doc, undone=undone))
    plan.done = True
    return plan


def _remove_empty_lists(tx: "Transaction", list_ids: Iterable[int], plan: UndoPlan) -> None:
    wanted = [lid for lid in list_ids if str(lid) in (tx.data.get(LISTS) or {})]
    if not wanted:
        return
    used: set[int] = set()
    for doc in tx.data[CONTACTS].values():
        used.update(doc.get("lists") or ())
    for lid in wanted:
        if lid not in used:
            plan.lists_removed.append(tx.data[LISTS][str(lid)]["name"])
            tx.remove(LISTS, lid)
