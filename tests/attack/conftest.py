"""The attack tests reuse the end-to-end fixtures (a real terminal, the installed command)."""

from tests.e2e.conftest import Cli, cli, contacts_command, db, start_app, terminal  # noqa: F401
from tests.api.conftest import served  # noqa: F401,E402
