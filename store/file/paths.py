"""Where the data file lives. Resolved when asked, never at import time."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "sms-contacts"
DB_ENV_VAR = "CONTACTS_DB"
DB_FILE_NAME = "contacts.json"


def default_db_path() -> Path:
    """``contacts.json`` in the user data folder (``~/.local/share/sms-contacts`` on Linux)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / DB_FILE_NAME


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None, environ: dict[str, str] | None = None) -> Path:
    """``--db`` wins, then ``$CONTACTS_DB``, then the platform default."""
    environ = os.environ if environ is None else environ
    if cli_value:
        return Path(cli_value).expanduser().absolute()
    if environ.get(DB_ENV_VAR):
        return Path(environ[DB_ENV_VAR]).expanduser().absolute()
    return default_db_path()
