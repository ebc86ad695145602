"""write_atomically (what the benchmarks measure as the save floor) and the OS error wording.

Found by mutation testing: nothing checked that write_atomically closes its descriptor, nor how
an OSError without a message is put into words.
"""

from __future__ import annotations

import errno
import os
import stat

from store.file.storage import describe_os_error, write_atomically


def open_descriptors() -> set[str]:
    return set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else set()


def test_write_atomically_writes_a_private_new_file_and_leaves_no_descriptor_open(tmp_path):
    path = tmp_path / "data.json"
    before = open_descriptors()
    write_atomically(path, b'{"a": 1}')
    assert open_descriptors() == before
    assert path.read_bytes() == b'{"a": 1}'
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_write_atomically_replaces_a_file_keeping_its_mode(tmp_path):
    path = tmp_path / "data.json"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    write_atomically(path, b"new")
    assert (path.read_bytes(), stat.S_IMODE(os.stat(path).st_mode)) == (b"new", 0o640)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.json"]


def test_an_os_error_is_put_into_words():
    assert describe_os_error(OSError(errno.ENOENT, "No such file or directory")) == "No such file or directory"
    assert describe_os_error(OSError(errno.ENOSPC)) == f"{os.strerror(errno.ENOSPC)} (ENOSPC)"
    unknown = 123456
    assert describe_os_error(OSError(unknown)) == f"{os.strerror(unknown)} ({unknown})"
    assert describe_os_error(OSError("the disk is on fire")) == "the disk is on fire"
    assert describe_os_error(OSError()) == "OSError"
    assert describe_os_error(PermissionError()) == "PermissionError"
    with_errno = OSError(7)
    with_errno.errno = errno.EIO  # the errno wins over a number among the arguments
    assert describe_os_error(with_errno) == f"{os.strerror(errno.EIO)} (EIO)"


def test_a_failed_write_says_why_leaves_no_temp_file_and_no_descriptor_open(tmp_path):
    from store.errors import SaveFailed

    target = tmp_path / "data.json"
    target.mkdir()
    (target / "inside").write_text("keep")  # a non-empty folder cannot be replaced by a file
    before = open_descriptors()
    try:
        write_atomically(target, b"new")
    except SaveFailed as exc:
        message = str(exc)
    else:
        raise AssertionError("a folder was replaced by a file")
    assert open_descriptors() == before
    assert message.startswith(f"Could not save {target}: ") and message.endswith(". Nothing was changed.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.json"]
    assert (target / "inside").read_text() == "keep"
