"""Undo of an import against delete all and the import itself; the import record's size.

Usage: python -m bench.bench_undo [--runs N] [ROWS ...]     (default 10000 100000; median of 5 runs)

For each size, one CSV file from store.demo_data.csv_text and, per run, fresh data files, all
in-process (as bench_store measures delete all):

- import: ``import_csv`` of the file into an empty data file (read, check, one write);
- undo: ``undo_import`` of that import, on the file opened afresh (as ``contacts undo-import``
  finds it): removes every contact it created, in one write; and the same in the process that
  imported (as in the app, whose contacts are spread wider in memory);
- delete all: ``delete_all`` on a copy of the same imported file;
- floor: one atomic write of the emptied document (serialise + temp file + fsync + rename);
- undo, N others kept: the same import into a file already holding N other contacts, undone:
  the write keeps N contacts and the list's index is rebuilt for them;
- record size: bytes the import record adds to the file (the same file written without it), for
  the import into an empty file, and for an import of the same rows renamed (it changes every
  contact, so it records every old name).

Figures, never pass/fail.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench.common import data_file, fmt_seconds, timed


def one_run(csv_path: Path, folder: Path, others: Path | None) -> dict[str, float]:
    import orjson

    from store import Store
    from store.transfer.csv_format import CsvSource
    from store.transfer.import_log import imports, undo_import
    from store.transfer.importer import import_csv
    from store.model import IMPORTS
    from store.file.storage import write_atomically

    folder.mkdir()
    first = folder / "a.json"
    if others is not None:
        shutil.copyfile(others, first)
    store = Store.open(first, user="demo")
    figures = {"import": timed(lambda: import_csv(store, CsvSource.from_path(csv_path), skip_first_line=True))}
    record = imports(store)[0]
    if others is None:
        second = folder / "b.json"
        shutil.copyfile(first, second)
        raw = first.read_bytes()
        data = orjson.loads(raw)
        del data[IMPORTS][str(record.id)]
        figures["record bytes"] = len(raw) - len(orjson.dumps(data))
        figures["file bytes"] = len(raw)
        third = folder / "c.json"
        shutil.copyfile(first, third)
        fresh = Store.open(third, user="demo")  # as `contacts undo-import` finds it, and delete all below
        figures["undo"] = timed(lambda: undo_import(fresh, record.id))
        figures["undo, importing store"] = timed(lambda: undo_import(store, record.id))  # as the app does
        other = Store.open(second, user="demo")
        figures["delete all"] = timed(other.delete_all)
        emptied = dict(other._data)
        figures["floor"] = timed(lambda: write_atomically(second, orjson.dumps(emptied)))
    else:
        figures["undo kept"] = timed(lambda: undo_import(store, record.id))
    return figures


def updating_record_bytes(csv_path: Path, folder: Path) -> tuple[int, int]:
    """Bytes of the record of an import that changes every contact's name (the same rows again,
    renamed), and the file's size."""
    import orjson

    from store import Store
    from store.transfer.csv_format import CsvSource
    from store.transfer.import_log import imports
    from store.transfer.importer import import_csv
    from store.model import IMPORTS

    folder.mkdir()
    store = Store.open(folder / "u.json", user="demo")
    import_csv(store, CsvSource.from_path(csv_path), skip_first_line=True)
    lines = csv_path.read_text(encoding="utf-8").splitlines(keepends=True)
    renamed = lines[:1] + [line.replace(",", " Jr,", 1) for line in lines[1:]]
    import_csv(store, CsvSource.from_text("".join(renamed), name="renamed.csv"), skip_first_line=True)
    raw = (folder / "u.json").read_bytes()
    data = orjson.loads(raw)
    del data[IMPORTS][str(imports(store)[0].id)]
    return len(raw) - len(orjson.dumps(data)), len(raw)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from store.demo_data import csv_text

    for rows in args.sizes or [10_000, 100_000]:
        with tempfile.TemporaryDirectory() as name:
            tmp = Path(name)
            csv_path = tmp / "import.csv"
            csv_path.write_text(csv_text(rows, seed=7), encoding="utf-8", newline="")
            runs = [one_run(csv_path, tmp / f"r{i}", None) for i in range(args.runs)]
            kept = [one_run(csv_path, tmp / f"k{i}", data_file(rows)) for i in range(args.runs)]
            updating, updating_file = updating_record_bytes(csv_path, tmp / "u")

        def med(key: str, where: list[dict[str, float]] = runs) -> float:
            return statistics.median(r[key] for r in where)

        undo, delete_all, floor, imp = med("undo"), med("delete all"), med("floor"), med("import")
        print(f"\nundo of a {rows:,}-row CSV import (median of {args.runs}, in-process)")
        print(f"  undo                      {fmt_seconds(undo)}")
        print(f"  delete all (same file)    {fmt_seconds(delete_all)}   undo/delete all {undo / delete_all:.2f}x")
        print(f"  floor: one write, emptied {fmt_seconds(floor)}   undo/floor {undo / floor:.2f}x")
        print(f"  undo, in the process that imported {fmt_seconds(med('undo, importing store')).strip()}")
        print(f"  the import itself         {fmt_seconds(imp)}   undo/import {undo / imp:.2f}x")
        print(f"  undo, {rows:,} others kept  {fmt_seconds(med('undo kept', kept))}   (import into them: "
              f"{fmt_seconds(med('import', kept)).strip()})")
        record, size = med("record bytes"), med("file bytes")
        print(f"  import record             {record:,.0f} bytes, {100 * record / size:.3f} % of the {size / 1e6:.1f} MB file")
        print(f"  record of an import renaming all {rows:,}: {updating:,} bytes, "
              f"{100 * updating / updating_file:.1f} % of the {updating_file / 1e6:.1f} MB file")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
