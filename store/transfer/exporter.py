"""CSV export that ``contacts import --skip-header`` reads back to the same contacts.

Columns: Full Name, Phone (E.164), Email, Opted Out (yes/no), Consent (the status key) and Lists
(names joined with ';'). Cells a spreadsheet would run as a formula are neutralised with a leading
``'`` (OWASP's advice); E.164 phones start with ``+``, so they are too. The importer removes the
prefix again, so a round trip is exact.

``export_to_path`` writes atomically (temp file in the same folder, fsync, rename) and the file is
private (mode 0600) because it holds personal data. It never writes over the data file (by any
name: a symlink or hard link to it is the same file), nor over anything but a regular file, and
over an existing file only when asked (``overwrite``): without it the new file is linked into
place, which fails rather than replace a file that appeared in the meantime.
"""

from __future__ import annotations

import csv
import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, TextIO

from store.transfer.csv_format import COLUMN_TITLES, neutralise
from store.errors import SaveFailed
from store.file.write_lock import kind_of
from store.consent.sendable import select_contacts

if TYPE_CHECKING:
    from store.core.store import Store

HEADER = [COLUMN_TITLES[key] for key in ("name", "phone", "email", "opted_out", "consent", "lists")]


def export_rows(store: "Store", list_key: int | str | None = None, *, sendable: bool = False, consent: str | None = None) -> Iterator[list[str]]:
    """The header, then one row per contact (sorted by name), neutralised for spreadsheets.
    ``sendable``: only who may be texted now; ``consent``: only that status (store.consent.sendable)."""
    names = {lst.id: lst.name for lst in store.lists()}
    contacts = select_contacts(store, list_key, sendable=sendable, consent=consent)
    yield HEADER
    for contact in contacts:
        row = [
            contact.name,
            contact.phone,
            contact.email or "",
            "yes" if contact.opted_out else "no",
            contact.consent,
            ";".join(names[lid] for lid in contact.lists if lid in names),
        ]
        yield [neutralise(cell) for cell in row]


def write_csv(store: "Store", out: TextIO, list_key: int | str | None = None, *, sendable: bool = False, consent: str | None = None) -> int:
    """Write the export to a text stream opened with ``newline=''``. Returns the contact count."""
    writer = csv.writer(out, lineterminator="\r\n")
    count = -1
    for count, row in enumerate(export_rows(store, list_key, sendable=sendable, consent=consent)):
        writer.writerow(row)
    return count


class ExportTargetExists(SaveFailed):
    """The export's file exists and replacing it was not asked for."""


def check_export_target(store: "Store", path: Path, overwrite: bool) -> None:
    """Refuse the data file itself (even with ``overwrite``), a non-regular file, an existing file."""
    try:
        target: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        target = None
    except OSError as exc:
        raise SaveFailed(f"Cannot write {path}: {exc.strerror or exc}") from None
    try:
        data = os.stat(store.real_path)  # the file the store writes, whatever a --db link names now
    except OSError:
        data = None
    if target is not None and data is not None and (target.st_dev, target.st_ino) == (data.st_dev, data.st_ino):
        raise SaveFailed(
            f"Cannot export to {path}: it is the data file {store.real_path} itself. Nothing was written; "
            "choose another file name."
        )
    if target is not None and not stat.S_ISREG(target.st_mode):
        raise SaveFailed(
            f"Cannot export to {path}: it is {kind_of(target.st_mode)}, not a regular file. Nothing was written."
        )
    if not overwrite and (target is not None or os.path.lexists(path)):
        raise ExportTargetExists(f"Cannot export to {path}: it already exists. Nothing was written.")


def export_to_path(
    store: "Store", path: str | Path, list_key: int | str | None = None, *, overwrite: bool = False,
    sendable: bool = False, consent: str | None = None,
) -> int:
    """Write the export to ``path`` atomically: a reader sees the old file or the whole new one."""
    path = Path(path)
    check_export_target(store, path, overwrite)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise SaveFailed(f"Cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            count = write_csv(store, out, list_key, sendable=sendable, consent=consent)
            out.flush()
            os.fsync(out.fileno())
        if overwrite:
            check_export_target(store, path, overwrite)  # again, just before: the data file may be new
            os.replace(temp, path)
        else:
            os.link(temp, path)  # fails, rather than replace, if the name was taken meanwhile
            os.unlink(temp)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, FileExistsError):
            raise ExportTargetExists(f"Cannot export to {path}: it already exists. Nothing was written.") from None
        if isinstance(exc, OSError):
            raise SaveFailed(f"Cannot write {path}: {exc.strerror or exc}") from None
        raise
    return count
