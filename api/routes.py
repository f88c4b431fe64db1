"""The JSON API: search, ask, one decision, corpus stats, health. Read-only, no CORS.

Routes are plain `def`: embedding a query and searching FAISS are CPU-bound, so FastAPI runs
them in its threadpool and the event loop stays free. Queries are logged only when
`settings.log_queries` is on.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from api.deps import FiltersDep, Mode, RetrieverDep, SettingsDep, checked_text
from api.schemas import AnswerOut, AskIn, DecisionOut, ErrorOut, HealthOut, SearchOut, StatsOut
from rag.answer import answer_question
from rag.stats import corpus_stats

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


@router.get(
    "/api/search",
    response_model=SearchOut,
    tags=["search"],
    responses={**_ERRORS, 400: {"model": ErrorOut, "description": "unknown filter value"}},
)
def search(
    retriever: RetrieverDep,
    settings: SettingsDep,
    filters: FiltersDep,
    q: Annotated[str, Query(description="treatment, drug, guideline or any words")],
    k: Annotated[
        int | None, Query(ge=1, le=100, description="number of hits (default top_k)")
    ] = None,
    mode: Annotated[Mode, Query(description="ranking (default: the server's)")] = None,
    per_letter: Annotated[bool, Query(description="at most one hit per letter")] = False,
) -> dict[str, Any]:
    """The disputed items most similar to `q`, best first; the shape of `imr search --json`."""
    checked_text(q, "q", settings.max_query_chars)
    hits = retriever.search(
        q, k=k or settings.top_k, filters=filters, mode=mode, per_letter=per_letter
    )
    if settings.log_queries:
        log.info("search %r %s -> %d hits", q, filters, len(hits))
    return {"query": q, "hits": [hit.to_dict() for hit in hits]}


@router.post(
    "/api/ask",
    response_model=AnswerOut,
    tags=["search"],
    responses={**_ERRORS, 413: {"model": ErrorOut, "description": "request body too large"}},
)
def ask(body: AskIn, retriever: RetrieverDep, settings: SettingsDep) -> dict[str, Any]:
    """An answer composed only from retrieved decisions, with the outcome tally and citations."""
    checked_text(body.question, "question", settings.max_query_chars)
    answer = answer_question(retriever, body.question, k=body.k)
    if settings.log_queries:
        log.info("ask %r -> %d precedents", body.question, len(answer.precedents))
    return answer.to_dict()


@router.get(
    "/api/decisions/{doc_id}",
    response_model=DecisionOut,
    tags=["decisions"],
    responses={**_ERRORS, 404: {"model": ErrorOut, "description": "no such decision"}},
)
def decision(
    doc_id: Annotated[str, Path(description="case number (CM..) or file stem")],
    retriever: RetrieverDep,
) -> dict[str, Any]:
    """The whole parsed letter: header facts, case summary and every disputed item."""
    document = retriever.store.document(doc_id)
    if document is None:
        raise HTTPException(status_code=404, detail=f"no decision {doc_id!r} in the index")
    return document["record"]


@router.get("/api/stats", response_model=StatsOut, tags=["decisions"], responses=_ERRORS)
def stats(retriever: RetrieverDep) -> dict[str, Any]:
    """Corpus size, outcomes, the most disputed treatments and the most cited guidelines."""
    return corpus_stats(retriever)


@router.get(
    "/healthz",
    response_model=HealthOut,
    tags=["health"],
    responses={503: {"model": ErrorOut, "description": "no index is loaded"}},
)
def healthz(retriever: RetrieverDep) -> dict[str, Any]:
    """200 with the index size and model once an index is loaded; 503 saying why not."""
    manifest = retriever.store.manifest
    return {
        "status": "ok",
        "letters": manifest.documents,
        "items": manifest.stats.get("items"),
        "chunks": len(retriever.store),
        "model": manifest.model,
        "dimension": manifest.dimension,
    }
