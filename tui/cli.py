"""The ``contacts`` command: opens the app, or runs a non-interactive subcommand.

Exit status: 0 on success, 1 when the store refuses (the reason goes to stderr), 2 for usage errors,
141 when the reader of the output went away (``contacts list | head``): as a tool stopped by
SIGPIPE, quietly, with no message. A change the command made before that stays made.
Subcommands live in ``tui/commands/``, one module per group; each has ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from store import StoreError, resolve_db_path
from store.rules.text import printable

from .commands import COMMAND_MODULES
from .commands.common import UsageError, open_store

EPILOG = """\
examples:
  contacts                                  open the app on the default data file
  contacts --db team.json                   open the app on another file
  contacts add --name "Ann Lee" --phone "415 555 0132"
  contacts list --json
  contacts show +14155550132
  contacts --demo                           try the app on made-up contacts

The data file is chosen by --db, else $CONTACTS_DB, else the platform default
(contacts --where prints it). Run `contacts COMMAND --help` for each command's options.
"""


EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a tool stopped by SIGPIPE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contacts",
        description="Manage the contacts of a business SMS account: a terminal app and a scriptable command line.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", metavar="PATH", help="data file to use (default: $CONTACTS_DB or the user data folder)")
    parser.add_argument("--where", action="store_true", help="print the data file's path and exit")
    parser.add_argument(
        "--demo", action="store_true",
        help="open the app on a temporary file of made-up contacts (your data file is not touched)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def run_app(args: argparse.Namespace) -> int:
    from .app import ContactsApp  # textual is imported only here

    if args.demo:
        from .demo import demo_store

        with demo_store() as store:
            ContactsApp(store, demo=True).run()
        return 0
    ContactsApp(open_store(args)).run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; a reader that goes away ends it quietly (the recipe of Python's signal docs)."""
    try:
        try:
            return run_command(argv)
        finally:
            sys.stdout.flush()  # find a gone reader here, not in the interpreter's exit (a traceback)
    except BrokenPipeError:
        silence_output()
        return EXIT_BROKEN_PIPE


def silence_output() -> None:
    """Point stdout and stderr at the null device, so the interpreter's last flush has nowhere to fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (AttributeError, OSError, ValueError):  # not a real file (tests capture output)
            pass
    os.close(devnull)


def run_command(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.where:
        path = str(resolve_db_path(args.db))
        print(printable(path) if sys.stdout.isatty() else path)  # a script gets the path exactly
        return 0
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            return run_app(args)
        if args.demo:
            raise UsageError("--demo opens the app; it does not go with a subcommand (try: contacts serve --demo)")
        store = open_store(args) if getattr(args, "needs_store", True) else None
        return handler(store, args)
    except UsageError as exc:
        parser.error(str(exc))  # exits 2
    except StoreError as exc:
        # Messages may quote what was typed or read from a file: never let it drive the terminal.
        message = "\n".join(printable(line) for line in str(exc).split("\n"))
        print(f"contacts: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
