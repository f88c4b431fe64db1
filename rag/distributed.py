"""Ingest on a Ray cluster: parse and chunk in Ray Data tasks, embed in an actor pool, then commit.

Vectors land as Parquet shards in `<index>/shards/<run>/`; the driver merges them into a snapshot
through the same `plan_update`/`commit_update` as `rag.ingest.ingest`, so both paths build the same
index. The run id is a digest of the plan, so a rerun after a crash reuses the finished shards;
they are deleted once the new snapshot is swapped in. See docs/SCALE.md for clusters and timings.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import ray
from ray.data import ActorPoolStrategy, DataContext, Dataset

from rag.chunking import chunk_determinations, make_splitter
from rag.embedding import Embedder, SentenceTransformerEmbedder, load_embedder
from rag.errors import DocumentParseError
from rag.ingest import (
    ChunkSettings,
    IngestReport,
    Progress,
    _record_digest,
    commit_update,
    open_existing,
    plan_update,
)
from rag.parsing import iter_letter_files, parse_file
from rag.records import Chunk, Determination

log = logging.getLogger(__name__)

SHARDS = "shards"
MAX_ATTEMPTS = 4  # Ray retries a crashed task without bound; the attempt log stops at this many
DEFAULT_CHUNKING = ChunkSettings()
_KEY = ["rank", "seq"]  # a chunk's place in the plan: rank of its letter, then chunk order
GPU_BATCH = 256  # chunks per forward pass on a GPU: large, length-sorted batches keep it busy


@dataclass
class RayIngestReport(IngestReport):
    retried: list[tuple[str, str]] = field(default_factory=list)  # (task, why it failed first)
    resumed: int = 0  # chunks whose vectors came from an earlier, unfinished run's shards

    def to_dict(self) -> dict[str, object]:
        retried = [{"task": t, "reason": r} for t, r in self.retried]
        return {**super().to_dict(), "retried": retried, "resumed": self.resumed}


def ingest_ray(
    paths: Iterable[Path],
    index_dir: Path,
    model_name: str,
    chunking: ChunkSettings = DEFAULT_CHUNKING,
    *,
    address: str | None = None,
    rebuild: bool = False,
    index_type: str = "auto",
    progress: Callable[[int], Progress] | None = None,
    parse: Callable[[Path], Determination] = parse_file,
    workers: int | None = None,
    letters_per_task: int = 32,
    chunks_per_batch: int = 256,
) -> RayIngestReport:
    """`rag.ingest.ingest` on Ray: the same index, plus what Ray retried and what was resumed.

    Args:
        address: a running cluster (`ray start --head` prints it; "auto" finds a local one).
            None: this process's connection, else RAY_ADDRESS or a cluster `ray start` left
            on this machine, else a new local cluster for this run only.
        parse: reads one letter; a DocumentParseError skips the letter, as in the local path.
        workers: embedding actors (default: one per GPU, else one per CPU of the cluster).
    """
    started = time.perf_counter()
    report = RayIngestReport()
    index_dir = Path(index_dir)
    with ray_session(address), _data_options():
        attempts = _Attempts.remote()
        try:
            name, dimension = ray.get(_describe.remote(model_name))
            # Checked before parsing, which is hours of cluster time on the whole archive.
            old = None if rebuild else open_existing(index_dir, name, dimension, chunking)
            files = [str(p) for p in iter_letter_files(paths)]
            report.files = len(files)
            parsed = _parse_stage(files, parse, attempts, letters_per_task)
            letters, winners = _collect_letters(parsed, report)
            to_embed = plan_update(letters, old, report)
            ranks = np.full(len(files), -1, np.int64)  # file ordinal -> place in the plan
            for rank, det in enumerate(to_embed):
                ranks[winners[det.doc_id]] = rank
            chunks = _chunk_stage(parsed, ranks, model_name, chunking)
            shard_dir = index_dir / SHARDS / _run_id(name, chunking, to_embed)
            total = chunks.count()
            tick = progress(total) if progress else None
            report.resumed = _embed_missing(
                chunks, total, shard_dir, model_name, attempts, workers, chunks_per_batch, tick
            )
        except ray.exceptions.RayError as exc:  # a task failed on every attempt
            raise RuntimeError(f"ingest on Ray stopped: {ray.get(attempts.last.remote())}") from exc
        report.retried = ray.get(attempts.retried.remote())
    for task, reason in report.retried:
        log.warning("retried %s: %s", task, reason)

    new_chunks, new_vectors = _read_shards(shard_dir, total, dimension)
    commit_update(
        index_dir,
        old,
        to_embed,
        new_chunks,
        new_vectors,
        model=name,
        chunking=chunking,
        index_type=index_type,
        report=report,
    )
    shutil.rmtree(shard_dir)  # only now: a crash before the swap leaves them for a rerun
    _note_stale_shards(index_dir / SHARDS)
    report.seconds = time.perf_counter() - started
    return report


def _embed_missing(
    chunks: Dataset,
    total: int,
    shard_dir: Path,
    model_name: str,
    attempts: Any,
    workers: int | None,
    batch: int,
    tick: Progress | None,
) -> int:
    """Embed the chunks that `shard_dir` lacks into new parts. Returns how many it had."""
    shard_dir.mkdir(parents=True, exist_ok=True)
    done = _finished_keys(shard_dir)
    if tick and len(done):
        tick(len(done))
    if len(done) == total:
        return len(done)
    todo = chunks.map_batches(
        _drop_done, batch_size=None, batch_format="pyarrow", fn_kwargs={"done": done}
    )
    blocks = -(-(total - len(done)) // batch)  # one block, one Parquet part
    for row in _embed_stage(todo, blocks, model_name, shard_dir, attempts, workers).iter_rows():
        if tick:
            tick(int(row["rows"]))
    return len(done)


@contextmanager
def ray_session(address: str | None) -> Iterator[None]:
    """Join the cluster at `address` (or start a local one) for one run; reuse a live one.

    Ray Data logs each finished stage at INFO; the caller's `progress` says more, so its
    logger is held at ERROR for the run. Worker logs stay in Ray's session folder.
    """
    data_log = logging.getLogger("ray.data")
    level = data_log.level
    data_log.setLevel(logging.ERROR)
    try:
        if ray.is_initialized():
            yield
            return
        ray.init(address, include_dashboard=False, log_to_driver=False, logging_level="warning")
        try:
            yield
        finally:
            ray.shutdown()
    finally:
        data_log.setLevel(level)


_DATA_OPTIONS = {
    "enable_progress_bars": False,  # the caller's `progress` reports embedding
    "print_on_execution_start": False,
    "retried_map_errors": True,  # any exception but DocumentParseError: try the task again
    "max_map_retries": 2,
}


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
class _Attempts:
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
def _attempt(attempts: Any, task: str) -> Iterator[None]:
    number = ray.get(attempts.start.remote(task))
    try:
        if number > MAX_ATTEMPTS:
            raise RuntimeError(f"giving up: {MAX_ATTEMPTS} attempts failed")
        yield
    except Exception as exc:
        ray.get(attempts.fail.remote(task, number, f"{type(exc).__name__}: {exc}"))
        raise


@lru_cache(maxsize=2)
def _worker_embedder(model_name: str, device: str = "cpu") -> Embedder:
    """One embedder per worker process, loaded on first use (Ray reuses task processes)."""
    if device == "cpu" or model_name == "hashing":
        return load_embedder(model_name)
    return SentenceTransformerEmbedder(device=device, batch_size=GPU_BATCH)


@ray.remote
def _describe(model_name: str) -> tuple[str, int]:
    embedder = _worker_embedder(model_name)
    return embedder.name, embedder.dimension


_TEXT, _INT = pa.string(), pa.int64()
_PARSED = pa.schema([("ordinal", _INT), ("path", _TEXT), ("record", _TEXT), ("error", _TEXT)])
# Shard parts hold these columns but "text" (what the model read), plus "vector".
_CHUNKS = pa.schema(
    [("rank", _INT), ("seq", _INT), ("doc_id", _TEXT), ("item_index", _INT), ("chunk_index", _INT)]
    + [("payload", _TEXT), ("text", _TEXT)]
)


def _parse_stage(files: list[str], parse: Callable, attempts: Any, per_task: int) -> Dataset:
    items = [{"ordinal": i, "path": p} for i, p in enumerate(files)]
    source = ray.data.from_items(items, override_num_blocks=max(1, -(-len(items) // per_task)))
    fn_kwargs = {"parse": parse, "attempts": attempts}
    return source.map_batches(_parse_batch, batch_size=None, fn_kwargs=fn_kwargs).materialize()


def _parse_batch(batch: dict[str, np.ndarray], parse: Callable, attempts: Any) -> pa.Table:
    paths = [str(p) for p in batch["path"]]
    out: dict[str, list] = {name: [] for name in _PARSED.names}
    more = f" and {len(paths) - 1} more" if len(paths) > 1 else ""
    with _attempt(attempts, f"parse {paths[0]}{more}"):
        for ordinal, path in zip(batch["ordinal"].tolist(), paths, strict=True):
            try:
                record, error = json.dumps(parse(Path(path)).to_dict()), ""
            except DocumentParseError as exc:
                record, error = "", str(exc)
            for name, value in zip(_PARSED.names, (ordinal, path, record, error), strict=True):
                out[name].append(value)
    return pa.Table.from_pydict(out, schema=_PARSED)


def _collect_letters(
    parsed: Dataset, report: IngestReport
) -> tuple[dict[str, Determination], dict[str, int]]:
    """Letters in file order, a later file winning per doc_id (as `parse_letters` does), and
    the ordinal of each winner's file. Skipped files go to the report in file order."""
    rows = sorted((r["ordinal"], r["path"], r["record"], r["error"]) for r in parsed.iter_rows())
    letters: dict[str, Determination] = {}
    winners: dict[str, int] = {}
    for ordinal, path, record, error in rows:
        if error:
            report.skipped.append((path, error))
            log.warning("skipped %s", error)
            continue
        det = Determination.from_dict(json.loads(record))
        letters[det.doc_id] = det
        winners[det.doc_id] = ordinal
    return letters, winners


def _chunk_stage(
    parsed: Dataset, ranks: np.ndarray, model_name: str, chunking: ChunkSettings
) -> Dataset:
    """Chunks of the planned letters (rank >= 0), materialized: counted before embedding."""
    kwargs = {"ranks": ranks, "model_name": model_name, "chunking": chunking}
    return parsed.map_batches(_chunk_batch, batch_size=None, fn_kwargs=kwargs).materialize()


def _chunk_batch(
    batch: dict[str, np.ndarray], ranks: np.ndarray, model_name: str, chunking: ChunkSettings
) -> pa.Table:
    count_tokens = _worker_embedder(model_name).count_tokens
    splitter = make_splitter(chunking.chunk_tokens, chunking.chunk_overlap, count_tokens)
    out: dict[str, list] = {name: [] for name in _CHUNKS.names}
    for ordinal, record in zip(batch["ordinal"].tolist(), batch["record"], strict=True):
        rank = int(ranks[ordinal])
        if rank < 0:  # unchanged, superseded by a later file, or unreadable
            continue
        det = Determination.from_dict(json.loads(record))
        for seq, chunk in enumerate(chunk_determinations([det], splitter)):
            values = (rank, seq, chunk.doc_id, chunk.item_index, chunk.chunk_index)
            values += (json.dumps(chunk.to_payload()), chunk.embed_text)
            for name, value in zip(_CHUNKS.names, values, strict=True):
                out[name].append(value)
    return pa.Table.from_pydict(out, schema=_CHUNKS)


def _drop_done(batch: pa.Table, done: np.ndarray) -> pa.Table:
    keys = _keys(batch["rank"].to_numpy(), batch["seq"].to_numpy())
    return batch.filter(pa.array(~np.isin(keys, done)))


def _embed_stage(
    chunks: Dataset,
    blocks: int,
    model_name: str,
    shard_dir: Path,
    attempts: Any,
    workers: int | None,
) -> Dataset:
    """An actor pool embeds `chunks` in `blocks` pieces: one actor per GPU (else CPU) by default."""
    resources = ray.cluster_resources()
    gpus, cpus = int(resources.get("GPU", 0)), int(resources.get("CPU", 1))
    size = max(1, min(workers or gpus or cpus, blocks))  # Ray warns of actors left idle
    kwargs = {"model_name": model_name, "shard_dir": str(shard_dir), "attempts": attempts}
    # Materialized first: a pool holding every CPU would starve the tasks that feed it.
    return (
        chunks.repartition(blocks)
        .materialize()
        .map_batches(
            _EmbedShards,
            batch_size=None,
            batch_format="pyarrow",
            fn_constructor_kwargs=kwargs,
            compute=ActorPoolStrategy(size=size),
            num_gpus=1 if gpus else 0,
            num_cpus=1,
        )
    )


class _EmbedShards:
    """Actor: loads the model once, embeds each batch and writes it as one Parquet part."""

    def __init__(self, model_name: str, shard_dir: str, attempts: Any) -> None:
        device = "cuda" if ray.get_gpu_ids() else "cpu"
        self.embedder = _worker_embedder(model_name, device)
        self.shard_dir = Path(shard_dir)
        self.attempts = attempts

    def __call__(self, batch: pa.Table) -> dict[str, np.ndarray]:
        if not len(batch):
            return {"part": np.array([], str), "rows": np.array([], np.int64)}
        keys = _keys(batch["rank"].to_numpy(), batch["seq"].to_numpy())
        rank, seq = divmod(int(keys.min()), 1 << 24)
        name = f"part-{rank:09d}-{seq:05d}.parquet"  # a retry rewrites the same name
        with _attempt(self.attempts, f"embed {name}"):
            vectors = self.embedder.embed(batch["text"].to_pylist())
            flat = pa.array(vectors.reshape(-1), pa.float32())
            table = batch.drop_columns(["text"]).append_column(
                "vector", pa.FixedSizeListArray.from_arrays(flat, vectors.shape[1])
            )
            fd, tmp = tempfile.mkstemp(dir=self.shard_dir, prefix=".", suffix=".tmp")
            os.close(fd)
            pq.write_table(table, tmp)
            os.replace(tmp, self.shard_dir / name)  # readers never see half a part
        return {"part": np.array([name]), "rows": np.array([len(table)])}


def _keys(rank: np.ndarray, seq: np.ndarray) -> np.ndarray:
    return np.asarray(rank, np.int64) << 24 | np.asarray(seq, np.int64)


def _finished_keys(shard_dir: Path) -> np.ndarray:
    parts = sorted(shard_dir.glob("part-*.parquet"))
    if not parts:
        return np.empty(0, np.int64)
    table = pa.concat_tables(pq.read_table(p, columns=_KEY) for p in parts)
    return np.unique(_keys(table["rank"].to_numpy(), table["seq"].to_numpy()))


def _read_shards(shard_dir: Path, total: int, dimension: int) -> tuple[list[Chunk], np.ndarray]:
    """The run's chunks and vectors in plan order: the order the local path embeds them in."""
    parts = sorted(shard_dir.glob("part-*.parquet"))
    table = pa.concat_tables([pq.read_table(p) for p in parts]) if parts else None
    keys = _keys(table["rank"].to_numpy(), table["seq"].to_numpy()) if parts else []
    if len(np.unique(keys)) != len(keys) or len(keys) != total:
        raise RuntimeError(f"{shard_dir}: {len(keys)} vectors for {total} chunks")
    if table is None:
        return [], np.empty((0, dimension), np.float32)
    table = table.sort_by([(k, "ascending") for k in _KEY])
    vectors = table["vector"].combine_chunks().flatten().to_numpy().reshape(total, -1)
    chunks = [Chunk.from_payload(json.loads(p)) for p in table["payload"].to_pylist()]
    return chunks, vectors.astype(np.float32, copy=False)


def _run_id(model: str, chunking: ChunkSettings, to_embed: list[Determination]) -> str:
    plan = [model, chunking.to_dict(), [(d.doc_id, _record_digest(d)) for d in to_embed]]
    return hashlib.sha256(json.dumps(plan).encode()).hexdigest()[:16]


def _note_stale_shards(shards: Path) -> None:
    if not shards.is_dir():
        return
    if stale := sorted(p.name for p in shards.iterdir()):
        log.warning("%s holds shards of unfinished runs %s: rerun them or delete", shards, stale)
    else:
        shards.rmdir()
