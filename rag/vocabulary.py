"""Our concept table (`rag/data/concepts.toml`): brand, generic and abbreviated names of treatments,
their classes, and a few conditions, matched on word boundaries.

A text that mentions a concept's form mentions the concept and its classes: "Norco" names
hydrocodone (and the opioid class), "opioids" names the class. Concept ids are the table's keys.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CONCEPTS_FILE = Path(__file__).parent / "data" / "concepts.toml"


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    forms: tuple[str, ...]  # lowercase surface forms
    classes: tuple[str, ...] = ()  # concept ids of the classes it belongs to
    kind: str = "treatment"  # "treatment", "condition" (a reason, a state), "region", "finding"
    # for a state, the treatment its words also name ("plain films" are x-rays): a question
    # asking for that treatment names no such state
    names: str | None = None
    # a state that is itself something the chart does not say ("how many visits were already
    # used"): the letters write it inside a negation ("is not noted"), and a question's negation
    # ("never says how many") asks for it, not for its denial
    unsaid: bool = False
    title: str | None = None  # how pages name it, where the id does not read as words

    @property
    def label(self) -> str:
        """How pages name it: its title, else the form spelled like the id ("x_ray" -> "X-ray"),
        short abbreviations in capitals ("mri" -> "MRI")."""
        if self.title:
            return self.title
        squashed = self.id.replace("_", "")
        plain = self.id.replace("_", " ")
        form = next(
            (f for f in self.forms if f.replace("-", "").replace(" ", "") == squashed), plain
        )
        return form.upper() if len(form) <= 4 else form[:1].upper() + form[1:]


@cache
def concepts() -> dict[str, Concept]:
    """Every concept by id, read once from the data file."""
    with CONCEPTS_FILE.open("rb") as handle:
        table = tomllib.load(handle)
    return {
        cid: Concept(
            id=cid,
            forms=tuple(entry["forms"]),
            classes=tuple(entry.get("classes", ())),
            kind=entry.get("kind", "treatment"),
            names=entry.get("names"),
            unsaid=entry.get("unsaid", False),
            title=entry.get("title"),
        )
        for cid, entry in table.items()
    }


@cache
def _matcher() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The pattern over every form, and per form: the concepts it names directly, and those
    plus their classes."""
    direct: dict[str, tuple[str, ...]] = {}
    implied: dict[str, tuple[str, ...]] = {}
    for concept in concepts().values():
        named = (concept.id, concept.names) if concept.names else (concept.id,)
        for form in concept.forms:
            direct[form] = tuple(dict.fromkeys((*direct.get(form, ()), *named)))
            with_classes = (*implied.get(form, ()), *named, *concept.classes)
            implied[form] = tuple(dict.fromkeys(with_classes))
    # "(?!/ptt)": in "PT/PTT" the PT is prothrombin time, a lab test, not physical therapy.
    forms = _trie_pattern(direct)
    # Forms are lowercase and matched against lowercased text: faster than re.IGNORECASE.
    return re.compile(rf"(?<![\w-])({forms})(?!\w)(?!/ptt)"), direct, implied


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex matching any of `words`, longest first, shared prefixes factored out: the same
    matches as an alternation sorted by length, about 30 times faster over a rationale (one
    alternative per character tried instead of one per form)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [
            re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # a word may end here: try the longer ones first, then stop
            return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
        return body

    return pattern(trie)


# A bare "ultrasound" beside another therapy modality ("chiro, e-stim and ultrasound") or given
# in sessions ("Ultrasound 1 times 8") is the therapist's sound waves, not a scan.
_ULTRASOUND = re.compile(r"\bultrasound\b(?![ -](?:therap|treatment|of|scan|imag|guid))", re.I)
_THERAPY = re.compile(
    r"\b(?:chiro\w*|e-?stim|electrical (?:muscle )?stim\w*|tens|massage|traction|infrared|"
    r"hot(?:/cold)? packs?|heat|diathermy|physical therapy|physiotherapy|pt|manual therapy|"
    r"modalit(?:y|ies))\b|\bultrasound,? (?:\d+ ?(?:x|times)|(?:\w+ )?(?:sessions|visits))",
    re.I,
)
# The patches or pads of a stimulator ("a TENS unit with patches") are its electrodes, not a
# drug's patch.
_ELECTRODES = re.compile(
    r"\b((?:tens|e-?stim|ems|stim|stimulator|interferential)(?: units?)?)"
    r"(?: (?:with|and|plus|including|\+)(?: (?:the|its|replacement|extra|new))?)? "
    r"(?:electrode )?(?:patch(?:es)?|pads?)\b",
    re.I,
)


def as_therapy(text: str) -> str:
    """`text` with a therapy's words written as its concept's forms: a bare "ultrasound" given as
    therapy as "ultrasound therapy", a stimulator's patches or pads as its "electrodes"."""
    text = _ELECTRODES.sub(lambda m: f"{m.group(1)} and electrodes", text)
    if not _THERAPY.search(text):
        return text
    return _ULTRASOUND.sub(lambda m: f"{m.group(0)} therapy", text)


def mentioned(text: str) -> list[str]:
    """Concept ids `text` mentions, classes included, with repeats, in order of mention."""
    pattern, _, implied = _matcher()
    return [cid for m in pattern.finditer(text.lower()) for cid in implied[m.group(1)]]


def forms_said(text: str) -> list[tuple[str, str]]:
    """Each concept `text` names directly, with the words naming it, in order of mention."""
    pattern, direct, _ = _matcher()
    return [(cid, m.group(1)) for m in pattern.finditer(text.lower()) for cid in direct[m.group(1)]]


def conditions_named(text: str, asked: Collection[str] = ()) -> list[str]:
    """The conditions (a reason or state, not a region or finding) `text` names, once each, in
    order of mention: "carry on with exercises at home" gives home_exercise. `asked`: the
    treatments a question asks about; a state naming one of them is none ("repeat plain films"
    asks for x-rays)."""
    table = concepts()
    named = dict.fromkeys(mentioned(text))
    return [
        c
        for c in named
        if c in table and table[c].kind == "condition" and table[c].names not in asked
    ]


def treatments_named(text: str) -> list[str]:
    """The treatments `text` names, most specific first: "Norco" gives hydrocodone, not opioid.

    Only the concept a form names directly counts, never its classes, so a question about Norco
    is not answered with Percocet decisions; conditions ("red flags") are never treatments.
    """
    pattern, direct, _ = _matcher()
    table = concepts()
    found: list[str] = []
    for match in pattern.finditer(text.lower()):
        for cid in direct[match.group(1)]:
            if table[cid].kind == "treatment" and cid not in found:
                found.append(cid)
    return found


def forms_of(concept_id: str) -> tuple[str, ...]:
    return concepts()[concept_id].forms


@cache
def forms_naming(concept_id: str) -> tuple[str, ...]:
    """The forms naming `concept_id` directly: its own, and those of a state naming it ("plain
    films": x-rays)."""
    _, direct, _ = _matcher()
    return tuple(form for form, named in direct.items() if concept_id in named)


_CUT = re.compile(r"[#(\[:,;]|\b\d|\b(?:times|for|x|qty|quantity|dos|per)\b")
_LEAD = re.compile(
    r"^(?:retrospective|prospective|request for|purchase of|rental of|one|an?|\d+)\s+"
)


def treatment_key(name: str) -> str:
    """The group a disputed item counts under in statistics: the first concept its name names
    ("Norco 10/325mg #120" -> hydrocodone), else the name without doses and quantities."""
    found = treatments_named(name)
    if found:
        return found[0]
    lowered = name.lower()
    while (lead := _LEAD.sub("", lowered)) != lowered:
        lowered = lead
    lowered = _CUT.split(lowered, maxsplit=1)[0]
    return " ".join(lowered.split()) or name.strip().lower()


def treatment_label(key: str) -> str:
    """How a page names a treatment group."""
    concept = concepts().get(key)
    return concept.label if concept else key[:1].upper() + key[1:]
