"""The lexical side's tokens: words and numbers as users type them, plus synonym concepts.

Strengths ("10/325"), quantities ("#120" -> "120") and page ranges ("76-80", also "76" and "80")
stay whole, because users paste them from requests and citations.
"""

from __future__ import annotations

import re

from rag.synonyms import concept_tokens

RRF_K = 60  # reciprocal rank fusion constant, shared by retrieval and re-ranking
TOKEN = re.compile(r"\d+(?:[./-]\d+)*|[a-z]+")
_STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it of on or that the this to was were "
    "with which who what when does do did not no any ever".split()
)


def stopword(word: str) -> bool:
    return word in _STOPWORDS


def item_words(text: str) -> list[str]:
    """Words of 4+ letters, singular: what a treatment name is matched on."""
    return [w.removesuffix("s") for w in re.findall(r"[a-z][a-z-]{3,}", text.lower())]


def lexical_tokens(text: str) -> list[str]:
    """Lowercase words and numbers ("10/325", "76-80" kept whole) plus synonym-concept tokens."""
    words = [w for w in TOKEN.findall(text.lower()) if w not in _STOPWORDS]
    extra = [part for w in words if "-" in w for part in w.split("-")]
    return words + extra + concept_tokens(text)
