"""A data file shared by a group (0660 in a setgid folder) stays shared; no lock file is made.

The write lock is on the data file itself (store.file.write_lock), so whoever may write the file may
lock it, at once after it is shared, and there is no second file whose mode could lag behind.
The first tests run as whoever runs the suite. The cross-user tests need root: a forked child
drops to another uid (in the shared group) and really opens, locks and saves the file.
(tests/test_shared_users.py follows the README's steps with users made for the test.)
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import traceback
from pathlib import Path
from typing import Callable, Iterator

import pytest

from store import Store

SHARED_MODE = 0o660


def _a_group_of_mine() -> int:
    """A group this user belongs to, preferring one other than the primary group."""
    others = [g for g in os.getgroups() if g != os.getgid()]
    if others:
        return others[0]
    if os.geteuid() == 0:
        return 54321  # root may give a folder any group: make it differ from root's own
    return os.getgid()


def _make_shared_folder(parent: Path, gid: int) -> Path:
    folder = parent / "shared"
    folder.mkdir()
    os.chown(folder, -1, gid)
    os.chmod(folder, 0o2770)  # setgid: new files take the folder's group
    return folder


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def shared_store(tmp_path: Path) -> Iterator[tuple[Store, int]]:
    gid = _a_group_of_mine()
    folder = _make_shared_folder(tmp_path, gid)
    store = Store.open(folder / "contacts.json", user="alice")
    os.chmod(store.path, SHARED_MODE)  # what an admin does to share the file with the group
    yield store, gid


def test_new_file_is_private_and_takes_the_folders_group(tmp_path: Path) -> None:
    gid = _a_group_of_mine()
    store = Store.open(_make_shared_folder(tmp_path, gid) / "contacts.json", user="alice")
    assert _mode(store.path) == 0o600
    assert os.stat(store.path).st_gid == gid


def test_saves_keep_mode_and_group_and_make_no_lock_file(shared_store: tuple[Store, int]) -> None:
    store, gid = shared_store
    before = store.path.read_bytes()
    old = os.open(store.path, os.O_RDONLY)  # the file as it was, held open
    store.add_list("VIP")
    store.add_contact("Ann Lee", "415 555 0132", lists=["VIP"])
    store.add_contact("Ben Ode", "415 555 0133")
    store.set_default_region("GB")
    store.delete_all()
    assert _mode(store.path) == SHARED_MODE
    assert os.stat(store.path).st_gid == gid
    # Really replaced, not edited in place: the file held open is unlinked and still holds the old
    # bytes. (Not by inode number: the filesystem may hand the same number to the new file.)
    try:
        assert os.fstat(old).st_nlink == 0
        assert os.pread(old, len(before) + 1, 0) == before
    finally:
        os.close(old)
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["contacts.json"]


# -- really another user (root only) -----------------------------------------------------------

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="switching to another uid needs root")
GROUP = 54321
MEMBER_A, MEMBER_B = 65534, 65533


def run_as(uid: int, fn: Callable[[], None]) -> str | None:
    """Run ``fn`` in a forked child as ``uid`` in group GROUP; return its error, or None."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        status = 0
        try:
            os.setgroups([GROUP])
            os.setgid(GROUP)
            os.setuid(uid)
            os.umask(0o022)
            fn()
        except BaseException:
            os.write(write_end, traceback.format_exc().encode())
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        error = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    return error if (status or error) else None


@pytest.fixture
def group_folder() -> Iterator[Path]:
    # Not under tmp_path: pytest's own folders are private to root, so others could not enter.
    parent = Path(tempfile.mkdtemp(prefix="contacts-shared-", dir="/tmp"))
    os.chmod(parent, 0o755)
    try:
        yield _make_shared_folder(parent, GROUP)
    finally:
        shutil.rmtree(parent)


@needs_root
def test_a_group_member_can_save_a_file_another_member_created_and_shared(group_folder: Path) -> None:
    path = group_folder / "contacts.json"

    def first_member_creates_and_shares() -> None:
        store = Store.open(path)
        os.chmod(path, SHARED_MODE)
        store.add_contact("Ann Lee", "415 555 0132")

    def second_member_saves() -> None:
        Store.open(path).add_contact("Ben Ode", "415 555 0133")

    assert run_as(MEMBER_A, first_member_creates_and_shares) is None
    assert run_as(MEMBER_B, second_member_saves) is None
    assert Store.open(path, user="check").count() == 2
    assert _mode(path) == SHARED_MODE and os.stat(path).st_gid == GROUP
    assert os.stat(path).st_uid == MEMBER_B  # the last save made the file, and kept it shared


@needs_root
def test_a_file_shared_by_hand_can_be_saved_by_a_member_at_once(group_folder: Path) -> None:
    path = group_folder / "contacts.json"
    assert run_as(MEMBER_A, lambda: Store.open(path).add_list("VIP")) is None
    os.chmod(path, SHARED_MODE)  # shared by hand; its owner has not run anything since
    assert run_as(MEMBER_B, lambda: Store.open(path).add_list("Promo")) is None
    assert [lst.name for lst in Store.open(path, user="check").lists()] == ["Promo", "VIP"]
