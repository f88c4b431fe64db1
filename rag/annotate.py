"""What ingest adds to a parsed letter: each item's decision facts (`rag.facts`) and decisive
reasons (`rag.reasons`). Both are derived, so re-deriving them never re-embeds anything.

`rag.derived.ANNOTATIONS` names the versions of everything derived; it is part of an index's
config, and an ingest into an index annotated otherwise re-derives every letter.
"""

from __future__ import annotations

from collections.abc import Sequence

from rag.embedding import Embedder
from rag.facts import annotate_facts
from rag.reasons import ReasonExtractor
from rag.records import Letter


class Annotator:
    """Adds facts and reasons to letters, a batch at a time (reasons embed every sentence)."""

    def __init__(self, embedder: Embedder) -> None:
        self.reasons = ReasonExtractor(embedder)

    def __call__(self, letters: Sequence[Letter]) -> list[Letter]:
        return self.reasons.annotate([annotate_facts(letter) for letter in letters])
