"""The snapshot store: atomic swap, consistency checks, clear errors for damaged files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.errors import StoreCorruptError, StoreMismatchError, StoreNotFoundError
from index.manifest import Manifest
from index.snapshot import SnapshotWriter, write_snapshot
from index.store import CURRENT, VECTORS, VectorStore, build_index, current_snapshot


def _vectors(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _write(root: Path, n: int, seed: int = 0) -> Path:
    vectors = _vectors(n, seed=seed)
    rows = [(f"doc{i // 2}", {"i": i, "seed": seed}) for i in range(n)]
    docs = {f"doc{i}": {"sha256": str(i)} for i in range((n + 1) // 2)}
    manifest = Manifest(dimension=8, count=n, documents=len(docs))
    return write_snapshot(root, build_index(vectors), rows, docs, manifest)


def test_round_trip_returns_exact_neighbours_and_payloads(tmp_path: Path) -> None:
    _write(tmp_path, 10)
    store = VectorStore.load(tmp_path, verify=True)
    vectors = _vectors(10)
    scores, rows = store.search(vectors[3:4], k=3)
    assert rows[0][0] == 3 and scores[0][0] == pytest.approx(1.0, abs=1e-5)
    assert store.payloads([3, 1]) == [{"i": 3, "seed": 0}, {"i": 1, "seed": 0}]
    assert store.rows_of(["doc1"]) == {"doc1": [2, 3]}
    assert np.allclose(store.vectors([4]), vectors[4:5])


def test_search_with_allowed_rows_filters_inside_faiss(tmp_path: Path) -> None:
    _write(tmp_path, 20)
    store = VectorStore.load(tmp_path)
    _, rows = store.search(_vectors(20)[:1], k=5, allowed=np.array([7, 11]))
    assert set(rows[0][rows[0] >= 0]) == {7, 11}


def test_new_snapshot_swaps_in_and_the_old_one_is_kept_as_fallback(tmp_path: Path) -> None:
    first = _write(tmp_path, 4, seed=1)
    second = _write(tmp_path, 6, seed=2)
    assert current_snapshot(tmp_path) == second
    assert first.exists(), "the previous snapshot stays for readers that still hold it"
    third = _write(tmp_path, 2, seed=3)
    assert not first.exists() and second.exists() and current_snapshot(tmp_path) == third
    assert len(VectorStore.load(tmp_path)) == 2


def test_abandoned_partial_write_leaves_the_live_index_intact(tmp_path: Path) -> None:
    _write(tmp_path, 4)
    partial = tmp_path / "snapshots" / "99999999999999999999-dead.partial"
    partial.mkdir()
    (partial / VECTORS).write_bytes(b"half a file")
    store = VectorStore.load(tmp_path, verify=True)
    assert len(store) == 4


def test_missing_index_is_a_clear_not_found(tmp_path: Path) -> None:
    with pytest.raises(StoreNotFoundError, match="imr ingest"):
        VectorStore.load(tmp_path)


def test_truncated_vector_file_is_detected(tmp_path: Path) -> None:
    snapshot = _write(tmp_path, 10)
    data = (snapshot / VECTORS).read_bytes()
    (snapshot / VECTORS).write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreCorruptError, match=VECTORS):
        VectorStore.load(tmp_path)


def test_edited_metadata_is_caught_by_the_checksum(tmp_path: Path) -> None:
    snapshot = _write(tmp_path, 10)
    meta = snapshot / "meta.sqlite"
    meta.write_bytes(meta.read_bytes() + b"\0")
    with pytest.raises(StoreCorruptError, match="checksum"):
        VectorStore.load(tmp_path, verify=True)


def test_manifest_count_disagreeing_with_rows_is_detected(tmp_path: Path) -> None:
    snapshot = _write(tmp_path, 10)
    manifest = snapshot / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"count": 10', '"count": 11'))
    with pytest.raises(StoreCorruptError, match="manifest says 11"):
        VectorStore.load(tmp_path)


def test_dangling_current_link_is_reported(tmp_path: Path) -> None:
    snapshot = _write(tmp_path, 3)
    for f in snapshot.iterdir():
        f.unlink()
    snapshot.rmdir()
    with pytest.raises(StoreCorruptError, match=CURRENT):
        VectorStore.load(tmp_path)


def test_manifest_refuses_vectors_of_another_dimension() -> None:
    manifest = Manifest(dimension=384, count=1, documents=1)
    with pytest.raises(StoreMismatchError, match="dim 384; the embedder gives dim 256"):
        manifest.check_dimension(256)
    manifest.check_dimension(384)


@pytest.mark.parametrize("kind", ["hnsw", "hnsw_sq8", "hnsw_fp16"])
def test_approximate_indexes_find_the_exact_neighbours_and_survive_a_round_trip(
    tmp_path: Path, kind: str
) -> None:
    vectors = _vectors(2000, dim=32, seed=5)
    rows = [(f"d{i}", {"i": i}) for i in range(2000)]
    manifest = Manifest(dimension=32, count=2000, documents=1, index_type=kind)
    index = build_index(vectors, kind, m=16, ef_construction=80, ef_search=64)
    write_snapshot(tmp_path, index, rows, {"d": {}}, manifest)
    store = VectorStore.load(tmp_path, verify=True)
    _, exact = build_index(vectors).search(vectors[:50], 10)
    _, found = store.search(vectors[:50], 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(exact, found, strict=True)])
    assert recall >= 0.9
    _, filtered = store.search(vectors[:1], 5, allowed=np.arange(100, 200))
    assert set(filtered[0][filtered[0] >= 0]) <= set(range(100, 200))


def test_index_choice_by_size() -> None:
    from index.store import FLAT_MAX, choose_index

    assert choose_index(FLAT_MAX) == ("flat", {})
    kind, params = choose_index(FLAT_MAX + 1)
    assert kind == "hnsw_fp16" and params["ef_search"] >= 32


def test_writer_drops_rows_copies_a_quantized_store_and_renumbers(tmp_path: Path) -> None:
    vectors = _vectors(300, dim=16, seed=3)
    with SnapshotWriter(tmp_path / "old", 16) as writer:
        writer.add([(f"d{i // 3}", {"i": i}) for i in range(300)], vectors)
        writer.add_documents({f"d{i}": {"n": i} for i in range(100)})
        writer.commit(Manifest(dimension=16, count=0, documents=0), "hnsw_fp16", m=8)
    old = VectorStore.load(tmp_path / "old", verify=True)
    assert old.manifest.index_type == "hnsw_fp16" and old.manifest.documents == 100
    with SnapshotWriter(tmp_path / "new", 16) as writer:
        writer.add([("d0", {"i": "new0"}), ("x", {"i": "x"})], -vectors[:2])
        writer.add_documents({"d0": {"n": "new"}, "x": {"n": "x"}})
        writer.drop("x")  # leaves a gap at row 1
        writer.copy_from(old)  # every document but d0
        assert writer.count == 1 + 297
        writer.commit(Manifest(dimension=16, count=0, documents=0))
    new = VectorStore.load(tmp_path / "new", verify=True)
    assert len(new) == 298 and new.manifest.documents == 100
    assert new.payloads([0, 1, 297]) == [{"i": "new0"}, {"i": 3}, {"i": 299}]
    assert new.document("d0") == {"n": "new"} and new.document("x") is None
    assert new.rows_of(["d1", "x"]) == {"d1": [1, 2, 3], "x": []}
    assert np.allclose(new.vectors([0, 1, 297]), [-vectors[0], vectors[3], vectors[299]], atol=1e-3)


def test_an_exception_inside_the_writer_leaves_the_live_index_intact(tmp_path: Path) -> None:
    _write(tmp_path, 6)
    with pytest.raises(RuntimeError, match="embedding failed"):
        with SnapshotWriter(tmp_path, 8) as writer:
            writer.add([("doc9", {"i": 9})], _vectors(1))
            raise RuntimeError("embedding failed")
    assert len(VectorStore.load(tmp_path, verify=True)) == 6
    assert not list((tmp_path / "snapshots").glob("*.partial"))
