"""Chunks fit the model's window, carry their item's metadata, and have stable ids."""

from __future__ import annotations

from rag.chunking import chunk_determinations, make_splitter
from rag.embedding import SentenceTransformerEmbedder
from rag.parsing import iter_letter_files, parse_file

from .conftest import SAMPLES


def test_chunks_fit_the_real_model_window_and_keep_metadata(letters_dir) -> None:
    embedder = SentenceTransformerEmbedder()
    letters = [parse_file(p) for p in list(iter_letter_files([letters_dir / "txt"]))[:40]]
    splitter = make_splitter(200, 32, embedder.count_tokens)
    chunks = chunk_determinations(letters, splitter)
    by_item = {(d.doc_id, i.item_index): i for d in letters for i in d.items}
    assert {(c.doc_id, c.item_index) for c in chunks} == set(by_item)
    assert any(c.chunk_index > 0 for c in chunks), "long rationales are split"
    for c in chunks:
        assert embedder.count_tokens(c.text) <= 200
        item = by_item[(c.doc_id, c.item_index)]
        assert c.text in item.rationale
        assert (c.item, c.outcome, c.mtus_sections) == (item.item, item.outcome, item.mtus_sections)
    again = chunk_determinations(letters, splitter)
    assert [(c.item_id, c.chunk_index, c.text) for c in again] == [
        (c.item_id, c.chunk_index, c.text) for c in chunks
    ]


def test_sample_letters_chunk_with_the_hashing_counter() -> None:
    from rag.embedding import HashingEmbedder

    letters = [parse_file(p) for p in iter_letter_files([SAMPLES])]
    chunks = chunk_determinations(letters, make_splitter(60, 10, HashingEmbedder().count_tokens))
    assert all(HashingEmbedder().count_tokens(c.text) <= 60 for c in chunks)
    assert len({c.item_id for c in chunks}) == sum(len(d.items) for d in letters)
