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
