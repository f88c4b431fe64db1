"""Chunks fit the model's window, belong to their item, and have stable ids."""

from __future__ import annotations

from rag.chunking import chunk_letters, make_splitter
from rag.embedding import HashingEmbedder, SentenceTransformerEmbedder
from rag.parsing import iter_letter_files, parse_file

from .conftest import SAMPLES


def test_chunks_fit_the_real_model_window_and_keep_their_item(letters_dir) -> None:
    embedder = SentenceTransformerEmbedder()
    letters = [parse_file(p) for p in list(iter_letter_files([letters_dir / "txt"]))[:40]]
    splitter = make_splitter(200, 32, embedder.count_tokens)
    chunks = chunk_letters(letters, splitter)
    by_id = {item.id: item for letter in letters for item in letter.items}
    assert {c.item_id for c in chunks} == set(by_id)
    assert any(c.index > 0 for c in chunks), "long rationales are split"
    for c in chunks:
        assert embedder.count_tokens(c.text) <= 200
        assert c.item is by_id[c.item_id]
        assert c.text in c.item.rationale
        assert c.embed_text == f"{c.item.name}. {c.text}"
    again = chunk_letters(letters, splitter)
    assert [(c.item_id, c.index, c.text) for c in again] == [
        (c.item_id, c.index, c.text) for c in chunks
    ]


def test_sample_letters_chunk_with_the_hashing_counter() -> None:
    letters = [parse_file(p) for p in iter_letter_files([SAMPLES])]
    chunks = chunk_letters(letters, make_splitter(60, 10, HashingEmbedder().count_tokens))
    assert all(HashingEmbedder().count_tokens(c.text) <= 60 for c in chunks)
    assert len({c.item_id for c in chunks}) == sum(len(letter.items) for letter in letters)
