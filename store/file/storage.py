"""The data file on disk: atomic writes, a lock on the file itself, change detection.

A TinyDB ``Storage`` whose ``read`` hands back the parsed data kept in memory and whose ``write``
replaces the file atomically:

1. serialise with orjson into a temp file made with ``mkstemp`` in the same folder, and lock it;
2. ``fsync`` it and give it the existing file's mode and group (0600 for a new file);
3. ``os.replace`` it over the data file and ``fsync`` the folder.

A process killed at any moment leaves either the old file or the new one. Readers take no lock;
writers lock the data file itself (see store.file.write_lock). The path is resolved once, when the
storage is made (``realpath``): a symlinked ``--db`` stays a link, and saves go beside the real file.
Temp files left by a killed writer are removed by a later writer, under the lock, and only when
no process holds a lock on them and they are older than a minute: a live writer's temp file is
never touched.

Another process's change is noticed by comparing (inode, size, mtime) with what was last loaded or
written here. File timestamps are coarse (a few ms) and filesystems hand out a freed inode number
again at once, so two same-size saves by others in one tick could look like no change at all. To
rule that out the storage keeps the file it last loaded or wrote open: its inode cannot be freed,
so no later file can carry its number.

Length (over 300 lines): the atomic write, the read with change detection and the clean-up of
stray temp files are read together to see that no crash at any point loses the file.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import tempfile
import time
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import orjson
from tinydb.storages import Storage

from store.errors import CorruptDataFile, SaveFailed, StoreError
from store.gc_pause import gc_paused
from store.file.link_check import trusted_real_path
from store.file.write_lock import WriteLock, lock_new_file, lstat_or_none, require_regular_file, same_file

NEW_FILE_MODE = 0o600
LOCK_TIMEOUT_SECONDS = 15.0
# A temp file younger than this may be a writer's between mkstemp and locking it: left alone.
STRAY_TEMP_AGE_SECONDS = 60.0

# (inode, size, mtime in ns): changes on every replace, costs one stat() to read.
Signature = tuple[int, int, int]
# Matches no file: set when what is on disk was read but could not be used, so it is read again.
UNUSABLE: Signature = (-1, -1, -1)


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


TEMP_SUFFIX = ".tmp"


def _signature_of(st: os.stat_result) -> Signature:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def describe_os_error(exc: OSError) -> str:
    """The human part of an OSError, also for ``OSError(errno.ENOSPC)`` built with one argument."""
    if exc.strerror:
        return exc.strerror
    code = exc.errno
    if code is None and len(exc.args) == 1 and isinstance(exc.args[0], int):
        code = exc.args[0]
    if code is not None:
        return f"{os.strerror(code)} ({errno.errorcode.get(code, code)})"
    return str(exc) or type(exc).__name__


def _close_fds(fds: list[int]) -> None:
    while fds:
        try:
            os.close(fds.pop())
        except OSError:
            pass


def _replaced_by_link(path: Path) -> str:
    return (
        f"{path} was replaced by a symbolic link since it was opened; nothing was read. "
        "Open the file it points to by its own name."
    )


def file_signature(path: Path) -> Signature | None:
    """The signature of ``path`` itself (``lstat``: a symlink put in its place is a change)."""
    try:
        return _signature_of(os.lstat(path))
    except FileNotFoundError:
        return None


def parse_document(raw: bytes, path: Path) -> dict[str, Any]:
    """Parse the file's bytes; refuse anything that is not a TinyDB document of tables."""
    if not raw.strip():
        raise CorruptDataFile(
            f"{path} is empty, but a contacts data file always holds data. It was left as it is: "
            "restore it from a backup, or move it away to start a new file."
        )
    try:
        with gc_paused():  # the GC is pure overhead while building a large, acyclic tree of dicts
            data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise CorruptDataFile(
            f"{path} is not valid JSON ({exc}). It was left as it is: restore it from a backup, "
            "or move it away to start a new file."
        ) from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise CorruptDataFile(
            f"{path} is JSON but not a contacts data file (expected an object of tables). "
            "It was left as it is."
        )
    return data


class AtomicJSONStorage(Storage):
    """TinyDB storage over one JSON file, with the parsed document kept in memory.

    ``read()`` never touches the disk once loaded; ``reload()`` re-reads it when another process
    changed it. ``write()`` is atomic and durable. Locking across a read-modify-write is the
    caller's job (see :meth:`locked`), because only the caller knows where the change starts.
    """

    def __init__(self, path: str | os.PathLike[str]):
        super().__init__()
        # Resolved once: every later open, lock and rename is beside the real file.
        self.path = trusted_real_path(path)  # a link another user made is refused
        self._data: dict[str, Any] | None = None
        self._signature: Signature | None = None
        self._write_lock = WriteLock(self.path, LOCK_TIMEOUT_SECONDS)
        self._strays_checked = False
        # The descriptor of the file last loaded or written (see the module docstring), closed when
        # replaced, on close(), or when the storage is garbage-collected.
        self._held: list[int] = []
        self._closer = weakref.finalize(self, _close_fds, self._held)

    def _hold(self, fd: int | None) -> None:
        _close_fds(self._held)
        if fd is not None:
            self._held.append(fd)

    def ensure_folder(self) -> None:
        """Create the data file's folder (and its parents) if missing."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the folder {self.path.parent} for the data file: {describe_os_error(exc)}"
            ) from None

    # -- locking (writes only) ----------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the write lock (re-entrant within a thread of this process). Reads need none.

        Refused at once, in one line, when this user may not change the file (read-only file or
        folder), when it is not a regular file, or when it was removed or replaced by a symlink.
        """
        self._write_lock.acquire()
        try:
            if not self._strays_checked:
                self._strays_checked = True
                self.remove_stray_temp_files()
            yield
        finally:
            self._write_lock.release()

    # -- reading -------------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self._data is not None

    @property
    def signature(self) -> Signature | None:
        return self._signature

    def changed_on_disk(self) -> bool:
        """True when the file differs from what was last loaded or written here (one stat call)."""
        return file_signature(self.path) != self._signature

    def reload(self) -> dict[str, Any] | None:
        """Read and parse the file. Returns None when it does not exist yet.

        Anything but a regular file is refused before it is opened (a FIFO would block the open,
        a device be read), and again after: ``O_NONBLOCK`` keeps a FIFO swapped in meanwhile
        from blocking. The path was resolved once, at open: a symlink found there now was put
        there since (in a shared folder, perhaps by another member, pointing at a file of yours),
        so it is refused, never followed (``O_NOFOLLOW``).
        """
        try:
            st = os.lstat(self.path)
            if stat.S_ISLNK(st.st_mode):
                raise StoreError(_replaced_by_link(self.path))
            require_regular_file(self.path, st)
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        except FileNotFoundError:
            self._hold(None)
            self._data, self._signature = None, None
            return None
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # swapped for a symlink between the lstat and the open
                raise StoreError(_replaced_by_link(self.path)) from None
            raise StoreError(f"Cannot read {self.path}: {describe_os_error(exc)}") from None
        try:
            st = os.fstat(fd)
            require_regular_file(self.path, st)
            sig = _signature_of(st)
            with open(fd, "rb", closefd=False) as fh:
                raw = fh.read()
            data = parse_document(raw, self.path)
        except BaseException as exc:
            os.close(fd)
            if isinstance(exc, OSError):
                raise StoreError(f"Cannot read {self.path}: {describe_os_error(exc)}") from None
            raise
        self._hold(fd)
        self._data = data
        self._signature = sig
        return self._data

    def forget(self) -> None:
        """Mark what was last read as unusable (e.g. a newer schema): the next check reads again."""
        self._hold(None)
        self._data = None
        self._signature = UNUSABLE

    def read(self) -> dict[str, Any] | None:
        if self._data is None:
            return self.reload()
        return self._data

    # -- writing -------------------------------------------------------------------------------

    def write(self, data: dict[str, Any]) -> None:
        """Replace the file with ``data``; call while holding :meth:`locked` (the lock moves along)."""
        payload = orjson.dumps(data)
        holding = self._write_lock.held
        like = self._write_lock.stat() if holding else None
        sig, fd = _replace_atomically(self.path, payload, locked=holding, like=like)
        if holding:
            self._write_lock.move_to(fd)
        self._hold(fd)
        self._signature = sig
        self._data = data

    def create(self, data: dict[str, Any]) -> dict[str, Any]:
        """Make the file with ``data`` unless another process made it first; return what is there."""
        payload = orjson.dumps(data)
        made = _replace_atomically(self.path, payload, exclusive=True)
        if made is None:  # another process created it between our look and our link
            theirs = self.reload()
            if theirs is None:
                raise StoreError(f"{self.path} was created and removed again while opening it; try again.")
            return theirs
        sig, fd = made
        self._hold(fd)
        self._signature = sig
        self._data = data
        return data

    def remove_stray_temp_files(self) -> list[Path]:
        """Delete temp files killed writers left behind: only unlocked ones older than a minute."""
        removed = []
        folder = self.path.parent
        prefix = temp_prefix(self.path)
        try:
            names = os.listdir(folder)
        except OSError:
            return removed
        now = time.time()
        for name in names:
            if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
                stray = folder / name
                if _remove_if_abandoned(stray, now):
                    removed.append(stray)
        return removed

    def close(self) -> None:
        self._hold(None)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_if_abandoned(stray: Path, now: float) -> bool:
    """Unlink a temp file no live writer holds (it keeps a lock on it) that is older than a minute."""
    try:
        fd = os.open(stray, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < STRAY_TEMP_AGE_SECONDS:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a live writer's
        if not same_file(st, lstat_or_none(stray)):
            return False
        os.unlink(stray)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def write_atomically(path: Path, payload: bytes) -> Signature:
    """Replace ``path`` with ``payload`` so that a crash leaves the old or the new file.

    The new file keeps the old one's mode and group (so a group-shared file stays shared);
    a new file is private (0600). Raises SaveFailed, with the old file intact, on any OSError.
    """
    sig, fd = _replace_atomically(path, payload)
    os.close(fd)
    return sig


# Errors of os.link on file systems without hard links: there, creating falls back to a rename.
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK}


def _replace_atomically(
    path: Path, payload: bytes, *, locked: bool = False, exclusive: bool = False, like: os.stat_result | None = None
):
    """:func:`write_atomically`, returning (signature, the new file's descriptor still open).

    ``locked``: the temp file is locked (``flock``) before it is renamed into place, so the write
    lock moves with it. ``like``: the status of the locked file (from its descriptor), whose mode
    and group the new file takes; without it, those of the file at ``path`` (never through a
    symlink). ``exclusive``: only create, never replace; returns None when ``path`` exists by then
    (``os.link`` of the temp file fails instead of overwriting).
    """
    folder = path.parent
    tmp_name = None
    try:
        old: os.stat_result | None = like
        if old is None:
            old = lstat_or_none(path)
            if old is not None and not stat.S_ISREG(old.st_mode):
                old = None  # a symlink's mode (0777) or a device's is nothing to copy: a new file's
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=folder)
        try:
            if locked:
                lock_new_file(fd)
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
            if old is None:
                os.fchmod(fd, NEW_FILE_MODE)
            else:
                os.fchmod(fd, stat.S_IMODE(old.st_mode))
                if os.fstat(fd).st_gid != old.st_gid:
                    os.fchown(fd, -1, old.st_gid)
            sig = _signature_of(os.fstat(fd))
            if exclusive:
                try:
                    os.link(tmp_name, path)
                except FileExistsError:
                    os.close(fd)
                    return None
                except OSError as exc:
                    if exc.errno not in _NO_HARD_LINKS:
                        raise
                    os.replace(tmp_name, path)
                    tmp_name = None
            else:
                os.replace(tmp_name, path)
                tmp_name = None
        except BaseException:
            try:
                os.close(fd)
            except OSError:
                pass
            raise
    except OSError as exc:
        raise SaveFailed(f"Could not save {path}: {describe_os_error(exc)}. Nothing was changed.") from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    try:
        _fsync_folder(folder)  # makes the rename durable; the new file is in place either way
    except OSError:
        pass
    return sig, fd
