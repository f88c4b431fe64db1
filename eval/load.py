"""Bounded load and soak run against a real `imr serve` on loopback; reports throughput and memory.

    python -m eval.load --index DIR [--users 8] [--seconds 60] [--json out.json]

Starts the server as a child process on 127.0.0.1 (a free port), runs Locust headless for a fixed
time, samples the server's RSS every 2 s, stops everything, and prints requests/s, errors, p50/p99
latency and RSS at start and end (a soak shows no growth when the two agree).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _wait_ready(url: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"server at {url} did not become ready in {timeout:.0f} s")


def run(index: Path, users: int, seconds: int) -> dict:
    port = _free_port()
    env = {**os.environ, "IMR_RATE_LIMIT_PER_MINUTE": "0"}  # the load is the point here
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--index", str(index), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    samples: list[tuple[float, float]] = []
    stop = threading.Event()
    try:
        _wait_ready(f"http://127.0.0.1:{port}/healthz")
        started = time.monotonic()

        def sample() -> None:
            while not stop.wait(2.0):
                samples.append((time.monotonic() - started, _rss_mb(server.pid)))

        sampler = threading.Thread(target=sample, daemon=True)
        samples.append((0.0, _rss_mb(server.pid)))
        sampler.start()
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "load"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(LOCUSTFILE),
                    "--headless",
                    "-u",
                    str(users),
                    "-r",
                    str(users),
                    "-t",
                    f"{seconds}s",
                    "--only-summary",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    str(prefix),
                ],
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").read_text().splitlines()))
        stop.set()
        samples.append((time.monotonic() - started, _rss_mb(server.pid)))
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
    return _summary(rows, samples, users, seconds)


def _ms(value: str) -> float | None:
    """A Locust percentile; "N/A" (an endpoint with no timed request in the run) is None."""
    return None if value == "N/A" else float(value)


def _shown(ms: float | None) -> str:
    return f"{'-':>8}" if ms is None else f"{ms:8.0f}"


def _summary(rows: list[dict], samples: list[tuple[float, float]], users: int, seconds: int):
    by_name = {
        row["Name"]: {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 2),
            "p50_ms": _ms(row["50%"]),
            "p99_ms": _ms(row["99%"]),
        }
        for row in rows
    }
    first_minute = [rss for t, rss in samples if t <= 60] or [samples[0][1]]
    return {
        "users": users,
        "seconds": seconds,
        "endpoints": by_name,
        "rss_mb_start": round(samples[0][1], 1),
        "rss_mb_after_warmup": round(max(first_minute), 1),
        "rss_mb_end": round(samples[-1][1], 1),
        "rss_mb_max": round(max(rss for _, rss in samples), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args(argv)
    summary = run(args.index, args.users, args.seconds)
    print(
        f"{'endpoint':24} {'requests':>9} {'failures':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
    )
    for name, row in summary["endpoints"].items():
        print(
            f"{name:24} {row['requests']:9} {row['failures']:9} {row['rps']:8} "
            f"{_shown(row['p50_ms'])} {_shown(row['p99_ms'])}"
        )
    print(
        f"server RSS: start {summary['rss_mb_start']} MB, after warm-up "
        f"{summary['rss_mb_after_warmup']} MB, end {summary['rss_mb_end']} MB, "
        f"max {summary['rss_mb_max']} MB"
    )
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0 if all(r["failures"] == 0 for r in summary["endpoints"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
