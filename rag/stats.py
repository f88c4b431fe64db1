"""Corpus statistics for `GET /api/stats` and the search page: sizes, outcomes, top treatments.

Counts are per disputed item (a letter may dispute several), so they agree with `imr parse`.
Treatments are grouped by the concept an item names first ("Norco 10/325mg #120" and
"Hydrocodone/APAP" are both hydrocodone), else by the item name without doses, quantities and
brackets. `Corpus` computes both records once per snapshot.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rag.records import Item, Letter, Outcome
from rag.vocabulary import concepts, treatments_named

TOP_N = 15
_CUT = re.compile(r"[#(\[:,;]|\b\d|\b(?:times|for|x|qty|quantity|dos|per)\b")
_LEAD = re.compile(
    r"^(?:retrospective|prospective|request for|purchase of|rental of|one|an?|\d+)\s+"
)


@dataclass(frozen=True, slots=True)
class TreatmentCount:
    treatment: str  # concept id or normalised item name
    label: str  # the group's display name
    items: int
    upheld: int
    overturned: int
    example: str  # the most common item name in the group


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
    years: dict[str, int]  # letters per decision year
    top_treatments: tuple[TreatmentCount, ...]
    sources: tuple[Count, ...]  # items citing each guideline source
    top_sections: tuple[Count, ...]  # items citing each MTUS section
    top_specialties: tuple[Count, ...]


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """The values the search form offers."""

    years: tuple[int, ...]  # newest first
    specialties: tuple[str, ...]


def treatment_key(name: str) -> str:
    """The group a disputed item counts under: its first concept, else its bare name."""
    found = treatments_named(name)
    if found:
        return found[0]
    lowered = name.lower()
    while (lead := _LEAD.sub("", lowered)) != lowered:
        lowered = lead
    lowered = _CUT.split(lowered, maxsplit=1)[0]
    return " ".join(lowered.split()) or name.strip().lower()


def treatment_label(key: str) -> str:
    """How a page names a treatment group."""
    concept = concepts().get(key)
    return concept.label if concept else key[:1].upper() + key[1:]


def corpus_stats(letters: Iterable[Letter], chunks: int, top_n: int = TOP_N) -> CorpusStats:
    """Sizes, outcome counts, decision years, and the most disputed treatments and guidelines."""
    letters = list(letters)
    items = [item for letter in letters for item in letter.items]
    outcomes = Counter(item.outcome for item in items)
    years = Counter(str(letter.decision_year or "unknown") for letter in letters)
    return CorpusStats(
        letters=len(letters),
        items=len(items),
        chunks=chunks,
        outcomes={o.value: outcomes.get(o, 0) for o in Outcome},
        years=dict(sorted(years.items())),
        top_treatments=_treatments(items)[:top_n],
        sources=_counted(s for i in items for s in i.guideline_sources),
        top_sections=_counted(s for i in items for s in i.mtus_sections)[:top_n],
        top_specialties=_counted(s for lt in letters for s in _specialties(lt))[:top_n],
    )


def filter_choices(letters: Iterable[Letter]) -> FilterChoices:
    letters = list(letters)
    years = {lt.decision_year for lt in letters if lt.decision_year}
    specialties = {s for lt in letters for s in _specialties(lt)}
    return FilterChoices(tuple(sorted(years, reverse=True)), tuple(sorted(specialties)))


def _specialties(letter: Letter) -> list[str]:
    return [p.strip() for p in (letter.reviewer_specialty or "").split(",") if p.strip()]


def _treatments(items: list[Item]) -> tuple[TreatmentCount, ...]:
    groups: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        groups[treatment_key(item.name)].append(item)
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return tuple(
        TreatmentCount(
            treatment=key,
            label=treatment_label(key),
            items=len(members),
            upheld=sum(m.outcome == Outcome.UPHELD for m in members),
            overturned=sum(m.outcome == Outcome.OVERTURNED for m in members),
            example=Counter(m.name for m in members).most_common(1)[0][0],
        )
        for key, members in ranked
    )


def _counted(values: Iterable[str]) -> tuple[Count, ...]:
    counts = Counter(values)
    return tuple(Count(v, n) for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
