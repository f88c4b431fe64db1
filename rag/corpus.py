"""One loaded snapshot as IMR records: letters, items and chunks read on demand from
`index.VectorStore`, plus what the value columns tell about all of them at once.

The index stores JSON it does not read; this is the one place that turns it back into records.
Nothing is decoded at load: a query pays only for the items and passages it returns.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from index.store import VectorStore
from rag.config import IndexConfig
from rag.records import Item, Letter, load_item, load_letter
from rag.stats import CorpusStats, FilterChoices, column_stats, filter_choices


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

    def __len__(self) -> int:
        """Chunks (rows) in the snapshot."""
        return len(self.store)

    def letter(self, letter_id: str) -> Letter | None:
        document = self.store.document(letter_id)
        if document is None:
            return None
        return load_letter({**document["letter"], "items": self.store.records_of(letter_id)})

    def letters(self) -> Iterator[Letter]:
        """Every letter, decoded one at a time (for evaluation; a query never needs this)."""
        for letter_id in self.store.document_keys():
            letter = self.letter(letter_id)
            if letter is not None:
                yield letter

    def item_ids(self) -> list[str]:
        return self.store.record_keys()

    def item_ids_at(self, positions: Sequence[int]) -> list[str]:
        """The ids of the items at record `positions`, in that order, without their JSON."""
        return self.store.record_keys_at(positions)

    def items_at(self, positions: Sequence[int]) -> list[Item]:
        """The items at record `positions`, in that order."""
        return [load_item(body) for _, body in self.store.record_bodies(positions)]

    def items(self, item_ids: Sequence[str]) -> list[Item]:
        """The items with these ids, in that order (ids not in the index are left out)."""
        found = self.store.record_positions(list(item_ids))
        return self.items_at([found[i] for i in item_ids if i in found])

    def item(self, item_id: str) -> Item | None:
        position = self.store.record_positions([item_id]).get(item_id)
        return None if position is None else self.items_at([position])[0]

    def passages(self, rows: Sequence[int]) -> list[str]:
        """The rationale passage of each row."""
        return [payload["text"] for payload in self.store.payloads(rows)]

    def row_records(self) -> np.ndarray:
        return self.store.row_records

    @cached_property
    def stats(self) -> CorpusStats:
        """Counted from the value columns once per snapshot, in milliseconds at any size."""
        return column_stats(self)

    @cached_property
    def choices(self) -> FilterChoices:
        return filter_choices(self)

    def close(self) -> None:
        self.store.close()
