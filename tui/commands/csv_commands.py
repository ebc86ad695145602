"""contacts import (CSV, .xlsx, .xls, .ods, .vcf) | export | sample-csv."""

from __future__ import annotations

import argparse
import io
import sys
from typing import TYPE_CHECKING

from store import Store, StoreError
from store.model import CONSENT_LABELS
from store.rules.text import printable
from store.wording import plural

from . import selection
from .output import shown_lines

# The importer, exporter and file readers are imported by the commands that use them: the app,
# which starts through this command line, never loads them at start-up.
if TYPE_CHECKING:
    from store.transfer import importer

FORMATTER = argparse.RawDescriptionHelpFormatter

IMPORT_EPILOG = """\
examples:
  contacts import customers.csv --skip-header
  contacts import customers.csv --skip-header --list VIP --dry-run
  contacts import leads.xlsx --sheet "March" --skip-header
  contacts import phone-backup.vcf
  contacts import google.csv                  (Google Contacts and Outlook exports are recognised)
  contacts import crm.csv --map "Mobile=phone" --map "Given=first_name" --map "Surname=last_name"
  some-command | contacts import - --list "Spring promo"

The format is recognised from the file's content: CSV, Excel .xlsx and .xls, OpenDocument .ods
(first visible sheet, or --sheet), vCard .vcf (one contact per card, its mobile number). A header
the app does not know needs --map COLUMN=FIELD; fields: name (Full Name), first_name,
middle_name, last_name, phone, email, opted_out, consent, lists, ignore. Columns not mapped are
left out and listed.

Columns without a header: Full Name, Phone, Email (Email may be empty or missing).
With --skip-header a first line naming its columns (Full Name/Name, Phone/Phone Number/Mobile,
Email/E-mail, Opted Out, Consent, Lists) maps them in any order; any other first line is skipped.
Comma, semicolon or tab separated, UTF-8 (with or without BOM). Run `contacts sample-csv` for an
example. The import is all or nothing: if any row is invalid, every problem is listed with its line
and the data file is left unchanged (exit status 1).

A phone already stored updates that contact (an empty Email cell keeps the stored email). An import
never opts anyone in and never raises consent; Opted Out = yes opts a contact out. Consent
"confirmed" is imported as "sent" unless --keep-confirmed is given.
"""

EXPORT_EPILOG = """\
examples:
  contacts export > contacts.csv
  contacts export -o vip.csv --list VIP
  contacts export --sendable --list VIP --consent confirmed -o send.csv

Columns: Full Name, Phone (E.164), Email, Opted Out (yes/no), Consent, Lists (joined with ;).
Cells a spreadsheet would run as formulas (starting with = + - @) get a leading ' ; the import
removes it, so `contacts import FILE --skip-header` reads the export back to the same contacts.
-o writes the file atomically, readable by you only (mode 0600). It does not replace an existing
file unless --force is given, and never the data file itself.
--sendable leaves out everyone who may not be texted now (opted out, number suppressed, or consent
declined).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    imp = subparsers.add_parser(
        "import", help="import contacts from CSV, .xlsx, .xls, .ods or .vcf (all or nothing)", formatter_class=FORMATTER, epilog=IMPORT_EPILOG
    )
    imp.add_argument("file", metavar="FILE|-", help="CSV, .xlsx, .xls, .ods or .vcf file to read, or - for standard input")
    imp.add_argument("--skip-header", action="store_true", help="the first line is a header (or to be skipped)")
    imp.add_argument("--list", metavar="LIST", help="add every imported contact to this existing list")
    imp.add_argument("--sheet", metavar="NAME", help="the sheet of a workbook to read (default: the first visible one)")
    imp.add_argument(
        "--map",
        metavar="COLUMN=FIELD",
        action="append",
        default=[],
        help="which field a column of the header holds, e.g. --map \"Mobile=phone\" (repeat for each column)",
    )
    imp.add_argument("--dry-run", action="store_true", help="check the file and show what would happen; write nothing")
    imp.add_argument(
        "--keep-confirmed",
        action="store_true",
        help='for new contacts keep Consent "confirmed" from the file (restoring this app\'s export)',
    )
    imp.set_defaults(handler=cmd_import)

    exp = subparsers.add_parser("export", help="write contacts as CSV", formatter_class=FORMATTER, epilog=EXPORT_EPILOG)
    exp.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    exp.add_argument("--force", action="store_true", help="with -o: replace FILE if it exists (never the data file)")
    exp.add_argument("--list", metavar="LIST", help="only members of this list")
    selection.add_arguments(exp)
    exp.set_defaults(handler=cmd_export)

    sample = subparsers.add_parser(
        "sample-csv",
        help="print an example CSV file to import",
        formatter_class=FORMATTER,
        epilog="examples:\n  contacts sample-csv\n  contacts sample-csv > sample.csv && contacts import sample.csv --skip-header",
    )
    sample.set_defaults(handler=cmd_sample)


def _print_error(exc: StoreError) -> int:
    for line in str(exc).splitlines():
        print(f"contacts: {printable(line)}", file=sys.stderr)
    return 1


def _progress_printer() -> importer.Progress | None:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\rChecking rows: {done:,}/{total:,}", end=end, file=sys.stderr, flush=True)

    return show


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    from store.transfer import importer
    from store.transfer.csv_format import CsvSource
    from store.transfer.mapping import parse_map

    options = {"skip_first_line": args.skip_header, "list_name": args.list, "keep_confirmed": args.keep_confirmed}
    try:
        options["sheet"] = args.sheet
        options["mapping"] = parse_map(args.map) or None
        if args.file == "-":
            source = CsvSource.from_stream(sys.stdin.buffer)
        else:
            source = CsvSource.from_path(args.file)
        progress = _progress_printer()
        if args.dry_run:
            plan = importer.preview(store, source, progress=progress, **options)
        else:
            plan = importer.import_csv(store, source, progress=progress, **options)
    except StoreError as exc:
        return _print_error(exc)
    print(plan.summary(done=not args.dry_run))
    if args.dry_run:
        print("First rows as they will be stored:")
        for row in plan.preview_rows:
            consent = CONSENT_LABELS.get(row["consent"], row["consent"])
            flags = ("opted out, " if row["opted_out"] else "") + f"consent {consent}"
            lists = f", lists: {';'.join(row['lists'])}" if row["lists"] else ""
            print(
                printable(
                    f"  {plan.unit} {row['line']}: {row['name']} | {row['phone']} | {row['email'] or '-'} | {flags}{lists}"
                )
            )
    return 0


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    from store.transfer.exporter import ExportTargetExists, export_to_path, write_csv

    which = selection.chosen(args)
    if args.output and args.output != "-":
        try:
            count = export_to_path(store, args.output, args.list, overwrite=args.force, **which)
        except ExportTargetExists as exc:
            raise StoreError(f"{exc} Add --force to replace it, or choose another name.") from None
        print(f"Exported {plural(count, 'contact')} to {printable(args.output)}", file=sys.stderr)
        return 0
    if sys.stdout.isatty():
        # For a person at a terminal, refused characters (from a hand-edited file) are shown as
        # escapes; a file or a pipe gets the CSV exactly.
        shown = io.StringIO(newline="")
        write_csv(store, shown, args.list, **which)
        sys.stdout.write(shown_lines(shown.getvalue()))
        return 0
    sys.stdout.flush()
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
    try:  # a reader that leaves (`contacts export | head`) is handled once, in cli.main
        write_csv(store, out, args.list, **which)
        out.flush()
    finally:
        out.detach()
    return 0


def cmd_sample(store: Store, args: argparse.Namespace) -> int:
    from store.transfer.csv_format import sample_csv

    sys.stdout.write(sample_csv())
    return 0
