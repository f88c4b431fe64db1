"""A snapshot on disk, opened for search: FAISS vectors, a BM25 index, term matrices and value
columns (all memory-mapped), and SQLite for JSON read on demand (index/snapshot.py writes them).

The index types and the choice by size live here. Row i of the FAISS index is row i of the
`rows` table and of every per-row array, and the manifest records the counts and the files'
sha256, so a load can prove they agree. Vectors are unit length: inner product == cosine.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import faiss
import numpy as np

from index.errors import StoreCorruptError, StoreError, StoreNotFoundError
from index.manifest import Manifest, file_sha256
from index.terms import CorpusStats, TermMatrix, bm25_of

logging.getLogger("bm25s").setLevel(logging.WARNING)

VECTORS = "vectors.faiss"
META = "meta.sqlite"
LEXICAL = "lexical"  # the rows' BM25 index (bm25s format), term matrices, field statistics
COLUMNS = "columns"  # records' value columns
ROW_RECORD = "row_record.npy"
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


@dataclass(frozen=True)
class Column:
    """A value column of the records: each record's codes (CSR) and what each code stands for."""

    matrix: TermMatrix  # record -> codes (counts are all 1)
    values: tuple[str, ...]  # code -> value

    def codes_where(self, test: Callable[[str], bool]) -> np.ndarray:
        return np.array([code for code, value in enumerate(self.values) if test(value)], np.int32)

    def mask(self, codes: np.ndarray, records: np.ndarray | None = None) -> np.ndarray:
        """Which records hold any of `codes`: over all records, or over `records` (positions;
        the answer is then one per position, and the cost does not grow with the corpus)."""
        offsets = self.matrix.offsets
        if records is None:
            n = len(self.matrix)
            hit = np.isin(self.matrix.terms, codes)
            owners = np.repeat(np.arange(n), np.diff(offsets))[hit]
            out = np.zeros(n, bool)
        else:
            starts, lengths = offsets[records], offsets[records + 1] - offsets[records]
            owner = np.repeat(np.arange(len(records)), lengths)
            within = np.arange(len(owner)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            hit = np.isin(self.matrix.terms[np.repeat(starts, lengths) + within], codes)
            owners = owner[hit]
            out = np.zeros(len(records), bool)
        out[owners] = True
        return out

    def counts(self, records: np.ndarray | None = None) -> np.ndarray:
        """How many of `records` (a bool mask; all when None) hold each code."""
        terms = self.matrix.terms
        if records is not None:
            terms = terms[np.repeat(records, np.diff(self.matrix.offsets))]
        return np.bincount(terms, minlength=len(self.values))


class VectorStore:
    """A loaded snapshot. Everything per row or record stays on disk (memory-mapped arrays and
    SQLite) until a query asks for it; nothing per row becomes a Python object."""

    def __init__(self, snapshot: Path, index: faiss.Index, manifest: Manifest) -> None:
        self.snapshot = snapshot
        self.index = index
        self.manifest = manifest
        self._db = sqlite3.connect(
            f"file:{snapshot / META}?mode=ro", uri=True, check_same_thread=False
        )
        self._lexical: bm25s.BM25 | None = None
        self._cache: dict[str, Any] = {}

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
            # Memory-mapped: the vectors stay in the page cache, shared by every process and
            # snapshot that reads them, instead of each holding a private copy.
            index = faiss.read_index(str(snapshot / VECTORS), faiss.IO_FLAG_MMAP_IFC)
        except RuntimeError as exc:
            raise StoreCorruptError(f"{snapshot / VECTORS}: cannot be read ({exc})") from exc
        store = cls(snapshot, index, manifest)
        store.check_consistent()
        return store

    def check_consistent(self) -> None:
        """Vectors, metadata rows, the row map and the manifest's counts must agree."""
        try:
            rows = self._db.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
            records = self._db.execute("SELECT COUNT(*) FROM records").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreCorruptError(f"{self.snapshot / META}: cannot be read ({exc})") from exc
        if not self.index.ntotal == rows == self.manifest.count:
            raise StoreCorruptError(
                f"{self.snapshot}: {self.index.ntotal} vectors, {rows} metadata rows, "
                f"manifest says {self.manifest.count}"
            )
        if records != self.manifest.records:
            raise StoreCorruptError(
                f"{self.snapshot}: {records} records, manifest says {self.manifest.records}"
            )
        if self.index.d != self.manifest.dimension:
            raise StoreCorruptError(
                f"{self.snapshot}: vectors have dim {self.index.d}, manifest says "
                f"{self.manifest.dimension}"
            )
        try:
            row_records = self.row_records
        except (OSError, ValueError) as exc:
            problem = f"{self.snapshot / ROW_RECORD}: cannot be read ({exc})"
            raise StoreCorruptError(problem) from exc
        if len(row_records) != rows:
            raise StoreCorruptError(f"{self.snapshot / ROW_RECORD}: {len(row_records)} of {rows}")

    def __len__(self) -> int:
        return int(self.index.ntotal)

    @property
    def records(self) -> int:
        return self.manifest.records

    # Vectors -----------------------------------------------------------------------------------

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

    def vectors(self, rows: Sequence[int]) -> np.ndarray:
        """The stored vectors of `rows` (for reuse when a snapshot is rebuilt)."""
        if not len(rows):
            return np.empty((0, self.index.d), np.float32)
        return self.index.reconstruct_batch(np.asarray(rows, dtype=np.int64)).astype(np.float32)

    # Lexical -----------------------------------------------------------------------------------

    @property
    def lexical(self) -> bm25s.BM25:
        """The rows' BM25 index, memory-mapped (built at ingest: nothing is tokenised here)."""
        if self._lexical is None:
            self._lexical = bm25s.BM25.load(self.snapshot / LEXICAL, mmap=True, show_progress=False)
        return self._lexical

    def lexical_scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every row for the query `tokens` (0 for rows sharing none)."""
        ids = self.lexical.get_tokens_ids(list(tokens))
        if not ids:
            return np.zeros(len(self), np.float32)
        return self.lexical.get_scores_from_ids(ids)

    def term_ids(self, tokens: Sequence[str]) -> np.ndarray:
        """Ids of the known `tokens` in this snapshot's vocabulary (repeats kept)."""
        return np.array(self.lexical.get_tokens_ids(list(tokens)), np.int32)

    def vocabulary_tokens(self) -> list[str]:
        """Every token, in id order (a new snapshot extends this vocabulary)."""
        vocab = self.lexical.vocab_dict
        tokens = [""] * len(vocab)
        for token, i in vocab.items():
            tokens[i] = token
        return tokens

    def row_terms(self) -> TermMatrix:
        return self._cached("rows", lambda: TermMatrix.load(self.snapshot / LEXICAL, "rows"))

    def text_fields(self) -> tuple[str, ...]:
        path = self.snapshot / LEXICAL / "fields.json"
        return tuple(json.loads(path.read_text())) if path.is_file() else ()

    def record_terms(self, field: str) -> TermMatrix:
        """Each record's term counts in text field `field`."""
        return self._cached(
            f"field-{field}", lambda: TermMatrix.load(self.snapshot / LEXICAL, f"field-{field}")
        )

    def record_stats(self, field: str) -> CorpusStats:
        """Corpus statistics of text field `field` (computed at ingest)."""
        return self._cached(
            f"stats-{field}", lambda: CorpusStats.load(self.snapshot / LEXICAL, f"field-{field}")
        )

    def record_bm25(self, field: str, records: np.ndarray, tokens: Sequence[str]) -> np.ndarray:
        """BM25 of `records` in text field `field` for the query `tokens`."""
        query = self.term_ids(tokens)
        return bm25_of(self.record_terms(field), records, query, self.record_stats(field))

    # Records and columns -----------------------------------------------------------------------

    @property
    def row_records(self) -> np.ndarray:
        """The record each row belongs to (memory-mapped)."""
        return self._cached("row_records", lambda: np.load(self.snapshot / ROW_RECORD, "r"))

    def column_values(self) -> dict[str, tuple[str, ...]]:
        path = self.snapshot / COLUMNS / "columns.json"
        return self._cached(
            "columns",
            lambda: (
                {k: tuple(v) for k, v in json.loads(path.read_text()).items()}
                if path.is_file()
                else {}
            ),
        )

    def column(self, name: str) -> Column:
        values = self.column_values()
        if name not in values:
            raise StoreError(f"{self.snapshot}: no column {name!r} (has {sorted(values)})")
        return self._cached(
            f"column-{name}",
            lambda: Column(TermMatrix.load(self.snapshot / COLUMNS, name), values[name]),
        )

    def record_bodies(self, positions: Sequence[int]) -> list[tuple[str, dict[str, Any]]]:
        """(key, body) of the records at `positions`, in that order."""
        positions = [int(p) for p in positions]
        found: dict[int, tuple[str, str]] = {}
        for start in range(0, len(positions), 500):
            batch = positions[start : start + 500]
            cursor = self._db.execute(
                f"SELECT pos, key, body FROM records WHERE pos IN ({','.join('?' * len(batch))})",
                batch,
            )
            found.update((pos, (key, body)) for pos, key, body in cursor)
        return [(found[p][0], json.loads(found[p][1])) for p in positions]

    def record_positions(self, keys: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for start in range(0, len(keys), 500):
            batch = list(keys[start : start + 500])
            cursor = self._db.execute(
                f"SELECT key, pos FROM records WHERE key IN ({','.join('?' * len(batch))})", batch
            )
            out.update(cursor)
        return out

    def record_keys_at(self, positions: Sequence[int]) -> list[str]:
        """The keys of the records at `positions`, in that order."""
        positions = [int(p) for p in positions]
        found = self._select_in("SELECT pos, key FROM records WHERE pos IN ({})", positions)
        return [found[p] for p in positions]

    def record_keys(self) -> list[str]:
        return [key for (key,) in self._db.execute("SELECT key FROM records ORDER BY pos")]

    def record_documents(self) -> np.ndarray:
        """Per record position, a number standing for its document (one document's records
        share it). Read on first use, one pass over the records table (~1 s per million)."""

        def load() -> np.ndarray:
            numbers: dict[str, int] = {}
            out = np.empty(self.records, np.int32)
            for pos, document in self._db.execute("SELECT pos, document FROM records"):
                out[pos] = numbers.setdefault(document, len(numbers))
            return out

        return self._cached("record_documents", load)

    def records_of(self, document: str) -> list[dict[str, Any]]:
        """The bodies of a document's records, in the order they were added."""
        cursor = self._db.execute(
            "SELECT body FROM records WHERE document = ? ORDER BY pos", (document,)
        )
        return [json.loads(body) for (body,) in cursor]

    # Rows and documents ------------------------------------------------------------------------

    def payloads(self, rows: Iterable[int] | None = None) -> list[dict[str, Any]]:
        """Payloads for `rows` in that order, or every payload in row order."""
        if rows is None:
            cursor = self._db.execute("SELECT payload FROM rows ORDER BY row")
            return [json.loads(p) for (p,) in cursor]
        rows = [int(r) for r in rows]
        found = self._select_in("SELECT row, payload FROM rows WHERE row IN ({})", rows)
        return [json.loads(found[r]) for r in rows]

    def _select_in(self, sql: str, keys: list[int], batch: int = 500) -> dict[int, str]:
        """`sql` (two columns, "IN ({})" for the keys) run over `keys` in batches, as a dict."""
        found: dict[int, str] = {}
        for start in range(0, len(keys), batch):
            part = keys[start : start + batch]
            found.update(self._db.execute(sql.format(",".join("?" * len(part))), part))
        return found

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
        self._cache.clear()
        self._lexical = None

    def _cached(self, key: str, load: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]


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
