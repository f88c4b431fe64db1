"""Pure-ASGI middleware: security headers, unexpected errors (500), per-client rate limit (429),
request body limit (413), in that order from the outside in. Every response but the static
files carries `Cache-Control: no-store`: pages and API answers hold medical details, which no
browser or proxy cache should keep.

Pure ASGI rather than `BaseHTTPMiddleware`, so a body is counted as it streams in (a missing or
false Content-Length cannot slip past the limit) and responses pass through unbuffered.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable

import anyio
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response, handle_exception

# No inline script or style anywhere, so 'self' is all the pages need.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CACHEABLE = "/static/"  # the stylesheet and icon: no letter text
RATE_LIMIT_EXEMPT = ("/healthz", "/static/")  # probes and the stylesheet do not spend tokens
MAX_TRACKED_CLIENTS = 10_000


class SecurityHeadersMiddleware:
    """Adds SECURITY_HEADERS to every HTTP response, error pages and rejections included, and
    `Cache-Control: no-store` to all but static files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if not scope["path"].startswith(CACHEABLE):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _TrackedSend:
    """`send`, remembering whether the response has started (after that, no other answer)."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        self.started = self.started or message["type"] == "http.response.start"
        await self.send(message)


class UnexpectedErrorMiddleware:
    """Answers an exception nothing else handled with `handle_exception`'s 500, which logs it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracked = _TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if tracked.started:
                raise  # too late to answer: the server logs it and drops the connection
            response = handle_exception(Request(scope), exc)
            await response(scope, receive, send)


class TimeoutMiddleware:
    """Answers 503 when a request runs past `seconds`.

    A route's worker thread cannot be stopped, so the request runs on in a task of its own and
    whatever it sends after the 503 is dropped. Cancelling the request instead would wait for
    the thread, then cut its response after the status line: a 200 with an empty body.
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.seconds <= 0:
            await self.app(scope, receive, send)
            return
        tracked = _TrackedSend(send)
        timed_out = False
        done = anyio.Event()
        error: Exception | None = None

        async def send_in_time(message: Message) -> None:
            if not timed_out:
                await tracked(message)

        async def run() -> None:
            nonlocal error
            try:
                await self.app(scope, receive, send_in_time)
            except Exception as exc:  # raised below, not wrapped in the task group's group
                error = exc
            finally:
                done.set()

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(run)
            with anyio.move_on_after(self.seconds):
                await done.wait()
            if not done.is_set():
                if not tracked.started:
                    timed_out = True
                    message = (
                        f"the request took longer than {self.seconds:g} s; try a narrower query"
                    )
                    await _reject(scope, receive, send, 503, message)
                tasks.cancel_scope.cancel()  # the request stops at its next await
        if error is not None:
            raise error


class BodyLimitMiddleware:
    """Refuses a request body over `max_bytes` with 413, by Content-Length or as it streams."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and not declared.isdigit():
            await _reject(scope, receive, send, 400, "content-length header is not a number")
            return
        if declared is not None and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        # Bodies are small (16 KiB by default), so read the whole one now and replay it.
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: wait for the client to disconnect
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"request body is larger than {self.max_bytes} bytes"
        await _reject(scope, receive, send, 413, message, parameter="body")


class RateLimitMiddleware:
    """A token bucket per client address: `per_minute` requests, refilled continuously.

    A client may burst up to `per_minute` requests, then gets one more every 60/per_minute
    seconds; beyond that it gets 429 with Retry-After. `per_minute <= 0` turns the limit off.
    Buckets live in memory, per process, keyed by the client address uvicorn gives: the peer's,
    or behind a proxy listed in IMR_TRUSTED_PROXIES the one it forwards (api/server.py).

    The table is bounded and kept in order of last use, so each request costs O(1): buckets
    idle long enough to have refilled are dropped from the old end (a full bucket is the same
    as none), and past `max_clients` the least recently used goes even if not yet full.
    """

    def __init__(
        self,
        app: ASGIApp,
        per_minute: int,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_TRACKED_CLIENTS,
    ) -> None:
        self.app = app
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self.clock = clock
        self.max_clients = max_clients
        # client -> (tokens, last update), least recently updated first
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.rate <= 0 or scope["path"].startswith(RATE_LIMIT_EXEMPT):
            await self.app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "unknown"
        wait = self.take(client)
        if wait > 0:
            message = f"rate limit of {int(self.capacity)} requests per minute exceeded"
            headers = {"Retry-After": str(math.ceil(wait))}
            await _reject(scope, receive, send, 429, message, headers=headers)
            return
        await self.app(scope, receive, send)

    def take(self, client: str) -> float:
        """Spend one token of `client`'s bucket: 0 when allowed, else seconds until one refills."""
        now = self.clock()
        self._forget_full(now)
        tokens, last = self.buckets.pop(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
        self.buckets[client] = (tokens - 1 if tokens >= 1 else tokens, now)  # now the newest
        while len(self.buckets) > self.max_clients:
            self.buckets.popitem(last=False)
        return wait

    def _forget_full(self, now: float) -> None:
        """Drop the buckets, oldest first, that have refilled since their last use."""
        full_after = self.capacity / self.rate
        while self.buckets:
            oldest = next(iter(self.buckets.values()))
            if now - oldest[1] < full_after:
                return
            self.buckets.popitem(last=False)


async def _reject(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    message: str,
    parameter: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    response = error_response(Request(scope), status, message, parameter, headers)
    await response(scope, receive, send)
