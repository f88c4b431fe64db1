"""Small measuring helpers the benchmarks share: progress lines, resident memory, timing."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def rss_bytes(pid: int | str = "self", field: str = "VmRSS") -> int:
    """Resident set size now (or its high-water mark, VmHWM), from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    return 0


def machine() -> dict[str, Any]:
    import platform

    import faiss

    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "faiss": faiss.__version__,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def say(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def timed_ms(fn: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - started) * 1000
