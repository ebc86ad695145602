"""The app's screens and dialogs.

Each is imported when first used (``from tui.screens import ImportScreen`` works as usual): the
app starts with the contacts screen alone, and the import screen and its file readers, the lists
and the settings are loaded when first opened (about 40 ms less at start-up).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_MODULES = {
    "ActionsMenu": "actions_menu",
    "MenuItem": "actions_menu",
    "ConfirmDialog": "confirm_dialog",
    "ConflictDialog": "conflict_dialog",
    "ContactDeletedDialog": "conflict_dialog",
    "ContactsScreen": "contacts_screen",
    "HelpScreen": "help_screen",
    "ImportScreen": "import_screen",
    "ListsScreen": "lists_screen",
    "ReplyScreen": "reply_screen",
    "SettingsScreen": "settings_screen",
    "UnsavedChangesDialog": "unsaved_dialog",
}

__all__ = list(_MODULES)


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
