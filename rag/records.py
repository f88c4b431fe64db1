"""The records of the pipeline: a Determination (one letter) holds Decisions (disputed items).

Records are frozen dataclasses. `to_dict()` gives the JSON shape that `imr parse --json`, the index
payloads and the API share, so `index/` and `api/` never need our types to read stored data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    UPHELD = "Upheld"
    OVERTURNED = "Overturned"


@dataclass(frozen=True, slots=True)
class Decision:
    """One disputed item of a letter and the reviewer's decision on it."""

    item_index: int  # 1-based, in letter order
    item: str  # the disputed item as the decision line names it (IMR-eligible portion if partial)
    outcome: Outcome
    claims_administrator_guideline: str
    maximus_guideline: str
    rationale: str
    original_request: str | None = None
    authorized_portion: str | None = None
    guideline_sources: tuple[str, ...] = ()
    mtus_sections: tuple[str, ...] = ()
    pages: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcome"] = str(self.outcome)
        data["guideline_sources"] = list(self.guideline_sources)
        data["mtus_sections"] = list(self.mtus_sections)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        return cls(
            item_index=int(data["item_index"]),
            item=data["item"],
            outcome=Outcome(data["outcome"]),
            claims_administrator_guideline=data["claims_administrator_guideline"],
            maximus_guideline=data["maximus_guideline"],
            rationale=data["rationale"],
            original_request=data.get("original_request"),
            authorized_portion=data.get("authorized_portion"),
            guideline_sources=tuple(data.get("guideline_sources", ())),
            mtus_sections=tuple(data.get("mtus_sections", ())),
            pages=data.get("pages"),
        )


@dataclass(frozen=True, slots=True)
class Determination:
    """One IMR final determination letter."""

    doc_id: str  # the Case Number when the letter has one, else the file stem
    case_number: str | None
    date_of_injury: str | None  # ISO dates
    decision_date: str | None
    reviewer_specialty: str | None
    reviewer_licensure: tuple[str, ...]
    patient_age: int | None
    patient_sex: str | None  # "male" | "female" | None
    case_summary: str
    items: tuple[Decision, ...]
    source: str = ""  # the file it was read from

    @property
    def decision_year(self) -> int | None:
        return int(self.decision_date[:4]) if self.decision_date else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "case_number": self.case_number,
            "date_of_injury": self.date_of_injury,
            "decision_date": self.decision_date,
            "reviewer_specialty": self.reviewer_specialty,
            "reviewer_licensure": list(self.reviewer_licensure),
            "patient_age": self.patient_age,
            "patient_sex": self.patient_sex,
            "case_summary": self.case_summary,
            "items": [item.to_dict() for item in self.items],
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Determination:
        return cls(
            doc_id=data["doc_id"],
            case_number=data.get("case_number"),
            date_of_injury=data.get("date_of_injury"),
            decision_date=data.get("decision_date"),
            reviewer_specialty=data.get("reviewer_specialty"),
            reviewer_licensure=tuple(data.get("reviewer_licensure", ())),
            patient_age=data.get("patient_age"),
            patient_sex=data.get("patient_sex"),
            case_summary=data.get("case_summary", ""),
            items=tuple(Decision.from_dict(item) for item in data["items"]),
            source=data.get("source", ""),
        )


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of one item's rationale, with the metadata search results and filters need."""

    doc_id: str
    item_index: int
    chunk_index: int
    text: str  # the rationale passage shown to users
    item: str
    outcome: str
    guideline_sources: tuple[str, ...]
    mtus_sections: tuple[str, ...]
    pages: str | None
    maximus_guideline: str
    reviewer_specialty: str | None
    decision_date: str | None

    @classmethod
    def of(cls, det: Determination, item: Decision, chunk_index: int, text: str) -> Chunk:
        """Chunk `chunk_index` of `item`'s rationale, carrying its letter and item metadata."""
        return cls(
            doc_id=det.doc_id,
            item_index=item.item_index,
            chunk_index=chunk_index,
            text=text,
            item=item.item,
            outcome=str(item.outcome),
            guideline_sources=item.guideline_sources,
            mtus_sections=item.mtus_sections,
            pages=item.pages,
            maximus_guideline=item.maximus_guideline,
            reviewer_specialty=det.reviewer_specialty,
            decision_date=det.decision_date,
        )

    @property
    def item_id(self) -> str:
        return f"{self.doc_id}#{self.item_index}"

    @property
    def embed_text(self) -> str:
        """What the embedder sees: the item name anchors short passages to their treatment."""
        return f"{self.item}. {self.text}"

    def to_payload(self) -> dict[str, Any]:
        data = asdict(self)
        data["guideline_sources"] = list(self.guideline_sources)
        data["mtus_sections"] = list(self.mtus_sections)
        return data

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Chunk:
        values = dict(data)
        values["guideline_sources"] = tuple(values.get("guideline_sources", ()))
        values["mtus_sections"] = tuple(values.get("mtus_sections", ()))
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Hit:
    """One retrieved item (chunks grouped per item): the best passage and the fused score."""

    chunk: Chunk
    score: float
    passages: tuple[str, ...] = field(default=())

    @property
    def item_id(self) -> str:
        return self.chunk.item_id

    def to_dict(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "doc_id": c.doc_id,
            "item_index": c.item_index,
            "item": c.item,
            "outcome": c.outcome,
            "guideline_sources": list(c.guideline_sources),
            "mtus_sections": list(c.mtus_sections),
            "pages": c.pages,
            "maximus_guideline": c.maximus_guideline,
            "reviewer_specialty": c.reviewer_specialty,
            "decision_date": c.decision_date,
            "score": round(float(self.score), 6),
            "passage": c.text,
        }


@dataclass(frozen=True, slots=True)
class Precedent:
    """A decision cited in an answer, with the sentence quoted from its rationale."""

    hit: Hit
    evidence: str  # verbatim from the rationale

    @property
    def item_id(self) -> str:
        return self.hit.item_id

    @property
    def item(self) -> str:
        return self.hit.chunk.item

    @property
    def outcome(self) -> str:
        return self.hit.chunk.outcome

    def to_dict(self) -> dict[str, Any]:
        c = self.hit.chunk
        return {
            "doc_id": c.doc_id,
            "item_index": c.item_index,
            "item_id": c.item_id,
            "item": c.item,
            "outcome": c.outcome,
            "score": round(float(self.hit.score), 6),
            "decision_date": c.decision_date,
            "reviewer_specialty": c.reviewer_specialty,
            "citations": {
                "guideline_sources": list(c.guideline_sources),
                "mtus_sections": list(c.mtus_sections),
                "pages": c.pages,
                "maximus_guideline": c.maximus_guideline,
            },
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer composed only from retrieved decisions: every statement traces to an item id."""

    question: str
    text: str
    precedents: tuple[Precedent, ...]
    outcome_counts: dict[str, int]
    citations: tuple[dict[str, Any], ...]
    evidence: tuple[dict[str, str], ...]  # {"item_id", "sentence"}
    sufficient_evidence: bool
    understood: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "outcome_counts": dict(self.outcome_counts),
            "precedents": [p.to_dict() for p in self.precedents],
            "citations": list(self.citations),
            "evidence": list(self.evidence),
            "sufficient_evidence": self.sufficient_evidence,
            "understood": self.understood,
        }
