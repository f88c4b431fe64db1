"""Parquet shards of embedded chunks: one part per embedding batch, named by the batch's first
chunk, written to a temporary name and renamed, so a crashed run's finished parts are reused.

A chunk's key is (rank of its letter in the plan, its order among that letter's chunks).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from rag.config import IndexConfig
from rag.errors import IngestError
from rag.ingest import letter_digest
from rag.records import Letter

log = logging.getLogger(__name__)

SHARDS = "shards"
KEY = ["rank", "seq"]
_TEXT, _INT = pa.string(), pa.int64()
# Chunk tables hold these columns ("text" is what the model reads); shard parts hold them but
# "text", plus "vector".
CHUNKS = pa.schema(
    [("rank", _INT), ("seq", _INT), ("item", _TEXT), ("index", _INT), ("passage", _TEXT)]
    + [("text", _TEXT)]
)


def keys(rank: np.ndarray, seq: np.ndarray) -> np.ndarray:
    return np.asarray(rank, np.int64) << 24 | np.asarray(seq, np.int64)


def write_part(shard_dir: Path, batch: pa.Table, vectors: np.ndarray) -> str:
    """Write `batch` (chunk rows) with `vectors` as one part; returns the part's name."""
    first = int(keys(batch["rank"].to_numpy(), batch["seq"].to_numpy()).min())
    rank, seq = divmod(first, 1 << 24)
    name = f"part-{rank:09d}-{seq:05d}.parquet"  # a retry rewrites the same name
    flat = pa.array(vectors.reshape(-1), pa.float32())
    table = batch.drop_columns(["text"]).append_column(
        "vector", pa.FixedSizeListArray.from_arrays(flat, vectors.shape[1])
    )
    fd, tmp = tempfile.mkstemp(dir=shard_dir, prefix=".", suffix=".tmp")
    os.close(fd)
    pq.write_table(table, tmp)
    os.replace(tmp, shard_dir / name)  # readers never see half a part
    return name


def finished_keys(shard_dir: Path) -> np.ndarray:
    """Keys of the chunks `shard_dir` already holds vectors for."""
    parts = sorted(shard_dir.glob("part-*.parquet"))
    if not parts:
        return np.empty(0, np.int64)
    table = pa.concat_tables(pq.read_table(p, columns=KEY) for p in parts)
    return np.unique(keys(table["rank"].to_numpy(), table["seq"].to_numpy()))


def read_shards(
    shard_dir: Path, total: int, dimension: int
) -> tuple[list[tuple[str, int, str]], np.ndarray]:
    """The run's chunks (item id, index, passage) and vectors in plan order: the local path's."""
    parts = sorted(shard_dir.glob("part-*.parquet"))
    table = pa.concat_tables([pq.read_table(p) for p in parts]) if parts else None
    found = keys(table["rank"].to_numpy(), table["seq"].to_numpy()) if parts else []
    if len(np.unique(found)) != len(found) or len(found) != total:
        raise IngestError(f"{shard_dir}: {len(found)} vectors for {total} chunks")
    if table is None:
        return [], np.empty((0, dimension), np.float32)
    table = table.sort_by([(k, "ascending") for k in KEY])
    vectors = table["vector"].combine_chunks().flatten().to_numpy().reshape(total, -1)
    columns = (table[name].to_pylist() for name in ("item", "index", "passage"))
    return list(zip(*columns, strict=True)), vectors.astype(np.float32, copy=False)


def run_id(config: IndexConfig, to_embed: Sequence[Letter]) -> str:
    """The same plan gets the same folder, so a rerun after a crash finds its finished parts.
    What decides the vectors is in it (model, chunking, letters); the index type is not."""
    vectors = [config.model, config.chunk_tokens, config.chunk_overlap]
    plan = [vectors, [(lt.letter_id, letter_digest(lt)) for lt in to_embed]]
    return hashlib.sha256(json.dumps(plan).encode()).hexdigest()[:16]


def note_stale_shards(shards: Path) -> None:
    if not shards.is_dir():
        return
    if stale := sorted(p.name for p in shards.iterdir()):
        log.warning("%s holds shards of unfinished runs %s: rerun them or delete", shards, stale)
    else:
        shards.rmdir()
