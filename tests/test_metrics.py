"""eval.metrics on tiny hand-made rankings; every expected value is worked out by hand below.

log2 values used: log2(2) = 1, log2(3) = 1.5849625, log2(4) = 2.
"""

from __future__ import annotations

import pytest

from eval.metrics import (
    latency_summary,
    mean_scores,
    mrr_at_k,
    ndcg_at_k,
    recall_at_k,
    score_ranking,
)

GRADES = {"a": 2, "b": 1}  # a is highly relevant, b relevant; everything else is grade 0


def test_ndcg_with_grades_2_and_1_at_ranks_1_and_3() -> None:
    # DCG  = 2/log2(2) + 0/log2(3) + 1/log2(4) = 2 + 0 + 0.5 = 2.5
    # IDCG = 2/log2(2) + 1/log2(3) = 2 + 0.6309298 = 2.6309298
    # nDCG = 2.5 / 2.6309298 = 0.9502344
    assert ndcg_at_k(["a", "x", "b"], GRADES, 10) == pytest.approx(0.9502344, abs=1e-6)


def test_ndcg_is_one_for_the_ideal_order() -> None:
    assert ndcg_at_k(["a", "b", "x"], GRADES, 10) == pytest.approx(1.0)


def test_ndcg_uses_graded_gains_so_swapping_grades_costs() -> None:
    # DCG = 1/log2(2) + 2/log2(3) = 1 + 1.2618595 = 2.2618595; / 2.6309298 = 0.8597187
    assert ndcg_at_k(["b", "a"], GRADES, 10) == pytest.approx(0.8597187, abs=1e-6)


def test_ndcg_cuts_the_ranking_and_the_ideal_at_k() -> None:
    # k=2 sees [x, a]: DCG = 2/log2(3) = 1.2618595; IDCG@2 = 2 + 1/log2(3) = 2.6309298
    assert ndcg_at_k(["x", "a", "b"], GRADES, 2) == pytest.approx(0.4796249, abs=1e-6)
    # k=1 sees only x
    assert ndcg_at_k(["x", "a", "b"], GRADES, 1) == 0.0
    # More judged items than k: IDCG@1 = 2 (one grade-2 item), DCG@1 = 1 (c has grade 1)
    assert ndcg_at_k(["c", "a"], {"a": 2, "b": 2, "c": 1}, 1) == pytest.approx(0.5)


def test_ndcg_ideal_comes_from_the_qrels_not_the_retrieved_list() -> None:
    # Only b is retrieved; the ideal still holds a: DCG = 1, IDCG = 2.6309298 -> 0.3800863
    assert ndcg_at_k(["b"], GRADES, 10) == pytest.approx(1 / 2.6309298, abs=1e-6)


def test_a_repeated_id_earns_nothing_the_second_time_but_keeps_its_slot() -> None:
    # [a, a, b]: DCG = 2 + 0 + 1/log2(4) = 2.5, the same as [a, x, b]
    assert ndcg_at_k(["a", "a", "b"], GRADES, 10) == pytest.approx(0.9502344, abs=1e-6)
    # [a, a] finds one of the two relevant items
    assert recall_at_k(["a", "a"], {"a", "b"}, 2) == 0.5
    assert mrr_at_k(["x", "a", "a"], {"a"}, 10) == pytest.approx(1 / 2)


def test_recall_counts_relevant_items_found_in_the_first_k() -> None:
    relevant = {"a", "b", "c", "d"}
    assert recall_at_k(["a", "x", "b", "c"], relevant, 3) == 2 / 4  # a and b within 3
    assert recall_at_k(["a", "x", "b", "c"], relevant, 10) == 3 / 4  # k beyond the list
    assert recall_at_k(["x", "y"], relevant, 10) == 0.0


def test_mrr_is_the_reciprocal_rank_of_the_first_relevant_item() -> None:
    assert mrr_at_k(["x", "y", "b", "a"], {"a", "b"}, 10) == pytest.approx(1 / 3)
    assert mrr_at_k(["x", "y", "b", "a"], {"a", "b"}, 2) == 0.0  # first hit falls past k


def test_a_query_with_no_relevant_items_scores_zero_everywhere() -> None:
    assert ndcg_at_k(["a", "b"], {}, 10) == 0.0
    assert recall_at_k(["a", "b"], set(), 10) == 0.0
    assert mrr_at_k(["a", "b"], set(), 10) == 0.0


def test_an_empty_ranking_scores_zero() -> None:
    assert score_ranking([], GRADES) == {"ndcg@10": 0.0, "recall@10": 0.0, "mrr@10": 0.0}


@pytest.mark.parametrize("metric", [recall_at_k, mrr_at_k, ndcg_at_k])
def test_k_below_one_is_refused(metric) -> None:
    with pytest.raises(ValueError, match="k must be at least 1"):
        metric(["a"], {"a": 1}, 0)


def test_score_ranking_names_metrics_as_sentence_transformers_does() -> None:
    scores = score_ranking(["a", "x", "b"], GRADES, ks=(1, 10))
    assert set(scores) == {"ndcg@1", "recall@1", "mrr@1", "ndcg@10", "recall@10", "mrr@10"}
    assert scores["recall@1"] == 0.5  # a of {a, b}: grade 1 counts as relevant
    assert scores["mrr@10"] == 1.0
    assert scores["ndcg@10"] == pytest.approx(0.9502344, abs=1e-6)


def test_mean_scores_weighs_every_query_the_same() -> None:
    rows = [{"ndcg@10": 1.0, "mrr@10": 0.5}, {"ndcg@10": 0.0, "mrr@10": 1.0}]
    assert mean_scores(rows) == {"ndcg@10": 0.5, "mrr@10": 0.75}


def test_latency_summary_interpolates_percentiles() -> None:
    # mean = 110 / 5 = 22; p50 = the middle value 3;
    # p95 sits at position 0.95 * 4 = 3.8 between 4 and 100: 4 + 0.8 * 96 = 80.8
    summary = latency_summary([3, 1, 100, 2, 4])
    assert summary == pytest.approx({"mean_ms": 22.0, "p50_ms": 3.0, "p95_ms": 80.8})
