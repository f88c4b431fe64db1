"""The HTML pages: search and ask (`GET /?q=…`, `GET /?ask=…`) and one decision letter.

Everything is a plain GET form, so results pages are shareable URLs and need no JavaScript.
The pages use the same Retriever, filters and checks as the JSON API; errors render error.html.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import FiltersDep, Mode, RetrieverDep, SettingsDep, checked_text
from api.templating import highlight_terms, templates
from rag.answer import answer_question
from rag.citations import SOURCES
from rag.stats import corpus_stats, filter_choices

router = APIRouter(include_in_schema=False)

EXAMPLE_QUESTIONS = (
    "Is Norco usually approved for chronic pain?",
    "Are lumbar MRIs approved without red flags?",
    "How often is acupuncture overturned?",
)


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    retriever: RetrieverDep,
    settings: SettingsDep,
    filters: FiltersDep,
    q: str = "",
    ask: str | None = None,
    k: Annotated[int | None, Query(ge=1, le=100)] = None,
    mode: Mode = None,
) -> HTMLResponse:
    """Search results for `q`, an answer for `ask`, or the corpus overview when neither."""
    k = k or settings.top_k
    context: dict[str, Any] = {
        "view": "ask" if ask is not None else "search",
        "q": q,
        "ask": ask or "",
        "k": k,
        "form": dict(request.query_params),
        "choices": {**filter_choices(retriever), "sources": SOURCES},
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
        answer = answer_question(retriever, ask, k=k).to_dict()
        # Mark the treatment asked about, not every word of the question ("usually", "pain").
        treatments = " ".join(answer["understood"].get("treatment_terms", ()))
        context["answer"] = answer
        context["terms"] = highlight_terms(treatments or ask)
    elif q.strip():
        checked_text(q, "q", settings.max_query_chars)
        hits = retriever.search(q, k=k, filters=filters, mode=mode)
        context["hits"] = [hit.to_dict() for hit in hits]
        context["terms"] = highlight_terms(q)
        context["filtered"] = filters.active
        more = {**request.query_params, "k": str(min(k + 10, 100))}
        context["more_url"] = "/?" + urlencode(more)
    elif ask is None:
        context["stats"] = corpus_stats(retriever, top_n=12)
    return templates.TemplateResponse(request, "index.html", context)


@router.get("/decisions/{doc_id}", response_class=HTMLResponse)
def decision_page(
    request: Request,
    doc_id: str,
    retriever: RetrieverDep,
    settings: SettingsDep,
    q: str = "",
) -> HTMLResponse:
    """One letter, structured, with an `#item-N` anchor per disputed item; `q` is highlighted."""
    document = retriever.store.document(doc_id)
    if document is None:
        raise HTTPException(status_code=404, detail=f"There is no decision {doc_id} in the index.")
    letter = document["record"]
    context = {
        "letter": letter,
        "q": q,
        "terms": highlight_terms(q) if q.strip() and len(q) <= settings.max_query_chars else (),
        "upheld": sum(item["outcome"] == "Upheld" for item in letter["items"]),
    }
    return templates.TemplateResponse(request, "decision.html", context)
