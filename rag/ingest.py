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
from index.store import VectorStore, build_index, choose_index, write_snapshot
from rag.chunking import chunk_determinations, make_splitter
from rag.embedding import Embedder
from rag.errors import DocumentParseError, NothingToIndexError
from rag.parsing import iter_letter_files, parse_file
from rag.records import Chunk, Determination

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
    index_type: str = "auto",
    progress: Callable[[int], Progress] | None = None,
) -> IngestReport:
    """Add the letters at `paths` to the index at `index_dir` (created if missing).

    `progress(total)` is called once with the number of chunks to embed and returns a callback
    that receives increments. `rebuild` drops the existing index instead of adding to it.
    """
    started = time.perf_counter()
    report = IngestReport()
    letters = parse_letters(paths, report)
    old = None if rebuild else open_existing(index_dir, embedder.name, embedder.dimension, chunking)
    to_embed = plan_update(letters, old, report)

    splitter = make_splitter(chunking.chunk_tokens, chunking.chunk_overlap, embedder.count_tokens)
    new_chunks = chunk_determinations(to_embed, splitter)
    tick = progress(len(new_chunks)) if progress else None
    new_vectors = embedder.embed([c.embed_text for c in new_chunks], progress=tick)

    commit_update(
        index_dir,
        old,
        to_embed,
        new_chunks,
        new_vectors,
        model=embedder.name,
        chunking=chunking,
        index_type=index_type,
        report=report,
    )
    report.seconds = time.perf_counter() - started
    return report


def plan_update(
    letters: dict[str, Determination], old: VectorStore | None, report: IngestReport
) -> list[Determination]:
    """The letters that need embedding: new ones and changed ones (same doc_id, other record)."""
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
    return to_embed


def commit_update(
    index_dir: Path,
    old: VectorStore | None,
    to_embed: list[Determination],
    new_chunks: list[Chunk],
    new_vectors: np.ndarray,
    *,
    model: str,
    chunking: ChunkSettings,
    index_type: str,
    report: IngestReport,
) -> Path:
    """Merge kept rows of `old` with the new chunks and swap the result in as a new snapshot.

    Every ingest path (local or distributed) ends here, so they build identical indexes.
    """
    if len(new_chunks) != len(new_vectors):
        raise ValueError(f"{len(new_chunks)} chunks but {len(new_vectors)} vectors")
    changed = {det.doc_id for det in to_embed}
    previous = old.documents() if old else {}
    kept_docs = {k: v for k, v in previous.items() if k not in changed}
    kept_rows = sorted(r for rows in old.rows_of(kept_docs).values() for r in rows) if old else []
    kept_payloads = old.payloads(kept_rows) if old else []
    if old is None and not new_chunks:
        raise NothingToIndexError(f"nothing to index into {index_dir}: no letter could be read")
    dimension = new_vectors.shape[1] if len(new_vectors) else old.manifest.dimension
    kept_vectors = old.vectors(kept_rows) if old else np.empty((0, dimension), np.float32)
    vectors = np.vstack([kept_vectors, new_vectors.astype(np.float32)])
    rows = [(p["doc_id"], p) for p in kept_payloads]
    rows += [(c.doc_id, c.to_payload()) for c in new_chunks]
    documents = dict(kept_docs)
    for det in to_embed:
        documents[det.doc_id] = {"sha256": _record_digest(det), "record": det.to_dict()}
    if old:
        old.close()

    kind, params = choose_index(len(rows)) if index_type == "auto" else (index_type, {})
    items = sum(len(doc["record"]["items"]) for doc in documents.values())
    manifest = Manifest(
        model=model,
        dimension=dimension,
        count=len(rows),
        documents=len(documents),
        index_type=kind,
        index_params=params,
        settings=chunking.to_dict(),
        stats={"items": items},
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    snapshot = write_snapshot(
        index_dir, build_index(vectors, kind, **params), rows, documents, manifest
    )
    report.letters, report.items, report.chunks = len(documents), items, len(rows)
    report.snapshot = str(snapshot)
    return snapshot


def open_existing(
    index_dir: Path, model: str, dimension: int, chunking: ChunkSettings
) -> VectorStore | None:
    """The live index at `index_dir` if there is one, refusing other model or chunk settings."""
    try:
        store = VectorStore.load(index_dir)
    except StoreNotFoundError:
        return None
    store.manifest.check_compatible(model, dimension)
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
