"""Spreadsheet and vCard import against the CSV import of the same rows.

Usage: python -m bench.bench_formats [--runs N] [ROWS ...]   (default 100000; medians of 3 runs)

For each size, the same generated contacts (store.demo_data.people: mixed phone formats, names in
many scripts, emails for ~60 %) are written as CSV, as .xlsx (openpyxl, write-only; phones as
typed text, as most exports hold them) and as a .vcf (one vCard 3.0 per contact, a HOME and a
CELL number). Each run imports each file into a fresh data file with the real
`contacts --db NEW import FILE`, in a subprocess, wall time; the runs alternate formats so a busy
machine slows all alike.

A last line compares the two .xlsx readers on the same file, in-process: python-calamine (which
the import uses) and openpyxl in read-only mode (the pure-Python alternative), reading all rows.
openpyxl is only a test dependency; the line is left out without it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import subprocess

from bench.bench_import import _env, contacts_command


def write_files(folder: Path, rows: int) -> dict[str, Path]:
    from store.demo_data import csv_text, people

    csv_path = folder / "contacts.csv"
    csv_path.write_text(csv_text(rows), encoding="utf-8", newline="")
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Contacts")
    sheet.append(["Full Name", "Phone", "Email"])
    cards = []
    for n, person in enumerate(people(rows, 1)):
        sheet.append([person.name, person.phone_typed, person.email or None])
        cards.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"FN:{_escape(person.name)}\r\nN:;{_escape(person.name)};;;\r\n"
            f"TEL;TYPE=HOME:+1 212 555 {n % 10000:04d}\r\nTEL;TYPE=CELL:{person.phone_typed}\r\n"
            + (f"EMAIL;TYPE=INTERNET:{person.email}\r\n" if person.email else "")
            + "END:VCARD\r\n"
        )
    xlsx_path = folder / "contacts.xlsx"
    book.save(xlsx_path)
    vcf_path = folder / "contacts.vcf"
    vcf_path.write_text("".join(cards), encoding="utf-8", newline="")
    return {"csv": csv_path, "xlsx": xlsx_path, "vcf": vcf_path}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def run(path: Path, folder: Path, *flags: str) -> float:
    db = Path(tempfile.mkdtemp(dir=folder)) / "contacts.json"
    start = time.perf_counter()
    subprocess.run(
        [*contacts_command(), "--db", str(db), "import", str(path), *flags], check=True, capture_output=True, env=_env()
    )
    return time.perf_counter() - start


def readers(path: Path) -> tuple[float, float] | None:
    try:
        import openpyxl
    except ImportError:
        return None
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    calamine = time.perf_counter() - start
    start = time.perf_counter()
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for _ in book.worksheets[0].iter_rows(values_only=True):
        pass
    book.close()
    return calamine, time.perf_counter() - start


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"`contacts import` of the same rows as CSV, .xlsx and .vcf, median of {args.runs} runs, {os.cpu_count()} CPUs")
    print(f"{'rows':>9} {'csv':>8} {'xlsx':>8} {'ratio':>6} {'vcf':>8} {'ratio':>6}")
    for rows in args.sizes or [100_000]:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            files = write_files(folder, rows)
            times: dict[str, list[float]] = {"csv": [], "xlsx": [], "vcf": []}
            for _ in range(args.runs):
                times["csv"].append(run(files["csv"], folder, "--skip-header"))
                times["xlsx"].append(run(files["xlsx"], folder, "--skip-header"))
                times["vcf"].append(run(files["vcf"], folder))
            csv_t, xlsx_t, vcf_t = (statistics.median(times[k]) for k in ("csv", "xlsx", "vcf"))
            print(f"{rows:>9,} {csv_t:>7.2f}s {xlsx_t:>7.2f}s {xlsx_t / csv_t:>6.2f} {vcf_t:>7.2f}s {vcf_t / csv_t:>6.2f}")
            both = readers(files["xlsx"])
            if both:
                print(f"{'':>9} reading the .xlsx alone: python-calamine {both[0]:.2f}s, openpyxl (read-only) {both[1]:.2f}s")
            sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
