"""Opt-outs and who may be texted: `contacts import-optouts` of N numbers into a file of N
contacts, and the textable count the app shows under the list.

Usage: python -m bench.bench_optouts [--runs N] [SIZE ...]     (default 100000 500000; medians of 3 runs)

The list holds SIZE numbers: a quarter are numbers of stored contacts (they get opted out,
consent Declined, with history), the rest numbers the file does not know (suppressed only), in
mixed formats, one per line under a "phone" header. Each run imports into a fresh copy of the
data file, in-process, split into its stages:

- read + check: reading the file and checking every number (outside the lock);
- apply: one transaction: the changed contacts, the suppression rows, the one atomic write;
- floor: what any opt-out import must at least do: read the lines (csv.reader), parse every
  number with store.rules.validation.clean_phone, and one atomic write of the data file.

Textable (on the unchanged file): building the status sets once (a pass over every contact, done
in a thread after the app's first paint), and counting the textable contacts among a search result
of ~60 % of them (what the app does once typing pauses; the floor is the search itself).
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import data_file, fmt_seconds, fresh_copy, print_table


def write_list(path: Path, phones: list[str], count: int) -> None:
    rng = random.Random(count)
    known = rng.sample(phones, min(count // 4, len(phones)))
    unknown = [f"+1 (312) 7{i // 10000:02d}-{i % 10000:04d}" for i in range(count - len(known))]
    numbers = known + unknown
    rng.shuffle(numbers)
    with open(path, "w", newline="", encoding="utf-8") as out:
        out.write("phone\n")
        out.writelines(f"{n}\n" for n in numbers)


def one_run(db: Path, numbers: Path) -> tuple[float, float, float, int]:
    from store import Store
    from store.transfer.csv_format import CsvSource
    from store.consent.optouts import apply_optouts, plan_optouts

    store = Store.open(db, user="bench")
    start = time.perf_counter()
    plan = plan_optouts(store, CsvSource.from_path(numbers))
    checked = time.perf_counter()
    apply_optouts(store, plan)
    done = time.perf_counter()
    floor = floor_run(store, numbers)
    return checked - start, done - checked, floor, plan.contacts_opted_out


def floor_run(store, numbers: Path) -> float:
    from store.gc_pause import gc_paused
    from store.rules.validation import clean_phone

    start = time.perf_counter()
    with gc_paused(), open(numbers, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
        phones = [clean_phone(row[0], "US") for row in rows]
        store._storage.write(store._data)
    assert phones
    return time.perf_counter() - start


def textable_rows(size: int, runs: int) -> list[tuple[str, str, str, str, str]]:
    from store import Store
    from store.gc_pause import gc_paused
    from store.consent.sendable import StatusIndex

    store = Store.open(data_file(size), user="bench")
    store.search("warm up")
    contacts, suppressed = store._data["contacts"], store.suppressed_phones()
    with gc_paused():  # as the store builds it
        build = statistics.median(_timed(lambda: StatusIndex.build(contacts, suppressed)) for _ in range(runs))
    store.status_index()
    ids = store.search("e")
    store.textable_count(ids)  # its table by id, built once per change
    count = statistics.median(_timed(lambda: store.textable_count(ids)) for _ in range(runs * 3))
    search = statistics.median(_timed(lambda: (store.search("x"), store.search("e"))) for _ in range(runs * 3))
    return [
        (f"{size:,}", "textable: status sets, built once", fmt_seconds(build), "-", "-"),
        (f"{size:,}", f"textable count of {len(ids):,} shown", fmt_seconds(count), fmt_seconds(search),
         f"{count / search:.2f}x"),
    ]


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 500_000])
    args = parser.parse_args(argv)
    rows = []
    for size in args.sizes:
        from store import Store

        source = data_file(size)
        phones = [c.phone for c in Store.open(source, user="bench").contacts()]
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            numbers = folder / "optouts.csv"
            write_list(numbers, phones, size)
            runs = []
            for i in range(args.runs):
                run_folder = folder / str(i)
                run_folder.mkdir()
                runs.append(one_run(fresh_copy(source, run_folder), numbers))
        check = statistics.median(r[0] for r in runs)
        apply = statistics.median(r[1] for r in runs)
        floor = statistics.median(r[2] for r in runs)
        label = f"{size:,} numbers ({runs[0][3]:,} contacts opted out)"
        rows.append((f"{size:,}", f"{label}: read + check", fmt_seconds(check), "-", "-"))
        rows.append((f"{size:,}", "  apply (one transaction, one write)", fmt_seconds(apply), "-", "-"))
        rows.append((f"{size:,}", "  total", fmt_seconds(check + apply), fmt_seconds(floor),
                     f"{(check + apply) / floor:.2f}x"))
        rows += textable_rows(size, args.runs)
    print_table(f"import-optouts into a file of as many contacts; textable counts (median of {args.runs})", rows)


if __name__ == "__main__":
    main(sys.argv[1:])
