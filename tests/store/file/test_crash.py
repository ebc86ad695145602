"""A writer killed (SIGKILL) at any moment leaves a file that loads and holds a committed state.

A forked child writes in a loop. Each transaction adds contact number N and, in the same write,
sets a ``progress`` record to N + 1, and only after the transaction returns reports N + 1 on a
pipe. After each kill the file must hold exactly contacts 0..K-1 with progress K, where K is
the last reported count or one more (killed after the save, before the report): a state some
transaction completed, never a torn one, and never older than what was reported as saved.
"""

from __future__ import annotations

import json
import os
import random
import signal
import struct
import sys
import time
from pathlib import Path

import pytest

from store import Store
from store.model import CONTACTS, new_contact_doc

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")

KILLS = 40
PRELOAD = 1500  # makes each save take a while, so kills land inside writes too
PROGRESS = "progress"  # an extra table: the cross-table invariant proves the write is all-or-nothing


def phone_for(n: int) -> str:
    return f"+1415{5550000 + n:07d}"


def commit_one(store: Store) -> int:
    with store.transaction() as tx:
        n = tx.table(PROGRESS).get("1", {}).get("count", 0)
        tx.put_contact(tx.new_id(CONTACTS), new_contact_doc(f"c{n:06d}", phone_for(n), None, [], tx.now))
        tx.put(PROGRESS, 1, {"count": n + 1})
    return n + 1


def writer(path: Path, report_fd: int) -> None:  # pragma: no cover - runs in the child
    store = Store.open(path, user="crasher")
    while True:
        os.write(report_fd, struct.pack("<I", commit_one(store)))


def start_writer(path: Path) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        try:
            writer(path, write_end)
        finally:
            os._exit(1)
    os.close(write_end)
    return pid, read_end


def last_report(read_end: int) -> int | None:
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    data = b"".join(chunks)
    whole = len(data) - len(data) % 4
    return struct.unpack_from("<I", data, whole - 4)[0] if whole else None


def check_committed(path: Path, at_least: int) -> int:
    """The file is a whole, committed state; returns its count."""
    doc = json.loads(path.read_bytes())  # a torn file would fail right here
    count = doc[PROGRESS]["1"]["count"]
    names = sorted(c["name"] for c in doc["contacts"].values())
    assert names == [f"c{n:06d}" for n in range(count)], "contacts and progress disagree: a torn state"
    assert sorted(c["phone"] for c in doc["contacts"].values()) == sorted(phone_for(n) for n in range(count))
    assert at_least <= count <= at_least + 1, "a save reported as done was lost"
    return count


def test_a_writer_killed_at_random_moments_never_leaves_a_broken_file(tmp_path):
    path = tmp_path / "contacts.json"
    store = Store.open(path, user="alice")
    with store.transaction() as tx:
        for n in range(PRELOAD):
            tx.put_contact(tx.new_id(CONTACTS), new_contact_doc(f"c{n:06d}", phone_for(n), None, [], tx.now))
        tx.put(PROGRESS, 1, {"count": PRELOAD})
    rng = random.Random(20240607)
    committed = PRELOAD
    strays_seen = 0
    for _ in range(KILLS):
        pid, read_end = start_writer(path)
        time.sleep(rng.uniform(0.0, 0.08))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, "the writer died by itself"
        reported = last_report(read_end)
        committed = check_committed(path, reported if reported is not None else committed)
        strays_seen += any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
        # The next start agrees with the file; the next writer removes what the killed one left
        # (once it is old enough not to be a live writer's: made old here rather than waited for).
        reopened = Store.open(path, user="bob")
        assert reopened.count() == committed
        for stray in tmp_path.glob("*.tmp"):
            os.utime(stray, (time.time() - 3600,) * 2)
        with reopened.transaction():
            pass
        assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    assert committed > PRELOAD, "the writer never committed anything"
    # For whoever tunes KILLS/PRELOAD: how often a kill hit the middle of a save.
    print(f"{KILLS} kills, {committed - PRELOAD} commits, {strays_seen} kills left a temp file", file=sys.stderr)
    # After all that, the file still takes changes.
    store.refresh()
    assert commit_one(store) == committed + 1
