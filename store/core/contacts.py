"""The Store's changes to one contact: validate, add, update (with conflict checks), opt out, delete.

Every rule of a contact is applied here, inside the write: clean fields, one contact per phone,
an opt-out that only the contact's own reply lifts, and a deleted opted-out number remembered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from store.consent.history import OPT_IN_KEYWORDS_TEXT, set_opt_out
from store.consent.suppression import suppress
from store.core.conflicts import ChangedMeanwhile, ContactDeleted, base_of, changes_since, check_fields, merge_lists
from store.core.state import StoreState
from store.errors import NotFound, ValidationError
from store.model import CONTACTS, LISTS, Contact, new_contact_doc
from store.rules.text import printable
from store.rules.validation import clean_email, clean_name, clean_phone

if TYPE_CHECKING:
    from store.core.transaction import Transaction

UNSET: Any = object()  # "not given": None is a value (no email)


class ContactsPart(StoreState):
    def validate(
        self,
        *,
        name: Any = UNSET,
        phone: Any = UNSET,
        email: Any = UNSET,
        contact_id: int | None = None,
    ) -> dict[str, Any]:
        """Clean the given fields; raise one ValidationError holding every field's problem."""
        cleaned: dict[str, Any] = {}
        errors: dict[str, str] = {}
        checks = (("name", name, clean_name), ("email", email, clean_email))
        for field, value, check in checks:
            if value is not UNSET:
                try:
                    cleaned[field] = check(value)
                except ValidationError as exc:
                    errors.update(exc.errors)
        if phone is not UNSET:
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
            list_ids = self._list_ids(lists)
            doc = new_contact_doc(fields["name"], fields["phone"], fields["email"], list_ids, tx.now)
            contact_id = tx.new_id(CONTACTS)
            if self.is_suppressed(fields["phone"]):
                set_opt_out(doc, tx, "suppression", "number is on the opt-out list from before")
            elif opted_out:
                set_opt_out(doc, tx, "manual", f"opted out by hand by {tx.user}")
            tx.put_contact(contact_id, doc)
        return self.get(contact_id)

    def update_contact(
        self,
        contact_id: int,
        *,
        name: Any = UNSET,
        phone: Any = UNSET,
        email: Any = UNSET,
        opted_out: Any = UNSET,
        lists: Any = UNSET,
        base: Contact | dict[str, Any] | None = None,
    ) -> Contact:
        """Change the given fields. ``opted_out=False`` on an opted-out contact is refused.

        ``base``: the contact as the user loaded it (a Contact, or ``conflicts.base_of``'s dict).
        Then each field is compared with it inside the write (see store.core.conflicts): a field someone
        else changed meanwhile to another value raises ``Conflict``, a contact deleted meanwhile
        ``ContactDeleted``, and ``lists`` adds and removes only the lists the user toggled.
        """
        if isinstance(base, Contact):
            base = base_of(base)
        based_lists = lists is not UNSET and base is not None and "lists" in base
        # The names of the lists as this store knows them now, before the write catches up with the
        # file: a list the user ticked that someone else removed meanwhile is named in the refusal.
        names_before = {lst.id: lst.name for lst in self.lists(counts=False)} if based_lists else {}
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
            if based_lists:
                doc["lists"] = self._toggled_lists(tx, old, lists, base["lists"], names_before)
            elif lists is not UNSET:
                doc["lists"] = self._list_ids(lists)
            if opted_out is True and not old.get("opted_out"):
                set_opt_out(doc, tx, "manual", f"opted out by hand by {tx.user}")
            if doc == old:
                return self.get(contact_id)
            if "phone" in fields and fields["phone"] != old["phone"]:
                if old.get("opted_out"):
                    # An opt-out belongs to the number: it must outlive the contact moving away from it.
                    suppress(tx, old["phone"], "opted-out contact moved to another number")
                if self.is_suppressed(fields["phone"]):
                    set_opt_out(doc, tx, "suppression", "new number is on the opt-out list from before")
            doc["updated_at"] = tx.now
            tx.put_contact(contact_id, doc)
        return self.get(contact_id)

    def _toggled_lists(
        self, tx: "Transaction", old: dict[str, Any], lists: Iterable[int | str], base_lists: Iterable[int],
        names_before: dict[int, str],
    ) -> list[int]:
        """The stored memberships with the user's toggles applied (``conflicts.merge_lists``).

        Only the lists the user ticked must still exist: one that was ticked when they loaded the
        contact and was removed since is not theirs to check (the form may still show it).
        """
        base_ids = set(base_lists)
        ticked = [key for key in lists if key not in base_ids]
        for key in ticked:
            if isinstance(key, int) and key in names_before and str(key) not in tx.data[LISTS]:
                raise NotFound(
                    f"List {printable(names_before[key])!r} was removed by someone else since you loaded it; "
                    "nothing was saved."
                )
        yours = self._list_ids(ticked) + [key for key in lists if key in base_ids]
        return merge_lists(old.get("lists", ()), yours, base_ids)

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
                suppress(tx, doc["phone"], "contact deleted while opted out")
            tx.remove_contact(contact_id)
        return gone
