"""The write lock: an exclusive ``flock`` on the data file itself, never on a separate lock file.

A separate ``contacts.json.lock`` in a group-writable folder is a file every member can delete or
swap for a symlink. Deleted while a writer holds it, the next writer locks a new file of that name
and two writers are in at once (issue 12: 584 of 3,990 confirmed adds lost); checking after
locking that the name still names the locked file cannot help, because the first writer locked
before the delete. So, as SQLite does, the lock is on the data file's own inode:

1. open the data file (``O_RDWR``, so only people who may change it can lock it; ``O_NOFOLLOW``
   and ``O_NONBLOCK``, so a symlink or a FIFO put there is refused instead of followed or waited
   on), check that it is a regular file, and take ``flock(LOCK_EX)``;
2. check that the path still names the inode just locked (``fstat`` of the descriptor against
   ``lstat`` of the path); if another writer replaced the file meanwhile, lock the new one;
3. a save locks its temp file before renaming it over the data file, and the lock moves to it:
   whoever waited on the old inode finds it replaced (step 2) and waits on the new one.

Deleting the data file deletes the data, so there is nothing left to delete behind a writer's back.
Readers take no lock: saves are atomic renames, so a reader sees the old file or the new one.

``flock`` locks belong to an open file (not to a process's descriptors of it, as ``fcntl`` locks
do), so the descriptors the storage keeps open for reading never release a lock by closing.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from pathlib import Path

from store.errors import StoreError

_FIRST_PAUSE = 0.001
_LONGEST_PAUSE = 0.025

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)


def kind_of(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a file"


def require_regular_file(path: Path, st: os.stat_result) -> None:
    """Refuse anything but a regular file as the data file: one line, says what it is."""
    if not stat.S_ISREG(st.st_mode):
        raise StoreError(
            f"{path} is {kind_of(st.st_mode)}, not a regular file; a contacts data file must be a "
            "regular file. Nothing was read or written."
        )


def same_file(a: os.stat_result, b: os.stat_result | None) -> bool:
    return b is not None and (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def lstat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


class LockTimeout(StoreError):
    """Another process held the write lock for longer than we waited."""


class WriteLock:
    """Exclusive lock on the data file's inode, re-entrant within one thread (see the module doc)."""

    def __init__(self, path: Path, timeout: float):
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0

    @property
    def held(self) -> bool:
        return self._depth > 0

    def acquire(self) -> None:
        if self._depth:
            self._depth += 1
            return
        deadline = time.monotonic() + self.timeout
        pause = _FIRST_PAUSE
        while True:
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"{self.path} is locked by another process, which is saving a change; "
                        f"waited {self.timeout:.0f} s. Try again in a moment."
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, _LONGEST_PAUSE)
                continue
            except OSError as exc:
                os.close(fd)
                raise StoreError(f"Cannot lock {self.path}: {exc.strerror or exc}") from None
            if same_file(os.fstat(fd), lstat_or_none(self.path)):
                self._fd = fd
                self._depth = 1
                return
            os.close(fd)  # replaced by another writer between our open and our lock: lock the new one
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"{self.path} kept changing while it was being locked (replaced by other processes again "
                    f"and again for {self.timeout:.0f} s); nothing was saved. Try again in a moment."
                )

    def move_to(self, fd: int) -> None:
        """The data file was just replaced by the file open (and already locked) as ``fd``.

        Keeps a duplicate of ``fd`` (the caller keeps ``fd``), then lets go of the old inode,
        whose waiters will find it replaced and come to wait on this one.
        """
        assert self._depth, "move_to without holding the lock"
        old, self._fd = self._fd, os.dup(fd)
        if old is not None:
            _unlock_and_close(old)

    def stat(self) -> os.stat_result:
        """The locked file's status, from the descriptor: what the path names now may differ."""
        assert self._fd is not None, "stat without holding the lock"
        return os.fstat(self._fd)

    def release(self) -> None:
        assert self._depth, "release without acquire"
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fd, self._fd = self._fd, None
            _unlock_and_close(fd)

    def _open(self) -> int:
        """Open the data file to lock it; refuse, in one line, what may not or cannot be changed."""
        path = self.path
        flags = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            raise StoreError(
                f"{path} was removed or moved away since it was opened; nothing was saved. "
                "Open it again to start a new file there."
            ) from None
        except OSError as exc:
            st = lstat_or_none(path)
            if exc.errno == errno.ELOOP or (st is not None and stat.S_ISLNK(st.st_mode)):
                raise StoreError(
                    f"{path} was replaced by a symbolic link since it was opened; nothing was saved. "
                    "Open the file it points to by its own name."
                ) from None
            if exc.errno in (errno.EACCES, errno.EPERM) and st is not None:
                raise StoreError(read_only_message(path, st)) from None
            if exc.errno == errno.EROFS:
                raise StoreError(f"{path} is on a read-only file system: it can be read but not changed. Nothing was changed.") from None
            raise StoreError(f"Cannot open {path} to save a change: {exc.strerror or exc}") from None
        try:
            st = os.fstat(fd)
            require_regular_file(path, st)
            if not st.st_mode & 0o222:  # read-only for everyone: root could write it, but must not
                raise StoreError(read_only_message(path, st))
            folder = path.parent
            if os.access in os.supports_effective_ids and not os.access(
                folder, os.W_OK | os.X_OK, effective_ids=True
            ):
                raise StoreError(
                    f"You have no write access to the folder {folder}, so {path.name} can be read but "
                    "not changed (a save writes a new file there). Nothing was changed."
                )
        except BaseException:
            os.close(fd)
            raise
        return fd


def read_only_message(path: Path, st: os.stat_result) -> str:
    mode = stat.S_IMODE(st.st_mode)
    if not mode & 0o222:
        return (
            f"{path} is read-only (mode {mode:04o}): it can be read but not changed. Nothing was changed; "
            f"to allow changes, give write access (for its owner: chmod u+w {path.name})."
        )
    return (
        f"You have no write access to {path} (mode {mode:04o}): it can be read but not changed. "
        "Nothing was changed."
    )


def _unlock_and_close(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)  # explicit: a duplicate of fd may stay open for reading
    finally:
        os.close(fd)


def lock_new_file(fd: int) -> None:
    """Lock a temp file just made (before it is renamed into place); only a cleanup can delay it."""
    fcntl.flock(fd, fcntl.LOCK_EX)
