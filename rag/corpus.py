"""One loaded snapshot as IMR records: typed letters, items and chunks over `index.VectorStore`.

The index stores JSON it does not read; this is the one place that turns it back into records.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

from index.store import VectorStore
from rag.config import IndexConfig
from rag.records import Chunk, Item, Letter, load_letter
from rag.stats import CorpusStats, FilterChoices, corpus_stats, filter_choices


class Corpus:
    """The letters, items and chunks of one snapshot. Immutable once loaded."""

    def __init__(self, store: VectorStore) -> None:
        self.store = store

    @classmethod
    def load(cls, index_dir: Path, config: IndexConfig) -> Corpus:
        """The live snapshot at `index_dir`, refusing one built with another config."""
        store = VectorStore.load(index_dir)
        try:
            config.check_same(IndexConfig.from_dict(store.manifest.config), index_dir)
        except Exception:
            store.close()
            raise
        return cls(store)

    @property
    def snapshot(self) -> Path:
        return self.store.snapshot

    def letter(self, letter_id: str) -> Letter | None:
        document = self.store.document(letter_id)
        return load_letter(document["letter"]) if document else None

    def letters(self) -> Iterator[Letter]:
        for document in self.store.documents().values():
            yield load_letter(document["letter"])

    @cached_property
    def items(self) -> dict[str, Item]:
        """Every item by id."""
        return {item.id: item for letter in self.letters() for item in letter.items}

    @cached_property
    def chunks(self) -> list[Chunk]:
        """Every chunk, in row order (row i is vector i)."""
        items = self.items
        return [Chunk(items[p["item"]], p["index"], p["text"]) for p in self.store.payloads()]

    @cached_property
    def stats(self) -> CorpusStats:
        """Computed once per snapshot: the landing page and /api/stats read it on every call."""
        return corpus_stats(self.letters(), len(self.store))

    @cached_property
    def choices(self) -> FilterChoices:
        return filter_choices(self.letters())

    def close(self) -> None:
        self.store.close()
