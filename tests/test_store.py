"""The snapshot store: atomic swap, consistency checks, clear errors for damaged files, and the
memory-mapped lexical side scoring exactly as bm25s does."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np
import pytest

from index.errors import StoreCorruptError, StoreMismatchError, StoreNotFoundError
from index.manifest import Manifest
from index.snapshot import Record, Row, SnapshotWriter
from index.store import CURRENT, VECTORS, VectorStore, build_index, current_snapshot
from index.terms import TermMatrix, Vocabulary, bm25_of, counted

WORDS = "norco opioid mri knee lumbar therapy visits spasm red flags denied upheld".split()


def _vectors(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _tokens(i: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed * 1000 + i)
    return [WORDS[w] for w in rng.integers(0, len(WORDS), int(rng.integers(1, 12)))]


def _write(
    root: Path, n: int, seed: int = 0, kind: str = "flat", dim: int = 8, **params: object
) -> Path:
    """`n` rows, two per record, two records per document."""
    with SnapshotWriter(root, dim) as writer:
        _fill(writer, n, seed, dim)
        manifest = Manifest(dimension=dim, count=0, documents=0)
        return writer.commit(manifest, kind, **params)


def _fill(writer: SnapshotWriter, n: int, seed: int, dim: int = 8) -> None:
    rows = [
        Row(f"doc{i // 4}", f"rec{i // 2}", {"i": i, "seed": seed}, _tokens(i, seed))
        for i in range(n)
    ]
    writer.add(rows, _vectors(n, dim, seed))
    writer.add_records(
        [
            Record(
                f"rec{r}",
                f"doc{r // 2}",
                {"r": r},
                text={"name": _tokens(r, seed + 7)},
                values={"parity": ["even" if r % 2 == 0 else "odd"], "tens": [str(r // 10)]},
            )
            for r in range((n + 1) // 2)
        ]
    )
    writer.add_documents({f"doc{d}": {"sha256": str(d)} for d in range((n + 3) // 4)})


def test_round_trip_returns_exact_neighbours_payloads_and_records(tmp_path: Path) -> None:
    _write(tmp_path, 10)
    store = VectorStore.load(tmp_path, verify=True)
    vectors = _vectors(10)
    scores, rows = store.search(vectors[3:4], k=3)
    assert rows[0][0] == 3 and scores[0][0] == pytest.approx(1.0, abs=1e-5)
    assert store.payloads([3, 1]) == [{"i": 3, "seed": 0}, {"i": 1, "seed": 0}]
    assert store.row_records.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert store.record_bodies([2, 0]) == [("rec2", {"r": 2}), ("rec0", {"r": 0})]
    assert store.records_of("doc1") == [{"r": 2}, {"r": 3}]
    assert store.manifest.records == 5 and store.manifest.documents == 3
    assert np.allclose(store.vectors([4]), vectors[4:5])


def test_lexical_scores_equal_what_bm25s_builds_from_the_same_tokens(tmp_path: Path) -> None:
    n = 200
    _write(tmp_path, n, seed=3)
    store = VectorStore.load(tmp_path)
    reference = bm25s.BM25()
    reference.index([_tokens(i, 3) for i in range(n)], show_progress=False)
    for query in (["norco"], ["knee", "mri", "mri"], ["red", "flags", "lumbar"], ["nothing"]):
        expected = reference.get_scores(query)
        assert np.array_equal(store.lexical_scores(query), expected), query


def test_record_bm25_scores_candidates_with_the_whole_collections_statistics(
    tmp_path: Path,
) -> None:
    _write(tmp_path, 120, seed=4)
    store = VectorStore.load(tmp_path)
    names = [_tokens(r, 4 + 7) for r in range(60)]
    reference = bm25s.BM25()
    reference.index(names, show_progress=False)
    candidates = np.array([5, 17, 2, 44])
    query = ["therapy", "visits", "visits"]
    expected = reference.get_scores(query)[candidates]
    assert np.allclose(store.record_bm25("name", candidates, query), expected, rtol=1e-6)


def test_columns_give_masks_and_counts_over_records(tmp_path: Path) -> None:
    _write(tmp_path, 40)
    store = VectorStore.load(tmp_path)
    parity = store.column("parity")
    even = parity.mask(parity.codes_where(lambda v: v == "even"))
    assert even.tolist() == [r % 2 == 0 for r in range(20)]
    tens = store.column("tens")
    assert dict(zip(tens.values, tens.counts().tolist(), strict=True)) == {"0": 10, "1": 10}
    assert tens.counts(even).tolist() == [5, 5]
    with pytest.raises(Exception, match="no column 'colour'"):
        store.column("colour")


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


def test_a_missing_row_map_is_reported(tmp_path: Path) -> None:
    snapshot = _write(tmp_path, 10)
    (snapshot / "row_record.npy").unlink()
    with pytest.raises(StoreCorruptError, match="row_record.npy"):
        VectorStore.load(tmp_path)


def test_dangling_current_link_is_reported(tmp_path: Path) -> None:
    snapshot = _write(tmp_path, 3)
    for f in sorted(snapshot.rglob("*"), reverse=True):
        f.rmdir() if f.is_dir() else f.unlink()
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
    vectors = _vectors(2000, dim=32, seed=0)
    _write(tmp_path, 2000, seed=0, kind=kind, dim=32, m=16, ef_construction=80, ef_search=64)
    store = VectorStore.load(tmp_path, verify=True)
    assert store.manifest.index_type == kind
    exact = build_index(vectors)
    _, truth = exact.search(vectors[:50], 10)
    _, found = store.search(vectors[:50], 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, found, strict=True)])
    assert recall >= 0.9
    allowed = np.arange(100, 200)
    _, filtered = store.search(vectors[:1], 5, allowed=allowed)
    scores = vectors[100:200] @ vectors[0]
    exact_top = 100 + np.argsort(-scores)[:5]
    assert list(filtered[0]) == list(exact_top)


def test_index_choice_by_size() -> None:
    from index.store import choose_index

    assert choose_index(40_000) == ("flat", {})  # the size docs/BENCH.md documents
    kind, params = choose_index(40_001)
    assert kind == "hnsw_fp16" and params["ef_search"] >= 32


def test_writer_drops_copies_a_quantized_store_and_renumbers(tmp_path: Path) -> None:
    _write(tmp_path / "old", 300, seed=3, kind="hnsw_fp16", dim=16, m=8)
    old = VectorStore.load(tmp_path / "old", verify=True)
    vectors = _vectors(300, 16, 3)
    with SnapshotWriter(tmp_path / "new", 16, base=old) as writer:
        rows = [Row("doc0", "new0", {"i": "new0"}, ["zebra", "norco"]), Row("x", "xr", {}, ["x"])]
        writer.add(rows, -vectors[:2])
        writer.add_records(
            [
                Record("new0", "doc0", {"r": "new"}, {"name": ["zebra"]}, {"parity": ["odd"]}),
                Record("xr", "x", {}, {"name": ["x"]}, {"parity": ["even"], "shape": ["round"]}),
            ]
        )
        writer.add_documents({"doc0": {"n": "new"}, "x": {"n": "x"}})
        writer.drop("x")  # leaves a gap at row 1 and record 1
        writer.copy_from(old)  # every document but doc0: rows 4..299, records 2..149
        assert writer.count == 1 + 296
        writer.commit(Manifest(dimension=16, count=0, documents=0))
    new = VectorStore.load(tmp_path / "new", verify=True)
    assert len(new) == 297 and new.manifest.records == 1 + 148 and new.manifest.documents == 75
    assert new.payloads([0, 1, 296]) == [{"i": "new0"}, {"i": 4, "seed": 3}, {"i": 299, "seed": 3}]
    assert new.document("doc0") == {"n": "new"} and new.document("x") is None
    assert new.record_bodies([0, 1]) == [("new0", {"r": "new"}), ("rec2", {"r": 2})]
    assert new.row_records[:4].tolist() == [0, 1, 1, 2]
    assert np.allclose(new.vectors([0, 1, 296]), [-vectors[0], vectors[4], vectors[299]], atol=1e-3)
    # Term ids copied from the old snapshot still mean the same tokens in the new one.
    assert new.lexical_scores(["zebra"]).nonzero()[0].tolist() == [0]
    expected = bm25s.BM25()
    expected.index(
        [["zebra", "norco"], *(_tokens(i, 3) for i in range(4, 300))], show_progress=False
    )
    assert np.array_equal(
        new.lexical_scores(["norco", "knee"]), expected.get_scores(["norco", "knee"])
    )
    parity, shape = new.column("parity"), new.column("shape")
    assert parity.values[parity.matrix.terms[0]] == "odd"
    assert shape.counts().tolist() == [0]  # the only "round" record was dropped


def test_an_exception_inside_the_writer_leaves_the_live_index_intact(tmp_path: Path) -> None:
    _write(tmp_path, 6)
    with pytest.raises(RuntimeError, match="embedding failed"):
        with SnapshotWriter(tmp_path, 8) as writer:
            writer.add([Row("doc9", "r9", {"i": 9}, ["a"])], _vectors(1))
            raise RuntimeError("embedding failed")
    assert len(VectorStore.load(tmp_path, verify=True)) == 6
    assert not list((tmp_path / "snapshots").glob("*.partial"))


def test_term_matrix_take_concat_and_lengths() -> None:
    vocabulary = Vocabulary()
    units = [counted(vocabulary.add(t)) for t in (["a", "b", "a"], [], ["c"], ["b", "b"])]
    offsets = np.cumsum([0] + [len(t) for t, _ in units])
    matrix = TermMatrix(
        offsets.astype(np.int64),
        np.concatenate([t for t, _ in units]),
        np.concatenate([c for _, c in units]),
    )
    assert matrix.lengths.tolist() == [3, 0, 1, 2]
    picked = matrix.take(np.array([3, 0]))
    assert picked.lengths.tolist() == [2, 3] and picked.terms.tolist() == [1, 0, 1]
    both = TermMatrix.concat([picked, TermMatrix.empty(2), matrix.take(np.array([2]))])
    assert both.lengths.tolist() == [2, 3, 0, 0, 1]
    # units without terms at the end (a field most items leave empty) have length 0 too
    trailing = TermMatrix.concat([picked, TermMatrix.empty(2)])
    assert trailing.lengths.tolist() == [2, 3, 0, 0]
    assert TermMatrix.empty(3).lengths.tolist() == [0, 0, 0]
    stats_free = bm25_of(matrix, np.array([0, 1]), np.array([], np.int32), None)  # type: ignore[arg-type]
    assert stats_free.tolist() == [0.0, 0.0]
