"""contacts import-optouts: another provider's opt-out list (store.consent.optouts)."""

from __future__ import annotations

import argparse
import sys

from store import Store, StoreError
from store.rules.text import printable

FORMATTER = argparse.RawDescriptionHelpFormatter

EPILOG = """\
examples:
  contacts import-optouts old-provider-optouts.csv
  contacts import-optouts numbers.txt --dry-run
  some-command | contacts import-optouts - --skip-header

A file of phone numbers, one per line: plain text, or CSV where the column named like Phone,
Mobile, Cell or Number is read (else the first column). Every number goes on the suppression list
(adding it later creates the contact opted out); a contact with that number is opted out with
consent Declined, and its history names the file. No contact is created, nobody is opted in.
One bad number refuses the whole file, listing each problem with its line (exit status 1).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser(
        "import-optouts",
        help="suppress every number of another provider's opt-out list (all or nothing)",
        formatter_class=FORMATTER,
        epilog=EPILOG,
    )
    cmd.add_argument("file", metavar="FILE|-", help="CSV, text, .xlsx, .xls or .ods file of numbers, or - for standard input")
    cmd.add_argument("--skip-header", action="store_true", help="skip a first line that is not a number")
    cmd.add_argument("--dry-run", action="store_true", help="check the file and show what would happen; write nothing")
    cmd.set_defaults(handler=cmd_import_optouts)


def cmd_import_optouts(store: Store, args: argparse.Namespace) -> int:
    from store.transfer.csv_format import CsvSource  # imported here: the app starts without the readers
    from store.consent.optouts import import_optouts, preview_optouts

    try:
        source = CsvSource.from_stream(sys.stdin.buffer) if args.file == "-" else CsvSource.from_path(args.file)
        run = preview_optouts if args.dry_run else import_optouts
        plan = run(store, source, skip_first_line=args.skip_header)
    except StoreError as exc:
        for line in str(exc).splitlines():
            print(f"contacts: {printable(line)}", file=sys.stderr)
        return 1
    print(plan.summary(done=not args.dry_run))
    return 0
