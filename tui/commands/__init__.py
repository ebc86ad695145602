"""Subcommands of ``contacts``, one module per group, each with ``register(subparsers)``."""

from . import (
    admin_commands,
    api_commands,
    consent_commands,
    contact_commands,
    csv_commands,
    import_log_commands,
    keyword_commands,
    list_commands,
    optout_commands,
    serve_command,
)

COMMAND_MODULES = [
    contact_commands, list_commands, csv_commands, optout_commands, import_log_commands, consent_commands,
    keyword_commands, admin_commands, serve_command, api_commands,
]
