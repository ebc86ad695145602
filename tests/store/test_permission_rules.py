"""The rules of store.access.permissions as pure functions of a document: each test names one rule.

(The store- and CLI-level routes are in tests/test_permissions.py.) Found by mutation testing:
each test here failed on a mutant of store/permissions.py that the suite let through.
Equivalent mutants, left alive on purpose, are listed in tests/mutation_equivalents.md.
"""

from __future__ import annotations

import os
import pwd

import pytest

from store import ValidationError
from store.model import POLICIES, USERS
from store.access.permissions import (
    MAX_LOGIN_LENGTH,
    Decision,
    Rule,
    admins,
    clean_action,
    clean_login,
    clean_role,
    current_login,
    decide,
    parse_subject,
    role_of,
    rules_in_force,
)


def document(users: dict[str, str], policies: list[tuple[str, str, bool]] = ()) -> dict:
    return {
        USERS: {str(i): {"login": login, "role": role} for i, (login, role) in enumerate(users.items(), 1)},
        POLICIES: {str(i): {"subject": s, "action": a, "allow": allow} for i, (s, a, allow) in enumerate(policies, 1)},
    }


def refusal(call, *args) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        call(*args)
    return err.value.errors


def test_admins_are_exactly_the_users_with_the_admin_role_sorted():
    data = document({"zoe": "admin", "bob": "supervisor", "carol": "agent", "al": "admin"})
    assert admins(data) == ["al", "zoe"]
    assert admins({}) == []


def test_a_document_without_users_or_policies_tables_gives_the_defaults():
    assert role_of({}, "bob") == "agent"
    assert decide({}, "bob", "delete") == Decision(True, "the agent role may delete contacts")
    assert len(rules_in_force({})) == 12 and all(rule.default for rule in rules_in_force({}))


def test_a_login_without_a_passwd_entry_is_its_uid(monkeypatch):
    uid = next(u for u in range(54321, 60000) if not _has_passwd_entry(u))
    monkeypatch.setattr(os, "getuid", lambda: uid)
    assert current_login() == str(uid)


def _has_passwd_entry(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def test_login_refusals_name_the_user_field_and_say_why():
    assert refusal(clean_login, "  ") == {"user": "User name is required"}
    assert refusal(clean_login, "a b") == {"user": "User name 'a b' may not contain spaces or control characters"}
    assert refusal(clean_login, "x" * (MAX_LOGIN_LENGTH + 1)) == {"user": f"User name is longer than {MAX_LOGIN_LENGTH} characters"}


def test_a_login_of_exactly_the_maximum_length_is_accepted():
    assert clean_login("x" * MAX_LOGIN_LENGTH) == "x" * MAX_LOGIN_LENGTH


def test_role_and_action_refusals_name_their_field_and_list_the_choices():
    assert refusal(clean_role, "boss") == {"role": "Unknown role 'boss'; use one of admin, supervisor, agent"}
    assert refusal(clean_action, "export") == {"action": "Unknown action 'export'; use delete, delete-all, lists or settings"}
    assert clean_role(" Supervisor ") == "supervisor" and clean_action(" Delete-All ") == "delete-all"


def test_decide_refuses_an_action_it_does_not_know_by_name():
    with pytest.raises(ValueError, match="^unknown action 'export'$"):
        decide(document({"alice": "admin"}), "alice", "export")


def test_a_policy_applies_to_its_own_action_only():
    # A deny of delete is no deny of delete-all, and the reverse.
    data = document({"bob": "supervisor"}, [("user:bob", "delete", False), ("role:supervisor", "delete-all", False)])
    assert decide(data, "bob", "delete").allowed is False
    assert decide(data, "bob", "delete-all").allowed is False
    data = document({"bob": "supervisor"}, [("user:bob", "delete-all", False)])
    assert decide(data, "bob", "delete").allowed is True
    data = document({"bob": "supervisor"}, [("role:supervisor", "delete", False)])
    assert decide(data, "bob", "delete-all").allowed is True


def test_each_decision_says_which_rule_decided():
    user_allow = document({"carol": "agent"}, [("user:carol", "delete-all", True)])
    user_deny = document({"carol": "agent"}, [("user:carol", "delete", False)])
    role_allow = document({"carol": "agent"}, [("role:agent", "lists", True)])
    role_deny = document({"carol": "agent"}, [("role:agent", "delete", False)])
    assert decide(user_allow, "carol", "delete-all") == Decision(True, "an administrator allowed carol to delete all contacts")
    assert decide(user_deny, "carol", "delete") == Decision(False, "An administrator has not allowed carol to delete contacts")
    assert decide(role_allow, "carol", "lists") == Decision(True, "an administrator allowed the agent role to rename or remove lists")
    assert decide(role_deny, "carol", "delete") == Decision(
        False, "An administrator has not allowed the agent role (carol) to delete contacts"
    )
    assert decide(role_deny, "carol", "settings") == Decision(False, "The agent role (carol) may not change settings; ask an admin")


def test_subjects_split_at_the_first_colon_and_only_role_or_user_are_prefixes():
    assert parse_subject("user:a:b") == "user:a:b"
    assert parse_subject("team:bob") == "user:team:bob"
    assert parse_subject("role:Agent") == "role:agent"
    assert refusal(parse_subject, "role:") == {"role": "Unknown role ''; use one of admin, supervisor, agent"}


def test_rules_in_force_list_every_role_rule_then_the_user_rules_in_order():
    data = document(
        {"alice": "admin"},
        [("user:zed", "lists", True), ("role:agent", "delete", False), ("user:bob", "settings", False), ("user:bob", "delete", True)],
    )
    rules = rules_in_force(data)
    role_rules = [rule for rule in rules if rule.subject.startswith("role:")]
    assert Rule("role:agent", "delete", False, False) in role_rules
    assert Rule("role:agent", "delete-all", False, True) in role_rules
    assert Rule("role:supervisor", "delete-all", True, True) in role_rules
    assert len(role_rules) == 12 and rules[:12] == role_rules
    assert rules[12:] == [
        Rule("user:bob", "delete", True, False),
        Rule("user:bob", "settings", False, False),
        Rule("user:zed", "lists", True, False),
    ]


def test_a_policy_without_a_subject_is_not_a_user_rule():
    data = {POLICIES: {"1": {"action": "delete", "allow": False}}}
    assert [rule for rule in rules_in_force(data) if not rule.subject.startswith("role:")] == []
