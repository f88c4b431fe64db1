"""What the index holds of each item and chunk besides its JSON: the tokens BM25 sees and the
value columns filters, facets and statistics read (memory-mapped arrays, built at ingest).

Changing what is derived here changes stored snapshots: bump rag.derived.FIELDS_VERSION, and
`imr ingest` re-derives it for every stored letter (no re-embedding needed).
"""

from __future__ import annotations

import re

from index.snapshot import Record, Row
from rag.citations import chapters_cited, pages_cited, parse_citation
from rag.facts import days_of, per_week_of, percents_of, quantity_of, regions_of, strengths_of
from rag.history import repeats_a_study, treatments_done
from rag.injury import mechanisms_of
from rag.negation import absent_spans
from rag.reasons import about_the_case, split_sentences
from rag.records import Chunk, Item, Letter
from rag.tokens import item_words, lexical_tokens, words
from rag.vocabulary import as_therapy, mentioned, treatment_key

# Text fields of an item: the whole-item re-ranker reads WHOLE and NAME; an answer narrowed by a
# clinical condition reads CASE (WHOLE less the rationale's sentences stating the guideline's rule:
# "recommended in patients with signs of carpal tunnel syndrome"; the section the reviewer chose,
# "Opioids for Post-operative Pain", stays)
# and CONTEXT (its letter's case summary), and by a finding asked absent ABSENT (the words a
# negation governs in the rationale: "no evidence of muscle spasm"); CONTEXT_ABSENT, those a
# negation governs in the case summary ("no neurological deficits"), so that a finding the
# summary denies is not the worker's.
WHOLE, NAME, CONTEXT, ABSENT, CASE = "whole", "name", "context", "absent", "case"
CONTEXT_ABSENT = "context_absent"
# Value columns of an item.
OUTCOME, YEAR, SOURCE, SECTION, SPECIALTY = "outcome", "year", "source", "section", "specialty"
DATE = "date"  # the day IMR decided (ISO): decisions in the order they were made
CHAPTER = "chapter"  # the guideline chapters the reviewer cited ("ODG:Knee and Leg")
PAGE = "page"  # the guideline pages the reviewer cited ("303"; a range's every page)
CONCEPT, WORD, NAME_WORD, TREATMENT = "concept", "word", "name_word", "treatment"
# Decision facts and reasons (rag.facts, rag.reasons): filters and facet counts.
CATEGORY, REGION, FORM, DRUG_CLASS = "category", "region", "form", "drug_class"
INGREDIENT, REASON, PARTIAL = "ingredient", "reason", "partial"
COMPOUNDED = "compounded"  # "yes" for a compounded product
STRENGTH = "strength"  # a drug's strengths its request names ("10/325", "550")
QUANTITY, GRAMS = "quantity", "grams"  # units asked for (the whole request's, if partial)
DAYS = "days"  # how long a rental, supply or course is asked for (the whole request's)
PER_WEEK = "per_week"  # visits a week asked for, care other than medication (the whole request's)
PRIOR = "prior"  # "yes" for a study repeating one the letter says was done (rag.history)
DONE = "done"  # the treatments (concepts, classes) the letter says the worker already had
AGE, SEX = "age", "sex"  # the worker's, as the letter's header gives them
INJURED = "injured"  # the date of injury the letter's header gives (ISO)
# "yes" where the reviewer cited a guideline the claims administrator had not (ODG where UR
# cited MTUS), "no" where only guidelines it had; none where UR's citation names none
SWITCHED = "switched"
MECHANISM = "mechanism"  # how the worker was injured, as the case summary says (rag.injury)
DIAGNOSED = "diagnosed"  # the body regions the case summary's diagnoses name
# The item's letter as a whole: how its decisions went ("upheld": every one upheld,
# "overturned": every one overturned, "split": some of each) and how many it decided
LETTER_MIX, LETTER_ITEMS = "letter_mix", "letter_items"


def lexical_text(item: Item, passage: str) -> str:
    """What BM25 reads of a chunk. The item name is repeated so a treatment named in the request
    outweighs a passing mention."""
    return f"{item.name} {item.name} {passage} {item.maximus_guideline}"


def chunk_row(chunk: Chunk) -> Row:
    item = chunk.item
    return Row(
        document=item.letter_id,
        record=item.id,
        payload={"index": chunk.index, "text": chunk.text},
        tokens=lexical_tokens(lexical_text(item, chunk.text)),
    )


def item_record(item: Item, body: dict, letter: Letter) -> Record:
    """An item of `letter` as the index stores it: `body` (its JSON), its text fields and value
    columns."""
    summary, age, sex = letter.case_summary, letter.patient_age, letter.patient_sex
    outcomes = {i.outcome for i in letter.items}
    mix = next(iter(outcomes)).value.lower() if len(outcomes) == 1 else "split"
    values = item_values(item)
    if not values.get(REGION) and (operated := operated_regions(item, letter)):
        values[REGION] = operated
    return Record(
        key=item.id,
        document=item.letter_id,
        body=body,
        text={
            WHOLE: lexical_tokens(lexical_text(item, item.rationale)),
            NAME: lexical_tokens(item.name),
            CONTEXT: lexical_tokens(summary),
            CASE: lexical_tokens(lexical_text(item, about_the_case(item.rationale))),
            ABSENT: lexical_tokens("; ".join(absent_spans(item.rationale))),
            CONTEXT_ABSENT: lexical_tokens("; ".join(absent_spans(summary))),
        },
        values={
            **values,
            PRIOR: ["yes"] if repeats_a_study(item, summary) else [],
            DONE: treatments_done(item, summary),
            AGE: [str(age)] if age is not None else [],
            INJURED: [letter.date_of_injury] if letter.date_of_injury else [],
            SEX: [sex] if sex else [],
            MECHANISM: mechanisms_of(summary),
            DIAGNOSED: diagnosed_regions(summary),
            LETTER_MIX: [mix],
            LETTER_ITEMS: [str(len(letter.items))],
        },
    )


# A case summary's sentence giving the worker's diagnoses ("was diagnosed as having ...", "the
# current diagnoses are ...", "is being treated for ...").
_DIAGNOSES = re.compile(r"\b(?:diagnos(?:ed|is|es)|treated for)\b", re.I)


def diagnosed_regions(summary: str) -> list[str]:
    """The body regions a letter's case summary names in its diagnoses: where a request of care
    naming none ("Physical therapy for 6 sessions") likely goes."""
    said = [s for s in split_sentences(summary) if _DIAGNOSES.search(s)]
    return sorted({region for sentence in said for region in regions_of(sentence)})


# A request for the care after an operation ("Associated surgical service: Physical therapy",
# "Post-op physical therapy 12-18 sessions"): it names no body region, but it is the region
# operated on.
_AFTER_THE_OPERATION = re.compile(
    r"\bassociated surgical service\b|\bpost[- ]?op(?:erative)?\b|\bpost[- ]?surgical\b", re.I
)


def operated_regions(item: Item, letter: Letter) -> list[str]:
    """The body regions of the operations `letter` asks for, for a request of therapy after
    the operation that names no region of its own ("Associated surgical service: Physical
    therapy, times 12" in a letter asking for a shoulder arthroscopy: the shoulder's therapy);
    none for any other request, or where the letter asks for no operation with a region."""
    facts = item.facts
    if facts is None or facts.regions or facts.category != "physical_therapy":
        return []
    if not _AFTER_THE_OPERATION.search(item.name):
        return []
    operations = [i.facts for i in letter.items if i.facts and i.facts.category == "surgery"]
    return list(dict.fromkeys(r for f in operations for r in f.regions))


def item_values(item: Item) -> dict[str, list[str]]:
    return {
        OUTCOME: [item.outcome.value],
        YEAR: [str(item.decision_year)] if item.decision_year else [],
        DATE: [item.decision_date] if item.decision_date else [],
        SOURCE: list(item.guideline_sources),
        CHAPTER: list(chapters_cited(item.maximus_guideline)),
        PAGE: list(pages_cited(item.maximus_guideline, item.rationale)),
        SECTION: list(item.mtus_sections),
        SPECIALTY: [s.strip() for s in (item.reviewer_specialty or "").split(",") if s.strip()],
        CONCEPT: _concepts(item),
        WORD: words(item.name),
        NAME_WORD: item_words(item.name),
        TREATMENT: [treatment_key(item.name)],
        PARTIAL: ["yes" if item.partial else "no"],
        REASON: [r.code for r in item.reasons],
        SWITCHED: _switched(item),
        **_facts_values(item),
    }


def _switched(item: Item) -> list[str]:
    """Whether the reviewer cited a guideline the claims administrator had not."""
    before = set(parse_citation(item.claims_administrator_guideline).sources)
    if not before or not item.guideline_sources:
        return []
    return ["yes" if set(item.guideline_sources) - before else "no"]


def _concepts(item: Item) -> list[str]:
    """The concepts an item's name mentions, and the kind of injection its facts read from the
    drug it names ("an injection of 1cc of dexamethasone": a corticosteroid injection)."""
    named = mentioned(as_therapy(item.name))
    if (
        item.facts is None
        or item.facts.category != "injection"
        or item.facts.treatment == "injection"
    ):
        return named  # (an injection of no kind the facts know adds nothing: "Neuroplasty")
    return list(dict.fromkeys([*named, *mentioned(item.facts.treatment)]))


def _facts_values(item: Item) -> dict[str, list[str]]:
    facts = item.facts
    if facts is None:
        return {}
    asked = requested_quantity(item)
    grams = _GRAMS.findall(item.original_request or item.name)
    per_week = _per_week(item)
    days = days_of(item.original_request or item.name)
    if days is None and per_week and asked:  # "Twelve sessions, three times weekly": 4 weeks
        days = -(-asked // per_week) * 7
    return {
        CATEGORY: [facts.category],
        REGION: list(facts.regions),
        FORM: [facts.form] if facts.form else [],
        DRUG_CLASS: [facts.drug_class] if facts.drug_class else [],
        INGREDIENT: list(facts.ingredients),
        COMPOUNDED: ["yes"] if facts.compounded else [],
        STRENGTH: _strengths(item) if facts.category == "medication" else [],
        QUANTITY: [str(asked)] if asked is not None else [],
        GRAMS: [str(int(float(g))) for g in grams[:1]],
        DAYS: [str(days)] if days else [],
        PER_WEEK: [str(per_week)] if per_week else [],
    }


def _strengths(item: Item) -> list[str]:
    """The strengths the request names, a combination's by its main drug's too ("75-0.2mg":
    "75/0.2" and "75", as a question names Arthrotec 75), and a topical's in percent ("5%")."""
    named = strengths_of(item.name)
    return list(dict.fromkeys([*named, *(s.split("/")[0] for s in named), *percents_of(item.name)]))


_GRAMS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:g|gm|gms|grams?)\b", re.I)


def _per_week(item: Item) -> int | None:
    """Visits a week the request asks ("3 times a week"), read only for care given in visits
    (a drug's "1x10" is no frequency)."""
    if item.facts is None or item.facts.category == "medication":
        return None
    return per_week_of(item.original_request or item.name)


def requested_quantity(item: Item) -> int | None:
    """How many units the request asked for: the whole original request's, for a partial
    decision (questions about "12 visits or more" mean what was asked, not what was left)."""
    if item.facts is None:
        return None
    if item.original_request:
        whole = quantity_of(item.original_request)
        if whole is not None:
            return whole
    return item.facts.quantity
