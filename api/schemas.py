"""Pydantic models of the JSON API, apart from rag's records, so OpenAPI documents the wire shape.

Routes build plain dicts with the records' `to_dict()` and declare these as `response_model`;
a field added to a record shows up on the wire only once it is added here too.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorOut(BaseModel):
    error: str = Field(description="what was wrong, naming the parameter when one was")
    status: int = Field(description="the HTTP status code, repeated for clients that lose it")
    parameter: str | None = Field(None, description="the request parameter at fault, if any")


class HitOut(BaseModel):
    doc_id: str
    item_index: int = Field(description="1-based position of the disputed item in its letter")
    item: str = Field(description="the disputed treatment, verbatim")
    outcome: str = Field(description="Upheld (the denial stood) or Overturned")
    guideline_sources: list[str] = Field(description="MTUS, ODG, ACOEM or OTHER")
    mtus_sections: list[str]
    pages: str | None
    maximus_guideline: str = Field(description="the reviewer's guideline citation, verbatim")
    reviewer_specialty: str | None
    decision_date: str | None = Field(description="ISO date")
    score: float = Field(description="fused retrieval score; higher is more similar")
    passage: str = Field(description="the rationale passage that matched")


class SearchOut(BaseModel):
    query: str
    hits: list[HitOut]


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="a question in plain words", examples=["Is Norco approved?"])
    k: int = Field(10, ge=1, le=100, description="how many precedents to retrieve")


class PrecedentCitationsOut(BaseModel):
    guideline_sources: list[str]
    mtus_sections: list[str]
    pages: str | None
    maximus_guideline: str


class PrecedentOut(BaseModel):
    doc_id: str
    item_index: int
    item_id: str = Field(description="doc_id#item_index")
    item: str
    outcome: str
    score: float
    decision_date: str | None
    reviewer_specialty: str | None
    citations: PrecedentCitationsOut
    evidence: str = Field(description="a sentence quoted verbatim from the rationale")


class CitationCountOut(BaseModel):
    source: str
    section: str | None
    pages: str | None
    count: int = Field(description="how many precedents cite it")


class EvidenceOut(BaseModel):
    item_id: str
    sentence: str


class AnswerOut(BaseModel):
    question: str
    answer: str = Field(description="plain-language answer composed only from the precedents")
    outcome_counts: dict[str, int] = Field(description="precedents per outcome")
    precedents: list[PrecedentOut]
    citations: list[CitationCountOut]
    evidence: list[EvidenceOut]
    sufficient_evidence: bool = Field(description="false when too few precedents to generalise")
    understood: dict[str, Any] = Field(
        description="the treatments and terms read from the question"
    )


class DecisionItemOut(BaseModel):
    item_index: int
    item: str
    outcome: str
    original_request: str | None
    authorized_portion: str | None
    claims_administrator_guideline: str
    maximus_guideline: str
    guideline_sources: list[str]
    mtus_sections: list[str]
    pages: str | None
    rationale: str


class DecisionOut(BaseModel):
    doc_id: str
    case_number: str | None
    date_of_injury: str | None
    decision_date: str | None
    reviewer_specialty: str | None
    reviewer_licensure: list[str]
    patient_age: int | None
    patient_sex: str | None
    case_summary: str
    items: list[DecisionItemOut]


class TreatmentCountOut(BaseModel):
    treatment: str = Field(description="synonym concept or normalised item name")
    label: str = Field(description="the group's display name")
    items: int
    upheld: int
    overturned: int
    example: str = Field(description="the most common item name in the group")


class SourceCountOut(BaseModel):
    source: str
    count: int


class SectionCountOut(BaseModel):
    section: str
    count: int


class SpecialtyCountOut(BaseModel):
    specialty: str
    count: int


class StatsOut(BaseModel):
    letters: int
    items: int = Field(description="disputed items, each with its own decision")
    chunks: int = Field(description="indexed rationale passages")
    outcomes: dict[str, int]
    years: dict[str, int] = Field(description="letters per decision year")
    top_treatments: list[TreatmentCountOut]
    sources: list[SourceCountOut] = Field(description="items citing each guideline source")
    top_sections: list[SectionCountOut] = Field(description="items citing each MTUS section")
    top_specialties: list[SpecialtyCountOut]


class HealthOut(BaseModel):
    status: str = Field(examples=["ok"])
    letters: int
    items: int | None = Field(description="disputed items, when the index recorded them")
    chunks: int
    model: str
    dimension: int
