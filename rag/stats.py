"""Corpus statistics for `GET /api/stats` and the search page: sizes, outcomes, top treatments.

Counts are per disputed item (a letter may dispute several), read from the stored letters, so
they agree with `imr parse`. Treatments are grouped by the synonym concept an item names first
("Norco 10/325mg #120" and "Hydrocodone/APAP" are both hydrocodone), else by the item name with
doses, quantities and brackets removed.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from rag.records import Outcome
from rag.retrieval import Retriever
from rag.synonyms import CONCEPTS, treatment_concepts

TOP_N = 15
_CUT = re.compile(r"[#(\[:,;]|\b\d|\b(?:times|for|x|qty|quantity|dos|per)\b")
_LEAD = re.compile(
    r"^(?:retrospective|prospective|request for|purchase of|rental of|one|an?|\d+)\s+"
)


def treatment_key(item: str) -> str:
    """The group a disputed item counts under: its first treatment concept, else its bare name."""
    found = treatment_concepts(item)
    if found:
        return found[0].removeprefix("syn_").replace("_", " ")
    name = item.lower()
    while (lead := _LEAD.sub("", name)) != name:
        name = lead
    name = _CUT.split(name, maxsplit=1)[0]
    return " ".join(name.split()) or item.strip().lower()


def treatment_label(key: str) -> str:
    """How a page names a treatment group: the concept's own spelling ("x-ray" -> "X-ray"),
    short abbreviations in capitals ("mri" -> "MRI")."""
    concept = CONCEPTS.get(key.replace(" ", "_"))
    if concept is None:
        return key[:1].upper() + key[1:]
    squashed = key.replace(" ", "")
    form = next((f for f in concept[0] if f.replace("-", "").replace(" ", "") == squashed), key)
    return form.upper() if len(form) <= 4 else form[:1].upper() + form[1:]


def corpus_stats(retriever: Retriever, top_n: int = TOP_N) -> dict[str, Any]:
    """Sizes, outcome counts, decision years, and the most disputed treatments and cited guidelines.

    Args:
        retriever: a loaded retriever; its store holds the letters, its chunks the passages.
        top_n: how many treatments, MTUS sections and specialties to list.

    Returns:
        A JSON-ready dict (the shape `api.schemas.StatsOut` documents).
    """
    letters = [doc["record"] for doc in retriever.store.documents().values()]
    items = [item for letter in letters for item in letter["items"]]
    outcomes = Counter(item["outcome"] for item in items)
    years = Counter(
        letter["decision_date"][:4] if letter["decision_date"] else "unknown" for letter in letters
    )
    specialties = Counter(
        part.strip()
        for letter in letters
        for part in (letter["reviewer_specialty"] or "").split(",")
        if part.strip()
    )
    return {
        "letters": len(letters),
        "items": len(items),
        "chunks": len(retriever.chunks),
        "outcomes": {o.value: outcomes.get(o.value, 0) for o in Outcome},
        "years": dict(sorted(years.items())),
        "top_treatments": _treatments(items)[:top_n],
        "sources": _counted("source", (s for i in items for s in i["guideline_sources"])),
        "top_sections": _counted("section", (s for i in items for s in i["mtus_sections"]))[:top_n],
        "top_specialties": _counted("specialty", specialties.elements())[:top_n],
    }


def filter_choices(retriever: Retriever) -> dict[str, list[Any]]:
    """The values the search form offers: decision years and reviewer specialties in the corpus."""
    years = {int(c.decision_date[:4]) for c in retriever.chunks if c.decision_date}
    specialties = {
        part.strip()
        for c in retriever.chunks
        for part in (c.reviewer_specialty or "").split(",")
        if part.strip()
    }
    return {"years": sorted(years, reverse=True), "specialties": sorted(specialties)}


def _treatments(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        groups[treatment_key(item["item"])].append(item)
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [
        {
            "treatment": key,
            "label": treatment_label(key),
            "items": len(members),
            "upheld": sum(m["outcome"] == Outcome.UPHELD for m in members),
            "overturned": sum(m["outcome"] == Outcome.OVERTURNED for m in members),
            "example": Counter(m["item"] for m in members).most_common(1)[0][0],
        }
        for key, members in ranked
    ]


def _counted(name: str, values: Any) -> list[dict[str, Any]]:
    counts = Counter(values)
    return [{name: value, "count": n} for value, n in sorted(counts.items(), key=_by_count)]


def _by_count(pair: tuple[str, int]) -> tuple[int, str]:
    return -pair[1], pair[0]
