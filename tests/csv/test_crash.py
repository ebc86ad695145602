"""A process killed at a random moment while importing a large file leaves all of the import or
none of it: the contacts file is one atomic write, never a partial table."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from store import Store

ROWS = 50_000
AREAS = (212, 415, 646, 718, 917)


def write_big_csv(path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("Full Name,Phone,Email\r\n")
        for i in range(ROWS):
            out.write(f"Person {i},+1 {AREAS[i // 10_000]} 555 {i % 10_000:04d},p{i}@example.com\r\n")


def test_sigkill_during_a_large_import_leaves_all_or_nothing(tmp_path):
    csv_path = tmp_path / "big.csv"
    write_big_csv(csv_path)
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    outcomes = []
    for attempt in range(4):
        db = tmp_path / f"attempt{attempt}" / "contacts.json"
        first = Store.open(db, user="alice").add_contact("Before", "+1 212 555 0000")  # also row 1 of the file
        code = f"import sys; from tui.cli import main; sys.exit(main(['--db', {str(db)!r}, 'import', {str(csv_path)!r}, '--skip-header']))"
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 6.5))
        proc.send_signal(signal.SIGKILL)
        returncode = proc.wait()
        store = Store.open(db, user="alice")
        context = f"attempt {attempt}, seed {seed}, exit {returncode}"
        if store.count() == 1:
            assert store.get(first.id).name == "Before", context
            outcomes.append("none")
        else:
            assert store.count() == ROWS, context
            assert store.get(first.id).name == "Person 0", context
            assert store.find("+1 917 555 9999").email == "p49999@example.com", context
            outcomes.append("all")
        assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")], context
    print("outcomes:", outcomes)
