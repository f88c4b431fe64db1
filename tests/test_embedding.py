"""The shipped embedder: length-sorted batches tokenised ahead of the model give exactly the
vectors of plain `SentenceTransformer.encode`, in input order."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.parsing import parse_file


def test_pipelined_batches_match_plain_encode_in_input_order(real_engine, seeds_dir: Path):
    embedder = real_engine.embedder
    rationales = [i.rationale for p in sorted(seeds_dir.glob("*.txt")) for i in parse_file(p).items]
    texts = ["norco", *rationales, "EMG/NCV of both legs", rationales[0][:40]]
    embedder.batch_size, before = 3, embedder.batch_size  # many batches, so prefetch runs
    try:
        ours = embedder.embed(texts)
    finally:
        embedder.batch_size = before
    plain = embedder.model.encode(texts, batch_size=3, normalize_embeddings=True)
    assert ours.shape == (len(texts), embedder.dimension)
    assert np.allclose(ours, plain, atol=1e-5)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    one = embedder.embed(["norco"])  # a query: one batch, no thread
    assert np.allclose(one[0], ours[0], atol=1e-5)
    ticks: list[int] = []
    embedder.embed(texts[:7], progress=ticks.append)
    assert sum(ticks) == 7
