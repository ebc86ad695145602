"""The aiohttp application: configuration, the store each request acts through, middlewares.

Why aiohttp: it is already installed (textual-serve, behind ``contacts serve``, is built on it), it
is asyncio-native, and it has what an API needs without more dependencies: a body size limit
(``client_max_size``), middlewares, and a test-free way to run in a thread.

Each request acts as the user who made its token: ``StorePool`` keeps one Store per such user
(usually the one admin), opened on first use. Store work runs on one worker thread, one piece at
a time, so the event loop never waits on a file and the stores are never used by two threads
at once. Before reading, a store catches up with the file when another process changed it (a
stat), so the API sees what the app and the command line saved.
"""

from __future__ import annotations

import asyncio
import math
import threading
from dataclasses import dataclass
from typing import Awaitable, Callable

from aiohttp import web

from store import Store, StoreError
from store.access.api_tokens import verify_token

from . import routes, webhooks
from .context import CONFIG, LIMITER, POOL, TOKEN, WEBHOOK_PREFIX, ApiConfig, StorePool, log
from .errors import ApiError, error_response, from_store_error
from .ratelimit import RateLimiter


@web.middleware
async def errors_as_json(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    """Every failure becomes a JSON error; an unexpected one is logged here, never sent."""
    try:
        return await handler(request)
    except ApiError as exc:
        headers = {"Retry-After": str(exc.extra.pop("retry_after"))} if "retry_after" in exc.extra else None
        return error_response(exc, headers)
    except StoreError as exc:
        return error_response(from_store_error(exc))
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        message = {413: f"The body is larger than {request.app[CONFIG].max_body:,} bytes"}.get(exc.status, exc.reason)
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        return error_response(ApiError(exc.status, message), headers)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("contacts api: unexpected error on %s %s", request.method, request.path)
        return error_response(ApiError(500, "Internal error; the server's log has the details"))


@web.middleware
async def bearer_token(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    """Every request but a webhook's needs a live token; each token has its own rate limit."""
    if request.path.startswith(WEBHOOK_PREFIX):
        return await handler(request)  # webhooks are checked by their signature instead
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        raise ApiError(401, "Send a token: Authorization: Bearer TOKEN (contacts api-token create NAME makes one)", "Authorization")
    pool = request.app[POOL]
    token = await pool.run(lambda: verify_token(pool.home, presented.strip()))
    if token is None:
        raise ApiError(401, "Unknown or revoked token", "Authorization")
    wait = request.app[LIMITER].take(token.id)
    if wait:
        retry = max(1, math.ceil(wait)) if wait != math.inf else 3600
        raise ApiError(429, f"Rate limit of token {token.name!r} reached; try again in {retry} s", retry_after=retry)
    request[TOKEN] = token
    return await handler(request)


def build_app(config: ApiConfig) -> web.Application:
    app = web.Application(middlewares=[errors_as_json, bearer_token], client_max_size=config.max_body)
    pool = StorePool(config.db_path)
    app[POOL] = pool
    app[CONFIG] = config
    app[LIMITER] = RateLimiter(config.rate, config.burst)
    app.add_routes(routes.ROUTES)
    app.add_routes(webhooks.ROUTES)

    async def close_pool(_app: web.Application) -> None:
        pool.close()

    app.on_cleanup.append(close_pool)
    return app


def check_can_start(config: ApiConfig) -> None:
    """Open the data file once now, so a missing, corrupt or unreadable file is said at the start."""
    Store.open(config.db_path)


@dataclass
class RunningServer:
    url: str
    stop: Callable[[], None]


def start_in_thread(config: ApiConfig) -> RunningServer:
    """Serve ``config`` on a thread of its own (tests, benchmarks); port 0 picks a free port."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(build_app(config), access_log=None)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, config.host, config.port)
    loop.run_until_complete(site.start())
    host, port = runner.addresses[0][:2]
    thread = threading.Thread(target=loop.run_forever, name="contacts-api", daemon=True)
    thread.start()

    def stop() -> None:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()

    return RunningServer(f"http://{host}:{port}", stop)
