"""`imr eval`: score every retrieval system on the labelled queries, then predict outcomes.

Systems, each cut at k=10: `hashing` (HashingEmbedder, dense; the floor every model run must
beat), `bm25`, `dense`, `hybrid`, and `hybrid+rerank` (the default). Queries are split into a
`test` half, frozen before any tuning (the figures that count), and a `tune` half; every table
shows both. Metrics come from ir-measures (trec_eval); each system is compared with the default
by paired t-test and randomisation test per half. Latency is measured warm and in-process
around each search call. The report goes to <results>/<run>.json and .png, latest.json and
latest.png, TREC run files to <results>/runs/.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from eval.chart import draw_chart
from eval.dataset import (
    HALVES,
    QRELS,
    QUERIES,
    REPO,
    Qrels,
    Query,
    check_judged_items,
    default_letter_paths,
    ensure_index,
    load_qrels,
    load_queries,
)
from eval.metrics import (
    latency_summary,
    mean_scores,
    paired_significance,
    score_rankings,
    write_trec_qrels,
    write_trec_run,
)
from eval.outcome import NEIGHBOURS, SUMMARY_CHARS, collect_neighbours, evaluate_outcomes
from rag.config import HASHING_MODEL, Mode, Settings
from rag.engine import Engine
from rag.records import Hit
from rag.retrieval import RERANK_DEPTH, RRF_K

log = logging.getLogger(__name__)

K = 10
CACHE_DIR = REPO / "var" / "eval"  # indexes the eval builds itself (var/ is git-ignored)
WEAK_NDCG = 0.5  # queries below this under the default are listed as retrieval weaknesses
DEFAULT_SYSTEM = "hybrid+rerank"  # what `imr search` serves
OUTCOME_MODE = Mode.DENSE  # neighbours' scores are cosine similarities, the vote's weights


@dataclass(frozen=True)
class System:
    name: str
    search: Callable[[str], list[Hit]]


def build_systems(engine: Engine, baseline: Engine, k: int = K) -> list[System]:
    """The systems compared, baseline first."""

    return [
        System("hashing", lambda q: baseline.search(q, k=k, mode=Mode.DENSE)),
        System("bm25", lambda q: engine.search(q, k=k, mode=Mode.BM25)),
        System("dense", lambda q: engine.search(q, k=k, mode=Mode.DENSE)),
        System("hybrid", lambda q: engine.search(q, k=k, mode=Mode.HYBRID, rerank=False)),
        System("hybrid+rerank", lambda q: engine.search(q, k=k, mode=Mode.HYBRID, rerank=True)),
    ]


def evaluate_system(
    system: System, queries: Sequence[Query], qrels: Qrels, k: int = K
) -> dict[str, Any]:
    """Mean metrics per half, latency and per-query metrics (with the ranked ids) of one system."""
    if queries:
        system.search(queries[0].query)  # warm-up: the first call pays for lazy set-up
    rankings: dict[str, list[str]] = {}
    elapsed: list[float] = []
    for query in queries:
        started = time.perf_counter()
        hits = system.search(query.query)
        elapsed.append((time.perf_counter() - started) * 1000)
        rankings[query.query_id] = [hit.item_id for hit in hits][:k]
    scores = score_rankings(rankings, qrels)
    return {
        "halves": {
            half: mean_scores(scores[q.query_id] for q in queries if q.split == half)
            for half in HALVES
        },
        "latency": latency_summary(elapsed),
        "per_query": {qid: {**scores[qid], "ranked": ranked} for qid, ranked in rankings.items()},
    }


def significance(
    systems: Mapping[str, Mapping[str, Any]], queries: Sequence[Query], metric: str = "ndcg@10"
) -> dict[str, dict[str, dict[str, float]]]:
    """Per half, the default system against each other one on `metric`, paired over queries."""
    default = systems[DEFAULT_SYSTEM]["per_query"]
    out: dict[str, dict[str, dict[str, float]]] = {}
    for half in HALVES:
        ids = [q.query_id for q in queries if q.split == half]
        out[half] = {
            name: paired_significance(
                [default[q][metric] for q in ids], [r["per_query"][q][metric] for q in ids]
            )
            for name, r in systems.items()
            if name != DEFAULT_SYSTEM
        }
    return out


def per_query_table(
    systems: Mapping[str, Mapping[str, Any]], queries: Sequence[Query], metric: str = "ndcg@10"
) -> list[dict[str, Any]]:
    """Every query with its `metric` under each system, test half first, worst (under the
    default) first within each half."""
    rows = [
        {
            "query_id": q.query_id,
            "split": q.split,
            "persona": q.persona,
            "query": q.query,
            **{name: round(r["per_query"][q.query_id][metric], 4) for name, r in systems.items()},
        }
        for q in queries
    ]
    return sorted(rows, key=lambda r: (HALVES.index(r["split"]), r[DEFAULT_SYSTEM]))


def run_evaluation(
    engine: Engine,
    baseline: Engine,
    queries: Sequence[Query],
    qrels: Qrels,
    *,
    settings: Mapping[str, Any],
    outcome: bool = True,
    outcome_letters: int | None = None,
) -> dict[str, Any]:
    """The whole report. `outcome_letters` holds out only the first N letters (for quick tests)."""
    corpus = engine.view().corpus
    item_ids = set(corpus.item_ids())
    check_judged_items(qrels, item_ids, queries)
    letters = list(corpus.letters())
    report: dict[str, Any] = {
        "run": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()),
        "settings": dict(settings),
        "dataset": {
            "queries": len(queries),
            "halves": {h: sum(q.split == h for q in queries) for h in HALVES},
            "judgements": sum(len(qrels[q.query_id]) for q in queries),
            "letters": len(letters),
            "items": len(item_ids),
            "chunks": len(corpus),
        },
        "systems": {},
    }
    for system in build_systems(engine, baseline):
        log.info("evaluating %s", system.name)
        report["systems"][system.name] = evaluate_system(system, queries, qrels)
    report["significance"] = significance(report["systems"], queries)
    report["per_query"] = per_query_table(report["systems"], queries)
    if outcome:
        held_out = sorted(letters, key=lambda letter: letter.letter_id)[:outcome_letters]
        neighbours = collect_neighbours(engine, held_out, mode=OUTCOME_MODE, n=NEIGHBOURS)
        report["outcome"] = evaluate_outcomes(neighbours, n=NEIGHBOURS)
    return report


def write_runs(
    report: Mapping[str, Any], queries: Sequence[Query], qrels: Qrels, results_dir: Path
) -> Path:
    """TREC run files (one per system) and qrels files (one per half) under results/runs/."""
    runs = results_dir / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    for name, result in report["systems"].items():
        rankings = {qid: row["ranked"] for qid, row in result["per_query"].items()}
        write_trec_run(runs / f"{name}.run", name, rankings)
    for half in HALVES:
        ids = [q.query_id for q in queries if q.split == half]
        write_trec_qrels(runs / f"qrels-{half}.txt", qrels, ids)
    return runs


def write_report(report: Mapping[str, Any], results_dir: Path) -> list[Path]:
    """Write <run>.json/.png and copies named latest.json/.png under `results_dir`."""
    results_dir.mkdir(parents=True, exist_ok=True)
    run_json = results_dir / f"{report['run']}.json"
    run_json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    run_png = draw_chart(report, results_dir / f"{report['run']}.png")
    latest = [results_dir / "latest.json", results_dir / "latest.png"]
    for source, target in zip((run_json, run_png), latest, strict=True):
        shutil.copyfile(source, target)
    return [run_json, run_png, *latest]


def format_table(report: Mapping[str, Any]) -> str:
    """The retrieval table per half (test first), fixed width, with paired p-values of the
    default against each system."""
    d, s = report["dataset"], report["settings"]
    lines = [
        f"Retrieval: {d['queries']} queries ({d['halves']['test']} test, frozen before tuning; "
        f"{d['halves']['tune']} tune), {d['judgements']} judgements, {d['items']} items in "
        f"{d['letters']} letters; model {s['model']}, k={K}; metrics by ir-measures (trec_eval)",
    ]
    for half in HALVES:
        lines += [
            "",
            f"{half} half ({d['halves'][half]} queries); p: {DEFAULT_SYSTEM} vs the system, "
            "nDCG@10, paired t-test / randomisation",
            f"{'system':<15}{'ndcg@10':>9}{'recall@10':>11}{'mrr@10':>9}{'p@5':>7}"
            f"{'t p':>9}{'rand p':>9}{'p50 ms':>9}",
        ]
        for name, result in report["systems"].items():
            m, t = result["halves"][half], result["latency"]
            if not m:
                continue  # no query of this half was run
            test = report["significance"][half].get(name)
            ps = f"{test['t_p']:>9.4f}{test['perm_p']:>9.4f}" if test else f"{'-':>9}{'-':>9}"
            lines.append(
                f"{name:<15}{m['ndcg@10']:>9.3f}{m['recall@10']:>11.3f}{m['mrr@10']:>9.3f}"
                f"{m['p@5']:>7.3f}{ps}{t['p50_ms']:>9.1f}"
            )
    return "\n".join(lines)


def format_outcome_table(outcome: Mapping[str, Any]) -> str:
    """The outcome-prediction table, fixed width (Overturned is the positive class)."""
    lines = [
        f"Outcome prediction, leave one letter out: {outcome['items']} items "
        f"({outcome['overturned']} Overturned); {outcome['neighbours']} nearest items from other "
        f"letters, cosine-weighted vote; AUC of the Overturned share {outcome['auc']:.3f}",
        f"{'predictor':<28}{'bal.acc':>8}{'recall(O)':>10}{'prec(O)':>8}{'acc':>7}"
        f"{'TP':>5}{'FP':>5}{'FN':>5}{'TN':>5}",
    ]
    for name, r in outcome["predictors"].items():
        lines.append(
            f"{name:<28}{r['balanced_accuracy']:>8.3f}{r['overturn_recall']:>10.3f}"
            f"{r['overturn_precision']:>8.3f}{r['accuracy']:>7.3f}"
            f"{r['tp']:>5}{r['fp']:>5}{r['fn']:>5}{r['tn']:>5}"
        )
    return "\n".join(lines)


def format_weak_queries(report: Mapping[str, Any], shown: int = 10) -> str:
    """The weakest queries of each half under the default system (nDCG@10 below WEAK_NDCG, at
    most `shown` per half); every query is in the report's per_query table."""
    lines = [f"Weakest queries under {DEFAULT_SYSTEM} (ndcg@10 < {WEAK_NDCG}), worst first:"]
    for half in HALVES:
        weak = [
            r for r in report["per_query"] if r["split"] == half and r[DEFAULT_SYSTEM] < WEAK_NDCG
        ]
        lines.append(f"  {half}: {len(weak)}")
        for r in weak[:shown]:
            lines.append(
                f"    {r['query_id']}  {r[DEFAULT_SYSTEM]:.3f} (bm25 {r['bm25']:.3f}, dense "
                f"{r['dense']:.3f})  {r['query']}"
            )
    return "\n".join(lines)


def main(args: argparse.Namespace, settings: Settings, cache_dir: Path = CACHE_DIR) -> int:
    """`imr eval`: resolve (or build) the indexes, evaluate, write and print the report.

    The configured index is evaluated when it holds exactly the judged letters with this model
    and chunking; otherwise one is built (once) under `cache_dir`, so a fresh clone needs only
    `imr eval`. The hashing baseline index is always built there.
    """
    letters = args.letters or default_letter_paths()
    cache = Path(cache_dir)
    model = Engine.from_settings(settings, threads=1 if getattr(args, "ask", False) else None)
    engine, how = ensure_index(
        letters, model, cache / f"index-{model.config.model}", preferred=settings.index_dir
    )
    if getattr(args, "facts", False):
        return _facts_main(engine, args.results)
    if getattr(args, "ask", False):
        return _ask_main(engine, args.results)
    hashing = Engine(cache, replace(settings.index_config, model=HASHING_MODEL))
    baseline, _ = ensure_index(letters, hashing, cache / "index-hashing")
    queries, qrels = load_queries(), load_qrels()
    report = run_evaluation(
        engine,
        baseline,
        queries,
        qrels,
        settings=describe(settings, letters, how, engine, baseline),
        outcome=not args.no_outcome,
    )
    paths = write_report(report, args.results)
    paths.append(write_runs(report, queries, qrels, args.results))
    print(format_table(report))
    if "outcome" in report:
        print()
        print(format_outcome_table(report["outcome"]))
    print()
    print(format_weak_queries(report))
    print()
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0


def _facts_main(engine: Engine, results: Path) -> int:
    """`imr eval --facts`: the facts and reasons tables, and results/facts-latest.json."""
    from eval.facts import evaluate_facts, format_facts_report, load_fact_labels

    report = evaluate_facts(engine, load_fact_labels())
    return _write_and_print(report, format_facts_report(report), results / "facts-latest.json")


def _ask_main(engine: Engine, results: Path) -> int:
    """`imr eval --ask`: the answers table by half and kind, and results/ask-latest.json."""
    from eval.ask import evaluate_ask, format_ask_report, load_ask_labels

    report = evaluate_ask(engine, load_ask_labels())
    return _write_and_print(report, format_ask_report(report), results / "ask-latest.json")


def _write_and_print(report: Mapping[str, Any], table: str, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(table)
    print()
    print(f"wrote {path}")
    return 0


def describe(
    settings: Settings, letters: Sequence[Path], how: str, engine: Engine, baseline: Engine
) -> dict[str, Any]:
    """What a reader needs to reproduce the run."""
    manifest = engine.view().corpus.store.manifest
    return {
        "model": settings.model_name,
        "index_dir": _shown(engine.index_dir),
        "index_source": how,  # configured | cached | built
        "index": {
            "config": manifest.config,
            "dimension": manifest.dimension,
            "index_type": manifest.index_type,
            "created": manifest.created,
        },
        "baseline_index_dir": _shown(baseline.index_dir),
        "letters": [_shown(p) for p in letters],
        "queries_file": str(QUERIES.relative_to(REPO)),
        "qrels_file": str(QRELS.relative_to(REPO)),
        "k": K,
        "rrf_k": RRF_K,
        "rerank_depth": RERANK_DEPTH,
        "outcome": {"mode": OUTCOME_MODE, "neighbours": NEIGHBOURS, "summary_chars": SUMMARY_CHARS},
        "commit": _commit(),
        "python": platform.python_version(),
        # Latency is wall time on a shared machine: the load when the run began says how busy.
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }


def _commit() -> str | None:
    """HEAD's sha, with "+dirty" when the working tree has changes."""
    try:
        head = _git("rev-parse", "HEAD")
        dirty = bool(_git("status", "--porcelain"))
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head}+dirty" if dirty else head


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _shown(path: Path) -> str:
    """`path` relative to the repository (../shared/seeds), so reports compare across clones."""
    return os.path.relpath(Path(path).resolve(), REPO)
