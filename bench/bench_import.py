"""CSV import figures against their floor: `contacts import` of N rows, wall time.

Usage: python -m bench.bench_import [--runs N] [--big] [ROWS ...]
       (default 10000 100000; --big adds 500000; medians of --runs runs, default 3)

For each size, one CSV file from store.demo_data.csv_text (mixed US formats and ~10 %
international numbers, names in many scripts, emails for ~60 %) and, per run, a fresh data file:

- import: the real `contacts --db NEW import FILE --skip-header`, in a subprocess, wall time
  (interpreter start, imports, read, check, one transaction, one atomic write).
- floor: plain Python in a subprocess, wall time: csv.reader over the file,
  phonenumbers.parse / is_valid_number / format_number(E164) per row, one orjson.dumps of a dict
  of the results and one atomic write (temp file, fsync, rename). The GC is left on, as plain
  Python has it.
- phonenumbers: the floor's phonenumbers part alone (the same run's figure, median).
- fast path: the share of the file's phones answered by store.phone_fast (the rest go through
  phonenumbers in full).

Floor and import runs alternate, so a busy machine slows both alike. A last line per size
splits one in-process import into its stages (read, check, apply: build / write / index).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT

FLOOR = r"""
import csv, os, sys, tempfile, time
start = time.perf_counter()
import orjson, phonenumbers
from phonenumbers import PhoneNumberFormat
csv_path, out_path = sys.argv[1], sys.argv[2]
with open(csv_path, newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    next(reader)
    rows = list(reader)
t_csv = time.perf_counter()
results = {}
for i, (name, phone, email) in enumerate(rows, start=1):
    number = phonenumbers.parse(phone, "US")
    valid = phonenumbers.is_valid_number(number)
    results[str(i)] = {"name": name, "phone": phonenumbers.format_number(number, PhoneNumberFormat.E164),
                       "email": email or None, "valid": valid}
t_phones = time.perf_counter()
data = orjson.dumps(results)
fd, tmp = tempfile.mkstemp(dir=os.path.dirname(out_path))
with os.fdopen(fd, "wb") as out:
    out.write(data)
    out.flush()
    os.fsync(out.fileno())
os.replace(tmp, out_path)
print(t_phones - t_csv)
"""

STAGES = r"""
import os, sys, time
from store import Store, search
from store.transfer import importer
from store.transfer.csv_format import CsvSource, read_csv
from store.gc_pause import gc_paused
csv_path, db_path = sys.argv[1], sys.argv[2]
store = Store.open(db_path, user="bench")
spent = {}
def timed(owner, name, label):
    inner = getattr(owner, name)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - start
    setattr(owner, name, wrapper)
timed(store._storage, "write", "write")
timed(search.SearchIndex, "build", "index")
timed(importer, "_build", "build")
t0 = time.perf_counter()
with gc_paused():
    table = read_csv(CsvSource.from_path(csv_path), skip_first_line=True)
    t1 = time.perf_counter()
    plan = importer._validate(table, store.default_region, None, False, None)
t2 = time.perf_counter()
importer.apply_plan(store, plan)
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, spent.get("build", 0), spent.get("write", 0), spent.get("index", 0))
"""


def contacts_command() -> list[str]:
    """The installed `contacts` script next to this interpreter, or the same entry point."""
    script = Path(sys.executable).parent / "contacts"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())"]


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def run_import(csv_path: Path, folder: Path) -> float:
    db = Path(tempfile.mkdtemp(dir=folder)) / "contacts.json"
    start = time.perf_counter()
    subprocess.run(
        [*contacts_command(), "--db", str(db), "import", str(csv_path), "--skip-header"],
        check=True, capture_output=True, env=_env(),
    )
    return time.perf_counter() - start


def run_floor(csv_path: Path, folder: Path) -> tuple[float, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", FLOOR, str(csv_path), str(folder / "floor.json")],
        check=True, capture_output=True, text=True, env=_env(),
    )
    return time.perf_counter() - start, float(done.stdout)


def run_stages(csv_path: Path, folder: Path) -> list[float]:
    db = Path(tempfile.mkdtemp(dir=folder)) / "contacts.json"
    done = subprocess.run(
        [sys.executable, "-c", STAGES, str(csv_path), str(db)],
        check=True, capture_output=True, text=True, env=_env(),
    )
    return [float(x) for x in done.stdout.split()]


def fast_path_share(csv_path: Path, region: str = "US") -> tuple[int, int]:
    from store.rules import phone_fast

    with open(csv_path, newline="", encoding="utf-8") as f:
        phones = [row[1].strip() for row in list(csv.reader(f))[1:]]
    return sum(phone_fast.e164(p, region) is not None for p in phones), len(phones)


def write_csv(path: Path, rows: int) -> None:
    from store.demo_data import csv_text

    path.write_text(csv_text(rows), encoding="utf-8", newline="")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big", action="store_true", help="also 500,000 and 1,000,000 rows")
    args = parser.parse_args(argv)
    sizes = args.sizes or [10_000, 100_000] + ([500_000, 1_000_000] if args.big else [])
    print(f"`contacts import` vs its floor, median of {args.runs} runs, {os.cpu_count()} CPUs")
    print(f"{'rows':>9} {'import':>8} {'floor':>8} {'ratio':>6} {'phonenumbers':>13} {'fast path':>16}")
    for rows in sizes:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            csv_path = folder / "import.csv"
            write_csv(csv_path, rows)
            imports, floors, phones = [], [], []
            for _ in range(args.runs):
                floor, phone_time = run_floor(csv_path, folder)
                floors.append(floor)
                phones.append(phone_time)
                imports.append(run_import(csv_path, folder))
            hits, total = fast_path_share(csv_path)
            imp, flo = statistics.median(imports), statistics.median(floors)
            share = f"{hits:,}/{total:,} ({100 * hits / total:.0f}%)"
            print(f"{rows:>9,} {imp:>7.2f}s {flo:>7.2f}s {imp / flo:>6.2f} {statistics.median(phones):>12.2f}s {share:>16}")
            read, check, apply, build, write, index = run_stages(csv_path, folder)
            print(
                f"{'':>9} stages of one import in-process: read {read:.2f}s, check {check:.2f}s, apply {apply:.2f}s "
                f"(build {build:.2f}s, write {write:.2f}s, index {index:.2f}s)"
            )
            sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
