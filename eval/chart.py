"""Draw an evaluation report as a PNG: metric bars per system, and query latency per system.

matplotlib runs on the Agg backend (no display needed) and is imported only when a chart is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

METRICS = ("ndcg@10", "recall@10", "mrr@10")
HALVES = ("test", "tune")


def draw_chart(report: Mapping[str, Any], path: Path, metrics: Sequence[str] = METRICS) -> Path:
    """Write a bar chart of `report["systems"]` to `path` and return it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = report["systems"]
    names = list(systems)
    series = [(m, h) for m in metrics for h in HALVES]
    width = 0.8 / len(series)
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(13, 4.8), gridspec_kw={"width_ratios": [3, 1.4]}
    )
    for n, (metric, half) in enumerate(series):
        xs = [i + (n - (len(series) - 1) / 2) * width for i in range(len(names))]
        values = [systems[s]["halves"][half].get(metric, 0.0) for s in names]
        bars = left.bar(
            xs, values, width, label=f"{metric} {half}", hatch="//" if half == "tune" else None
        )
        left.bar_label(bars, fmt="%.2f", fontsize=6, padding=1, rotation=90)
    left.set_xticks(range(len(names)), names)
    left.set_ylim(0, 1.3)
    left.set_ylabel("mean over queries")
    halves = report["dataset"]["halves"]
    left.set_title(
        f"Retrieval quality: test half ({halves['test']} queries, frozen) and tune half "
        f"({halves['tune']}, hatched)"
    )
    left.legend(loc="upper left", ncol=len(metrics), fontsize=7)
    left.grid(axis="y", alpha=0.3)

    p50 = [systems[s]["latency"]["p50_ms"] for s in names]
    p95 = [systems[s]["latency"]["p95_ms"] for s in names]
    ys = range(len(names))
    right.barh([y + 0.2 for y in ys], p50, 0.4, label="p50")
    right.barh([y - 0.2 for y in ys], p95, 0.4, label="p95")
    right.set_yticks(list(ys), names)
    right.invert_yaxis()
    right.set_xlabel("ms per query (warm, in-process)")
    right.set_title("Query latency")
    right.legend(fontsize=8)
    right.grid(axis="x", alpha=0.3)

    fig.suptitle(f"imr eval {report['run']}  ({report['settings']['model']})", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
