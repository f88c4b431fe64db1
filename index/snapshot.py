"""Writing snapshots: a new one is staged beside the live one, then swapped in atomically.

A snapshot holds documents (what the caller stores whole), records (the units results are made
of, each belonging to a document, with token fields and value columns) and rows (the searchable
pieces, each of a record, with a vector and tokens). `SnapshotWriter` takes them a batch at a
time: JSON goes to SQLite, vectors and term ids to raw files in the staging folder, so memory
stays flat however many are added. `commit` builds what serving memory-maps (the FAISS index,
the BM25 index, term matrices, columns) and swaps `current` to the new snapshot. A crash at any
point (or an exception inside `with`) leaves the previous snapshot live and whole: the new one
becomes visible only through the final rename. A writer holds the index's lock (index/lock.py)
from its first row to its swap, so the staging folders it finds that are not its own were left
by crashed runs, and it removes them.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.errors import StoreError
from index.lock import IndexLock
from index.manifest import MANIFEST, Manifest, file_sha256
from index.store import (
    COLUMNS,
    CURRENT,
    LEXICAL,
    META,
    ROW_RECORD,
    SNAPSHOTS,
    VECTORS,
    VectorStore,
    new_index,
    training_sample,
)
from index.terms import CorpusStats, TermMatrix, Vocabulary, counted, write_bm25s

RAW_VECTORS = "vectors.f32"  # only while a snapshot is being written
KEEP_SNAPSHOTS = 2  # the live one and its predecessor, which readers may still hold open
ADD_BLOCK = 4_096  # rows read from disk and added to FAISS at a time
LOCK_FREE_PARTIAL = ".partial"


@dataclass(frozen=True)
class Row:
    """A searchable piece: its document, its record, a JSON payload and its tokens."""

    document: str
    record: str
    payload: Mapping[str, Any]
    tokens: Sequence[str]


@dataclass(frozen=True)
class Record:
    """A unit of results: a JSON body, token fields (for BM25 over the whole record) and value
    columns (for filters and counts), each a list of strings."""

    key: str
    document: str
    body: Mapping[str, Any]
    text: Mapping[str, Sequence[str]] = field(default_factory=dict)
    values: Mapping[str, Sequence[str]] = field(default_factory=dict)


class _Spool:
    """A term matrix appended to raw files one unit at a time (ids and counts)."""

    def __init__(self, folder: Path, name: str) -> None:
        self.paths = [folder / f"{name}.{part}.raw" for part in ("sizes", "terms", "counts")]
        self.files = [p.open("wb") for p in self.paths]

    def add(self, terms: np.ndarray, counts: np.ndarray) -> None:
        sizes, term_file, count_file = self.files
        sizes.write(np.int32(len(terms)).tobytes())
        term_file.write(np.asarray(terms, np.int32).tobytes())
        count_file.write(np.asarray(counts, np.uint16).tobytes())

    def add_matrix(self, matrix: TermMatrix) -> None:
        sizes, term_file, count_file = self.files
        sizes.write(np.diff(matrix.offsets).astype(np.int32).tobytes())
        term_file.write(np.asarray(matrix.terms, np.int32).tobytes())
        count_file.write(np.asarray(matrix.counts, np.uint16).tobytes())

    def close(self) -> None:
        for f in self.files:
            f.close()

    def read(self, keep: np.ndarray | None) -> TermMatrix:
        """The spooled matrix, only the units `keep` marks (all when None)."""
        self.close()
        sizes, terms, counts = (
            np.fromfile(path, dtype)
            for path, dtype in zip(self.paths, (np.int32, np.int32, np.uint16), strict=True)
        )
        offsets = np.zeros(len(sizes) + 1, np.int64)
        np.cumsum(sizes, out=offsets[1:])
        matrix = TermMatrix(offsets, terms, counts)
        if keep is not None and not keep.all():
            matrix = matrix.take(np.flatnonzero(keep))
        for path in self.paths:
            path.unlink()
        return matrix


class SnapshotWriter:
    """A snapshot written a batch at a time, then swapped in as the live one.

    `base` is the snapshot it will copy from (`copy_from`), whose vocabularies it extends, so
    the term ids and column codes copied from it stay valid.
    """

    def __init__(
        self,
        root: Path,
        dimension: int,
        *,
        base: VectorStore | None = None,
        lock: IndexLock | None = None,
    ) -> None:
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
            self._stage(base)
        except BaseException:
            if self._own_lock:
                self.lock.release()
            raise

    def _stage(self, base: VectorStore | None) -> None:
        (self.root / SNAPSHOTS).mkdir(parents=True, exist_ok=True)
        self.snapshot = self.root / SNAPSHOTS / f"{time.time_ns():020d}-{uuid.uuid4().hex[:6]}"
        self.staging = self.snapshot.with_name(self.snapshot.name + LOCK_FREE_PARTIAL)
        self.staging.mkdir()
        self._db = sqlite3.connect(self.staging / META)
        # A crash discards the staging folder, so SQLite need not journal or sync: commit
        # fsyncs the finished files before the swap.
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        for statement in _SCHEMA:
            self._db.execute(statement)
        self._vectors = (self.staging / RAW_VECTORS).open("wb")
        self.vocabulary = Vocabulary(base.vocabulary_tokens() if base else ())
        self.columns: dict[str, Vocabulary] = {
            name: Vocabulary(values)
            for name, values in (base.column_values() if base else {}).items()
        }
        self._rows = _Spool(self.staging, "rows")
        self._fields: dict[str, _Spool] = {}
        self._field_names = base.text_fields() if base else ()
        self._column_spools: dict[str, _Spool] = {}
        self._written = 0  # vectors in the raw file, dropped ones included
        self._records = 0  # records written, dropped ones included
        self._dropped_rows: list[int] = []
        self._dropped_records: list[int] = []

    def __enter__(self) -> SnapshotWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self.abort()

    @property
    def count(self) -> int:
        """Rows (== vectors) the snapshot will hold."""
        return self._written - len(self._dropped_rows)

    # Adding ------------------------------------------------------------------------------------

    def add(self, rows: Sequence[Row], vectors: np.ndarray) -> None:
        """Append rows; `rows[i]` is described by `vectors[i]`."""
        if len(rows) != len(vectors):
            raise StoreError(f"{len(vectors)} vectors but {len(rows)} rows")
        if len(vectors) and vectors.shape[1] != self.dimension:
            raise StoreError(f"vectors have dim {vectors.shape[1]}, the snapshot {self.dimension}")
        for row in rows:
            self._rows.add(*counted(self.vocabulary.add(list(row.tokens))))
        self._insert_rows(
            self._written,
            [(r.document, r.record, json.dumps(r.payload)) for r in rows],
        )
        self._vectors.write(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
        self._written += len(vectors)

    def add_records(self, records: Sequence[Record]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT INTO records VALUES (?, ?, ?, ?)",
                (
                    (self._records + n, r.key, r.document, json.dumps(r.body))
                    for n, r in enumerate(records)
                ),
            )
        for record in records:
            self._spool_fields(record)
            self._records += 1

    def add_documents(self, documents: Mapping[str, Mapping[str, Any]]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO documents VALUES (?, ?)",
                ((key, json.dumps(meta)) for key, meta in documents.items()),
            )

    def has_document(self, key: str) -> bool:
        found = self._db.execute("SELECT 1 FROM documents WHERE key = ?", (key,)).fetchone()
        return found is not None

    def drop(self, key: str) -> None:
        """Remove a document, its records and its rows added earlier in this snapshot."""
        rows = [r for (r,) in self._db.execute("SELECT row FROM rows WHERE document = ?", (key,))]
        records = self._db.execute("SELECT pos FROM records WHERE document = ?", (key,))
        positions = [p for (p,) in records]
        with self._db:
            self._db.execute("DELETE FROM rows WHERE document = ?", (key,))
            self._db.execute("DELETE FROM records WHERE document = ?", (key,))
            self._db.execute("DELETE FROM documents WHERE key = ?", (key,))
        self._dropped_rows += rows
        self._dropped_records += positions

    def copy_from(
        self, store: VectorStore, rows_only: Sequence[str] = (), block: int = 4096
    ) -> None:
        """Add every document of `store` this snapshot does not have, with its records, rows,
        vectors and term ids (copied as stored: nothing is decoded, re-tokenised or embedded).
        Of the documents in `rows_only` (rewritten here with new records), only the rows."""
        self._db.execute("ATTACH DATABASE ? AS old", (f"file:{store.snapshot / META}?mode=ro",))
        self._db.execute("CREATE TEMP TABLE rows_only (key TEXT PRIMARY KEY)")
        self._db.executemany("INSERT INTO rows_only VALUES (?)", ((k,) for k in rows_only))
        try:
            kept_records = [
                pos
                for (pos,) in self._db.execute(
                    "SELECT pos FROM old.records "
                    "WHERE document NOT IN (SELECT key FROM main.documents) ORDER BY pos"
                )
            ]
            for start in range(0, len(kept_records), block):
                self._copy_records(store, np.array(kept_records[start : start + block]))
            kept = self._db.execute(
                "SELECT row, document, record, payload FROM old.rows "
                "WHERE document NOT IN (SELECT key FROM main.documents) "
                "OR document IN (SELECT key FROM rows_only) ORDER BY row"
            )
            while batch := kept.fetchmany(block):
                ids = np.array([r for r, _, _, _ in batch], dtype=np.int64)
                self._rows.add_matrix(store.row_terms().take(ids))
                self._insert_rows(self._written, [tuple(b[1:]) for b in batch])
                vectors = store.vectors(ids)
                self._vectors.write(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
                self._written += len(ids)
            with self._db:
                self._db.execute(
                    "INSERT INTO main.documents SELECT key, meta FROM old.documents "
                    "WHERE key NOT IN (SELECT key FROM main.documents)"
                )
        finally:
            self._db.execute("DROP TABLE temp.rows_only")
            self._db.execute("DETACH DATABASE old")

    def _copy_records(self, store: VectorStore, positions: np.ndarray) -> None:
        nothing = TermMatrix.empty(len(positions))
        fields, columns = store.text_fields(), store.column_values()
        for name in self._field_names:
            terms = store.record_terms(name).take(positions) if name in fields else nothing
            self._field_spool(name).add_matrix(terms)
        for name in self.columns:
            codes = store.column(name).matrix.take(positions) if name in columns else nothing
            self._column_spool(name).add_matrix(codes)
        placeholders = ",".join("?" * len(positions))
        old = self._db.execute(
            f"SELECT key, document, body FROM old.records WHERE pos IN ({placeholders}) "
            "ORDER BY pos",
            positions.tolist(),
        ).fetchall()
        with self._db:
            self._db.executemany(
                "INSERT INTO records VALUES (?, ?, ?, ?)",
                ((self._records + n, *values) for n, values in enumerate(old)),
            )
        self._records += len(old)

    def _spool_fields(self, record: Record) -> None:
        """Spool `record`'s text fields and values (it is record number `self._records`)."""
        names = set(record.text) | set(self._field_names)
        if names != set(self._field_names):
            if self._records:
                raise StoreError(f"record {record.key} has text fields {sorted(record.text)}")
            self._field_names = tuple(sorted(names))
        for name in self._field_names:
            ids = self.vocabulary.add(list(record.text.get(name, ())))
            self._field_spool(name).add(*counted(ids))
        for name in sorted(set(record.values) | set(self.columns)):
            vocabulary = self.columns.setdefault(name, Vocabulary())
            codes = vocabulary.add(list(dict.fromkeys(record.values.get(name, ()))))
            self._column_spool(name).add(np.sort(codes), np.ones(len(codes), np.uint16))

    def _field_spool(self, name: str) -> _Spool:
        if name not in self._fields:
            self._fields[name] = _Spool(self.staging, f"field-{name}")
        return self._fields[name]

    def _column_spool(self, name: str) -> _Spool:
        if name not in self._column_spools:
            spool = self._column_spools[name] = _Spool(self.staging, f"column-{name}")
            for _ in range(self._records):  # records written before this column existed
                spool.add(np.empty(0, np.int32), np.empty(0, np.uint16))
        return self._column_spools[name]

    def _insert_rows(self, first: int, rows: Sequence[tuple[str, str, str]]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT INTO rows VALUES (?, ?, ?, ?)",
                ((first + i, *row) for i, row in enumerate(rows)),
            )

    # Committing --------------------------------------------------------------------------------

    def commit(self, manifest: Manifest, index_type: str = "flat", **params: Any) -> Path:
        """Build the indexes from what was added, write the manifest, swap the snapshot in."""
        self._vectors.close()
        keep_rows = _keep(self._written, self._dropped_rows)
        keep_records = _keep(self._records, self._dropped_records)
        _renumber(self._db, "rows", "row", bool(self._dropped_rows))
        _renumber(self._db, "records", "pos", bool(self._dropped_records))
        index = self._build_vectors(index_type, params, keep_rows)
        row_terms = self._rows.read(keep_rows)
        lexical = self.staging / LEXICAL
        write_bm25s(lexical, row_terms, self.vocabulary)
        row_terms.save(lexical, "rows")
        self._write_records(keep_records)
        return self._publish(index, manifest, index_type, dict(params))

    def _build_vectors(self, index_type: str, params: dict, keep: np.ndarray) -> faiss.Index:
        raw = self.staging / RAW_VECTORS
        index = new_index(self.dimension, index_type, **params)
        if not index.is_trained:
            vectors = np.memmap(raw, np.float32, "r", shape=(self._written, self.dimension))
            index.train(training_sample(vectors[keep] if not keep.all() else vectors))
            del vectors
        _reserve(index, int(keep.sum()))
        # Plain reads, not a memory map: mapped pages would count as resident until unmapped.
        with raw.open("rb") as source:
            for start in range(0, self._written, ADD_BLOCK):
                block = np.fromfile(source, np.float32, ADD_BLOCK * self.dimension)
                block = block.reshape(-1, self.dimension)
                if not keep.all():
                    block = np.ascontiguousarray(block[keep[start : start + ADD_BLOCK]])
                index.add(block)
        raw.unlink()
        return index

    def _write_records(self, keep: np.ndarray) -> None:
        lexical, columns = self.staging / LEXICAL, self.staging / COLUMNS
        columns.mkdir()
        fields = {}
        for name in self._field_names:
            matrix = self._field_spool(name).read(keep)
            matrix.save(lexical, f"field-{name}")
            CorpusStats.of(matrix, len(self.vocabulary)).save(lexical, f"field-{name}")
            fields[name] = len(matrix)
        for name in self.columns:
            self._column_spool(name).read(keep).save(columns, name)
        described = {name: v.tokens for name, v in self.columns.items()}
        (columns / "columns.json").write_text(json.dumps(described, ensure_ascii=False))
        (lexical / "fields.json").write_text(json.dumps(sorted(fields)))
        row_record = np.array(
            [
                pos
                for (pos,) in self._db.execute(
                    "SELECT records.pos FROM rows JOIN records ON records.key = rows.record "
                    "ORDER BY rows.row"
                )
            ],
            np.int32,
        )
        np.save(self.staging / ROW_RECORD, row_record)

    def _publish(
        self, index: faiss.Index, manifest: Manifest, index_type: str, params: dict[str, Any]
    ) -> Path:
        rows = self._db.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
        records = self._db.execute("SELECT COUNT(*) FROM records").fetchone()[0]
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
                "records": records,
                "documents": documents,
                "index_type": index_type,
                "index_params": params,
                "files": files,
            }
        )
        (self.staging / MANIFEST).write_text(final.to_json())
        for path in sorted(self.staging.rglob("*")):
            if path.is_file():
                _fsync(path)
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
        for spool in (self._rows, *self._fields.values(), *self._column_spools.values()):
            spool.close()
        self._db.close()
        shutil.rmtree(self.staging, ignore_errors=True)
        if self._own_lock:
            self.lock.release()


_SCHEMA = (
    "CREATE TABLE documents (key TEXT PRIMARY KEY, meta TEXT NOT NULL)",
    "CREATE TABLE records (pos INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, "
    "document TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE INDEX records_document ON records(document)",
    "CREATE TABLE rows (row INTEGER PRIMARY KEY, document TEXT NOT NULL, record TEXT NOT NULL, "
    "payload TEXT)",
    "CREATE INDEX rows_document ON rows(document)",  # `drop` looks rows up by document
)


def _keep(total: int, dropped: Sequence[int]) -> np.ndarray:
    keep = np.ones(total, bool)
    keep[list(dropped)] = False
    return keep


def _renumber(db: sqlite3.Connection, table: str, key: str, needed: bool) -> None:
    """Close the gaps `drop` left, so position i is again the i-th kept one."""
    if not needed:
        return
    with db:
        db.execute(
            f"UPDATE {table} SET {key} = -1 - numbered.n FROM "
            f"(SELECT {key} AS old, row_number() OVER (ORDER BY {key}) - 1 AS n FROM {table}) "
            f"AS numbered WHERE {table}.{key} = numbered.old"
        )
        db.execute(f"UPDATE {table} SET {key} = -1 - {key}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(root: Path, keep: Path) -> None:
    """Remove old snapshots (all but the newest KEEP_SNAPSHOTS) and abandoned partial ones."""
    snapshots = root / SNAPSHOTS
    complete = sorted(p for p in snapshots.iterdir() if not p.name.endswith(LOCK_FREE_PARTIAL))
    stale = [p for p in complete[:-KEEP_SNAPSHOTS] if p != keep]
    stale += [p for p in snapshots.iterdir() if p.name.endswith(LOCK_FREE_PARTIAL)]
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
