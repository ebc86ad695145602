"""Widgets of the contacts screen."""

from .contact_list import ContactList
from .editor import ContactEditor

__all__ = ["ContactEditor", "ContactList"]
