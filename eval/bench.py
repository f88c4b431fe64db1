"""`imr bench`: what each index type costs and how fast it answers, by corpus size, and what the
real model costs: embedding throughput, ingest memory, HTTP latency. Speed is measured here,
never in tests. The parts live in eval/bench_index.py and eval/bench_system.py; this module is
the command: options, the report file, the chart and the table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eval import bench_system
from eval.bench_index import HASHING, KINDS, TARGET_RECALL, bench_indexes, recommend
from eval.measure import machine, say
from rag.config import Settings

PARTS = ("index", "http", "embed", "ingest", "search", "lexical")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `imr bench`."""
    parser.add_argument("--sizes", type=_ints, default=(10_000, 100_000, 1_000_000))
    parser.add_argument("--kinds", type=_names(KINDS), default=KINDS, help="index types")
    parser.add_argument(
        "--parts", type=_names(PARTS), default=("index", "http"), help=f"of {','.join(PARTS)}"
    )
    parser.add_argument("--queries", type=int, default=1000, help="held-out queries per size")
    parser.add_argument("--target-recall", type=float, default=TARGET_RECALL)
    parser.add_argument("--http-requests", type=int, default=325)
    parser.add_argument("--embed-chunks", type=int, default=256)
    parser.add_argument("--ingest-letters", type=_ints, default=(500, 2000, 8000))
    parser.add_argument(
        "--search-letters", type=int, default=420_000, help="synthetic letters (~1M chunks)"
    )
    parser.add_argument(
        "--lexical-chunks", type=int, default=1_000_000, help="chunks for the engine comparison"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, default=Path("var/bench"), help="vectors, indexes")
    parser.add_argument("--results", type=Path, default=Path("eval/results"))
    parser.add_argument("--json", action="store_true", help="print the rows as a JSON list")


def main(args: argparse.Namespace, settings: Settings) -> int:
    """Run the parts asked for into bench-<time>.json (saved after every row, so a crash keeps
    what was measured) and bench-<time>.png, then print a table or the JSON rows."""
    import importlib

    # Load now what later parts use: an edit to the tree during an hour-long run must not mix
    # old and new modules in this process.
    for module in ("rag.chunking", "rag.ingest", "rag.retrieval", "rag.engine", "eval.dataset"):
        importlib.import_module(module)
    args.results.mkdir(parents=True, exist_ok=True)
    json_path = args.results / time.strftime("bench-%Y%m%d-%H%M%S.json")
    report: dict[str, Any] = {"machine": machine(), "rows": []}

    def save() -> None:
        json_path.write_text(json.dumps(report, indent=2) + "\n")

    if "index" in args.parts:
        sizes, kinds, seed = args.sizes, args.kinds, args.seed
        for row in bench_indexes(sizes, kinds, args.queries, seed, args.cache, args.target_recall):
            report["rows"].append(row)
            save()
        report["recommendation"] = recommend(report["rows"], args.target_recall)
    if "embed" in args.parts:
        report["embedding"] = bench_system.bench_embedding(settings, args.embed_chunks)
        save()
    if "ingest" in args.parts:
        report["ingest_memory"] = bench_system.bench_ingest_memory(args.ingest_letters, args.cache)
        save()
    if "search" in args.parts:
        report["search"] = bench_system.bench_search_at_scale(args.search_letters, args.cache)
        save()
    if "lexical" in args.parts:
        from eval.bench_lexical import bench_lexical

        report["lexical"] = bench_lexical(args.lexical_chunks, args.cache)
        save()
    if "http" in args.parts:
        report["http"] = bench_system.bench_http(settings, args.cache, args.http_requests)
        report["rows"].append(report["http"]["row"])
    save()
    png_path = draw_chart(
        report["rows"], json_path.with_suffix(".png"), report.get("ingest_memory")
    )
    say(f"wrote {json_path} and {png_path}")
    if args.json:
        sys.stdout.write(json.dumps(report["rows"], indent=1) + "\n")
    else:
        sys.stdout.write(format_report(report) + "\n")
    return 0


# ---- output --------------------------------------------------------------------------------


def draw_chart(
    rows: Sequence[dict[str, Any]], path: Path, ingest: dict[str, Any] | None = None
) -> Path:
    """p50 latency and recall@10 against size, one line per index type; with `ingest`, a third
    panel: ingest memory against letters."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3 if ingest else 2, figsize=(16.5 if ingest else 11, 4.4))
    left, right = axes[0], axes[1]
    if ingest:
        _draw_ingest_memory(axes[2], ingest)
    kinds = dict.fromkeys(r["index"] for r in rows if r["recall_at_10"] is not None)
    for kind in kinds:
        mine = sorted((r for r in rows if r["index"] == kind), key=lambda r: r["n"])
        ns = [r["n"] for r in mine]
        left.plot(ns, [r["p50_ms"] for r in mine], marker="o", label=kind)
        right.plot(ns, [r["recall_at_10"] for r in mine], marker="o", label=kind)
    for r in rows:
        if r["recall_at_10"] is None:
            left.scatter(
                [r["n"]], [r["p50_ms"]], marker="*", s=120, color="black", label="HTTP /api/search"
            )
    left.set(
        xscale="log",
        yscale="log",
        xlabel="vectors",
        ylabel="p50 ms, one query, 1 thread",
        title="Search latency",
    )
    right.axhline(TARGET_RECALL, color="grey", linestyle="--", linewidth=1)
    right.set(xscale="log", xlabel="vectors", ylabel="recall@10 vs exact", title="Recall")
    for ax in axes:
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    fig.suptitle(f"imr bench ({HASHING})", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _draw_ingest_memory(ax: Any, ingest: dict[str, Any]) -> None:
    runs = ingest["runs"]
    letters = [r["letters"] for r in runs]
    ax.plot(letters, [r["peak_rss_mb"] for r in runs], marker="o", label="peak RSS")
    ax.plot(letters, [r["streaming_rss_mb"] for r in runs], marker="o", label="while streaming")
    index = [ingest["baseline_rss_mb"] + r["faiss_index_mb"] for r in runs]
    ax.plot(letters, index, linestyle="--", color="grey", label="start-up + FAISS index")
    ax.set(
        xlabel="synthetic letters (hashing embedder)",
        ylabel="MB",
        title="imr ingest memory",
        ylim=(0, None),
    )


def format_report(report: dict[str, Any]) -> str:
    """The rows as a table, then the recommendation and any other part as JSON."""
    lines = [
        f"{'index':38} {'n':>9} {'build_s':>8} {'B/vec':>7} {'recall@10':>9} {'p50_ms':>8} "
        f"{'p99_ms':>8}  params"
    ]
    for r in report["rows"]:
        recall = "-" if r["recall_at_10"] is None else f"{r['recall_at_10']:.3f}"
        lines.append(
            f"{r['index'][:38]:38} {r['n']:>9,} {r['build_s']:>8.1f} {r['bytes_per_vector']:>7.0f} "
            f"{recall:>9} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f}  {json.dumps(r['params'])}"
        )
    lines.append(f"vectors: {HASHING} (index rows)")
    for key in ("recommendation", "embedding", "ingest_memory", "search"):
        if key in report:
            lines.append(f"{key}: {json.dumps(report[key], indent=1)}")
    if "http" in report:
        extra = {k: v for k, v in report["http"].items() if k != "row"}
        lines.append(f"http: {json.dumps(extra, indent=1)}")
    return "\n".join(lines)


def _ints(value: str) -> tuple[int, ...]:
    try:
        return tuple(int(v.replace("_", "")) for v in value.split(",") if v.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected numbers like 10000,100000; got {value!r}"
        ) from exc


def _names(allowed: Sequence[str]) -> Callable[[str], tuple[str, ...]]:
    def parse(value: str) -> tuple[str, ...]:
        names = tuple(v.strip() for v in value.split(",") if v.strip())
        unknown = [n for n in names if n not in allowed]
        if unknown or not names:
            raise argparse.ArgumentTypeError(f"{value!r}: choose from {', '.join(allowed)}")
        return names

    return parse
