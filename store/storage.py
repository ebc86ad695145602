"""The data file on disk: atomic writes, a sidecar lock, change detection.

A TinyDB ``Storage`` whose ``read`` hands back the parsed data kept in memory and whose ``write``
replaces the file atomically:

1. serialise with orjson into a temp file made with ``mkstemp`` in the same folder;
2. ``fsync`` it and give it the existing file's mode and group (0600 for a new file);
3. ``os.replace`` it over the data file and ``fsync`` the folder.

A process killed at any moment leaves either the old file or the new one. Temp files left by a
killed writer are removed at the next open, under the lock, so a live writer's temp file is never
touched.

Another process's change is noticed by comparing (inode, size, mtime) with what was last loaded or
written here. File timestamps are coarse (a few ms) and filesystems hand out a freed inode number
again at once, so two same-size saves by others in one tick could look like no change at all. To
rule that out the storage keeps the file it last loaded or wrote open: its inode cannot be freed,
so no later file can carry its number.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import orjson
from filelock import FileLock, Timeout
from tinydb.storages import Storage

from .errors import CorruptDataFile, SaveFailed, StoreError
from .gc_pause import gc_paused

NEW_FILE_MODE = 0o600
LOCK_TIMEOUT_SECONDS = 15.0

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


def file_signature(path: Path) -> Signature | None:
    try:
        return _signature_of(os.stat(path))
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
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._data: dict[str, Any] | None = None
        self._signature: Signature | None = None
        self._lock = FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT_SECONDS, mode=self._lock_mode())
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

    # -- locking -------------------------------------------------------------------------------

    def _lock_mode(self) -> int:
        try:
            return stat.S_IMODE(os.stat(self.path).st_mode) & 0o666
        except OSError:
            return NEW_FILE_MODE

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the sidecar lock (re-entrant within a thread of this process)."""
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreError(
                f"{self.path} is locked by another process (lock file {self.lock_path}); "
                f"waited {LOCK_TIMEOUT_SECONDS:.0f} s. Try again in a moment."
            ) from None
        except PermissionError:  # before OSError, its parent: this one has a known fix
            raise StoreError(
                f"Cannot open the lock file {self.lock_path}: permission denied. Everyone who shares "
                f"{self.path.name} needs read and write access to it too (for a group: chmod 0660)."
            ) from None
        except OSError as exc:
            raise StoreError(f"Cannot lock {self.path} (lock file {self.lock_path}): {describe_os_error(exc)}") from None
        try:
            self._match_lock_to_data_file()
            yield
        finally:
            self._lock.release()

    def _match_lock_to_data_file(self) -> None:
        """Give the lock file the data file's group and read/write bits (call while holding it).

        FileLock sets a mode only when it creates the lock file, and the data file may have been
        shared (chgrp, chmod 0660) since: then group members could write the data but not take
        the lock. Only the lock file's owner can fix that, so others leave it as it is.
        """
        try:
            data = os.stat(self.path)
            lock = os.stat(self.lock_path)
        except OSError:
            return
        if lock.st_uid != os.geteuid():
            return
        wanted = (stat.S_IMODE(data.st_mode) & 0o666) | 0o600
        try:
            if stat.S_IMODE(lock.st_mode) != wanted:
                os.chmod(self.lock_path, wanted)
            if lock.st_gid != data.st_gid:
                os.chown(self.lock_path, -1, data.st_gid)
        except OSError:
            pass

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
        """Read and parse the file. Returns None when it does not exist yet."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            self._hold(None)
            self._data, self._signature = None, None
            return None
        except OSError as exc:
            raise StoreError(f"Cannot read {self.path}: {describe_os_error(exc)}") from None
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                raise StoreError(f"Cannot read {self.path}: it is a folder, not a data file")
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
        payload = orjson.dumps(data)
        sig, fd = _replace_atomically(self.path, payload)
        self._hold(fd)
        self._signature = sig
        self._data = data

    def remove_stray_temp_files(self) -> list[Path]:
        """Delete temp files a killed writer left behind. Call while holding the lock."""
        removed = []
        folder = self.path.parent
        prefix = temp_prefix(self.path)
        try:
            names = os.listdir(folder)
        except OSError:
            return removed
        for name in names:
            if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
                stray = folder / name
                try:
                    stray.unlink()
                    removed.append(stray)
                except OSError:
                    pass
        return removed

    def close(self) -> None:
        self._hold(None)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
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


def _replace_atomically(path: Path, payload: bytes) -> tuple[Signature, int]:
    """:func:`write_atomically`, returning the new file's descriptor (read-only use) still open."""
    folder = path.parent
    tmp_name = None
    try:
        try:
            old: os.stat_result | None = os.stat(path)
        except FileNotFoundError:
            old = None
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=folder)
        try:
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
            os.replace(tmp_name, path)
            tmp_name = None
        except BaseException:
            os.close(fd)
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
