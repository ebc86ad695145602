"""Delete all contacts: one write however many contacts, opt-outs remembered, lists kept."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from store import Store
from store.model import CONTACTS, new_contact_doc
from tui.cli import main

MANY = 5000


def fill(store: Store, count: int, *, opted_out_every: int = 10) -> list[str]:
    """Add ``count`` contacts in one transaction; every n-th is opted out. Returns those phones."""
    opted_out = []
    with store.transaction() as tx:
        for i in range(count):
            phone = f"+1415555{i:04d}"
            doc = new_contact_doc(f"Person {i:05d}", phone, None, [], tx.now)
            if i % opted_out_every == 0:
                doc["opted_out"] = True
                opted_out.append(phone)
            tx.put_contact(tx.new_id(CONTACTS), doc)
    return opted_out


@pytest.fixture
def replaces(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every os.replace (the atomic save's rename) from now on, by target path."""
    calls: list[str] = []
    real = os.replace

    def counting(src, dst, *args, **kwargs):
        calls.append(str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", counting)
    return calls


def test_delete_all_is_one_write(store: Store, db_path: Path, replaces: list[str]) -> None:
    fill(store, MANY)
    replaces.clear()
    assert store.delete_all() == MANY
    assert replaces == [str(db_path)]
    assert store.count() == 0
    assert json.loads(db_path.read_bytes())["contacts"] == {}
    assert Store.open(db_path, user="bob").count() == 0


def test_nothing_to_delete_writes_nothing(store: Store, replaces: list[str]) -> None:
    assert store.delete_all() == 0
    assert replaces == []


def test_opted_out_numbers_stay_suppressed(store: Store, db_path: Path) -> None:
    opted_out = fill(store, 200)
    store.delete_all()
    suppressed = [doc["phone"] for doc in json.loads(db_path.read_bytes())["suppression"].values()]
    assert sorted(suppressed) == sorted(opted_out)  # each once, and only the opted-out ones
    assert Store.open(db_path, user="bob").suppressed_phones() == set(opted_out)


def test_a_number_suppressed_before_is_not_recorded_twice(store: Store, db_path: Path) -> None:
    first = store.add_contact("Ann Lee", "415 555 0132", opted_out=True)
    store.delete_contact(first.id)
    store.add_contact("Ann Again", "(415) 555-0132")  # comes back opted out
    store.delete_all()
    suppressed = [doc["phone"] for doc in json.loads(db_path.read_bytes())["suppression"].values()]
    assert suppressed == ["+14155550132"]


def test_re_adding_an_opted_out_number_keeps_it_opted_out(store: Store) -> None:
    store.add_contact("Ann Lee", "415 555 0132", opted_out=True)
    store.add_contact("Ben Ode", "415 555 0133")
    store.delete_all()
    again = store.add_contact("Ann Lee", "+1 415-555-0132")
    fresh = store.add_contact("Ben Ode", "415 555 0133")
    assert again.opted_out is True
    assert again.history[-1]["source"] == "suppression"
    assert fresh.opted_out is False


def test_lists_survive_empty(store: Store) -> None:
    store.add_list("VIP")
    store.add_contact("Ann Lee", "415 555 0132", lists=["VIP"])
    store.delete_all()
    assert [(lst.name, lst.members) for lst in store.lists()] == [("VIP", 0)]


def test_cli_delete_all_as_admin(db_path: Path, capsys, replaces: list[str]) -> None:
    store = Store.open(db_path)  # the OS user creates the file, so is its admin
    fill(store, 50)
    replaces.clear()
    assert main(["--db", str(db_path), "delete-all", "--yes"]) == 0
    assert replaces == [str(db_path)]
    out = capsys.readouterr().out
    assert "Deleted 50 contacts" in out and "5 opted-out numbers" in out
    assert Store.open(db_path).count() == 0


def test_cli_delete_all_needs_yes(db_path: Path, capsys) -> None:
    store = Store.open(db_path)
    fill(store, 3)
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db_path), "delete-all"])
    assert exit_info.value.code == 2
    assert Store.open(db_path).count() == 3


def test_delete_all_suppresses_each_opted_out_number_once_with_fresh_ids(store):
    from store.model import SUPPRESSION

    phones = ["+14155550101", "+14155550102", "+14155550103"]
    for i, phone in enumerate(phones):
        contact = store.add_contact(f"P{i}", phone)
        if i < 2:
            store.opt_out(contact.id)
    store.delete_contact(store.find(phones[0]).id)  # suppressed already, on its own
    store.delete_all()
    rows = list(store._data[SUPPRESSION].items())
    assert sorted(doc["phone"] for _, doc in rows) == sorted(phones[:2])
    assert len({sid for sid, _ in rows}) == len(rows)
    again = store.add_contact("Back", phones[1])
    assert again.opted_out
    assert not store.add_contact("Never out", phones[2]).opted_out
