"""The store: the one way to read and change the contacts file.

``Store.open(path)`` loads the file once; lookups and searches use the parsed data in memory.
Every change runs in :meth:`Store.transaction`: it takes the sidecar lock, reloads the file if
another process changed it, applies the change and writes the file atomically, all or nothing.
Every rule (validation, unique phones, opt-outs, permissions) is checked here, so the app, the
command line and scripts cannot bypass it.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import import_log, permissions
from .errors import CorruptDataFile, NotFound, PermissionDenied, StoreError, ValidationError
from .model import (
    CONTACTS,
    LISTS,
    META,
    POLICIES,
    SCHEMA_VERSION,
    SETTINGS,
    SUPPRESSION,
    TABLES,
    USERS,
    Contact,
    ContactList,
    empty_document,
    new_contact_doc,
    now_iso,
)
from .conflicts import ChangedMeanwhile, ContactDeleted, base_of, changes_since, check_fields, merge_lists
from .gc_pause import gc_paused
from .schema import check_document
from .search import SearchIndex
from .sendable import StatusIndex
from .storage import AtomicJSONStorage
from .transaction import Transaction
from .validation import clean_email, clean_list_name, clean_name, clean_phone, clean_region

OPT_IN_KEYWORDS_TEXT = "START, UNSTOP, OPTIN or SUBSCRIBE"
_UNSET: Any = object()


class Store:
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
        id_by_phone = check_document(data, self.path)  # every table, record and field (store.schema)
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

        The transaction changes copies (see store.transaction); they become the store's data only
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

    # -- reading ---------------------------------------------------------------------------------

    @property
    def default_region(self) -> str:
        return self._data[SETTINGS].get("1", {}).get("default_region", "US")

    @property
    def role(self) -> str:
        return permissions.role_of(self._data, self.user)

    def can(self, action: str, login: str | None = None) -> permissions.Decision:
        """May this store's user (or ``login``) do ``action``, as the loaded data stands?"""
        return permissions.decide(self._data, login or self.user, action)

    def count(self) -> int:
        return len(self._index)

    def ordered_ids(self) -> list[int]:
        """All contact ids in list order (by name). Do not mutate the returned list."""
        return self._index.order

    def search(self, query: str = "", list_id: int | None = None, status: str | None = None) -> list[int]:
        """Ids matching ``query`` in list order; only members of ``list_id``, and only contacts
        with ``status`` (store.sendable: ``textable``, ``opted_out``, ``needs_review``), if given."""
        if status is None:
            allowed = self.members(list_id) if list_id is not None else None
        else:
            allowed = self._allowed.get((list_id, status))
            if allowed is None:
                allowed = self.status_index().members(status, self._index.order)
                if list_id is not None:
                    allowed = allowed & self.members(list_id)
                self._allowed[(list_id, status)] = allowed
        return self._index.search(query, allowed)

    def status_index(self) -> StatusIndex:
        """Ids by status (may not be texted, opted out, needs review), kept up to date."""
        status = self._status
        if status is None:
            with self._lock:  # not while a change commits: it would be built on the data before it
                status = self._status
                if status is None:
                    with gc_paused():
                        status = self._status = StatusIndex.build(self._data[CONTACTS], self.suppressed_phones())
        return status

    @property
    def status_ready(self) -> bool:
        """Is ``status_index`` built (so counts are instant)? The app builds it after its first paint."""
        return self._status is not None

    def textable_count(self, ids: Iterable[int] | None = None) -> int:
        """How many of ``ids`` (all contacts when None) may be texted now (store.sendable)."""
        status = self.status_index()
        if ids is None or ids is self._index.order:
            return self.count() - len(status.untextable)
        seq = ids if isinstance(ids, (list, tuple)) else list(ids)
        return len(seq) - status.count_untextable(seq)

    def position(self, contact_id: int) -> int | None:
        return self._index.position(contact_id)

    def get(self, contact_id: int) -> Contact:
        doc = self._data[CONTACTS].get(str(contact_id))
        if doc is None:
            raise NotFound(f"No contact with id {contact_id}")
        return Contact.from_doc(contact_id, doc)

    def contacts(self, list_id: int | None = None) -> list[Contact]:
        return [self.get(cid) for cid in self.search("", list_id)]

    def id_for_phone(self, phone: str) -> int | None:
        return self._id_by_phone.get(phone)

    def find(self, key: str) -> Contact:
        """The contact with this phone (any format) or email. Refuses ambiguous emails."""
        key = key.strip()
        if "@" in key:
            email = key.casefold()
            hits = [
                int(cid)
                for cid, doc in self._data[CONTACTS].items()
                if (doc.get("email") or "").casefold() == email
            ]
            if not hits:
                raise NotFound(f"No contact has the email {key}")
            if len(hits) > 1:
                names = ", ".join(f"{self.get(h).name} ({self.get(h).phone})" for h in hits[:5])
                raise StoreError(f"{len(hits)} contacts have the email {key}: {names}. Use the phone.")
            return self.get(hits[0])
        try:
            phone = clean_phone(key, self.default_region)
        except ValidationError as exc:
            raise NotFound(f"No contact found for {key!r}: {exc}") from None
        contact_id = self._id_by_phone.get(phone)
        if contact_id is None:
            raise NotFound(f"No contact has the phone {phone}")
        return self.get(contact_id)

    def lists(self, *, counts: bool = True) -> list[ContactList]:
        """All lists, by name. ``counts=False`` skips member counts (a pass over every contact)."""
        members = self._members_by_list() if counts else {}
        found = [
            ContactList(int(lid), doc["name"], len(members.get(int(lid), ())))
            for lid, doc in self._data[LISTS].items()
        ]
        return sorted(found, key=lambda lst: (lst.name.casefold(), lst.id))

    def get_list(self, key: int | str) -> ContactList:
        """A list by id, or by name (case-insensitive)."""
        for lst in self.lists():
            if lst.id == key or (isinstance(key, str) and lst.name.casefold() == key.strip().casefold()):
                return lst
        known = ", ".join(lst.name for lst in self.lists()) or "none yet"
        raise NotFound(f"No list named {key!r} (lists: {known})")

    def members(self, list_id: int) -> set[int]:
        return self._members_by_list().get(list_id, set())

    def _members_by_list(self) -> dict[int, set[int]]:
        cache = self._list_members_cache
        if cache is None:
            cache = {}
            for cid, doc in self._data[CONTACTS].items():
                for lid in doc.get("lists", ()):
                    cache.setdefault(lid, set()).add(int(cid))
            self._list_members_cache = cache
        return cache

    def suppressed_phones(self) -> set[str]:
        """Numbers that opted out and must stay opted out, even after their contact was deleted."""
        cache = self._suppressed_cache
        if cache is None:
            cache = {doc.get("phone") for doc in self._data[SUPPRESSION].values()}
            self._suppressed_cache = cache
        return cache

    def is_suppressed(self, phone: str) -> bool:
        return phone in self.suppressed_phones()

    def users(self) -> list[dict[str, str]]:
        return sorted((dict(doc) for doc in self._data[USERS].values()), key=lambda d: d["login"])

    def policies(self) -> list[dict[str, Any]]:
        return sorted((dict(doc) for doc in self._data[POLICIES].values()), key=lambda d: (d["subject"], d["action"]))

    def rules(self) -> list[permissions.Rule]:
        """The rules in force: every role's (set or default) for every action, then per-user ones."""
        return permissions.rules_in_force(self._data)

    # -- validation ------------------------------------------------------------------------------

    def validate(
        self,
        *,
        name: Any = _UNSET,
        phone: Any = _UNSET,
        email: Any = _UNSET,
        contact_id: int | None = None,
    ) -> dict[str, Any]:
        """Clean the given fields; raise one ValidationError holding every field's problem."""
        cleaned: dict[str, Any] = {}
        errors: dict[str, str] = {}
        checks = (("name", name, clean_name), ("email", email, clean_email))
        for field, value, check in checks:
            if value is not _UNSET:
                try:
                    cleaned[field] = check(value)
                except ValidationError as exc:
                    errors.update(exc.errors)
        if phone is not _UNSET:
            try:
                e164 = clean_phone(phone, self.default_region)
                holder = self._id_by_phone.get(e164)
                if holder is not None and holder != contact_id:
                    other = self.get(holder)
                    errors["phone"] = f"Phone {e164} already belongs to {other.name}"
                else:
                    cleaned["phone"] = e164
            except ValidationError as exc:
                errors.update(exc.errors)
        if errors:
            raise ValidationError(errors)
        return cleaned

    def _list_ids(self, tx: Transaction, lists: Iterable[int | str]) -> list[int]:
        ids: list[int] = []
        for key in lists:
            lst = self.get_list(key)
            if lst.id not in ids:
                ids.append(lst.id)
        return ids

    # -- contacts --------------------------------------------------------------------------------

    def add_contact(
        self,
        name: str,
        phone: str,
        email: str | None = None,
        *,
        lists: Iterable[int | str] = (),
        opted_out: bool = False,
    ) -> Contact:
        with self.transaction() as tx:
            fields = self.validate(name=name, phone=phone, email=email)
            list_ids = self._list_ids(tx, lists)
            doc = new_contact_doc(fields["name"], fields["phone"], fields["email"], list_ids, tx.now)
            contact_id = tx.new_id(CONTACTS)
            if self.is_suppressed(fields["phone"]):
                _set_opt_out(doc, tx, "suppression", "number is on the opt-out list from before")
            elif opted_out:
                _set_opt_out(doc, tx, "manual", f"opted out by hand by {tx.user}")
            tx.put_contact(contact_id, doc)
        return self.get(contact_id)

    def update_contact(
        self,
        contact_id: int,
        *,
        name: Any = _UNSET,
        phone: Any = _UNSET,
        email: Any = _UNSET,
        opted_out: Any = _UNSET,
        lists: Any = _UNSET,
        base: Contact | dict[str, Any] | None = None,
    ) -> Contact:
        """Change the given fields. ``opted_out=False`` on an opted-out contact is refused.

        ``base``: the contact as the user loaded it (a Contact, or ``conflicts.base_of``'s dict).
        Then each field is compared with it inside the write (see store.conflicts): a field someone
        else changed meanwhile to another value raises ``Conflict``, a contact deleted meanwhile
        ``ContactDeleted``, and ``lists`` adds and removes only the lists the user toggled.
        """
        if isinstance(base, Contact):
            base = base_of(base)
        with self.transaction() as tx:
            old = self._doc_based_on(tx, contact_id, base, "saved")
            fields = self.validate(name=name, phone=phone, email=email, contact_id=contact_id)
            if base is not None:
                fields = check_fields(contact_id, old, fields, base)
            if opted_out is False and old.get("opted_out"):
                raise ValidationError.single(
                    "opted_out",
                    f"{old['name']} opted out. Only their own reply ({OPT_IN_KEYWORDS_TEXT}) "
                    "can opt them back in.",
                )
            doc = dict(old)
            doc.update(fields)
            if lists is not _UNSET:
                chosen = self._list_ids(tx, lists)
                if base is not None and "lists" in base:
                    chosen = merge_lists(old.get("lists", ()), chosen, base["lists"])
                doc["lists"] = chosen
            if opted_out is True and not old.get("opted_out"):
                _set_opt_out(doc, tx, "manual", f"opted out by hand by {tx.user}")
            if doc == old:
                return self.get(contact_id)
            if "phone" in fields and fields["phone"] != old["phone"]:
                if old.get("opted_out"):
                    # An opt-out belongs to the number: it must outlive the contact moving away from it.
                    _suppress(tx, old["phone"], "opted-out contact moved to another number")
                if self.is_suppressed(fields["phone"]):
                    _set_opt_out(doc, tx, "suppression", "new number is on the opt-out list from before")
            doc["updated_at"] = tx.now
            tx.put_contact(contact_id, doc)
        return self.get(contact_id)

    def opt_out(self, contact_id: int) -> Contact:
        """Opt a contact out by hand; they stay out until they reply START (or similar)."""
        return self.update_contact(contact_id, opted_out=True)

    def _doc_based_on(
        self, tx: Transaction, contact_id: int, base: dict[str, Any] | None, doing: str
    ) -> dict[str, Any]:
        """The stored document to change; with a base, a contact gone since is ContactDeleted."""
        if base is not None and str(contact_id) not in tx.data[CONTACTS]:
            raise ContactDeleted(contact_id, base, doing)
        return tx.contact_doc(contact_id)

    def delete_contact(self, contact_id: int, *, base: Contact | dict[str, Any] | None = None) -> Contact:
        """Delete a contact. With ``base`` (the values the user saw when deciding), a contact
        someone else changed since raises ``ChangedMeanwhile`` and one already deleted
        ``ContactDeleted``: the user decided on something that is no longer there."""
        if isinstance(base, Contact):
            base = base_of(base)
        with self.transaction() as tx:
            self._require_in(tx, "delete")
            doc = self._doc_based_on(tx, contact_id, base, "deleted")
            if base is not None and (changed := changes_since(base, doc)):
                raise ChangedMeanwhile(contact_id, doc.get("name", ""), changed)
            gone = Contact.from_doc(contact_id, doc)
            if doc.get("opted_out"):
                _suppress(tx, doc["phone"], "contact deleted while opted out")
            tx.remove_contact(contact_id)
        return gone

    def delete_all(self) -> int:
        """Delete every contact in one write. Opted-out numbers stay suppressed. Returns the count."""
        with self.transaction() as tx:
            self._require_in(tx, "delete-all")
            contacts = tx.contacts
            opted_out = [doc["phone"] for doc in contacts.values() if doc.get("opted_out")]
            _suppress_many(tx, opted_out, "all contacts deleted while opted out")
            count = len(contacts)
            if count:
                tx.replace_all_contacts({})
        return count

    # -- lists -----------------------------------------------------------------------------------

    def _check_list_name_free(self, name: str, except_id: int | None = None) -> None:
        for lid, doc in self._data[LISTS].items():
            if doc["name"].casefold() == name.casefold() and int(lid) != except_id:
                raise ValidationError.single("list", f"A list named {doc['name']!r} already exists")

    def add_list(self, name: str) -> ContactList:
        with self.transaction() as tx:
            name = clean_list_name(name)
            self._check_list_name_free(name)
            list_id = tx.new_id(LISTS)
            tx.put(LISTS, list_id, {"name": name, "created_at": tx.now})
        return self.get_list(list_id)

    def rename_list(self, key: int | str, new_name: str) -> ContactList:
        with self.transaction() as tx:
            self._require_in(tx, "lists")
            lst = self.get_list(key)
            new_name = clean_list_name(new_name)
            self._check_list_name_free(new_name, except_id=lst.id)
            doc = dict(tx.table(LISTS)[str(lst.id)], name=new_name)
            tx.put(LISTS, lst.id, doc)
        return self.get_list(lst.id)

    def delete_list(self, key: int | str) -> ContactList:
        """Delete a list; its contacts stay, they just leave the list."""
        with self.transaction() as tx:
            self._require_in(tx, "lists")
            lst = self.get_list(key)
            for cid in sorted(self.members(lst.id)):
                doc = dict(tx.contact_doc(cid))
                doc["lists"] = [lid for lid in doc.get("lists", ()) if lid != lst.id]
                tx.put_contact(cid, doc)
            tx.remove(LISTS, lst.id)
        return lst

    def set_memberships(self, contact_id: int, list_keys: Iterable[int | str]) -> Contact:
        return self.update_contact(contact_id, lists=list(list_keys))

    # -- settings, users, policies ---------------------------------------------------------------

    def set_default_region(self, region: str) -> str:
        with self.transaction() as tx:
            self._require_in(tx, "settings")
            region = clean_region(region)
            settings = dict(tx.table(SETTINGS).get("1", {}), default_region=region)
            tx.put(SETTINGS, 1, settings)
        return region

    def require(self, action: str) -> None:
        decision = self.can(action)
        if not decision.allowed:
            raise PermissionDenied(decision.reason)

    def _require_in(self, tx: Transaction, action: str) -> None:
        # Decided inside the lock, on data just caught up with the file: a policy another process
        # wrote since we loaded counts, both ways (a stale check could also refuse wrongly).
        decision = permissions.decide(tx.data, self.user, action)
        if not decision.allowed:
            raise PermissionDenied(decision.reason)

    def _require_admin(self, tx: Transaction) -> None:
        if permissions.role_of(tx.data, self.user) != "admin":
            raise PermissionDenied(f"Only an admin can change roles and policies ({self.user} is not one)")

    def set_role(self, login: str, role: str) -> None:
        login = permissions.clean_login(login)
        role = permissions.clean_role(role)
        with self.transaction() as tx:
            self._require_admin(tx)
            users = tx.table(USERS)
            found = next((uid for uid, doc in users.items() if doc.get("login") == login), None)
            admins = [doc["login"] for doc in users.values() if doc.get("role") == "admin"]
            if role != "admin" and admins == [login]:
                raise PermissionDenied(f"{login} is the only admin; make someone else admin first")
            uid = int(found) if found is not None else tx.new_id(USERS)
            tx.put(USERS, uid, {"login": login, "role": role})

    def set_policy(self, subject: str, action: str, allow: bool) -> str:
        """Allow or deny ``action`` for a role (admin/supervisor/agent) or a user. Admin only."""
        action = permissions.clean_action(action)
        subject = permissions.parse_subject(subject)
        with self.transaction() as tx:
            self._require_admin(tx)
            policies = tx.table(POLICIES)
            found = next(
                (pid for pid, doc in policies.items() if doc["subject"] == subject and doc["action"] == action),
                None,
            )
            pid = int(found) if found is not None else tx.new_id(POLICIES)
            tx.put(POLICIES, pid, {"subject": subject, "action": action, "allow": bool(allow)})
        return subject


# -- consent helpers shared with store.consent ----------------------------------------------------


def history_entry(tx: Transaction, field: str, old: Any, new: Any, source: str, detail: str) -> dict[str, Any]:
    return {"at": tx.now, "field": field, "from": old, "to": new, "source": source, "by": tx.user, "detail": detail}


def _set_opt_out(doc: dict[str, Any], tx: Transaction, source: str, detail: str) -> None:
    """Opt ``doc`` (a fresh copy) out and record why. Consent is left as it was."""
    if doc.get("opted_out"):
        return
    doc["opted_out"] = True
    doc["history"] = list(doc.get("history", ())) + [history_entry(tx, "opted_out", False, True, source, detail)]


def _suppress_many(tx: Transaction, phones: list[str], reason: str) -> None:
    """_suppress for many numbers at once (delete all): one id block, one table copy."""
    known = tx.store.suppressed_phones()
    fresh = list(dict.fromkeys(phone for phone in phones if phone not in known))
    if not fresh:
        return
    table = tx.table(SUPPRESSION)
    for sid, phone in zip(tx.new_ids(SUPPRESSION, len(fresh)), fresh):
        table[str(sid)] = {"phone": phone, "since": tx.now, "reason": reason}
    tx.dirty = True
    known.update(fresh)


def _suppress(tx: Transaction, phone: str, reason: str) -> None:
    """Remember an opted-out number so that re-adding it never opts it back in."""
    _suppress_many(tx, [phone], reason)
