"""Corpus statistics for `GET /api/stats` and the search page: sizes, outcomes, top treatments.

Counts are per disputed item (a letter may dispute several), read from the snapshot's value
columns (`rag.fields`), so they cost milliseconds however large the corpus; `Corpus` computes
them once per snapshot. Treatments are grouped by `rag.vocabulary.treatment_key`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from rag.fields import OUTCOME, SECTION, SOURCE, SPECIALTY, TREATMENT, YEAR
from rag.records import Outcome
from rag.vocabulary import treatment_label

if TYPE_CHECKING:
    from index.store import Column
    from rag.corpus import Corpus

TOP_N = 15


@dataclass(frozen=True, slots=True)
class TreatmentCount:
    treatment: str  # concept id or normalised item name
    label: str  # the group's display name
    items: int
    upheld: int
    overturned: int
    example: str  # one item name of the group, as a letter wrote it


@dataclass(frozen=True, slots=True)
class Count:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class CorpusStats:
    letters: int
    items: int
    chunks: int
    outcomes: dict[str, int]
    years: dict[str, int]  # items per decision year
    top_treatments: tuple[TreatmentCount, ...]
    sources: tuple[Count, ...]  # items citing each guideline source
    top_sections: tuple[Count, ...]  # items citing each MTUS section
    top_specialties: tuple[Count, ...]  # items decided by each reviewer specialty


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """The values the search form offers."""

    years: tuple[int, ...]  # newest first
    specialties: tuple[str, ...]


def column_stats(corpus: Corpus, top_n: int = TOP_N) -> CorpusStats:
    """Sizes, outcome counts, decision years, and the most disputed treatments and guidelines."""
    store = corpus.store
    outcome = store.column(OUTCOME)
    upheld = outcome.mask(outcome.codes_where(lambda v: v == Outcome.UPHELD))
    outcomes = _counts(outcome)
    years = _counts(store.column(YEAR))
    dated = sum(years.values())
    if dated < store.records:
        years["unknown"] = store.records - dated
    return CorpusStats(
        letters=store.manifest.documents,
        items=store.records,
        chunks=len(store),
        outcomes={o.value: outcomes.get(o.value, 0) for o in Outcome},
        years=dict(sorted(years.items())),
        top_treatments=_treatments(corpus, upheld, top_n),
        sources=_ranked(_counts(store.column(SOURCE))),
        top_sections=_ranked(_counts(store.column(SECTION)))[:top_n],
        top_specialties=_ranked(_counts(store.column(SPECIALTY)))[:top_n],
    )


def filter_choices(corpus: Corpus) -> FilterChoices:
    years = _counts(corpus.store.column(YEAR))
    specialties = _counts(corpus.store.column(SPECIALTY))
    return FilterChoices(
        tuple(sorted((int(y) for y in years), reverse=True)), tuple(sorted(specialties))
    )


def _counts(column: Column) -> dict[str, int]:
    counts = column.counts()
    return {column.values[code]: int(n) for code, n in enumerate(counts) if n}


def _ranked(counts: dict[str, int]) -> tuple[Count, ...]:
    return tuple(Count(v, n) for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _treatments(corpus: Corpus, upheld: np.ndarray, top_n: int) -> tuple[TreatmentCount, ...]:
    column = corpus.store.column(TREATMENT)
    total, kept = column.counts(), column.counts(upheld)
    ranked = sorted(
        (code for code in range(len(column.values)) if total[code]),
        key=lambda code: (-total[code], column.values[code]),
    )[:top_n]
    codes = np.repeat(np.arange(len(column.matrix)), np.diff(column.matrix.offsets))
    first = {code: int(codes[np.argmax(column.matrix.terms == code)]) for code in ranked}
    examples = corpus.items_at([first[code] for code in ranked])
    return tuple(
        TreatmentCount(
            treatment=column.values[code],
            label=treatment_label(column.values[code]),
            items=int(total[code]),
            upheld=int(kept[code]),
            overturned=int(total[code] - kept[code]),
            example=example.name,
        )
        for code, example in zip(ranked, examples, strict=True)
    )
