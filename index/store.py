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
RAW_VECTORS = "vectors.f32"  # only while a snapshot is being written
CURRENT = "current"
SNAPSHOTS = "snapshots"
KEEP_SNAPSHOTS = 2  # the live one and its predecessor, which readers may still hold open


# Chosen by `imr bench` on this 2-core machine (docs/BENCH.md): exact search stays under 10 ms
# up to about 40k vectors (19.7 ms p50 at 100k, 233 ms at 1M); above it HNSW over fp16 vectors,
# which at 1M measured recall@10 0.968 against exact, 0.40 ms p50, 912 bytes per vector.
FLAT_MAX = 40_000
HNSW_PARAMS = {"m": 32, "ef_construction": 80, "ef_search": 64}  # build_index's defaults
APPROXIMATE = ("hnsw_fp16", {"m": 16, "ef_construction": 80, "ef_search": 48})
TRAIN_SAMPLE = 100_000  # rows a quantizer is trained on
ADD_BLOCK = 4_096  # rows read from disk and added to FAISS at a time


def choose_index(n: int) -> tuple[str, dict[str, Any]]:
    """The index type and parameters for `n` vectors: exact up to FLAT_MAX, HNSW-fp16 above."""
    kind, params = APPROXIMATE
    return ("flat", {}) if n <= FLAT_MAX else (kind, dict(params))


def build_index(vectors: np.ndarray, index_type: str = "flat", **params: Any) -> faiss.Index:
    """A FAISS inner-product index over `vectors` (float32, unit length)."""
    index = new_index(vectors.shape[1], index_type, **params)
    if not index.is_trained:
        index.train(_training_sample(vectors))
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


def _reserve(index: faiss.Index, n: int) -> None:
    """Size the vector codes for `n` rows up front. Added block by block they would grow by
    doubling, the old and the new array both resident at each step: up to 3x their final size.
    (A std::vector keeps its capacity when resized down, so growing then emptying reserves.)"""
    storage = faiss.downcast_index(index.storage) if isinstance(index, faiss.IndexHNSW) else index
    codes = getattr(storage, "codes", None)
    if index.ntotal == 0 and codes is not None and hasattr(codes, "resize"):
        codes.resize(n * storage.code_size)
        codes.resize(0)


def _training_sample(vectors: np.ndarray, size: int = TRAIN_SAMPLE) -> np.ndarray:
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


class SnapshotWriter:
    """A snapshot written a batch at a time, then swapped in as the live one.

    Metadata rows go straight to SQLite and vectors to a raw float32 file, both in the staging
    folder, so memory stays flat however many rows are added; `commit` builds the FAISS index
    from that file in blocks and swaps `current` to the new snapshot atomically. A crash at any
    point (or an exception inside `with`) leaves the previous snapshot live and whole: the new
    one becomes visible only through the final rename.
    """

    def __init__(self, root: Path, dimension: int) -> None:
        self.root = Path(root)
        self.dimension = dimension
        (self.root / SNAPSHOTS).mkdir(parents=True, exist_ok=True)
        self.snapshot = self.root / SNAPSHOTS / f"{time.time_ns():020d}-{uuid.uuid4().hex[:6]}"
        self.staging = self.snapshot.with_name(self.snapshot.name + ".partial")
        self.staging.mkdir()
        self._db = sqlite3.connect(self.staging / META)
        # A crash discards the staging folder, so SQLite need not journal or sync: commit
        # fsyncs the finished files before the swap.
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute(
            "CREATE TABLE rows (row INTEGER PRIMARY KEY, doc_key TEXT NOT NULL, payload TEXT)"
        )
        self._db.execute("CREATE TABLE documents (key TEXT PRIMARY KEY, meta TEXT NOT NULL)")
        self._db.execute("CREATE INDEX rows_doc ON rows(doc_key)")  # `drop` looks rows up by key
        self._vectors = (self.staging / RAW_VECTORS).open("wb")
        self._written = 0  # vectors in the raw file, dropped ones included
        self._dropped: list[int] = []

    def __enter__(self) -> SnapshotWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self.abort()

    @property
    def count(self) -> int:
        """Rows (== vectors) the snapshot will hold."""
        return self._written - len(self._dropped)

    def add(self, rows: Sequence[tuple[str, Mapping[str, Any]]], vectors: np.ndarray) -> None:
        """Append rows; `rows[i]` is (document key, payload) of `vectors[i]`."""
        if len(rows) != len(vectors):
            raise StoreError(f"{len(vectors)} vectors but {len(rows)} metadata rows")
        if len(vectors) and vectors.shape[1] != self.dimension:
            raise StoreError(f"vectors have dim {vectors.shape[1]}, the snapshot {self.dimension}")
        self._add_raw(((key, json.dumps(payload)) for key, payload in rows), vectors)

    def _add_raw(self, rows: Iterable[tuple[str, str]], vectors: np.ndarray) -> None:
        self._insert_rows(self._written, rows)
        self._vectors.write(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
        self._written += len(vectors)

    def _insert_rows(self, first: int, rows: Iterable[tuple[str, str]]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT INTO rows VALUES (?, ?, ?)",
                ((first + i, key, payload) for i, (key, payload) in enumerate(rows)),
            )

    def add_documents(self, documents: Mapping[str, Mapping[str, Any]]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO documents VALUES (?, ?)",
                ((key, json.dumps(meta)) for key, meta in documents.items()),
            )

    def array_lengths(self, path: str) -> int:
        """The sum over documents of the length of the JSON array at `path` in their meta."""
        total = self._db.execute(
            "SELECT SUM(json_array_length(meta, ?)) FROM documents", (path,)
        ).fetchone()[0]
        return int(total or 0)

    def has_document(self, key: str) -> bool:
        found = self._db.execute("SELECT 1 FROM documents WHERE key = ?", (key,)).fetchone()
        return found is not None

    def drop(self, key: str) -> None:
        """Remove a document and its rows added earlier in this snapshot."""
        rows = [r for (r,) in self._db.execute("SELECT row FROM rows WHERE doc_key = ?", (key,))]
        with self._db:
            self._db.execute("DELETE FROM rows WHERE doc_key = ?", (key,))
            self._db.execute("DELETE FROM documents WHERE key = ?", (key,))
        self._dropped += rows

    def copy_from(self, store: VectorStore, block: int = 4096) -> None:
        """Add every document of `store` this snapshot does not have, with its rows and vectors
        (copied as stored: nothing is decoded or re-embedded)."""
        self._db.execute("ATTACH DATABASE ? AS old", (f"file:{store.snapshot / META}?mode=ro",))
        try:
            kept = self._db.execute(
                "SELECT row, doc_key, payload FROM old.rows "
                "WHERE doc_key NOT IN (SELECT key FROM main.documents) ORDER BY row"
            )
            while batch := kept.fetchmany(block):
                ids = np.array([r for r, _, _ in batch], dtype=np.int64)
                self._add_raw(((key, payload) for _, key, payload in batch), store.vectors(ids))
            with self._db:
                self._db.execute(
                    "INSERT INTO main.documents SELECT key, meta FROM old.documents "
                    "WHERE key NOT IN (SELECT key FROM main.documents)"
                )
        finally:
            self._db.execute("DETACH DATABASE old")

    def commit(self, manifest: Manifest, index_type: str = "flat", **params: Any) -> Path:
        """Build the FAISS index from the added vectors, write the manifest, swap it in."""
        self._vectors.close()
        if self._dropped:
            self._renumber_rows()
        raw = self.staging / RAW_VECTORS
        keep = np.ones(self._written, bool)
        keep[self._dropped] = False
        index = new_index(self.dimension, index_type, **params)
        if not index.is_trained:
            vectors = np.memmap(raw, np.float32, "r", shape=(self._written, self.dimension))
            index.train(_training_sample(vectors[keep] if self._dropped else vectors))
            del vectors
        _reserve(index, self.count)
        # Plain reads, not a memory map: mapped pages would count as resident until unmapped.
        with raw.open("rb") as source:
            for start in range(0, self._written, ADD_BLOCK):
                block = np.fromfile(source, np.float32, ADD_BLOCK * self.dimension)
                block = block.reshape(-1, self.dimension)
                if self._dropped:
                    block = np.ascontiguousarray(block[keep[start : start + ADD_BLOCK]])
                index.add(block)
        raw.unlink()
        return self._publish(index, manifest, index_type, dict(params))

    def _publish(
        self, index: faiss.Index, manifest: Manifest, index_type: str, params: dict[str, Any]
    ) -> Path:
        rows = self._db.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
        documents = self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        self._db.close()
        if index.ntotal != rows:
            raise StoreError(f"{index.ntotal} vectors but {rows} metadata rows")
        faiss.write_index(index, str(self.staging / VECTORS))
        files = {name: file_sha256(self.staging / name) for name in (VECTORS, META)}
        final = Manifest(
            **{
                **manifest.__dict__,
                "count": rows,
                "documents": documents,
                "index_type": index_type,
                "index_params": params,
                "files": files,
            }
        )
        (self.staging / MANIFEST).write_text(final.to_json())
        for name in (VECTORS, META, MANIFEST):
            _fsync(self.staging / name)
        os.rename(self.staging, self.snapshot)
        _fsync(self.root / SNAPSHOTS)
        link_tmp = self.root / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
        os.symlink(Path(SNAPSHOTS) / self.snapshot.name, link_tmp)
        os.replace(link_tmp, self.root / CURRENT)  # the atomic swap
        _fsync(self.root)
        _prune(self.root, keep=self.snapshot)
        return self.snapshot

    def abort(self) -> None:
        """Throw the staging folder away; the live snapshot is untouched."""
        self._vectors.close()
        self._db.close()
        shutil.rmtree(self.staging, ignore_errors=True)

    def _renumber_rows(self) -> None:
        """Close the gaps `drop` left, so row i is again vector i."""
        with self._db:
            self._db.execute("ALTER TABLE rows RENAME TO sparse_rows")
            self._db.execute("DROP INDEX rows_doc")
            self._db.execute(
                "CREATE TABLE rows (row INTEGER PRIMARY KEY, doc_key TEXT NOT NULL, payload TEXT)"
            )
            self._db.execute(
                "INSERT INTO rows SELECT row_number() OVER (ORDER BY row) - 1, doc_key, payload "
                "FROM sparse_rows"
            )
            self._db.execute("DROP TABLE sparse_rows")
            self._db.execute("CREATE INDEX rows_doc ON rows(doc_key)")


def write_snapshot(
    root: Path,
    index: faiss.Index,
    rows: Sequence[tuple[str, Mapping[str, Any]]],
    documents: Mapping[str, Mapping[str, Any]],
    manifest: Manifest,
) -> Path:
    """Write a snapshot of an index built in memory (`rows[i]` describes vector i), swap it in."""
    if index.ntotal != len(rows):
        raise StoreError(f"{index.ntotal} vectors but {len(rows)} metadata rows")
    with SnapshotWriter(root, index.d) as writer:
        writer._insert_rows(0, ((key, json.dumps(payload)) for key, payload in rows))
        writer.add_documents(documents)
        writer._vectors.close()
        return writer._publish(index, manifest, manifest.index_type, manifest.index_params)


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
