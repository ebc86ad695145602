"""What the command line and the app say: counts agree with their nouns, history and replies read as
sentences that say what really happened, hints name the key of the app they appear in.
"""

from __future__ import annotations

import pytest

from store import Store
from store.consent.replies import record_reply, resolve_review
from tui.cli import main

ANN = "+14155550132"


@pytest.fixture
def run(db_path, capsys):
    def call(*args: str) -> str:
        assert main(["--db", str(db_path), *args]) == 0
        out, err = capsys.readouterr()
        return out + err

    return call


@pytest.fixture
def store(db_path) -> Store:
    """Opened by the user the command line runs as, who thereby is the file's admin."""
    return Store.open(db_path)


@pytest.fixture
def ann(store: Store):
    return store.add_contact("Ann Lee", ANN, "ann@example.com")


# -- counts -----------------------------------------------------------------------------------------


def test_delete_all_of_one_contact_says_contact(ann, store, run):
    record_reply(store, ANN, "STOP")
    out = run("delete-all", "--yes")
    assert "Deleted 1 contact from" in out
    assert "1 opted-out number " in out and "(1 added now)" in out
    assert "1 contacts" not in out and "1 opted-out numbers" not in out


def test_delete_all_of_two_contacts_says_contacts(ann, store, run):
    store.add_contact("Bo Diaz", "4155550133")
    assert "Deleted 2 contacts from" in run("delete-all", "--yes")


def test_lists_of_one_member_say_contact(ann, store, run):
    store.add_list("VIP")
    store.update_contact(ann.id, lists=[store.get_list("VIP").id])
    store.add_list("Empty")
    lines = run("lists").splitlines()
    assert any(line.startswith("VIP") and line.endswith(" 1 contact") for line in lines), lines
    assert any(line.startswith("Empty") and line.endswith(" 0 contacts") for line in lines), lines
    assert run("lists", "remove", "VIP") == "Removed list VIP (1 contact kept)\n"


def test_export_of_one_contact_says_contact(ann, run, tmp_path):
    assert "Exported 1 contact to" in run("export", "-o", str(tmp_path / "out.csv"))


def test_an_import_with_one_merged_duplicate_says_duplicate(run, tmp_path):
    csv = tmp_path / "in.csv"
    csv.write_text("Ann Lee,4155550132,\nAnn Lee,415-555-0132,ann@example.com\n", encoding="utf-8")
    out = run("import", str(csv))
    assert "1 merged duplicate." in out or "1 merged duplicate;" in out, out
    assert "1 merged duplicates" not in out


# -- history and replies ------------------------------------------------------------------------------


def test_show_history_reads_as_sentences(ann, store, run):
    record_reply(store, ANN, "STOP")
    record_reply(store, ANN, "START")
    history = [line for line in run("show", ANN).splitlines() if line.startswith("History:")]
    assert len(history) == 4
    text = "\n".join(history)
    assert "Opted out: no -> yes" in history[0] and "reply 'STOP'" in history[0]
    assert "Consent: Not sent -> Declined" in history[1]
    assert "Opted out: yes -> no" in history[2] and "reply 'START'" in history[2]
    assert "Consent: Declined -> Confirmed" in history[3]
    for raw in ("opted_out", "False", "True", "declined", "not_sent"):
        assert raw not in text
    assert f"recorded by {store.user}" in history[0]


def test_show_history_of_a_manual_opt_out(ann, store, run):
    store.opt_out(ann.id)
    [line] = [line for line in run("show", ANN).splitlines() if line.startswith("History:")]
    assert "Opted out: no -> yes" in line and f"opted out by hand by {store.user}" in line


@pytest.mark.parametrize(
    ("how", "said"),
    [
        (lambda store, ann: resolve_review(store, ann.id, opt_out=True), "decided by {user}: opted out"),
        (lambda store, ann: resolve_review(store, ann.id, opt_out=False), "decided by {user}: dismissed"),
        (lambda store, ann: record_reply(store, ANN, "STOP"), "decided by {user}: opted out by reply"),
    ],
    ids=["opt-out", "dismiss", "a later STOP"],
)
def test_show_says_how_a_review_was_decided_in_words(ann, store, run, how, said):
    """The decision reads as the history does, not as the stored value ("opted_out by root")."""
    record_reply(store, ANN, "please stop texting me")
    how(store, ann)
    [line] = [line for line in run("show", ANN).splitlines() if line.startswith("Review:")]
    assert "'please stop texting me'" in line and said.format(user=store.user) in line, line
    assert "opted_out" not in line


def test_yes_from_a_contact_never_opted_out_confirms_consent(ann, run):
    out = run("reply", ANN, "YES")
    assert out.startswith("Consent confirmed:"), out
    assert "Opted in" not in out


def test_start_from_a_contact_never_opted_out_confirms_consent(ann, run):
    out = run("reply", ANN, "START")
    assert out.startswith("Consent confirmed:"), out


def test_start_after_stop_still_says_opted_in(ann, run):
    run("reply", ANN, "STOP")
    assert run("reply", ANN, "START").startswith("Opted in:")


def test_import_preview_names_consent_as_people_read_it(run, tmp_path):
    csv = tmp_path / "in.csv"
    csv.write_text("Name,Phone,Consent\nBo Diaz,2125550100,\nCy Dee,2125550101,declined\n", encoding="utf-8")
    out = run("import", str(csv), "--skip-header", "--dry-run")
    assert "line 2: Bo Diaz | +12125550100 | - | consent Not sent" in out, out
    assert "line 3: Cy Dee | +12125550101 | - | consent Declined" in out, out
    assert "not_sent" not in out
