"""Outcome prediction, leave one letter out: do similar decisions predict an item's verdict?

Each item is held out with its whole letter. Its query is the disputed item plus the start of the
case summary (what is known before the review, never the rationale, which states the verdict).
The n nearest items from the other letters vote, weighted by cosine similarity, and the item is
called Overturned when their Overturned share reaches a threshold. Thresholds are fixed rules or
tuned on the other letters only (nested), so no reported number was tuned on its own test item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rag.config import Mode
from rag.engine import Engine
from rag.records import Letter, Outcome

SUMMARY_CHARS = 400
NEIGHBOURS = 10


@dataclass(frozen=True, slots=True)
class Neighbour:
    letter_id: str
    similarity: float
    overturned: bool


@dataclass(frozen=True, slots=True)
class HeldOut:
    """One item, its true outcome and its nearest items from other letters, best first."""

    item_id: str
    letter_id: str
    overturned: bool
    neighbours: tuple[Neighbour, ...]


def collect_neighbours(
    engine: Engine,
    letters: Iterable[Letter],
    mode: Mode = Mode.DENSE,
    n: int = NEIGHBOURS,
) -> list[HeldOut]:
    """Retrieve neighbours for every item of `letters`.

    Enough extra hits are fetched that `n` remain after dropping the item's own letter and one
    more letter (the nested threshold search drops a second letter).
    """
    letters = sorted(letters, key=lambda letter: letter.letter_id)
    most_items = max((len(letter.items) for letter in letters), default=0)
    depth = n + 2 * most_items
    held: list[HeldOut] = []
    for letter in letters:
        for item in letter.items:
            query = f"{item.name} {letter.case_summary[:SUMMARY_CHARS]}"
            hits = engine.search(query, k=depth, mode=mode)
            neighbours = tuple(
                Neighbour(h.item.letter_id, float(h.score), h.item.outcome == Outcome.OVERTURNED)
                for h in hits
                if h.item.letter_id != letter.letter_id
            )
            held.append(
                HeldOut(item.id, letter.letter_id, item.outcome == Outcome.OVERTURNED, neighbours)
            )
    return held


def overturned_share(item: HeldOut, n: int = NEIGHBOURS, exclude: str | None = None) -> float:
    """Similarity-weighted Overturned share of the top `n` neighbours outside `exclude`'s letter."""
    top = [nb for nb in item.neighbours if nb.letter_id != exclude][:n]
    weights = np.array([max(nb.similarity, 0.0) for nb in top])
    if not len(top) or weights.sum() == 0:
        return 0.0
    votes = np.array([nb.overturned for nb in top], dtype=float)
    return float((weights * votes).sum() / weights.sum())


def confusion(truth: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    """Confusion matrix and scores with Overturned as the positive class."""
    t, p = np.asarray(truth, dtype=bool), np.asarray(predicted, dtype=bool)
    tp, fp = int((t & p).sum()), int((~t & p).sum())
    fn, tn = int((t & ~p).sum()), int((~t & ~p).sum())
    recall = tp / (tp + fn) if tp + fn else 0.0
    specificity = tn / (tn + fp) if tn + fp else 0.0
    return {
        "balanced_accuracy": (recall + specificity) / 2,
        "overturn_recall": recall,
        "overturn_precision": tp / (tp + fp) if tp + fp else 0.0,
        "accuracy": (tp + tn) / len(t) if len(t) else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }


def best_threshold(scores: Sequence[float], truth: Sequence[bool]) -> float:
    """The threshold (predict Overturned when score >= it) with the best balanced accuracy.

    Candidates are the observed scores; ties go to the highest threshold (fewest Overturned calls).
    """
    values = np.asarray(scores, dtype=float)
    best, best_score = np.inf, -1.0
    for threshold in sorted(set(values.tolist()), reverse=True):
        score = confusion(truth, values >= threshold)["balanced_accuracy"]
        if score > best_score:
            best, best_score = threshold, score
    return float(best)


def roc_auc(scores: Sequence[float], truth: Sequence[bool]) -> float:
    """Probability that an Overturned item outscores an Upheld one (ties count half)."""
    s, t = np.asarray(scores, dtype=float), np.asarray(truth, dtype=bool)
    pos, neg = s[t], s[~t]
    if not len(pos) or not len(neg):
        return 0.5
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def evaluate_outcomes(held: Sequence[HeldOut], n: int = NEIGHBOURS) -> dict[str, Any]:
    """Every predictor's confusion matrix over `held`, plus the AUC of the Overturned share.

    Predictors: always Upheld (the baseline); majority vote (share >= 0.5); share above the
    other letters' Overturned rate (a fixed rule); and a threshold tuned, per held-out letter,
    on the other letters' items with that letter removed from their neighbours too (nested).
    """
    truth = [h.overturned for h in held]
    shares = [overturned_share(h, n) for h in held]
    rate: dict[str, float] = {}  # the Overturned rate of the other letters
    tuned: dict[str, float] = {}  # the best threshold on the other letters
    for doc in sorted({h.letter_id for h in held}):
        others = [h for h in held if h.letter_id != doc]
        labels = [h.overturned for h in others]
        rate[doc] = float(np.mean(labels)) if labels else 0.0
        tuned[doc] = best_threshold([overturned_share(h, n, exclude=doc) for h in others], labels)
    predictors: dict[str, Callable[[int], bool]] = {
        "always Upheld": lambda i: False,
        "vote share >= 0.5": lambda i: shares[i] >= 0.5,
        "vote share > base rate": lambda i: shares[i] > rate[held[i].letter_id],
        "vote share >= nested-tuned": lambda i: shares[i] >= tuned[held[i].letter_id],
    }
    rows = {
        name: confusion(truth, [predict(i) for i in range(len(held))])
        for name, predict in predictors.items()
    }
    return {
        "items": len(held),
        "overturned": int(sum(truth)),
        "neighbours": n,
        "auc": roc_auc(shares, truth),
        "predictors": rows,
        "tuned_thresholds": _spread([t for t in tuned.values() if np.isfinite(t)]),
    }


def _spread(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {}
    return {"min": min(values), "median": float(np.median(values)), "max": max(values)}
