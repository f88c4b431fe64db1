"""Local vs Ray ingest throughput on this machine, and the projection to the full archive.

    python -m eval.ingest_bench [PATH ...]   # default: ../shared seeds + dwc-imr-letters/txt

Same corpus, same run: the local path, Ray with its cluster already up, and Ray including the
cluster's start. The projection scales the measured parse/chunk cost and a per-GPU embedding
rate to 2M letters on N GPU nodes (docs/SCALE.md).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rag.chunking import chunk_letters, make_splitter
from rag.config import DEFAULT_MODEL, IndexConfig
from rag.distributed import ray_session
from rag.engine import Engine
from rag.ingest import IngestReport, parse_letters

SHARED = Path(__file__).resolve().parents[2] / "shared"


@dataclass(frozen=True)
class BenchRow:
    run: str
    letters: int
    chunks: int
    seconds: float

    @property
    def letters_per_s(self) -> float:
        return self.letters / self.seconds if self.seconds else 0.0

    @property
    def chunks_per_s(self) -> float:
        return self.chunks / self.seconds if self.seconds else 0.0


def bench(
    paths: Iterable[Path], config: IndexConfig, *, address: str | None = None
) -> list[BenchRow]:
    """Index `paths` with the local path, then with Ray, in this process, into temporary dirs.

    Rows: local (model load included), parse+chunk in one process (the CPU cost per letter),
    ray (its actors load the model), and ray again counting the cluster's start-up.
    """
    paths = list(paths)
    with tempfile.TemporaryDirectory(prefix="imr-bench-") as tmp:
        t = time.perf_counter()
        engine = Engine(Path(tmp, "local"), config)
        local = engine.ingest(paths)
        rows = [BenchRow("local", local.letters, local.chunks, time.perf_counter() - t)]
        t = time.perf_counter()
        letters = parse_letters(paths, IngestReport())
        size, overlap = config.chunk_tokens, config.chunk_overlap
        count_tokens = engine.embedder.count_tokens
        chunks = chunk_letters(letters.values(), make_splitter(size, overlap, count_tokens))
        rows.append(
            BenchRow("parse+chunk, 1 process", len(letters), len(chunks), time.perf_counter() - t)
        )
        t = time.perf_counter()
        with ray_session(address):
            remote = Engine(Path(tmp, "ray"), config).ingest(
                paths, executor="ray", ray_address=address
            )
        rows.append(BenchRow("ray", remote.letters, remote.chunks, remote.seconds))
        rows.append(
            BenchRow("ray + cluster start", remote.letters, remote.chunks, time.perf_counter() - t)
        )
    return rows


@dataclass(frozen=True)
class Projection:
    nodes: int
    cpu_seconds: float  # parse + chunk, spread over every core of the nodes
    embed_seconds: float  # one GPU per node at the given rate

    @property
    def seconds(self) -> float:
        return self.cpu_seconds + self.embed_seconds  # the stages run one after the other


def project(
    letters: int,
    chunks_per_letter: float,
    cpu_seconds_per_letter: float,
    chunks_per_gpu_second: float,
    nodes: int,
    cores_per_node: int = 16,
) -> Projection:
    """Time to parse, chunk and embed `letters` on `nodes` GPU nodes (the driver's merge aside)."""
    cpu = letters * cpu_seconds_per_letter / (nodes * cores_per_node)
    return Projection(nodes, cpu, letters * chunks_per_letter / (nodes * chunks_per_gpu_second))


def bench_table(
    rows: list[BenchRow],
    letters: int = 2_000_000,
    rates: tuple[int, ...] = (2_700, 10_000),
    nodes: tuple[int, ...] = (1, 2, 4, 8, 16),
) -> str:
    """The measured rows and, from them, the projection for `letters` on GPU nodes."""
    by_run = {r.run: r for r in rows}
    local, cpu = by_run["local"], by_run["parse+chunk, 1 process"]
    per_letter = local.chunks / local.letters
    lines = [
        f"{'run':24} {'letters':>8} {'chunks':>7} {'seconds':>8} {'letters/s':>10} {'chunks/s':>9}"
    ]
    lines += [
        f"{r.run:24} {r.letters:8} {r.chunks:7} {r.seconds:8.1f} {r.letters_per_s:10.2f} "
        f"{r.chunks_per_s:9.2f}"
        for r in rows
    ]
    lines += [
        "",
        f"{letters:,} letters x {per_letter:.2f} chunks/letter = {letters * per_letter / 1e6:.1f}M "
        f"chunks; parse+chunk {cpu.seconds / cpu.letters * 1000:.1f} ms/letter/core",
        f"this machine, local path: {letters / local.letters_per_s / 86400:.1f} days",
        f"{'GPU nodes':10}" + "".join(f"{f'{rate:,} chunks/s/GPU':>22}" for rate in rates),
    ]
    for n in nodes:
        times = [project(letters, per_letter, cpu.seconds / cpu.letters, rate, n) for rate in rates]
        lines.append(f"{n:<10}" + "".join(f"{_hours(p.seconds):>22}" for p in times))
    return "\n".join(lines)


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    paths = paths or [SHARED / "seeds", SHARED / "data" / "dwc-imr-letters" / "txt"]
    print(bench_table(bench(paths, IndexConfig(model=DEFAULT_MODEL))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
