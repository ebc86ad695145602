"""Demo mode: the app on a fresh temporary data file full of made-up contacts.

The user's own data file is never opened. The numbers are US 555-01XX numbers, reserved for
fiction, so nobody real is in the demo. The folder is removed when the app exits.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from store import Store
from store.demo_data import write_document
from store.access.permissions import current_login

DEMO_CONTACTS = 300


def create_demo_file(folder: Path, count: int = DEMO_CONTACTS) -> Path:
    path = folder / "demo-contacts.json"
    write_document(path, count, seed=2026, creator=current_login(), lists=True, fictional=True)
    return path


PREFIX = "sms-contacts-demo-"


def remove_abandoned_demos(parent: Path) -> None:
    """Delete demo folders whose app died without cleaning up (a dropped SSH session)."""
    for folder in parent.glob(f"{PREFIX}*"):
        try:
            pid = int((folder / "pid").read_text())
            os.kill(pid, 0)  # still running: keep it
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):
            pass  # not ours to judge (another user's, or being created)


@contextmanager
def demo_store(count: int = DEMO_CONTACTS) -> Iterator[Store]:
    """A store on a throw-away demo file, deleted afterwards."""
    remove_abandoned_demos(Path(tempfile.gettempdir()))
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    (folder / "pid").write_text(str(os.getpid()))
    try:
        yield Store.open(create_demo_file(folder, count))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
