"""Hybrid retrieval: BM25 (words + synonym concepts) and dense FAISS search, fused per item.

Each side ranks chunks; chunks collapse to their item (best chunk wins), and the two item rankings
are fused by reciprocal rank fusion (RRF, k=60). Filters are applied inside both searches (a row
mask for BM25, an ID selector for FAISS), never after truncation.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import bm25s
import numpy as np

from rag.citations import SOURCES
from rag.config import Mode
from rag.corpus import Corpus
from rag.embedding import Embedder
from rag.errors import EmptyQueryError, InvalidFilterError
from rag.records import Chunk, Hit, Outcome
from rag.rerank import ItemTexts
from rag.rerank import rerank as rerank_hits
from rag.tokens import RRF_K, clean_query, item_words, lexical_tokens, words
from rag.vocabulary import mentioned, treatments_named

logging.getLogger("bm25s").setLevel(logging.WARNING)

RERANK_DEPTH = 50  # hybrid candidates handed to the whole-item re-ranker


@dataclass(frozen=True)
class Filters:
    """Filters applied inside retrieval. Values are validated on construction."""

    outcome: str | None = None  # upheld | overturned (any case)
    source: str | None = None  # MTUS | ODG | ACOEM | OTHER
    section: str | None = None  # MTUS section, case-insensitive substring
    specialty: str | None = None  # reviewer specialty, case-insensitive substring
    year: int | None = None  # decision year
    treatment: str | None = None  # words or synonyms of the disputed item

    def __post_init__(self) -> None:
        if self.outcome is not None:
            normal = self.outcome.strip().capitalize()
            if normal not in {o.value for o in Outcome}:
                raise InvalidFilterError("outcome", self.outcome, "upheld or overturned")
            object.__setattr__(self, "outcome", normal)
        if self.source is not None:
            normal = self.source.strip().upper()
            if normal not in SOURCES:
                raise InvalidFilterError("source", self.source, "one of " + ", ".join(SOURCES))
            object.__setattr__(self, "source", normal)
        if self.year is not None and not 1990 <= int(self.year) <= 2100:
            raise InvalidFilterError("year", self.year, "a decision year such as 2016")
        for name in ("section", "specialty", "treatment"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                object.__setattr__(self, name, None)

    @property
    def active(self) -> bool:
        return any(v is not None for v in vars(self).values())


class Retriever:
    """Searches one loaded snapshot; holds its chunks, BM25 index and filter columns in memory."""

    def __init__(
        self, corpus: Corpus, embedder: Embedder, mode: Mode = Mode.HYBRID, rerank: bool = True
    ) -> None:
        self.corpus = corpus
        self.embedder = embedder
        self.mode = Mode(mode)
        self.rerank = rerank
        self.chunks = corpus.chunks
        self._bm25 = bm25s.BM25()
        if self.chunks:
            self._bm25.index(
                [lexical_tokens(_lexical_text(c)) for c in self.chunks], show_progress=False
            )
        self._outcome = np.array([c.item.outcome.value for c in self.chunks])
        self._year = np.array([c.item.decision_year or 0 for c in self.chunks])
        self._item_concepts = [set(mentioned(c.item.name)) for c in self.chunks]

    def __len__(self) -> int:
        return len(self.chunks)

    @cached_property
    def item_word_counts(self) -> Counter[str]:
        """In how many distinct items each word of 4+ letters appears in the item name."""
        return Counter(w for item in self.corpus.items.values() for w in set(item_words(item.name)))

    @cached_property
    def item_texts(self) -> ItemTexts:
        """Whole-item BM25 indexes for the re-ranker, built on first use."""
        return ItemTexts(self.corpus.items.values())

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        mode: Mode | None = None,
        per_letter: bool = False,
        rerank: bool | None = None,
    ) -> list[Hit]:
        """The top `k` items (or letters, with `per_letter`) for `query`.

        In hybrid mode the top RERANK_DEPTH items are re-ranked as whole items (`rag.rerank`)
        unless `rerank` (default: the Retriever's setting) is False.
        """
        query = clean_query(query)
        if not query:
            raise EmptyQueryError("query has no letter or digit to search for")
        mode = Mode(mode or self.mode)
        allowed = self.allowed_rows(filters) if filters and filters.active else None
        depth = max(200, k * 20)
        rankings: list[list[tuple[int, float]]] = []
        if mode in (Mode.HYBRID, Mode.BM25):
            rankings.append(self._bm25_rank(query, depth, allowed))
        if mode in (Mode.HYBRID, Mode.DENSE):
            rankings.append(self._dense_rank(query, depth, allowed))
        hits = self._fuse(rankings) if mode == Mode.HYBRID else self._single(rankings[0])
        if mode == Mode.HYBRID and (self.rerank if rerank is None else rerank):
            top = max(k, RERANK_DEPTH)
            hits = rerank_hits(self.item_texts, query, hits[:top], top)
        if per_letter:
            hits = list({h.item.letter_id: h for h in reversed(hits)}.values())[::-1]
            hits.sort(key=lambda h: -h.score)
        return hits[:k]

    def allowed_rows(self, filters: Filters) -> np.ndarray:
        """Row ids whose metadata passes every filter."""
        mask = np.ones(len(self.chunks), dtype=bool)
        if filters.outcome:
            mask &= self._outcome == filters.outcome
        if filters.year:
            mask &= self._year == int(filters.year)
        if filters.source:
            mask &= np.array([filters.source in c.item.guideline_sources for c in self.chunks])
        if filters.section:
            needle = filters.section.lower()
            mask &= np.array(
                [any(needle in s.lower() for s in c.item.mtus_sections) for c in self.chunks]
            )
        if filters.specialty:
            needle = filters.specialty.lower()
            specialty = [(c.item.reviewer_specialty or "").lower() for c in self.chunks]
            mask &= np.array([needle in s for s in specialty])
        if filters.treatment:
            mask &= self._treatment_mask(filters.treatment)
        return np.flatnonzero(mask)

    def _treatment_mask(self, treatment: str) -> np.ndarray:
        wanted = set(treatments_named(treatment))
        needed = words(treatment)
        out = np.zeros(len(self.chunks), dtype=bool)
        for row, chunk in enumerate(self.chunks):
            name = chunk.item.name.lower()
            by_words = bool(needed) and all(w in name for w in needed)
            by_concept = bool(wanted) and bool(wanted & self._item_concepts[row])
            out[row] = by_words or by_concept
        return out

    def _bm25_rank(
        self, query: str, depth: int, allowed: np.ndarray | None
    ) -> list[tuple[int, float]]:
        tokens = lexical_tokens(query)
        if not tokens or not self.chunks:
            return []
        scores = self._bm25.get_scores(tokens).astype(np.float32)
        if allowed is not None:
            masked = np.full_like(scores, -np.inf)
            masked[allowed] = scores[allowed]
            scores = masked
        return [(int(r), float(scores[r])) for r in top_positive_rows(scores, depth)]

    def _dense_rank(
        self, query: str, depth: int, allowed: np.ndarray | None
    ) -> list[tuple[int, float]]:
        if not self.chunks:
            return []
        vector = self.embedder.embed([query])
        scores, rows = self.corpus.store.search(vector, depth, allowed=allowed)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]

    def _best_per_item(self, ranking: Sequence[tuple[int, float]]) -> list[tuple[str, int, float]]:
        seen: dict[str, tuple[int, float]] = {}
        for row, score in ranking:
            seen.setdefault(self.chunks[row].item_id, (row, score))
        return [(item, row, score) for item, (row, score) in seen.items()]

    def _single(self, ranking: Sequence[tuple[int, float]]) -> list[Hit]:
        return [self._hit(row, score) for _, row, score in self._best_per_item(ranking)]

    def _hit(self, row: int, score: float) -> Hit:
        chunk = self.chunks[row]
        return Hit(chunk.item, score, chunk.text)

    def _fuse(self, rankings: Sequence[Sequence[tuple[int, float]]]) -> list[Hit]:
        fused: dict[str, float] = {}
        best: dict[str, tuple[float, int]] = {}
        for ranking in rankings:
            for rank, (item, row, _) in enumerate(self._best_per_item(ranking)):
                contribution = 1.0 / (RRF_K + rank + 1)
                fused[item] = fused.get(item, 0.0) + contribution
                if contribution > best.get(item, (0.0, -1))[0]:
                    best[item] = (contribution, row)
        order = sorted(fused, key=lambda item: -fused[item])
        return [self._hit(best[item][1], fused[item]) for item in order]


def top_positive_rows(scores: np.ndarray, depth: int) -> np.ndarray:
    """The rows of the `depth` highest positive scores, best first, ties in row order: what a
    stable argsort of the whole array gives, without sorting all of it (at 1M chunks the full
    sort was most of a BM25 query's time)."""
    positive = np.flatnonzero(scores > 0)  # rows sharing a word with the query: few
    if len(positive) > depth:
        cut = np.argpartition(scores[positive], len(positive) - depth)[len(positive) - depth]
        positive = positive[scores[positive] >= scores[positive[cut]]]  # ties at the cut stay
    return positive[np.argsort(-scores[positive], kind="stable")][:depth]


def _lexical_text(chunk: Chunk) -> str:
    # The item name is repeated so a treatment named in the request outweighs a passing mention.
    item = chunk.item
    return f"{item.name} {item.name} {chunk.text} {item.maximus_guideline}"
