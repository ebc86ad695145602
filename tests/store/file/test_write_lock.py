"""The write lock cannot be tricked into changing other files, nor deleted out from under writers.

Issue 12, items 2 and 3. A team shares a group-writable folder, so any member can put anything at
``contacts.json.lock`` (a symlink to someone's private file, or nothing: deleting a zero-byte lock
file is what cleanup jobs do). Neither may change another file, and neither may let two writers
in at once. These run real processes, since a lock between processes is what is tested.
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from store import Store
from store.file.storage import TEMP_SUFFIX, temp_prefix
from tui.cli import main

from .os_calls import failing_open, record_open_flags

SHARED_MODE = 0o660


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _shared_setup(tmp_path: Path) -> Path:
    """The README's sharing steps: a setgid folder of the group, the file made 0660."""
    folder = tmp_path / "team"
    folder.mkdir()
    os.chmod(folder, 0o2770)
    path = folder / "contacts.json"
    assert main(["--db", str(path), "lists"]) == 0  # the admin's first command creates the file
    os.chmod(path, SHARED_MODE)
    return path


def test_a_lock_path_swapped_for_a_symlink_changes_no_other_file(tmp_path, capsys):
    path = _shared_setup(tmp_path)
    secret = tmp_path / "admins-private-notes"
    secret.write_text("private\n")
    os.chmod(secret, 0o600)
    lock = path.with_name(path.name + ".lock")
    if lock.exists() or lock.is_symlink():
        lock.unlink()
    lock.symlink_to(secret)  # what another group member can do in the shared folder

    code = main(["--db", str(path), "add", "--name", "Ann Lee", "--phone", "+14155550132"])
    out, err = capsys.readouterr()

    assert _mode(secret) == 0o600, "the admin's private file was re-moded through the lock path"
    assert secret.read_text() == "private\n", "the admin's private file was written through the lock path"
    assert (code, err) == (0, ""), err
    assert lock.is_symlink() and os.readlink(lock) == str(secret)  # left as it was: not ours to touch
    assert [c.phone for c in Store.open(path, user="check").contacts()] == ["+14155550132"]


SWAPPER = textwrap.dedent(
    """
    import os, sys
    lock, target, stop = sys.argv[1], sys.argv[2], sys.argv[3]
    while not os.path.exists(stop):  # a regular file when it is opened, a symlink when it is changed
        for make in (lambda: os.close(os.open(lock, os.O_CREAT | os.O_WRONLY, 0o600)), lambda: os.symlink(target, lock)):
            try:
                os.unlink(lock)
            except FileNotFoundError:
                pass
            try:
                make()
            except FileExistsError:
                pass
    """
)


def test_a_lock_path_swapped_back_and_forth_while_saving_changes_no_other_file(tmp_path, capsys):
    path = _shared_setup(tmp_path)
    secret = tmp_path / "admins-private-notes"
    secret.write_text("private\n")
    os.chmod(secret, 0o600)
    lock = path.with_name(path.name + ".lock")
    stop = tmp_path / "stop"
    swapper = subprocess.Popen([sys.executable, "-c", SWAPPER, str(lock), str(secret), str(stop)])
    try:
        codes = [main(["--db", str(path), "add", "--name", f"C {i}", "--phone", f"+1415555{i:04d}"]) for i in range(60)]
    finally:
        stop.touch()
        swapper.wait(timeout=10)
    capsys.readouterr()
    assert _mode(secret) == 0o600, "the admin's private file was re-moded through the lock path"
    assert secret.read_text() == "private\n"
    assert codes == [0] * 60
    assert Store.open(path, user="check").count() == 60


# -- deleting the lock file while writers run --------------------------------------------------

WRITERS = 6
ADDS_PER_WRITER = 40

WRITER = textwrap.dedent(
    """
    import json, os, sys, time
    from store import Store, StoreError

    path, worker, count, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    while not os.path.exists(go):
        time.sleep(0.002)
    confirmed, errors = [], []
    for i in range(count):
        phone = f"+1415555{worker}{i:03d}"
        try:  # a new store each time, as separate `contacts add` commands would
            Store.open(path, user=f"writer{worker}").add_contact(f"Writer {worker} #{i}", phone)
            confirmed.append(phone)
        except StoreError as exc:
            errors.append(str(exc))
    print(json.dumps({"confirmed": confirmed, "errors": errors}))
    """
)

DELETER = textwrap.dedent(
    """
    import os, sys, time
    lock, stop = sys.argv[1], sys.argv[2]
    deleted = 0
    while not os.path.exists(stop):
        try:
            os.unlink(lock)
            deleted += 1
        except FileNotFoundError:
            pass
        time.sleep(0.0005)
    print(deleted)
    """
)


def test_deleting_the_lock_file_while_writers_run_loses_no_confirmed_write(tmp_path):
    path = tmp_path / "contacts.json"
    Store.open(path, user="admin")
    go, stop = tmp_path / "go", tmp_path / "stop"
    lock = path.with_name(path.name + ".lock")
    deleter = subprocess.Popen([sys.executable, "-c", DELETER, str(lock), str(stop)], stdout=subprocess.PIPE, text=True)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(w), str(ADDS_PER_WRITER), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    time.sleep(0.3)
    go.touch()
    results = []
    try:
        for proc in writers:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            results.append(json.loads(out))
    finally:
        stop.touch()
        deleter.communicate(timeout=10)

    errors = [e for r in results for e in r["errors"]]
    assert errors == []
    confirmed = sorted(p for r in results for p in r["confirmed"])
    assert len(confirmed) == WRITERS * ADDS_PER_WRITER
    stored = sorted(c.phone for c in Store.open(path, user="check").contacts())
    missing = sorted(set(confirmed) - set(stored))
    assert missing == [], f"{len(missing)} of {len(confirmed)} confirmed adds were lost"
    assert stored == confirmed


# -- stray temp files ----------------------------------------------------------------------------

HOLD_TEMP = textwrap.dedent(
    """
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    print("held", flush=True)
    sys.stdin.read()  # until the test closes our stdin
    """
)


def _temp_beside(path: Path, tag: str, age_seconds: float) -> Path:
    temp = path.parent / f"{temp_prefix(path)}{tag}{TEMP_SUFFIX}"
    temp.write_bytes(b"{}")
    old = time.time() - age_seconds
    os.utime(temp, (old, old))
    return temp


def test_a_live_writers_temp_file_is_never_removed_even_when_old(tmp_path):
    path = tmp_path / "contacts.json"
    store = Store.open(path, user="admin")
    live = _temp_beside(path, "live", age_seconds=3600)  # a writer busy for an hour on a huge file
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_TEMP, str(live)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "held\n"
        Store.open(path, user="bob").add_contact("Ann", "+14155550132")
        store.add_contact("Ben", "+14155550133")
        assert live.exists(), "another writer's live temp file was removed"
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)


def test_a_fresh_temp_file_is_kept_and_an_old_abandoned_one_is_removed(tmp_path):
    path = tmp_path / "contacts.json"
    Store.open(path, user="admin")
    fresh = _temp_beside(path, "fresh", age_seconds=0)  # may be a writer between creating and locking it
    abandoned = _temp_beside(path, "killed", age_seconds=3600)
    Store.open(path, user="bob").add_contact("Ann", "+14155550132")
    assert fresh.exists()
    assert not abandoned.exists()
    # A lock of another kind on the abandoned one would have kept it: check the lock is what counts.
    again = _temp_beside(path, "held", age_seconds=3600)
    fd = os.open(again, os.O_RDONLY)
    try:
        # Held by this process through another open file: still someone's, so it stays.
        fcntl.flock(fd, fcntl.LOCK_EX)
        Store.open(path, user="bob").add_contact("Ben", "+14155550133")
        assert again.exists()
    finally:
        os.close(fd)


# -- the words of its refusals (found by mutation testing) ----------------------------------------


def test_every_kind_of_non_file_is_named_and_anything_else_is_not_a_file():
    import stat as st

    from store.file.write_lock import kind_of

    assert kind_of(st.S_IFDIR | 0o755) == "a folder"
    assert kind_of(st.S_IFIFO | 0o644) == "a named pipe (FIFO)"
    assert kind_of(st.S_IFSOCK) == "a socket" and kind_of(st.S_IFLNK) == "a symbolic link"
    assert kind_of(0o644) == "not a file"  # no file type bits at all


def test_a_read_only_file_and_a_file_writable_only_by_others_are_told_apart(tmp_path):
    from store.file.write_lock import read_only_message

    path = tmp_path / "contacts.json"
    path.write_text("{}")
    for mode, says in (
        (0o444, f"{path} is read-only (mode 0444): it can be read but not changed. Nothing was changed; "
                "to allow changes, give write access (for its owner: chmod u+w contacts.json)."),
        (0o555, f"{path} is read-only (mode 0555): it can be read but not changed. Nothing was changed; "
                "to allow changes, give write access (for its owner: chmod u+w contacts.json)."),
        (0o464, f"You have no write access to {path} (mode 0464): it can be read but not changed. Nothing was changed."),
        (0o446, f"You have no write access to {path} (mode 0446): it can be read but not changed. Nothing was changed."),
    ):
        os.chmod(path, mode)
        assert read_only_message(path, os.stat(path)) == says


def test_a_save_lets_go_of_the_replaced_file_and_keeps_no_descriptor(store, db_path):
    """After the lock moves to the new file, the old inode is neither locked nor held open:
    a writer still waiting on it gets it at once (and then finds it replaced)."""
    store.add_contact("Ann", "4155550132")
    fds_before = len(os.listdir("/proc/self/fd"))
    old = os.open(db_path, os.O_RDONLY)
    try:
        for n in range(3):
            store.add_contact(f"Bob {n}", f"415555014{n}")
        fcntl.flock(old, fcntl.LOCK_EX | fcntl.LOCK_NB)  # would raise BlockingIOError if still locked
    finally:
        os.close(old)
    assert len(os.listdir("/proc/self/fd")) == fds_before


def _locked_by_someone(path) -> bool:
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_the_lock_is_reentrant_and_held_until_the_outermost_release(tmp_path):
    from store.file.write_lock import WriteLock

    path = tmp_path / "contacts.json"
    path.write_text("{}")
    lock = WriteLock(path, 1.0)
    lock.acquire()
    lock.acquire()
    lock.release()
    assert lock.held and _locked_by_someone(path)
    lock.release()
    assert not lock.held and not _locked_by_someone(path)


def test_releasing_or_reading_a_lock_not_held_is_refused_as_a_programming_error(tmp_path):
    from store.file.write_lock import WriteLock

    path = tmp_path / "contacts.json"
    path.write_text("{}")
    lock = WriteLock(path, 1.0)
    with pytest.raises(AssertionError, match="^stat without holding the lock$"):
        lock.stat()
    with pytest.raises(AssertionError, match="^release without acquire$"):
        lock.release()
    lock.acquire()
    assert lock.stat().st_ino == path.stat().st_ino
    lock.release()
    with pytest.raises(AssertionError, match="^stat without holding the lock$"):
        lock.stat()


def test_a_writer_waits_for_the_lock_and_gives_up_after_its_timeout_saying_why(tmp_path):
    import threading

    from store.file.write_lock import LockTimeout, WriteLock

    path = tmp_path / "contacts.json"
    path.write_text("{}")
    other = os.open(path, os.O_RDONLY)
    fcntl.flock(other, fcntl.LOCK_EX)
    try:
        with pytest.raises(LockTimeout) as err:
            WriteLock(path, 0.05).acquire()
        assert str(err.value) == (
            f"{path} is locked by another process, which is saving a change; waited 0 s. Try again in a moment."
        )
        letting_go = threading.Timer(0.1, lambda: fcntl.flock(other, fcntl.LOCK_UN))
        letting_go.start()
        waiting = WriteLock(path, 30.0)
        try:
            waiting.acquire()  # returns once the other holder lets go
        finally:
            letting_go.cancel()
            letting_go.join()
        assert waiting.held
        waiting.release()
    finally:
        os.close(other)


def test_a_waiting_writer_retries_after_1_ms_then_twice_as_long_each_time_up_to_25_ms(tmp_path, monkeypatch):
    """While another process holds the lock, a writer tries again soon (1 ms), then less and less
    often (each pause twice the last, never more than 25 ms), until its timeout: it neither
    hammers the file nor sleeps on long after the lock was let go. (A clock of its own: no waiting.)"""
    from store.file import write_lock
    from store.file.write_lock import LockTimeout, WriteLock

    class Clock:
        now = 100.0
        pauses: list[float] = []

        def monotonic(self):
            return self.now

        def sleep(self, seconds):
            self.pauses.append(seconds)
            self.now += seconds
            assert len(self.pauses) < 100, f"still waiting after {len(self.pauses)} pauses: {self.pauses[:10]}..."

    clock = Clock()
    monkeypatch.setattr(write_lock, "time", clock)
    path = tmp_path / "contacts.json"
    path.write_text("{}")
    other = os.open(path, os.O_RDONLY)
    fcntl.flock(other, fcntl.LOCK_EX)
    try:
        with pytest.raises(LockTimeout):
            WriteLock(path, 0.1).acquire()
    finally:
        os.close(other)
    assert clock.pauses == pytest.approx([0.001, 0.002, 0.004, 0.008, 0.016, 0.025, 0.025, 0.025])


def test_a_writer_whose_time_is_up_gives_up_then_without_one_more_pause_or_try(tmp_path, monkeypatch):
    """The timeout is when a writer stops: at that moment (a timeout of 0 here, on a clock that
    stands still) it tries once and gives up, whether the lock was busy or the path kept naming
    another file, rather than pausing or trying once more."""
    from store.file import write_lock
    from store.file.write_lock import LockTimeout, WriteLock

    class StoppedClock:
        pauses: list[float] = []

        def monotonic(self):
            return 100.0

        def sleep(self, seconds):
            self.pauses.append(seconds)
            assert len(self.pauses) < 100, "still waiting on a clock that stands still"

    clock = StoppedClock()
    monkeypatch.setattr(write_lock, "time", clock)
    path = tmp_path / "contacts.json"
    path.write_text("{}")
    other = os.open(path, os.O_RDONLY)
    fcntl.flock(other, fcntl.LOCK_EX)
    try:
        with pytest.raises(LockTimeout, match="is locked by another process"):
            WriteLock(path, 0).acquire()
    finally:
        os.close(other)
    assert clock.pauses == []
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("{}")
    looks = []

    def always_another_file(_path):
        looks.append(_path)
        assert len(looks) < 100, "still trying on a clock that stands still"
        return os.lstat(elsewhere)

    monkeypatch.setattr(write_lock, "lstat_or_none", always_another_file)
    with pytest.raises(LockTimeout, match="kept changing while it was being locked"):
        WriteLock(path, 0).acquire()
    assert len(looks) == 1 and clock.pauses == []
    assert not _locked_by_someone(path)


def test_a_file_replaced_between_opening_and_locking_it_is_not_the_one_held(tmp_path, monkeypatch):
    """Issue 12, item 3: after locking, the path must still name the locked inode. Another writer's
    save can rename a new file over the data file just after we opened the old one and just before
    we lock it; the old inode is then free to lock, but holding it excludes no one. The lock taken
    must be the new file's. (The real race is a few microseconds wide; the other writer's rename is
    made here at exactly that moment, from inside the first ``flock`` call.)"""
    from store.file.write_lock import WriteLock

    path = tmp_path / "contacts.json"
    path.write_text('{"old": {}}')
    newer = tmp_path / "newer"
    newer.write_text('{"new": {}}')
    real_flock = fcntl.flock
    renamed = []

    def another_writer_saves_first(fd, operation):
        if not renamed:
            os.replace(newer, path)  # the other writer's atomic save, between our open and our lock
            renamed.append(os.fstat(fd).st_ino)
        return real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", another_writer_saves_first)
    lock = WriteLock(path, 5.0)
    lock.acquire()
    monkeypatch.setattr(fcntl, "flock", real_flock)
    try:
        assert renamed and renamed[0] != os.stat(path).st_ino  # the race happened
        assert _locked_by_someone(path), "the lock is on the replaced file: another writer could get in"
    finally:
        lock.release()
    assert not _locked_by_someone(path)


def test_a_symlink_swapped_in_under_the_lock_lends_the_saved_file_neither_its_mode_nor_its_group(tmp_path):
    """Issue 12, item 2: the new file takes the mode and group of the file that was locked and read,
    read from the locked descriptor, never from whatever the path names at the moment of saving (a
    member may have put a symlink to someone's private file there)."""
    from store.file.storage import AtomicJSONStorage

    path = _shared_setup(tmp_path)
    group = os.stat(path).st_gid
    private = tmp_path / "admins-private-notes"
    private.write_text("private\n")
    os.chmod(private, 0o604)
    import grp

    for other_group in (g.gr_gid for g in grp.getgrall() if g.gr_gid != group):
        try:
            os.chown(private, -1, other_group)  # root may give it any group; others one of theirs
            break
        except PermissionError:
            continue
    before = os.stat(private)
    storage = AtomicJSONStorage(path)
    data = storage.read()
    with storage.locked():
        path.unlink()
        path.symlink_to(private)  # after the lock was taken, before the save
        storage.write(data)
    after = os.lstat(path)
    assert stat.S_ISREG(after.st_mode)
    assert (stat.S_IMODE(after.st_mode), after.st_gid) == (SHARED_MODE, group)
    assert private.read_text() == "private\n"
    assert (os.stat(private).st_mode, os.stat(private).st_gid) == (before.st_mode, before.st_gid)


def test_a_path_that_keeps_naming_another_file_gives_up_after_the_timeout(tmp_path, monkeypatch):
    """If the path never names the file just locked (a member swapping it for ever, or a file
    system that reports it oddly), a writer gives up after its timeout, as when the lock is busy,
    rather than retrying for ever."""
    from store.file import write_lock
    from store.file.write_lock import LockTimeout, WriteLock

    path = tmp_path / "contacts.json"
    path.write_text("{}")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("{}")
    monkeypatch.setattr(write_lock, "lstat_or_none", lambda _path: os.lstat(elsewhere))
    started = time.monotonic()
    with pytest.raises(LockTimeout, match=r"contacts\.json kept changing while it was being locked"):
        WriteLock(path, 0.2).acquire()
    assert time.monotonic() - started < 10
    assert not _locked_by_someone(path)


# -- what a refused lock says, when the system refuses (found by coverage of the mutation run) -----


def _lock_of(tmp_path):
    from store.file.write_lock import WriteLock

    path = tmp_path / "contacts.json"
    path.write_text("{}")
    return WriteLock(path, timeout=0.2), path


def test_a_lock_the_system_refuses_is_one_line_and_keeps_no_descriptor(tmp_path, monkeypatch):
    import errno

    from store import StoreError

    lock, path = _lock_of(tmp_path)
    fds_before = len(os.listdir("/proc/self/fd"))

    def no_locks(fd, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    with pytest.raises(StoreError, match=rf"^Cannot lock {path}: No locks available$"):
        lock.acquire()
    assert not lock.held and len(os.listdir("/proc/self/fd")) == fds_before


def test_a_read_only_file_system_and_other_open_errors_are_one_line(tmp_path, monkeypatch):
    import errno

    from store import StoreError

    lock, path = _lock_of(tmp_path)
    for error, says in (
        (OSError(errno.EROFS, "Read-only file system"),
         f"{path} is on a read-only file system: it can be read but not changed. Nothing was changed."),
        (OSError(errno.EIO, "Input/output error"), f"Cannot open {path} to save a change: Input/output error"),
        (PermissionError(errno.EACCES, "Permission denied"),
         f"You have no write access to {path} (mode 0644): it can be read but not changed. Nothing was changed."),
    ):
        os.chmod(path, 0o644)
        with monkeypatch.context() as patch:
            patch.setattr(os, "open", failing_open(path, error))
            with pytest.raises(StoreError) as refused:
                lock.acquire()
        assert str(refused.value) == says
        assert not lock.held


def test_a_folder_this_user_cannot_write_refuses_the_lock_in_one_line(tmp_path, monkeypatch):
    from store import StoreError

    lock, path = _lock_of(tmp_path)
    if os.access not in os.supports_effective_ids:
        pytest.skip("this platform cannot check access with effective ids")
    real_access = os.access
    def no_writing_in_the_folder(p, mode, **kw):
        if os.fspath(p) == os.fspath(tmp_path) and mode & os.W_OK:
            return False
        return real_access(p, mode, **kw)

    monkeypatch.setattr(os, "access", no_writing_in_the_folder)
    monkeypatch.setattr(os, "supports_effective_ids", os.supports_effective_ids | {os.access})
    with pytest.raises(StoreError) as refused:
        lock.acquire()
    assert str(refused.value) == (
        f"You have no write access to the folder {tmp_path}, so contacts.json can be read but not changed "
        "(a save writes a new file there). Nothing was changed."
    )
    assert not lock.held


LINK_REFUSAL = (
    "{path} was replaced by a symbolic link since it was opened; nothing was saved. "
    "Open the file it points to by its own name."
)


def test_a_link_at_the_data_file_refuses_the_lock_in_words_however_the_open_fails(tmp_path, monkeypatch):
    """ELOOP from the open means a link was swapped in (even if the path looks regular again by
    the time we look); and any failure while the path is a link is told as the link it is."""
    import errno

    from store import StoreError

    lock, path = _lock_of(tmp_path)
    with monkeypatch.context() as patch:  # a link swapped in for the open, and out again
        patch.setattr(os, "open", failing_open(path, OSError(errno.ELOOP, "Too many levels of symbolic links")))
        with pytest.raises(StoreError) as refused:
            lock.acquire()
    assert str(refused.value) == LINK_REFUSAL.format(path=path)
    target = tmp_path / "elsewhere.json"
    path.rename(target)
    path.symlink_to(target)
    with monkeypatch.context() as patch:  # a link there now, whatever the open said
        patch.setattr(os, "open", failing_open(path, PermissionError(errno.EACCES, "Permission denied")))
        with pytest.raises(StoreError) as refused:
            lock.acquire()
    assert str(refused.value) == LINK_REFUSAL.format(path=path)
    assert not lock.held


def test_the_lock_opens_the_file_without_following_a_link_waiting_on_a_fifo_or_leaking_to_children(tmp_path, monkeypatch):
    lock, path = _lock_of(tmp_path)
    flags_used = record_open_flags(monkeypatch, path)
    lock.acquire()
    lock.release()
    assert flags_used
    for wanted in (os.O_RDWR, os.O_NOFOLLOW, os.O_NONBLOCK, os.O_NOCTTY, os.O_CLOEXEC):
        assert flags_used[0] & wanted


@pytest.mark.parametrize("mode", [0o444, 0o555, 0o400])
def test_a_file_read_only_for_everyone_refuses_the_lock_even_for_root(tmp_path, mode):
    from store import StoreError

    lock, path = _lock_of(tmp_path)
    os.chmod(path, mode)
    with pytest.raises(StoreError) as refused:
        lock.acquire()
    assert str(refused.value) == (
        f"{path} is read-only (mode {mode:04o}): it can be read but not changed. Nothing was changed; "
        "to allow changes, give write access (for its owner: chmod u+w contacts.json)."
    )
    assert not lock.held


def test_a_fifo_at_the_data_file_refuses_the_lock_by_name_without_waiting(tmp_path):
    from store import StoreError
    from store.file.write_lock import WriteLock

    path = tmp_path / "contacts.json"
    os.mkfifo(path)
    lock = WriteLock(path, timeout=0.2)
    with pytest.raises(StoreError) as refused:
        lock.acquire()
    assert str(refused.value) == (
        f"{path} is a named pipe (FIFO), not a regular file; a contacts data file must be a regular file. "
        "Nothing was read or written."
    )
    assert not lock.held
