"""How the worker was injured: the mechanism of injury a letter's case summary states ("The
mechanism of injury is detailed as a slip and fall", "sustained an industrial injury ... when
boxes fell on him"), and the one a question asks about ("Was PT approved for a worker injured in
a fall?", "lumbar MRIs after lifting injuries", "car accident cases").

Six mechanisms, the ones attorneys and adjusters sort claims by: a fall, lifting (carrying,
pushing, pulling), cumulative trauma (repetitive work), a vehicle accident, being struck or
crushed, an assault. A letter may state two ("hit by an object then fell"), or none: 58 of the 194
real letters state one. Only the sentence saying how the injury happened counts, never the
symptoms ("pain aggravated by lifting") or the work restrictions ("a 15-pound lifting limit").
"""

from __future__ import annotations

import re

from rag.reasons import split_sentences

FALL, LIFTING, CUMULATIVE = "fall", "lifting", "cumulative trauma"
VEHICLE, STRUCK, ASSAULT = "vehicle accident", "struck", "assault"
MECHANISMS = (FALL, LIFTING, CUMULATIVE, VEHICLE, STRUCK, ASSAULT)

# The part of a summary's sentence saying how the injury happened: after "mechanism of injury"
# ("... is detailed as ...", "... occurred when ..."), or after the injury sustained ("a work
# injury on a given day, after a shelf gave way"; "contusion secondary to a fall"); a fall told as
# such anywhere ("slipped and fell while working"), and so a crush injury or a vehicle accident
# named as what the pain follows ("diagnosed as having right foot crush injury", "low back pain
# post MVA", "attributed to an industrial motor vehicle accident").
_TOLD = re.compile(
    r"\bmechanism of (?:the )?injury\b|\binjur(?:y|ies)\b[^.;]*?\b(?:when|after|while|due to|"
    r"secondary to|from)\b|\b(?:secondary to|due to|attributed to) (?=(?:an? |the )?(?:\w+ )?"
    r"(?:fall|lifting|cumulative|repetitive|motor vehicle))|\b(?=(?:slipped|tripped) and fell\b)|"
    r"\b(?=crush(?:ing)? injur(?:y|ies)\b)|\bpost[- ]?(?=mv[ac]\b)",
    re.I,
)
_UNTOLD = re.compile(
    r"\b(?:not (?:detailed|documented|specified|known|described)|unclear|unknown)\b", re.I
)
# What each mechanism is called in the letters.
_LETTER = {
    FALL: r"\b(?:falls?|fell|falling|slip(?:ped|s)?|trip(?:ped|s)?)\b(?! (?:on|onto|upon) "
    r"(?:him|her|his|them|the worker))(?<!\bfrom falling)|\boff (?:of )?(?:a|the) (?:\w+ ){0,3}"
    r"(?:ladder|roof|scaffold\w*)",
    LIFTING: r"\b(?:lift(?:ing|ed|s)?|pick(?:ing|ed)? up|carr(?:y|ying|ied)|push(?:ing|ed)?|"
    r"pull(?:ing|ed)?)\b",
    CUMULATIVE: r"\b(?:cumulative|repetitive|repeated|overuse|continuous trauma)\b",
    VEHICLE: r"\b(?:(?:motor )?vehicle|car|auto(?:mobile)?|traffic|truck|forklift|bus) "
    r"(?:\w+ )?(?:accident|collision|crash|rollover)s?\b|\bmv[ac]\b",
    STRUCK: r"\b(?:struck|striking|hit by|crush(?:ed|ing)?|pinned|smash(?:ed|ing)?)\b|"
    r"\bfell (?:on|onto|upon) (?:him|her|his|them|the worker)\b",
    ASSAULT: r"\b(?:assault(?:ed)?|altercation|attack(?:ed)?|violent)\b",
}
_LETTER_PATTERNS = {name: re.compile(pattern, re.I) for name, pattern in _LETTER.items()}


def mechanisms_of(summary: str) -> list[str]:
    """The mechanisms of injury a letter's case summary states, in MECHANISMS' order."""
    found: set[str] = set()
    for sentence in split_sentences(summary):
        told = _TOLD.search(sentence)
        if told is None or _UNTOLD.search(sentence, told.end(), told.end() + 40):
            continue
        how = sentence[told.start() :]
        found |= {name for name, pattern in _LETTER_PATTERNS.items() if pattern.search(how)}
    return [name for name in MECHANISMS if name in found]


# What a question calls each mechanism: a phrase naming it ("a slip and fall", "lifting
# injuries", "repetitive strain", "car accidents"), never its words in another sense ("does it
# fall under MTUS?", "lifting restrictions", "a repeat MRI").
_LIFTED = (
    r"(?:lifting|carrying|pushing|pulling|picking up)(?: (?:a|an|the|heavy|some)){0,2}"
    r"(?: (?:box|boxes|objects?|patients?|items?|equipment|weights?|loads?|materials?))?"
)
_ASKED = {
    STRUCK: r"(?:struck|hit) by (?:an? |the )?(?:falling |moving |heavy |flying )?\w+|"
    r"crush(?:ed|ing)? injur(?:y|ies)|crushed(?: (?:by|under|between)(?: (?:an?|the))? \w+)?",
    FALL: r"(?:slip|trip)(?:ped|s)?,? and f[ae]ll(?:s|ing)?|"
    r"(?:fell|falls?|falling) (?:off|from|down)(?: (?:an?|the|his|her|some))?(?: [\w-]+)??"
    r"(?: (?:ladders?|roofs?|"
    r"stairs|steps?|trucks?|chairs?|scaffold\w*|platforms?|heights?|stools?|forklifts?|"
    r"trailers?|docks?))|"
    r"fell(?! (?:asleep|behind|through|short|apart|under|within|into|out))|"
    r"(?:an?|the|from|after|in|by|with|of) (?:\w+ )?(?:falls?|falling)(?! asleep| of \d)|"
    r"falls? (?:injur(?:y|ies)|accidents?)",
    LIFTING: r"(?:heavy )?lifting (?:injur(?:y|ies)|accidents?|incidents?|strains?)|"
    rf"(?:while|from|when|after|by|injured|hurt) (?:heavy )?{_LIFTED}|heavy lifting|"
    r"lifted (?:a|an|the|heavy|something)",
    CUMULATIVE: r"cumulative (?:trauma|injur(?:y|ies)|claims?|cases?)(?: (?:injur(?:y|ies)|"
    r"claims?|cases?))?|(?:repetitive|overuse) (?:strain|stress|trauma|motion|use|work|"
    r"injur(?:y|ies))(?: injur(?:y|ies))?",
    VEHICLE: r"(?:motor |auto(?:mobile)? )?vehicle (?:accident|collision|crash)e?s?|"
    r"(?:car|auto(?:mobile)?|traffic|truck) (?:accident|crash|wreck|collision)e?s?|mv[ac]s?",
    ASSAULT: r"assault(?:ed|s)?|(?:physical )?altercations?|attacked|fist ?fights?|"
    r"(?:breaking|broke|break) up (?:a |the )?fight|(?:in|into|during|from|after) (?:a |the )"
    r"fight",  # (not "how to fight a denial")
}
# The words leading to the mechanism ("a worker injured in", "hurt when", "cases involving").
_LEAD = (
    r"(?:(?:who (?:was|were|got) |that (?:was|were) |were |was |got )?(?:injured|hurt)"
    r"(?: \w+)? |(?:had|has had|suffered|sustained|took) )?(?:(?:in|from|after|by|for|during|"
    r"due to|because of|following|with|when|while|involv(?:ing|ed|es?)|caused by) "
    r"(?:an? |the )?|(?:(?:when|where|with|if) )?(?:the |a )?(?:mechanism|cause) of (?:the )?"
    r"injury (?:was|is|being|of|as) (?:an? |the )?)?"
)
_ASKED_PATTERNS = {
    name: re.compile(rf"\b{_LEAD}(?:{pattern})\b", re.I) for name, pattern in _ASKED.items()
}

_HAD = re.compile(r"(?:had|has had|suffered|sustained|took)\b", re.I)
_DATED = re.compile(r"\W+(?:\w+\W+){0,4}?(?:19|20)\d\d\b")


# A word every mechanism's phrase holds: a question without one names none (read first, as
# most questions do not, and the phrases' patterns cost ~0.1 ms a question).
_ANY_ASKED = re.compile(
    r"\b(?:slip|trip|fell|fall|lift|carr|push|pull|pick|cumulative|repetitive|overuse|vehicle|"
    r"car|auto|traffic|truck|mv[ac]|struck|hit|crush|assault|altercation|attacked|fight)",
    re.I,
)


def mechanism_asked(text: str) -> tuple[str, str, str] | None:
    """The mechanism of injury `text` asks about: (the text without its words, the mechanism,
    the words naming it); None when it names none."""
    if not _ANY_ASKED.search(text):
        return None
    for name, pattern in _ASKED_PATTERNS.items():
        if m := pattern.search(text):
            dated = _DATED.match(text, m.end())  # "hurt in a fall in 2010": when it happened,
            # as the question says it (no column holds it)
            end = m.end()
            if _HAD.match(m.group(0)) and text.startswith(" and ", end):  # "My client had a
                end += len(" and")  # fall and went to a chiropractor": went to a chiropractor
            kept = f"{text[: m.start()]}{' injured' if dated else ''} {text[end:]}"
            return re.sub(r" (?=[?.,;:!])", "", " ".join(kept.split())), name, m.group(0)
    return None
