"""Answer a question from indexed decisions only: the population it asks about, its tally, the
guidelines cited, and precedents quoting the reviewer's reasons.

The tally counts every decision matching the question's facets (`rag.population`), not the top
hits; the interval is the 95% Wilson interval of the upheld share. Precedents are the population's
best matches by retrieval score (overturned first when the question seeks them), each quoting the
sentence that carries its decisive reason (`rag.reasons`), verbatim. No text is generated beyond
fixed sentence frames filled with counts, names and item ids. A question about a treatment no
decision concerns is refused plainly, never padded with unrelated decisions.
"""

from __future__ import annotations

import calendar
import csv
import io
import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

import numpy as np

from rag import fields
from rag.citations import parse_citation
from rag.corpus import Corpus
from rag.errors import EmptyQueryError
from rag.facts import class_of, in_class
from rag.intent import (
    asks_by_kind,
    asks_by_mechanism,
    asks_by_region,
    asks_by_reviewer,
    asks_by_year,
    asks_date_order,
    asks_denied_most,
    asks_largest,
    asks_listed,
    asks_reasons,
    asks_requested,
    asks_ur_cited,
    asks_why_overturned,
    years_named,
)
from rag.matching import (
    REGION_BOUND,
    any_value,
    column_mask,
    drug_classes_mask,
    named_as_examples,
    operation_aside,
    paired_forms,
)
from rag.negation import absent_spans, negations
from rag.population import (
    ANYTHING,
    Population,
    absent_findings,
    acquisitions,
    clinical_concepts,
    clinical_groups,
    concept_conditions,
    counted_of,
    denied_states,
    find_population,
    findings_named,
    inflected,
    named_apart,
    pointing_back,
    quantity_column,
    reviewed_by,
    says_unhelped,
    state_concepts,
    unnamed,
)
from rag.reasons import speaks_of_case, split_sentences, states_the_rule, taxonomy
from rag.records import (
    Answer,
    Broad,
    CitationCount,
    Evidence,
    Hit,
    Interval,
    Item,
    Outcome,
    PopulationSummary,
    Precedent,
    Understood,
)
from rag.retrieval import Retriever
from rag.tokens import clean_query, lexical_tokens
from rag.understanding import (
    NAME_PARTICLE,
    OTHER_GUIDELINE,
    SPINAL_LEVEL,
    Facet,
    Question,
    drug_and_care_listed,
    forms_paired,
    member_word,
    name_run,
    respell,
    sexes_named,
    sources_named,
    treatments_listed,
    understand,
    urs_disputed_reason,
)
from rag.vocabulary import concepts, conditions_named

MIN_PRECEDENTS = 3
MAX_EVIDENCE = 5
MAX_NAMED_SHORT = 5  # overturned decisions an answer names, unless asked to list them all
MAX_NAMED = 10  # ... when asked to ("list every overturned MRI decision"): the precedents'
# A request to list the decisions themselves ("list every decision on acupuncture", "show me all
# the cases on Norco").
# Words asking for every decision, not a tally with examples.
_WANTS_EVERY = re.compile(r"\b(?:list|every|all|each|which)\b", re.I)
MAX_REASONS_SAID = 4  # the most given reasons an answer names, per outcome
MAX_QUOTED = 3  # evidence sentences quoted in the text of an answer asking why
MAX_CITED_ITEMS = 5_000  # guideline counts read at most this many items' citations
MAX_CASE_ITEMS = 100  # decisions an answer about named cases lists
MAX_LISTED_ITEMS = 10_000  # item ids an answer lists (its CSV export), the first in index order
_VERDICT = re.compile(r"medically necessary|not (?:medically )?(?:necessary|supported)", re.I)
# A verdict that only concludes ("For these reasons, both studies are medically necessary.",
# "The wrist fracture fixation with carpal tunnel release is medically necessary and
# appropriate."): the sentences before it say why.
_CONCLUDING = re.compile(
    r"^(?:For (?:these|the above|this|those|all of these) reasons?|As such|Therefore|Thus|Hence|"
    r"Accordingly|Consequently|In (?:conclusion|summary)|Yes|No)\b[^.]*\b(?:medically necessary|"
    r"not (?:medically )?(?:necessary|supported))|^(?:[^\s,;]+ ){1,12}(?:is|are|was|were) (?:not )?"
    r"medically necessary(?:,? (?:medically )?(?:and )?appropriate)?(?: at this time)?\.?$",
    re.I,
)
# A sentence opening on the ground for its verdict.
_GIVEN = re.compile(
    r"(?:Given|Because of|Because(?! of\b)|Since|In light of|Due to|Based on) "
    r"(?!(?:the )?(?:above|foregoing|guidelines?|mtus|odg|acoem|reasons?|documentation)\b|"
    r"(?:this|these|those|such)\b)",
    re.I,
)
# The words of a verdict formula, beside the request's own ("As such, the requested study is
# medically necessary."): a sentence of no more says no reason.
_VERDICT_WORDS = frozenset(
    """therefore thus hence such given above foregoing yes request requested requests care
    medically necessary appropriate reasonable warranted supported indicated current patient
    injured worker considered deemed certified this original date service dos retrospective
    retro""".split()
)
# The case's history, which opens a rationale ("The injured worker sustained a work related
# injury on ...").
_HISTORY = re.compile(
    r"\bsustained (?:an? )?(?:work[- ]related |industrial )?injur|\bdate of injury\b", re.I
)
# What UR did before IMR ("The Claims Administrator authorized ..., leaving the original request
# IMR eligible."): the review's history, no reason.
_PROCESS = re.compile(r"\b(?:claims administrator|utilization review|imr eligible)\b", re.I)
# a sentence giving a guideline's rule rather than this case's facts
_RULE = re.compile(
    r"\b(?:guidelines?|mtus|odg|acoem|according to|recommend(?:s|ed)?|means|states?)\b", re.I
)
# How the answer says each mechanism of injury (rag.injury).
_MECHANISM_SAID = {
    "fall": "a fall",
    "lifting": "lifting, carrying, pushing or pulling",
    "cumulative trauma": "cumulative trauma",
    "vehicle accident": "a vehicle accident",
    "struck": "being struck or crushed",
    "assault": "an assault",
}
FACET_WORDS = {
    "condition": "the condition asked",
    "finding": "the condition asked",
    "repeat": "an earlier study",
    "together": "all the findings asked together",
    "history": "the treatment already had (or never had)",
    "quantity": "the quantity asked",
    "strength": "the strength asked",
    "frequency": "the visits a week asked",
    "duration": "the duration asked",
    "contrast": "the contrast asked",
    "release": "the release asked",
    "acquired": "the purchase or rental asked",
    "side": "both sides asked",
    "year": "the year asked",
    "age": "the worker's age asked",
    "injured": "the date of injury asked",
    "section": "the guideline section asked",
    "sex": "the worker's sex asked",
    "reviewer": "the reviewer's specialty",
    "switched": "the guidelines asked of the reviewer",
    "mechanism": "how the injury happened",
    "chapter": "the guideline chapter asked",
    "page": "the guideline page asked",
    "partial": "partial decisions",
    "regions": "the several body regions asked",
    "letter": "how the letter's decisions went together",
    "items": "the number of decisions the letter made",
    "setting": "where the care is given",
    "region": "the body region",
    "form": "the form",
    "variant": "the words no letter holds",
    "named": "the kind named",
    "alone": "the drug alone",
    "product": "its drugs alone",
    "holding": "all of its drugs",
    "structure": "the structure operated on",
    "specialty": "the specialist named",
    "alongside": "the other decision in the letter",
    "followed": "the decision the reviewer tied it to",
    "category": "the kind of care",
}
# relaxing one of these answers about another treatment than the one asked
IDENTITY = frozenset(
    {"variant", "region", "form", "named", "product", "holding", "alone", "structure", "specialty",
     "category"}
)  # fmt: skip


def answer_question(retriever: Retriever, question: str, k: int = 10) -> Answer:
    """The answer to `question` from the snapshot `retriever` searches (at most `k` precedents).
    A word no letter holds that is a slip of a known word is read as it, and the answer says so
    ("Read "physcial" as "physical".")."""
    question = clean_query(question)
    if not question:
        raise EmptyQueryError("question has no letter or digit to answer from")
    read, readings = respell(question, retriever.holds)
    answer = _answer(retriever, read, k)
    if not readings:
        return answer
    said = ", ".join(f'"{word}" as "{reading}"' for word, reading in readings)
    return replace(answer, question=question, text=f"Read {said}. {answer.text}")


def _answer(retriever: Retriever, question: str, k: int) -> Answer:
    q = _with_states_unread(understand(question, held=retriever.holds))
    understood = tuple(Understood(f.name, f.value, f.words) for f in q.facets) + tuple(
        Understood("state", concept, words) for concept, words in _states_said(q)
    )
    population = find_population(retriever, q)
    if population is None:
        return _abstain(retriever, q, understood)
    if kind := _decided_elsewhere(retriever, q, population):
        return _abstain(retriever, q, understood, elsewhere=(kind, population.treatment))
    items = population.items
    ids = retriever.corpus.item_ids_at(np.flatnonzero(items)[:MAX_LISTED_ITEMS])
    counts = _outcomes(retriever, items)
    # the overturned decisions first when sought, however they rank among the rest; where no
    # decision had the region asked, those of its part of the body ("an ankle x-ray": the
    # knee's and the leg's before a chest x-ray)
    groups = [items]
    if q.wants_overturned:
        overturned = column_mask(retriever.store, fields.OUTCOME, {Outcome.OVERTURNED.value})
        groups = [items & overturned, items & ~overturned]
    if "region" in population.relaxed and (kin := _kindred_regions(retriever, q)) is not None:
        groups = [g for group in groups for g in (group & kin, group & ~kin)]
    if order := asks_date_order(q.text):  # "the most recent decision on Norco": by the day
        hits = []
        for group in groups:
            if len(hits) < k and group.any():
                hits += _in_date_order(retriever, question, group, k - len(hits), q, order)
    elif len(groups) > 1:
        vector, hits = retriever.query_vector(question), []
        for group in groups:
            if len(hits) < k and group.any():
                hits += retriever.search(
                    question, k=k - len(hits), within=group, vector=vector, reading=q
                )
    else:
        hits = retriever.search(question, k=k, within=items, reading=q)
    precedents = tuple(
        Precedent(h.item, h.score, evidence_sentence(h.item, question, q)) for h in hits
    )
    cited = _cited_items(retriever, items, [p.item for p in precedents], q.asks_guideline)
    citations = citation_counts(cited)
    named = sources_named(q.text) if q.asks_guideline else ()  # "What ODG sections ..."
    if q.cited_alone:
        named = (q.cited_alone,)  # "when MTUS is silent": the ODG's
    citing = {s: sum(s in i.guideline_sources for i in cited) for s in named}  # "ODG or MTUS?"
    evidence = tuple(
        Evidence(p.item_id, p.evidence) for p in precedents[:MAX_EVIDENCE] if p.evidence
    )
    broad = None
    if population.narrowed_by and not np.array_equal(population.treatment, items):
        treatment = population.treatment
        broad = Broad(int(treatment.sum()), _outcomes(retriever, treatment), population.narrowed_by)
    total = sum(counts.values())
    answer = Answer(
        question=question,
        text="",
        precedents=precedents,
        outcome_counts=counts,
        citations=citations,
        evidence=evidence,
        sufficient_evidence=total >= MIN_PRECEDENTS and not IDENTITY & set(population.relaxed),
        understood=understood,
        population=PopulationSummary(total, population.matched_on, population.relaxed, tuple(ids)),
        interval=wilson(counts[Outcome.UPHELD.value], total),
        broad=broad,
    )
    asked_ur = q.asks_guideline and asks_ur_cited(q.text) and not q.values("switched")
    if asked_ur and _OVERTURNED_ONES.search(q.text):  # "what did UR cite in the overturned PT
        # decisions?": those denials alone
        cited = [i for i in cited if i.outcome is Outcome.OVERTURNED]
    ur = citation_counts([_as_cited_by_ur(i) for i in cited]) if asked_ur else ()
    return _with_text(retriever, answer, q, population, named, citing, ur)


# The overturned decisions named as those asked about ("in the overturned PT decisions").
_OVERTURNED_ONES = re.compile(
    r"\b(?:overturned|reversed) (?:[\w-]+ ){0,3}?(?:decisions|cases|ones|requests|denials)\b", re.I
)


def _as_cited_by_ur(item: Item) -> Item:
    """`item` with the claims administrator's citation in place of the reviewer's."""
    cited = parse_citation(item.claims_administrator_guideline)
    return replace(
        item,
        maximus_guideline=item.claims_administrator_guideline,
        guideline_sources=cited.sources,
        mtus_sections=cited.mtus_sections,
        pages=cited.pages,
    )


def _in_date_order(
    retriever: Retriever, question: str, items: np.ndarray, k: int, q: Question, order: str
) -> list[Hit]:
    """The `k` decisions of `items` made last (`order` "newest") or first ("oldest"), by the
    day IMR decided, the best-matching first within a day; those undated after, by match."""
    column = retriever.store.column(fields.DATE)
    counts = column.counts(items)
    days = sorted(np.flatnonzero(counts), key=lambda c: column.values[c])
    chosen, n = [], 0
    for code in reversed(days) if order == "newest" else days:  # the days until k decisions
        chosen.append(code)
        n += int(counts[code])
        if n >= k:
            break
    within = items & column.mask(np.array(chosen, np.int32))
    hits = retriever.search(question, k=n, within=within, reading=q) if n else []
    rank = {code: at for at, code in enumerate(chosen)}
    day = {value: rank[code] for code, value in enumerate(column.values) if code in rank}
    hits = sorted(hits, key=lambda h: day[h.item.decision_date])[:k]
    if len(hits) < k and (undated := items & ~column.mask(np.flatnonzero(counts))).any():
        hits += retriever.search(question, k=k - len(hits), within=undated, reading=q)
    return hits


EXPORT_COLUMNS = (
    "item_id", "decision_date", "treatment", "outcome", "reasons", "guideline_sections", "link",
)  # fmt: skip


def population_csv(corpus: Corpus, answer: Answer) -> str:
    """Every item the answer counts (up to MAX_LISTED_ITEMS), one CSV row each: its id, date,
    treatment, outcome, the decisive reasons shown, the guideline sections cited and its link."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for item in corpus.items(answer.population.item_ids):
        sections = [
            f"{c.source} {c.section}" if c.section else c.source for c in citation_counts([item])
        ]
        writer.writerow(
            (
                item.id,
                item.decision_date or "",
                item.name,
                item.outcome.value,
                "; ".join(r.code for r in item.shown_reasons),
                "; ".join(sections),
                f"/letters/{item.letter_id}#item-{item.index}",
            )
        )
    return out.getvalue()


def wilson(successes: int, n: int, z: float = 1.96) -> Interval | None:
    """The Wilson score interval of a proportion (95% by default); None when n is 0."""
    if n == 0:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Interval(
        round(p, 4), round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)
    )


def evidence_sentence(item: Item, question: str, q: Question | None = None) -> str:
    """The sentence that carries the item's decisive reason (verbatim): of the condition the
    question `q` asks, when the item has it (the reason code stated; the sentence saying a
    finding asked absent is absent, or mentioning one asked present), else its first; else
    the rationale sentence sharing most words with the question that is not the verdict
    formula."""
    return _with_antecedent(item, _evidence_sentence(item, question, q))


def _evidence_sentence(item: Item, question: str, q: Question | None) -> str:
    if q is not None and (found := _condition_sentence(item, q)):
        return found
    if item.reasons:
        # not a bare verdict ("Therefore, the request is medically necessary.") nor the case's
        # history ("The injured worker sustained a work related injury on ..."), which a reason
        # found for want of any other can be: another reason's, else the case's last word
        # (a verdict that says no ground, "For these reasons, both studies are medically
        # necessary", after the case's conclusion)
        says = [r.sentence for r in item.reasons if _says_why(r.sentence, item)]
        grounded = next((s for s in says if not _CONCLUDING.search(s)), "")
        return (
            grounded
            or _last_case_sentence(item)
            or next(iter(says), "")
            or item.reasons[0].sentence
        )
    if concluded := _last_case_sentence(item, cued=True):  # no reason labelled: where the
        return concluded  # reviewer last speaks of this case ("In this case, ...")
    wanted = set(lexical_tokens(question))
    best, best_score = "", 0.0
    for sentence in split_sentences(item.rationale):
        if not 40 <= len(sentence) <= 450 or _VERDICT.search(sentence):
            continue
        if _HISTORY.search(sentence) or _bare(sentence, item):  # "This is a request for a
            continue  # right elbow MRI.": the request, no reason
        overlap = len(wanted & set(lexical_tokens(sentence)))
        if overlap > best_score:
            best, best_score = sentence, overlap
    return best


# A short sentence that points back ("These criteria are not met.", "It is recommended for a
# trial basis ..."): alone it does not say what it is about.
_ANAPHORIC = re.compile(r"(?:These|This|Those|Such|It|They|Both|Neither)\b")


def _with_antecedent(item: Item, sentence: str) -> str:
    """`sentence`, after the rationale sentences before it (verbatim, as they stand) when it is
    short and points back to them: back to one that does not point back itself, within 450
    characters ("It is not indicated for ... It is recommended for ..." after what "it" is)."""
    if not sentence or len(sentence) >= 80 or not _ANAPHORIC.match(sentence):
        return sentence
    sentences = split_sentences(item.rationale)
    at = next((i for i, s in enumerate(sentences) if s == sentence), 0)
    start = at
    while start > 0 and _ANAPHORIC.match(sentences[start]):
        start -= 1
    begin = item.rationale.find(sentences[start])
    end = item.rationale.find(sentence, begin) + len(sentence)
    quoted = item.rationale[begin:end]  # as the rationale has them, whitespace and all
    return quoted if start < at and begin >= 0 and len(quoted) <= 450 else sentence


def _says_why(sentence: str, item: Item) -> bool:
    """Whether `sentence` can say why `item` was decided: not the case's history, nor a bare
    verdict (naming no more than the request and the verdict's words)."""
    if _HISTORY.search(sentence):
        return False
    return not _VERDICT.search(sentence) or not _bare(sentence, item)


def _bare(sentence: str, item: Item) -> bool:
    """Whether `sentence` names no more than `item`'s request and a verdict's words."""
    named = set(lexical_tokens(item.name))
    said = [t for t in lexical_tokens(sentence) if t not in named and t not in _VERDICT_WORDS]
    return len([t for t in said if not t[0].isdigit()]) <= 1


def _last_case_sentence(item: Item, cued: bool = False) -> str:
    """The rationale's last sentence on this case (not the guideline's rule, the case's
    history or a verdict), where reviewers conclude why; or "". `cued`: only one that says it
    speaks of this case (`speaks_of_case`)."""
    case = [
        s
        for s in split_sentences(item.rationale)
        if 40 <= len(s) <= 450
        and not (_VERDICT.search(s) and not _GIVEN.match(s))  # (a verdict with its ground:
        # "Given the fracture on plain films, the CT was medically necessary")
        and not _HISTORY.search(s)
        and not _PROCESS.search(s)
        and not states_the_rule(s)
        and not _bare(s, item)
        and (speaks_of_case(s) or not cued)
    ]
    return case[-1] if case else ""


def _condition_sentence(item: Item, q: Question) -> str:
    """The item's sentence stating the condition `q` asks, or ""."""
    codes = set(q.values("condition"))
    stated = [r.sentence for r in item.reasons if r.code in codes]  # not a bare verdict ("this
    # request for right knee MRI is medically necessary" states the criteria met)
    if said := next((s for s in stated if _says_why(s, item)), ""):
        return said
    # each finding as the population reads it: singular or plural, or another form of its
    # concept ("arthritis": osteoarthritis)
    absent = [set(inflected(f)) for f in q.values("absent")]
    present = [set(inflected(f)) for f in q.values("clinical")]
    if not absent and not present:  # a state the letter says ("initiating opioid therapy")
        return _state_sentence(item, state_concepts(q), denied_states(q))
    for sentence in split_sentences(item.rationale):
        lowered = sentence.lower()
        negated = [set(lexical_tokens(s)) for s in absent_spans(lowered)] if absent else []
        if any(finding & span for finding in absent for span in negated):
            return sentence
        if present and any(finding & set(lexical_tokens(lowered)) for finding in present):
            return sentence
    return ""


def _state_sentence(item: Item, states: Sequence[str], denied: Sequence[str]) -> str:
    """The item's first rationale sentence saying one of `states` in its concept's words (those
    `denied`, inside a negation: "no evidence of ... goals"), or "": read by the vocabulary's
    own matcher, as the population read the letter."""
    if not states:
        return ""

    def says(sentence: str) -> bool:
        lowered = sentence.lower()
        said = set(conditions_named(lowered))
        negated = set(conditions_named(" ".join(absent_spans(lowered)))) if denied else set()
        return any(state in (negated if state in denied else said) for state in states)

    saying = [s for s in split_sentences(item.rationale) if not _VERDICT.search(s) and says(s)]
    # the reviewer on this case before a guideline's rule ("no clear rationale ... for
    # initiating opioid therapy" before "initiation of opioids ... should be a trial")
    return next((s for s in saying if not _RULE.search(s)), saying[0] if saying else "")


def citation_counts(items: Sequence[Item]) -> tuple[CitationCount, ...]:
    """Each guideline (source, section, pages) and how many of `items` cite it, most first."""
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
        # in a fixed order, so ties among the most cited come out the same in every process (a
        # set's order follows the string hash, seeded per process)
        counter.update(sorted(cited, key=lambda key: tuple(part or "" for part in key)))
    return tuple(
        CitationCount(source, section, pages, n)
        for (source, section, pages), n in counter.most_common()
    )


# "How many letters are in the corpus?", "the number of letters about Norco": letters, not items.
_HOW_MANY_LETTERS = re.compile(
    r"\b(?:how many|number of|count of) (?:[\w-]+ ){0,2}(?:letters|determinations)\b", re.I
)


def _tallied_by(q: Question, population: Population) -> tuple[str, str | None]:
    """What a question asks the population tallied by, in words and as the decision fact's
    column (None: no such tally): the reviewer's specialty ("Which reviewer specialties overturn
    most often?"), the drug class ("Which medications are denied most often?"), the kind of care
    ("Which treatments are overturned most often?")."""
    if asks_by_reviewer(q.text):
        return "reviewer's specialty", fields.SPECIALTY
    if asks_by_region(q.text) and not q.values("region"):
        return "body region", fields.REGION
    if asks_by_mechanism(q.text) and not q.values("mechanism"):
        return "mechanism of injury", fields.MECHANISM
    if _compares_regions(q, population):  # "the cervical spine compared with the lumbar spine"
        return "body region", fields.REGION
    if population.matched_on[:1] == ("drug_class",) and _asks_which_of(q):
        return "drug", fields.INGREDIENT  # "Which opioid is most often approved?"
    drugs = q.values("category") == ("medication",) and population.matched_on[:1] == ("category",)
    if (population.treatment.all() or drugs) and asks_by_kind(q.text):
        return ("drug class", fields.DRUG_CLASS) if drugs else ("kind of care", fields.CATEGORY)
    return "kind of care", None


def _asks_which_of(q: Question) -> bool:
    """Whether `q` asks which member of the drug class it names ("Which opioid is most often
    approved?", "What muscle relaxants get denied?"): each drug's own tally."""
    return q.asks_outcome and any(
        re.search(rf"\b(?:which|what)(?: kinds? of| types? of)? {re.escape(words)}\b", q.text, re.I)
        for words in q.words("drug_class")
    )


def _compares_regions(q: Question, population: Population) -> bool:
    """Whether `q` asks how decisions went in two or more body regions it names ("How often are
    requests for the cervical spine overturned compared with the lumbar spine?", "How do knee
    MRIs compare to shoulder MRIs?", "knee vs shoulder arthroscopy"): each region's own
    tally."""
    return len(set(q.words("region"))) > 1 and (  # (each in its own words: "back" is one)
        q.compares
        or (q.asks_outcome or bool(_COMPARE.search(q.text)))  # "How do knee MRIs compare
        and bool(_COMPARING.search(q.text))  # to shoulder MRIs?"
    )


# (the question as read: "compared with", "vs" are "or" there)
_COMPARING = re.compile(
    r"\b(?:compared?|comparing|versus|vs\.?|than|or)\b.*\b(?:often|likely|rate|percent\w*|"
    r"share|more|less)\b|\b(?:how often|which|what (?:share|percent\w*|rate))\b.*\b(?:or|than)\b|"
    r"\b(?:more|less|fewer)\b.*\bthan\b|\bcompared?\b|"  # "knee requests overturned more
    # than back requests"; "shoulder MRIs get approved more than knee MRIs", read "approved or"
    r"\bfare[sd]?\b.*\bor\b|"  # "do shoulder MRIs fare better than knee MRIs?", read "fare or"
    r"\b(?:approved|upheld|denied|overturned|certified) (?:more |less )?(?:often )?or\b|"
    r"\bboth (?:the )?\w+ (?:spine )?and (?:the )?\w+\b|"  # "both cervical and lumbar MRIs"
    r"\b[\w-]+ ([\w-]+) or (?:the |an? )?[\w-]+ \1\b|"  # "lumbar MRI vs cervical MRI", read
    # "lumbar MRI or cervical MRI": the treatment named again with each region
    r"\b(?:more|less) (?:often|likely)\b.*\bor\b|"  # "upheld more often for the neck or the back"
    r"\b(?:more|fewer)\b.*\bor\b|"  # "were more knee or shoulder MRIs overturned?"
    r"\bdiffer(?:s|ed|ence|ences|ent)?\b|\bor\b.*\b(?:outcomes|results)\b",  # "how do cervical
    # and lumbar MRI outcomes differ?", "cervical vs lumbar MRI outcomes" (read "or")
    re.I,
)
_COMPARE = re.compile(
    r"\bcompar(?:e[sd]?|ing|ison)\b|\bdiffer(?:s|ed|ence|ences|ent)?\b|\boutcomes\b", re.I
)


def _by_column(retriever: Retriever, name: str) -> list[tuple[str, np.ndarray]]:
    """Each value of a decision fact (the kind of care, the drug class) with its items."""
    column = retriever.store.column(name)
    return [(value, column_mask(retriever.store, name, {value})) for value in column.values]


def _each(
    retriever: Retriever, items: np.ndarray, name: str, values: Sequence[str]
) -> list[tuple[str, dict[str, int]]]:
    """Each of `values` of the value column `name` with the outcomes of its share of `items`."""
    return [
        (value, _outcomes(retriever, items & column_mask(retriever.store, name, {value})))
        for value in values
    ]


# A drug's forms as the answer names them; "other": the request names none.
_FORM_WORDS = {"other": "form not stated"}


def _drug_forms(
    retriever: Retriever, q: Question, population: Population
) -> list[tuple[str, dict[str, int]]]:
    """Each form of a drug asked without one, with its decisions' outcomes, where its decisions
    are of more than one form stated ("gabapentin": two capsules and two compounded creams are
    not one kind of request); [] otherwise."""
    if not (q.values("ingredient") or q.values("drug_class")) or q.values("product"):
        return []
    if drug_and_care_listed(q):  # "the MRI and the gabapentin": no form of the MRI
        return []
    column = retriever.store.column(fields.FORM)
    split = _each(retriever, population.items, fields.FORM, column.values)
    split = [(f, c) for f, c in split if sum(c.values())]
    if len([f for f, _ in split if f not in _FORM_WORDS]) < 2:  # one form, and some unstated
        return []
    return [(_FORM_WORDS.get(form, form), c) for form, c in split]


def _by_year(retriever: Retriever, question: str) -> list[tuple[str, np.ndarray]]:
    """The years IMR decided in that `question` names (every indexed year when it names fewer
    than two: "year by year"), in order, each with its items."""
    named = years_named(question)
    indexed = set(retriever.store.column(fields.YEAR).values)
    years = sorted(named if len(named) > 1 else indexed)
    return [(year, column_mask(retriever.store, fields.YEAR, {year})) for year in years]


def _outcomes(retriever: Retriever, items: np.ndarray) -> dict[str, int]:
    column = retriever.store.column("outcome")
    counts = column.counts(items)
    found = {column.values[c]: int(n) for c, n in enumerate(counts)}
    return {o.value: found.get(o.value, 0) for o in Outcome}


# Body regions of one part of the body: the nearest neighbours of a region no decision had.
_KINDRED = (
    frozenset({"shoulder", "elbow", "wrist_hand", "upper_extremities"}),
    frozenset({"hip", "knee", "ankle_foot", "lower_extremities"}),
    frozenset({"cervical", "thoracic", "lumbar"}),
)


def _kindred_regions(retriever: Retriever, q: Question) -> np.ndarray | None:
    """The items of a region in the same part of the body as one `q` asks (the leg's for the
    ankle), or None when it asks none of those."""
    asked = set(q.values("region"))
    near = set().union(*(group for group in _KINDRED if group & asked))
    if not near:
        return None
    return column_mask(retriever.store, fields.REGION, near)


def _citing(retriever: Retriever, source: str) -> np.ndarray:
    """A mask over items: those whose reviewer cited `source` (MTUS, ODG, ACOEM)."""
    return column_mask(retriever.store, fields.SOURCE, {source})


def _cited_items(
    retriever: Retriever, items: np.ndarray, precedents: list[Item], whole: bool
) -> list[Item]:
    """The items whose citations are counted: the whole population for a question about
    guidelines (up to MAX_CITED_ITEMS), else the precedents shown."""
    if not whole:
        return precedents
    positions = np.flatnonzero(items)[:MAX_CITED_ITEMS]
    return retriever.corpus.items_at(positions)


def _odg_topic(guideline: str) -> str | None:
    match = re.search(
        r"(?:Official Disability Guidelines \(ODG\)|\bODG\b),?\s*([^.]{3,80})", guideline
    )
    return match.group(1).strip(" ,") if match else None


def _class_words(q: Question) -> list[str]:
    """The words of the drug classes `q` names, less those that are context beside the drug it
    asks ("tramadol with an SSRI", "Norco with a muscle relaxant": the drug's decisions, no
    class's; `rag.matching.treatment_mask`): a class of none of the drugs named, and not named
    by them as its examples. A compounded product is a kind of product, never context ("compound
    creams with naproxen")."""
    drugs = q.values("ingredient")
    if not drugs or named_as_examples(q):
        return list(q.words("drug_class"))
    return [
        f.words
        for f in q.facets
        if f.name == "drug_class"
        and (f.value == "compounded" or any(in_class(d, f.value) for d in drugs))
    ]


# A category's word that names no care alone ("was a psychological evaluation approved?": the
# category counted is psychological care, testing and biofeedback alike).
_CARE_OF = frozenset({"psychological", "psych", "psychiatric", "psychologic"})


def _label(q: Question, without: Sequence[str] = (), dropping: Sequence[str] = ()) -> str:
    """How the answer names what was asked: the question's own words for the treatment (and its
    region and form, unless relaxed `without` them), less a treatment's words `dropping`."""
    if "form" not in without and (paired := forms_paired(q)):  # "topical lidocaine or oral
        # gabapentin"
        return _either([said for *_, said in paired])
    words = [*q.words("ingredient"), *_class_words(q)]
    if "alone" in without:  # "Tylenol" without the drug alone: the products holding it (by the
        # drug's name, not the brand's: "Hysingla" is hydrocodone alone)
        drugs = {f.words: f.value for f in q.facets if f.name == "ingredient"}
        held = list(dict.fromkeys(drugs.get(w, w) for w in words))
        words = [f"products holding {_either(held)}"] if held else []
    if "product" in without:  # "Terocin" without all of its drugs: those holding any of them;
        # without its drugs alone, those holding all of them among others
        joined = "or" if "holding" in without else "and"
        drugs = _either(list(dict.fromkeys(q.values("ingredient"))), joined)
        words = [f"products holding {drugs}", *q.words("drug_class")]
    words += [  # without the member or kind named ("cane"), what it belongs to ("dme")
        _concept_words(f.value) if "named" in without and member_word(f) else f.words
        for f in q.facets
        if f.name == "treatment" and f.words not in dropping
    ]
    regions = {w.lower() for w in q.words("region")} if "region" in without else set()
    if "region" in without:  # "knee brace" without the knee is a brace
        words = [" ".join(w for w in ws.split() if w.lower() not in regions) for ws in words]
    if "structure" in without:  # "trigger finger release" without the finger is a release
        for said in q.words("structure"):
            words = [re.sub(rf"\b{re.escape(said)}\b\s*", "", ws, flags=re.I) for ws in words]
    words += [w for n in ("specialty", "structure") if n not in without for w in q.words(n)]
    structures = [w.lower() for w in q.words("structure")]
    words += [  # "a cubital tunnel release" without the structure is surgery
        f.value
        if "structure" in without and any(w in f.words.lower() for w in structures)
        else f"{f.words} care"
        if f.words.lower() in _CARE_OF  # "a psych eval": psych care, the category counted
        else f.words
        for f in q.facets
        if f.name == "category"
    ]
    if not any(words) and "region" not in without and len(set(q.values("region"))) > 1:
        said = sorted(dict.fromkeys(q.words("region")), key=lambda w: _at(q.text, w))
        return _either(said)  # "the cervical spine compared with the lumbar spine": either
        # region's decisions
    if not any(words) and q.asked:  # a treatment known by its name alone ("shockwave"), less
        # a region relaxed ("ultrasound of the shoulder" without the shoulder is ultrasound)
        # and less "anything" ("anything for the shoulder": decisions on shoulder), each word
        # once ("knee injury, knee": not "knee knee")
        asked = dict.fromkeys(w for w in q.asked.split() if w.lower() not in regions | ANYTHING)
        words.append(" ".join(asked))
    release = {w.lower() for w in q.words("release")}  # "ER": said as the narrowing
    words += [
        f.value.replace("_", " ")
        if f.name == "region"
        and (
            SPINAL_LEVEL.fullmatch(f.words)
            or ("structure" in without and any(f.words.lower() in s for s in structures))
        )
        else f.words
        for f in q.facets
        if f.name in ("region", "form") and f.name not in without
        if f.words.lower() not in release
        if not (
            f.name == "form"
            and {"product", "alone"} & set(without)
            and f.words in (*q.words("product"), *q.words("ingredient"))
        )
    ]  # a spinal level's region by its name ("L5-S1": lumbar; the level is said unread), and
    # the region of a structure relaxed ("trigger finger release" without the structure is a
    # wrist hand release, not a finger release); not a brand's form, its brand relaxed
    # ("Ultracet" without all its drugs)
    named = list(dict.fromkeys(w for w in words if w))
    named = [  # knee
        w for w in named if not any(w != o and f" {w.lower()} " in f" {o.lower()} " for o in named)
    ]  # ("XR" in "voltaren xr")
    named = [w for w in named if not any(o.lower() == f"{w.lower()}s" for o in named)]  # "cream"
    # beside "creams" (the treatment's word and the form's) is said once
    named = _overlapped(named, q.text)
    # in the question's spelling ("MRI", "Norco") and order, a body region or a specialist
    # before a procedure ("x-rays of the knee": knee x-rays; "referral to a surgeon": surgeon
    # referral), not the facets' order
    drugs = {w.lower() for f in q.facets if f.name == "ingredient" for w in f.words.split()}
    before = (  # (a region as the label names it, `_region_words`)
        set()
        if drugs
        else {w for n in ("specialty", "structure") for w in q.words(n)} | _region_words(q)
    )
    units = {  # ("120 tablets of tramadol": tramadol tablets)
        w
        for w in q.words("form")
        if _UNIT_FORM.fullmatch(w.lower()) and re.search(rf"\b{re.escape(w)} of\b", q.text, re.I)
    }
    named.sort(key=lambda w: (w not in before, w in units, _at(q.text, w)))
    brands = {w.lower() for f in _drug_treatments(q) for w in f.words.split()}  # as written,
    # and a one-word name capitalised mid-sentence ("Was Synvisc approved?")
    brands |= _capitalised(q.text) & {
        f.words.lower() for f in q.facets if f.name == "treatment" and " " not in f.words
    }
    named = [_as_written(q.text, w, drugs | brands) for w in named]
    care = {w.lower() for w in q.words("treatment")} if drug_and_care_listed(q) else set()
    if care and (sites := [w for w in named if w.lower() in _region_words(q)]):  # "Norco or
        # lumbar MRI": the region the other treatment's, before it
        at = next((i for i, w in enumerate(named) if w.lower() in care), None)
        if at is not None:
            care.add((joined := " ".join([*sites, named[at]])).lower())
            named = [joined if i == at else w for i, w in enumerate(named) if w not in sites]
    apart = {
        w.lower()
        for w in q.words("ingredient")
        or q.words("drug_class")
        or ((*q.words("treatment"), *q.words("category")) if treatments_listed(q) else ())
    } | care
    listed = [w for w in named if w.lower() in apart]
    example = bool(q.words("ingredient") and q.words("drug_class")) and named_as_examples(q, False)
    if len(listed) > 1 or (listed and example):  # "Norco or Soma", "MRIs or x-rays"
        first = named.index(listed[0])
        named = [w for w in named if w not in listed]
        either = _either(listed)  # a class's examples in brackets: "NSAIDs (naproxen or ...)",
        # "sleep aids like trazodone": "sleep aids (trazodone)"
        examples = example or len(listed) > 1 and _examples_of_class(q)
        named.insert(first, f"({either})" if first and examples else either)
    sites = {w.lower() for w in q.words("region")}
    if (
        len(set(q.values("region"))) > 1
        and len(said := [w for w in named if w.lower() in sites]) > 1
    ):
        # "cervical and lumbar MRIs": the MRIs of either ("cervical or lumbar MRIs")
        first = named.index(said[0])
        named = [w for w in named if w not in said]
        named.insert(first, _either(said))
    forms = {w.lower() for w in q.words("form")}
    if (
        len(set(q.values("form"))) > 1
        and len(compared := [w for w in named if w.lower() in forms]) > 1
        and _forms_compared(q.text, named, compared)
    ):
        # "gel, patch or liquid": "gel, patch or liquid"; "topical NSAIDs ... oral NSAIDs":
        # "topical or oral NSAIDs"
        first = named.index(compared[0])
        named = [w for w in named if w not in compared]
        named.insert(first, _either(compared))
    label = " ".join(named)
    for form in q.words("form"):  # "patches holding lidocaine", not "patches products holding"
        label = re.sub(rf"\b{re.escape(form)} products holding\b", f"{form} holding", label)
    return (
        label
        or q.asked
        or " ".join(q.unknown_terms)
        or " ".join(q.words("clinical"))
        or "this question"
    )


def _region_words(q: Question) -> set[str]:
    """The words a label names `q`'s body regions by, lowercase."""
    return {w.lower() for w in q.words("region")} | {
        v.replace("_", " ") for v in q.values("region")
    }


def _forms_compared(text: str, named: Sequence[str], forms: Sequence[str]) -> bool:
    """Whether the label's `forms` are said side by side ("gel, patch or liquid"), or each
    before the same word ("topical NSAIDs ... oral NSAIDs"), so that one "or" joins them."""
    at = [named.index(f) for f in forms]
    if at == list(range(at[0], at[0] + len(at))):
        return True
    after = [re.search(rf"\b{re.escape(f)}\s+(\w+)", text, re.I) for f in forms]
    return all(after) and len({m[1].lower() for m in after if m}) == 1


# A form named by its units, said after the drug ("tablets of tramadol": tramadol tablets).
_UNIT_FORM = re.compile(r"(?:tablet|tab|capsule|cap|pill|softgel|lozenge)s?")


def _overlapped(named: list[str], text: str) -> list[str]:
    """`named` with two wordings that overlap in the question joined ("topical lidocaine" and
    "lidocaine patch": "topical lidocaine patch", not "topical lidocaine lidocaine patch")."""
    lowered = " ".join(text.lower().split())
    out = list(named)
    for a in named:
        for b in named:
            if a not in out or b not in out or a == b:
                continue
            aw, bw = a.split(), b.split()
            for k in range(min(len(aw), len(bw)) - 1, 0, -1):
                joined = " ".join([*aw, *bw[k:]])
                if [w.lower() for w in aw[-k:]] == [w.lower() for w in bw[:k]] and (
                    joined.lower() in lowered
                ):
                    out[out.index(a)] = joined
                    out.remove(b)
                    break
    return out


# How an answer names a concept by its id: an abbreviation in capitals ("tens": TENS), a kind
# of care by its care ("psychological": psychological care).
_CONCEPT_WORDS = {"xray": "x-ray", "psychological": "psychological care", "nsaid": "NSAID"}
# How a tally names a drug class or a kind of care ("Overturned, by drug class: NSAID ...").
_CLASS_WORDS = {
    "nsaid": "NSAID", "ppi": "PPI", "h2_blocker": "H2 blocker", "compounded": "compounded product",
    "dme": "DME", "tricyclic": "tricyclic antidepressant", "cox2": "COX-2 inhibitor",
}  # fmt: skip


def _concept_words(concept: str) -> str:
    if concept in _CONCEPT_WORDS:
        return _CONCEPT_WORDS[concept]
    return concept.upper() if len(concept) <= 4 else concept.replace("_", " ")


def _example_drugs(
    retriever: Retriever, q: Question, items: np.ndarray
) -> list[tuple[str, dict[str, int]]]:
    """The one drug `q` names as an example of the class it asks ("muscle relaxants like Soma",
    "sleep aids like trazodone", "Norco and other narcotic pills") with its own count among
    `items` (empty when none holds it, so the answer says no decision concerns it); [] unless
    it names exactly one, or when its count is the whole of `items`."""
    said = dict.fromkeys(q.words("ingredient"))
    if len(said) != 1 or not (_examples_of_class(q) or named_as_examples(q)):
        return []
    (words,) = said
    drugs = {f.value for f in q.facets if f.name == "ingredient" and f.words == words}
    own = items & column_mask(retriever.store, fields.INGREDIENT, drugs)
    if own.sum() == items.sum():  # all it counts ("Colace or another stool softener")
        return []
    written = _as_written(q.text, words, set(words.lower().split()))
    return [(written, _outcomes(retriever, own) if own.any() else {})]


def _examples_of_class(q: Question) -> bool:
    """Whether the drugs `q` names are examples of the class it names ("opioids like Norco or
    tramadol"), not drugs beside a class it names for context ("omeprazole with an NSAID")."""
    classes = set(q.values("drug_class"))
    drugs: dict[str, set] = {}
    for f in q.facets:
        if f.name == "ingredient":
            drugs.setdefault(f.words, set()).add(class_of(f.value))
    return bool(classes) and all(found & classes for found in drugs.values())


def _at(text: str, words: str) -> int:
    """Where `words` first stand in `text` (case aside); past its end when they do not."""
    at = text.lower().find(words.lower())
    return at if at >= 0 else len(text)


def _name_written(text: str, words: str) -> str | None:
    """`words` as `text` writes them in a name, with its particle or possessive ("quervain
    release": "De Quervain's release"); None when `text` writes them as they are."""
    m = re.search(rf"\b(?:{NAME_PARTICLE} )?{name_run(words.split())}(?!\w)", text, re.I)
    return m[0] if m and m[0].lower() != words.lower() else None


def _capitalised(text: str) -> set[str]:
    """The words `text` capitalises mid-sentence, lowercased: names ("Was Synvisc approved?")."""
    return {m[1].lower() for m in re.finditer(r"[\w,] ([A-Z][a-z]+)\b", text)}


def _as_written(text: str, words: str, names: Collection[str] = ()) -> str:
    """`words` as `text` spells an abbreviation or a name in them ("MRI", "L5-S1", a drug of
    `names`: "Norco"), other words in lower case (a sentence's or a title's capital: "Lumbar",
    "Knee & Leg"); as given when `text` does not hold them."""
    at = _at(text, words)
    if at == len(text):
        return words
    return " ".join(
        w if any(c.isupper() or c.isdigit() for c in w[1:]) or w.lower() in names else w.lower()
        for w in text[at : at + len(words)].split(" ")
    )


def _when(asked: str) -> str:
    """A year facet's value as a sentence says it: "in 2025", "since December 2025"."""
    word, year = asked.split(" ", 1)
    if "-" in year:
        year, month = year.split("-")
        year = f"{calendar.month_name[int(month)]} {year}"
    return f"{word} {year}"


def _facet_words(name: str, q: Question, relaxed: Sequence[str] = ()) -> str:
    """How the answer names a facet it relaxed (with the others `relaxed`): the history as what
    the question says of it, already had ("who failed gabapentin") or not yet had ("no prior
    PT"), or both; a reason and the findings beside it each in their own words, or together."""
    if name == "history" and not (q.values("history") and q.values("not_had")):
        said = "already had" if q.values("history") else "not yet had"
        had = [f.words for f in q.facets if f.name in _WORKER_HAD]
        words = ", ".join(dict.fromkeys(f'"{_as_written(q.text, w, had)}"' for w in had))
        return f"the treatment {said} ({words})" if words else f"the treatment {said}"
    if name in ("condition", "finding") and (said := _condition_words(q, name, relaxed)):  # the
        # condition asked ("weaning")
        quoted = ", ".join(dict.fromkeys(f'"{_as_written(q.text, w)}"' for w in said))  # ("PTSD";
        # two findings negated together are said once: "no locking or catching")
        return f"{FACET_WORDS[name]} ({quoted})"
    if name == "year" and not re.search(r"\b(?:19|20)\d\d\b", said := q.words("year")[0]):
        return f'the time asked ("{said}": {_when(q.values("year")[0])})'  # "last year": which
    if name == "year" and "-" in q.values("year")[0]:  # "in March 2017"
        return "the month asked"
    return FACET_WORDS[name]


_WORKER_HAD = ("history", "not_had")  # the facets of what the worker had, or had not


def _condition_words(
    q: Question, name: str = "condition", relaxed: Sequence[str] = ()
) -> list[str]:
    """The question's words for its condition: the reason's, the findings', or, with neither,
    the states it names in their concepts' words ("weaning", "retro"). Of a reason with findings
    beside it (rag.population's "condition" and "finding"), the part `name` is, unless both
    were `relaxed`."""
    names = ["condition", "clinical", "absent"]
    if q.values("condition") and not {"condition", "finding"} <= set(relaxed):
        names = ["clinical", "absent"] if name == "finding" else ["condition"]
    said = [f.words for f in q.facets if f.name in names]
    return said or [words for _, words in _states_said(q)]


def _states_said(q: Question) -> list[tuple[str, str]]:
    """The states `q` names that narrow its population when no reason or finding does (rag.
    population reads them from the text), each with the words naming it."""
    if any(f.name in _CONDITIONS for f in q.facets):
        return []
    return _said_states(q, state_concepts(q))


_CONDITIONS = ("condition", "clinical", "absent")


def _with_states_unread(q: Question) -> Question:
    """`q`, with the states it names that no reason or finding holds said unread where a reason
    or finding narrows instead ("MRI of the knee for meniscus tear symptoms and no x-ray first":
    the tear narrows, the x-rays not taken are said, not dropped in silence)."""
    if not any(f.name in _CONDITIONS for f in q.facets):
        return q
    read = [_words_only(f.words) for f in q.facets if f.name in (*_CONDITIONS, "unread", "history")]
    clinical = clinical_concepts(q)
    named = [c for c in state_concepts(q) if c not in clinical]
    disputed = urs_disputed_reason(q.text)  # (UR's reason the question answers: no state)
    unread = [
        said
        for _, said in _said_states(q, named)
        if not any(_words_only(said) in w or w in _words_only(said) for w in read)
        and said.lower() not in disputed
    ]
    facets = [Facet("unread", said, said) for said in dict.fromkeys(unread)]
    return replace(q, facets=(*q.facets, *facets)) if facets else q


def _words_only(words: str) -> str:
    """`words` in lower case, its punctuation as spaces ("denied - no neuro deficits, no red
    flags": the words a negation's phrase has, "no neuro deficits no red flags")."""
    return " ".join(re.sub(r"[^\w\s/'-]|\s-\s", " ", words.lower()).split())


def _said_states(q: Question, named: Sequence[str]) -> list[tuple[str, str]]:
    """Each of the state concepts `named`, with the words of `q` naming it (with their negation,
    where `q` denies it: "without a new injury")."""
    lowered, out = q.text.lower(), []
    denied = set(denied_states(q))
    negated = [phrase for phrase, _ in negations(lowered)] if denied else []  # (read once)
    for concept in named:
        forms = [f for f in concepts()[concept].forms if re.search(rf"\b{re.escape(f)}", lowered)]
        said = max(forms, key=len) if forms else concept.replace("_", " ")
        if concept in denied:  # "without a new injury": said with its negation, as asked
            said = next((p[: p.find(said) + len(said)] for p in negated if said in p), said)
        out.append((concept, said))
    return out


def _phrases(text: str, words: Sequence[str]) -> list[str]:
    """`words` (in the order `text` has them, each once) with those that follow one another in
    `text` joined as the phrase they are there ("rotator" and "cuff": "rotator cuff")."""
    out: list[str] = []
    lowered = text.lower()
    for w in sorted(dict.fromkeys(words), key=lambda w: lowered.find(w.lower())):
        if out and re.search(rf"\b{re.escape(out[-1])}[\s-]+{re.escape(w)}\b", text, re.I):
            out[-1] = f"{out[-1]} {w}"
        else:
            out.append(w)
    return out


def _either(words: Sequence[str], conjunction: str = "or") -> str:
    """Alternatives as a sentence lists them: "a", "a or b", "a, b or c" (or "a, b and c")."""
    return f" {conjunction} ".join(filter(None, [", ".join(words[:-1]), words[-1]]))


# Care of many kinds under one name, whose kinds on another part of the body are no neighbours of
# the one asked (a shoulder repair is none of a fusion, a lumbar epidural none of a shoulder
# injection, as a lumbar epidural is of a cervical one): the category, what its items are called
# and what to ask to see them.
_KINDS_APART = {"surgery": ("Operations", "surgery"), "injection": ("Injections", "injections")}


def _decided_elsewhere(retriever: Retriever, q: Question, population: Population) -> str:
    """The category of care of `_KINDS_APART` ("surgery") when `population` holds only its
    items on other parts of the body than the one asked ("lumbar fusion", "a cubital tunnel
    release", "a shoulder injection" where no spine, elbow or shoulder one was decided), else "";
    not where the kind asked was kept and some of it lies in the same part of the body (a
    cervical fusion's neighbour is a lumbar one; a lumbar decompression's is no shoulder's). An
    item naming no part of the body (a surgical assistant) may be of the one asked, and stays a
    neighbour where none names another."""
    if "region" not in population.relaxed or not population.items.any():
        return ""
    kept = {"named", "structure", "variant", "product"} & set(population.matched_on)
    near = _kindred_regions(retriever, q)
    if kept and near is not None and (population.items & near).any():
        return ""
    store = retriever.store
    placed = any_value(store, fields.REGION)
    for category in _KINDS_APART:
        if category not in q.values("treatment"):
            continue
        kind = column_mask(store, fields.CATEGORY, {category})
        if not (population.items & ~kind).any() and (population.items & placed).any():
            return category
    return ""


def _abstain(
    retriever: Retriever,
    q: Question,
    understood: tuple[Understood, ...],
    elsewhere: tuple[str, np.ndarray] | None = None,
) -> Answer:
    """The answer when no decision concerns what `q` asks; `elsewhere`: a category of care
    (`_KINDS_APART`) and its items decided on other parts of the body than the one asked,
    pointed to and not counted."""
    total = retriever.store.records
    # a name no vocabulary knows, capitalised mid-sentence, as written ("Is Medrox approved?")
    names = _capitalised(q.text) & set(q.unknown_terms)
    drug = q.values("ingredient") or q.values("drug_class") or _drug_treatments(q)  # "Cymbalta
    # for low back pain", "Suboxone for low back pain": a drug, whatever part of the body it was for
    label = (
        _label(q, without=("region",) if drug else ())
        if q.names_treatment or not q.asked
        else _as_written(q.text, _without_anything(q.asked), names)
    )
    said = [_as_written(q.text, w) for w in q.words("clinical")]
    if (
        said
        and not q.names_treatment
        and not {*q.asked.lower().split(), *q.unknown_terms}
        - ANYTHING
        - {w for words in said for w in words.lower().split()}  # "failed back surgery syndrome"
    ):
        label = _either(said)  # "anything for a worker with fibromyalgia": what it was for
    label = _either([label, *unnamed(retriever, q.words("unknown"))])  # "Lyrica and a Zynex
    # unit": neither
    text = (
        f"No decision among {total} indexed items concerns {label}, so there is no "
        "precedent to answer from."
    )
    text += _class_decided(retriever, q)
    if elsewhere is not None:
        text += _kinds_decided(retriever, *elsewhere)
    if cases := q.values("case"):
        text = (
            f"No decision among {total} indexed items is {_either(cases)}: the index does "
            "not hold that case."
        )
    elif injured := q.values("injured"):  # "DOI 01/01/2015 decisions"
        text = (
            f"No indexed letter gives {injured[0]} as the date of injury, so there is no "
            f"precedent to answer from (of the {total} indexed decisions)."
        )
    elif _DEFINES.search(q.text) and _OUTCOME_WORD.search(q.text):  # "What does 'upheld' mean?"
        upheld = int(column_mask(retriever.store, fields.OUTCOME, {Outcome.UPHELD.value}).sum())
        text = (
            '"Upheld" means IMR agreed with the denial: the treatment was found not medically '
            'necessary and the denial stood. "Overturned" means IMR found the treatment '
            f"medically necessary and reversed the denial. Of the {total} indexed decisions, "
            f"{upheld} were upheld and {total - upheld} overturned; ask about a treatment, a "
            "reason or an outcome to see them."
        )
    elif (
        (unread := q.values("unread"))
        and not q.names_treatment
        and {f.name for f in q.facets} <= {"unread", "outcome"}
        and all(any(w in c.lower() for c in unread) for w in q.unknown_terms)
        and not any(c.lower().startswith("for ") for c in unread)
    ):  # "workers injured in 2015", "decisions in Fresno county": what no decision fact
        # records, not what no decision concerns (but "genetic tests for opioid metabolism",
        # "results for hot tubs": a treatment no letter names)
        clauses = " nor ".join(f'"{clause}"' for clause in unread)
        text = (
            f"No decision fact or reason the index holds of its {total} decisions records "
            f"{clauses}, so there is no precedent to answer from."
        )
    elif label == "this question" and (back := pointing_back(q.text)):  # "Does anyone ever
        # win these?": what an earlier question named, which no answer keeps
        text = (
            f'"{back}" points back at what the question does not name, and no earlier question '
            'is kept: name the treatment ("Is Norco upheld?"), or ask of every decision '
            f'("How often does IMR overturn?"); the {total} indexed decisions were not counted.'
        )
    if _ABOUT_THE_PROCESS.search(q.text):  # "How long does IMR take?", "Can I appeal?"
        text = (
            f"The {total} indexed decisions record what IMR decided and why (whether the care "
            "was medically necessary), not how the review process works (its deadlines, forms, "
            "networks, filing or appeals) or whether the injury is accepted; ask about a "
            "treatment, a reason or an outcome."
        )
    return Answer(
        question=q.text,
        text=text,
        precedents=(),
        outcome_counts={o.value: 0 for o in Outcome},
        citations=(),
        evidence=(),
        sufficient_evidence=False,
        understood=understood,
        population=PopulationSummary(0),
    )


def _of_kind(q: Question, label: str, unheard: tuple[str, ...] = ()) -> str:
    """`label` with the kind the question names before it, as written ("open MRI"; each its own
    kind, either: "open or positional MRI"), less the kinds `unheard` ("a bone scan or a PET
    scan": bone scan)."""
    words = tuple(w for w in q.variant_terms if w not in unheard) or q.variant_terms
    kinds = " ".join(words)
    if len(words) > 1 and not re.search(rf"\b{name_run(words)}\b", q.text.lower()):
        kinds = _either(list(words))  # ("an open MRI or a positional MRI")
    return _as_written(q.text, f"{kinds} {label}", set())


def _without_anything(words: str) -> str:
    """`words` less "anything", "something" ("anything about home ramps": home ramps)."""
    return " ".join(w for w in words.split() if w.lower() not in ANYTHING) or words


def _drug_treatments(q: Question) -> list[Facet]:
    """The treatment facets of `q` that name a drug of a class, one the drug dictionary lacks
    but the vocabulary knows as a treatment ("Suboxone")."""
    return [f for f in q.facets if f.name == "treatment" and class_of(f.value)]


def _class_decided(retriever: Retriever, q: Question) -> str:
    """For one drug named that no decision concerns, what its class's decisions are, pointed to
    and not counted ("Xanax": " Other benzodiazepine drugs were decided: diazepam, 2 decisions
    (upheld in 2); ask about benzodiazepine drugs to see them."), or ""."""
    drugs = set(q.values("ingredient")) or {f.value for f in _drug_treatments(q)}
    if len(drugs) != 1 or q.values("product") or q.values("drug_class"):
        return ""
    kind = class_of(next(iter(drugs)))
    items = drug_classes_mask(retriever.store, {kind}) if kind else None
    if items is None or not items.any():
        return ""
    column = retriever.store.column(fields.INGREDIENT)  # the class's drugs, most decided first
    counts = zip(column.values, column.counts(items), strict=True)
    named = Counter({d: int(k) for d, k in counts if k and class_of(d) == kind})
    upheld = _outcomes(retriever, items)[Outcome.UPHELD.value]
    n = int(items.sum())
    kinds = f"{_CLASS_WORDS.get(kind, kind.replace('_', ' '))} drugs"
    listed = _either([d for d, _ in named.most_common(4)], "and")
    listed += " among others" if len(named) > 4 else ""
    return (
        f" Other {kinds} were decided: {listed}, in {n} decision{'s' if n != 1 else ''} "
        f"(upheld in {upheld}); ask about {kinds} to see them."
    )


def _kinds_decided(retriever: Retriever, category: str, items: np.ndarray) -> str:
    """Where the items of `category` (`_KINDS_APART`) were decided, pointed to and not counted
    (" Operations on other parts of the body were decided: 5 shoulder, 2 knee and 1 wrist hand,
    in 11 decisions (upheld in 7); ask about surgery to see them.")."""
    called, asked = _KINDS_APART[category]
    column = retriever.store.column(fields.REGION)
    counts = column.counts(items)
    regions = [
        f"{counts[c]} {column.values[c].replace('_', ' ')}"
        for c in np.argsort(-counts, kind="stable")
        if counts[c]
    ]
    n, upheld = int(items.sum()), _outcomes(retriever, items)[Outcome.UPHELD.value]
    if unsaid := int((items & ~any_value(retriever.store, fields.REGION)).sum()):
        regions.append(f"{unsaid} naming none")
    where = f": {_either(regions, 'and')}," if regions else ""
    return (
        f" {called} on other parts of the body were decided{where} in {n} "
        f"decision{'s' if n != 1 else ''} (upheld in {upheld}); ask about {asked} to see them."
    )


# A question asking what the answers' own outcome words mean ("What does 'upheld' mean?").
_DEFINES = re.compile(r"\b(?:mean|means|meant|meaning|define|definition)\b", re.I)
_OUTCOME_WORD = re.compile(r"\b(?:upheld|uphold|overturned|overturn)\b", re.I)

# A question about the review process itself, which no decision answers.
_ABOUT_THE_PROCESS = re.compile(
    r"\bhow (?:long|quickly|fast|soon|many days) (?:does|do|will|did|is|would|can|until|till|"
    r"before)\b|"
    r"\b(?:can|could|should|do|how do) (?:i|we|you|"
    r"my client|the worker|the doctor) (?:file|appeal|request|apply|submit|challenge)\b|"
    # what IMR is, asked as such ("What does IMR do?"; not of a treatment told before it: "Ambien
    # for more than 6 weeks, what does IMR do?")
    r"(?:^\W*|[:.?!]\s+)what (?:is|are|does) (?:an? )?(?:imr|independent medical review|maximus)"
    r"(?: (?:mean|stand for|do))?\W*$|\b(?:deadline|time limit|how to (?:file|appeal|apply))\b|"
    # the review's procedure, not the care's necessity: a late decision, a call between the
    # doctors, the request's form, the network, whether the injury is accepted
    r"\b(?:untimely|timeliness|sent late|too late|late (?:denial|decision|response))\b|"
    r"\bpeer[- ]to[- ]peer\b|\b(?:never|didn'?t|did not) (?:spoke|speak|talk|talked|call|"
    r"called) (?:to|with)\b|\b(?:never|didn'?t|did not) (?:call|called|contact|contacted|phone|"
    r"phoned|reach|reached) (?:the |his |her )?(?:treating|requesting|attending|primary)? ?"
    r"(?:doctor|physician|provider|ptp|md)\b|"
    r"\brfa forms?\b|\brequest for authori[sz]ation\b|\bmpn\b|"
    r"\bmedical provider network\b|\bcompensab\w*|\baoe/?coe\b|"
    r"\b(?:q|a)me\b|\b(?:panel )?qualified medical evaluat\w+|\bagreed medical evaluat\w+|"  # a
    # QME or AME's role ("what's the difference between IMR and a QME?")
    r"\b(?:injury|claim) "
    r"(?:wasn'?t|was not|isn'?t|is not|hasn'?t been|has not been) (?:accepted|compensable)\b",
    re.I,
)


def _with_text(
    retriever: Retriever,
    answer: Answer,
    q: Question,
    population: Population,
    named: Sequence[str],
    citing: Mapping[str, int],
    ur_cited: Sequence[CitationCount] = (),
) -> Answer:
    """`answer` with its text; `named`: the guidelines the question names, `citing`: how many
    of the decisions whose citations were read cite each; `ur_cited`: what the claims
    administrator cited across them, when the question asks it."""
    neighbours: list[str] = []
    for name in ("region", "form"):  # what the neighbours have instead of what was asked
        if name in population.relaxed:
            column = retriever.store.column(name)
            among = population.items if answer.broad is None else population.treatment
            counts = column.counts(among)  # (before the condition narrows them, as counted)
            order = np.argsort(-counts)
            neighbours += [
                f"{counts[c]} {column.values[c].replace('_', ' ')}" for c in order if counts[c]
            ][:3]
    apart = [  # "Norco and Soma", "acupuncture or chiropractic": each one's own count, and the
        # one no decision concerns
        (_as_written(q.text, words, set(words.split())), _outcomes(retriever, items))
        for words, items in sorted(
            named_apart(retriever, q, population.items), key=lambda d: _at(q.text, d[0])
        )
    ] if not population.relaxed else []  # fmt: skip
    if not apart and not population.relaxed and "drug_class" in population.matched_on:
        apart = _example_drugs(retriever, q, population.items)  # "muscle relaxants like Soma"
    # a treatment listed that no vocabulary knows and no item's name holds ("and H-wave units")
    apart += [(words, {}) for words in unnamed(retriever, q.words("unknown"))]
    why = retriever.reasons_by_outcome(population.items) if asks_reasons(q.text) else None
    kinds_by, column = _tallied_by(q, population)
    only = set(q.values("region")) if _compares_regions(q, population) else None
    if column == fields.INGREDIENT:  # the class's own drugs (Norco's acetaminophen is no opioid)
        classes = set(q.values("drug_class"))
        only = {
            d for d in retriever.store.column(column).values if any(in_class(d, c) for c in classes)
        }
    kinds = [  # "Which treatments are overturned most often?": each kind of care's own tally
        (_CLASS_WORDS.get(kind, kind.replace("_", " ")), _outcomes(retriever, population.items & m))
        for kind, m in _by_column(retriever, column)
        if only is None or kind in only  # (of the regions compared, those named)
    ] if column else []  # fmt: skip
    store, named_sexes = retriever.store, sorted(sexes_named(q.text.lower()))
    sexes = (  # "male workers ... more often than female workers": each one's own tally
        _each(retriever, population.items, fields.SEX, named_sexes) if len(named_sexes) > 1 else []
    )
    reviewers = [  # "orthopedic surgeon reviewers ... more than internists": each one's own
        (words, _outcomes(retriever, population.items & reviewed_by(retriever, v)))
        for words, v in zip(q.words("reviewer"), q.values("reviewer"), strict=True)
    ] if len(q.values("reviewer")) > 1 else []  # fmt: skip
    named_forms = list(dict.fromkeys(q.values("form")))
    forms = (  # "Are topical NSAIDs approved more than oral NSAIDs?": each form's own tally
        _each(retriever, population.items, fields.FORM, named_forms)
        if len(named_forms) > 1 and "form" in population.matched_on
        else []
    )
    counted = quantity_column(q.values("quantity")[0]) if q.values("quantity") else ""
    compared = [  # "Is Norco #60 approved more than #120?": each quantity's own tally
        (words, _outcomes(retriever, population.items & column_mask(store, counted, {n})))
        for n, words in zip(q.values("compared"), q.words("compared"), strict=True)
    ] if "quantity" in population.matched_on else []  # fmt: skip
    if paired := paired_forms(store, q):  # "topical lidocaine vs oral gabapentin": each drug
        # in its own form, tallied apart
        forms = []
        apart = [(said, _outcomes(retriever, population.items & mask)) for said, mask in paired]
    if not all(sum(c.values()) for _, c in forms):  # a form the treatment asked has none of
        forms = []  # ("creams ... than pills": the creams' decisions alone)
    if not named_forms and not population.relaxed:
        forms = _drug_forms(retriever, q, population)
    elif forms:  # "topical creams approved less than oral meds": the forms are what is compared
        # (no count of "meds" beside the creams)
        apart = []
    years = [  # "in 2016 compared with 2017": each year's own tally
        (year, _outcomes(retriever, population.items & mask))
        for year, mask in _by_year(retriever, q.text)
    ] if asks_by_year(q.text) else []  # fmt: skip
    undated = population.items & ~any_value(retriever.store, fields.YEAR)
    if years and len(years_named(q.text)) < 2 and undated.any():  # every year's, and the
        # letters stating no date (the sample letters, without their header): all counted
        years.append(("date not stated", _outcomes(retriever, undated)))
    sources = [  # "Are decisions citing ODG upheld more often?": each guideline's own tally
        (source, _outcomes(retriever, population.items & _citing(retriever, source)))
        for source in named
    ] if q.asks_outcome else []  # fmt: skip
    if all(sum(c.values()) == population.count for _, c in sources):  # every one cites it
        sources = []
    cases = (  # "What did IMR decide in CM17-0012582?": each of its decisions said, the
        # letters in the order named
        retriever.corpus.items_at(np.flatnonzero(population.items)[:MAX_CASE_ITEMS])
        if "case" in population.matched_on
        else []
    )
    # the region asked, matched only by decisions whose requests name no region at all ("a hand
    # surgeon consult": the consultations of none): no figure narrows by it
    unbound, told, aside = False, 0, 0
    if q.values("region"):  # (read over the population's rows only, not every item's)
        offsets, rows = store.column(fields.REGION).matrix.offsets, np.flatnonzero(population.items)
        nameless = (offsets[rows + 1] - offsets[rows]) == 0
        if "region" in population.matched_on:  # care of a region naming none: its letter's
            bound = nameless & column_mask(store, fields.CATEGORY, REGION_BOUND, rows)
            told = int(bound.sum())  # (an operation's own there, its letter's operation's)
            aside = int((bound & operation_aside(store, q)[rows]).sum()) if told else 0
        unbound = bool(nameless.all()) and not told
    named_at = {case.partition("#")[0]: n for n, case in enumerate(q.values("case"))}
    cases.sort(key=lambda i: (named_at.get(i.letter_id, len(named_at)), i.index))
    injured = {  # (the letter's own fact, not its items'; each letter read once)
        letter_id: letter.date_of_injury
        for letter_id in dict.fromkeys(i.letter_id for i in cases)
        if (letter := retriever.corpus.letter(letter_id)) is not None
    }
    letters = (  # "How many letters had more than three items?": how many letters, besides
        len(np.unique(store.record_documents()[population.items]))
        if {"letter", "items"} & set(population.narrowed_by) or _HOW_MANY_LETTERS.search(q.text)
        else 0
    )
    text = _compose(
        answer,
        q,
        population,
        neighbours,
        named,
        citing,
        apart,
        why,
        kinds,
        years,
        cases,
        sources,
        sexes,
        forms,
        kinds_by,
        unbound,
        ur_cited,
        letters,
        reviewers,
        compared,
        overturned_citing=_overturned_citing(retriever, q, population, answer, sources),
        largest=_largest(retriever, population) if asks_largest(q.text) else "",
        injured=injured,
        told=told,
        aside=aside,
        acquired=[  # "TENS unit, rental vs purchase": each one's own tally
            (how, _outcomes(retriever, population.items & mask))
            for how, mask in acquisitions(retriever, q)
        ],
    )
    return replace(answer, text=text)


def _overturned_citing(
    retriever: Retriever,
    q: Question,
    population: Population,
    answer: Answer,
    sources: Sequence[tuple[str, Mapping[str, int]]],
) -> tuple[str, ...] | None:
    """For "which overturned decisions cited ODG?" (one guideline tallied), the overturned
    decisions citing it, the precedents' order first; None for another question."""
    if not q.wants_overturned or len(sources) != 1:
        return None
    overturned = column_mask(retriever.store, fields.OUTCOME, {Outcome.OVERTURNED.value})
    rows = np.flatnonzero(population.items & overturned & _citing(retriever, sources[0][0]))
    ids = retriever.corpus.item_ids_at(rows)
    cited = set(ids)
    shown = [p.item_id for p in answer.precedents if p.item_id in cited]
    return tuple(dict.fromkeys([*shown, *ids]))


def _compose(
    answer: Answer,
    q: Question,
    population: Population,
    neighbours: Sequence[str],
    named: Sequence[str],
    citing: Mapping[str, int],
    apart: Sequence[tuple[str, Mapping[str, int]]] = (),
    why: Mapping[str, Mapping[str, int]] | None = None,
    kinds: Sequence[tuple[str, Mapping[str, int]]] = (),
    years: Sequence[tuple[str, Mapping[str, int]]] = (),
    cases: Sequence[Item] = (),
    sources: Sequence[tuple[str, Mapping[str, int]]] = (),
    sexes: Sequence[tuple[str, Mapping[str, int]]] = (),
    forms: Sequence[tuple[str, Mapping[str, int]]] = (),
    kinds_by: str = "kind of care",
    unbound: bool = False,
    ur_cited: Sequence[CitationCount] = (),
    letters: int = 0,
    reviewers: Sequence[tuple[str, Mapping[str, int]]] = (),
    quantities: Sequence[tuple[str, Mapping[str, int]]] = (),
    overturned_citing: Sequence[str] | None = None,
    acquired: Sequence[tuple[str, Mapping[str, int]]] = (),
    largest: str = "",
    injured: Mapping[str, str | None] | None = None,
    told: int = 0,
    aside: int = 0,
) -> str:
    if "case" in population.matched_on:  # "What did IMR decide in CM17-0012582?"
        return _case_text(answer, cases, q, injured or {})
    everything = bool(population.treatment.all())  # no treatment named: "the remainders?"
    # a region that decided nothing is not named ("Norco for a back injury": Norco, whatever
    # part of the body it was for)
    decided = {*population.matched_on, *population.relaxed}
    unmatched = ("region",) if {"region", "regions"}.isdisjoint(decided) or unbound else ()
    label = "all indexed decisions" if everything else _label(q, without=unmatched)
    parts: list[str] = []
    if "variant" in population.matched_on:  # the kind its items' names say ("bone scan")
        if population.unheard and not population.relaxed:  # the other kinds named, none held
            unheld = _as_written(q.text, f"{_either(list(population.unheard))} {label}", set())
            parts.append(f"No decision concerns {unheld}.")
        label = _of_kind(q, label, population.unheard)
    decisions = f"decisions on {label}"
    if everything:  # "How often does IMR uphold denials?": all of them, unless narrowed
        decisions = "such decisions" if population.narrowed_by else "indexed decisions"
    counts, n = answer.outcome_counts, answer.population.count
    upheld, overturned = counts[Outcome.UPHELD.value], counts[Outcome.OVERTURNED.value]
    if population.relaxed:
        # the words beside the treatment that no letter holds, with their neighbours: "stem cell"
        # (or a kind of it the letters name, none of them where asked: "an open MRI of the
        # knee" where the open MRIs were of other regions)
        kind = "variant" in population.relaxed and not population.undecided
        unheard = " ".join(q.variant_terms if population.unheard or kind else ())
        variant = " ".join(filter(None, [unheard, *population.undecided]))
        variant = _name_written(q.text, variant) or _as_written(
            q.text, variant, _capitalised(q.text)
        )  # "PET", "Medrox", "De Quervain's release", as asked
        said = [
            f'"{variant}"' if f == "variant" else _facet_words(f, q, population.relaxed)
            for f in population.relaxed
            if not (f == "product" and "holding" in population.relaxed)  # (all of its drugs
            # relaxed, its drugs alone are too)
            and not (f == "finding" and "condition" in population.relaxed)  # (said with it)
        ]
        dropped = _either(said, "and")
        closest = _label(
            q, without=(*population.relaxed, *unmatched), dropping=population.undecided
        )
        if "variant" in population.matched_on:  # the kind kept ("open MRI", without the fall)
            closest = _of_kind(q, closest)
        found = f" ({', '.join(neighbours)})" if neighbours else ""
        if unbound and IDENTITY & set(population.relaxed):  # what was asked, its region with
            # it ("No decision concerns hand surgeon consult"), and what the neighbours lack; a
            # drug's region is none of its name ("Ultracet for knee pain": Ultracet)
            drug = q.values("ingredient") or q.values("drug_class") or q.values("product")
            label = _label(q, without=("region",) if drug else ())
            found = found or " (none naming a body region)"
        if unheard:
            written = _name_written(q.text, unheard)
            label = f"{written or _as_written(q.text, unheard, _capitalised(q.text))} {label}"
        if everything:  # "How many were overturned in 2019?": no treatment to fall back on
            over = f"the {n} that match the rest" if population.narrowed_by else f"all {n}"
            parts.append(f"No indexed decision matches {dropped}; these figures are over {over}.")
            missing = ""
        elif IDENTITY & set(population.relaxed):
            missing = f"No decision concerns {label}"
        else:  # the treatment was decided; what narrows it (the condition, quantity) was not
            # (or was, but not with the rest: "Flexeril 10mg #60 denied as beyond 2-3 weeks")
            rest = " together with the rest of the question" if population.matched_apart else ""
            missing = f"No decision on {label} matches {dropped}{rest}"
            dropped = "them" if len(population.relaxed) > 1 else "it"
        if missing:  # the neighbours before the condition narrows them (that comes next)
            m = n if answer.broad is None else answer.broad.count
            parts.append(
                f"{missing}; without {dropped}, {m} "
                f"decision{'s' if m != 1 else ''} on {closest}{found} "
                f"come{'s' if m == 1 else ''} closest."
            )
            label = closest
            decisions = f"decisions on {label}"  # the tally is theirs, not the treatment asked
    ids = ", ".join(p.item_id for p in answer.precedents[:3])
    interval = answer.interval
    band = (
        f" (95% interval for the upheld share: {interval.low:.0%}-{interval.high:.0%})"
        if interval and n >= MIN_PRECEDENTS
        else ""
    )
    if answer.broad is not None:
        b = answer.broad
        parts.append(
            f"{label[:1].upper()}{label[1:]}: upheld in {b.outcome_counts['Upheld']} of "
            f"{b.count} decisions, "
            f"overturned in {b.outcome_counts['Overturned']}."
        )
        parts.append(
            f"Where {_narrowing(q, b.narrowed_by, population.cited)}: upheld in {upheld} of "
            f"{n}{band}, "
            f"overturned in {overturned}."
        )
        if n < MIN_PRECEDENTS:
            parts.append(f"Too few ({ids}) to say how IMR usually decides such a case.")
    elif n < MIN_PRECEDENTS:
        verb = "concerns" if n == 1 else "concern"
        parts.append(
            f"Only {n} decision{'s' if n != 1 else ''} in the indexed corpus {verb} {label} "
            f"({ids}): too few to say how IMR usually decides. Upheld in {upheld}, overturned "
            f"in {overturned}."
        )
    else:
        parts.append(
            f"Upheld in {upheld} of {n} {decisions} (the denial stood){band}; "
            f"overturned in {overturned}."
        )
    if letters:  # the letter as a whole asked: how many letters these decisions are (which,
        # when few: "Which letter had the most items?")
        few = sorted({i.partition("#")[0] for i in answer.population.item_ids})
        which = f" ({_either(few, 'and')})" if len(few) == letters <= 3 else ""
        parts.append(
            f"{'These' if n > 1 else 'This'} {n} decision{'s' if n > 1 else ''} "
            f"{'are' if n > 1 else 'is'} from {letters} letter{'s' if letters > 1 else ''}{which}."
        )
    if answer.broad is None and population.narrowed_by and n and not everything:
        # the condition asked held for every decision on the treatment: said, not left unsaid
        # as if it had not been read ("omeprazole without GI risk factors")
        every = {1: "It matches", 2: "Both match"}.get(n, f"All {n} match")
        parts.append(
            f"{every} what was asked: {_narrowing(q, population.narrowed_by, population.cited)}."
        )
    overturning = q.wants_overturned and asks_why_overturned(q.text)
    if why is not None and (given := _reasons_given(why, n, overturning)):  # "Why is Norco
        # denied?"
        parts.append(given)
    over = Outcome.OVERTURNED.value
    if (
        kinds
        and not q.asks_outcome
        and (asks_requested(q.text) or kinds_by == "reviewer's specialty")
    ):
        # "the most frequently requested treatment", "who are the reviewers?": each kind by how
        # many decisions, the most first
        asked = sorted((c for c in kinds if sum(c[1].values())), key=lambda c: -sum(c[1].values()))
        if top := re.search(r"\btop (\d+)\b", q.text, re.I):  # "the top 5 treatments"
            asked = asked[: int(top[1])]
        said = "; ".join(f"{words} {sum(c.values())} ({c[over]} overturned)" for words, c in asked)
        parts.append(f"Decisions by {kinds_by} (the most first): {said}.")
    elif kinds:  # by kind of care (a drug's class, the reviewer), the most often overturned first
        # (the least first where the denials are asked: "almost always denied")
        least = asks_denied_most(q.text)
        ranked = sorted(
            (c for c in kinds if sum(c[1].values()) >= MIN_PRECEDENTS),
            key=lambda c: (1 if least else -1) * c[1][over] / sum(c[1].values()),
        )
        # a kind of too few decisions to rank, said after where one was overturned ("Which
        # reviewers overturned Norco?" names the one who did), and each region compared ("knee
        # vs shoulder arthroscopy": the knee's none of 2 too)
        regions = kinds_by == "body region" and bool(q.values("region"))
        few = [
            c for c in kinds if 0 < sum(c[1].values()) < MIN_PRECEDENTS and (c[1][over] or regions)
        ]
        if not ranked and not few:  # none to rank and none overturned: each kind, as it is
            few = [c for c in kinds if sum(c[1].values())]
        said = "; ".join(f"{words} {c[over]} of {sum(c.values())}" for words, c in ranked)
        also = "; ".join(f"{words} {c[over]} of {sum(c.values())}" for words, c in few)
        if also:
            said = f"{said}; too few to rank: {also}" if said else f"too few to rank: {also}"
        order = "least often first" if least else "most often first"
        parts.append(f"Overturned, by {kinds_by} ({order}): {said}.")
    for heading, tallies in (  # "in 2016 compared with 2017", "male workers ... more often
        # than female workers?", "citing ODG upheld more often?": each one's own tally
        ("By year decided", years),
        ("By reviewer named", reviewers),
        ("By the worker's sex", sexes),
        ("By form", forms),
        ("By quantity asked", quantities),
        ("By purchase or rental", acquired),
        ("By guideline cited", [(f"citing {source}", c) for source, c in sources]),
    ):
        if tallies:
            parts.append(f"{heading}: {'; '.join(_tally(name, c) for name, c in tallies)}.")
    if said := [
        f"{words}: upheld in {c[Outcome.UPHELD.value]} of {sum(c.values())}"
        for words, c in apart
        if sum(c.values())
    ]:
        drugs = q.values("ingredient") or q.values("drug_class")
        kind = "drug" if drugs and not drug_and_care_listed(q) else "treatment"
        parts.append(f"By {kind} named: {'; '.join(said)}.")
    if none := [words for words, c in apart if not sum(c.values())]:
        parts.append(f"No decision counted here concerns {_either(none)}.")
    if unread := q.values("unread"):  # said, not silently answered as if read
        clauses = " nor ".join(f'"{clause}"' for clause in unread)
        parts.append(
            f"These figures do not narrow by {clauses}: no decision fact or reason the index "
            f"holds matches {'it' if len(unread) == 1 else 'them'}."
        )
    if told:  # (counted where the region matched) "Occupational therapy for six sessions" in a
        # letter about the wrist
        where = _either(list(dict.fromkeys(q.words("region"))))
        many = f"{told} of these requests name" if told > 1 else "1 of these requests names"
        if told == population.count:
            many = "These requests name" if told > 1 else "This request names"
        tells = (  # (an assistant surgeon: its letter's operation)
            "the letter decides an operation there"
            if aside == told
            else "the letter's case summary names it or decides an operation there"
            if aside
            else "the letter's case summary names it"
        )
        parts.append(f"{many} no body region; counted as {where} where {tells}.")
    if unmatched and q.values("region") and not everything and not population.relaxed:
        # "Norco for knee pain": a drug's requests name no body part, so every one counts
        where = " nor ".join(f'"{w}"' for w in dict.fromkeys(q.words("region")))
        parts.append(
            f"These figures do not narrow by {where}: the requests for {label} name no body region."
        )
    if (order := asks_date_order(q.text)) and (
        dated := [p.item for p in answer.precedents if p.item.decision_date]
    ):  # "the most recent decision on Norco": the first few by the day decided
        said = ", ".join(
            f"{i.id} {i.name} ({i.decision_date}, {i.outcome.value.lower()})"
            for i in dated[:MAX_NAMED_SHORT]
        )
        parts.append(f"{'Most recent' if order == 'newest' else 'Oldest'} first: {said}.")
    elif asks_listed(q.text) and not (q.wants_overturned or q.asks_guideline) and answer.precedents:
        # "list every decision on acupuncture": each one, best matching first
        shown = answer.precedents[:MAX_NAMED]
        said = ", ".join(
            f"{p.item_id} {p.item.name} ({p.item.outcome.value.lower()})" for p in shown
        )
        more = (
            f" and {n - len(shown)} more (the CSV export lists every one)" if n > len(shown) else ""
        )
        parts.append(f"The decisions, best matching first: {said}{more}.")
    if largest:  # "the most PT visits IMR has approved": the largest requests, said
        parts.append(largest)
    # the overturned ones, of the population or ("which overturned decisions cited ODG?") of
    # those citing the guideline
    among, count = f"{n} {decisions}", overturned
    ids = [p.item_id for p in answer.precedents if p.item.outcome == Outcome.OVERTURNED]
    if overturned_citing is not None:
        source, cited = sources[0]
        among, count = f"{sum(cited.values())} decisions citing {source}", len(overturned_citing)
        ids = list(overturned_citing)
    if q.wants_overturned and count:
        listed = ids[: MAX_NAMED if _WANTS_EVERY.search(q.text) else MAX_NAMED_SHORT]
        more = f" and {count - len(listed)} more" if count > len(listed) else ""
        parts.append(f"Overturned in {count} of {among}: {', '.join(listed)}{more}.")
    elif q.wants_overturned and n == 1 and overturned_citing is None:
        parts.append(f"The one {decisions.replace('decisions', 'decision')} was not overturned.")
    elif q.wants_overturned:
        parts.append(f"None of the {among} was overturned.")
    top = next((c for c in answer.citations if c.section), None) or (
        answer.citations[0] if answer.citations else None
    )
    if ur_cited:  # "What citations did the claims administrator use for PT denials?"
        parts += _ur_cited(ur_cited, q)
    elif q.asks_guideline and answer.citations:
        parts += _guidelines_cited(answer, named, citing)
    elif q.asks_guideline and answer.population.count:  # (was silent: the question unanswered)
        n = answer.population.count
        who, these = (
            ("reviewer", "this decision") if n == 1 else ("reviewers", f"these {n} decisions")
        )
        parts.append(f"The {who} cited no guideline in {these}.")
    elif top:
        where = f"{top.source} {top.section}" if top.section else top.source
        pages = f", pages {top.pages}" if top.pages else ""
        shown = f"{top.count} of the {len(answer.precedents)} shown"  # not of the population
        parts.append(f"Most cited by the reviewers: {where}{pages} ({shown}).")
    if why is not None and answer.evidence:  # why: the reasons in the reviewers' own words
        quoted = "; ".join(f'{e.item_id}: "{e.sentence}"' for e in answer.evidence[:MAX_QUOTED])
        parts.append(f"In the reviewers' words: {quoted}")
    elif answer.evidence:
        first = answer.evidence[0]
        parts.append(f'In {first.item_id} the reviewer wrote: "{first.sentence}"')
    return " ".join(parts)


def _case_text(
    answer: Answer, items: Sequence[Item], q: Question, injured: Mapping[str, str | None]
) -> str:
    """The decisions of the letters (or the items) a question names by case number, each with
    its outcome and the reasons shown for it, the reviewer's specialty and the date of injury
    the letter states, each decision's citations (the reviewer's, and the claims
    administrator's) where the question asks what was cited, then the reviewers' words for each
    (as far as the precedents quote them)."""
    parts = []
    cited = bool(_CITATION_ASKED.search(q.text))
    for letter_id in dict.fromkeys(i.letter_id for i in items):
        mine = [i for i in items if i.letter_id == letter_id]
        upheld = sum(i.outcome == Outcome.UPHELD for i in mine)
        decided = f", decided {mine[0].decision_date}" if mine[0].decision_date else ""
        each = "; ".join(
            f"#{i.index} {i.name}: {i.outcome.value.lower()}"
            + (
                f" ({', '.join(r.label for r in shown)})"
                if (shown := i.shown_reasons[:MAX_REASONS_SAID])
                else ""
            )
            + (
                f" [the reviewer cited: {_citation_said(i.maximus_guideline)}; the claims "
                f"administrator cited: {_citation_said(i.claims_administrator_guideline)}]"
                if cited
                else ""
            )
            for i in mine
        )
        many = f"{len(mine)} decisions" if len(mine) != 1 else "1 decision"
        facts = [f"Reviewer: {mine[0].reviewer_specialty}."] if mine[0].reviewer_specialty else []
        facts += [f"Date of injury: {day}."] if (day := injured.get(letter_id)) else []
        parts.append(
            f"{letter_id}{decided}: {many}, upheld in {upheld}, overturned in "
            f"{len(mine) - upheld}. {each}. {' '.join(facts)}".rstrip()
        )
    if answer.evidence:
        quoted = "; ".join(f'{e.item_id}: "{e.sentence}"' for e in answer.evidence[:MAX_QUOTED])
        parts.append(f"In the reviewers' words: {quoted}")
    return " ".join(parts)


# A question asking what a letter cited ("what page of ACOEM did the reviewer cite", "which
# guideline did the claims administrator use", "what section was the decision based on").
_CITATION_ASKED = re.compile(
    r"\b(?:cit(?:e[sd]?|ing|ations?)|guidelines?|sections?|pages?|pgs?|chapters?|acoem|mtus|odg|"
    r"based (?:on|upon)|rel(?:y|ied|ies) on)\b",
    re.I,
)
# The letters' words around a citation that say nothing of what was cited.
_CITATION_WORDS = re.compile(
    r"(?:The (?:Expert Reviewer|Claims Administrator) based (?:their|its) decision on "
    r"recommendation\(s\) outside of the MTUS Guidelines\.)|Decision based on (?:Non-\s?MTUS "
    r"Citation )?",
    re.I,
)


def _citation_said(citation: str) -> str:
    """A letter's citation in its own words, less the words that say nothing of what was cited
    ("Decision based on Non-MTUS Citation"); "no medical evidence" where it cites none."""
    if not citation.strip() or re.search(r"did not cite any medical evidence", citation, re.I):
        return "no medical evidence"
    said = [p.strip(" .") for p in _CITATION_WORDS.split(citation)]
    return "; ".join(p for p in said if p) or "no medical evidence"


def _tally(name: str, counts: Mapping[str, int]) -> str:
    """ "2016: upheld in 5 of 6, overturned in 1", or "2015: none indexed"."""
    n = sum(counts.values())
    if not n:
        return f"{name}: none indexed"
    upheld, overturned = counts[Outcome.UPHELD.value], counts[Outcome.OVERTURNED.value]
    return f"{name}: upheld in {upheld} of {n}, overturned in {overturned}"


def _reasons_given(why: Mapping[str, Mapping[str, int]], n: int, overturned: bool = False) -> str:
    """The decisive reasons the reviewers gave across `n` decisions, of those labelled reliably
    enough to show (`rag/data/reasons.toml`, `shown`), the most given first, by outcome (each
    decision counts once per reason); "" when none of them was given. `overturned`: the question
    asks why denials were overturned ("What were the reasons for overturning MRI denials?"):
    those alone, or that none of them is labelled reliably enough to count."""
    codes, said = taxonomy(), []
    shown = sum(c.shown for c in codes.values())
    outcomes = [(Outcome.UPHELD.value, "upheld"), (Outcome.OVERTURNED.value, "overturned")]
    if overturned:
        outcomes = outcomes[1:]
        if not why.get(Outcome.OVERTURNED.value):
            return (
                f"None of the decisive reasons we label reliably ({shown} of the {len(codes)} in "
                "our taxonomy) is one for overturning; the reviewers' own words follow."
            )
    for outcome, verb in outcomes:
        given = sorted(why.get(outcome, {}).items(), key=lambda c: (-c[1], c[0]))
        if given := given[:MAX_REASONS_SAID]:
            listed = ", ".join(f"{codes[code].label.lower()} ({k})" for code, k in given)
            said.append(f"where {verb}, {listed}")
    if not said:
        return ""
    return (
        f"Counting only the decisive reasons we label reliably ({shown} of the {len(codes)} "
        f"in our taxonomy), over the {n} decisions: {'; '.join(said)}."
    )


def _ur_cited(cited: Sequence[CitationCount], q: Question) -> list[str]:
    """What the claims administrator cited in denying the population's requests (the overturned
    ones', when the question names them)."""
    these = "the overturned ones" if _OVERTURNED_ONES.search(q.text) else "these"
    return [
        f"Guidelines the claims administrator (UR) cited in denying {these}: {_most_cited(cited)}."
    ]


def _guidelines_cited(answer: Answer, named: Sequence[str], citing: Mapping[str, int]) -> list[str]:
    """What the reviewers cited across the population: its sections, most cited first; of the
    one guideline the question `named` ("What ODG sections ..."), or that none cited it; for
    several named ("ODG or MTUS?"), how many decisions cite each (`citing`)."""
    listed, lead, out = answer.citations, "Guidelines the reviewers cited", []
    n = answer.population.count
    read = f"Of the {n} decisions" if n <= MAX_CITED_ITEMS else f"Of the first {MAX_CITED_ITEMS}"
    each = ", ".join(f"{source} in {count}" for source, count in citing.items())
    if len(named) == 1 and (own := tuple(c for c in listed if c.source == named[0])):
        listed, lead = own, f"{named[0]} sections the reviewers cited"
        if citing[named[0]] < n:  # "How many decisions cite ODG?" (not when every one does:
            # "citing the ODG Knee chapter")
            out.append(f"{read}, the reviewers cited {each}.")
    elif len(named) == 1:
        adopted = " (the MTUS adopts its chapters: citing them counts as MTUS)"
        out.append(
            f"No decision here cites {named[0]} as a source of its own"
            f"{adopted if named[0] == 'ACOEM' else ''}."
        )
    elif len(named) > 1:
        out.append(f"{read}, the reviewers cited {each}.")
    return [*out, f"{lead} across these decisions: {_most_cited(listed)}."]


def _largest(retriever: Retriever, population: Population) -> str:
    """The largest quantity requested among the population's decisions, and the largest of
    those overturned ("the most PT visits IMR has approved at once"), each with its item."""
    rows = np.flatnonzero(population.items)
    items = [i for i in retriever.corpus.items_at(rows) if _quantity(i)]
    if not items:
        return "No decision here states the quantity requested."

    def said(item: Item) -> str:
        return f"{_quantity(item)} ({item.id} {item.name}, {item.outcome.value.lower()})"

    top = max(items, key=_quantity)  # (the first of equals, in corpus order)
    over = [i for i in items if i.outcome == Outcome.OVERTURNED]
    most = (
        f"; the largest overturned (approved): {said(max(over, key=_quantity))}"
        if over
        else "; none of those stating one was overturned"
    )
    return f"Largest quantity requested: {said(top)}{most}."


def _quantity(item: Item) -> int:
    """The quantity `item`'s own line asks (of a partly certified request, the part IMR
    decided), 0 when it states none."""
    return (item.facts.quantity if item.facts else None) or 0


def _most_cited(cited: Sequence[CitationCount]) -> str:
    """The five most cited guidelines, each with its pages ("MTUS Opioids" twice was two page
    ranges) and how many decisions cite it."""
    return "; ".join(
        f"{c.source}{' ' + c.section if c.section else ''}"
        f"{', pages ' + c.pages if c.pages else ''} ({c.count})"
        for c in cited[:5]
    )


def _lowered(label: str) -> str:
    """A label inside a sentence: its first letter lowered, not an abbreviation's ("CRPS", "GI
    risk")."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _finding_of(words: str) -> list[str]:
    """The finding concepts clinical `words` are a wording of, of one word too ("sciatica": a
    letter holds it by any wording of radiculopathy, "radiating pain" among them)."""
    said = " ".join(words.lower().split())
    return findings_named(said) or [
        c.id for c in concepts().values() if c.kind == "finding" and said in c.forms
    ]


def _findings_said(q: Question, together: bool = False) -> str:
    """The findings `q` asks, in words: those a letter mentions (all of them, `together`),
    those the reviewer writes absent, or, with neither, the states it names."""
    clinical = _phrases(q.text, [_as_written(q.text, w) for w in q.values("clinical")])
    stated = _either(clinical) if clinical else ""  # any of them (rag.matching.affirming):
    # "suicidal or depression", "rotator cuff" (one phrase); or each group, all together
    if together:  # ("a meniscal tear or McMurray's and locking")
        stated = _either(
            [_either([_as_written(q.text, w) for w in group]) for group in clinical_groups(q)],
            "and",
        )
    absent = " or ".join(" ".join(found) for _, found in absent_findings(q))
    kin = clinical_concepts(q) + [c for w in q.values("clinical") for c in _finding_of(w)]
    kindred = " or ".join(  # (not the words asked again: "carpal tunnel", "depression")
        label
        for c in dict.fromkeys(kin)
        if not re.search(
            rf"\b{re.escape((label := _lowered(concepts()[c].label)).lower())}\b", stated.lower()
        )
    )
    also = f" (or {kindred})" if kindred else ""  # "swallow (or oral intolerance)"
    said = [f"the letter mentions {stated}{also}"] if stated else []
    if q.values("clinical") == ("preoperative",):  # (rag.population: named so, or beside one)
        said = [
            "the request was for an operation's work-up (so named, or in a letter deciding one)"
        ]
    said += [f"the reviewer wrote of no {absent}"] if absent else []
    if not said and (states := state_concepts(q)):  # "a retro request"
        denied = set(denied_states(q))
        said = [
            f"the reviewer wrote of no {concepts()[c].label.lower()}"
            if c in denied
            else f"the letter says {concepts()[c].label.lower()}"
            for c in states
        ]
    return " and ".join(said) or "the condition asked"


# A size asked as a bound ("12 or more", "more than 30 days"): said as asked, no "or more" added.
_MORE_SAID = re.compile(
    r"or more|\+|and (?:up|above|more)|^(?:more|over|greater|in excess|exceeding|above|beyond)"
)


def _narrowing(q: Question, by: tuple[str, ...], cited: Sequence[str] = ()) -> str:
    """The condition, quantity, partial decisions or other decision of the letter that narrowed
    the population, in words (`cited`: the guideline sections named)."""
    words = []
    if "section" in by:
        words.append(f"the reviewer cited the MTUS section {_either(list(cited))}")
    if "condition" in by:
        codes = taxonomy()
        labels = [codes[c].label.lower() for c in q.values("condition") if c in codes]
        if labels:
            named = "".join(f', here "{_as_written(q.text, w)}"' for w in concept_conditions(q))
            words.append(f"the decisive reason was {' or '.join(labels)}{named}")
        else:
            words.append(_findings_said(q, "together" in by))
    if "finding" in by:  # beside a reason
        words.append(_findings_said(q, "together" in by))
    if "repeat" in by:
        words.append("the letter reports an earlier study of the kind")
    if "history" in by and (
        had := " and ".join(dict.fromkeys(_as_written(q.text, w) for w in q.words("history")))
    ):
        unhelped = ", not that it helped" if says_unhelped(q) else ""
        words.append(f"the letter reports the worker already had {had}{unhelped}")
    if "history" in by and (never := q.values("not_had")):
        none = " or ".join(v.replace("_", " ") for v in dict.fromkeys(never))
        words.append(f"the letter reports no earlier {none}")
    if "quantity" in by:
        asked = re.sub(r"^x ?(?=\d)", "", q.words("quantity")[0])  # "x12": 12
        parts = asked.split()
        if (
            len(parts) > 2
            and not _MORE_SAID.search(asked)
            and (m := re.fullmatch(r"(\d+) ([a-z]+)", q.values("quantity")[0]))
            and parts[0] == m[1]
            and parts[-1].startswith(m[2])
        ):
            asked = f"{m[1]} {parts[-1]}"  # "12 more PT visits": 12 visits
        more = "" if _MORE_SAID.search(asked) else " or more"
        if counted := counted_of(q):  # "an MRI and 12 sessions of PT": the therapy's count,
            # every decision on the MRI
            others = [f.words for f in q.facets if f.name == "treatment" and f != counted]
            rest = _either([_as_written(q.text, w) for w in dict.fromkeys(others)])
            words.append(
                f"the request for {_as_written(q.text, counted.words)} was {asked}{more}, with "
                f"every decision on {rest}"
            )
        else:
            words.append(f"the request was {asked}{more}")
    if "strength" in by:  # (the drug's, beside other care: "Norco 10/325 and PT")
        drug = next(f.words for f in q.facets if f.name in ("ingredient", "product"))
        other = any(f.name in ("treatment", "category") for f in q.facets)
        whose = f" for {_as_written(q.text, drug)}" if other else ""
        strength = q.values("strength")[0]  # (a topical's percent, often unsaid: "Voltaren gel
        # 1%", the gel naming none too)
        said = f"{strength} or named none" if strength.endswith("%") else f"{strength} mg"
        words.append(f"the request{whose} was {said}")
    if "frequency" in by:
        n = int(q.values("frequency")[0])
        words.append(f"the request was {n} visit{'s' if n > 1 else ''} a week")
    if "duration" in by:
        days, said = q.values("duration")[0], q.words("duration")[0]
        weeks = int(days) % 7 == 0 and re.search(r"\bw(?:ee)?ks?\b|\dx\d", said, re.I)
        asked = (  # ("2x6": for 6 weeks or more)
            said
            if _MORE_SAID.search(said)
            else f"for {int(days) // 7} weeks or more"
            if weeks
            else f"for {days} days or more"
        )
        words.append(f"the request was {asked}")
    if "contrast" in by:
        with_it = q.values("contrast")[0] == "with"  # (a request naming none is one without it)
        words.append(
            "the request was with contrast"
            if with_it
            else "the request was without contrast or named none"
        )
    if "side" in by:
        words.append("the request was for both sides")
    if "release" in by:
        words.append(f"the request was {q.values('release')[0]}-release")
    if "acquired" in by:
        words.append(f"the request was a {q.values('acquired')[0]}")
    if "year" in by:
        words.append(f"decided {q.words('year')[0]}")
    if "injured" in by:
        words.append(f"the date of injury was {q.values('injured')[0]}")
    if "age" in by:
        low, high = q.values("age")[0].split("-")
        aged = (
            f"{low} or older"
            if high == "120"
            else f"under {int(high) + 1}"
            if low == "0"
            else (f"{low} to {high}")
        )
        words.append(f"the worker was {aged}")
    if "sex" in by:
        words.append(f"the worker was {q.values('sex')[0]}")
    if "reviewer" in by:
        words.append(f"the reviewer's specialty was {_either(list(q.values('reviewer')))}")
    if "switched" in by:
        sole, cited = q.cited_alone, q.cited_any
        words.append(
            f"the reviewer cited the {sole} and not the {OTHER_GUIDELINE[sole]}"
            if sole
            else f"the reviewer cited the {cited}"
            if cited
            else "the reviewer cited a guideline the claims administrator had not"
            if q.values("switched") == ("yes",)
            else "the reviewer cited no guideline"
            if q.values("switched") == ("none",)
            else "the claims administrator cited no guideline"
            if q.values("switched") == ("ur_none",)
            else "the reviewer cited only guidelines the claims administrator had"
        )
    if "mechanism" in by:
        how = _MECHANISM_SAID[q.values("mechanism")[0]]
        words.append(f"the letter gives the mechanism of injury as {how}")
    if "chapter" in by:
        source, chapter = q.values("chapter")[0].split(":", 1)
        cited = f"{source} {chapter}" if source != "*" else chapter
        words.append(
            f"the reviewer cited the {cited} {'guidelines' if source == 'MTUS' else 'chapter'}"
        )
    if "page" in by:
        first, last = q.values("page")[0].split("-")
        words.append(
            f"the reviewer cited page {first}"
            if first == last
            else f"the reviewer cited a page between {first} and {last}"
        )
    if "partial" in by:
        words.append("part of the request was certified before IMR")
    if "regions" in by:
        words.append("the request covered two or more body regions")
    if "letter" in by:
        mix = q.values("letter")[0]
        words.append(
            f"every decision in the letter was {mix}"
            if mix != "split"
            else "the letter's decisions were split (some upheld, some overturned)"
        )
    if "items" in by and q.values("items") == ("most",):
        words.append("the letter decided the most items of any indexed letter")
    elif "items" in by:
        fewest, most = q.values("items")[0].split("-")
        decided = (
            f"{fewest} or more"
            if most == "99"
            else fewest
            if fewest == most
            else f"{fewest} to {most}"
        )
        words.append(f"the letter decided {decided} item{'s' if decided != '1' else ''}")
    if "setting" in by and q.values("setting") == ("home",):
        words.append("the request was a device for home use")
    elif "setting" in by:
        words.append("the care was given in the office, not a device for home use")
    named = " or ".join(dict.fromkeys(q.words("alongside")))
    upheld = q.values("alongside_outcome") == ("Upheld",)
    if "followed" in by:
        verdict = "denial" if upheld else "approval"
        words.append(f"the reviewer's reason was the {verdict} of the {named}")
    if "alongside" in by:
        verdict = "upheld" if upheld else "overturned"
        words.append(f"IMR {verdict} the denial of the {named} in the same letter")
    return " and ".join(words)
