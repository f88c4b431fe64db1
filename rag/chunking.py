"""Split decision rationales into overlapping chunks sized for the embedding model.

A chunk is known by its item id and its index within the item, both stable for the same letter
text, so qrels keyed by item id survive a rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from langchain_text_splitters import RecursiveCharacterTextSplitter

from rag.records import Chunk, Letter

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


def chunk_letters(
    letters: Iterable[Letter], splitter: RecursiveCharacterTextSplitter
) -> list[Chunk]:
    """Every item's rationale as chunks, in letter and item order."""
    chunks: list[Chunk] = []
    for letter in letters:
        for item in letter.items:
            pieces = splitter.split_text(item.rationale) or [item.rationale]
            chunks.extend(Chunk(item, n, text.strip()) for n, text in enumerate(pieces))
    return chunks
