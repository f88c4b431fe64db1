"""Ranking metrics, TREC files and paired significance for `imr eval`.

The metrics come from ir-measures (pytrec_eval, i.e. trec_eval's own code): nDCG@10 with graded
gains (2 and 1) and a log2 discount, recall@10 and MRR@10 over items graded 1 or more, P@5. A run
is scored from ranked item ids: the i-th of n ids gets the score n - i, so trec_eval's sort by
score keeps our order. A query the run returns nothing for scores 0 on every metric.

Significance between two systems is paired over the same queries: a two-sided paired t-test and a
two-sided randomisation (sign-flip permutation) test on the per-query differences (scipy).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

Qrels = Mapping[str, Mapping[str, int]]  # query_id -> {item_id: grade}
Rankings = Mapping[str, Sequence[str]]  # query_id -> ranked item ids, best first
METRICS = ("ndcg@10", "recall@10", "mrr@10", "p@5")
PERMUTATIONS = 10_000


def _measures() -> dict[str, object]:
    from ir_measures import RR, P, R, nDCG

    return {"ndcg@10": nDCG @ 10, "recall@10": R @ 10, "mrr@10": RR @ 10, "p@5": P @ 5}


def score_rankings(rankings: Rankings, qrels: Qrels) -> dict[str, dict[str, float]]:
    """Every metric of METRICS for every query of `rankings`: {query_id: {metric: value}}."""
    import ir_measures

    measures = _measures()
    names = {str(m): name for name, m in measures.items()}
    out = {qid: dict.fromkeys(METRICS, 0.0) for qid in rankings}
    judged = [
        ir_measures.Qrel(qid, item, grade)
        for qid in rankings
        for item, grade in qrels.get(qid, {}).items()
    ]
    run = [
        ir_measures.ScoredDoc(qid, item, float(len(ranked) - i))
        for qid, ranked in rankings.items()
        for i, item in enumerate(dict.fromkeys(ranked))
    ]
    for metric in ir_measures.iter_calc(list(measures.values()), judged, run):
        out[metric.query_id][names[str(metric.measure)]] = float(metric.value)
    return out


def mean_scores(per_query: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """The mean of each metric over queries (macro average, every query weighs the same)."""
    rows = list(per_query)
    if not rows:
        return {}
    return {key: float(np.mean([row[key] for row in rows])) for key in rows[0]}


def paired_significance(a: Sequence[float], b: Sequence[float]) -> dict[str, float]:
    """Two-sided p-values that systems scoring `a` and `b` on the same queries differ, and the
    mean difference a - b."""
    from scipy import stats

    x, y = np.asarray(a, float), np.asarray(b, float)
    diff = x - y
    if len(diff) < 2 or not diff.any():
        return {"mean_diff": float(diff.mean()) if len(diff) else 0.0, "t_p": 1.0, "perm_p": 1.0}
    with warnings.catch_warnings():  # equal differences: no variance, t is infinite
        warnings.simplefilter("ignore", RuntimeWarning)
        t = stats.ttest_rel(x, y)
    perm = stats.permutation_test(
        (diff,),
        np.mean,
        permutation_type="samples",
        n_resamples=PERMUTATIONS,
        alternative="two-sided",
        rng=np.random.default_rng(0),
    )
    t_p = float(t.pvalue) if np.isfinite(t.pvalue) else 1.0
    return {"mean_diff": float(diff.mean()), "t_p": t_p, "perm_p": float(perm.pvalue)}


def write_trec_run(path: Path, system: str, rankings: Rankings) -> Path:
    """`rankings` as a TREC run file (query Q0 item rank score system)."""
    lines = [
        f"{qid} Q0 {item} {rank} {len(ranked) - rank + 1} {system}"
        for qid, ranked in rankings.items()
        for rank, item in enumerate(ranked, start=1)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_trec_qrels(path: Path, qrels: Qrels, query_ids: Iterable[str]) -> Path:
    """The judgements of `query_ids` as a TREC qrels file (query 0 item grade)."""
    lines = [
        f"{qid} 0 {item} {grade}" for qid in query_ids for item, grade in sorted(qrels[qid].items())
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


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
