"""The JSON shapes of the API and of `imr ... --json`, validated from rag's records.

Each model reads a record's attributes (`from_attributes`), so a field added to a record reaches
the wire by being named here, once. Records never build JSON themselves.
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_serializer, field_validator


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorOut(BaseModel):
    error: str = Field(description="what was wrong, naming the parameter when one was")
    status: int = Field(description="the HTTP status code, repeated for clients that lose it")
    parameter: str | None = Field(None, description="the request parameter at fault, if any")


class FactsOut(Out):
    """What was requested (eval/FACTS.md defines each field)."""

    category: str
    region: str | None = Field(description="one region, 'multiple', or null")
    regions: list[str]
    form: str | None = Field(description="medications: oral, topical, patch, injectable, other")
    ingredients: list[str] = Field(description="medications: lowercase generic names")
    drug_class: str | None
    quantity: int | None = Field(description="units, visits or sessions requested")
    refills: int | None
    treatment: str = Field(description="a short canonical name")
    unresolved: list[str] = Field(description="drug-like words no vocabulary knows")


class ReasonOut(Out):
    code: str = Field(description="a code of the reason taxonomy (rag/data/reasons.toml)")
    label: str
    sentence: str = Field(description="the rationale sentence that states it, verbatim")


class ItemSummaryOut(Out):
    """A disputed item without its long texts: what a result card shows."""

    item_id: str = Field(
        validation_alias=AliasChoices("item_id", "id"), description="letter_id#index"
    )
    letter_id: str
    index: int = Field(description="1-based position of the disputed item in its letter")
    name: str = Field(description="the disputed treatment, verbatim")
    outcome: str = Field(description="Upheld (the denial stood) or Overturned")
    original_request: str | None = Field(description="partial decisions: the full request")
    authorized_portion: str | None = Field(description="partial decisions: what UR certified")
    guideline_sources: list[str] = Field(description="MTUS, ODG, ACOEM or OTHER")
    mtus_sections: list[str]
    pages: str | None
    maximus_guideline: str = Field(description="the reviewer's guideline citation, verbatim")
    decision_date: str | None = Field(description="ISO date")
    reviewer_specialty: str | None
    facts: FactsOut | None = Field(description="derived at ingest; null on a letter just parsed")
    reasons: list[ReasonOut] = Field(
        validation_alias=AliasChoices("shown_reasons", "reasons"),
        description="why the reviewer decided (codes measured good enough to show)",
    )


class ItemOut(ItemSummaryOut):
    claims_administrator_guideline: str
    rationale: str = Field(description="the reviewer's decision rationale, verbatim")


class ScoredItemOut(Out):
    item_id: str
    score: float = Field(description="retrieval score; higher is more similar")
    item: ItemSummaryOut

    @field_serializer("score")
    def _rounded(self, score: float) -> float:
        return round(score, 6)


class HitOut(ScoredItemOut):
    passage: str = Field(description="the rationale passage that matched best")


class SearchOut(Out):
    query: str
    hits: list[HitOut]
    facets: dict[str, dict[str, int]] = Field(
        default_factory=dict,
        description="per field (outcome, category, region, drug_class, reason): how many items "
        "matching the query and filters have each value, over all of them, not only the hits",
    )


class AskIn(BaseModel):
    # Strict: `"k": true` or `"k": "5"` is a client's mistake to report, not to read as 1 or 5.
    model_config = ConfigDict(extra="forbid", strict=True)

    question: str = Field(description="a question in plain words", examples=["Is Norco approved?"])
    k: int | None = Field(
        None, ge=1, le=100, description="how many precedents at most (default: the server's top_k)"
    )


class PrecedentOut(ScoredItemOut):
    evidence: str = Field(description="a sentence quoted verbatim from the rationale")


class CitationCountOut(Out):
    source: str
    section: str | None
    pages: str | None
    count: int = Field(description="how many precedents cite it")


class EvidenceOut(Out):
    item_id: str
    sentence: str


class UnderstoodOut(Out):
    name: str = Field(
        description="the facet: ingredient, drug_class, treatment, category, region, form, "
        "quantity, condition (a reason code), clinical (a finding the letter must mention), absent "
        "(a finding the reviewer must say is absent), repeat (a study asked as a repeat), "
        "history (a treatment the worker already had), not_had (a treatment asked that the "
        "worker has not had yet), outcome, partial, guideline, regions (a request covering "
        "several body regions), setting (office or home), specialty (of a consultation), "
        "reviewer (the expert reviewer's specialty), switched (yes: the reviewer cited a "
        "guideline the claims administrator had not; no: only ones it had), mechanism (how the "
        "worker was injured, as the letter's summary says: fall, lifting, cumulative trauma, "
        "vehicle accident, struck, assault), acquired (equipment asked bought or rented: purchase, "
        "rental), year (when IMR decided, or a month of it: 'in 2017-01'), "
        "structure (what an operation repairs: labrum, rotator cuff), alongside (another "
        "decision of the same letter, kind:value), "
        "alongside_outcome, unread (a when/why clause nothing matched: the figures ignore it) "
        "unknown (a treatment listed beside another that no vocabulary knows: not counted) or "
        "state (a state of the case the letter must say, when no reason or finding is asked: "
        "weaning, a retro request), contrast (a study with or without contrast, as its "
        "request's name says), release (a drug's extended or immediate release: ER, XR, SR, "
        "IR, as its request's name says), side (both sides asked: bilateral, both arms), "
        "case (a case number: that letter's decisions, or one of them: CM17-0012582#2), "
        "age (the worker's age asked, low-high: a worker over 60 is 61-120), sex (the "
        "worker's sex asked: female, male), letter (how the letter's decisions went together: "
        "upheld or overturned, every one so; split, some of each), items (how many decisions "
        "the letter made, low-high: more than three is 4-99)"
    )
    value: str = Field(description="what the question asks for it, e.g. hydrocodone, knee")
    words: str = Field(description="the question's own words it came from")


class PopulationOut(Out):
    count: int = Field(description="every indexed item matching the question, not the top k")
    matched_on: list[str] = Field(description="the facets that decided the population")
    relaxed: list[str] = Field(
        description="facets dropped because no decision matched them all (the answer says so)"
    )


class IntervalOut(Out):
    share: float = Field(description="the upheld share of the population")
    low: float
    high: float


class BroadOut(Out):
    count: int = Field(description="items for the treatment before the question's narrowing")
    outcome_counts: dict[str, int]
    narrowed_by: list[str] = Field(description="condition, quantity and/or partial")


class AnswerOut(Out):
    question: str
    answer: str = Field(
        validation_alias=AliasChoices("answer", "text"),
        description="plain-language answer composed only from indexed decisions",
    )
    outcome_counts: dict[str, int] = Field(
        description="decisions per outcome over the whole population"
    )
    population: PopulationOut
    interval: IntervalOut | None = Field(
        description="95% Wilson interval of the upheld share; null when nothing matched"
    )
    broad: BroadOut | None = Field(
        description="the treatment's own figures when a condition narrowed the population"
    )
    precedents: list[PrecedentOut] = Field(
        description="the population's best matches, overturned first when the question asks"
    )
    citations: list[CitationCountOut]
    evidence: list[EvidenceOut]
    sufficient_evidence: bool = Field(
        description="false when the corpus is silent or fewer than 3 decisions match"
    )
    understood: list[UnderstoodOut] = Field(description="each facet read from the question")


class LetterOut(Out):
    letter_id: str = Field(description="the Case Number, or file-<name> for a letter without one")
    case_number: str | None
    date_of_injury: str | None
    decision_date: str | None
    reviewer_specialty: str | None
    reviewer_licensure: list[str]
    patient_age: int | None
    patient_sex: str | None
    case_summary: str
    items: list[ItemOut]


class ParsedLetterOut(LetterOut):
    """`imr parse --json`: a letter and the file it was read from."""

    source: str


class TreatmentCountOut(Out):
    treatment: str = Field(description="concept id or normalised item name")
    label: str = Field(description="the group's display name")
    items: int
    upheld: int
    overturned: int
    example: str = Field(description="the most common item name in the group")


class CountOut(Out):
    value: str
    count: int


class ReasonsByOutcomeOut(Out):
    treatment: str
    items: int = Field(description="items concerning the treatment")
    by_outcome: dict[str, dict[str, int]] = Field(
        description="Upheld/Overturned -> reason code -> items that reason decided"
    )
    labels: dict[str, str] = Field(description="reason code -> label")


class StatsOut(Out):
    letters: int
    items: int = Field(description="disputed items, each with its own decision")
    chunks: int = Field(description="indexed rationale passages")
    outcomes: dict[str, int]
    years: dict[str, int] = Field(description="items per decision year")
    top_treatments: list[TreatmentCountOut]
    sources: list[CountOut] = Field(description="items citing each guideline source")
    top_sections: list[CountOut] = Field(description="items citing each MTUS section")
    top_specialties: list[CountOut]
    reasons: ReasonsByOutcomeOut | None = Field(
        None, description="with ?treatment=: its decisive reasons split by outcome"
    )


class HealthOut(BaseModel):
    status: str = Field(examples=["ok"])
    letters: int
    items: int = Field(description="disputed items")
    chunks: int
    model: str
    dimension: int


class FileReasonOut(BaseModel):
    file: str
    reason: str


class TaskReasonOut(BaseModel):
    task: str
    reason: str


class ReplacementOut(BaseModel):
    letter_id: str
    old_source: str = Field(description="the file the replaced record was read from")
    new_source: str = Field(description="the file whose record replaced it")


class DuplicateOut(BaseModel):
    letter_id: str
    kept: str = Field(description="the file that counts: the last given with this letter id")
    ignored: list[str] = Field(description="the earlier files with the same letter id")


class IngestReportOut(Out):
    """`imr ingest --json`: what the run read, embedded, kept and skipped."""

    files: int = Field(description="letter files read")
    letters: int = Field(description="letters in the index after the run")
    items: int
    chunks: int
    embedded: int = Field(description="letters embedded in this run (added + replaced)")
    added: int
    replaced: int
    unchanged: int
    replacements: list[ReplacementOut] = Field(description="letters replaced, with both files")
    duplicates: list[DuplicateOut] = Field(description="letter ids given by more than one file")
    skipped: list[FileReasonOut]
    retried: list[TaskReasonOut] = Field(description="Ray tasks that failed once and were retried")
    resumed: int = Field(description="Ray: chunks whose vectors came from an unfinished run")
    seconds: float
    snapshot: str

    @field_validator("added", "replaced", "unchanged", mode="before")
    @classmethod
    def _counted(cls, value: object) -> object:
        return len(value) if isinstance(value, list) else value

    @field_validator("skipped", mode="before")
    @classmethod
    def _files(cls, value: list[tuple[str, str]]) -> list[dict[str, str]]:
        return [{"file": file, "reason": reason} for file, reason in value]

    @field_validator("replacements", mode="before")
    @classmethod
    def _replacements(cls, value: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
        return [
            {"letter_id": letter_id, "old_source": old, "new_source": new}
            for letter_id, (old, new) in value.items()
        ]

    @field_validator("duplicates", mode="before")
    @classmethod
    def _duplicates(cls, value: dict[str, list[str]]) -> list[dict[str, object]]:
        return [
            {"letter_id": letter_id, "kept": files[-1], "ignored": files[:-1]}
            for letter_id, files in value.items()
        ]

    @field_validator("retried", mode="before")
    @classmethod
    def _tasks(cls, value: list[tuple[str, str]]) -> list[dict[str, str]]:
        return [{"task": task, "reason": reason} for task, reason in value]

    @field_serializer("seconds")
    def _rounded(self, seconds: float) -> float:
        return round(seconds, 2)


def dump(model: type[BaseModel], value: Any) -> dict[str, Any]:
    """`value` (a record, or a dict of records) as `model`'s JSON-ready dict."""
    return model.model_validate(value).model_dump(mode="json")
