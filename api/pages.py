"""The HTML pages: search and ask (`GET /?q=…`, `GET /?ask=…`) and one letter (`/letters/…`).

Everything is a plain GET form, so results pages are shareable URLs and need no JavaScript.
The pages use the same Engine, filters and checks as the JSON API; errors render error.html.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import (
    EngineDep,
    FiltersDep,
    ModeParam,
    SettingsDep,
    checked_text,
    csv_response,
    reasons_view,
)
from api.templating import highlight_terms, templates
from rag.citations import SOURCES
from rag.understanding import TREATMENT_FACETS
from rag.vocabulary import treatments_named

router = APIRouter(include_in_schema=False)

EXAMPLE_QUESTIONS = (
    "Is Norco usually approved for chronic pain?",
    "Are lumbar MRIs approved without red flags?",
    "How often is acupuncture overturned?",
)


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    filters: FiltersDep,
    q: str = "",
    ask: str | None = None,
    k: Annotated[int | None, Query(ge=1, le=100)] = None,
    mode: ModeParam = None,
) -> HTMLResponse:
    """Search results for `q`, an answer for `ask`, or the corpus overview when neither."""
    k = k or settings.top_k
    context: dict[str, Any] = {
        "view": "ask" if ask is not None else "search",
        "q": q,
        "ask": ask or "",
        "k": k,
        "form": dict(request.query_params),
        "params": request.query_params.multi_items(),
        "facets": None,
        "why": None,
        "choices": engine.choices(),
        "sources": SOURCES,
        "max_chars": settings.max_query_chars,
        "examples": EXAMPLE_QUESTIONS,
        "hits": None,
        "answer": None,
        "stats": None,
        "terms": (),
        "filtered": False,
        "more_url": "",
    }
    if ask and ask.strip():
        checked_text(ask, "ask", settings.max_query_chars)
        answer = engine.ask(ask, k=k)
        # Mark the treatment asked about, not every word of the question ("usually", "pain").
        treatments = " ".join(u.words for u in answer.understood if u.name in TREATMENT_FACETS)
        context["answer"] = answer
        context["terms"] = highlight_terms(treatments or ask)
        context["csv_url"] = "/answer.csv?" + urlencode({"ask": ask, "k": k})
    elif q.strip():
        checked_text(q, "q", settings.max_query_chars)
        context["hits"] = engine.search(q, k=k, filters=filters, mode=mode)
        context["facets"] = engine.facets(q, filters)
        if treatments_named(q):
            context["why"] = reasons_view(engine, q)
        context["terms"] = highlight_terms(q)
        context["filtered"] = filters.active
        more = {**request.query_params, "k": str(min(k + 10, 100))}
        context["more_url"] = "/?" + urlencode(more)
    elif ask is None:
        context["stats"] = engine.stats()
    return templates.TemplateResponse(request, "index.html", context)


@router.get("/answer.csv")
def answer_csv(
    engine: EngineDep,
    settings: SettingsDep,
    ask: str,
    k: Annotated[int | None, Query(ge=1, le=100)] = None,
) -> Response:
    """The page's download link: every item an answer counts, as CSV."""
    checked_text(ask, "ask", settings.max_query_chars)
    _, table = engine.ask_csv(ask, k=k or settings.top_k)
    return csv_response(table)


@router.get("/letters/{letter_id}", response_class=HTMLResponse)
def letter_page(
    request: Request,
    letter_id: str,
    engine: EngineDep,
    settings: SettingsDep,
    q: str = "",
) -> HTMLResponse:
    """One letter, structured, with an `#item-N` anchor per disputed item; `q` is highlighted."""
    letter = engine.letter(letter_id)
    if letter is None:
        raise HTTPException(status_code=404, detail=f"There is no letter {letter_id} in the index.")
    context = {
        "letter": letter,
        "q": q,
        "terms": highlight_terms(q) if q.strip() and len(q) <= settings.max_query_chars else (),
    }
    return templates.TemplateResponse(request, "letter.html", context)


@router.get("/decisions/{letter_id}")
def old_letter_page(request: Request, letter_id: str) -> RedirectResponse:
    """Where letter pages lived before; links shared then still arrive (the #item-N survives)."""
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/letters/{quote(letter_id)}{query}", status_code=301)
