"""FAISS vectors + SQLite metadata, read from immutable snapshots (index/snapshot.py writes them).

The index types and the choice by size live here. Row i of the FAISS index is row i of the
`rows` table, and the manifest records both counts and each file's sha256, so a load can prove
the three agree.
Vectors are unit length, so inner product == cosine similarity.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.errors import StoreCorruptError, StoreError, StoreNotFoundError
from index.manifest import Manifest, file_sha256

VECTORS = "vectors.faiss"
META = "meta.sqlite"
CURRENT = "current"
SNAPSHOTS = "snapshots"


# Chosen by `imr bench` on this 2-core machine (docs/BENCH.md): exact search stays under 10 ms
# up to about 40k vectors (19.7 ms p50 at 100k, 233 ms at 1M); above it HNSW over fp16 vectors,
# which at 1M measured recall@10 0.968 against exact, 0.40 ms p50, 912 bytes per vector.
FLAT_MAX = 40_000
HNSW_PARAMS = {"m": 32, "ef_construction": 80, "ef_search": 64}  # build_index's defaults
APPROXIMATE = ("hnsw_fp16", {"m": 16, "ef_construction": 80, "ef_search": 48})
TRAIN_SAMPLE = 100_000  # rows a quantizer is trained on


def choose_index(n: int) -> tuple[str, dict[str, Any]]:
    """The index type and parameters for `n` vectors: exact up to FLAT_MAX, HNSW-fp16 above."""
    kind, params = APPROXIMATE
    return ("flat", {}) if n <= FLAT_MAX else (kind, dict(params))


def build_index(vectors: np.ndarray, index_type: str = "flat", **params: Any) -> faiss.Index:
    """A FAISS inner-product index over `vectors` (float32, unit length)."""
    index = new_index(vectors.shape[1], index_type, **params)
    if not index.is_trained:
        index.train(training_sample(vectors))
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def new_index(dim: int, index_type: str = "flat", **params: Any) -> faiss.Index:
    """An empty FAISS inner-product index of `index_type` (it may still need training)."""
    m = int(params.get("m", HNSW_PARAMS["m"]))
    if index_type == "flat":
        return faiss.IndexFlatIP(dim)
    if index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
    elif index_type in ("hnsw_sq8", "hnsw_fp16"):
        quantizer = (
            faiss.ScalarQuantizer.QT_8bit
            if index_type == "hnsw_sq8"
            else faiss.ScalarQuantizer.QT_fp16
        )
        index = faiss.IndexHNSWSQ(dim, quantizer, m, faiss.METRIC_INNER_PRODUCT)
    else:
        raise StoreError(
            f"unknown index type {index_type!r}; expected flat, hnsw, hnsw_sq8 or hnsw_fp16"
        )
    index.hnsw.efConstruction = int(params.get("ef_construction", HNSW_PARAMS["ef_construction"]))
    index.hnsw.efSearch = int(params.get("ef_search", HNSW_PARAMS["ef_search"]))
    return index


def training_sample(vectors: np.ndarray, size: int = TRAIN_SAMPLE) -> np.ndarray:
    """Up to `size` rows spread evenly over `vectors` (which may be a memory map)."""
    step = max(1, len(vectors) // size)
    return np.ascontiguousarray(vectors[::step][:size], dtype=np.float32)


class VectorStore:
    """A loaded snapshot: search vectors, read payloads and documents."""

    def __init__(self, snapshot: Path, index: faiss.Index, manifest: Manifest) -> None:
        self.snapshot = snapshot
        self.index = index
        self.manifest = manifest
        self._db = sqlite3.connect(
            f"file:{snapshot / META}?mode=ro", uri=True, check_same_thread=False
        )

    @classmethod
    def load(cls, root: Path, *, verify: bool = False) -> VectorStore:
        """Open the live snapshot under `root`. `verify` also checks file checksums (slower)."""
        snapshot = current_snapshot(root)
        manifest = Manifest.read(snapshot)
        for name in (VECTORS, META):
            if not (snapshot / name).is_file():
                raise StoreCorruptError(f"{snapshot / name}: file is missing")
            if verify and manifest.files.get(name) != file_sha256(snapshot / name):
                raise StoreCorruptError(f"{snapshot / name}: checksum differs from the manifest")
        try:
            index = faiss.read_index(str(snapshot / VECTORS))
        except RuntimeError as exc:
            raise StoreCorruptError(f"{snapshot / VECTORS}: cannot be read ({exc})") from exc
        store = cls(snapshot, index, manifest)
        store.check_consistent()
        return store

    def check_consistent(self) -> None:
        """Vectors, metadata rows and the manifest's count must agree."""
        try:
            rows = self._db.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreCorruptError(f"{self.snapshot / META}: cannot be read ({exc})") from exc
        if not self.index.ntotal == rows == self.manifest.count:
            raise StoreCorruptError(
                f"{self.snapshot}: {self.index.ntotal} vectors, {rows} metadata rows, "
                f"manifest says {self.manifest.count}"
            )
        if self.index.d != self.manifest.dimension:
            raise StoreCorruptError(
                f"{self.snapshot}: vectors have dim {self.index.d}, manifest says "
                f"{self.manifest.dimension}"
            )

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k rows per query; `allowed` (row ids) restricts the search inside FAISS."""
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        k = max(1, min(k, len(self)))
        params = None
        if allowed is not None:
            if len(allowed) == 0:
                return np.empty((len(queries), 0), np.float32), np.empty(
                    (len(queries), 0), np.int64
                )
            selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            params = _search_params(self.index, selector)
        scores, rows = self.index.search(queries, k, params=params)
        return scores, rows

    def payloads(self, rows: Iterable[int] | None = None) -> list[dict[str, Any]]:
        """Payloads for `rows` in that order, or every payload in row order."""
        if rows is None:
            cursor = self._db.execute("SELECT payload FROM rows ORDER BY row")
            return [json.loads(p) for (p,) in cursor]
        rows = [int(r) for r in rows]
        found = (
            dict(
                self._db.execute(
                    f"SELECT row, payload FROM rows WHERE row IN ({','.join('?' * len(rows))})",
                    rows,
                ).fetchall()
            )
            if rows
            else {}
        )
        return [json.loads(found[r]) for r in rows]

    def rows_of(self, keys: Iterable[str]) -> dict[str, list[int]]:
        """Row ids per document key."""
        keys = list(keys)
        out: dict[str, list[int]] = {k: [] for k in keys}
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            cursor = self._db.execute(
                f"SELECT doc_key, row FROM rows WHERE doc_key IN ({','.join('?' * len(batch))}) "
                "ORDER BY row",
                batch,
            )
            for key, row in cursor:
                out[key].append(row)
        return out

    def vectors(self, rows: Sequence[int]) -> np.ndarray:
        """The stored vectors of `rows` (for reuse when a snapshot is rebuilt)."""
        if not len(rows):
            return np.empty((0, self.index.d), np.float32)
        return self.index.reconstruct_batch(np.asarray(rows, dtype=np.int64)).astype(np.float32)

    def document_keys(self) -> list[str]:
        return [key for (key,) in self._db.execute("SELECT key FROM documents ORDER BY key")]

    def documents(self) -> dict[str, dict[str, Any]]:
        cursor = self._db.execute("SELECT key, meta FROM documents")
        return {key: json.loads(meta) for key, meta in cursor}

    def document_values(self, keys: Sequence[str], path: str) -> dict[str, Any]:
        """The value at JSON `path` (e.g. "$.sha256") in the meta of each of `keys` stored here,
        read without loading whole documents."""
        out: dict[str, Any] = {}
        for start in range(0, len(keys), 500):
            batch = list(keys[start : start + 500])
            cursor = self._db.execute(
                f"SELECT key, json_extract(meta, ?) FROM documents "
                f"WHERE key IN ({','.join('?' * len(batch))})",
                [path, *batch],
            )
            out.update(cursor)
        return out

    def document(self, key: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT meta FROM documents WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def close(self) -> None:
        self._db.close()


def _search_params(index: faiss.Index, selector: faiss.IDSelector) -> faiss.SearchParameters:
    if isinstance(index, faiss.IndexHNSW):
        return faiss.SearchParametersHNSW(sel=selector, efSearch=max(index.hnsw.efSearch, 64))
    return faiss.SearchParameters(sel=selector)


def current_snapshot(root: Path) -> Path:
    """The snapshot the `current` link points at; StoreNotFoundError when none was built."""
    link = Path(root) / CURRENT
    if not link.is_symlink() and not link.exists():
        raise StoreNotFoundError(f"no index at {root}: run `imr ingest PATH --index {root}` first")
    target = link.resolve()
    if not target.is_dir():
        raise StoreCorruptError(f"{link} points at {target}, which is missing")
    return target
