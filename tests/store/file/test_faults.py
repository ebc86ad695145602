"""A save that fails (disk full...) leaves the old file, a consistent store and no temp file behind."""

from __future__ import annotations

import errno
import json
import os
import tempfile

import pytest

from store import SaveFailed, Store

ENOSPC_TEXT = os.strerror(errno.ENOSPC)  # "No space left on device"


def temp_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def failing(*args, **kwargs):
    raise OSError(errno.ENOSPC)  # one argument, as a test double or a library might raise it


def failing_with_text(*args, **kwargs):
    raise OSError(errno.ENOSPC, ENOSPC_TEXT)


# Each fault hits one step of the save; os.fsync also fails the folder fsync, which comes later.
FAULTS = [
    ("write", os, "write", failing),
    ("fsync", os, "fsync", failing),
    ("replace", os, "replace", failing),
    ("replace-2-args", os, "replace", failing_with_text),
    ("fchmod", os, "fchmod", failing),
    ("mkstemp", tempfile, "mkstemp", failing),
]


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_list("VIP")
    store.add_contact("Ann Lee", "4155550132", "ann@example.com", lists=["VIP"])
    store.add_contact("Bob Ode", "4155550133")
    return store


def state(store: Store):
    """Everything a user can see through the store."""
    return (
        [(c.id, c.name, c.phone, c.email, c.opted_out, c.lists) for c in store.contacts()],
        [(lst.id, lst.name, lst.members) for lst in store.lists()],
        store.search("415"),
        store.default_region,
    )


CHANGES = {
    "add": lambda s: s.add_contact("Cy New", "4155550134", lists=["VIP"]),
    "edit": lambda s: s.update_contact(s.find("4155550132").id, name="Ann Changed", phone="4155550199"),
    "opt-out": lambda s: s.opt_out(s.find("4155550133").id),
    "delete": lambda s: s.delete_contact(s.find("4155550132").id),
    "delete-list": lambda s: s.delete_list("VIP"),
    "add-list": lambda s: s.add_list("Promo"),
    "region": lambda s: s.set_default_region("GB"),
    "delete-all": lambda s: s.delete_all(),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize(("fault", "module", "name", "fake"), FAULTS, ids=[f[0] for f in FAULTS])
def test_a_failed_save_changes_nothing(filled, db_path, monkeypatch, change, fault, module, name, fake):
    before_bytes = db_path.read_bytes()
    before_state = state(filled)
    with monkeypatch.context() as patch:
        patch.setattr(module, name, fake)
        with pytest.raises(SaveFailed) as err:
            CHANGES[change](filled)
    message = str(err.value)
    assert message == f"Could not save {db_path}: {ENOSPC_TEXT}" + (
        " (ENOSPC). Nothing was changed." if fake is failing else ". Nothing was changed."
    )
    assert db_path.read_bytes() == before_bytes
    assert temp_files(db_path.parent) == []
    # The store in memory agrees with the untouched file...
    assert state(filled) == before_state
    assert state(Store.open(db_path, user="bob")) == before_state
    assert not filled.changed_on_disk()
    # ...and once the disk has room again the same change goes through.
    CHANGES[change](filled)
    assert db_path.read_bytes() != before_bytes
    assert state(Store.open(db_path, user="bob")) == state(filled)


def test_a_partial_write_then_enospc_leaves_no_temp_file(filled, db_path, monkeypatch):
    real_write = os.write
    calls = []

    def write_a_little_then_fail(fd, data):
        calls.append(fd)
        if len(calls) == 1:
            return real_write(fd, bytes(data[:10]))  # a short write: the loop must go on
        raise OSError(errno.ENOSPC, ENOSPC_TEXT)

    before = db_path.read_bytes()
    monkeypatch.setattr(os, "write", write_a_little_then_fail)
    with pytest.raises(SaveFailed, match="No space left on device"):
        filled.add_contact("Cy", "4155550134")
    monkeypatch.undo()
    assert len(calls) == 2
    assert db_path.read_bytes() == before
    assert temp_files(db_path.parent) == []
    assert filled.count() == 2


def test_a_short_write_is_completed(filled, db_path, monkeypatch):
    real_write = os.write

    def write_in_small_pieces(fd, data):
        return real_write(fd, bytes(data[:7]))

    monkeypatch.setattr(os, "write", write_in_small_pieces)
    filled.add_contact("Cy", "4155550134")
    monkeypatch.undo()
    assert {c["name"] for c in json.loads(db_path.read_bytes())["contacts"].values()} == {"Ann Lee", "Bob Ode", "Cy"}


def test_a_failed_folder_fsync_after_the_rename_still_counts_as_saved(filled, db_path, monkeypatch):
    """Once the new file is renamed into place the change is made; only its durability was at risk."""
    real_fsync = os.fsync
    seen = []

    def fail_on_folder(fd):
        seen.append(fd)
        if len(seen) > 1:
            raise OSError(errno.EIO, "I/O error")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fail_on_folder)
    cy = filled.add_contact("Cy", "4155550134")
    monkeypatch.undo()
    assert len(seen) == 2
    assert Store.open(db_path, user="bob").get(cy.id).name == "Cy"
    assert not filled.changed_on_disk()


def test_a_new_file_that_cannot_be_written_is_not_created(tmp_path, monkeypatch):
    path = tmp_path / "contacts.json"
    monkeypatch.setattr(os, "write", failing)
    with pytest.raises(SaveFailed, match=f"Could not save {path}: No space left on device"):
        Store.open(path, user="alice")
    monkeypatch.undo()
    assert not path.exists()
    assert temp_files(tmp_path) == []


def test_an_error_inside_a_transaction_discards_its_half_made_change(filled, db_path):
    before_bytes, before_state = db_path.read_bytes(), state(filled)
    from store.model import CONTACTS, new_contact_doc

    with pytest.raises(RuntimeError):
        with filled.transaction() as tx:
            cid = tx.new_id(CONTACTS)
            tx.put_contact(cid, new_contact_doc("Half", "+14155550150", None, [], tx.now))
            raise RuntimeError("something went wrong after a change")
    assert db_path.read_bytes() == before_bytes
    assert state(filled) == before_state
    assert filled.id_for_phone("+14155550150") is None
