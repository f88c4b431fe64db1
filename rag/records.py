"""The records of the pipeline, in the glossary's words: a Letter holds disputed Items; an Item's
rationale is cut into Chunks; a search returns Hits (one per item); an Answer cites Precedents.

Records are frozen dataclasses and know nothing of JSON or HTTP. `dump_letter`/`load_letter` give
the stored form (plain JSON values); the wire shapes live in `api/schemas.py` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import TypeAdapter


class Outcome(StrEnum):
    UPHELD = "Upheld"  # the denial stood: the treatment is not authorized
    OVERTURNED = "Overturned"


def item_id(letter_id: str, index: int) -> str:
    """The one way to name an item: `CM16-0213037#2` is item 2 of letter CM16-0213037."""
    return f"{letter_id}#{index}"


def split_item_id(value: str) -> tuple[str, int]:
    """(letter_id, index) of an item id; ValueError when `value` is not one."""
    letter_id, sep, index = value.rpartition("#")
    if not sep or not letter_id or not index.isdigit():
        raise ValueError(f"{value!r} is not an item id (letter_id#index)")
    return letter_id, int(index)


@dataclass(frozen=True, slots=True)
class Facts:
    """What was requested, read from the decision line (eval/FACTS.md defines every field)."""

    category: str  # medication, imaging, electrodiagnostic, physical_therapy, ... other
    region: str | None  # one region, "multiple", or None when the item names none
    regions: tuple[str, ...] = ()  # every region named, sorted
    form: str | None = None  # medications: oral, topical, patch, injectable, other
    ingredients: tuple[str, ...] = ()  # medications: sorted lowercase generic names
    drug_class: str | None = None  # medications: opioid, muscle_relaxant, nsaid, ...
    compounded: bool = False  # a compounded product (rag.facts._compounded), one drug or several
    quantity: int | None = None  # units, visits or sessions requested
    refills: int | None = None
    treatment: str = ""  # a short canonical name, e.g. "hydrocodone/acetaminophen", "MRI"
    unresolved: tuple[str, ...] = ()  # drug-like words no vocabulary knows


@dataclass(frozen=True, slots=True)
class Reason:
    """Why the reviewer decided: a code of the taxonomy (rag/data/reasons.toml), its label, and
    the sentence of the rationale that states it, verbatim."""

    code: str
    label: str
    sentence: str
    score: float = 0.0  # how strongly the sentence states it (rag.reasons)
    shown: bool = True  # False: kept internal (rag/data/reasons.toml says why)


@dataclass(frozen=True, slots=True)
class Item:
    """One disputed item of a letter and the reviewer's decision on it."""

    letter_id: str
    index: int  # 1-based, in letter order
    name: str  # the treatment as the decision line names it (the IMR-eligible portion if partial)
    outcome: Outcome
    claims_administrator_guideline: str
    maximus_guideline: str
    rationale: str
    original_request: str | None = None  # partial decisions: what was asked for in full
    authorized_portion: str | None = None  # partial decisions: what UR already certified
    guideline_sources: tuple[str, ...] = ()  # MTUS | ODG | ACOEM | OTHER
    mtus_sections: tuple[str, ...] = ()
    pages: str | None = None
    # Letter facts every search result shows and filters on, copied from the letter.
    decision_date: str | None = None  # ISO date
    reviewer_specialty: str | None = None
    # Derived at ingest (rag.facts, rag.reasons); absent on a letter just parsed.
    facts: Facts | None = None
    reasons: tuple[Reason, ...] = ()

    @property
    def id(self) -> str:
        return item_id(self.letter_id, self.index)

    @property
    def shown_reasons(self) -> tuple[Reason, ...]:
        """The reasons users see (eval/README.md: a code is shown once it is measured good)."""
        return tuple(r for r in self.reasons if r.shown)

    @property
    def partial(self) -> bool:
        """Whether UR certified part of the request before IMR decided the rest."""
        return self.original_request is not None

    @property
    def decision_year(self) -> int | None:
        return int(self.decision_date[:4]) if self.decision_date else None


@dataclass(frozen=True, slots=True)
class Letter:
    """One IMR final determination letter."""

    letter_id: str  # the Case Number; a letter without one gets `file-<file stem>`
    case_number: str | None
    date_of_injury: str | None  # ISO dates
    decision_date: str | None
    reviewer_specialty: str | None
    reviewer_licensure: tuple[str, ...]
    patient_age: int | None
    patient_sex: str | None  # "male" | "female" | None
    case_summary: str
    items: tuple[Item, ...]
    source: str = ""  # the file it was read from

    @property
    def decision_year(self) -> int | None:
        return int(self.decision_date[:4]) if self.decision_date else None

    @property
    def upheld(self) -> int:
        return sum(item.outcome == Outcome.UPHELD for item in self.items)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of one item's rationale: what the embedder and the lexical index see."""

    item: Item
    index: int  # 0-based within the item
    text: str  # the rationale passage shown to users

    @property
    def item_id(self) -> str:
        return self.item.id

    @property
    def embed_text(self) -> str:
        """What the embedder sees: the item name anchors short passages to their treatment."""
        return f"{self.item.name}. {self.text}"


@dataclass(frozen=True, slots=True)
class Hit:
    """One retrieved item (its chunks collapsed): the best passage and the score."""

    item: Item
    score: float
    passage: str  # the rationale passage that matched best

    @property
    def item_id(self) -> str:
        return self.item.id


@dataclass(frozen=True, slots=True)
class Precedent:
    """A decision an answer rests on, with the sentence quoted from its rationale."""

    item: Item
    score: float
    evidence: str  # verbatim from the rationale ("" when no sentence qualified)

    @property
    def item_id(self) -> str:
        return self.item.id


@dataclass(frozen=True, slots=True)
class CitationCount:
    """A guideline (source, section, pages) and how many precedents cite it."""

    source: str
    section: str | None
    pages: str | None
    count: int


@dataclass(frozen=True, slots=True)
class Evidence:
    item_id: str
    sentence: str  # verbatim from that item's rationale


@dataclass(frozen=True, slots=True)
class Understood:
    """One thing the question asks (rag.understanding.Facet), as the answer reports it."""

    name: str  # treatment, ingredient, drug_class, category, region, form, quantity, ...
    value: str
    words: str  # the question's words it came from


@dataclass(frozen=True, slots=True)
class PopulationSummary:
    """Which items an answer counts: how many, on what facets, and what had to be relaxed."""

    count: int
    matched_on: tuple[str, ...] = ()
    relaxed: tuple[str, ...] = ()
    item_ids: tuple[str, ...] = ()  # every item counted (the CSV export lists them)


@dataclass(frozen=True, slots=True)
class Interval:
    """95% Wilson interval of the upheld share."""

    share: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Broad:
    """The treatment's own figures, when the question's condition narrowed the population."""

    count: int
    outcome_counts: dict[str, int]
    narrowed_by: tuple[str, ...]  # what narrowed it: condition, quantity, partial


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer composed only from indexed decisions: every statement traces to an item id."""

    question: str
    text: str
    precedents: tuple[Precedent, ...]
    outcome_counts: dict[str, int]  # over the whole population, not the precedents shown
    citations: tuple[CitationCount, ...]
    evidence: tuple[Evidence, ...]
    sufficient_evidence: bool
    understood: tuple[Understood, ...] = ()
    population: PopulationSummary = field(default_factory=lambda: PopulationSummary(0))
    interval: Interval | None = None
    broad: Broad | None = None


@cache
def _letter_adapter() -> TypeAdapter[Letter]:
    return TypeAdapter(Letter)


@cache
def _item_adapter() -> TypeAdapter[Item]:
    return TypeAdapter(Item)


def load_item(data: dict[str, Any]) -> Item:
    """An item from its stored form (one element of a stored letter's items)."""
    return _item_adapter().validate_python(data)


def dump_letter(letter: Letter) -> dict[str, Any]:
    """The stored form of a letter: JSON values only (what `imr parse --json` prints)."""
    return _letter_adapter().dump_python(letter, mode="json")


def load_letter(data: dict[str, Any] | str | bytes) -> Letter:
    """A letter from its stored form (a dict or JSON text), validated field by field."""
    if isinstance(data, str | bytes):
        return _letter_adapter().validate_json(data)
    return _letter_adapter().validate_python(data)
