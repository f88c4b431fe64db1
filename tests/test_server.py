"""`imr serve` as a real process on loopback: slow and silent clients are cut, connections are
capped, forged X-Forwarded-For does not escape the rate limit, and the server does not name
itself.

Each test starts the CLI on port 0 and waits for the line that names its URL; the port is
listening from then on, so the first request waits in the backlog until the app is up. Clients
pace themselves (a header line every 0.25 s) because slowness is what is under test; every wait
on the server is on an event (a line, a response, a closed socket) with a deadline, and the
server is killed in `finally`.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .conftest import REPO
from .processes import Lines

DEADLINE_S = 60.0
HEADER_TIMEOUT_S = 1.0


@contextmanager
def _server(index_dir: Path, **env: str) -> Iterator[tuple[str, int]]:
    """`imr serve --port 0` over `index_dir` with IMR_* `env`; yields (host, port) once bound."""
    environ = {
        **os.environ,
        "IMR_INDEX_DIR": str(index_dir),
        "IMR_MODEL_NAME": "hashing",
        "IMR_HOST": "127.0.0.1",
        "IMR_PORT": "0",
        **{f"IMR_{name.upper()}": value for name, value in env.items()},
    }
    with subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve"],
        cwd=REPO, env=environ, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) as server:  # fmt: skip
        try:
            line = Lines(server.stdout).containing("serving on http://127.0.0.1:", DEADLINE_S)
            port = int(line.strip().rstrip("/").rsplit(":", 1)[1])
            assert _get("127.0.0.1", port, "/healthz").status == 200  # the app is up
            yield "127.0.0.1", port
        finally:
            server.kill()
            server.wait(timeout=DEADLINE_S)


def _get(
    host: str, port: int, path: str, method: str = "GET", headers: dict | None = None
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(host, port, timeout=DEADLINE_S)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def _closed_within(sock: socket.socket, seconds: float) -> bytes:
    """What the server sends before it closes `sock`; AssertionError if it is open after
    `seconds`."""
    sock.settimeout(seconds)
    received = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            break
        except ConnectionError:
            return received
        if not chunk:
            return received
        received += chunk
    raise AssertionError(f"the connection is still open after {seconds} s")


def _one_response(sock: socket.socket) -> bytes:
    """One whole HTTP response from `sock` (its head, then Content-Length bytes of body): a
    single recv may return the head alone, leaving the body to be read as the next reply."""
    sock.settimeout(DEADLINE_S)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(4096)
        assert chunk, f"closed before the response head ended: {received!r}"
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = sock.recv(4096)
        assert chunk, "closed before the response body ended"
        body += chunk
    return head + b"\r\n\r\n" + body


def test_a_silent_connection_is_answered_408_and_closed(hashing_index: Path) -> None:
    with _server(hashing_index, header_timeout_s=str(HEADER_TIMEOUT_S)) as (host, port):
        started = time.monotonic()
        with socket.create_connection((host, port), timeout=DEADLINE_S) as silent:
            said = _closed_within(silent, 10 * HEADER_TIMEOUT_S)
        assert said.startswith(b"HTTP/1.1 408 Request Timeout")
        assert HEADER_TIMEOUT_S * 0.9 <= time.monotonic() - started < 10 * HEADER_TIMEOUT_S
        assert _get(host, port, "/healthz").status == 200


def test_headers_sent_a_line_at_a_time_do_not_keep_a_connection_open(
    hashing_index: Path,
) -> None:
    with _server(hashing_index, header_timeout_s=str(HEADER_TIMEOUT_S)) as (host, port):
        with socket.create_connection((host, port), timeout=DEADLINE_S) as slow:
            slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            started, lines = time.monotonic(), 0
            try:
                for lines in range(1, 41):  # 10 s of lines at most; the deadline is 1 s
                    slow.sendall(f"X-Line-{lines}: trickle\r\n".encode())
                    time.sleep(0.25)  # the client's pace: the slowness under test
            except OSError:
                pass  # cut while sending
            said = _closed_within(slow, 10 * HEADER_TIMEOUT_S)
        assert lines < 40 and time.monotonic() - started < 10 * HEADER_TIMEOUT_S
        assert said == b"" or said.startswith(b"HTTP/1.1 408")
        # A kept-alive connection gets the same deadline for its next request.
        with socket.create_connection((host, port), timeout=DEADLINE_S) as kept:
            kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _one_response(kept).startswith(b"HTTP/1.1 200")
            kept.sendall(b"GET /healthz HTTP/1.1\r\n")  # and never finishes the head
            assert _closed_within(kept, 10 * HEADER_TIMEOUT_S).startswith(b"HTTP/1.1 408")


def test_connections_over_the_cap_are_refused_at_once_and_service_resumes(
    hashing_index: Path,
) -> None:
    env = {"header_timeout_s": str(HEADER_TIMEOUT_S), "max_connections": "4"}
    with _server(hashing_index, **env) as (host, port):
        held = [socket.create_connection((host, port), timeout=DEADLINE_S) for _ in range(4)]
        try:
            with socket.create_connection((host, port), timeout=DEADLINE_S) as extra:
                said = _closed_within(extra, HEADER_TIMEOUT_S / 2)  # well before any deadline
            assert said.startswith(b"HTTP/1.1 503 Service Unavailable")
            for sock in held:  # the deadline frees the slots the silent ones held
                _closed_within(sock, 10 * HEADER_TIMEOUT_S)
        finally:
            for sock in held:
                sock.close()
        assert _get(host, port, "/healthz").status == 200


def test_forged_forwarded_for_does_not_escape_the_rate_limit(hashing_index: Path) -> None:
    with _server(hashing_index, rate_limit_per_minute="5") as (host, port):
        statuses = [
            _get(
                host, port, "/api/search?q=norco", headers={"X-Forwarded-For": f"10.9.0.{n}"}
            ).status
            for n in range(10)
        ]
    assert statuses == [200] * 5 + [429] * 5


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(hashing_index: Path) -> None:
    env = {"rate_limit_per_minute": "5", "trusted_proxies": "127.0.0.1"}
    with _server(hashing_index, **env) as (host, port):
        forwarded = [
            _get(
                host, port, "/api/search?q=norco", headers={"X-Forwarded-For": f"10.9.0.{n}"}
            ).status
            for n in range(10)
        ]
        one_client = [
            _get(host, port, "/api/search?q=norco", headers={"X-Forwarded-For": "10.9.1.1"}).status
            for n in range(6)
        ]
    assert forwarded == [200] * 10  # each a different client, as the proxy says
    assert one_client == [200] * 5 + [429]


def test_the_server_does_not_name_itself_and_pages_answer_head(hashing_index: Path) -> None:
    with _server(hashing_index) as (host, port):
        health = _get(host, port, "/healthz")
        head = _get(host, port, "/", method="HEAD")
    assert "server" not in {name.lower() for name in health.headers}
    assert head.status == 200 and head.headers["cache-control"] == "no-store"


def test_each_connection_sends_without_waiting_to_fill_a_segment() -> None:
    """The socket `serve` binds is made by uvicorn with proto 0, on which asyncio does not set
    TCP_NODELAY: every request after the first on a keep-alive connection then waited about
    40 ms for the client's delayed ACK. The guarded protocol sets it on each connection."""
    import asyncio

    import uvicorn
    from uvicorn.server import ServerState

    from api.server import GuardedH11Protocol

    async def app(scope, receive, send) -> None:  # the smallest ASGI app
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def accepted_no_delay() -> int:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off")
        config.http = GuardedH11Protocol.configured(HEADER_TIMEOUT_S, 10)
        config.load()
        state, made = ServerState(), asyncio.Event()
        protocols: list = []

        def protocol():
            protocols.append(config.http_protocol_class(config, state, {}))
            made.set()
            return protocols[-1]

        listening = config.bind_socket()  # as `serve` binds it (proto 0 where socket is plain)
        server = await asyncio.get_running_loop().create_server(protocol, sock=listening)
        try:
            _, writer = await asyncio.open_connection(*listening.getsockname()[:2])
            try:
                await asyncio.wait_for(made.wait(), DEADLINE_S)
                served = protocols[0].transport
                return served.get_extra_info("socket").getsockopt(
                    socket.IPPROTO_TCP, socket.TCP_NODELAY
                )
            finally:
                writer.close()
                await writer.wait_closed()
                for made_one in protocols:
                    made_one.transport.close()
        finally:
            server.close()
            await server.wait_closed()

    assert asyncio.run(accepted_no_delay()) != 0
