"""Split decision rationales into overlapping chunks sized for the embedding model.

Chunk ids (doc_id, item_index, chunk_index) are stable for the same letter text, so qrels keyed
by `doc_id#item_index` survive a rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from langchain_text_splitters import RecursiveCharacterTextSplitter

from rag.records import Chunk, Determination

SEPARATORS = ["\n\n", ". ", "; ", ", ", " ", ""]


def make_splitter(
    chunk_tokens: int, overlap: int, count_tokens: Callable[[str], int]
) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=chunk_tokens,
        chunk_overlap=overlap,
        length_function=count_tokens,
        separators=SEPARATORS,
        keep_separator="end",
    )


def chunk_determinations(
    determinations: Iterable[Determination],
    splitter: RecursiveCharacterTextSplitter,
) -> list[Chunk]:
    """Every item's rationale as chunks carrying its letter and item metadata."""
    chunks: list[Chunk] = []
    for det in determinations:
        for item in det.items:
            pieces = splitter.split_text(item.rationale) or [item.rationale]
            chunks.extend(Chunk.of(det, item, n, text.strip()) for n, text in enumerate(pieces))
    return chunks
