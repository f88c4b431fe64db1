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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.errors import StoreMismatchError, StoreNotFoundError
from index.manifest import Manifest
from index.snapshot import SnapshotWriter
from index.store import VectorStore, choose_index
from rag.chunking import chunk_determinations, make_splitter
from rag.embedding import Embedder
from rag.errors import DocumentParseError, NothingToIndexError
from rag.parsing import iter_letter_files, parse_file
from rag.records import Chunk, Determination

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
BATCH_LETTERS = 64  # letters parsed, chunked and embedded together (about 150 chunks)


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
    return {det.doc_id: det for det in iter_letters(iter_letter_files(paths), report)}


def iter_letters(files: Iterable[Path], report: IngestReport) -> Iterator[Determination]:
    """Each readable letter, one at a time; failures go to `report.skipped`."""
    for path in files:
        report.files += 1
        try:
            yield parse_file(path)
        except DocumentParseError as exc:
            report.skipped.append((str(path), str(exc)))
            log.warning("skipped %s", exc)


def ingest(
    paths: Iterable[Path],
    index_dir: Path,
    embedder: Embedder,
    chunking: ChunkSettings = ChunkSettings(),
    *,
    rebuild: bool = False,
    index_type: str = "auto",
    progress: Callable[[int], Progress] | None = None,
    batch_letters: int = BATCH_LETTERS,
) -> IngestReport:
    """Add the letters at `paths` to the index at `index_dir` (created if missing).

    Letters stream through parse -> chunk -> embed -> disk `batch_letters` at a time, so memory
    does not grow with the corpus (only the FAISS index itself does, built at the end).
    `progress(total)` is called once with the number of letter files and returns a callback
    that receives increments. `rebuild` drops the existing index instead of adding to it.
    """
    started = time.perf_counter()
    report = IngestReport()
    old = None if rebuild else open_existing(index_dir, embedder.name, embedder.dimension, chunking)
    files = list(iter_letter_files(paths))
    tick = progress(len(files)) if progress else None
    splitter = make_splitter(chunking.chunk_tokens, chunking.chunk_overlap, embedder.count_tokens)
    plan = _Plan(old, report)
    with SnapshotWriter(index_dir, embedder.dimension) as writer:
        for batch in _batched(iter_letters(files, report), batch_letters):
            superseded, to_embed = plan.split(batch)
            for doc_id in superseded:
                if writer.has_document(doc_id):
                    writer.drop(doc_id)
            chunks = chunk_determinations(to_embed, splitter)
            vectors = embedder.embed([c.embed_text for c in chunks])
            writer.add([(c.doc_id, c.to_payload()) for c in chunks], vectors)
            writer.add_documents({det.doc_id: _document(det) for det in to_embed})
            if tick:
                tick(len(batch))
        _finish(writer, old, index_dir, embedder.name, chunking, index_type, report)
    report.seconds = time.perf_counter() - started
    return report


class _Plan:
    """Which letters need embedding: new ones and changed ones (same doc_id, another record).
    Unchanged letters are copied from the old index at the end, vectors and all. A doc_id met
    again later in the run takes back what was decided for it before: the later file wins."""

    def __init__(self, old: VectorStore | None, report: IngestReport) -> None:
        self.old, self.report = old, report
        self.seen: set[str] = set()

    def split(self, letters: Sequence[Determination]) -> tuple[list[str], list[Determination]]:
        """(doc_ids an earlier batch may have written, to drop; the letters to embed)."""
        digests = (
            self.old.document_values([d.doc_id for d in letters], "$.sha256") if self.old else {}
        )
        drop: list[str] = []
        to_embed: dict[str, Determination] = {}
        for det in letters:
            if det.doc_id in self.seen:
                self._take_back(det.doc_id)
                if to_embed.pop(det.doc_id, None) is None:
                    drop.append(det.doc_id)
            self.seen.add(det.doc_id)
            previous = digests.get(det.doc_id)
            if previous is None:
                self.report.added.append(det.doc_id)
            elif previous != _record_digest(det):
                self.report.replaced.append(det.doc_id)
            else:
                self.report.unchanged.append(det.doc_id)
                continue
            to_embed[det.doc_id] = det
        return drop, list(to_embed.values())

    def _take_back(self, doc_id: str) -> None:
        for decided in (self.report.added, self.report.replaced, self.report.unchanged):
            if doc_id in decided:
                decided.remove(doc_id)


def plan_update(
    letters: dict[str, Determination], old: VectorStore | None, report: IngestReport
) -> list[Determination]:
    """The letters that need embedding: new ones and changed ones (same doc_id, other record)."""
    return _Plan(old, report).split(list(letters.values()))[1]


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
    """Write `new_chunks` and every letter of `old` not in `to_embed` as a new snapshot and swap
    it in (the distributed path, which embeds everything before it writes)."""
    if len(new_chunks) != len(new_vectors):
        raise ValueError(f"{len(new_chunks)} chunks but {len(new_vectors)} vectors")
    dimension = new_vectors.shape[1] if len(new_vectors) else old.manifest.dimension if old else 1
    with SnapshotWriter(index_dir, dimension) as writer:
        writer.add([(c.doc_id, c.to_payload()) for c in new_chunks], new_vectors)
        writer.add_documents({det.doc_id: _document(det) for det in to_embed})
        return _finish(writer, old, index_dir, model, chunking, index_type, report)


def _finish(
    writer: SnapshotWriter,
    old: VectorStore | None,
    index_dir: Path,
    model: str,
    chunking: ChunkSettings,
    index_type: str,
    report: IngestReport,
) -> Path:
    """Copy what is kept from `old`, choose the index type by size, and swap the snapshot in."""
    if old:
        writer.copy_from(old)
        old.close()
    if writer.count == 0 and old is None:
        raise NothingToIndexError(f"nothing to index into {index_dir}: no letter could be read")
    kind, params = choose_index(writer.count) if index_type == "auto" else (index_type, {})
    manifest = Manifest(
        model=model,
        dimension=writer.dimension,
        count=writer.count,
        documents=0,  # counted by the writer
        settings=chunking.to_dict(),
        stats={"items": writer.array_lengths("$.record.items")},
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    snapshot = writer.commit(manifest, kind, **params)
    final = Manifest.read(snapshot)
    report.letters, report.items, report.chunks = final.documents, final.stats["items"], final.count
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


def _document(det: Determination) -> dict[str, object]:
    return {"sha256": _record_digest(det), "record": det.to_dict()}


def _batched(letters: Iterable[Determination], size: int) -> Iterator[list[Determination]]:
    batch: list[Determination] = []
    for det in letters:
        batch.append(det)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _record_digest(det: Determination) -> str:
    data = det.to_dict()
    data.pop("source", None)  # the same letter as .txt or .pdf is the same record
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
