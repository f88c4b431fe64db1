"""The JSON API: search, ask, one letter, corpus stats, health. Read-only, no CORS.

Routes are plain `def`: embedding a query and searching FAISS are CPU-bound, so FastAPI runs
them in its threadpool and the event loop stays free. Queries are logged only when
`settings.log_queries` is on.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import RedirectResponse

from api.deps import (
    EngineDep,
    FiltersDep,
    ModeParam,
    SettingsDep,
    checked_text,
    csv_response,
    reasons_view,
)
from api.schemas import (
    AnswerOut,
    AskIn,
    ErrorOut,
    HealthOut,
    LetterOut,
    ReasonsByOutcomeOut,
    SearchOut,
    StatsOut,
    dump,
)

log = logging.getLogger(__name__)

router = APIRouter()
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in (
        (422, "a parameter is missing, empty, too long or out of range"),
        (429, "rate limit exceeded (see Retry-After)"),
        (503, "no index is loaded"),
    )
}
LetterId = Annotated[str, Path(description="the Case Number (CM..), or file-<name>")]


@router.get(
    "/api/search",
    response_model=SearchOut,
    tags=["search"],
    responses={**_ERRORS, 400: {"model": ErrorOut, "description": "unknown filter value"}},
)
def search(
    engine: EngineDep,
    settings: SettingsDep,
    filters: FiltersDep,
    q: Annotated[str, Query(description="treatment, drug, guideline or any words")],
    k: Annotated[
        int | None, Query(ge=1, le=100, description="number of hits (default top_k)")
    ] = None,
    mode: Annotated[ModeParam, Query(description="ranking (default: the server's)")] = None,
    per_letter: Annotated[bool, Query(description="at most one hit per letter")] = False,
) -> dict[str, Any]:
    """The disputed items most similar to `q`, best first; the shape of `imr search --json`."""
    checked_text(q, "q", settings.max_query_chars)
    hits = engine.search(
        q, k=k or settings.top_k, filters=filters, mode=mode, per_letter=per_letter
    )
    if settings.log_queries:
        log.info("search %r %s -> %d hits", q, filters, len(hits))
    return dump(SearchOut, {"query": q, "hits": hits, "facets": engine.facets(q, filters)})


@router.post(
    "/api/ask",
    response_model=AnswerOut,
    tags=["search"],
    responses={
        **_ERRORS,
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},  # format=csv
        413: {"model": ErrorOut, "description": "request body too large"},
    },
)
def ask(
    body: AskIn,
    engine: EngineDep,
    settings: SettingsDep,
    format: Annotated[
        Literal["json", "csv"],
        Query(description="csv: every item the answer counts, one row each, as a download"),
    ] = "json",
) -> Any:
    """An answer composed only from indexed decisions: the population asked about, its tally and
    interval, the guidelines cited and precedents quoting the reviewers' reasons."""
    checked_text(body.question, "question", settings.max_query_chars)
    k = body.k or settings.top_k
    if format == "csv":
        answer, table = engine.ask_csv(body.question, k=k)
        return csv_response(table)
    answer = engine.ask(body.question, k=k)
    if settings.log_queries:
        log.info("ask %r -> %d items", body.question, answer.population.count)
    return dump(AnswerOut, answer)


@router.get(
    "/api/letters/{letter_id}",
    response_model=LetterOut,
    tags=["letters"],
    responses={**_ERRORS, 404: {"model": ErrorOut, "description": "no such letter"}},
)
def letter(letter_id: LetterId, engine: EngineDep) -> dict[str, Any]:
    """The whole parsed letter: header facts, case summary and every disputed item."""
    found = engine.letter(letter_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no letter {letter_id!r} in the index")
    return dump(LetterOut, found)


@router.get("/api/decisions/{letter_id}", include_in_schema=False)
def old_letter_url(letter_id: str) -> RedirectResponse:
    """Where letters were served before the API named them letters."""
    return RedirectResponse(f"/api/letters/{quote(letter_id)}", status_code=308)


@router.get("/api/stats", response_model=StatsOut, tags=["letters"], responses=_ERRORS)
def stats(
    engine: EngineDep,
    settings: SettingsDep,
    treatment: Annotated[
        str | None, Query(description="a treatment or class: its reasons split by outcome")
    ] = None,
) -> dict[str, Any]:
    """Corpus size, outcomes, the most disputed treatments and the most cited guidelines; with
    `treatment`, also why decisions on it went each way."""
    data = dump(StatsOut, engine.stats())
    if treatment is not None:
        checked_text(treatment, "treatment", settings.max_query_chars)
        data["reasons"] = dump(ReasonsByOutcomeOut, reasons_view(engine, treatment))
    return data


@router.get(
    "/healthz",
    response_model=HealthOut,
    tags=["health"],
    responses={503: {"model": ErrorOut, "description": "no index is loaded"}},
)
def healthz(engine: EngineDep) -> dict[str, Any]:
    """200 with the index size and model once an index is loaded; 503 saying why not."""
    manifest = engine.view().corpus.store.manifest
    return {
        "status": "ok",
        "letters": manifest.documents,
        "items": manifest.records,
        "chunks": manifest.count,
        "model": manifest.config.get("model", ""),
        "dimension": manifest.dimension,
    }
