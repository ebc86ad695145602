"""A symlink on the way to the data file is followed only when the user (or root) made it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from store import Store, StoreError
from store.file.link_check import trusted_real_path

OTHER_UID = 54321  # nobody's: a link "made by another user"

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="making a link owned by another user needs root")


def test_own_links_are_followed_like_realpath(tmp_path: Path):
    real = tmp_path / "team" / "contacts.json"
    real.parent.mkdir()
    (tmp_path / "link.json").symlink_to(real)
    (tmp_path / "teamlink").symlink_to("team")
    for given in (tmp_path / "link.json", tmp_path / "teamlink" / "contacts.json", tmp_path / "team" / ".." / "link.json"):
        assert trusted_real_path(given) == Path(os.path.realpath(given))


@needs_root
def test_a_data_file_swapped_for_another_users_link_is_refused_and_the_target_untouched(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    victim = home / ".bash_profile"
    victim.write_text("export PATH=...\n")
    team = tmp_path / "team"
    team.mkdir()
    data = team / "contacts.json"
    data.symlink_to(victim)
    os.lchown(data, OTHER_UID, OTHER_UID)
    with pytest.raises(StoreError, match=r"symbolic link made by uid 54321, not by you"):
        Store.open(data, user="alice")
    assert victim.read_text() == "export PATH=...\n"


@needs_root
def test_another_users_link_further_along_is_refused_too(tmp_path: Path):
    (tmp_path / "real").mkdir()
    (tmp_path / "shared").symlink_to(tmp_path / "real")
    os.lchown(tmp_path / "shared", OTHER_UID, OTHER_UID)
    (tmp_path / "mine.json").symlink_to(tmp_path / "shared" / "contacts.json")  # my link, through theirs
    with pytest.raises(StoreError, match="not by you"):
        Store.open(tmp_path / "mine.json", user="alice")


def test_a_link_made_by_someone_else_is_refused_for_any_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The same rule as the root-only tests above, on any machine: as root the link is handed to
    another uid; as anyone else the app runs as if it were another (non-root) user's."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    link = tmp_path / "contacts.json"
    link.symlink_to(victim)
    if os.geteuid() == 0:
        os.lchown(link, OTHER_UID, OTHER_UID)
    else:
        monkeypatch.setattr(os, "geteuid", lambda: os.lstat(link).st_uid + 1)
    with pytest.raises(StoreError, match=r"contacts\.json is a symbolic link made by .*, not by you: it is not followed"):
        trusted_real_path(link)
    assert victim.read_text() == "keep me\n"


def test_link_targets_with_dot_and_dot_dot_are_followed_like_realpath(tmp_path: Path):
    real = tmp_path / "team" / "contacts.json"
    real.parent.mkdir()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "up.json").symlink_to(Path("..") / "team" / "." / "contacts.json")
    (tmp_path / "mine" / "here.json").symlink_to(Path(".") / "up.json")
    (tmp_path / "mine" / "deep.json").symlink_to(Path("..") / ".." / tmp_path.name / "team" / "contacts.json")
    for name in ("up.json", "here.json", "deep.json"):
        given = tmp_path / "mine" / name
        assert trusted_real_path(given) == Path(os.path.realpath(given)) == real


def _chain(tmp_path: Path, length: int) -> Path:
    """link0 -> link1 -> ... -> link{length-1} -> contacts.json: ``length`` links to follow."""
    (tmp_path / "contacts.json").write_text("{}")
    for i in range(length):
        target = "contacts.json" if i == length - 1 else f"link{i + 1}"
        (tmp_path / f"link{i}").symlink_to(target)
    return tmp_path / "link0"


def test_forty_links_are_followed_as_the_kernel_does(tmp_path: Path):
    assert trusted_real_path(_chain(tmp_path, 40)) == tmp_path / "contacts.json"


def test_a_forty_first_link_is_taken_for_a_loop(tmp_path: Path):
    start = _chain(tmp_path, 41)
    with pytest.raises(StoreError, match=r"link0: too many symbolic links \(a loop\?\)$"):
        trusted_real_path(start)


def test_links_of_the_user_running_the_app_and_of_root_are_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The app runs as a user who is not root (uid 54321 here): their links are followed, and so
    are root's (the system's own, like /var -> /private/var); anyone else's is refused with a way out."""
    real = tmp_path / "contacts.json"
    real.write_text("{}")
    mine, roots = tmp_path / "mine.json", tmp_path / "roots.json"
    mine.symlink_to(real)
    roots.symlink_to(real)
    if os.geteuid() == 0:
        os.lchown(mine, OTHER_UID, OTHER_UID)
        app_uid = OTHER_UID
    else:
        app_uid = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: app_uid)
    assert trusted_real_path(mine) == real
    if os.lstat(roots).st_uid == 0:
        assert trusted_real_path(roots) == real
    monkeypatch.setattr(os, "geteuid", lambda: app_uid + 1)
    with pytest.raises(StoreError, match=r"mine\.json is a symbolic link made by .*\. Use the real path, or remove the link\.$"):
        trusted_real_path(mine)
