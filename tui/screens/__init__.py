"""The app's screens and dialogs."""

from .actions_menu import ActionsMenu, MenuItem
from .confirm_dialog import ConfirmDialog
from .conflict_dialog import ConflictDialog, ContactDeletedDialog
from .contacts_screen import ContactsScreen
from .help_screen import HelpScreen
from .import_screen import ImportScreen
from .lists_screen import ListsScreen
from .reply_screen import ReplyScreen
from .settings_screen import SettingsScreen
from .unsaved_dialog import UnsavedChangesDialog

__all__ = [
    "ActionsMenu",
    "ConfirmDialog",
    "ConflictDialog",
    "ContactDeletedDialog",
    "ContactsScreen",
    "HelpScreen",
    "ImportScreen",
    "ListsScreen",
    "MenuItem",
    "ReplyScreen",
    "SettingsScreen",
    "UnsavedChangesDialog",
]
