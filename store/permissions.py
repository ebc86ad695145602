"""Who may delete: roles, per-role and per-user policies.

The user is the operating-system login name. Whoever creates a data file is its admin; a user the
file does not know is an agent. By default agents may delete single contacts; supervisors and
admins may also delete all. An admin can allow or deny each action per role ("account type") or per
user; a user's own policy wins over their role's, which wins over the default.

This guards against mistakes by people who share a data file. The file's permissions remain the
security boundary: anyone who can write the file can edit it by hand.
"""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass
from typing import Any, Mapping

from .model import POLICIES, USERS

ROLES = ("admin", "supervisor", "agent")
ACTIONS = ("delete", "delete-all")
ACTION_LABELS = {"delete": "delete contacts", "delete-all": "delete all contacts"}
DEFAULT_ALLOWED: dict[str, frozenset[str]] = {
    "admin": frozenset(ACTIONS),
    "supervisor": frozenset(ACTIONS),
    "agent": frozenset({"delete"}),
}
UNKNOWN_USER_ROLE = "agent"


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


def role_of(data: Mapping[str, Any], login: str) -> str:
    for doc in data.get(USERS, {}).values():
        if doc.get("login") == login:
            return doc.get("role", UNKNOWN_USER_ROLE)
    return UNKNOWN_USER_ROLE


def policy_for(data: Mapping[str, Any], subject: str, action: str) -> bool | None:
    for doc in data.get(POLICIES, {}).values():
        if doc.get("subject") == subject and doc.get("action") == action:
            return bool(doc.get("allow"))
    return None


def decide(data: Mapping[str, Any], login: str, action: str) -> Decision:
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
    """``admin``/``supervisor``/``agent`` name a role; anything else names a user."""
    if text in ROLES:
        return f"role:{text}"
    if text.startswith(("role:", "user:")):
        return text
    return f"user:{text}"
