"""The Ray pipeline: parse and chunk letters in Ray Data tasks, embed in an actor pool into Parquet
shards, then merge them into a snapshot through `rag.ingest.commit_update`, as the local path does.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import ray
from ray.data import ActorPoolStrategy, Dataset

from index.lock import IndexLock
from rag.annotate import Annotator
from rag.chunking import chunk_letters, make_splitter
from rag.config import IndexConfig
from rag.distributed.session import Attempts, attempt, ray_session
from rag.distributed.shards import (
    CHUNKS,
    SHARDS,
    finished_keys,
    keys,
    note_stale_shards,
    read_shards,
    run_id,
    write_part,
)
from rag.embedding import Embedder, load_embedder
from rag.errors import DocumentParseError, IngestError
from rag.ingest import (
    IngestReport,
    Plan,
    Progress,
    StartProgress,
    commit_update,
    find_letters,
    open_existing,
    stopping_cleanly,
)
from rag.parsing import parse_file
from rag.records import Chunk, Letter, dump_letter, load_letter

log = logging.getLogger(__name__)

GPU_BATCH = 256  # chunks per forward pass on a GPU: large, length-sorted batches keep it busy
_TEXT, _INT = pa.string(), pa.int64()
_PARSED = pa.schema([("ordinal", _INT), ("path", _TEXT), ("letter", _TEXT), ("error", _TEXT)])


def ingest_ray(
    paths: Iterable[Path],
    index_dir: Path,
    config: IndexConfig,
    *,
    address: str | None = None,
    rebuild: bool = False,
    progress: StartProgress | None = None,
    parse: Callable[[Path], Letter] = parse_file,
    workers: int | None = None,
    letters_per_task: int = 32,
    chunks_per_batch: int = 256,
    wait: bool = False,
) -> IngestReport:
    """`rag.ingest.ingest` on Ray: the same index, plus what Ray retried and what was resumed.

    Args:
        address: a running cluster (`ray start --head` prints it; "auto" finds a local one).
            None: this process's connection, else RAY_ADDRESS or a cluster `ray start` left
            on this machine, else a new local cluster for this run only.
        progress: called with the number of letter files; its callback receives letters done.
        parse: reads one letter; a DocumentParseError skips the letter, as in the local path.
        workers: embedding actors (default: one per GPU, else one per CPU of the cluster).
        wait: when another run holds the index, wait for it (else IndexBusyError at once).
    """
    index_dir = Path(index_dir)
    # Locked before the old index is read, as locally
    with stopping_cleanly(index_dir), IndexLock(index_dir, wait=wait) as lock:
        return _ingest_ray_locked(
            paths, index_dir, config, lock, address, rebuild, progress, parse, workers,
            letters_per_task, chunks_per_batch,
        )  # fmt: skip


def _ingest_ray_locked(
    paths: Iterable[Path],
    index_dir: Path,
    config: IndexConfig,
    lock: IndexLock,
    address: str | None,
    rebuild: bool,
    progress: StartProgress | None,
    parse: Callable[[Path], Letter],
    workers: int | None,
    letters_per_task: int,
    chunks_per_batch: int,
) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    with ray_session(address):
        attempts = Attempts.remote()
        try:
            dimension = ray.get(_dimension.remote(config.model))
            # Checked before parsing, which is hours of cluster time on the whole archive.
            old = None if rebuild else open_existing(index_dir, config)
            files = [str(p) for p in find_letters(paths, report)]
            report.files = len(files)
            tick = progress(len(files)) if progress else None
            parsed = _parse_stage(files, parse, attempts, letters_per_task, config.model)
            to_embed, ranks = _plan(parsed, len(files), old, report)
            if tick:
                tick(len(files) - len(to_embed))  # skipped, unchanged and superseded files
            chunks = _chunk_stage(parsed, ranks, config)
            shard_dir = index_dir / SHARDS / run_id(config, to_embed)
            total = chunks.count()
            letters_tick = _in_letters(tick, len(to_embed), total)
            report.resumed = _embed_missing(
                chunks, total, shard_dir, config.model, attempts, workers, chunks_per_batch,
                letters_tick,
            )  # fmt: skip
        except ray.exceptions.RayError as exc:  # a task failed on every attempt
            raise IngestError(f"ingest on Ray stopped: {ray.get(attempts.last.remote())}") from exc
        report.retried = ray.get(attempts.retried.remote())
    for task, reason in report.retried:
        log.warning("retried %s: %s", task, reason)

    found, vectors = read_shards(shard_dir, total, dimension)
    items = {item.id: item for letter in to_embed for item in letter.items}
    chunks = [Chunk(items[item_id], index, passage) for item_id, index, passage in found]
    commit_update(
        index_dir, old, to_embed, chunks, vectors, config=config, report=report, lock=lock
    )
    shutil.rmtree(shard_dir)  # only now: a crash before the swap leaves them for a rerun
    note_stale_shards(index_dir / SHARDS)
    report.seconds = time.perf_counter() - started
    return report


def _in_letters(tick: Progress | None, letters: int, chunks: int) -> Progress | None:
    """A chunk counter that reports letters: each chunk embedded is letters/chunks of a letter."""
    if tick is None:
        return None
    done = {"chunks": 0, "letters": 0}

    def count(n: int) -> None:
        done["chunks"] += n
        letters_now = letters if done["chunks"] >= chunks else letters * done["chunks"] // chunks
        tick(letters_now - done["letters"])
        done["letters"] = letters_now

    return count


def _plan(
    parsed: Dataset, files: int, old: Any, report: IngestReport
) -> tuple[list[Letter], np.ndarray]:
    """The letters to embed (in file order, a later file winning per letter id, by `Plan`) and
    each file's rank in that list (-1: not embedded). Skipped files go to the report."""
    rows = sorted((r["ordinal"], r["path"], r["letter"], r["error"]) for r in parsed.iter_rows())
    letters: list[Letter] = []
    ordinal_of: dict[int, int] = {}  # id(letter) -> its file's ordinal
    for ordinal, path, text, error in rows:
        if error:
            report.skipped.append((path, error))
            log.warning("skipped %s", error)
            continue
        letter = load_letter(text)
        letters.append(letter)
        ordinal_of[id(letter)] = ordinal
    _, to_embed = Plan(old, report).split(letters)
    ranks = np.full(files, -1, np.int64)
    for rank, letter in enumerate(to_embed):
        ranks[ordinal_of[id(letter)]] = rank
    return to_embed, ranks


def _embed_missing(
    chunks: Dataset,
    total: int,
    shard_dir: Path,
    model: str,
    attempts: Any,
    workers: int | None,
    batch: int,
    tick: Progress | None,
) -> int:
    """Embed the chunks that `shard_dir` lacks into new parts. Returns how many it had."""
    shard_dir.mkdir(parents=True, exist_ok=True)
    done = finished_keys(shard_dir)
    if tick and len(done):
        tick(len(done))
    if len(done) == total:
        return len(done)
    todo = chunks.map_batches(
        _drop_done, batch_size=None, batch_format="pyarrow", fn_kwargs={"done": done}
    )
    blocks = -(-(total - len(done)) // batch)  # one block, one Parquet part
    for row in _embed_stage(todo, blocks, model, shard_dir, attempts, workers).iter_rows():
        if tick:
            tick(int(row["rows"]))
    return len(done)


@cache
def _worker_embedder(model: str, device: str = "cpu") -> Embedder:
    """One embedder per worker process, loaded on first use (Ray reuses task processes)."""
    if device == "cpu":
        return load_embedder(model)
    return load_embedder(model, batch_size=GPU_BATCH, device=device)


@cache
def _worker_annotator(model: str) -> Annotator:
    return Annotator(_worker_embedder(model))


@ray.remote
def _dimension(model: str) -> int:
    return _worker_embedder(model).dimension


def _parse_stage(
    files: list[str], parse: Callable, attempts: Any, per_task: int, model: str
) -> Dataset:
    items = [{"ordinal": i, "path": p} for i, p in enumerate(files)]
    source = ray.data.from_items(items, override_num_blocks=max(1, -(-len(items) // per_task)))
    fn_kwargs = {"parse": parse, "attempts": attempts, "model": model}
    return source.map_batches(_parse_batch, batch_size=None, fn_kwargs=fn_kwargs).materialize()


def _parse_batch(
    batch: dict[str, np.ndarray], parse: Callable, attempts: Any, model: str
) -> pa.Table:
    """Parse and annotate (facts, reasons) a batch of letter files."""
    paths = [str(p) for p in batch["path"]]
    more = f" and {len(paths) - 1} more" if len(paths) > 1 else ""
    with attempt(attempts, f"parse {paths[0]}{more}"):
        parsed: dict[int, Letter] = {}
        errors: dict[int, str] = {}
        for n, path in enumerate(paths):
            try:
                parsed[n] = parse(Path(path))
            except DocumentParseError as exc:
                errors[n] = str(exc)
        annotated = dict(zip(parsed, _worker_annotator(model)(list(parsed.values())), strict=True))
    rows = (
        (ordinal, path, json.dumps(dump_letter(annotated[n])) if n in annotated else "",
         errors.get(n, ""))
        for n, (ordinal, path) in enumerate(zip(batch["ordinal"].tolist(), paths, strict=True))
    )  # fmt: skip
    columns = list(zip(*rows, strict=True))
    return pa.Table.from_pydict(dict(zip(_PARSED.names, columns, strict=True)), schema=_PARSED)


def _chunk_stage(parsed: Dataset, ranks: np.ndarray, config: IndexConfig) -> Dataset:
    """Chunks of the planned letters (rank >= 0), materialized: counted before embedding."""
    kwargs = {"ranks": ranks, "config": config}
    return parsed.map_batches(_chunk_batch, batch_size=None, fn_kwargs=kwargs).materialize()


def _chunk_batch(batch: dict[str, np.ndarray], ranks: np.ndarray, config: IndexConfig) -> pa.Table:
    count_tokens = _worker_embedder(config.model).count_tokens
    splitter = make_splitter(config.chunk_tokens, config.chunk_overlap, count_tokens)
    out: dict[str, list] = {name: [] for name in CHUNKS.names}
    for ordinal, text in zip(batch["ordinal"].tolist(), batch["letter"], strict=True):
        rank = int(ranks[ordinal])
        if rank < 0:  # unchanged, superseded by a later file, or unreadable
            continue
        for seq, chunk in enumerate(chunk_letters([load_letter(text)], splitter)):
            values = (rank, seq, chunk.item_id, chunk.index, chunk.text, chunk.embed_text)
            for name, value in zip(CHUNKS.names, values, strict=True):
                out[name].append(value)
    return pa.Table.from_pydict(out, schema=CHUNKS)


def _drop_done(batch: pa.Table, done: np.ndarray) -> pa.Table:
    found = keys(batch["rank"].to_numpy(), batch["seq"].to_numpy())
    return batch.filter(pa.array(~np.isin(found, done)))


def _embed_stage(
    chunks: Dataset, blocks: int, model: str, shard_dir: Path, attempts: Any, workers: int | None
) -> Dataset:
    """An actor pool embeds `chunks` in `blocks` pieces: one actor per GPU (else CPU) by default."""
    resources = ray.cluster_resources()
    gpus, cpus = int(resources.get("GPU", 0)), int(resources.get("CPU", 1))
    size = max(1, min(workers or gpus or cpus, blocks))  # Ray warns of actors left idle
    kwargs = {"model": model, "shard_dir": str(shard_dir), "attempts": attempts}
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

    def __init__(self, model: str, shard_dir: str, attempts: Any) -> None:
        device = "cuda" if ray.get_gpu_ids() else "cpu"
        self.embedder = _worker_embedder(model, device)
        self.shard_dir = Path(shard_dir)
        self.attempts = attempts

    def __call__(self, batch: pa.Table) -> dict[str, np.ndarray]:
        if not len(batch):
            return {"part": np.array([], str), "rows": np.array([], np.int64)}
        first = keys(batch["rank"].to_numpy(), batch["seq"].to_numpy()).min()
        with attempt(self.attempts, f"embed part {first}"):
            vectors = self.embedder.embed(batch["text"].to_pylist())
            name = write_part(self.shard_dir, batch, vectors)
        return {"part": np.array([name]), "rows": np.array([len(batch)])}
