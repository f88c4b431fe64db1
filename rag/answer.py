"""Answer a question from retrieved decisions only: tally, cited guidelines, quoted evidence.

No text is generated beyond fixed sentence frames filled with counts, treatment names and item
ids; every evidence sentence is a verbatim substring of a rationale. When fewer than
MIN_PRECEDENTS decisions concern the treatment asked about, the answer says so instead of padding
with unrelated decisions.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rag.errors import EmptyQueryError
from rag.intent import asks_outcome
from rag.records import (
    Answer,
    CitationCount,
    Evidence,
    Hit,
    Item,
    Outcome,
    Precedent,
    Understood,
)
from rag.retrieval import Filters, Retriever
from rag.tokens import clean_query, item_words, lexical_tokens
from rag.vocabulary import forms_of, treatments_named

MIN_PRECEDENTS = 3
MAX_EVIDENCE = 5
_GENERIC = frozenset(
    """was were is are be been the a an imr independent medical review reviews reviewer reviewers
    upheld uphold overturned overturn overturns denied deny denial denials approve approved approval
    request requests requested treatment treatments patient patients worker workers injured chronic
    pain without with documentation documented functional improvement what which who do does did
    require required requires before after usually often ever how when why for of to in on and or
    it they get got cases case decision decisions there any ever been by from about should would
    could can may will this that these those their them than then also more most less least very
    much many some such into over under between again further once here all both each few other
    own same so too just now not no nor only cover covered coverage typically generally mtus odg
    acoem guideline guidelines criteria necessary medically necessity claim claims""".split()
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(])")


@dataclass(frozen=True)
class Question:
    text: str
    treatments: tuple[str, ...]  # concept ids, e.g. ("hydrocodone",)
    treatment_terms: tuple[str, ...]  # what the user typed for them
    unknown_terms: tuple[str, ...]  # content words naming no known treatment
    asks_outcome: bool

    @property
    def label(self) -> str:
        """How the answer names the treatment: "Norco (hydrocodone)"."""
        names = []
        for term, concept in zip(self.treatment_terms, self.treatments, strict=False):
            canonical = concept.replace("_", " ")
            names.append(term if canonical == term.lower() else f"{term} ({canonical})")
        return ", ".join(names) or " ".join(self.unknown_terms)


def understand(question: str) -> Question:
    """Find the treatments named, the other content words, and whether an outcome is asked."""
    concepts_found = treatments_named(question)
    terms = []
    for concept in concepts_found:
        forms = forms_of(concept)
        term = next(
            (
                m.group(0)
                for f in sorted(forms, key=len, reverse=True)
                if (m := re.search(rf"(?<![\w-]){re.escape(f)}(?!\w)", question, re.I))
            ),
            concept,
        )
        terms.append(term)
    covered = " ".join(terms).lower()
    unknown = tuple(
        w
        for w in re.findall(r"[a-z][a-z-]{3,}", question.lower())
        if w not in _GENERIC and w not in covered
    )
    return Question(
        text=question,
        treatments=tuple(concepts_found),
        treatment_terms=tuple(terms),
        unknown_terms=unknown,
        asks_outcome=asks_outcome(question),
    )


def answer_question(retriever: Retriever, question: str, k: int = 10) -> Answer:
    """Retrieve precedents for `question` and compose an answer from them alone."""
    question = clean_query(question)
    if not question:
        raise EmptyQueryError("question has no letter or digit to answer from")
    q = understand(question)
    if q.treatments:
        hits = retriever.search(
            question, k=k, filters=Filters(treatment=" ".join(q.treatment_terms))
        )
    else:
        # No known treatment: the question's most specific word (the one fewest item names
        # contain) must name the precedent; a word no item contains means no precedent at all.
        counts = retriever.item_word_counts
        words = sorted((w for t in q.unknown_terms for w in item_words(t)), key=lambda w: counts[w])
        rarest = words[0] if words else None
        hits = [
            h
            for h in retriever.search(question, k=max(k, 50))
            if rarest is not None and rarest in item_words(h.item.name)
        ][:k]
    precedents = tuple(Precedent(h.item, h.score, _evidence_sentence(h, question)) for h in hits)
    counts = Counter(p.item.outcome for p in precedents)
    outcome_counts = {o.value: counts.get(o, 0) for o in Outcome}
    citations = _citation_counts([p.item for p in precedents])
    evidence = tuple(
        Evidence(p.item_id, p.evidence) for p in precedents[:MAX_EVIDENCE] if p.evidence
    )
    sufficient = len(precedents) >= MIN_PRECEDENTS
    return Answer(
        question=question,
        text=_compose(q, precedents, outcome_counts, citations, evidence, sufficient),
        precedents=precedents,
        outcome_counts=outcome_counts,
        citations=citations,
        evidence=evidence,
        sufficient_evidence=sufficient,
        understood=Understood(
            treatments=q.treatments,
            treatment_terms=q.treatment_terms,
            other_terms=q.unknown_terms,
            asks_outcome=q.asks_outcome,
        ),
    )


def _evidence_sentence(hit: Hit, question: str) -> str:
    """The rationale sentence sharing most terms with the question (verbatim)."""
    wanted = set(lexical_tokens(question))
    best, best_score = "", 0.0
    for sentence in _SENTENCE.split(hit.passage):
        if not 40 <= len(sentence) <= 450:
            continue
        overlap = len(wanted & set(lexical_tokens(sentence)))
        score = overlap + (0.5 if "necessary" in sentence.lower() else 0.0)
        if score > best_score:
            best, best_score = sentence.strip(), score
    return best


def _citation_counts(items: list[Item]) -> tuple[CitationCount, ...]:
    counter: Counter[tuple[str, str | None, str | None]] = Counter()
    for c in items:
        cited = {("MTUS", section, c.pages) for section in c.mtus_sections}
        cited |= {
            (s, _odg_topic(c.maximus_guideline) if s == "ODG" else None, None)
            for s in c.guideline_sources
            if s != "MTUS"
        }
        if "MTUS" in c.guideline_sources and not c.mtus_sections:
            cited.add(("MTUS", None, c.pages))
        counter.update(cited)
    return tuple(
        CitationCount(source, section, pages, n)
        for (source, section, pages), n in counter.most_common()
    )


def _odg_topic(guideline: str) -> str | None:
    match = re.search(
        r"(?:Official Disability Guidelines \(ODG\)|\bODG\b),?\s*([^.]{3,80})", guideline
    )
    return match.group(1).strip(" ,") if match else None


def _compose(
    q: Question,
    precedents: tuple[Precedent, ...],
    counts: dict[str, int],
    citations: tuple[CitationCount, ...],
    evidence: tuple[Evidence, ...],
    sufficient: bool,
) -> str:
    subject = q.label or "this question"
    n = len(precedents)
    if n == 0:
        return (
            f"No decision in the indexed corpus concerns {subject}, so there is no precedent "
            "to answer from."
        )
    ids = ", ".join(p.item_id for p in precedents[:3])
    if not sufficient:
        verb = "concerns" if n == 1 else "concern"
        return (
            f"Only {n} decision{'s' if n > 1 else ''} in the indexed corpus {verb} "
            f"{subject} ({ids}): too few to say how IMR usually decides. "
            f"Upheld in {counts['Upheld']}, overturned in {counts['Overturned']}."
        )
    parts = [
        f"Upheld in {counts['Upheld']} of {n} similar decisions on {subject} (the denial stood); "
        f"overturned in {counts['Overturned']}."
    ]
    top = next((c for c in citations if c.section), citations[0] if citations else None)
    if top:
        where = f"{top.source} {top.section}" if top.section else top.source
        pages = f", pages {top.pages}" if top.pages else ""
        parts.append(f"Most cited by the reviewers: {where}{pages} ({top.count} of {n}).")
    if evidence:
        first = evidence[0]
        parts.append(f'In {first.item_id} the reviewer wrote: "{first.sentence}"')
    return " ".join(parts)
