"""FAISS vectors + SQLite metadata, written as immutable snapshots and swapped in atomically.

Every faiss call lives here. Row i of the FAISS index is row i of the `rows` table, and the
manifest records both counts and each file's sha256, so a load can prove the three agree.
Vectors are unit length, so inner product == cosine similarity.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.errors import StoreCorruptError, StoreError, StoreNotFoundError
from index.manifest import MANIFEST, Manifest, file_sha256

VECTORS = "vectors.faiss"
META = "meta.sqlite"
CURRENT = "current"
SNAPSHOTS = "snapshots"
KEEP_SNAPSHOTS = 2  # the live one and its predecessor, which readers may still hold open


# Chosen by `imr bench` on this 2-core machine (docs/BENCH.md): exact search stays under 10 ms
# up to about 40k vectors (19.7 ms p50 at 100k, 233 ms at 1M); above it HNSW over fp16 vectors,
# which at 1M measured recall@10 0.968 against exact, 0.40 ms p50, 912 bytes per vector.
FLAT_MAX = 40_000
HNSW_PARAMS = {"m": 32, "ef_construction": 80, "ef_search": 64}  # build_index's defaults
APPROXIMATE = ("hnsw_fp16", {"m": 16, "ef_construction": 80, "ef_search": 48})


def choose_index(n: int) -> tuple[str, dict[str, Any]]:
    """The index type and parameters for `n` vectors: exact up to FLAT_MAX, HNSW-fp16 above."""
    kind, params = APPROXIMATE
    return ("flat", {}) if n <= FLAT_MAX else (kind, dict(params))


def build_index(vectors: np.ndarray, index_type: str = "flat", **params: Any) -> faiss.Index:
    """A FAISS inner-product index over `vectors` (float32, unit length)."""
    dim = vectors.shape[1]
    if index_type == "flat":
        index = faiss.IndexFlatIP(dim)
    elif index_type == "hnsw":
        index = faiss.IndexHNSWFlat(
            dim, int(params.get("m", HNSW_PARAMS["m"])), faiss.METRIC_INNER_PRODUCT
        )
        index.hnsw.efConstruction = int(
            params.get("ef_construction", HNSW_PARAMS["ef_construction"])
        )
        index.hnsw.efSearch = int(params.get("ef_search", HNSW_PARAMS["ef_search"]))
    elif index_type in ("hnsw_sq8", "hnsw_fp16"):
        quantizer = (
            faiss.ScalarQuantizer.QT_8bit
            if index_type == "hnsw_sq8"
            else faiss.ScalarQuantizer.QT_fp16
        )
        index = faiss.IndexHNSWSQ(
            dim, quantizer, int(params.get("m", HNSW_PARAMS["m"])), faiss.METRIC_INNER_PRODUCT
        )
        index.hnsw.efConstruction = int(
            params.get("ef_construction", HNSW_PARAMS["ef_construction"])
        )
        index.hnsw.efSearch = int(params.get("ef_search", HNSW_PARAMS["ef_search"]))
        index.train(vectors)
    else:
        raise StoreError(
            f"unknown index type {index_type!r}; expected flat, hnsw, hnsw_sq8 or hnsw_fp16"
        )
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


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
        return np.vstack([self.index.reconstruct(int(r)) for r in rows]).astype(np.float32)

    def documents(self) -> dict[str, dict[str, Any]]:
        cursor = self._db.execute("SELECT key, meta FROM documents")
        return {key: json.loads(meta) for key, meta in cursor}

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


def write_snapshot(
    root: Path,
    index: faiss.Index,
    rows: Sequence[tuple[str, Mapping[str, Any]]],
    documents: Mapping[str, Mapping[str, Any]],
    manifest: Manifest,
) -> Path:
    """Write a new snapshot beside the live one, then swap `current` to it atomically.

    `rows[i]` is (document key, payload) of vector i. A crash at any point leaves the previous
    snapshot live and whole: the new one becomes visible only through the final rename.
    """
    if index.ntotal != len(rows):
        raise StoreError(f"{index.ntotal} vectors but {len(rows)} metadata rows")
    root = Path(root)
    (root / SNAPSHOTS).mkdir(parents=True, exist_ok=True)
    snapshot = root / SNAPSHOTS / f"{time.time_ns():020d}-{uuid.uuid4().hex[:6]}"
    staging = snapshot.with_name(snapshot.name + ".partial")
    staging.mkdir()
    faiss.write_index(index, str(staging / VECTORS))
    _write_meta(staging / META, rows, documents)
    files = {name: file_sha256(staging / name) for name in (VECTORS, META)}
    final = Manifest(**{**manifest.__dict__, "count": len(rows), "files": files})
    (staging / MANIFEST).write_text(final.to_json())
    for name in (VECTORS, META, MANIFEST):
        _fsync(staging / name)
    os.rename(staging, snapshot)
    _fsync(root / SNAPSHOTS)
    link_tmp = root / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
    os.symlink(Path(SNAPSHOTS) / snapshot.name, link_tmp)
    os.replace(link_tmp, root / CURRENT)  # the atomic swap
    _fsync(root)
    _prune(root, keep=snapshot)
    return snapshot


def _write_meta(
    path: Path,
    rows: Sequence[tuple[str, Mapping[str, Any]]],
    documents: Mapping[str, Mapping[str, Any]],
) -> None:
    db = sqlite3.connect(path)
    with db:
        db.execute(
            "CREATE TABLE rows (row INTEGER PRIMARY KEY, doc_key TEXT NOT NULL, payload TEXT)"
        )
        db.execute("CREATE TABLE documents (key TEXT PRIMARY KEY, meta TEXT NOT NULL)")
        db.executemany(
            "INSERT INTO rows VALUES (?, ?, ?)",
            ((i, key, json.dumps(payload)) for i, (key, payload) in enumerate(rows)),
        )
        db.executemany(
            "INSERT INTO documents VALUES (?, ?)",
            ((key, json.dumps(meta)) for key, meta in documents.items()),
        )
        db.execute("CREATE INDEX rows_doc ON rows(doc_key)")
    db.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(root: Path, keep: Path) -> None:
    """Remove old snapshots (all but the newest KEEP_SNAPSHOTS) and abandoned partial ones."""
    snapshots = root / SNAPSHOTS
    complete = sorted(p for p in snapshots.iterdir() if not p.name.endswith(".partial"))
    stale = [p for p in complete[:-KEEP_SNAPSHOTS] if p != keep]
    stale += [p for p in snapshots.iterdir() if p.name.endswith(".partial")]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    for leftover in root.glob(f".{CURRENT}.*"):
        leftover.unlink(missing_ok=True)
