"""`imr serve` as a user runs it: a child process on a free port of a loopback address, bounded
by timeouts and killed with its group afterwards. The hashing index keeps start-up to seconds."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .processes import (
    IMR,
    Lines,
    free_port,
    get,
    refuses_connections,
    started,
    stop_gracefully,
    wait_until_serving,
)

HASHING = {"IMR_MODEL_NAME": "hashing"}


@contextmanager
def _serve(
    index: Path, *args: str, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen, Lines]]:
    command = [*IMR, "serve", "--index", str(index), *args]
    with started(
        command, env={**HASHING, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as child:
        yield child, Lines(child.stdout)


@pytest.mark.parametrize(
    ("how", "host", "elsewhere"),
    [("default", "127.0.0.1", "127.0.0.2"), ("flags", "127.0.0.2", "127.0.0.1"),
     ("environment", "127.0.0.3", "127.0.0.1")],
)  # fmt: skip
def test_serve_binds_the_address_and_port_asked_and_127_0_0_1_by_default(
    hashing_index: Path, how: str, host: str, elsewhere: str
) -> None:
    port = free_port(host)
    args, env = {
        "default": (["--port", str(port)], {}),
        "flags": (["--host", host, "--port", str(port)], {}),
        "environment": ([], {"IMR_HOST": host, "IMR_PORT": str(port)}),
    }[how]
    with _serve(hashing_index, *args, env=env) as (child, lines):
        assert lines.next() == f"serving on http://{host}:{port}/"
        wait_until_serving(f"http://{host}:{port}/healthz", child)
        status, _ = get(f"http://{host}:{port}/api/search?q=physical+therapy")
        assert status == 200
        assert refuses_connections(elsewhere, port), f"also listening on {elsewhere}"


@pytest.mark.parametrize("log_queries", [False, True])
def test_queries_reach_the_server_log_only_with_imr_log_queries(
    hashing_index: Path, log_queries: bool
) -> None:
    port = free_port()
    env = {"IMR_LOG_QUERIES": "true"} if log_queries else {}
    with _serve(hashing_index, "--port", str(port), env=env) as (child, lines):
        wait_until_serving(f"http://127.0.0.1:{port}/healthz", child)
        assert get(f"http://127.0.0.1:{port}/api/search?q=zolpidem+nightly")[0] == 200
        stop_gracefully(child)  # uvicorn shuts down, then re-raises SIGTERM
        lines.rest()
        output = "".join(lines.seen)
    if log_queries:
        assert '"GET /api/search?q=zolpidem+nightly HTTP/1.1" 200' in output  # the access log
        assert "search 'zolpidem nightly'" in output  # the route's own line
    else:
        assert "zolpidem" not in output and "GET /" not in output
