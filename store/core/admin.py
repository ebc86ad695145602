"""The Store's settings, users and permissions: reading them, deciding an action, and the
admin-only changes (roles, policies) and the settings change (default region)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.access import permissions
from store.core.state import StoreState
from store.errors import PermissionDenied
from store.model import POLICIES, SETTINGS, USERS
from store.rules.validation import clean_region

if TYPE_CHECKING:
    from store.core.transaction import Transaction


class AdminPart(StoreState):
    @property
    def default_region(self) -> str:
        return self._data[SETTINGS].get("1", {}).get("default_region", "US")

    def setting(self, name: str, default: Any = None) -> Any:
        """A value of the file's settings record (read it; change it only through the store)."""
        return self._data[SETTINGS].get("1", {}).get(name, default)

    @property
    def role(self) -> str:
        return permissions.role_of(self._data, self.user)

    def can(self, action: str, login: str | None = None) -> permissions.Decision:
        """May this store's user (or ``login``) do ``action``, as the loaded data stands?"""
        return permissions.decide(self._data, login or self.user, action)

    def users(self) -> list[dict[str, str]]:
        return sorted((dict(doc) for doc in self._data[USERS].values()), key=lambda d: d["login"])

    def policies(self) -> list[dict[str, Any]]:
        return sorted((dict(doc) for doc in self._data[POLICIES].values()), key=lambda d: (d["subject"], d["action"]))

    def rules(self) -> list[permissions.Rule]:
        """The rules in force: every role's (set or default) for every action, then per-user ones."""
        return permissions.rules_in_force(self._data)

    def set_default_region(self, region: str) -> str:
        with self.transaction() as tx:
            self._require_in(tx, "settings")
            region = clean_region(region)
            settings = dict(tx.table(SETTINGS).get("1", {}), default_region=region)
            tx.put(SETTINGS, 1, settings)
        return region

    def _require_in(self, tx: Transaction, action: str) -> None:
        # Decided inside the lock, on data just caught up with the file: a policy another process
        # wrote since we loaded counts, both ways (a stale check could also refuse wrongly).
        decision = permissions.decide(tx.data, self.user, action)
        if not decision.allowed:
            raise PermissionDenied(decision.reason)

    def _require_admin(self, tx: Transaction) -> None:
        if permissions.role_of(tx.data, self.user) != "admin":
            raise PermissionDenied(f"Only an admin can change roles and policies ({self.user} is not one)")

    def set_role(self, login: str, role: str) -> None:
        login = permissions.clean_login(login)
        role = permissions.clean_role(role)
        with self.transaction() as tx:
            self._require_admin(tx)
            users = tx.table(USERS)
            found = next((uid for uid, doc in users.items() if doc.get("login") == login), None)
            admins = [doc["login"] for doc in users.values() if doc.get("role") == "admin"]
            if role != "admin" and admins == [login]:
                raise PermissionDenied(f"{login} is the only admin; make someone else admin first")
            uid = int(found) if found is not None else tx.new_id(USERS)
            tx.put(USERS, uid, {"login": login, "role": role})

    def set_policy(self, subject: str, action: str, allow: bool) -> str:
        """Allow or deny ``action`` for a role (admin/supervisor/agent) or a user. Admin only."""
        action = permissions.clean_action(action)
        subject = permissions.parse_subject(subject)
        with self.transaction() as tx:
            self._require_admin(tx)
            policies = tx.table(POLICIES)
            found = next(
                (pid for pid, doc in policies.items() if doc["subject"] == subject and doc["action"] == action),
                None,
            )
            pid = int(found) if found is not None else tx.new_id(POLICIES)
            tx.put(POLICIES, pid, {"subject": subject, "action": action, "allow": bool(allow)})
        return subject
