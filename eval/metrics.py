"""Ranking metrics over item ids (`letter_id#index`), named as sentence-transformers names them.

Pure functions of a ranked id list and the judged ids. An id that appears twice in a ranking
keeps its place but earns nothing the second time, so a duplicate costs a slot as it would on
screen. A query with no judged item scores 0 on every metric (the set guarantees at least one).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np


def recall_at_k(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """The share of `relevant` ids found in the first `k` places."""
    _check_k(k)
    if not relevant:
        return 0.0
    found = set(ranked[:k]) & set(relevant)
    return len(found) / len(set(relevant))


def mrr_at_k(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """1 / rank of the first relevant id within the first `k` places, else 0."""
    _check_k(k)
    wanted = set(relevant)
    for rank, item in enumerate(ranked[:k], start=1):
        if item in wanted:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked: Sequence[str], qrels_grades: Mapping[str, int], k: int) -> float:
    """Graded nDCG: gain = grade (2 or 1, unjudged 0), discount log2(rank + 1).

    The ideal ranking is every judged grade, highest first, cut at `k`: the qrels define it,
    not the retrieved list, so a system that misses relevant items cannot look perfect.
    """
    _check_k(k)
    seen: set[str] = set()
    dcg = 0.0
    for rank, item in enumerate(ranked[:k], start=1):
        if item in seen:
            continue  # a repeat earns nothing
        seen.add(item)
        dcg += qrels_grades.get(item, 0) / math.log2(rank + 1)
    ideal = sorted((g for g in qrels_grades.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg > 0 else 0.0


def score_ranking(
    ranked: Sequence[str], qrels_grades: Mapping[str, int], ks: Iterable[int] = (10,)
) -> dict[str, float]:
    """`ndcg@k`, `recall@k` and `mrr@k` for one query; relevant means a grade of 1 or more."""
    relevant = {item for item, grade in qrels_grades.items() if grade > 0}
    out: dict[str, float] = {}
    for k in ks:
        out[f"ndcg@{k}"] = ndcg_at_k(ranked, qrels_grades, k)
        out[f"recall@{k}"] = recall_at_k(ranked, relevant, k)
        out[f"mrr@{k}"] = mrr_at_k(ranked, relevant, k)
    return out


def mean_scores(per_query: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """The mean of each metric over queries (macro average, every query weighs the same)."""
    rows = list(per_query)
    if not rows:
        return {}
    return {key: float(np.mean([row[key] for row in rows])) for key in rows[0]}


def latency_summary(milliseconds: Sequence[float]) -> dict[str, float]:
    """Mean, median and 95th percentile of per-query latencies (linear interpolation)."""
    values = np.asarray(milliseconds, dtype=float)
    if not len(values):
        return {"mean_ms": 0.0, "p50_ms": 0.0, "p95_ms": 0.0}
    return {
        "mean_ms": float(values.mean()),
        "p50_ms": float(np.percentile(values, 50)),
        "p95_ms": float(np.percentile(values, 95)),
    }


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
