"""Hand-made data files that are valid JSON but hold wrong types or values (issue 12, item 6).

``valid_document()`` is a small file as the app writes it, with something in every table. Each
case changes one thing in it and says where the refusal must point: the table, the record and
the field (``None`` when the record itself is wrong).
"""

from __future__ import annotations

import copy
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

from store import CorruptDataFile, Store
from store.model import CONTACTS, IMPORTS, LISTS, META, POLICIES, SETTINGS, SUPPRESSION, USERS, empty_document
from store.access.permissions import current_login

AT = "2026-03-01T12:00:00Z"
ANN, BOB, CY = "+14155550132", "+14155550133", "+442079460958"


def contact(name: str, phone: str, **extra: Any) -> dict[str, Any]:
    doc = {
        "name": name, "phone": phone, "email": None, "opted_out": False, "consent": "not_sent",
        "consent_changed_at": None, "lists": [], "history": [], "review": [], "created_at": AT, "updated_at": AT,
    }
    doc.update(extra)
    return doc


def valid_document(user: str | None = None) -> dict[str, Any]:
    """Its admin is the user running the tests, so that every command may run on it."""
    user = user or current_login()
    doc = empty_document(user)
    doc[LISTS] = {"1": {"name": "VIP", "created_at": AT}, "2": {"name": "Newsletter", "created_at": AT}}
    doc[CONTACTS] = {
        "1": contact("Ann Lee", ANN, email="ann@example.com", lists=[1, 2]),
        "2": contact(
            "Bob Stone", BOB, opted_out=True, consent="declined", consent_changed_at=AT, lists=[2],
            history=[
                {"at": AT, "field": "opted_out", "from": False, "to": True, "source": "reply", "by": user,
                 "detail": "STOP"},
                {"at": AT, "field": "consent", "from": "not_sent", "to": "declined", "source": "reply",
                 "by": user, "detail": "STOP"},
            ],
        ),
        "3": contact(
            "Cy Young", CY,
            review=[{"at": AT, "text": "please stop texting me so often", "by": user},
                    {"at": AT, "text": "no more", "by": user, "resolved_at": AT, "resolved_by": user,
                     "resolution": "dismissed"}],
        ),
    }
    doc[USERS]["2"] = {"login": "bob", "role": "agent"}
    doc[POLICIES] = {"1": {"subject": "role:agent", "action": "delete", "allow": False}}
    doc[SUPPRESSION] = {"1": {"phone": "+14155550199", "since": AT, "reason": "replied 'STOP' with no contact"}}
    doc[IMPORTS] = {
        "1": {"at": AT, "by": user, "source": "sales.csv", "list": "VIP", "created": [[3, 3]],
              "updated": {"1": {"name": "Ann", "email": None, "lists": [2], "updated_at": AT}},
              "lists_created": [], "touched": [3], "undone": None},
        "2": {"at": AT, "by": user, "source": "pasted text", "list": None, "created": [], "updated": {},
              "lists_created": [1], "touched": [],
              "undone": {"at": AT, "by": "bob", "removed": 0, "restored": 0, "kept": 0}},
    }
    doc[META]["1"]["next_ids"] = {CONTACTS: 4, LISTS: 3, USERS: 3, POLICIES: 2, SUPPRESSION: 2, IMPORTS: 3}
    return doc


def refusal(doc: dict[str, Any]) -> str:
    """What opening a file holding ``doc`` is refused with, without the path in front and the
    advice behind: ``table "contacts", record 2, field "opted_out": expected ..., found ...``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.json"
        path.write_text(json.dumps(doc))
        with pytest.raises(CorruptDataFile) as err:
            Store.open(path, user="alice")
    message = str(err.value)
    advice = ". The file was left as it is: correct it, or restore it from a backup."
    assert message.startswith(f"{path}: ") and message.endswith(advice), message
    return message[len(f"{path}: "):-len(advice)]


@dataclass(frozen=True)
class Case:
    name: str
    change: Callable[[dict[str, Any]], None]
    table: str
    record: str
    field: str | None

    def document(self) -> dict[str, Any]:
        doc = copy.deepcopy(valid_document())
        self.change(doc)
        return doc

    @property
    def where(self) -> str:
        """What the message must say, e.g. ``table "contacts", record 2, field "opted_out"``."""
        where = f'table "{self.table}", record {self.record}'
        return where if self.field is None else f'{where}, field "{self.field}"'


def _set(table: str, record: str, field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc[table][record][field] = value

    return change


def _drop(table: str, record: str, field: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        del doc[table][record][field]

    return change


def _record(table: str, record: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc[table][record] = value

    return change


def _counter(table: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc[META]["1"]["next_ids"][table] = value

    return change


def _history(index: int, field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc[CONTACTS]["2"]["history"][index][field] = value

    return change


def _rekey(table: str, old: str, new: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc[table][new] = doc[table].pop(old)

    return change


CASES = [
    # the examples
    Case("suppression row is a string", _record(SUPPRESSION, "1", "+14155550199"), SUPPRESSION, "1", None),
    Case("default_region is a number", _set(SETTINGS, "1", "default_region", 44), SETTINGS, "1", "default_region"),
    Case("id counter of 10^30", _counter(CONTACTS, 10**30), META, "1", "next_ids.contacts"),
    Case("lists nested in a list", _set(CONTACTS, "1", "lists", [[1, 2]]), CONTACTS, "1", "lists[0]"),
    Case("opted_out is the string no", _set(CONTACTS, "2", "opted_out", "no"), CONTACTS, "2", "opted_out"),
    Case("duplicate phone", _set(CONTACTS, "3", "phone", ANN), CONTACTS, "3", "phone"),
    # contacts, field by field
    Case("name is null", _set(CONTACTS, "1", "name", None), CONTACTS, "1", "name"),
    Case("name is missing", _drop(CONTACTS, "3", "name"), CONTACTS, "3", "name"),
    Case("name is blank", _set(CONTACTS, "1", "name", "   "), CONTACTS, "1", "name"),
    Case("phone is missing", _drop(CONTACTS, "2", "phone"), CONTACTS, "2", "phone"),
    Case("phone is a number", _set(CONTACTS, "1", "phone", 14155550132), CONTACTS, "1", "phone"),
    Case("phone not in stored form", _set(CONTACTS, "1", "phone", "(415) 555-0132"), CONTACTS, "1", "phone"),
    Case("email is a number", _set(CONTACTS, "3", "email", 5), CONTACTS, "3", "email"),
    Case("opted_out is 1", _set(CONTACTS, "1", "opted_out", 1), CONTACTS, "1", "opted_out"),
    Case("consent unknown", _set(CONTACTS, "1", "consent", "yes"), CONTACTS, "1", "consent"),
    Case("consent_changed_at a number", _set(CONTACTS, "2", "consent_changed_at", 1.7e9), CONTACTS, "2",
         "consent_changed_at"),
    Case("created_at in words", _set(CONTACTS, "1", "created_at", "yesterday"), CONTACTS, "1", "created_at"),
    Case("updated_at null", _set(CONTACTS, "3", "updated_at", None), CONTACTS, "3", "updated_at"),
    Case("lists is a name", _set(CONTACTS, "1", "lists", "VIP"), CONTACTS, "1", "lists"),
    Case("lists names a missing list", _set(CONTACTS, "1", "lists", [1, 9]), CONTACTS, "1", "lists[1]"),
    Case("lists holds true", _set(CONTACTS, "2", "lists", [True]), CONTACTS, "2", "lists[0]"),
    Case("lists holds a float", _set(CONTACTS, "2", "lists", [2.0]), CONTACTS, "2", "lists[0]"),
    Case("lists holds an id twice", _set(CONTACTS, "1", "lists", [1, 1]), CONTACTS, "1", "lists[1]"),
    Case("history is an object", _set(CONTACTS, "2", "history", {"at": AT}), CONTACTS, "2", "history"),
    Case("history entry is a string", _set(CONTACTS, "2", "history", ["opted out"]), CONTACTS, "2", "history[0]"),
    Case("history entry at is a number", _history(1, "at", 0), CONTACTS, "2", "history[1].at"),
    Case("history entry by is a list", _history(0, "by", ["ann"]), CONTACTS, "2", "history[0].by"),
    Case("review item text is a number", lambda d: d[CONTACTS]["3"]["review"][0].update(text=7), CONTACTS, "3",
         "review[0].text"),
    Case("review resolved_at in words", lambda d: d[CONTACTS]["3"]["review"][1].update(resolved_at="now"),
         CONTACTS, "3", "review[1].resolved_at"),
    Case("contact is a list", _record(CONTACTS, "2", ["Bob Stone", BOB]), CONTACTS, "2", None),
    Case("record id is not a number", _rekey(CONTACTS, "3", "x"), CONTACTS, '"x"', None),
    Case("record id with a leading zero", _rekey(CONTACTS, "3", "03"), CONTACTS, '"03"', None),
    Case("record id of 10^30", _rekey(CONTACTS, "3", str(10**30)), CONTACTS, f'"{10**30}"', None),
    # the other tables
    Case("list name is an object", _set(LISTS, "1", "name", {"name": "VIP"}), LISTS, "1", "name"),
    Case("two lists of one name", _set(LISTS, "2", "name", "vip"), LISTS, "2", "name"),
    Case("region unknown", _set(SETTINGS, "1", "default_region", "XX"), SETTINGS, "1", "default_region"),
    Case("role unknown", _set(USERS, "2", "role", "boss"), USERS, "2", "role"),
    Case("login is a number", _set(USERS, "2", "login", 7), USERS, "2", "login"),
    Case("login twice", lambda d: d[USERS]["2"].update(login=d[USERS]["1"]["login"]), USERS, "2", "login"),
    Case("policy action unknown", _set(POLICIES, "1", "action", "fly"), POLICIES, "1", "action"),
    Case("policy allow is a string", _set(POLICIES, "1", "allow", "yes"), POLICIES, "1", "allow"),
    Case("policy subject without kind", _set(POLICIES, "1", "subject", "agent"), POLICIES, "1", "subject"),
    Case("policy subject an unknown role", _set(POLICIES, "1", "subject", "role:boss"), POLICIES, "1", "subject"),
    Case("suppression phone not E.164", _set(SUPPRESSION, "1", "phone", "4155550199"), SUPPRESSION, "1", "phone"),
    Case("suppression since null", _set(SUPPRESSION, "1", "since", None), SUPPRESSION, "1", "since"),
    Case("schema version a float", _set(META, "1", "schema_version", 1.0), META, "1", "schema_version"),
    Case("next_ids is a list", _set(META, "1", "next_ids", [4, 3]), META, "1", "next_ids"),
    Case("counter below an existing id", _counter(CONTACTS, 3), META, "1", "next_ids.contacts"),
    Case("counter of 2^53", _counter(LISTS, 2**53), META, "1", "next_ids.lists"),
    Case("counter a string", _counter(USERS, "3"), META, "1", "next_ids.users"),
    # the import log (store.transfer.import_log)
    Case("import at in words", _set(IMPORTS, "1", "at", "now"), IMPORTS, "1", "at"),
    Case("import source missing", _drop(IMPORTS, "1", "source"), IMPORTS, "1", "source"),
    Case("import by is null", _set(IMPORTS, "2", "by", None), IMPORTS, "2", "by"),
    Case("import list is a number", _set(IMPORTS, "1", "list", 1), IMPORTS, "1", "list"),
    Case("import created holds bare ids", _set(IMPORTS, "1", "created", [3]), IMPORTS, "1", "created[0]"),
    Case("import created run backwards", _set(IMPORTS, "1", "created", [[3, 1]]), IMPORTS, "1", "created[0]"),
    Case("import created run of 10^30", _set(IMPORTS, "1", "created", [[1, 10**30]]), IMPORTS, "1", "created[0]"),
    Case("import updated is a list", _set(IMPORTS, "1", "updated", [1]), IMPORTS, "1", "updated"),
    Case("import updated id not a number", _set(IMPORTS, "1", "updated", {"x": {}}), IMPORTS, "1", "updated.x"),
    Case("import updated name blank", lambda d: d[IMPORTS]["1"]["updated"]["1"].update(name=" "), IMPORTS, "1",
         "updated.1.name"),
    Case("import updated lists holds a name", lambda d: d[IMPORTS]["1"]["updated"]["1"].update(lists=["VIP"]),
         IMPORTS, "1", "updated.1.lists[0]"),
    Case("import updated_at before in words", lambda d: d[IMPORTS]["1"]["updated"]["1"].update(updated_at="x"),
         IMPORTS, "1", "updated.1.updated_at"),
    Case("import touched holds a string", _set(IMPORTS, "1", "touched", ["3"]), IMPORTS, "1", "touched[0]"),
    Case("import lists_created a number", _set(IMPORTS, "2", "lists_created", 1), IMPORTS, "2", "lists_created"),
    Case("import undone is a string", _set(IMPORTS, "2", "undone", "yes"), IMPORTS, "2", "undone"),
    Case("import undone without a time", lambda d: d[IMPORTS]["2"]["undone"].pop("at"), IMPORTS, "2", "undone.at"),
    Case("import undone count negative", lambda d: d[IMPORTS]["2"]["undone"].update(kept=-1), IMPORTS, "2",
         "undone.kept"),
    Case("counter below an import id", _counter(IMPORTS, 2), META, "1", "next_ids.imports"),
    # found by trying: the store reads record 1 alone, so a second one was accepted and then
    # written to, making a file it refused afterwards; a history entry without from/to showed "no -> no"
    Case("a second _meta record", lambda d: d[META].update({"2": copy.deepcopy(d[META]["1"])}), META, "2", None),
    Case("a second settings record", lambda d: d[SETTINGS].update({"2": {"default_region": "GB"}}), SETTINGS, "2",
         None),
    Case("history entry without from", lambda d: d[CONTACTS]["2"]["history"][0].pop("from"), CONTACTS, "2",
         "history[0].from"),
    Case("history entry without to", lambda d: d[CONTACTS]["2"]["history"][0].pop("to"), CONTACTS, "2",
         "history[0].to"),
]
