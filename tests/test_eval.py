"""`imr eval` end to end on the real letters: report files, metric ranges, and the quality gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli import build_parser
from eval.dataset import ensure_index, load_qrels, load_queries
from eval.outcome import (
    HeldOut,
    Neighbour,
    best_threshold,
    collect_neighbours,
    confusion,
    overturned_share,
    roc_auc,
)
from eval.run import (
    format_outcome_table,
    format_table,
    main,
    run_evaluation,
    write_report,
    write_runs,
)
from rag.config import DEFAULT_MODEL, HASHING_MODEL, IndexConfig, Settings
from rag.engine import Engine
from rag.rerank import Candidate, rerank_candidates

# hybrid+rerank nDCG@10 on the frozen test half, less a margin for model and platform noise.
NDCG_TEST_GATE = 0.82  # measured 0.848

SYSTEMS = ("hashing", "bm25", "dense", "hybrid", "hybrid+rerank")
METRICS = ("ndcg@10", "recall@10", "mrr@10", "p@5")


@pytest.fixture(scope="module")
def real_baseline(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path):
    """The real letters indexed with the HashingEmbedder (about a second)."""
    from eval.dataset import default_letter_paths

    cache = tmp_path_factory.mktemp("eval-baseline")
    hashing = Engine(cache, IndexConfig(model=HASHING_MODEL))
    engine, _ = ensure_index(default_letter_paths(shared_dir), hashing, cache)
    return engine


def test_eval_writes_json_and_chart_with_metrics_between_0_and_1(
    real_engine, real_baseline, tmp_path: Path
) -> None:
    every = load_queries()
    queries = [
        *[q for q in every if q.split == "test"][:3],
        *[q for q in every if q.split == "tune"][:3],
    ]
    report = run_evaluation(
        real_engine,
        real_baseline,
        queries,
        load_qrels(),
        settings={"model": DEFAULT_MODEL},
        outcome_letters=3,
    )
    paths = write_report(report, tmp_path)

    names = {p.name for p in paths}
    assert {"latest.json", "latest.png", f"{report['run']}.json", f"{report['run']}.png"} == names
    for png in tmp_path.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    saved = json.loads((tmp_path / "latest.json").read_text())
    assert tuple(saved["systems"]) == SYSTEMS
    for result in saved["systems"].values():
        for half in ("test", "tune"):
            assert all(0.0 <= result["halves"][half][m] <= 1.0 for m in METRICS)
        assert set(result["per_query"]) == {q.query_id for q in queries}
        for row in result["per_query"].values():
            assert all(0.0 <= row[m] <= 1.0 for m in METRICS)
            assert len(row["ranked"]) == len(set(row["ranked"])) <= 10
        assert 0.0 <= result["latency"]["p50_ms"] <= result["latency"]["p95_ms"]
    outcome = saved["outcome"]
    for row in outcome["predictors"].values():
        assert row["tp"] + row["fp"] + row["fn"] + row["tn"] == outcome["items"]
        assert 0.0 <= row["balanced_accuracy"] <= 1.0
    assert outcome["predictors"]["always Upheld"]["balanced_accuracy"] == 0.5
    table = format_table(saved)
    assert "test half (3 queries)" in table and "tune half (3 queries)" in table
    for half in ("test", "tune"):
        assert set(saved["significance"][half]) == set(SYSTEMS) - {"hybrid+rerank"}
        assert all(0.0 <= p["perm_p"] <= 1.0 for p in saved["significance"][half].values())
    rows = saved["per_query"]
    assert [r["split"] for r in rows] == ["test"] * 3 + ["tune"] * 3
    assert [r["hybrid+rerank"] for r in rows[:3]] == sorted(r["hybrid+rerank"] for r in rows[:3])
    assert "always Upheld" in format_outcome_table(outcome)

    # The TREC files score the same through ir-measures as the report says.
    import ir_measures

    runs = write_runs(saved, queries, load_qrels(), tmp_path)
    measured = ir_measures.calc_aggregate(
        [ir_measures.nDCG @ 10],
        ir_measures.read_trec_qrels(str(runs / "qrels-test.txt")),
        ir_measures.read_trec_run(str(runs / "bm25.run")),
    )
    expected = saved["systems"]["bm25"]["halves"]["test"]["ndcg@10"]
    assert list(measured.values())[0] == pytest.approx(expected)


def test_model_runs_beat_the_hashing_baseline_on_the_full_query_set(
    real_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = build_parser().parse_args(
        ["eval", "--index", str(real_index), "--results", str(tmp_path / "out"), "--no-outcome"]
    )
    assert main(args, Settings(index_dir=real_index), cache_dir=tmp_path / "cache") == 0

    report = json.loads((tmp_path / "out" / "latest.json").read_text())
    assert report["settings"]["index_source"] == "configured"  # the fixture index was reused
    assert report["dataset"] == {
        "queries": 461,
        "halves": {"test": 76, "tune": 385},
        "judgements": 6094,
        "letters": 199,
        "items": 450,
        "chunks": report["dataset"]["chunks"],
    }
    # Gates on the frozen test half (the tune half is where the ranking was tuned).
    test = {name: r["halves"]["test"] for name, r in report["systems"].items()}
    ndcg = {name: m["ndcg@10"] for name, m in test.items()}
    for system in ("dense", "hybrid", "hybrid+rerank"):
        assert ndcg[system] > ndcg["hashing"] + 0.3, ndcg
    assert ndcg["hybrid"] >= 0.80, ndcg  # measured 0.844 with all-MiniLM-L6-v2
    assert ndcg["hybrid+rerank"] >= NDCG_TEST_GATE, ndcg
    assert report["significance"]["test"]["hashing"]["perm_p"] < 0.05, report["significance"]
    assert "hybrid+rerank" in capsys.readouterr().out


def test_eval_reuses_a_matching_index_and_builds_one_for_other_letters(
    hashing_index: Path, seeds_dir: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    hashing = Engine(cache, IndexConfig(model=HASHING_MODEL))

    def where(paths: list[Path]) -> tuple[Path, str]:
        engine, how = ensure_index(paths, hashing, cache, hashing_index)
        return engine.index_dir, how

    assert where([seeds_dir]) == (hashing_index, "configured")
    other = [seeds_dir / "000_44c7c734235c02aa.txt"]  # the configured index holds 5 letters
    assert where(other) == (cache, "built")
    assert where(other) == (cache, "cached")


def test_rerank_reorders_only_the_candidates_it_is_given(real_engine) -> None:
    query = "was acupuncture ever overturned?"
    retriever = real_engine.view()
    hits = retriever.search(query, k=50, rerank=False)
    positions = retriever.store.record_positions([h.item_id for h in hits])
    candidates = [Candidate(positions[h.item_id], 0, h.score) for h in hits]
    top = rerank_candidates(retriever.store, query, candidates)[:10]
    assert {c.item for c in top} <= set(positions.values()) and len({c.item for c in top}) == 10
    assert [c.score for c in top] == sorted((c.score for c in top), reverse=True)
    top_items = retriever.corpus.items_at([c.item for c in top])
    assert top_items[0].outcome == "Overturned"  # the query asks for overturned decisions
    assert rerank_candidates(retriever.store, query, []) == []
    default = retriever.search(query, k=10)  # hybrid re-ranks by default
    assert [h.item_id for h in default] == [item.id for item in top_items]


def test_neighbours_never_come_from_the_held_out_letter(real_engine) -> None:
    letters = sorted(real_engine.view().corpus.letters(), key=lambda lt: lt.letter_id)[:2]
    held = collect_neighbours(real_engine, letters, n=10)
    assert len(held) == sum(len(letter.items) for letter in letters)
    for item in held:
        assert len(item.neighbours) >= 10
        assert all(nb.letter_id != item.letter_id for nb in item.neighbours)
        assert 0.0 <= overturned_share(item) <= 1.0


def test_overturned_share_is_similarity_weighted_and_skips_an_excluded_letter() -> None:
    item = HeldOut(
        "A#1",
        "A",
        True,
        (Neighbour("B", 0.6, True), Neighbour("C", 0.3, False), Neighbour("D", 0.1, True)),
    )
    # n=2: 0.6 / (0.6 + 0.3) = 2/3; excluding B: 0.1 / (0.3 + 0.1) = 1/4
    assert overturned_share(item, n=2) == pytest.approx(2 / 3)
    assert overturned_share(item, n=2, exclude="B") == pytest.approx(1 / 4)


def test_confusion_threshold_and_auc_on_a_hand_made_example() -> None:
    truth = [True, True, False, False, False]
    scores = [0.9, 0.2, 0.5, 0.1, 0.0]
    # threshold 0.2 calls items 1, 2, 3 Overturned: TP 2, FP 1, FN 0, TN 2
    # recall 1, specificity 2/3 -> balanced accuracy 5/6; no other threshold does better
    assert best_threshold(scores, truth) == 0.2
    result = confusion(truth, [s >= 0.2 for s in scores])
    assert (result["tp"], result["fp"], result["fn"], result["tn"]) == (2, 1, 0, 2)
    assert result["balanced_accuracy"] == pytest.approx(5 / 6)
    assert result["overturn_precision"] == pytest.approx(2 / 3)
    # Pairs (Overturned, Upheld) won: 0.9 beats all 3, 0.2 beats 0.1 and 0.0 -> 5 of 6
    assert roc_auc(scores, truth) == pytest.approx(5 / 6)
    always_upheld = confusion(truth, [False] * 5)
    assert always_upheld["balanced_accuracy"] == 0.5
    assert always_upheld["overturn_recall"] == 0.0
