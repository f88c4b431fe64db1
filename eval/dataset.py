"""The labelled evaluation set: queries, graded qrels and the real letters they were judged on.

Files follow the BEIR shape (`queries.jsonl`, `qrels.tsv` with `query_id corpus_id score`), and
`corpus_id` is the item id (`letter_id#index`) of `Hit.item_id`. Judging rules: eval/JUDGING.md.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from index.errors import StoreError
from index.store import VectorStore
from rag.config import IndexConfig
from rag.engine import Engine
from rag.errors import ConfigMismatchError
from rag.ingest import IngestReport, letter_digest, parse_letters

DATA_DIR = Path(__file__).resolve().parent / "data"
QUERIES = DATA_DIR / "queries.jsonl"
QRELS = DATA_DIR / "qrels.tsv"
REPO = Path(__file__).resolve().parents[1]

Qrels = dict[str, dict[str, int]]  # query_id -> {corpus_id: grade}


@dataclass(frozen=True, slots=True)
class Query:
    query_id: str
    query: str
    persona: str
    intent: str
    split: str = "test"  # "test" (frozen before tuning; the figures that count) or "tune"


HALVES = ("test", "tune")


def load_queries(path: Path = QUERIES) -> list[Query]:
    """Every query in file order."""
    with Path(path).open(encoding="utf-8") as handle:
        return [
            Query(
                d["query_id"],
                d["query"],
                d.get("persona", ""),
                d.get("intent", ""),
                d.get("split", "test"),
            )
            for d in map(json.loads, filter(str.strip, handle))
        ]


def load_qrels(path: Path = QRELS) -> Qrels:
    """Graded judgements per query. Unjudged items count as grade 0."""
    qrels: Qrels = {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            qrels.setdefault(row["query_id"], {})[row["corpus_id"]] = int(row["score"])
    return qrels


def default_letter_paths(shared: Path | None = None) -> list[Path]:
    """The 199 judged letters: ../shared/seeds and ../shared/data/dwc-imr-letters/txt."""
    shared = shared or REPO.parent / "shared"
    paths = [shared / "seeds", shared / "data" / "dwc-imr-letters" / "txt"]
    missing = [str(p) for p in paths if not p.is_dir()]
    if missing:
        raise FileNotFoundError(f"letters for the evaluation not found: {', '.join(missing)}")
    return paths


def check_judged_items(qrels: Qrels, item_ids: Collection[str], queries: Iterable[Query]) -> None:
    """Refuse a corpus that lacks a judged item, or a query without judgements.

    A judged id the index does not hold (a parser change renumbered items, or other letters were
    indexed) would silently lower every score, so it is an error, not a warning.
    """
    unjudged = [q.query_id for q in queries if not qrels.get(q.query_id)]
    if unjudged:
        raise ValueError(f"queries without judgements in qrels.tsv: {', '.join(unjudged)}")
    missing = sorted({cid for grades in qrels.values() for cid in grades} - set(item_ids))
    if missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise ValueError(
            f"{len(missing)} judged items are not in the index (expected the 199 judged "
            f"letters, 450 items): {shown}"
        )


def ensure_index(
    letter_paths: Iterable[Path],
    engine: Engine,
    cache_dir: Path,
    preferred: Path | None = None,
) -> tuple[Engine, str]:
    """An engine over an index of exactly these letters, built with `engine`'s config.

    `preferred` (the configured index) is used when it is one; otherwise the index in `cache_dir`
    is used, rebuilt from scratch when it is missing or stale. Returns the engine and how its
    index was obtained: "configured", "cached" or "built".
    """
    letter_paths = list(letter_paths)
    report = IngestReport()
    digests = {
        letter_id: letter_digest(letter)
        for letter_id, letter in parse_letters(letter_paths, report).items()
    }
    if report.skipped:
        raise ValueError(f"letters that cannot be parsed: {report.skipped}")

    def engine_at(index_dir: Path) -> Engine:
        return Engine(index_dir, engine.config, mode=engine.mode, embedder=engine.embedder)

    if preferred is not None and _holds(preferred, digests, engine.config):
        return engine_at(preferred), "configured"
    cached = engine_at(cache_dir)
    if _holds(cache_dir, digests, engine.config):
        return cached, "cached"
    cached.ingest(letter_paths, rebuild=True)
    return cached, "built"


def _holds(index_dir: Path, digests: dict[str, str], config: IndexConfig) -> bool:
    """Whether `index_dir` holds exactly the letters of `digests`, built with `config`."""
    try:
        store = VectorStore.load(index_dir)
    except (StoreError, OSError):
        return False
    try:
        config.check_same(IndexConfig.from_dict(store.manifest.config), index_dir)
        stored = store.document_values(store.document_keys(), "$.sha256")
        return stored == digests
    except ConfigMismatchError:
        return False
    finally:
        store.close()
