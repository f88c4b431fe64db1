"""A Ray session for one ingest, and the accounting of task attempts Ray retries silently."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ray
from ray.data import DataContext

MAX_ATTEMPTS = 4  # Ray retries a crashed task without bound; the attempt log stops at this many

_DATA_OPTIONS = {
    "enable_progress_bars": False,  # the caller's `progress` reports embedding
    "print_on_execution_start": False,
    "retried_map_errors": True,  # any exception but DocumentParseError: try the task again
    "max_map_retries": 2,
}


@contextmanager
def ray_session(address: str | None) -> Iterator[None]:
    """Join the cluster at `address` (or start a local one) for one run; reuse a live one.

    Ray Data logs each finished stage at INFO; the caller's `progress` says more, so its
    logger is held at ERROR for the run, and Ray Data's options are set for the run only.
    """
    data_log = logging.getLogger("ray.data")
    level = data_log.level
    data_log.setLevel(logging.ERROR)
    try:
        if ray.is_initialized():
            with _data_options():
                yield
            return
        ray.init(address, include_dashboard=False, log_to_driver=False, logging_level="warning")
        try:
            with _data_options():
                yield
        finally:
            ray.shutdown()
    finally:
        data_log.setLevel(level)


@contextmanager
def _data_options() -> Iterator[None]:
    # Set in place and restored: DataContext.copy() warns once per deprecated field.
    ctx = DataContext.get_current()
    saved = {name: getattr(ctx, name) for name in _DATA_OPTIONS}
    for name, value in _DATA_OPTIONS.items():
        setattr(ctx, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(ctx, name, value)


@ray.remote(num_cpus=0)
class Attempts:
    """Counts attempts per task so the driver can report retries, which Ray makes silently."""

    def __init__(self) -> None:
        self.started: dict[str, int] = {}
        self.failed: dict[str, dict[int, str]] = {}
        self.latest = "a worker or node was lost (see Ray's logs)"

    def start(self, task: str) -> int:
        self.started[task] = self.started.get(task, 0) + 1
        return self.started[task]

    def fail(self, task: str, attempt: int, reason: str) -> None:
        self.failed.setdefault(task, {})[attempt] = reason
        self.latest = f"{task} failed on attempt {attempt}: {reason}"

    def last(self) -> str:
        return self.latest

    def retried(self) -> list[tuple[str, str]]:
        return [
            (task, f"attempt {n}: {self.failed.get(task, {}).get(n, 'worker died, no error')}")
            for task, count in sorted(self.started.items())
            for n in range(1, count)
        ]


@contextmanager
def attempt(attempts: Any, task: str) -> Iterator[None]:
    """One attempt at `task`, counted in `attempts`; a failure is recorded, then re-raised."""
    number = ray.get(attempts.start.remote(task))
    try:
        if number > MAX_ATTEMPTS:
            raise RuntimeError(f"giving up: {MAX_ATTEMPTS} attempts failed")
        yield
    except Exception as exc:
        ray.get(attempts.fail.remote(task, number, f"{type(exc).__name__}: {exc}"))
        raise
