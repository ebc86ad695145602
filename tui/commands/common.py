"""What every subcommand shares: the usage error and how the data file is opened.

Kept here, not in tui/cli.py, so that the commands never import the module that imports them.
"""

from __future__ import annotations

import argparse

from store import Store, resolve_db_path


class UsageError(Exception):
    """Bad arguments found after parsing: exit status 2."""


def open_store(args: argparse.Namespace) -> Store:
    """The store of the data file chosen by --db, else $CONTACTS_DB, else the platform default."""
    return Store.open(resolve_db_path(args.db))
