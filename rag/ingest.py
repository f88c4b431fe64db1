"""Build or update an index from letters: parse -> chunk -> embed -> write a snapshot.

Letters are keyed by doc_id: re-ingesting a letter replaces it, and a letter whose parsed record
is unchanged keeps its stored vectors (no re-embedding). Bad files are reported and skipped; the
new snapshot is swapped in only when complete, so the previous index stays loadable throughout.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.errors import StoreMismatchError, StoreNotFoundError
from index.manifest import Manifest
from index.store import VectorStore, build_index, write_snapshot
from rag.chunking import chunk_determinations, make_splitter
from rag.embedding import Embedder
from rag.errors import DocumentParseError
from rag.parsing import iter_letter_files, parse_file
from rag.records import Determination

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


@dataclass
class IngestReport:
    files: int = 0
    letters: int = 0  # letters in the index after the run
    items: int = 0
    chunks: int = 0
    added: list[str] = field(default_factory=list)  # doc_ids embedded in this run
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    seconds: float = 0.0
    snapshot: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "letters": self.letters,
            "items": self.items,
            "chunks": self.chunks,
            "embedded": len(self.added) + len(self.replaced),
            "added": len(self.added),
            "replaced": len(self.replaced),
            "unchanged": len(self.unchanged),
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
            "seconds": round(self.seconds, 2),
            "snapshot": self.snapshot,
        }


@dataclass(frozen=True)
class ChunkSettings:
    chunk_tokens: int = 200
    chunk_overlap: int = 32

    def to_dict(self) -> dict[str, int]:
        return {"chunk_tokens": self.chunk_tokens, "chunk_overlap": self.chunk_overlap}


def parse_letters(paths: Iterable[Path], report: IngestReport) -> dict[str, Determination]:
    """Parse every letter file; failures go to `report.skipped`. Later files win per doc_id."""
    letters: dict[str, Determination] = {}
    for path in iter_letter_files(paths):
        report.files += 1
        try:
            det = parse_file(path)
        except DocumentParseError as exc:
            report.skipped.append((str(path), str(exc)))
            log.warning("skipped %s", exc)
            continue
        letters[det.doc_id] = det
    return letters


def ingest(
    paths: Iterable[Path],
    index_dir: Path,
    embedder: Embedder,
    chunking: ChunkSettings = ChunkSettings(),
    *,
    rebuild: bool = False,
    index_type: str = "flat",
    progress: Callable[[int], Progress] | None = None,
) -> IngestReport:
    """Add the letters at `paths` to the index at `index_dir` (created if missing).

    `progress(total)` is called once with the number of chunks to embed and returns a callback
    that receives increments. `rebuild` drops the existing index instead of adding to it.
    """
    started = time.perf_counter()
    report = IngestReport()
    letters = parse_letters(paths, report)
    old = None if rebuild else _open_existing(index_dir, embedder, chunking)

    previous = old.documents() if old else {}
    to_embed = []
    for doc_id, det in letters.items():
        digest = _record_digest(det)
        if doc_id not in previous:
            report.added.append(doc_id)
        elif previous[doc_id].get("sha256") != digest:
            report.replaced.append(doc_id)
        else:
            report.unchanged.append(doc_id)
            continue
        to_embed.append(det)

    splitter = make_splitter(chunking.chunk_tokens, chunking.chunk_overlap, embedder.count_tokens)
    new_chunks = chunk_determinations(to_embed, splitter)
    tick = progress(len(new_chunks)) if progress else None
    new_vectors = embedder.embed([c.embed_text for c in new_chunks], progress=tick)

    changed = {det.doc_id for det in to_embed}
    kept_docs = {k: v for k, v in previous.items() if k not in changed}
    kept_rows = [r for rows in old.rows_of(kept_docs).values() for r in rows] if old else []
    kept_rows.sort()
    kept_payloads = old.payloads(kept_rows) if old else []
    vectors = np.vstack([old.vectors(kept_rows) if old else _empty(embedder), new_vectors])
    rows = [(p["doc_id"], p) for p in kept_payloads] + [
        (c.doc_id, c.to_payload()) for c in new_chunks
    ]
    documents = dict(kept_docs)
    for det in to_embed:
        documents[det.doc_id] = {"sha256": _record_digest(det), "record": det.to_dict()}
    if old:
        old.close()

    items = sum(len(doc["record"]["items"]) for doc in documents.values())
    manifest = Manifest(
        model=embedder.name,
        dimension=embedder.dimension,
        count=len(rows),
        documents=len(documents),
        index_type=index_type,
        settings=chunking.to_dict(),
        stats={"items": items},
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    snapshot = write_snapshot(
        index_dir, build_index(vectors, index_type), rows, documents, manifest
    )

    report.letters, report.items, report.chunks = len(documents), items, len(rows)
    report.seconds = time.perf_counter() - started
    report.snapshot = str(snapshot)
    return report


def _open_existing(
    index_dir: Path, embedder: Embedder, chunking: ChunkSettings
) -> VectorStore | None:
    try:
        store = VectorStore.load(index_dir)
    except StoreNotFoundError:
        return None
    store.manifest.check_compatible(embedder.name, embedder.dimension)
    if store.manifest.settings != chunking.to_dict():
        raise StoreMismatchError(
            f"index at {index_dir} was chunked with {store.manifest.settings}; settings ask for "
            f"{chunking.to_dict()}. Rebuild it with `imr ingest --rebuild`."
        )
    return store


def _record_digest(det: Determination) -> str:
    data = det.to_dict()
    data.pop("source", None)  # the same letter as .txt or .pdf is the same record
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _empty(embedder: Embedder) -> np.ndarray:
    return np.empty((0, embedder.dimension), np.float32)
