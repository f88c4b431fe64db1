"""The web app: JSON API (/api/…, /healthz), HTML pages (/, /decisions/…) and static files.

`create_app` only wires things; the lifespan opens one live `Engine` (index + embedding model,
~10 s), which reloads in the background when `imr ingest` swaps in a new snapshot. Without a
usable index the app still starts and answers 503 saying how to build one, so a fresh checkout
can run `imr serve` and see why search is unavailable. The reason, with the index's path, is
logged; clients are told only that no index was built (and how to build one), or that the index
cannot be used.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api import pages, routes
from api.errors import UNREADABLE_INDEX, register_error_handler
from api.middleware import (
    BodyLimitMiddleware,
    RateLimitMiddleware,
    SecurityHeadersMiddleware,
    TimeoutMiddleware,
    UnexpectedErrorMiddleware,
)
from index.errors import StoreError, StoreNotFoundError
from rag.config import Settings
from rag.engine import Engine
from rag.errors import RagError

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
NO_INDEX = (
    "no index has been built yet: run `imr ingest LETTERS...` with the server's index "
    "directory (IMR_INDEX_DIR), then restart the server"
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for `settings` (default: `Settings.from_env()`); nothing is loaded until startup."""
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="IMR decision search",
        summary="Search California workers' compensation Independent Medical Review decisions.",
        version=_version(),
        lifespan=_lifespan,
        # Swagger UI needs inline script and a CDN, which the CSP forbids; the schema is served.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = None
    app.state.index_error = f"the index at {settings.index_dir} is not loaded"
    app.state.index_public_error = UNREADABLE_INDEX
    register_error_handler(app)
    # add_middleware wraps what is already there: the last added runs first.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(TimeoutMiddleware, seconds=settings.request_timeout_s)
    app.add_middleware(RateLimitMiddleware, per_minute=settings.rate_limit_per_minute)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.include_router(routes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    # One torch thread per query: it scales across concurrent requests and does not stall
    # when other processes share the cores.
    engine = Engine.from_settings(settings, threads=1, live=True)
    try:
        view = await anyio.to_thread.run_sync(engine.view)
    except StoreNotFoundError as exc:
        app.state.index_error = str(exc)
        app.state.index_public_error = NO_INDEX
        log.warning("serving without an index: %s", exc)
    except (StoreError, RagError) as exc:  # damaged, or built otherwise: say so, keep serving
        app.state.index_error = str(exc)
        log.error("serving without an index: %s", exc)
    else:
        await anyio.to_thread.run_sync(engine.warm_up)
        app.state.engine = engine
        log.info("loaded %s (%d chunks)", settings.index_dir, len(view))
    try:
        yield
    finally:
        app.state.engine = None


def _version() -> str:
    try:
        return version("imr-search")
    except PackageNotFoundError:
        return "0.0.0"
