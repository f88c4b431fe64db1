"""Writing snapshots: a new one is staged beside the live one, then swapped in atomically.

`SnapshotWriter` takes rows a batch at a time, so ingest memory does not grow with the corpus;
`write_snapshot` writes an index already built in memory. Either way a crash at any point leaves
the previous snapshot live and whole: the new one becomes visible only through the final rename.
A writer holds the index's lock (index/lock.py) from its first row to its swap, so the staging
folders it finds that are not its own were left by crashed runs, and it removes them.
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

from index.errors import StoreError
from index.lock import IndexLock
from index.manifest import MANIFEST, Manifest, file_sha256
from index.store import CURRENT, META, SNAPSHOTS, VECTORS, VectorStore, new_index, training_sample

RAW_VECTORS = "vectors.f32"  # only while a snapshot is being written
KEEP_SNAPSHOTS = 2  # the live one and its predecessor, which readers may still hold open
ADD_BLOCK = 4_096  # rows read from disk and added to FAISS at a time


class SnapshotWriter:
    """A snapshot written a batch at a time, then swapped in as the live one.

    Metadata rows go straight to SQLite and vectors to a raw float32 file, both in the staging
    folder, so memory stays flat however many rows are added; `commit` builds the FAISS index
    from that file in blocks and swaps `current` to the new snapshot atomically. A crash at any
    point (or an exception inside `with`) leaves the previous snapshot live and whole: the new
    one becomes visible only through the final rename.
    """

    def __init__(self, root: Path, dimension: int, lock: IndexLock | None = None) -> None:
        """`lock`: the index's lock, already held by the caller (an ingest holds it from before
        it reads the live snapshot); without one the writer takes it, or raises IndexBusyError.
        """
        self.root = Path(root)
        self.dimension = dimension
        self._own_lock = lock is None
        self.lock = IndexLock(self.root) if lock is None else lock
        if self._own_lock:
            self.lock.acquire()
        elif not self.lock.held:
            raise StoreError(f"the lock of {self.root} must be held to write a snapshot")
        try:
            self._stage()
        except BaseException:
            if self._own_lock:
                self.lock.release()
            raise
        self._written = 0  # vectors in the raw file, dropped ones included
        self._dropped: list[int] = []

    def _stage(self) -> None:
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
            index.train(training_sample(vectors[keep] if self._dropped else vectors))
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
        try:
            faiss.write_index(index, str(self.staging / VECTORS))
        except RuntimeError as exc:  # faiss reports a failed fwrite (a full disk) this way
            raise OSError(f"{self.staging / VECTORS} cannot be written: {exc}") from exc
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
        _prune(self.root, keep=self.snapshot)  # under the lock: other staging folders are stale
        if self._own_lock:
            self.lock.release()
        return self.snapshot

    def abort(self) -> None:
        """Throw the staging folder away; the live snapshot is untouched."""
        self._vectors.close()
        self._db.close()
        shutil.rmtree(self.staging, ignore_errors=True)
        if self._own_lock:
            self.lock.release()

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


def _reserve(index: faiss.Index, n: int) -> None:
    """Size the vector codes for `n` rows up front. Added block by block they would grow by
    doubling, the old and the new array both resident at each step: up to 3x their final size.
    (A std::vector keeps its capacity when resized down, so growing then emptying reserves.)"""
    storage = faiss.downcast_index(index.storage) if isinstance(index, faiss.IndexHNSW) else index
    codes = getattr(storage, "codes", None)
    if index.ntotal == 0 and codes is not None and hasattr(codes, "resize"):
        codes.resize(n * storage.code_size)
        codes.resize(0)
