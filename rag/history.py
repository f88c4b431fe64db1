"""Whether a study requested repeats one the worker already had: an MRI, x-ray, CT or nerve study
of the same kind (and the same body region, where the sentence names one) that the case summary
or the rationale reports as done ("an x-ray of the lumbar spine of unknown date revealed ...",
"prior X-rays", "a repeat MRI"). Repeat imaging is among the commonest disputes ("repeat MRI is
not indicated absent a significant change"), and nothing in the item's own line says it.
"""

from __future__ import annotations

import re

from rag.facts import facts_vocabulary
from rag.reasons import split_sentences
from rag.records import Item
from rag.vocabulary import mentioned, treatments_named

STUDIES = frozenset({"mri", "ct", "xray", "emg", "ncv", "bone_scan", "ssep"})

# A study reported as done: its result, its date, or a word for an earlier one.
_DONE = re.compile(
    r"\b(?:revealed|showed|shows|demonstrated|demonstrates|documented|noted|dated|performed|"
    r"done|obtained|completed|underwent|undergone|unknown date|previous(?:ly)?|prior|repeat|"
    r"earlier|last|old|results?|findings|impression)\b|\bon \d{1,2}/\d{1,2}/\d{2,4}\b",
    re.I,
)
# A sentence about the request or the guideline, not about what was done.
_DENIED_DONE = re.compile(r"\b(?:no|not|never|without|none|lacks?|absence)\b", re.I)
_NOT_DONE = re.compile(
    r"\b(?:request(?:ed|s|ing)?|authoriz\w*|to warrant|recommend\w*|criteria|guidelines?|"
    r"indicated|consider\w*|would|should|may|plan(?:ned)?|order(?:ing)?|support\w*|warrant\w*|"
    r"approv\w*|certif\w*|non-?certif\w*|denied|utilization|can|helpful|useful)\b",
    re.I,
)


def studies_requested(item: Item) -> set[str]:
    """The kinds of study `item` requests (mri, xray, ...), none when it is no study."""
    return set(treatments_named(item.name)) & STUDIES


def repeats_a_study(item: Item, summary: str) -> bool:
    """Whether `item` requests a study of a kind its letter (`summary`, the case summary, and
    its rationale) reports the worker already had, of the same region when the sentence names
    one; or one its own line calls a repeat."""
    return bool(prior_study(item, summary))


def prior_study(item: Item, summary: str) -> str:
    """The sentence reporting the earlier study `repeats_a_study` finds (the item's line, for a
    repeat it names), or ""."""
    kinds = studies_requested(item)
    if not kinds:
        return ""
    if re.search(r"\brepeat", item.name, re.I):
        return item.name
    regions = set(item.facts.regions) if item.facts else set()
    for sentence in split_sentences(f"{summary} {item.rationale}"):
        if not kinds & set(mentioned(sentence)):
            continue
        if not _DONE.search(sentence) or _NOT_DONE.search(sentence):
            continue
        if _DENIED_DONE.search(sentence):  # "no prior MRI", "no record of previous MRIs"
            continue
        lowered = sentence.lower()
        named = {name for name, pattern in facts_vocabulary().regions if pattern.search(lowered)}
        if not named or not regions or named & regions:
            return sentence
    return ""
