"""eval.metrics (ir-measures, i.e. trec_eval) on tiny hand-made rankings; every expected value is
worked out by hand below, so a change of library or of its settings cannot pass unnoticed.

log2 values used: log2(2) = 1, log2(3) = 1.5849625, log2(4) = 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.metrics import (
    latency_summary,
    mean_scores,
    paired_significance,
    score_rankings,
    write_trec_qrels,
    write_trec_run,
)

GRADES = {"a": 2, "b": 1}  # a is highly relevant, b relevant; everything else is grade 0


def _one(ranked: list[str], grades: dict[str, int] = GRADES) -> dict[str, float]:
    return score_rankings({"q": ranked}, {"q": grades})["q"]


def test_ndcg_with_grades_2_and_1_at_ranks_1_and_3() -> None:
    # DCG  = 2/log2(2) + 0/log2(3) + 1/log2(4) = 2 + 0 + 0.5 = 2.5
    # IDCG = 2/log2(2) + 1/log2(3) = 2 + 0.6309298 = 2.6309298
    # nDCG = 2.5 / 2.6309298 = 0.9502344
    assert _one(["a", "x", "b"])["ndcg@10"] == pytest.approx(0.9502344, abs=1e-6)


def test_ndcg_is_one_for_the_ideal_order() -> None:
    assert _one(["a", "b", "x"])["ndcg@10"] == pytest.approx(1.0)


def test_ndcg_uses_graded_gains_so_swapping_grades_costs() -> None:
    # DCG = 1/log2(2) + 2/log2(3) = 1 + 1.2618595 = 2.2618595; / 2.6309298 = 0.8597187
    assert _one(["b", "a"])["ndcg@10"] == pytest.approx(0.8597187, abs=1e-6)


def test_ndcg_ideal_comes_from_the_qrels_not_the_retrieved_list() -> None:
    # Only b is retrieved; the ideal still holds a: DCG = 1, IDCG = 2.6309298 -> 0.3800863
    assert _one(["b"])["ndcg@10"] == pytest.approx(1 / 2.6309298, abs=1e-6)


def test_ndcg_cuts_the_ranking_at_ten() -> None:
    # a at rank 11 is past the cut: only b at rank 1 counts -> 1 / 2.6309298
    ranked = ["b", *[f"x{i}" for i in range(9)], "a"]
    assert _one(ranked)["ndcg@10"] == pytest.approx(1 / 2.6309298, abs=1e-6)


def test_recall_precision_and_mrr_count_items_graded_one_or_more() -> None:
    grades = {"a": 2, "b": 1, "c": 1, "d": 1, "z": 0}
    scores = _one(["x", "a", "z", "b", "c", "d"], grades)
    assert scores["recall@10"] == 1.0  # a, b, c, d all within 10; z (grade 0) is not relevant
    assert scores["p@5"] == pytest.approx(3 / 5)  # a, b, c in the first five
    assert scores["mrr@10"] == pytest.approx(1 / 2)  # first relevant at rank 2


def test_a_repeated_id_counts_once() -> None:
    # [a, a, b] is scored as [a, b]: the ideal order
    assert _one(["a", "a", "b"])["ndcg@10"] == pytest.approx(1.0)


def test_a_query_the_run_returns_nothing_for_scores_zero() -> None:
    assert _one([]) == {"ndcg@10": 0.0, "recall@10": 0.0, "mrr@10": 0.0, "p@5": 0.0}


def test_mean_scores_weighs_every_query_the_same() -> None:
    rows = [{"ndcg@10": 1.0, "mrr@10": 0.5}, {"ndcg@10": 0.0, "mrr@10": 1.0}]
    assert mean_scores(rows) == {"ndcg@10": 0.5, "mrr@10": 0.75}


def test_paired_tests_find_a_consistent_gain_and_not_noise() -> None:
    # Ten queries, each 0.05-0.14 better: t-test p ~ 0; the randomisation test's exact p is
    # 2 / 2^10 (only "all better" and "all worse" are as extreme).
    gains = [0.05 + 0.01 * i for i in range(10)]
    better = paired_significance([0.5 + g for g in gains], [0.5] * 10)
    assert better["mean_diff"] == pytest.approx(0.095)
    assert better["perm_p"] == pytest.approx(2 / 1024) and better["t_p"] < 1e-4
    # Gains and losses that cancel: nothing to report.
    noise = paired_significance([0.6, 0.4, 0.6, 0.4], [0.4, 0.6, 0.4, 0.6])
    assert noise["mean_diff"] == pytest.approx(0.0) and noise["perm_p"] == pytest.approx(1.0)
    assert paired_significance([0.5, 0.5], [0.5, 0.5]) == {
        "mean_diff": 0.0,
        "t_p": 1.0,
        "perm_p": 1.0,
    }


def test_trec_files_round_trip_through_ir_measures(tmp_path: Path) -> None:
    import ir_measures

    run = write_trec_run(tmp_path / "s.run", "s", {"q": ["a", "x", "b"]})
    qrels = write_trec_qrels(tmp_path / "q.qrels", {"q": GRADES}, ["q"])
    assert run.read_text().splitlines()[0] == "q Q0 a 1 3 s"
    measured = ir_measures.calc_aggregate(
        [ir_measures.nDCG @ 10],
        ir_measures.read_trec_qrels(str(qrels)),
        ir_measures.read_trec_run(str(run)),
    )
    assert list(measured.values())[0] == pytest.approx(0.9502344, abs=1e-6)


def test_latency_summary_interpolates_percentiles() -> None:
    # mean = 110 / 5 = 22; p50 = the middle value 3;
    # p95 sits at position 0.95 * 4 = 3.8 between 4 and 100: 4 + 0.8 * 96 = 80.8
    summary = latency_summary([3, 1, 100, 2, 4])
    assert summary == pytest.approx({"mean_ms": 22.0, "p50_ms": 3.0, "p95_ms": 80.8})
