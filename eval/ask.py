"""`imr eval --ask`: answers against the questions in eval/data/ask.jsonl (rules: eval/ASK.md),
asked through the same `Engine.ask` the API and the CLI use.

Each half is scored on its own: `test` (frozen before any tuning; the figures that count) and
`tune`. Per question:

* population precision / recall / F1: the items the answer counts (its strict population; an
  answer that had to relax a facet counts nothing strictly) against the labelled exact set.
  Scored where the exact set is not empty; averaged over questions (macro).
* majority: the answer's majority outcome equals the exact set's. Scored where it is not empty.
* abstention: the answer counts nothing strictly exactly when the exact set is empty.
* top-5 precision: of the first five precedents, the share in the exact set or the acceptable
  neighbours. Scored where the answer shows precedents or the exact set is not empty (an answer
  with no precedents for a question that has matches scores 0).

Also the warm latency of `ask` in this process (each question asked again after a warm-up).
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.dataset import DATA_DIR
from rag.engine import Engine
from rag.records import Answer

ASK_LABELS = DATA_DIR / "ask.jsonl"
TARGETS = {"population_f1": 0.85, "majority": 0.95, "abstention": 1.0, "top5_precision": 0.9}
TOP = 5


@dataclass(frozen=True)
class AskLabel:
    question_id: str
    question: str
    kind: str
    split: str
    exact: dict[str, str]  # item id -> outcome
    neighbours: frozenset[str]


def load_ask_labels(path: Path = ASK_LABELS) -> list[AskLabel]:
    labels = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            labels.append(
                AskLabel(
                    row["question_id"],
                    row["question"],
                    row["kind"],
                    row["split"],
                    dict(row["exact"]),
                    frozenset(row["neighbours"]),
                )
            )
    return labels


def score_answer(label: AskLabel, answer: Answer) -> dict[str, Any]:
    """One question's scores (None where a measure does not apply)."""
    strict = set() if answer.population.relaxed else set(answer.population.item_ids)
    exact = set(label.exact)
    row: dict[str, Any] = {
        "question_id": label.question_id,
        "kind": label.kind,
        "exact": len(exact),
        "counted": len(strict),
        "relaxed": list(answer.population.relaxed),
        "abstention": (not strict) == (not exact),
        "precision": None,
        "recall": None,
        "f1": None,
        "majority": None,
        "top5_precision": None,
    }
    if exact:
        right = len(strict & exact)
        precision = right / len(strict) if strict else 0.0
        recall = right / len(exact)
        f1 = 2 * precision * recall / (precision + recall) if right else 0.0
        row |= {"precision": precision, "recall": recall, "f1": f1}
        row["majority"] = bool(strict) and _majority(Counter(label.exact.values())) == _majority(
            Counter(answer.outcome_counts)
        )
        row["missing"] = sorted(exact - strict)[:10]
        row["extra"] = sorted(strict - exact)[:10]
    shown = [p.item_id for p in answer.precedents[:TOP]]
    if shown:
        acceptable = exact | label.neighbours
        row["top5_precision"] = sum(i in acceptable for i in shown) / len(shown)
    elif exact:
        row["top5_precision"] = 0.0
    return row


def _majority(counts: Mapping[str, int]) -> str:
    upheld, overturned = counts.get("Upheld", 0), counts.get("Overturned", 0)
    return "Upheld" if upheld > overturned else "Overturned" if overturned > upheld else "tie"


def summarise(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Means of each measure over the questions it applies to, with how many those are."""

    def mean(name: str) -> dict[str, Any]:
        values = [float(r[name]) for r in rows if r[name] is not None]
        return {"mean": round(statistics.fmean(values), 4) if values else None, "n": len(values)}

    return {
        "questions": len(rows),
        "population_precision": mean("precision"),
        "population_recall": mean("recall"),
        "population_f1": mean("f1"),
        "majority": mean("majority"),
        "abstention": mean("abstention"),
        "top5_precision": mean("top5_precision"),
    }


def evaluate_ask(engine: Engine, labels: Sequence[AskLabel], repeats: int = 3) -> dict[str, Any]:
    """Score every question, by half and by kind, and time warm `ask` calls."""
    rows, answers = [], {}
    for label in labels:
        answers[label.question_id] = answer = engine.ask(label.question)
        rows.append({"split": label.split, **score_answer(label, answer)})
    timings = []
    for _ in range(repeats):
        for label in labels:
            started = time.perf_counter()
            engine.ask(label.question)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    by_kind: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_kind[row["split"]][row["kind"]].append(row)
    return {
        "halves": {
            split: summarise([r for r in rows if r["split"] == split]) for split in ("test", "tune")
        },
        "kinds": {
            split: {kind: summarise(kr) for kind, kr in sorted(kinds.items())}
            for split, kinds in sorted(by_kind.items())
        },
        "targets": TARGETS,
        "latency_ms": {
            "p50": round(statistics.median(timings), 1) if timings else None,
            "p95": round(timings[int(0.95 * (len(timings) - 1))], 1) if timings else None,
            "calls": len(timings),
        },
        "questions": [r | {"text": answers[r["question_id"]].text} for r in rows],
    }


def format_ask_report(report: Mapping[str, Any]) -> str:
    names = (
        ("population_precision", "pop P"),
        ("population_recall", "pop R"),
        ("population_f1", "pop F1"),
        ("majority", "majority"),
        ("abstention", "abstain"),
        ("top5_precision", "top-5 P"),
    )
    head = f"{'half':<6}{'qs':>4}" + "".join(f"{label:>10}" for _, label in names)
    lines = ["Answers (imr ask) against eval/data/ask.jsonl", head]
    for split, s in report["halves"].items():
        cells = "".join(_cell(s[name]) for name, _ in names)
        lines.append(f"{split:<6}{s['questions']:>4}{cells}")
    target = "".join(
        f"{'>=' + format(TARGETS[name], '.2f'):>10}" if name in TARGETS else f"{'':>10}"
        for name, _ in names
    )
    lines.append(f"{'target':<10}{target}")
    lines += ["", "Test half by kind", f"{'kind':<20}{'qs':>4}" + "".join(
        f"{label:>10}" for _, label in names
    )]  # fmt: skip
    for kind, s in report["kinds"].get("test", {}).items():
        cells = "".join(_cell(s[name]) for name, _ in names)
        lines.append(f"{kind:<20}{s['questions']:>4}{cells}")
    latency = report["latency_ms"]
    lines += [
        "",
        f"ask latency, warm, in-process: p50 {latency['p50']} ms, p95 {latency['p95']} ms "
        f"({latency['calls']} calls)",
        "",
        "Questions scored below 1 (test half first):",
    ]
    ordered = sorted(report["questions"], key=lambda r: (r["split"] != "test", r["question_id"]))
    for r in ordered:
        flaws = []
        if not r["abstention"]:
            flaws.append("abstention")
        if r["f1"] is not None and r["f1"] < 1:
            flaws.append(f"F1 {r['f1']:.2f} (counted {r['counted']}, exact {r['exact']})")
        if r["majority"] is False:
            flaws.append("majority")
        if r["top5_precision"] is not None and r["top5_precision"] < 1:
            flaws.append(f"top-5 {r['top5_precision']:.2f}")
        if flaws:
            lines.append(f"  {r['split']:<5}{r['question_id']}  {r['kind']:<20}{'; '.join(flaws)}")
    return "\n".join(lines)


def _cell(measure: Mapping[str, Any]) -> str:
    value = measure["mean"]
    return f"{'-' if value is None else format(value, '.3f'):>10}"
