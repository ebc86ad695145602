"""What the server and its routes share: the configuration, the store each request acts
through (one per token maker, all on one worker thread), and the keys they are kept under.

Kept apart from api.server so that the routes and webhooks import it, and the server imports
them, without an import circle.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

from aiohttp import web

from store import Store
from store.access.api_tokens import ApiToken
from store.access.permissions import current_login

from .ratelimit import RateLimiter

log = logging.getLogger("contacts.api")
T = TypeVar("T")

DEFAULT_MAX_BODY = 64 * 1024  # a contact or an SMS is a few hundred bytes
DEFAULT_RATE = 20.0  # requests per second per token, after a burst
DEFAULT_BURST = 40
WEBHOOK_PREFIX = "/webhooks/"


@dataclass(frozen=True)
class ApiConfig:
    db_path: Path
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str | None = None  # the base URL clients (Twilio) use, when behind a proxy
    max_body: int = DEFAULT_MAX_BODY
    rate: float = DEFAULT_RATE
    burst: int = DEFAULT_BURST


class StorePool:
    """One Store per acting user on the data file; every call runs on the one worker thread."""

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self.server_user = current_login()
        self._stores: dict[str, Store] = {}
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="contacts-api-store")

    def store_for(self, login: str) -> Store:
        """(Worker thread only.) The store acting as ``login``, caught up with the file."""
        store = self._stores.get(login)
        if store is None:
            store = self._stores[login] = Store.open(self.db_path, user=login)
        else:
            store.refresh()
        return store

    @property
    def home(self) -> Store:
        """(Worker thread only.) The store of the user running the server (webhooks act as them)."""
        return self.store_for(self.server_user)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    def close(self) -> None:
        self._executor.shutdown(wait=True)


POOL = web.AppKey("pool", StorePool)
CONFIG = web.AppKey("config", ApiConfig)
LIMITER = web.AppKey("limiter", RateLimiter)
TOKEN = web.RequestKey("api_token", ApiToken)  # the ApiToken of an authenticated request


def acting_store(request: web.Request) -> Store:
    """(Worker thread only.) The store acting as the request's token maker."""
    token: ApiToken = request[TOKEN]
    return request.app[POOL].store_for(token.created_by)
