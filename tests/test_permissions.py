"""Who may delete: defaults per role, role and user policies, admin-only changes, every route refused.

The store fixture is opened by alice, who created the file and so is its admin. Other users open
the same file with ``Store.open(path, user=...)``. The CLI runs as the real OS user, so CLI
refusals are tested on a file someone else created (which makes the OS user an agent).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from store import PermissionDenied, Store, ValidationError
from store.access.permissions import current_login, decide, parse_subject
from tui.cli import main


def open_as(path: Path, user: str) -> Store:
    return Store.open(path, user=user)


@pytest.fixture
def team(store: Store, db_path: Path) -> Store:
    """alice (admin) with bob a supervisor, carol an agent, and two contacts."""
    store.set_role("bob", "supervisor")
    store.set_role("carol", "agent")
    store.add_contact("Ann Lee", "415 555 0132")
    store.add_contact("Ben Ode", "415 555 0133")
    return store


# -- defaults ----------------------------------------------------------------------------------


def test_creator_is_admin_and_unknown_user_is_agent(store: Store, db_path: Path) -> None:
    assert store.role == "admin"
    assert open_as(db_path, "zed").role == "agent"


@pytest.mark.parametrize(
    ("user", "delete", "delete_all"),
    [("alice", True, True), ("bob", True, True), ("carol", True, False), ("stranger", True, False)],
)
def test_defaults_per_role(team: Store, db_path: Path, user: str, delete: bool, delete_all: bool) -> None:
    as_user = open_as(db_path, user)
    assert as_user.can("delete").allowed is delete
    assert as_user.can("delete-all").allowed is delete_all


def test_agent_refusal_says_why(team: Store, db_path: Path) -> None:
    reason = open_as(db_path, "carol").can("delete-all").reason
    assert "agent" in reason and "delete all" in reason


def test_a_role_the_file_should_not_hold_counts_as_agent() -> None:
    data = {"users": {"1": {"login": "x", "role": "superuser"}}, "policies": {}}
    assert decide(data, "x", "delete").allowed
    assert not decide(data, "x", "delete-all").allowed


# -- policies ----------------------------------------------------------------------------------


def test_role_policy_denies_delete_for_that_role_only(team: Store, db_path: Path) -> None:
    team.set_policy("agent", "delete", False)
    assert not open_as(db_path, "carol").can("delete").allowed
    assert not open_as(db_path, "stranger").can("delete").allowed
    assert open_as(db_path, "bob").can("delete").allowed


def test_role_policy_can_allow_delete_all_for_agents(team: Store, db_path: Path) -> None:
    team.set_policy("agent", "delete-all", True)
    assert open_as(db_path, "carol").can("delete-all").allowed


def test_user_policy_overrides_role_policy(team: Store, db_path: Path) -> None:
    team.set_policy("supervisor", "delete-all", False)
    team.set_policy("bob", "delete-all", True)
    team.set_role("dora", "supervisor")
    assert open_as(db_path, "bob").can("delete-all").allowed
    assert not open_as(db_path, "dora").can("delete-all").allowed
    team.set_policy("agent", "delete", True)
    team.set_policy("carol", "delete", False)
    assert not open_as(db_path, "carol").can("delete").allowed
    assert "carol" in open_as(db_path, "carol").can("delete").reason


def test_changing_a_policy_replaces_it(team: Store) -> None:
    team.set_policy("agent", "delete", False)
    team.set_policy("agent", "delete", True)
    matching = [p for p in team.policies() if p["subject"] == "role:agent" and p["action"] == "delete"]
    assert matching == [{"subject": "role:agent", "action": "delete", "allow": True}]


def test_rules_in_force_show_defaults_and_stored_rules(team: Store) -> None:
    team.set_policy("bob", "delete", False)
    rules = {(r.subject, r.action): (r.allow, r.default) for r in team.rules()}
    assert rules[("role:agent", "delete-all")] == (False, True)
    assert rules[("role:supervisor", "delete-all")] == (True, True)
    assert rules[("user:bob", "delete")] == (False, False)


def test_subjects_parse_roles_users_and_refuse_bad_names() -> None:
    assert parse_subject("agent") == "role:agent"
    assert parse_subject("bob") == "user:bob"
    assert parse_subject("user:agent") == "user:agent"
    for bad in ("", "role:boss", "two words", "bad\x1bname"):
        with pytest.raises(ValidationError):
            parse_subject(bad)


def test_unknown_action_and_role_are_refused(store: Store, unchanged) -> None:
    with unchanged():
        with pytest.raises(ValidationError, match="use delete, delete-all, lists or settings"):
            store.set_policy("agent", "export", False)
        with pytest.raises(ValidationError, match="Unknown role"):
            store.set_role("bob", "boss")


# -- admin-only changes ------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["bob", "carol", "stranger"])
def test_only_admins_change_roles_and_policies(team: Store, db_path: Path, user: str) -> None:
    as_user = open_as(db_path, user)
    before = db_path.read_bytes()
    with pytest.raises(PermissionDenied, match="Only an admin"):
        as_user.set_role(user, "admin")
    with pytest.raises(PermissionDenied, match="Only an admin"):
        as_user.set_policy("agent", "delete-all", True)
    assert db_path.read_bytes() == before
    assert open_as(db_path, user).role != "admin"


def test_the_last_admin_cannot_demote_themselves(store: Store, unchanged) -> None:
    with unchanged():
        with pytest.raises(PermissionDenied, match="only admin"):
            store.set_role("alice", "agent")
    assert store.role == "admin"


def test_an_admin_can_step_down_once_there_is_another(store: Store, db_path: Path) -> None:
    store.set_role("bob", "admin")
    store.set_role("alice", "supervisor")
    assert store.role == "supervisor"
    assert open_as(db_path, "bob").role == "admin"


# -- every route refuses -----------------------------------------------------------------------


def test_store_refuses_delete_for_a_denied_user(team: Store, db_path: Path, unchanged) -> None:
    team.set_policy("carol", "delete", False)
    carol = open_as(db_path, "carol")
    contact_id = carol.ordered_ids()[0]
    with unchanged():
        with pytest.raises(PermissionDenied):
            carol.delete_contact(contact_id)
    assert carol.count() == 2


def test_store_refuses_delete_all_for_an_agent(team: Store, db_path: Path, unchanged) -> None:
    carol = open_as(db_path, "carol")
    with unchanged():
        with pytest.raises(PermissionDenied):
            carol.delete_all()
    assert open_as(db_path, "alice").count() == 2


def _set_policy_in_another_process(path: Path, subject: str, action: str, allow: bool) -> None:
    code = (
        "import sys\nfrom store import Store\n"
        "Store.open(sys.argv[1], user='alice').set_policy(sys.argv[2], sys.argv[3], sys.argv[4] == 'allow')"
    )
    verdict = "allow" if allow else "deny"
    subprocess.run([sys.executable, "-c", code, str(path), subject, action, verdict], check=True)


def test_a_policy_written_by_another_process_is_enforced(team: Store, db_path: Path, unchanged) -> None:
    bob = open_as(db_path, "bob")
    assert bob.can("delete-all").allowed  # what bob's store believed when it loaded
    _set_policy_in_another_process(db_path, "supervisor", "delete-all", False)
    _set_policy_in_another_process(db_path, "bob", "delete", False)
    with unchanged():
        with pytest.raises(PermissionDenied):
            bob.delete_all()
        with pytest.raises(PermissionDenied):
            bob.delete_contact(bob.ordered_ids()[0])
    assert open_as(db_path, "alice").count() == 2


def test_an_allow_written_by_another_process_is_honoured(team: Store, db_path: Path) -> None:
    team.set_policy("carol", "delete", False)
    carol = open_as(db_path, "carol")
    assert not carol.can("delete").allowed
    _set_policy_in_another_process(db_path, "carol", "delete", True)
    carol.delete_contact(carol.ordered_ids()[0])
    assert open_as(db_path, "alice").count() == 1


# -- the command line, as the real OS user ---------------------------------------------------------


@pytest.fixture
def someone_elses_file(db_path: Path) -> Path:
    """A file created by another user: the OS user running the tests is an agent there."""
    other = "creator-" + current_login()
    store = Store.open(db_path, user=other)
    store.add_contact("Ann Lee", "415 555 0132")
    return db_path


def test_cli_delete_all_refused_for_an_agent(someone_elses_file: Path, capsys, unchanged) -> None:
    with unchanged():
        assert main(["--db", str(someone_elses_file), "delete-all", "--yes"]) == 1
    err = capsys.readouterr().err
    assert "may not delete all contacts" in err


def test_cli_delete_refused_by_policy(someone_elses_file: Path, capsys, unchanged) -> None:
    Store.open(someone_elses_file, user="creator-" + current_login()).set_policy("agent", "delete", False)
    with unchanged():
        assert main(["--db", str(someone_elses_file), "delete", "4155550132", "--yes"]) == 1
    assert "has not allowed the agent role" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [["role", current_login(), "admin"], ["policy", "agent", "delete-all", "allow"]],
)
def test_cli_admin_commands_refused_for_an_agent(someone_elses_file: Path, argv, capsys, unchanged) -> None:
    with unchanged():
        assert main(["--db", str(someone_elses_file), *argv]) == 1
    assert "Only an admin" in capsys.readouterr().err


def test_cli_admin_sets_role_and_policy(db_path: Path, capsys) -> None:
    assert main(["--db", str(db_path), "role", "bob", "supervisor"]) == 0  # creates the file: we are admin
    assert main(["--db", str(db_path), "policy", "supervisor", "delete-all", "deny"]) == 0
    bob = open_as(db_path, "bob")
    assert bob.role == "supervisor"
    assert not bob.can("delete-all").allowed
    capsys.readouterr()
    assert main(["--db", str(db_path), "policies"]) == 0
    listing = capsys.readouterr().out
    assert "supervisor (role)" in listing and "deny" in listing


def test_cli_whoami_shows_user_role_and_rights(db_path: Path, capsys) -> None:
    assert main(["--db", str(db_path), "whoami"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{current_login()} (admin)")
    assert "may delete all contacts: yes" in out


def test_cli_region_shows_sets_and_refuses(db_path: Path, capsys) -> None:
    assert main(["--db", str(db_path), "region", "gb"]) == 0
    assert Store.open(db_path).default_region == "GB"
    capsys.readouterr()
    before = db_path.read_bytes()
    assert main(["--db", str(db_path), "region", "XX"]) == 1
    assert "not a region" in capsys.readouterr().err
    assert db_path.read_bytes() == before
    assert main(["--db", str(db_path), "region"]) == 0
    assert capsys.readouterr().out.strip() == "GB"


# -- renaming and removing lists, changing settings --------------------------------------------


@pytest.mark.parametrize(
    ("user", "lists", "settings"),
    [("alice", True, True), ("bob", True, False), ("carol", False, False), ("stranger", False, False)],
)
def test_lists_and_settings_defaults_per_role(team: Store, db_path: Path, user: str, lists: bool, settings: bool) -> None:
    as_user = open_as(db_path, user)
    assert as_user.can("lists").allowed is lists
    assert as_user.can("settings").allowed is settings


def test_store_refuses_an_agent_renaming_or_removing_a_list(team: Store, db_path: Path, unchanged) -> None:
    team.add_list("VIP")
    carol = open_as(db_path, "carol")
    with unchanged():
        with pytest.raises(PermissionDenied, match=r"agent role \(carol\) may not rename or remove lists"):
            carol.rename_list("VIP", "Gold")
        with pytest.raises(PermissionDenied, match="rename or remove lists"):
            carol.delete_list("VIP")
    assert [lst.name for lst in open_as(db_path, "alice").lists()] == ["VIP"]
    carol.add_list("Carol's own")  # adding a list stays open to everyone


def test_store_refuses_a_non_admin_changing_the_region(team: Store, db_path: Path, unchanged) -> None:
    for user in ("bob", "carol"):
        with unchanged():
            with pytest.raises(PermissionDenied, match="may not change settings"):
                open_as(db_path, user).set_default_region("GB")
    assert open_as(db_path, "alice").default_region == "US"


def test_supervisor_renames_and_removes_lists(team: Store, db_path: Path) -> None:
    team.add_list("VIP")
    bob = open_as(db_path, "bob")
    bob.rename_list("VIP", "Gold")
    assert [lst.name for lst in open_as(db_path, "alice").lists()] == ["Gold"]
    bob.delete_list("Gold")
    assert open_as(db_path, "alice").lists() == []


def test_user_rule_for_lists_and_settings_overrides_the_role(team: Store, db_path: Path) -> None:
    team.add_list("VIP")
    team.set_policy("carol", "lists", True)
    team.set_policy("carol", "settings", True)
    team.set_policy("bob", "lists", False)
    carol = open_as(db_path, "carol")
    carol.rename_list("VIP", "Gold")
    carol.set_default_region("GB")
    assert open_as(db_path, "alice").default_region == "GB"
    with pytest.raises(PermissionDenied, match="has not allowed bob to rename or remove lists"):
        open_as(db_path, "bob").delete_list("Gold")
    with pytest.raises(PermissionDenied):
        open_as(db_path, "dora").delete_list("Gold")  # carol's rule is hers alone


def test_role_rule_for_lists_and_settings(team: Store, db_path: Path) -> None:
    team.add_list("VIP")
    team.set_policy("agent", "lists", True)
    team.set_policy("supervisor", "settings", True)
    open_as(db_path, "stranger").rename_list("VIP", "Gold")
    open_as(db_path, "bob").set_default_region("DE")
    assert open_as(db_path, "alice").default_region == "DE"


def test_an_admin_denied_settings_by_a_rule_is_refused(team: Store, db_path: Path, unchanged) -> None:
    team.set_role("dora", "admin")
    team.set_policy("dora", "settings", False)
    with unchanged():
        with pytest.raises(PermissionDenied, match="has not allowed dora to change settings"):
            open_as(db_path, "dora").set_default_region("GB")


def test_a_lists_rule_written_by_another_process_is_enforced(team: Store, db_path: Path, unchanged) -> None:
    team.add_list("VIP")
    bob = open_as(db_path, "bob")
    assert bob.can("lists").allowed
    _set_policy_in_another_process(db_path, "supervisor", "lists", False)
    with unchanged():
        with pytest.raises(PermissionDenied):
            bob.rename_list("VIP", "Gold")


def test_every_action_has_a_default_for_every_role_and_a_rule_in_force(team: Store) -> None:
    from store.access.permissions import ACTIONS, DEFAULT_ALLOWED, ROLES

    assert set(ACTIONS) >= {"delete", "delete-all", "lists", "settings"}
    assert all(set(DEFAULT_ALLOWED[role]) <= set(ACTIONS) for role in ROLES)
    subjects = {(rule.subject, rule.action) for rule in team.rules()}
    assert {(f"role:{role}", action) for role in ROLES for action in ACTIONS} <= subjects
