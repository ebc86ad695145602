"""contacts serve: the app in a web browser, through textual-serve (for demos on small servers)."""

from __future__ import annotations

import argparse
import shlex
import sys

from store import Store

EPILOG = """\
examples:
  contacts serve                         serve the default data file on http://127.0.0.1:8000
  contacts serve --demo --port 8080      every browser tab gets its own fresh demo data
  contacts --db team.json serve --host 0.0.0.0   reachable from other machines: mind who can reach it

It binds to 127.0.0.1 unless told otherwise. Anyone who can open the page can use the app with your
permissions on the data file; put it behind SSH port forwarding rather than on a public address.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="serve the app in a web browser", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    # Its own destination: the top-level --demo (open the app on demo data) must not see this one.
    serve.add_argument(
        "--demo", dest="serve_demo", action="store_true", help="serve demo data instead of your data file"
    )
    serve.set_defaults(handler=cmd_serve, needs_store=False)


def app_command(store: Store | None, demo: bool) -> str:
    """The shell command textual-serve runs for each browser session."""
    base = [sys.executable, "-m", "tui"]
    args = ["--demo"] if demo else ["--db", str(store.path)] if store else []
    return shlex.join(base + args)


def cmd_serve(_store: None, args: argparse.Namespace) -> int:
    from textual_serve.server import Server

    from ..cli import open_store

    # Open the data file here once, so a corrupt or locked file is reported now, not in the browser.
    command = app_command(None if args.serve_demo else open_store(args), args.serve_demo)
    print(f"Serving sms-contacts on http://{args.host}:{args.port} (ctrl+c to stop)", file=sys.stderr)
    Server(command, host=args.host, port=args.port, title="sms-contacts").serve()
    return 0
