"""Child processes for tests, every one bounded: a timeout on each wait and each line read, and
the child killed with its whole process group in `finally`, whatever the test did.

Each child starts a session of its own, so killing its group also ends what it started (the
server `python -m eval.load` runs, the uvicorn `scripts/run.sh` execs) and no grandchild keeps
a pipe open after a kill.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest

REPO = Path(__file__).resolve().parents[1]
IMR = (sys.executable, "-m", "api.cli")
RUN_TIMEOUT_S = 180.0  # one command: start-up and a small job, on 2 busy cores
LINE_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment (conftest clears IMR_*) plus `extra`."""
    return {**os.environ, **(extra or {})}


def run(
    args: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO,
    timeout: float = RUN_TIMEOUT_S,
) -> subprocess.CompletedProcess[str]:
    """Run `args` to completion, capturing text output; a run past `timeout` fails the test."""
    with started(args, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        try:
            out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(child)
            out, err = child.communicate(timeout=STOP_TIMEOUT_S)
            pytest.fail(
                f"{' '.join(map(str, args))} ran past {timeout:.0f} s; stderr: {err[-2000:]}"
            )
    return subprocess.CompletedProcess(list(args), child.returncode, out, err)


def imr(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = RUN_TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    """`imr ARGS` as a user runs it, from the checkout."""
    return run([*IMR, *args], env=env, timeout=timeout)


@contextmanager
def started(
    args: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO,
    text: bool = True,
    **popen: object,
) -> Iterator[subprocess.Popen]:
    """`Popen(args)` in a session of its own; its group is killed and reaped on the way out."""
    child = subprocess.Popen(
        list(args), cwd=cwd, env=child_env(env), start_new_session=True, text=text, **popen
    )
    try:
        yield child
    finally:
        kill_group(child)
        try:
            child.wait(timeout=STOP_TIMEOUT_S)
        finally:
            for stream in (child.stdin, child.stdout, child.stderr):
                if stream is not None:
                    stream.close()


def kill_group(child: subprocess.Popen) -> None:
    """SIGKILL `child` and everything in its process group (gone already is fine)."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def stop_gracefully(child: subprocess.Popen, timeout: float = STOP_TIMEOUT_S) -> int:
    """SIGTERM the group and wait for the child to exit (a server then flushes its logs)."""
    os.killpg(child.pid, signal.SIGTERM)
    try:
        return child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"pid {child.pid} did not stop within {timeout:.0f} s of SIGTERM")


class Lines:
    """A child's output stream read line by line, each read with a deadline.

    A thread does the blocking reads, so a child that goes quiet fails the test after the
    timeout instead of hanging it.
    """

    def __init__(self, stream: IO) -> None:
        self._lines: queue.Queue = queue.Queue()
        self.seen: list = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO) -> None:
        try:
            for line in stream:
                self._lines.put(line)
        except (OSError, ValueError):  # closed under us when the child is killed
            pass
        self._lines.put(None)

    def next(self, timeout: float = LINE_TIMEOUT_S):
        """The next line, stripped; fails on end of output or after `timeout` seconds."""
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no output line within {timeout:.0f} s (so far: {self.seen[-5:]})")
        if line is None:
            self._lines.put(None)
            pytest.fail(f"the output ended (so far: {self.seen[-5:]})")
        self.seen.append(line)
        return line.strip()

    def rest(self, timeout: float = LINE_TIMEOUT_S) -> list:
        """Every line left, up to the end of the output, which must come within `timeout`."""
        deadline = time.monotonic() + timeout
        lines = []
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"the output did not end within {timeout:.0f} s")
            if line is None:
                self._lines.put(None)
                return lines
            self.seen.append(line)
            lines.append(line)

    def containing(self, text: str, timeout: float = LINE_TIMEOUT_S) -> str:
        """Read lines until one contains `text`, all within `timeout` seconds; that line."""
        deadline = time.monotonic() + timeout
        while text not in (line := self.next(max(0.0, deadline - time.monotonic()))):
            pass
        return line

    def until(self, wanted, timeout: float = LINE_TIMEOUT_S):
        """Read lines until one equals `wanted`, all within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while (line := self.next(max(0.0, deadline - time.monotonic()))) != wanted:
            pass
        return line


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def get(url: str, timeout: float = 30.0) -> tuple[int, bytes]:
    """GET `url`: (status, body), error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_until_serving(url: str, child: subprocess.Popen, timeout: float = 300.0) -> None:
    """Poll `url` until it answers 200: the server is up. Fails if the child exits first or
    `timeout` passes (loading the model and an index takes seconds, more on busy cores)."""
    deadline = time.monotonic() + timeout
    while True:
        if child.poll() is not None:
            pytest.fail(f"the server exited with {child.returncode} before {url} answered")
        try:
            if get(url, timeout=10)[0] == 200:
                return
        except OSError:
            pass  # not listening yet
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not answer 200 within {timeout:.0f} s")
        time.sleep(0.2)  # poll interval while waiting for the port to open


def refuses_connections(host: str, port: int) -> bool:
    """Whether nothing listens at host:port (connection refused)."""
    try:
        with socket.create_connection((host, port), timeout=10):
            return False
    except ConnectionRefusedError:
        return True
