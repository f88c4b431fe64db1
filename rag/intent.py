"""What a query or question asks beyond its treatment: an outcome, overturned decisions in
particular. Shared by the re-ranker and the answer composer, so both read intent the same way."""

from __future__ import annotations

import re

# "was X upheld", "how often denied", "approval rate", "outcome": any outcome asked.
_OUTCOME = re.compile(
    r"\b(upheld|uphold|overturn(?:ed|s)?|approv(?:e|ed|al)|den(?:y|ied|ial|ials)|certif(?:y|ied)|"
    r"granted|win|won|succeed|outcome)\b",
    re.I,
)
# "was X ever overturned", "reversed the denial", "approved when ..." (not "not approved").
_OVERTURNED = re.compile(r"(?<!not )(?<!non-)\b(?:overturn\w*|revers\w*|approv\w*|granted)\b", re.I)


def asks_outcome(text: str) -> bool:
    return bool(_OUTCOME.search(text))


def asks_overturned(text: str) -> bool:
    return bool(_OVERTURNED.search(text))
