"""contacts serve: the app in a web browser, through textual-serve (for demos on small servers).

On a shared server every local user can open a port on 127.0.0.1, and whoever reaches the page
acts with the rights of the user who started the server. So, unless ``--demo``, every address
lives under a random secret (``secrets.token_urlsafe``): the page is at
``http://HOST:PORT/SECRET/``, and the page's own addresses (the websocket that drives the app,
its scripts, downloads) are built under the same prefix, so the browser carries it everywhere.
Any request without it gets 403. The URL is printed once, on the starting user's stdout; it is
never logged (no access log) or written to a file.

textual-serve's ``Server`` builds its aiohttp application in a private method with fixed routes
and offers no hook for a middleware or a route prefix; its request handlers are public. So this
module builds the (small) aiohttp application itself around those public handlers.
"""

from __future__ import annotations

import argparse
import hmac
import secrets
import shlex
import sys
from typing import Any, Awaitable, Callable

from store import Store
from store.rules.text import printable

from .common import UsageError, open_store

EPILOG = """\
examples:
  contacts serve                         serve the default data file on 127.0.0.1, port 8000
  contacts serve --demo --port 8080      every browser tab gets its own fresh demo data
  contacts --db team.json serve --host 0.0.0.0   reachable from other machines: mind who can reach it

It prints the address to open, which holds a random secret made at each start: only that address
opens the app; anything else gets "403 Forbidden". Whoever has the address can use the app with
your permissions on the data file, so keep it to yourself. It binds to 127.0.0.1 unless told
otherwise; the page is plain HTTP, so from another machine use SSH port forwarding
(ssh -L 8000:127.0.0.1:8000 server) rather than a public address. With --demo there is no secret:
the data is made up and thrown away.
"""

Handler = Callable[[Any], Awaitable[Any]]


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="serve the app in a web browser", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    # Its own destination: the top-level --demo (open the app on demo data) must not see this one.
    serve.add_argument(
        "--demo", dest="serve_demo", action="store_true", help="serve demo data (no secret in the address)"
    )
    serve.set_defaults(handler=cmd_serve, needs_store=False)


def app_command(store: Store | None, demo: bool) -> str:
    """The shell command textual-serve runs for each browser session."""
    base = [sys.executable, "-m", "tui"]
    args = ["--demo"] if demo else ["--db", str(store.real_path)] if store else []  # resolved once, at start
    return shlex.join(base + args)


def require_secret(secret: str) -> Any:
    """aiohttp middleware: a request whose path does not start with /SECRET/ gets 403."""
    from aiohttp import web

    expected = f"/{secret}/".encode()

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.raw_path.split("?", 1)[0].encode("utf-8", "surrogateescape")
        if hmac.compare_digest(path, expected[:-1]):  # the address without its last slash
            raise web.HTTPFound(expected.decode())
        prefix = path[: len(expected)]
        if not hmac.compare_digest(prefix, expected):  # constant time: the secret can't be guessed bit by bit
            raise web.HTTPForbidden(text="403 Forbidden: open the address contacts serve printed.\n")
        return await handler(request)

    return middleware


def web_application(server: Any, secret: str | None) -> Any:
    """textual-serve's routes, under /SECRET/ and behind ``require_secret`` (none for the demo)."""
    import aiohttp_jinja2
    import jinja2
    from aiohttp import web

    app = web.Application(middlewares=[require_secret(secret)] if secret else [])
    aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(server.templates_path))
    prefix = f"/{secret}" if secret else ""
    app.add_routes(
        [
            web.get(f"{prefix}/", server.handle_index, name="index"),
            web.get(f"{prefix}/ws", server.handle_websocket, name="websocket"),
            web.get(f"{prefix}/download/{{key}}", server.handle_download, name="download"),
            web.static(f"{prefix}/static", server.statics_path, name="static"),
        ]
    )
    return app


def cmd_serve(_store: None, args: argparse.Namespace) -> int:
    from aiohttp import web
    from textual_serve.server import Server

    if not 0 <= args.port <= 65535:
        raise UsageError(f"serve: --port must be from 0 to 65535 (0 picks a free port), not {args.port}")
    # Open the data file here once, so a corrupt or locked file is reported now, not in the browser.
    command = app_command(None if args.serve_demo else open_store(args), args.serve_demo)
    secret = None if args.serve_demo else secrets.token_urlsafe(32)
    server = Server(command, host=args.host, port=args.port, title="sms-contacts")
    url = f"{server.public_url}/{secret}/" if secret else f"{server.public_url}/"

    def listening(_aiohttp_line: str) -> None:  # run_app calls it once the port is open
        print(printable(f"Serving sms-contacts on {url} (ctrl+c to stop)"), flush=True)
        if secret:
            print("Only that address opens the app, with your permissions: keep it to yourself.", file=sys.stderr)

    # No access log: it would write the secret (in every request's path) wherever stderr goes.
    try:
        web.run_app(web_application(server, secret), host=args.host, port=args.port, access_log=None, print=listening)
    except OSError as exc:  # the port is taken, the address is not this machine's, the name is unknown
        where = printable(f"{args.host}:{args.port}")
        print(f"contacts serve: cannot listen on {where}: {printable(exc.strerror or str(exc))}", file=sys.stderr)
        return 1
    return 0
