"""Term statistics on disk: a vocabulary, per-unit term counts, and BM25 over them.

A unit is whatever the caller indexes (a row, a record's field). `TermMatrix` holds each unit's
term ids and counts (CSR: `offsets`, `terms`, `counts`), saved as .npy and memory-mapped when
loaded, so nothing per unit becomes a Python object. Term ids come from a `Vocabulary` that only
grows: a new snapshot starts from its predecessor's, so the old matrices stay valid and are
copied as arrays, never re-tokenised.

`write_bm25s` turns a matrix into the eager BM25 index bm25s saves (a units x terms CSC of
precomputed scores, Lucene variant) so `bm25s.BM25.load(mmap=True)` serves it; `bm25_of`
scores a few units against a query with stored corpus statistics (the re-ranker's need).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

K1, B = 1.5, 0.75  # bm25s's defaults, kept so rankings match what bm25s.index built before
VOCAB_FILE = "vocab.json"


class Vocabulary:
    """Token -> id, append-only."""

    def __init__(self, tokens: Iterable[str] = ()) -> None:
        self.tokens: list[str] = list(tokens)
        self.ids: dict[str, int] = {t: i for i, t in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    def add(self, tokens: Sequence[str]) -> np.ndarray:
        """Ids of `tokens` (in order, repeats kept), adding the ones not seen yet."""
        ids = self.ids
        out = np.empty(len(tokens), np.int32)
        for n, token in enumerate(tokens):
            found = ids.get(token)
            if found is None:
                found = ids[token] = len(self.tokens)
                self.tokens.append(token)
            out[n] = found
        return out

    def lookup(self, tokens: Sequence[str]) -> np.ndarray:
        """Ids of the known `tokens` (repeats kept, unknown ones dropped)."""
        return np.array([self.ids[t] for t in tokens if t in self.ids], np.int32)

    def save(self, folder: Path) -> None:
        (folder / VOCAB_FILE).write_text(json.dumps(self.tokens, ensure_ascii=False))

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        return cls(json.loads((folder / VOCAB_FILE).read_text()))


def counted(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct term ids, how often each occurs) of one unit's token ids."""
    terms, counts = np.unique(ids, return_counts=True)
    return terms.astype(np.int32), counts.astype(np.uint16)


@dataclass(frozen=True)
class TermMatrix:
    """Units x terms counts in CSR: unit u has terms[offsets[u]:offsets[u+1]] and their counts."""

    offsets: np.ndarray  # int64, n_units + 1
    terms: np.ndarray  # int32
    counts: np.ndarray  # uint16

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def lengths(self) -> np.ndarray:
        """Tokens per unit, repeats included (BM25's document length)."""
        owners = np.repeat(np.arange(len(self)), np.diff(self.offsets))  # empty units too
        return np.bincount(owners, weights=self.counts, minlength=len(self)).astype(np.int64)

    @classmethod
    def empty(cls, units: int = 0) -> TermMatrix:
        """A matrix of `units` units holding no term."""
        return cls(np.zeros(units + 1, np.int64), np.empty(0, np.int32), np.empty(0, np.uint16))

    @classmethod
    def concat(cls, parts: Sequence[TermMatrix]) -> TermMatrix:
        parts = [p for p in parts if len(p)]
        if not parts:
            return cls.empty()
        sizes = np.concatenate([np.diff(p.offsets) for p in parts])
        offsets = np.zeros(len(sizes) + 1, np.int64)
        np.cumsum(sizes, out=offsets[1:])
        return cls(
            offsets,
            np.concatenate([p.terms for p in parts]),
            np.concatenate([p.counts for p in parts]),
        )

    def take(self, units: np.ndarray) -> TermMatrix:
        """The matrix of `units` (in that order)."""
        units = np.asarray(units, np.int64)
        starts, ends = self.offsets[units], self.offsets[units + 1]
        sizes = ends - starts
        offsets = np.zeros(len(units) + 1, np.int64)
        np.cumsum(sizes, out=offsets[1:])
        index = np.repeat(starts - offsets[:-1], sizes) + np.arange(offsets[-1])
        return TermMatrix(offsets, self.terms[index], self.counts[index])

    def document_frequencies(self, n_terms: int) -> np.ndarray:
        """In how many units each term occurs."""
        return np.bincount(self.terms, minlength=n_terms).astype(np.int32)

    def save(self, folder: Path, name: str) -> None:
        for part in ("offsets", "terms", "counts"):
            np.save(folder / f"{name}.{part}.npy", getattr(self, part))

    @classmethod
    def load(cls, folder: Path, name: str) -> TermMatrix:
        parts = {p: np.load(folder / f"{name}.{p}.npy", mmap_mode="r") for p in _PARTS}
        return cls(**parts)


_PARTS = ("offsets", "terms", "counts")


@dataclass(frozen=True)
class CorpusStats:
    """What BM25 needs of a whole collection of units."""

    units: int
    average_length: float
    document_frequencies: np.ndarray  # per term id

    @classmethod
    def of(cls, matrix: TermMatrix, n_terms: int) -> CorpusStats:
        lengths = matrix.lengths
        average = float(lengths.mean()) if len(lengths) else 0.0
        return cls(len(matrix), average, matrix.document_frequencies(n_terms))

    def idf(self) -> np.ndarray:
        """Lucene's idf per term: ln(1 + (N - df + 0.5) / (df + 0.5))."""
        df = self.document_frequencies.astype(np.float64)
        return np.log1p((self.units - df + 0.5) / (df + 0.5))

    def save(self, folder: Path, name: str) -> None:
        np.save(folder / f"{name}.df.npy", self.document_frequencies)
        (folder / f"{name}.stats.json").write_text(
            json.dumps({"units": self.units, "average_length": self.average_length})
        )

    @classmethod
    def load(cls, folder: Path, name: str) -> CorpusStats:
        meta = json.loads((folder / f"{name}.stats.json").read_text())
        df = np.load(folder / f"{name}.df.npy", mmap_mode="r")
        return cls(meta["units"], meta["average_length"], df)


def bm25_weights(matrix: TermMatrix, stats: CorpusStats) -> np.ndarray:
    """BM25 (Lucene) score of each (unit, term) entry of `matrix`, as float32.

    Computed as bm25s computes it (idf rounded to float32, the rest in float64), so an index
    written here ranks exactly as one `bm25s.BM25.index` built."""
    lengths = np.repeat(matrix.lengths, np.diff(matrix.offsets)).astype(np.float64)
    tf = matrix.counts.astype(np.float64)
    norm = K1 * ((1 - B) + B * lengths / stats.average_length) if stats.average_length else K1
    idf = stats.idf().astype(np.float32)[matrix.terms].astype(np.float64)
    return (idf * (tf / (norm + tf))).astype(np.float32)


def bm25_of(
    matrix: TermMatrix, units: np.ndarray, query: np.ndarray, stats: CorpusStats
) -> np.ndarray:
    """BM25 of each of `units` for the query term ids `query` (repeats count, as in bm25s)."""
    part = matrix.take(units)
    if not len(query) or not len(part.terms):
        return np.zeros(len(units), np.float32)
    size = int(max(part.terms.max(), query.max())) + 1
    times_asked = np.bincount(query, minlength=size)[part.terms]
    unit_of = np.repeat(np.arange(len(units)), np.diff(part.offsets))
    weights = bm25_weights(part, stats) * times_asked
    return np.bincount(unit_of, weights=weights, minlength=len(units)).astype(np.float32)


def write_bm25s(folder: Path, matrix: TermMatrix, vocabulary: Vocabulary) -> CorpusStats:
    """Save `matrix` as bm25s's eager index (Lucene BM25, k1=1.5, b=0.75) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    n_terms = len(vocabulary)
    stats = CorpusStats.of(matrix, n_terms)
    weights = bm25_weights(matrix, stats)
    units = np.repeat(np.arange(len(matrix), dtype=np.int32), np.diff(matrix.offsets))
    order = np.argsort(matrix.terms, kind="stable")  # by term, then unit: a CSC's layout
    indptr = np.zeros(n_terms + 1, np.int64)
    np.cumsum(stats.document_frequencies, out=indptr[1:])
    np.save(folder / "data.csc.index.npy", weights[order])
    np.save(folder / "indices.csc.index.npy", units[order])
    np.save(folder / "indptr.csc.index.npy", indptr)
    vocab = {token: i for i, token in enumerate(vocabulary.tokens)}
    (folder / "vocab.index.json").write_text(json.dumps(vocab, ensure_ascii=False))
    params = {
        "k1": K1,
        "b": B,
        "delta": 0.5,
        "method": "lucene",
        "idf_method": "lucene",
        "dtype": "float32",
        "int_dtype": "int32",
        "num_docs": len(matrix),
        "backend": "numpy",
    }
    (folder / "params.index.json").write_text(json.dumps(params, indent=1))
    return stats
