"""`imr serve`: the app under uvicorn, with the limits a server reachable by strangers needs.

uvicorn 0.54 gives most of them as settings: idle keep-alive connections are cut
(`timeout_keep_alive`), request headers are capped in size (`h11_max_incomplete_event_size`),
requests past a concurrency limit get 503 (`limit_concurrency`), forwarding headers are believed
only from listed proxies (`proxy_headers`, `forwarded_allow_ips`; uvicorn trusts 127.0.0.1 by
default, which let any local client pick its rate-limit bucket), and `server: uvicorn` can be left
out. What it lacks is a deadline for a request's headers: a client that connects and says nothing,
or sends a header line every few seconds, holds its connection and a file descriptor for good, and
`limit_concurrency` never sees it, since it counts only when a request arrives. A few thousand
such connections exhaust the process's file limit. `GuardedH11Protocol` adds the two missing
pieces: a deadline from connecting (or from the last response) to a complete request head, and a
cap on open connections that answers the one over it 503 and closes it at once.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

from rag.config import Settings

log = logging.getLogger(__name__)

KEEP_ALIVE_S = 5  # an idle connection after a response
MAX_HEADER_BYTES = 16 * 1024  # the request line and headers together
_TIMED_OUT = b"HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"
_FULL = b"HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers and a connection cap.

    The deadline starts when the connection opens and again when a response ends; it stops when
    h11 has a complete request head (uvicorn then starts a new request cycle), and when it
    passes first the client gets 408 and the connection is closed. Bytes that trickle in do not
    extend it. A request being served is never cut by it: the app's own timeout covers that.
    """

    header_timeout_s: float = 10.0
    max_connections: int = 200
    _deadline: asyncio.TimerHandle | None = None
    _waiting_after: object = None  # the request cycle current when the deadline started
    _refusals = {"count": 0, "logged_at": -60.0}  # per process: a flood logs once a minute

    @classmethod
    def configured(cls, header_timeout_s: float, max_connections: int) -> type[H11Protocol]:
        """This protocol with its two limits set (uvicorn creates one instance per connection)."""
        limits = {"header_timeout_s": header_timeout_s, "max_connections": max_connections}
        return type(cls.__name__, (cls,), limits)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[arg-type]
        no_delay(transport)
        if len(self.connections) > self.max_connections:
            self._note_refusal()
            self.transport.write(_FULL)
            self.transport.close()
            return
        self._start_deadline()

    def _note_refusal(self) -> None:
        refusals = self._refusals
        refusals["count"] += 1
        if time.monotonic() - refusals["logged_at"] >= 60:
            log.warning(
                "refused %d connection(s) since the last report: %d are open (IMR_MAX_CONNECTIONS)",
                refusals["count"],
                self.max_connections,
            )
            refusals.update(count=0, logged_at=time.monotonic())

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._deadline is not None and self.cycle is not self._waiting_after:
            self._stop_deadline()  # a whole request head arrived: a new cycle has started

    def on_response_complete(self) -> None:
        finished = self.cycle
        super().on_response_complete()
        if not self.transport.is_closing() and self.cycle is finished:
            self._start_deadline()  # now waiting for the next request on this connection

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_deadline()
        super().connection_lost(exc)

    def _start_deadline(self) -> None:
        self._stop_deadline()
        self._waiting_after = self.cycle
        self._deadline = self.loop.call_later(self.header_timeout_s, self._deadline_passed)

    def _stop_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _deadline_passed(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.write(_TIMED_OUT)
            self.transport.close()


def no_delay(transport: asyncio.BaseTransport) -> None:
    """Sends what the server writes at once (TCP_NODELAY). asyncio sets it only on sockets made
    with proto IPPROTO_TCP, and the socket `serve` binds (uvicorn's `bind_socket`) is made with
    proto 0: without it every request after the first on a keep-alive connection waited for
    the client's delayed ACK, about 40 ms (`GET /healthz` 44 ms instead of 2)."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def serve(app: FastAPI, settings: Settings, ready: Callable[[str], None] | None = None) -> None:
    """Serve `app` on settings.host:port until interrupted; `ready(url)` once the port is bound
    and listening (port 0 picks a free one: the URL names it)."""
    trusted = [a.strip() for a in settings.trusted_proxies.split(",") if a.strip()]
    # The access log and the routes' own lines record every ?q=: they follow log_queries (off
    # by default). Both log at INFO, which the default levels would drop.
    if settings.log_queries:
        logging.getLogger("api").setLevel(logging.INFO)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http=GuardedH11Protocol.configured(settings.header_timeout_s, settings.max_connections),
        log_level="info" if settings.log_queries else "warning",
        access_log=settings.log_queries,
        timeout_keep_alive=KEEP_ALIVE_S,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        limit_concurrency=settings.max_connections,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted,
        server_header=False,
    )
    sock = config.bind_socket()
    sock.listen(2048)  # connections made from here on wait in the backlog until startup ends
    host, port = sock.getsockname()[:2]
    if ready:
        ready(f"http://{f'[{host}]' if ':' in host else host}:{port}/")
    uvicorn.Server(config).run(sockets=[sock])
