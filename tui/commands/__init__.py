"""Subcommands of ``contacts``, one module per group, each with ``register(subparsers)``."""

from . import contact_commands, list_commands

COMMAND_MODULES = [contact_commands, list_commands]
