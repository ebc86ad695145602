"""CSV import figures: read, validate, apply (one write) and peak memory, per file size.

Usage: python -m bench.bench_import [ROWS ...]     (default 10000 100000)

Each size runs in a fresh child process on a fresh data file, so peak RSS is the import's own.
The floor printed alongside is the csv module alone reading the same file (no validation).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

AREAS = (212, 305, 415, 512, 617, 646, 702, 718, 808, 917)

CHILD = """
import csv, resource, sys, time
from store import Store
from store.csv_format import CsvSource, read_csv
from store.importer import apply_plan, preview
csv_path, db_path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
with open(csv_path, newline='', encoding='utf-8') as f:
    rows = sum(1 for _ in csv.reader(f))
floor = time.perf_counter() - t0
store = Store.open(db_path, user='bench')
t0 = time.perf_counter()
table = read_csv(CsvSource.from_path(csv_path), skip_first_line=True)
t1 = time.perf_counter()
plan = preview(store, CsvSource.from_path(csv_path), skip_first_line=True)
t2 = time.perf_counter()
apply_plan(store, plan)
t3 = time.perf_counter()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{floor:.2f} {t1 - t0:.2f} {t2 - t1:.2f} {t3 - t2:.2f} {rss / 1024:.0f}")
"""


def write_csv(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("Full Name,Phone,Email\r\n")
        for i in range(rows):
            area = AREAS[(i // 10_000) % len(AREAS)]
            out.write(f"Person {i},+1 {area} 555 {i % 10_000:04d},p{i}@example.com\r\n")


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [10_000, 100_000]
    print(f"{'rows':>9} {'csv floor':>10} {'read':>7} {'preview':>8} {'apply':>7} {'peak MB':>8}")
    for rows in sizes:
        with tempfile.TemporaryDirectory() as folder:
            csv_path = Path(folder) / "import.csv"
            write_csv(csv_path, rows)
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(csv_path), str(Path(folder) / "contacts.json")],
                capture_output=True,
                text=True,
                check=True,
            )
            floor, read, check, apply, rss = done.stdout.split()
            print(f"{rows:>9,} {floor + 's':>10} {read + 's':>7} {check + 's':>8} {apply + 's':>7} {rss:>8}")
    print("(preview = read + validate every row + plan against the data; apply = one transaction, one write)")


if __name__ == "__main__":
    main(sys.argv[1:])
