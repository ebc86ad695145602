"""Several processes on one file: no update is lost, ids never collide, rules hold across them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from store import NotFound, Store
from store.model import CONTACTS, LISTS, new_contact_doc

WORKERS = 4
ADDS_PER_WORKER = 15

# A worker waits for the start signal, then adds its contacts one transaction at a time.
WORKER = textwrap.dedent(
    """
    import json, os, sys, time
    from store import Store, ValidationError

    path, worker, count, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    phones = sys.argv[5:]
    while not os.path.exists(go):
        time.sleep(0.002)
    store = Store.open(path, user=f"worker{worker}")
    added, refused = [], []
    for i in range(count):
        phone = phones[i] if phones else f"+1415555{worker}{i:03d}"
        try:
            contact = store.add_contact(f"Worker {worker} #{i}", phone)
            added.append([contact.id, contact.phone])
        except ValidationError as exc:
            refused.append(str(exc))
    print(json.dumps({"added": added, "refused": refused}))
    """
)


def run_workers(path: Path, tmp_path: Path, count: int, phones: list[str] | None = None) -> list[dict]:
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), str(w), str(count), str(go), *(phones or [])],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WORKERS)
    ]
    time.sleep(0.3)  # let them all import and wait at the start line (correctness does not depend on it)
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    return results


def test_processes_adding_at_once_lose_nothing_and_never_share_an_id(tmp_path):
    path = tmp_path / "shared" / "contacts.json"  # does not exist yet: they race to create it too
    results = run_workers(path, tmp_path, ADDS_PER_WORKER)
    reported = [tuple(pair) for r in results for pair in r["added"]]
    assert all(r["refused"] == [] for r in results)
    assert len(reported) == WORKERS * ADDS_PER_WORKER
    ids = [cid for cid, _ in reported]
    assert len(set(ids)) == len(ids), "two processes were given the same id"

    final = Store.open(path, user="check")
    assert final.count() == WORKERS * ADDS_PER_WORKER
    for cid, phone in reported:
        assert final.get(cid).phone == phone
    names = {c.name for c in final.contacts()}
    assert names == {f"Worker {w} #{i}" for w in range(WORKERS) for i in range(ADDS_PER_WORKER)}
    # Only one of them created the file, so there is exactly one admin.
    assert [u["role"] for u in final.users()].count("admin") == 1


def test_processes_adding_the_same_numbers_at_once_add_each_only_once(tmp_path):
    path = tmp_path / "contacts.json"
    Store.open(path, user="alice")
    phones = [f"+1415555{i:04d}" for i in range(100, 110)]
    # Every worker tries every number, in other formats too: each must land exactly once.
    results = run_workers(path, tmp_path, len(phones), phones)
    added = [phone for r in results for _, phone in r["added"]]
    assert sorted(added) == sorted(phones)
    assert sum(len(r["refused"]) for r in results) == (WORKERS - 1) * len(phones)
    assert all("already belongs to Worker" in msg for r in results for msg in r["refused"])
    final = Store.open(path, user="check")
    assert sorted(c.phone for c in final.contacts()) == sorted(phones)


def test_two_stores_in_one_process_interleave_without_losing_updates(db_path, store):
    other = Store.open(db_path, user="bob")
    made = []
    for i in range(10):
        writer = store if i % 2 else other
        made.append(writer.add_contact(f"C{i}", f"+14155550{i:03d}").id)
    assert len(set(made)) == 10
    for s in (store, other):
        s.refresh()
        assert sorted(s.ordered_ids()) == sorted(made)


def test_an_edit_and_a_delete_from_another_store_are_both_kept(db_path, store):
    ann = store.add_contact("Ann", "4155550132")
    bob = store.add_contact("Bob", "4155550133")
    other = Store.open(db_path, user="bob")
    other.delete_contact(bob.id)
    store.update_contact(ann.id, name="Ann Lee")  # must not bring Bob back
    final = Store.open(db_path, user="check")
    assert [c.name for c in final.contacts()] == ["Ann Lee"]
    # Bob's number is free again for the store that did not see the delete.
    assert store.add_contact("Bob Again", "4155550133").phone == "+14155550133"


def test_editing_a_contact_someone_else_deleted_is_refused(db_path, store, unchanged):
    ann = store.add_contact("Ann", "4155550132")
    Store.open(db_path, user="bob").delete_contact(ann.id)
    with unchanged(), pytest.raises(NotFound, match="deleted by someone else"):
        store.update_contact(ann.id, name="Ann Lee")
    assert store.count() == 0  # it caught up with the delete


# -- threads: the app reads while a worker thread saves ------------------------------------------


def test_readers_never_see_a_half_made_change(store):
    vip = store.add_list("VIP")
    ann = store.add_contact("Ann", "4155550132", "ann@example.com", lists=["VIP"])
    before = (store.contacts(), store.lists(), store.search("ann"))
    with pytest.raises(RuntimeError):
        with store.transaction() as tx:
            tx.put_contact(ann.id, dict(tx.contact_doc(ann.id), name="Zed", phone="+14155550199", lists=[]))
            tx.remove(LISTS, vip.id)
            tx.put_contact(tx.new_id(CONTACTS), new_contact_doc("Bob", "+14155550133", None, [], tx.now))
            # What another thread would see right now: the last saved state, whole.
            assert (store.contacts(), store.lists(), store.search("ann")) == before
            assert store.find("4155550132").id == ann.id
            assert store.id_for_phone("+14155550199") is None
            raise RuntimeError("abandon the change")
    assert (store.contacts(), store.lists(), store.search("ann")) == before
    assert store.id_for_phone("+14155550133") is None


def test_reading_from_another_thread_while_saving_is_safe(store):
    """Iterating readers (lists, members, email lookup) run while a thread adds lists and contacts."""
    import sys
    import threading

    from store.model import new_contact_doc as doc_for

    with store.transaction() as tx:
        for i in range(3000):
            tx.put_contact(tx.new_id(CONTACTS), doc_for(f"P{i}", f"+1415{5550000 + i:07d}", f"p{i}@x.io", [], tx.now))
    errors: list[BaseException] = []
    done = threading.Event()

    def write() -> None:
        try:
            for i in range(40):
                lst = store.add_list(f"L{i}")
                store.add_contact(f"N{i}", f"+1212{5550000 + i:07d}", f"n{i}@x.io", lists=[lst.id])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, to interleave inside loops
    try:
        writer = threading.Thread(target=write)
        writer.start()
        reads = 0
        while not done.is_set() or reads == 0:
            try:
                lists = store.lists()
                for lst in lists[:3]:
                    store.contacts(lst.id)
                store.find("p2999@x.io")
            except BaseException as exc:
                errors.append(exc)
                break
            reads += 1
        writer.join()
    finally:
        sys.setswitchinterval(old_interval)
    assert errors == []
    assert len(store.lists()) == 40 and store.count() == 3040
