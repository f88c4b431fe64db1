"""Decisive reasons: why the reviewer upheld or overturned, as codes of our taxonomy
(`rag/data/reasons.toml`), each with the rationale sentence that states it, verbatim.

A sentence states a code when one of the code's patterns matches it, or when it is close in
meaning to one of the code's example sentences (cosine of the shipped embedding model, written
in our own words, never a letter's). Only codes of the item's own side count (an Overturned item
gets overturned-side codes). The verdict formula alone ("... is not medically necessary") is
never taken as a reason when another sentence states one. Weights and thresholds were tuned on
the tuning half of eval/data/facts.jsonl only; `imr eval --facts` reports the test half.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np

from rag.config import HASHING_MODEL
from rag.embedding import Embedder
from rag.records import Item, Letter, Outcome, Reason

REASONS_FILE = Path(__file__).parent / "data" / "reasons.toml"
MAX_REASONS = 4
FALLBACK = "guideline_criteria_met"
FALLBACK_THRESHOLD = 0.3
RULE = 1.0  # what a pattern match adds to a sentence's score for a code
SIMILAR = 0.66  # cosine to a code's example sentence that counts as stating it (0.62 gave a
# code to 31 tuning items against 22 right: "no documentation of any objective focal neurologic
# deficits" was no functional improvement. Tuning half, micro P/R 0.77/0.84 -> 0.82/0.82; 0.70
# measured 0.83/0.81)
THRESHOLD = 0.75  # a code's best sentence must score this much
SHOWN = THRESHOLD  # a code users may see is shown whenever it is found
VERDICT_PENALTY = 0.45  # the verdict formula restates the outcome; it rarely says why
GUIDELINE_PENALTY = 0.45  # a sentence quoting the guideline states the rule, not this case
CASE_BONUS = 0.15  # a sentence about this worker is where reviewers say why
# (and after a quotation's closing mark: 'devices." The submitted records ...')
_SENTENCE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d]))\s+(?=[A-Z\"(\[])")
_GUIDELINE = re.compile(
    r"\b(?:guidelines?|mtus|odg|acoem|according to|recommends?|(?:is|are) recommended|"
    r"(?<!to )states?|indications? for)\b|\"|"
    # the guideline's visit schedule by diagnosis ("... (ICD9 337.2): 26 visits over 16 weeks")
    r"\bicd-?9\b|\b\d+(?:-\d+)? visits over \d+ weeks\b|"
    r"\([a-z][a-z-]+(?: et al\.?)?, (?:19|20)\d\d\)"  # the studies it cites ("(Li, 2005)")
)
# A study the guideline cites, opening the sentence after the one it supports ("... range of
# motion in CRPS. (Li, 2005) The use of ..."): that one is the guideline's too.
_STUDY_CITED = re.compile(r"\([A-Z][\w-]+(?: et al\.?)?, (?:19|20)\d\d\)")
_CASE = re.compile(
    r"\b(?:in this case|the (?:patient|injured worker|claimant|applicant|worker|employee)|"
    r"the request(?:ed)?|this request|(?:the|this) original(?:ly)? request(?:ed)?|"
    r"there (?:is|was|were|has been) (?:no|not|insufficient|little)|"
    r"(?:medical |clinical )?(?:records?|documentation|notes?|reports?) (?:submitted|provided|"
    r"reviewed|indicate|show|do not|does not|did not))\b"
)
# The verdict drawn in a clause of its own after the case's why ("only slight deficits remain
# and the visits would pass the limit, so the request is not medically necessary"): what the
# clause before it says is the reason.
_CONCLUDED = re.compile(  # (or with no comma before "therefore": "... for this condition
    # therefore this request is not medically necessary")
    r"(?:,\s*(?:and\s+)?(?:therefore\s+|thus\s+|so\s+)?|\s(?:therefore|thus|hence),?\s+)"
    r"(?:the|this) (?:request(?:ed)?|treatment|"
    r"service)[^,]{0,60}(?:medically necessary|not (?:medically )?(?:necessary|supported|"
    r"warranted|indicated|appropriate|recommended))[.\s\"']*$"
)
_VERDICT = re.compile(
    r"(?:medically necessary|not (?:medically )?(?:necessary|supported|warranted|indicated|"
    r"appropriate|recommended))[.\s\"']*$"
)
# The code an item's reason gets when its decision followed another decision's, by that one's
# outcome. Such a statement is itself a verdict ("given that the naproxen was not medically
# necessary, the pantoprazole is also not medically necessary"): the code's pattern match is
# the reason, and the verdict formula at its end takes nothing from it.
FOLLOWED = {"Upheld": "depends_on_noncertified", "Overturned": "supports_approved_procedure"}
_TIED = frozenset(FOLLOWED.values())


@dataclass(frozen=True)
class ReasonCode:
    code: str
    label: str
    side: Outcome
    patterns: tuple[re.Pattern[str], ...]
    examples: tuple[str, ...]
    shown: bool = False  # shown to users (rag/data/reasons.toml: only once measured good)
    # the guideline's own words state it ("topical muscle relaxants are not recommended"): a
    # sentence quoting the guideline takes nothing from this code
    the_rule: bool = False
    # a sentence matching one of these is a condition on the rule, not this code ("not
    # recommended as a first-line treatment", "not recommended unless ..."): its patterns skip it
    unless: tuple[re.Pattern[str], ...] = ()


@cache
def taxonomy() -> dict[str, ReasonCode]:
    """Every reason code, in the file's order."""
    with REASONS_FILE.open("rb") as handle:
        table = tomllib.load(handle)
    return {
        code: ReasonCode(
            code=code,
            label=entry["label"],
            side=Outcome.UPHELD if entry["side"] == "upheld" else Outcome.OVERTURNED,
            patterns=tuple(re.compile(p) for p in entry.get("patterns", ())),
            examples=tuple(entry.get("examples", ())),
            shown=entry.get("shown", False),
            the_rule=entry.get("the_rule", False),
            unless=tuple(re.compile(p) for p in entry.get("unless", ())),
        )
        for code, entry in table.items()
    }


def side_of(code: str) -> Outcome | None:
    """The outcome reason code `code` argues for, None for no code's."""
    return reason.side if (reason := taxonomy().get(code)) else None


def split_sentences(text: str) -> list[str]:
    """`text` cut into sentences, each a verbatim substring of it."""
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def speaks_of_case(sentence: str) -> bool:
    """Whether `sentence` speaks of this case ("In this case ...", "There was no ...", "The
    records submitted do not ..."), where reviewers say why."""
    return bool(_CASE.search(sentence.lower()))


def states_the_rule(sentence: str) -> bool:
    """Whether `sentence` states the guideline's rule and says nothing of this case ("Nerve
    conduction studies are recommended in patients with clinical signs of carpal tunnel
    syndrome"): a condition it names is the rule's, not the worker's."""
    lowered = sentence.lower()
    return bool(_GUIDELINE.search(lowered)) and not _CASE.search(lowered)


# A sentence going on with the rule the one before states ("The ODG states that PRP injections
# are recommended for limited indications. These include symptomatic osteoarthritis ...").
_RULE_GOES_ON = re.compile(
    r"(?:these|they|this|such \w+|those|the criteria|criteria|indications)\b(?:\s+\w+){0,3}?\s+"
    r"(?:include|includes|are|consist)\b",
    re.I,
)


def about_the_case(rationale: str) -> str:
    """The sentences of `rationale` that do not state the guideline's rule, nor go on with it."""
    kept, rule = [], False
    sentences = split_sentences(rationale)
    for at, sentence in enumerate(sentences):
        goes_on = rule and _RULE_GOES_ON.match(sentence) and not speaks_of_case(sentence)
        cited = at + 1 < len(sentences) and _STUDY_CITED.match(sentences[at + 1])
        rule = states_the_rule(sentence) or bool(goes_on or cited and not speaks_of_case(sentence))
        if not rule:
            kept.append(sentence)
    return " ".join(kept)


class ReasonExtractor:
    """Finds each item's decisive reasons; embeds every sentence of a batch of letters at once.

    With the hashing embedder (tests, plumbing) only the patterns count: its vectors carry no
    meaning to compare with the examples.
    """

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.semantic = embedder.name != HASHING_MODEL
        self.codes = tuple(taxonomy().values())
        if self.semantic:
            examples = [(c.code, e) for c in self.codes for e in c.examples]
            self._example_codes = np.array([self.codes.index(taxonomy()[c]) for c, _ in examples])
            self._examples = embedder.embed([e for _, e in examples])

    def annotate(self, letters: Sequence[Letter]) -> list[Letter]:
        """`letters` with every item's reasons."""
        sentences = [split_sentences(i.rationale) for lt in letters for i in lt.items]
        flat = [s for group in sentences for s in group]
        similar = self._similarity(flat)
        out, at, n = [], 0, 0
        for letter in letters:
            items = []
            for item in letter.items:
                group = sentences[n]
                found = self.reasons(item, group, similar[at : at + len(group)])
                items.append(replace(item, reasons=found))
                at, n = at + len(group), n + 1
            out.append(replace(letter, items=tuple(items)))
        return out

    def reasons(self, item: Item, sentences: Sequence[str], similar: np.ndarray) -> tuple:
        """The item's codes (at most MAX_REASONS, best first), each with its best sentence."""
        scores = self.scores(item, sentences, similar)
        picked = []
        for c, code in enumerate(self.codes):
            if code.side != item.outcome or not len(sentences):
                continue
            best = int(np.argmax(scores[:, c]))
            if scores[best, c] >= THRESHOLD:
                picked.append((float(scores[best, c]), code, sentences[best]))
        codes = {code.code for _, code, _ in picked}
        if item.outcome == Outcome.OVERTURNED and len(sentences) and FALLBACK not in codes:
            # Reviewers overturn when the guideline's criteria are met; a weaker statement of it
            # counts, and an overturned item with no other reason gets it from its best sentence.
            c = next(i for i, code in enumerate(self.codes) if code.code == FALLBACK)
            best = int(np.argmax(scores[:, c]))
            if scores[best, c] >= FALLBACK_THRESHOLD or not picked:
                picked.append((float(scores[best, c]), self.codes[c], sentences[best]))
        picked.sort(key=lambda p: -p[0])
        return tuple(
            Reason(code.code, code.label, s, round(score, 3), code.shown and score >= SHOWN)
            for score, code, s in picked[:MAX_REASONS]
        )

    def scores(self, item: Item, sentences: Sequence[str], similar: np.ndarray) -> np.ndarray:
        """Sentences x codes: RULE per pattern match, plus the cosine when it reaches SIMILAR,
        less VERDICT_PENALTY for the verdict formula (not from a tied code its pattern found, nor
        from a code the guideline's words state when the sentence names no request)."""
        out = np.zeros((len(sentences), len(self.codes)))
        quoted = np.array([0.0 if code.the_rule else GUIDELINE_PENALTY for code in self.codes])
        for s, sentence in enumerate(sentences):
            lowered = sentence.lower()
            exempt = np.zeros(len(self.codes), bool)  # from the verdict penalty
            concluded = _CONCLUDED.search(lowered)  # "given <why>, the request is not ..."
            for c, code in enumerate(self.codes):
                found = [m for p in code.patterns if (m := p.search(lowered))]
                if found and not any(p.search(lowered) for p in code.unless):
                    out[s, c] += RULE
                    exempt[c] = (
                        code.code in _TIED
                        or (code.the_rule and "request" not in lowered)
                        or bool(concluded and found[0].end() <= concluded.start())
                    )
            if similar.size:
                out[s] += np.where(similar[s] >= SIMILAR, similar[s], 0.0)
            if _VERDICT.search(lowered):  # not the rule's own "... are not recommended."
                out[s] -= np.where(exempt, 0.0, VERDICT_PENALTY)
            about_case, about_rule = bool(_CASE.search(lowered)), bool(_GUIDELINE.search(lowered))
            if about_rule and not about_case:  # states_the_rule
                out[s] -= quoted
            elif about_case and not about_rule:
                out[s] += CASE_BONUS
        return out

    def _similarity(self, sentences: list[str]) -> np.ndarray:
        """Sentences x codes: the best cosine to any of the code's examples."""
        if not self.semantic or not sentences:
            return np.zeros((len(sentences), 0))
        cosine = self.embedder.embed(sentences) @ self._examples.T
        out = np.full((len(sentences), len(self.codes)), -1.0)
        for c in range(len(self.codes)):
            columns = self._example_codes == c
            if columns.any():
                out[:, c] = cosine[:, columns].max(axis=1)
        return out
