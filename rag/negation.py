"""What a text says is absent: the words a negation governs ("no evidence of acute muscle
spasm", "lack of documentation the patient had spasms", "spasm was not noted").

A NegEx-style reading (Chapman et al., 2001): a negation cue opens a scope over the next few
words of its clause, and a conjunction that turns the sentence ("but", "however") closes it; a
cue after its subject ("... was not documented") reaches back over the clause's last words. The
maintained implementations (negspacy, medspacy) run inside spaCy pipelines, a heavy install for
one field of the index; this is the part of the algorithm the letters and questions need.
"""

from __future__ import annotations

import re

# words a cue reaches ("do not indicate that the patient is being treated for osteoarthritis")
SCOPE_WORDS = 10
BACK_WORDS = 5  # words a trailing cue reaches back ("acute muscle spasm was not documented")

# Before what they negate ("no", "lack of", "doesn't"). Not "denied" (in these letters a request
# is denied), nor "can't" or "won't" (what the worker cannot do is a finding: "can't swallow").
_CUE = re.compile(
    r"\b(?:no|not|never|without|nor|none|lack(?:s|ing)?(?: of)?|absence of|absent|"
    r"negative(?: for)?|free of|fails? to|failed to|den(?:y|ies) (?:any )?|"
    r"(?:do|does|did|has|have|had|is|was|are|were)n['’]t)\b|\bw/o(?!\w)",  # "w/o": without
    re.I,
)
# After what they negate.
_TRAILING = re.compile(
    r"\b(?:(?:was|were|is|are|been) (?:not|never|neither) (?:noted|documented|found|present|seen|"
    r"evident|observed|reported|identified|demonstrated|stated)|"
    r"(?:was|were|is|are) (?:absent|negative))\b",
    re.I,
)
# Cue words that negate nothing clinical ("no longer", "not only", "no change in").
_PSEUDO = re.compile(r"\b(?:no longer|not only|not necessarily|no change|no further)\b", re.I)
# What closes a scope: the clause turns or ends.
_TERMINATOR = re.compile(
    r"[.;:?!()]|\b(?:but|however|although|though|except|whereas|while|yet|which|who|aside|"
    r"because|when|if|since|unless)\b",
    re.I,
)
# A missing reason closes a scope too: "lack of a clear rationale for additional NSAIDs" says
# the rationale is absent, not the additional NSAID (which is what was asked).
_REASON_FOR = re.compile(
    r"\b(?:rationale|justification|explanation|necessity|reason)s?\b(?:\s+[\w-]+){0,4}?\s+"
    r"(?=(?:for|as to|why)\b)",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def absent_spans(text: str) -> list[str]:
    """The stretches of `text` a negation governs, in order of appearance."""
    return [scope for _, scope in negations(text)]


def negations(text: str) -> list[tuple[str, str]]:
    """Each negation of `text`: its words, cue included ("never document an actual muscle
    spasm", "spasm was not found"), and the stretch it governs (its words without the cue)."""
    cleaned = _PSEUDO.sub(lambda m: " " * len(m.group(0)), text)
    found = []
    for cue in _CUE.finditer(cleaned):
        start, end = _scope_after(cleaned, cue.end())
        if scope := _listed_on(_words(cleaned[start:end])):
            found.append((cue.start(), f"{cue.group(0).strip()} {' '.join(scope)}", scope))
    for cue in _TRAILING.finditer(cleaned):
        start = _scope_start(cleaned, cue.start())
        if scope := _words(cleaned[start : cue.start()])[-BACK_WORDS:]:
            found.append((start, f"{' '.join(scope)} {cue.group(0)}", scope))
    return [(phrase, " ".join(scope)) for _, phrase, scope in sorted(found, key=lambda f: f[0])]


def _scope_after(text: str, start: int) -> tuple[int, int]:
    stop = _TERMINATOR.search(text, start)
    end = stop.start() if stop else len(text)
    reason = _REASON_FOR.search(text, start, end)
    return start, reason.end() if reason else end


def _scope_start(text: str, end: int) -> int:
    starts = [m.end() for m in _TERMINATOR.finditer(text, 0, end)]
    return starts[-1] if starts else 0


def _listed_on(words: list[str]) -> list[str]:
    """The first SCOPE_WORDS of a cue's `words`, and the rest of a list they stop inside ("does
    not show that the injured worker's right shoulder pain comes from bursitis or tendinitis":
    tendinitis too)."""
    rest = [w.lower() for w in words[SCOPE_WORDS : SCOPE_WORDS + 3]]
    joined = next((i for i, w in enumerate(rest) if w in ("or", "nor", "and")), None)
    if joined is None or joined + 1 >= len(rest):
        return words[:SCOPE_WORDS]
    return words[: SCOPE_WORDS + joined + 2]


def _words(text: str) -> list[str]:
    return _WORD.findall(text)
