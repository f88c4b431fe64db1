"""The shipped embedder: length-sorted batches tokenised ahead of the model give exactly the
vectors of plain `SentenceTransformer.encode`, in input order; a query runs on the model
exported to ONNX with the same vectors; weights that are not the released ones are refused by
their sha256."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from rag.embedding import MODEL_SHA256, SentenceTransformerEmbedder, bundled_model_dir
from rag.errors import ModelError
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


def test_model_weights_that_differ_from_the_release_are_refused(tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(bundled_model_dir(), model)
    copy = SentenceTransformerEmbedder(model_dir=model)  # an intact copy loads
    assert copy.dimension == 384
    weights = model / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one tensor: it would load and embed, wrongly
    weights.write_bytes(bytes(data))
    expected = rf"{weights}: sha256 [0-9a-f]{{64}} is not the expected {MODEL_SHA256}; reinstall"
    with pytest.raises(ModelError, match=expected):
        SentenceTransformerEmbedder(model_dir=model)
    weights.unlink()
    with pytest.raises(ModelError, match=rf"{weights}: cannot be read"):
        SentenceTransformerEmbedder(model_dir=model)


QUERIES = [
    "norco",
    "Was chronic Norco without functional documentation upheld?",
    "EMG/NCV of both legs",
    "lumbar " * 400,  # cut at the model's 256 tokens, as torch cuts it
]


def test_queries_are_embedded_by_the_exported_onnx_model_with_torchs_vectors(tmp_path: Path):
    embedder = SentenceTransformerEmbedder(threads=1, onnx_dir=tmp_path)
    assert embedder.query_model() is not None
    exported = tmp_path / f"all-minilm-l6-v2-{MODEL_SHA256[:16]}.onnx"
    assert sorted(tmp_path.iterdir()) == [exported]  # no part-written file left beside it
    for query in QUERIES:  # one at a time, as searches embed them
        by_torch = embedder._forward(embedder._features([query]))
        assert np.allclose(embedder.embed([query]), by_torch, atol=1e-5), query
    padded = embedder.embed(QUERIES)  # one batch of four lengths: padding is masked out
    plain = embedder.model.encode(QUERIES, normalize_embeddings=True)
    assert np.allclose(padded, plain, atol=1e-5)
    written = exported.stat().st_mtime_ns
    again = SentenceTransformerEmbedder(threads=1, onnx_dir=tmp_path)  # a later process
    assert again.query_model() is not None
    assert exported.stat().st_mtime_ns == written  # reads the export, does not redo it


def test_an_unreadable_exported_model_is_exported_again(tmp_path: Path, caplog):
    exported = tmp_path / f"all-minilm-l6-v2-{MODEL_SHA256[:16]}.onnx"
    exported.write_bytes(b"half an ONNX file")
    embedder = SentenceTransformerEmbedder(threads=1, onnx_dir=tmp_path)
    with caplog.at_level("WARNING", logger="rag.embedding"):
        assert embedder.query_model() is not None
    assert f"{exported} cannot be read" in caplog.text
    assert exported.stat().st_size > 10_000_000
    query = "Is a cervical epidural steroid injection approved?"
    by_torch = embedder._forward(embedder._features([query]))
    assert np.allclose(embedder.embed([query]), by_torch, atol=1e-5)
