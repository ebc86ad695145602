"""Who may do what: roles, per-role and per-user policies.

The user is the operating-system login name. Whoever creates a data file is its admin; a user the
file does not know is an agent. The actions with a rule (ACTIONS, the one list of them):

- delete: delete single contacts. Default: everyone.
- delete-all: delete every contact. Default: supervisors and admins.
- lists: rename or remove marketing lists (adding one is open to all). Default: supervisors and admins.
- settings: change the file's settings (the default region, reply keywords). Default: admins.

An admin can allow or deny each action per role ("account type") or per user; a user's own
policy wins over their role's, which wins over the default.

This guards against mistakes by people who share a data file. The file's permissions remain the
security boundary: anyone who can write the file can edit it by hand.

Everything here is a pure function of the loaded document, so the store can decide again inside
a transaction, on the data just re-read under the lock.
"""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass
from typing import Any, Mapping

from store.errors import ValidationError
from store.model import POLICIES, USERS

ROLES = ("admin", "supervisor", "agent")
ACTIONS = ("delete", "delete-all", "lists", "settings")
ACTION_LABELS = {
    "delete": "delete contacts",
    "delete-all": "delete all contacts",
    "lists": "rename or remove lists",
    "settings": "change settings",
}
DEFAULT_ALLOWED: dict[str, frozenset[str]] = {
    "admin": frozenset(ACTIONS),
    "supervisor": frozenset({"delete", "delete-all", "lists"}),
    "agent": frozenset({"delete"}),
}
UNKNOWN_USER_ROLE = "agent"
MAX_LOGIN_LENGTH = 64


def current_login() -> str:
    """The operating-system login name of this process's user."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return str(os.getuid())


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # why: shown next to a greyed-out action, or as the refusal


@dataclass(frozen=True)
class Rule:
    """One line of "who may do what": a stored policy, or a default that applies."""

    subject: str  # "role:agent" or "user:bob"
    action: str
    allow: bool
    default: bool  # True when no admin set it: the built-in default for a role

    @property
    def who(self) -> str:
        kind, _, name = self.subject.partition(":")
        return f"{name} (role)" if kind == "role" else f"{name} (user)"


def clean_login(value: object) -> str:
    """A login name as stored: non-empty, no spaces or control characters, not too long."""
    text = str(value or "").strip()
    if not text:
        raise ValidationError.single("user", "User name is required")
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        raise ValidationError.single("user", f"User name {text!r} may not contain spaces or control characters")
    if len(text) > MAX_LOGIN_LENGTH:
        raise ValidationError.single("user", f"User name is longer than {MAX_LOGIN_LENGTH} characters")
    return text


def clean_role(value: object) -> str:
    role = str(value or "").strip().lower()
    if role not in ROLES:
        raise ValidationError.single("role", f"Unknown role {value!r}; use one of {', '.join(ROLES)}")
    return role


def clean_action(value: object) -> str:
    action = str(value or "").strip().lower()
    if action not in ACTIONS:
        raise ValidationError.single("action", f"Unknown action {value!r}; use {actions_in_words()}")
    return action


def actions_in_words() -> str:
    """The actions in words, for messages and help: "delete, delete-all, lists or settings"."""
    return ", ".join(ACTIONS[:-1]) + " or " + ACTIONS[-1]


def role_of(data: Mapping[str, Any], login: str) -> str:
    """The user's role; an unknown user (or a role the file should not hold) counts as agent."""
    for doc in data.get(USERS, {}).values():
        if doc.get("login") == login:
            role = doc.get("role")
            return role if role in ROLES else UNKNOWN_USER_ROLE
    return UNKNOWN_USER_ROLE


def admins(data: Mapping[str, Any]) -> list[str]:
    return sorted(doc["login"] for doc in data.get(USERS, {}).values() if doc.get("role") == "admin")


def policy_for(data: Mapping[str, Any], subject: str, action: str) -> bool | None:
    for doc in data.get(POLICIES, {}).values():
        if doc.get("subject") == subject and doc.get("action") == action:
            return bool(doc.get("allow"))
    return None


def decide(data: Mapping[str, Any], login: str, action: str) -> Decision:
    """May ``login`` do ``action``? The user's policy, else the role's policy, else the default."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    role = role_of(data, login)
    what = ACTION_LABELS[action]
    user_rule = policy_for(data, f"user:{login}", action)
    if user_rule is not None:
        if user_rule:
            return Decision(True, f"an administrator allowed {login} to {what}")
        return Decision(False, f"An administrator has not allowed {login} to {what}")
    role_rule = policy_for(data, f"role:{role}", action)
    if role_rule is not None:
        if role_rule:
            return Decision(True, f"an administrator allowed the {role} role to {what}")
        return Decision(False, f"An administrator has not allowed the {role} role ({login}) to {what}")
    if action in DEFAULT_ALLOWED[role]:
        return Decision(True, f"the {role} role may {what}")
    return Decision(False, f"The {role} role ({login}) may not {what}; ask an admin")


def parse_subject(text: str) -> str:
    """``admin``/``supervisor``/``agent`` name a role; anything else names a user.

    ``role:NAME`` and ``user:NAME`` are accepted too (``user:agent`` for a user called agent).
    Raises ValidationError for an empty or malformed name, or an unknown ``role:`` name.
    """
    text = str(text or "").strip()
    kind, sep, name = text.partition(":")
    if sep and kind == "role":
        return f"role:{clean_role(name)}"
    if sep and kind == "user":
        return f"user:{clean_login(name)}"
    if text.lower() in ROLES:
        return f"role:{text.lower()}"
    return f"user:{clean_login(text)}"


def rules_in_force(data: Mapping[str, Any]) -> list[Rule]:
    """Every role's rule for every action (set by an admin, or the default), then user rules."""
    rules: list[Rule] = []
    for role in ROLES:
        for action in ACTIONS:
            stored = policy_for(data, f"role:{role}", action)
            if stored is None:
                rules.append(Rule(f"role:{role}", action, action in DEFAULT_ALLOWED[role], True))
            else:
                rules.append(Rule(f"role:{role}", action, stored, False))
    user_docs = [doc for doc in data.get(POLICIES, {}).values() if str(doc.get("subject", "")).startswith("user:")]
    for doc in sorted(user_docs, key=lambda d: (d["subject"], d["action"])):
        rules.append(Rule(doc["subject"], doc["action"], bool(doc.get("allow")), False))
    return rules
