"""The labelled evaluation set: queries, graded qrels and the real letters they were judged on.

Files follow the BEIR shape (`queries.jsonl`, `qrels.tsv` with `query_id corpus_id score`), and
`corpus_id` is `doc_id#item_index`, the id `Hit.item_id` gives. Judging rules: eval/JUDGING.md.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from index.errors import StoreError
from index.store import VectorStore
from rag.embedding import Embedder
from rag.ingest import ChunkSettings, IngestReport, ingest, parse_letters

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


def load_queries(path: Path = QUERIES) -> list[Query]:
    """Every query in file order."""
    with Path(path).open(encoding="utf-8") as handle:
        return [
            Query(d["query_id"], d["query"], d.get("persona", ""), d.get("intent", ""))
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
    embedder: Embedder,
    chunking: ChunkSettings,
    cache_dir: Path,
    preferred: Path | None = None,
) -> tuple[Path, str]:
    """An index of exactly these letters, this model and these chunk settings.

    `preferred` (the configured index) is used when it is one; otherwise the index in `cache_dir`
    is used, rebuilt from scratch when it is missing or stale. Returns the directory and how it
    was obtained: "configured", "cached" or "built".
    """
    letter_paths = list(letter_paths)
    report = IngestReport()
    letters = {
        doc_id: _comparable(det.to_dict())
        for doc_id, det in parse_letters(letter_paths, report).items()
    }
    if report.skipped:
        raise ValueError(f"letters that cannot be parsed: {report.skipped}")
    if preferred is not None and _holds(preferred, letters, embedder, chunking):
        return Path(preferred), "configured"
    if _holds(cache_dir, letters, embedder, chunking):
        return Path(cache_dir), "cached"
    ingest(letter_paths, cache_dir, embedder, chunking, rebuild=True)
    return Path(cache_dir), "built"


def _holds(
    index_dir: Path, letters: dict[str, dict], embedder: Embedder, chunking: ChunkSettings
) -> bool:
    """Whether `index_dir` holds exactly `letters`, embedded and chunked as asked."""
    try:
        store = VectorStore.load(index_dir)
    except (StoreError, OSError):
        return False
    try:
        manifest = store.manifest
        if (manifest.model, manifest.dimension) != (embedder.name, embedder.dimension):
            return False
        if manifest.settings != chunking.to_dict():
            return False
        stored = {key: _comparable(doc["record"]) for key, doc in store.documents().items()}
        return stored == letters
    finally:
        store.close()


def _comparable(record: dict) -> dict:
    # The same letter read from another folder (or as .pdf) is the same record.
    return {key: value for key, value in record.items() if key != "source"}
