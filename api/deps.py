"""What routes and pages take from a request: the settings, the live Engine, search filters and
checked query text. A missing index becomes a 503 here, so no route has to check for one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BeforeValidator

from api.errors import ParameterError
from rag.config import Mode, Settings
from rag.engine import Engine
from rag.reasons import taxonomy
from rag.retrieval import Filters


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_engine(request: Request) -> Engine:
    """The app's Engine; 503 naming the index and how to build it when none is loaded."""
    engine = request.app.state.engine
    if engine is None:
        raise HTTPException(status_code=503, detail=request.app.state.index_error)
    return engine


def _none_if_blank(value: object) -> object:
    return None if value == "" else value


# An empty value (what an "Any" choice of the search form sends) means "not given".
BlankIsNone = BeforeValidator(_none_if_blank)
ModeParam = Annotated[Mode | None, BlankIsNone]


def get_filters(
    outcome: Annotated[
        str | None, BlankIsNone, Query(description="upheld or overturned (any case)")
    ] = None,
    source: Annotated[
        str | None, BlankIsNone, Query(description="guideline source: MTUS, ODG, ACOEM, OTHER")
    ] = None,
    section: Annotated[str | None, Query(description="MTUS section (substring)")] = None,
    specialty: Annotated[str | None, Query(description="reviewer specialty (substring)")] = None,
    year: Annotated[int | None, BlankIsNone, Query(description="decision year, e.g. 2017")] = None,
    treatment: Annotated[str | None, Query(description="disputed treatment or a synonym")] = None,
    category: Annotated[list[str] | None, Query(description="e.g. medication, imaging")] = None,
    region: Annotated[list[str] | None, Query(description="body region, e.g. knee")] = None,
    form: Annotated[list[str] | None, Query(description="oral, topical, patch, ...")] = None,
    drug_class: Annotated[list[str] | None, Query(description="e.g. opioid, nsaid")] = None,
    ingredient: Annotated[list[str] | None, Query(description="generic name")] = None,
    reason: Annotated[list[str] | None, Query(description="decisive reason code")] = None,
    partial: Annotated[bool | None, BlankIsNone, Query(description="partial decisions")] = None,
) -> Filters:
    """Search filters from the query string; Filters rejects unknown values, by name (400).
    The fact filters repeat (`region=knee&region=hip`: either)."""
    return Filters(
        outcome=outcome,
        source=source,
        section=section,
        specialty=specialty,
        year=year,
        treatment=treatment,
        category=tuple(category or ()),
        region=tuple(region or ()),
        form=tuple(form or ()),
        drug_class=tuple(drug_class or ()),
        ingredient=tuple(ingredient or ()),
        reason=tuple(reason or ()),
        partial=partial,
    )


def checked_text(value: str, parameter: str, max_chars: int) -> str:
    """`value` unchanged if it has words and at most `max_chars` characters, else ParameterError."""
    if not value.strip():
        raise ParameterError(parameter, "must not be empty or only whitespace")
    if len(value) > max_chars:
        raise ParameterError(parameter, f"is {len(value)} characters long; at most {max_chars}")
    return value


def reasons_view(engine: Engine, treatment: str) -> dict[str, object]:
    """Why decisions on `treatment` went each way: what /api/stats and the page show."""
    items, by_outcome = engine.reasons_by_outcome(Filters(treatment=treatment))
    codes = {code for counts in by_outcome.values() for code in counts}
    labels = {code: r.label for code, r in taxonomy().items() if code in codes}
    return {"treatment": treatment, "items": items, "by_outcome": by_outcome, "labels": labels}


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
FiltersDep = Annotated[Filters, Depends(get_filters)]


def csv_response(table: str) -> Response:
    """An answer's population as a CSV download (rag.answer.EXPORT_COLUMNS)."""
    return Response(
        table,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="imr-answer.csv"'},
    )
