"""What the worker already had, as the letter reports it: the treatments and studies its case
summary or rationale says were done ("Treatment has included physical therapy and medications",
"an x-ray of the lumbar spine of unknown date revealed ...", "prior X-rays"), of the requested
item's body region where the sentence names one. Two facts come of it:

* the treatments done before the request ("a shoulder MRI after a course of physical therapy"),
* whether a study requested repeats one of its kind ("a repeat MRI"): repeat imaging is among the
  commonest disputes, and nothing in the item's own line says it unless it names a repeat.

A sentence about the request, a decision or the guideline ("requested", "certified",
"recommended", "would") or one that negates ("no prior MRI") reports nothing done.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rag.facts import facts_vocabulary
from rag.intent import repeat_words
from rag.negation import absent_spans
from rag.reasons import split_sentences
from rag.records import Item
from rag.vocabulary import concepts, mentioned, treatments_named

STUDIES = frozenset({"mri", "ct", "xray", "emg", "ncv", "bone_scan", "ssep"})
# what a question may ask to repeat: a study, or imaging by its category word ("repeat imaging")
REPEATABLE = STUDIES | {"imaging"}


def asks_repeat_study(text: str) -> bool:
    """Whether `text` asks for a study as a repeat ("a repeat MRI"), not a service repeated
    ("denied as a repeat of a service UR had already okayed")."""
    return bool(repeat_words(text)) and bool(REPEATABLE & set(mentioned(text)))


# A study reported as done: its result, its date, or a word for an earlier one.
_STUDY_DONE = re.compile(
    r"\b(?:revealed|showed|shows|demonstrated|demonstrates|documented|noted|dated|performed|"
    r"done|obtained|completed|underwent|undergone|unknown date|previous(?:ly)?|prior|repeat|"
    r"earlier|last|old|results?|findings|impression)\b|\bon \d{1,2}/\d{1,2}/\d{2,4}\b",
    re.I,
)
# A treatment reported as done: the history's words ("treatment has included", "failed").
_TREATMENT_DONE = re.compile(
    r"\b(?:included?|completed|attended|had|has had|underwent|undergone|tried|failed|despite|"
    r"participated|prior|previous(?:ly)?|course of|received|treated with|to date|status post|"
    r"s/p)(?![\w/])",
    re.I,
)
_NEGATED = re.compile(r"\b(?:no|not|never|without|none|lacks?|absence)\b", re.I)
# A sentence about the request, a decision or the guideline, not about what was done.
_NOT_DONE = re.compile(
    r"\b(?:request(?:ed|s|ing)?|authoriz\w*|to warrant|recommend\w*|criteria|guidelines?|"
    r"indicated|consider\w*|would|should|may|plan(?:ned)?|order(?:ing)?|support\w*|warrant\w*|"
    r"approv\w*|certif\w*|non-?certif\w*|denied|utilization|can|helpful|useful|"
    # or a study the guideline quotes ("Despite substantial increases in its popularity ...,
    # the efficacy of acupuncture ... remains unproven")
    r"efficacy|unproven|popularity|placebo|randomi[sz]ed|meta-analys\w*|systematic reviews?)\b",
    re.I,
)


def studies_requested(item: Item) -> set[str]:
    """The kinds of study `item` requests (mri, xray, ...), none when it is no study."""
    return set(treatments_named(item.name)) & STUDIES


def repeats_a_study(item: Item, summary: str) -> bool:
    """Whether `item` requests a study of a kind its letter (`summary`, the case summary, and
    its rationale) reports the worker already had; or one its own line calls a repeat."""
    return bool(prior_study(item, summary))


def prior_study(item: Item, summary: str) -> str:
    """The sentence reporting the earlier study `repeats_a_study` finds (the item's line, for a
    repeat it names), or ""."""
    kinds = studies_requested(item)
    if not kinds:
        return ""
    if re.search(r"\brepeat", item.name, re.I):
        return item.name
    reported = _reported(item, summary, _STUDY_DONE, any_negation=True)
    return next((s for s, done in reported if kinds & done), "")


def treatments_done(item: Item, summary: str) -> list[str]:
    """The treatment concepts (and their classes) the letter reports the worker already had
    ("physical_therapy", "hydrocodone", "opioid"), in order, each once."""
    table = concepts()
    found = (
        cid
        for _, done in _reported(item, summary, _TREATMENT_DONE, any_negation=False)
        for cid in done
        if cid not in table or table[cid].kind == "treatment"  # a class, or a treatment
    )
    return list(dict.fromkeys(found))


def _reported(
    item: Item, summary: str, done: re.Pattern[str], any_negation: bool
) -> Iterator[tuple[str, set[str]]]:
    """Each sentence of the letter reporting something done, of the item's region when it names
    one, with the concepts it mentions as done: with `any_negation`, none when the sentence
    negates anything ("no documentation that the worker has had any previous MRIs"), else those
    outside what it negates ("physical therapy, which gave no relief": the therapy was done)."""
    regions = set(item.facts.regions) if item.facts else set()
    for sentence in split_sentences(f"{summary} {item.rationale}"):
        if not done.search(sentence) or _NOT_DONE.search(sentence):
            continue
        if any_negation and _NEGATED.search(sentence):
            continue
        lowered = sentence.lower()
        named = {name for name, pattern in facts_vocabulary().regions if pattern.search(lowered)}
        if named and regions and not named & regions:
            continue
        negated = set(mentioned("; ".join(absent_spans(sentence))))
        if found := set(mentioned(sentence)) - negated:
            yield sentence, found
