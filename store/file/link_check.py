"""Following ``--db`` through symlinks only where the user can trust them.

In a team folder every member may replace the shared file with a symlink. Followed blindly, a
link made by another member can point the app at a file of yours (``~/.bash_profile``): the next
save would replace it with JSON. So every symlink on the way to the data file (in the path given
and in link targets) must belong to the user running the app, or to root, as the kernel's
``protected_symlinks`` rule does for sticky folders.
"""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

from store.errors import StoreError

MAX_LINKS = 40  # as the kernel: more is a loop


def owner_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def trusted_real_path(path: str | os.PathLike[str]) -> Path:
    """The real path of ``path`` (as ``os.path.realpath``), refusing a symlink another user owns."""
    me = os.geteuid()
    pending = list(Path(os.path.abspath(path)).parts[1:])
    resolved = Path("/")
    links = 0
    while pending:
        part = pending.pop(0)  # never "" or ".": Path.parts leaves those out
        if part == "..":
            resolved = resolved.parent
            continue
        candidate = resolved / part
        try:
            st = os.lstat(candidate)
        except OSError:
            return candidate.joinpath(*pending)  # not there (yet): nothing more to follow
        if not stat.S_ISLNK(st.st_mode):
            resolved = candidate
            continue
        if st.st_uid not in (me, 0):
            raise StoreError(
                f"{candidate} is a symbolic link made by {owner_name(st.st_uid)}, not by you: it is not "
                "followed, since a link another user made could point the app at a file of yours. "
                "Use the real path, or remove the link."
            )
        links += 1
        if links > MAX_LINKS:
            raise StoreError(f"{path}: too many symbolic links (a loop?)")
        target = Path(os.readlink(candidate))
        if target.is_absolute():
            resolved = Path("/")
            pending = list(target.parts[1:]) + pending
        else:
            pending = list(target.parts) + pending
    return resolved
