"""The data file itself: its shape, its permissions, refusing bad files, catching up with others."""

from __future__ import annotations

import builtins
import errno
import json
import os
import stat
import time
from pathlib import Path

import pytest
from tinydb import TinyDB

from store import CorruptDataFile, Store, StoreError
from store.model import SCHEMA_VERSION
from store.file.storage import AtomicJSONStorage

from .os_calls import failing_open, record_open_flags


def temp_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- a new file ---------------------------------------------------------------------------------


def test_a_new_file_is_private_and_its_folder_is_created(tmp_path):
    path = tmp_path / "deep" / "er" / "contacts.json"
    Store.open(path, user="alice")
    assert path.is_file()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_new_file_is_one_tinydb_document_with_every_table(store, db_path):
    doc = json.loads(db_path.read_bytes())
    assert {"contacts", "lists", "settings", "users", "_meta"} <= set(doc)
    assert all(isinstance(table, dict) for table in doc.values())
    assert doc["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert doc["settings"]["1"]["default_region"] == "US"
    assert doc["users"]["1"] == {"login": "alice", "role": "admin"}


def test_a_file_without_its_meta_record_gets_one_with_the_schema_version_on_the_next_change(store, db_path):
    doc = json.loads(db_path.read_bytes())
    doc["_meta"] = {}
    db_path.write_text(json.dumps(doc))
    Store.open(db_path, user="alice").add_list("VIP")
    assert json.loads(db_path.read_bytes())["_meta"]["1"]["schema_version"] == SCHEMA_VERSION


def test_plain_tinydb_reads_the_contacts_table(store, db_path):
    vip = store.add_list("VIP")
    ann = store.add_contact("Zoë 张", "4155550132", "ann@example.com", lists=["VIP"])
    bob = store.add_contact("Bob", "4155550133")
    db = TinyDB(db_path, access_mode="r", encoding="utf-8")
    try:
        rows = {row.doc_id: row for row in db.table("contacts").all()}
        assert set(rows) == {ann.id, bob.id}
        assert rows[ann.id]["name"] == "Zoë 张"
        assert rows[ann.id]["phone"] == "+14155550132"
        assert rows[ann.id]["lists"] == [vip.id]
        assert db.table("lists").get(doc_id=vip.id)["name"] == "VIP"
    finally:
        db.close()


# -- permissions --------------------------------------------------------------------------------


def test_a_save_keeps_the_files_mode(store, db_path):
    os.chmod(db_path, 0o640)
    store.add_contact("Ann", "4155550132")
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o640


@pytest.mark.skipif(os.geteuid() != 0 and len(os.getgroups()) < 2, reason="needs a second group to move the file to")
def test_a_save_keeps_the_files_group(store, db_path):
    current = os.stat(db_path).st_gid
    if os.geteuid() == 0:
        other = 54321 if current != 54321 else 54322
    else:
        other = next(g for g in os.getgroups() if g != current)
    owner = os.stat(db_path).st_uid
    os.chown(db_path, -1, other)
    store.add_contact("Ann", "4155550132")
    assert os.stat(db_path).st_gid == other
    assert os.stat(db_path).st_uid == owner  # the group is lent, never the owner changed


def test_a_writers_temp_file_is_named_for_the_sweep_to_find(store, db_path, monkeypatch):
    """A writer killed mid-save leaves its temp file; only ``.contacts.json.*.tmp`` beside the data
    file is swept later, so every temp file must be named that way."""
    renamed = []
    real_replace = os.replace

    def recording_replace(src, dst, *args, **kwargs):
        renamed.append((os.fspath(src), os.fspath(dst)))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", recording_replace)
    store.add_contact("Ann", "4155550132")
    assert len(renamed) == 1
    src, dst = (Path(p) for p in renamed[0])
    assert dst == db_path and src.parent == db_path.parent
    assert src.name.startswith(".contacts.json.") and src.name.endswith(".tmp")


# -- refusing bad files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b"  \n\t ", "is empty"),
        (b'{"contacts": {"1": {"name": "Ann", "phone": "+1415', "is not valid JSON"),
        (b"\xff\xfe not utf-8", "is not valid JSON"),
        (b"[1, 2, 3]", "not a contacts data file"),
        (b'{"contacts": []}', "not a contacts data file"),
        (b'{"contacts": {"1": "Ann"}}', 'table "contacts", record 1: expected an object, found "Ann"'),
        (b'{"contacts": {"1": {"name": "Ann"}}}', 'table "contacts", record 1, field "phone": expected'),
        (b'{"contacts": {"x": {"name": "Ann", "phone": "+14155550132"}}}', 'table "contacts", record "x": expected'),
        (b'{"contacts": {"1": {"name": 7, "phone": "+14155550132"}}}', 'record 1, field "name": expected'),
        (b'{"_meta": {"1": "v1"}}', 'table "_meta", record 1: expected an object'),
        (b'{"_meta": {"1": {"schema_version": "one"}}}', 'field "schema_version": expected a whole number'),
    ],
)
def test_a_broken_file_is_refused_naming_it_and_never_rewritten(db_path, content, says):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    before = os.stat(db_path)
    with pytest.raises(CorruptDataFile) as err:
        Store.open(db_path, user="alice")
    assert str(db_path) in str(err.value)
    assert says in str(err.value)
    assert db_path.read_bytes() == content
    assert os.stat(db_path).st_mtime_ns == before.st_mtime_ns


def test_a_file_from_a_newer_version_is_refused(db_path):
    db_path.parent.mkdir(parents=True)
    content = json.dumps({"contacts": {}, "_meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}}).encode()
    db_path.write_bytes(content)
    with pytest.raises(CorruptDataFile, match=f"newer sms-contacts .*schema {SCHEMA_VERSION + 1}"):
        Store.open(db_path, user="alice")
    assert db_path.read_bytes() == content


def test_a_file_upgraded_by_a_newer_version_mid_session_is_never_overwritten(store, db_path):
    store.add_contact("Ann", "4155550132")
    newer = json.loads(db_path.read_bytes())
    newer["_meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    content = json.dumps(newer).encode()
    db_path.write_bytes(content)
    for _ in range(2):  # refused every time, not only the first
        with pytest.raises(CorruptDataFile, match="newer sms-contacts"):
            store.add_contact("Bob", "4155550133")
        assert db_path.read_bytes() == content


def test_a_file_broken_by_someone_else_mid_session_is_refused_and_left_alone(store, db_path):
    store.add_contact("Ann", "4155550132")
    db_path.write_bytes(b"{oops")
    for _ in range(2):
        with pytest.raises(CorruptDataFile, match="is not valid JSON"):
            store.add_contact("Bob", "4155550133")
        assert db_path.read_bytes() == b"{oops"
    assert store.find("4155550132").name == "Ann"  # what was loaded stays readable


def test_a_file_removed_mid_session_is_refused_with_a_clear_message(store, db_path):
    store.add_contact("Ann", "4155550132")
    db_path.unlink()
    assert store.changed_on_disk()
    with pytest.raises(StoreError, match=f"{db_path}.*(removed|missing)") as err:
        store.add_contact("Bob", "4155550133")
    says = (
        f"{db_path} was removed or moved away since it was opened; nothing was saved. "
        "Open it again to start a new file there."
    )
    assert str(err.value) == says
    with pytest.raises(StoreError, match="(removed|missing)") as err:
        store.refresh()
    assert str(err.value) == says
    assert not db_path.exists()


def test_a_file_replaced_by_a_symlink_mid_session_is_not_read_through_it(store, db_path, tmp_path):
    """Issue 12, items 2 and 5: the path is resolved once, at open. A member of a shared folder who
    later swaps the file for a symlink to a file of yours (another contacts file, say) must not
    make your open app show that file: the read is refused like the write, and what was loaded stays."""
    store.add_contact("Ann", "4155550132")
    private = tmp_path / "private" / "mine.json"
    Store.open(private, user="alice").add_contact("Secret Person", "4155550999")
    db_path.rename(tmp_path / "moved-aside.json")
    db_path.symlink_to(private)
    assert store.changed_on_disk()
    for _ in range(2):
        with pytest.raises(StoreError) as err:
            store.refresh()
        assert str(err.value) == (
            f"{db_path} was replaced by a symbolic link since it was opened; nothing was read. "
            "Open the file it points to by its own name."
        )
    assert [c.name for c in store.contacts()] == ["Ann"]
    with pytest.raises(StoreError, match="replaced by a symbolic link"):
        store.add_contact("Bob", "4155550133")
    assert [c.name for c in Store.open(private, user="alice").contacts()] == ["Secret Person"]


def test_a_folder_that_cannot_be_created_is_a_clear_refusal(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError) as err:
        Store.open(blocker / "contacts.json", user="alice")
    assert str(err.value).startswith(f"Cannot create the folder {blocker} for the data file: ")


def test_a_folder_given_as_the_data_file_is_refused(tmp_path):
    with pytest.raises(StoreError) as err:
        Store.open(tmp_path, user="alice")
    assert str(err.value) == (
        f"{tmp_path} is a folder, not a regular file; a contacts data file must be a regular file. "
        "Nothing was read or written."
    )


# -- temp files ---------------------------------------------------------------------------------


def test_old_stray_temp_files_are_removed_by_the_next_writer(store, db_path):
    folder = db_path.parent
    strays = [folder / ".contacts.json.abc123.tmp", folder / ".contacts.json.zz_9.tmp"]
    keep = [folder / "other.json.tmp", folder / ".other.json.abc.tmp", folder / "contacts.json.bak"]
    for path in strays + keep:
        path.write_bytes(b'{"half": ')
        os.utime(path, (time.time() - 3600,) * 2)  # a writer killed an hour ago
    bob = Store.open(db_path, user="bob")
    assert all(path.exists() for path in strays)  # reading removes nothing (it may have no write access)
    bob.add_contact("Ann", "+14155550132")
    assert not any(path.exists() for path in strays)
    assert all(path.exists() for path in keep)


def test_a_temp_file_younger_than_a_minute_is_kept(store, db_path):
    young = db_path.parent / ".contacts.json.young.tmp"
    young.write_bytes(b'{"half": ')
    os.utime(young, (time.time() - 50,) * 2)
    Store.open(db_path, user="bob").add_contact("Ann", "+14155550132")
    assert young.exists()
    os.utime(young, (time.time() - 70,) * 2)
    Store.open(db_path, user="cy").add_contact("Bob", "+14155550133")
    assert not young.exists()


def test_what_only_looks_like_a_temp_file_is_kept(store, db_path, tmp_path_factory):
    """A folder, a FIFO or a symlink named like a temp file is nobody's temp file: never removed
    (and a link is not followed to what it names)."""
    folder = db_path.parent
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "precious.tmp"
    elsewhere.write_text("keep me")
    os.utime(elsewhere, (time.time() - 3600,) * 2)
    odd = [folder / ".contacts.json.dir.tmp", folder / ".contacts.json.fifo.tmp", folder / ".contacts.json.link.tmp"]
    odd[0].mkdir()
    os.mkfifo(odd[1])
    odd[2].symlink_to(elsewhere)
    for path in odd[:2]:
        os.utime(path, (time.time() - 3600,) * 2)
    Store.open(db_path, user="bob").add_contact("Ann", "+14155550132")
    assert all(os.path.lexists(path) for path in odd)
    assert elsewhere.read_text() == "keep me"


def test_saves_leave_no_temp_files(store, db_path):
    for i in range(5):
        store.add_contact(f"C{i}", f"41555501{i:02d}")
    assert temp_files(db_path.parent) == []


# -- writing only when something changed --------------------------------------------------------


def test_a_no_op_edit_does_not_rewrite_the_file(store, unchanged):
    ann = store.add_contact("Ann Lee", "4155550132", "ann@example.com")
    store.add_list("VIP")
    store.set_memberships(ann.id, ["VIP"])
    with unchanged():
        same = store.update_contact(ann.id, name=" Ann Lee ", phone="(415) 555-0132", email="ann@example.com")
        store.update_contact(ann.id, lists=["vip"])
        store.update_contact(ann.id)
    assert same == store.get(ann.id)


def test_a_no_op_opt_out_does_not_rewrite_the_file(store, unchanged):
    ann = store.add_contact("Ann Lee", "4155550132")
    store.opt_out(ann.id)
    with unchanged():
        store.opt_out(ann.id)


def test_no_op_list_and_setting_changes_do_not_rewrite_the_file(store, unchanged):
    store.add_list("VIP")
    with unchanged():
        assert store.rename_list("vip", "VIP").name == "VIP"
        assert store.set_default_region("us") == "US"


def test_an_empty_transaction_does_not_rewrite_the_file(store, unchanged):
    with unchanged():
        with store.transaction():
            pass


# -- memory, not disk, for lookups --------------------------------------------------------------


def test_lookups_never_reread_the_file(store, monkeypatch):
    vip = store.add_list("VIP")
    ann = store.add_contact("Ann", "4155550132", "ann@example.com", lists=["VIP"])

    def no_disk(*args, **kwargs):
        raise AssertionError("a lookup touched the data file")

    monkeypatch.setattr(AtomicJSONStorage, "reload", no_disk)
    monkeypatch.setattr(builtins, "open", no_disk)
    assert store.get(ann.id).name == "Ann"
    assert store.find("415-555-0132").id == ann.id
    assert store.find("ann@example.com").id == ann.id
    assert store.search("ann") == [ann.id]
    assert store.contacts(vip.id)[0].id == ann.id
    assert store.get_list("vip").members == 1
    assert store.count() == 1


# -- other writers --------------------------------------------------------------------------------


def test_changed_on_disk_and_refresh_see_another_stores_write(store, db_path):
    other = Store.open(db_path, user="bob")
    assert not store.changed_on_disk()
    assert store.refresh() is False
    bob = other.add_contact("Bob", "4155550133")
    assert store.changed_on_disk()
    assert store.count() == 0  # nothing reloads behind the caller's back
    assert store.refresh() is True
    assert store.get(bob.id).name == "Bob"
    assert store.search("bob") == [bob.id]
    assert not store.changed_on_disk()
    assert store.refresh() is False


def test_own_writes_are_not_reported_as_changes(store):
    store.add_contact("Ann", "4155550132")
    assert not store.changed_on_disk()


def test_a_change_is_applied_on_top_of_another_stores_newer_data(store, db_path):
    ann = store.add_contact("Ann", "4155550132")
    other = Store.open(db_path, user="bob")
    bob = other.add_contact("Bob", "4155550133")
    other.update_contact(ann.id, email="ann@example.com")
    # ``store`` has not refreshed; its next change must still keep Bob and Ann's new email.
    cy = store.add_contact("Cy", "4155550134")
    assert len({ann.id, bob.id, cy.id}) == 3
    final = Store.open(db_path, user="carol")
    assert [c.name for c in final.contacts()] == ["Ann", "Bob", "Cy"]
    assert final.get(ann.id).email == "ann@example.com"
    # Rules are checked against the newest data too: Bob's phone is taken.
    with pytest.raises(Exception, match="already belongs to Bob"):
        store.add_contact("Bob Two", "415 555 0133")


def test_a_same_size_rewrite_in_the_same_clock_tick_is_still_noticed(store, db_path):
    """Coarse file timestamps plus a recycled inode number must not hide another writer's change."""
    ann = store.add_contact("Ann", "4155550132")
    seen = os.stat(db_path)
    other = Store.open(db_path, user="bob")
    other.update_contact(ann.id, name="Bob")
    other.update_contact(ann.id, name="Cyd")  # same size; may get the first file's inode number back
    os.utime(db_path, ns=(seen.st_atime_ns, seen.st_mtime_ns))  # as if written in the same tick
    assert os.stat(db_path).st_size == seen.st_size
    assert store.changed_on_disk()
    store.add_contact("Dee", "4155550133")
    assert Store.open(db_path, user="carol").get(ann.id).name == "Cyd"


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"  \n", "is empty, but a contacts data file always holds data. It was left as it is: "
                  "restore it from a backup, or move it away to start a new file."),
        (b"{not json", "It was left as it is: restore it from a backup, or move it away to start a new file."),
        (b"[1, 2]", "is JSON but not a contacts data file (expected an object of tables). It was left as it is."),
    ],
)
def test_an_unusable_data_file_is_refused_with_what_to_do_and_that_it_was_left_alone(tmp_path, raw, says):
    """Rule: a data file that cannot be used says where, why, that it was not touched, and what to do."""
    from store.file.storage import parse_document

    path = tmp_path / "c.json"
    with pytest.raises(CorruptDataFile) as err:
        parse_document(raw, path)
    message = str(err.value)
    assert message.startswith(str(path))
    assert message.endswith(says)


def test_after_forget_the_next_read_goes_back_to_the_file(tmp_path):
    """Rule: forget() drops what was read, so read() loads the file again (and sees its change)."""
    from store.file.storage import AtomicJSONStorage, write_atomically

    path = tmp_path / "c.json"
    write_atomically(path, b'{"t": {"1": {"a": 1}}}')
    storage = AtomicJSONStorage(path)
    assert storage.read() == {"t": {"1": {"a": 1}}}
    write_atomically(path, b'{"t": {"1": {"a": 2}}}')
    storage.forget()
    assert not storage.loaded
    assert storage.read() == {"t": {"1": {"a": 2}}}
    storage.close()


def test_a_write_under_the_lock_keeps_the_new_file_locked(tmp_path):
    """Rule: the write lock moves with the save: the file now in place is locked until release."""
    import fcntl
    import os

    from store.file.storage import AtomicJSONStorage, write_atomically

    path = tmp_path / "c.json"
    write_atomically(path, b'{"t": {}}')
    storage = AtomicJSONStorage(path)
    storage.read()
    with storage.locked():
        storage.write({"t": {"1": {"a": 1}}})
        fd = os.open(path, os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    storage.close()


def test_create_never_replaces_a_file_another_process_made_first(tmp_path):
    """Rule: two people opening a new data file at once: the second gets the first one's file."""
    from store.file.storage import write_atomically

    path = tmp_path / "c.json"
    storage = AtomicJSONStorage(path)
    assert storage.read() is None  # not there yet: this storage means to create it
    write_atomically(path, b'{"t": {"1": {"theirs": true}}}')  # ... but another process is first
    assert storage.create({"t": {"1": {"mine": True}}}) == {"t": {"1": {"theirs": True}}}
    assert json.loads(path.read_text()) == {"t": {"1": {"theirs": True}}}
    assert temp_files(tmp_path) == []
    storage.close()


def test_create_on_a_file_system_without_hard_links_falls_back_to_a_rename(tmp_path, monkeypatch):
    path = tmp_path / "c.json"
    storage = AtomicJSONStorage(path)

    def no_links(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    assert storage.create({"t": {"1": {"mine": True}}}) == {"t": {"1": {"mine": True}}}
    assert json.loads(path.read_text()) == {"t": {"1": {"mine": True}}}
    assert temp_files(tmp_path) == []
    storage.close()


def test_create_fails_in_one_line_on_any_other_link_error_and_leaves_nothing(tmp_path, monkeypatch):
    path = tmp_path / "c.json"
    storage = AtomicJSONStorage(path)

    def disk_full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "link", disk_full)
    with pytest.raises(StoreError, match=r"^Could not save .*c\.json: .*[Nn]o space left on device\. Nothing was changed\.$"):
        storage.create({"t": {}})
    assert not path.exists() and temp_files(tmp_path) == []
    storage.close()


def test_a_file_swapped_for_a_link_between_look_and_open_is_refused_as_a_link(tmp_path, monkeypatch):
    """The open itself refuses a link (O_NOFOLLOW: ELOOP) when one appears after the lstat."""
    from store.file.storage import write_atomically

    path = tmp_path / "c.json"
    write_atomically(path, b'{"t": {}}')
    storage = AtomicJSONStorage(path)
    monkeypatch.setattr(os, "open", failing_open(path, OSError(errno.ELOOP, "Too many levels of symbolic links")))
    with pytest.raises(StoreError, match=r"c\.json was replaced by a symbolic link since it was opened; nothing was read\."):
        storage.read()


def test_a_file_that_cannot_be_opened_or_read_says_so_in_one_line(tmp_path, monkeypatch):
    from store.file.storage import write_atomically

    path = tmp_path / "c.json"
    write_atomically(path, b'{"t": {}}')
    with monkeypatch.context() as patch:
        patch.setattr(os, "open", failing_open(path, PermissionError(errno.EACCES, "Permission denied")))
        with pytest.raises(StoreError, match=r"^Cannot read .*c\.json: Permission denied$"):
            AtomicJSONStorage(path).read()
    real_fstat = os.fstat

    def failing_fstat(fd):
        raise OSError(errno.EIO, "Input/output error")

    storage = AtomicJSONStorage(path)
    with monkeypatch.context() as patch:
        patch.setattr(os, "fstat", failing_fstat)
        with pytest.raises(StoreError, match=r"^Cannot read .*c\.json: .*[Ii]nput/output error"):
            storage.read()
    assert os.fstat is real_fstat
    assert storage.read() == {"t": {}}  # nothing half-loaded stayed behind
    storage.close()


def test_the_stray_sweep_says_exactly_which_files_it_removed(tmp_path, monkeypatch):
    """A temp file is abandoned from one minute old (its writer would have renamed it by then);
    the sweep removes and names only those, never a younger, held, or odd one."""
    import fcntl

    import store.file.storage as storage_module

    path = tmp_path / "contacts.json"
    Store.open(path, user="admin").add_contact("Ann", "+14155550132")
    now = 1_800_000_000
    monkeypatch.setattr(storage_module.time, "time", lambda: now)

    def temp(name: str, age: int):
        made = tmp_path / f".contacts.json.{name}.tmp"
        made.write_bytes(b"{")
        os.utime(made, ns=((now - age) * 10**9,) * 2)
        return made

    exactly_a_minute, older = temp("sixty", 60), temp("old", 3600)
    younger, held = temp("fifty9", 59), temp("held", 3600)
    (tmp_path / ".contacts.json.dir.tmp").mkdir()
    (tmp_path / ".contacts.json.link.tmp").symlink_to(tmp_path / "nowhere")  # cannot be opened: kept
    fd = os.open(held, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        removed = AtomicJSONStorage(path).remove_stray_temp_files()
    finally:
        os.close(fd)
    assert sorted(removed) == sorted([exactly_a_minute, older])
    assert not exactly_a_minute.exists() and not older.exists()
    assert younger.exists() and held.exists() and (tmp_path / ".contacts.json.dir.tmp").is_dir()
    assert (tmp_path / ".contacts.json.link.tmp").is_symlink()
    assert AtomicJSONStorage(tmp_path / "missing" / "c.json").remove_stray_temp_files() == []  # no folder: nothing


# -- what the storage keeps between calls (mutation testing) --------------------------------------


def test_after_a_write_or_create_reads_answer_from_memory_not_the_disk(tmp_path):
    """Rule: read() never touches the disk once loaded; only reload() (a refresh) looks again."""
    from store.file.storage import write_atomically

    path = tmp_path / "c.json"
    storage = AtomicJSONStorage(path)
    storage.create({"t": {"1": {"v": "made"}}})
    write_atomically(path, b'{"t": {"1": {"v": "theirs"}}}')
    assert storage.read() == {"t": {"1": {"v": "made"}}}
    with storage.locked():
        storage.write({"t": {"1": {"v": "mine"}}})
    write_atomically(path, b'{"t": {"1": {"v": "theirs again"}}}')
    assert storage.read() == {"t": {"1": {"v": "mine"}}}
    assert storage.changed_on_disk() and storage.reload() == {"t": {"1": {"v": "theirs again"}}}
    storage.close()


def test_a_write_without_the_lock_still_writes_atomically(tmp_path):
    path = tmp_path / "c.json"
    storage = AtomicJSONStorage(path)
    storage.write({"t": {"1": {"v": 1}}})
    assert json.loads(path.read_text()) == {"t": {"1": {"v": 1}}} and temp_files(tmp_path) == []
    storage.close()


def test_a_storage_dropped_without_close_lets_go_of_its_file(tmp_path):
    import gc

    from store.file.storage import write_atomically

    path = tmp_path / "c.json"
    write_atomically(path, b'{"t": {}}')

    def open_on_path() -> int:
        links = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                links.append(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:
                pass
        return links.count(str(path))

    storage = AtomicJSONStorage(path)
    storage.read()
    assert open_on_path() == 1  # it holds the file it read
    del storage
    gc.collect()
    assert open_on_path() == 0


def test_a_forgotten_read_counts_as_changed_even_when_the_file_is_gone(tmp_path):
    from store.file.storage import write_atomically

    path = tmp_path / "c.json"
    write_atomically(path, b'{"t": {}}')
    storage = AtomicJSONStorage(path)
    storage.read()
    storage.forget()
    path.unlink()
    assert storage.changed_on_disk()  # what was read is unusable: never "unchanged"
    storage.close()


def test_the_file_is_opened_so_that_a_link_or_fifo_swapped_in_is_never_followed_or_waited_on(tmp_path, monkeypatch):
    from store.file.storage import write_atomically

    path = tmp_path / "c.json"
    write_atomically(path, b'{"t": {}}')
    flags_used = record_open_flags(monkeypatch, path)
    storage = AtomicJSONStorage(path)
    storage.read()
    storage.close()
    assert flags_used
    for wanted in (os.O_NOFOLLOW, os.O_NONBLOCK, os.O_NOCTTY, os.O_CLOEXEC):
        assert flags_used[0] & wanted


def test_a_fifo_swapped_in_after_the_look_is_refused_by_its_name_without_waiting(tmp_path, monkeypatch):
    import store.file.storage as storage_module

    regular = tmp_path / "regular.json"
    regular.write_text("{}")
    path = tmp_path / "c.json"
    os.mkfifo(path)
    real_lstat = os.lstat
    monkeypatch.setattr(storage_module.os, "lstat",
                        lambda p, *a, **k: real_lstat(regular) if os.fspath(p) == os.fspath(path) else real_lstat(p, *a, **k))
    with pytest.raises(StoreError) as refused:
        AtomicJSONStorage(path).read()
    assert str(refused.value).startswith(f"{path} is a named pipe (FIFO), not a regular file")


def test_a_file_created_and_removed_again_while_opening_says_so(tmp_path, monkeypatch):
    path = tmp_path / "c.json"
    storage = AtomicJSONStorage(path)

    def someone_was_first(src, dst):
        raise FileExistsError(errno.EEXIST, "File exists")  # ... and removed it before we looked

    monkeypatch.setattr(os, "link", someone_was_first)
    with pytest.raises(StoreError) as refused:
        storage.create({"t": {}})
    assert str(refused.value) == f"{path} was created and removed again while opening it; try again."
    assert temp_files(tmp_path) == []


def test_create_holds_one_descriptor_of_the_new_file_and_close_lets_it_go(tmp_path):
    """Rule: the file create() made is held open (one descriptor) until close(); none is leaked."""
    path = tmp_path / "c.json"

    def open_on_file() -> int:
        made = os.stat(path)
        count = 0
        for fd in os.listdir("/proc/self/fd"):
            try:
                st = os.fstat(int(fd))
            except OSError:
                continue
            count += (st.st_dev, st.st_ino) == (made.st_dev, made.st_ino)
        return count

    storage = AtomicJSONStorage(path)
    storage.create({"t": {}})
    assert open_on_file() == 1
    storage.close()
    assert open_on_file() == 0


def test_the_stray_sweep_never_names_a_file_it_did_not_remove(tmp_path, monkeypatch):
    """Rule: the sweep's list holds only what it unlinked. A temp file swapped for another between
    its open and its unlink is left alone, and one whose unlink fails stays: neither is named."""
    import store.file.storage as storage_module

    path = tmp_path / "contacts.json"
    Store.open(path, user="admin").add_contact("Ann", "+14155550132")
    now = 1_800_000_000
    monkeypatch.setattr(storage_module.time, "time", lambda: now)
    swapped, stuck = tmp_path / ".contacts.json.swapped.tmp", tmp_path / ".contacts.json.stuck.tmp"
    for made in (swapped, stuck):
        made.write_bytes(b"{")
        os.utime(made, ns=((now - 3600) * 10**9,) * 2)
    elsewhere = os.lstat(path)  # what the swapped name holds by the time it is looked at again
    real_lstat_or_none = storage_module.lstat_or_none
    monkeypatch.setattr(storage_module, "lstat_or_none", lambda p: elsewhere if p == swapped else real_lstat_or_none(p))
    real_unlink = os.unlink

    def unlink(p, *args, **kwargs):
        if os.fspath(p) == os.fspath(stuck):
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), os.fspath(p))
        return real_unlink(p, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    assert AtomicJSONStorage(path).remove_stray_temp_files() == []
    assert swapped.exists() and stuck.exists()
