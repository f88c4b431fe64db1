"""Build or update an index from letters: parse -> chunk -> embed -> write a snapshot.

Letters are keyed by letter_id: re-ingesting a letter replaces it, and a letter whose parsed
record is unchanged keeps its stored vectors (no re-embedding). Bad files are reported and
skipped; the new snapshot is swapped in only when complete, so the previous index stays loadable
throughout. A run holds the index's lock (index/lock.py) from before it reads the live snapshot
until its own is swapped in, so two runs never build on the same old index and lose each
other's letters: the second waits (`wait`) or is refused. `Plan` decides what to embed for both
executors (here and `rag.distributed`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import StoreNotFoundError
from index.lock import IndexLock
from index.manifest import Manifest
from index.snapshot import SnapshotWriter
from index.store import CURRENT, VectorStore, choose_index
from rag.annotate import Annotator
from rag.chunking import chunk_letters, make_splitter
from rag.config import IndexConfig
from rag.embedding import Embedder, load_embedder
from rag.errors import ConfigMismatchError, DocumentParseError, IngestError, NothingToIndexError
from rag.fields import chunk_row, item_record
from rag.parsing import ParseLimits, iter_letter_files, parse_file
from rag.records import Chunk, Letter, dump_letter, load_letter

log = logging.getLogger(__name__)

Progress = Callable[[int], None]  # receives increments, in letters
StartProgress = Callable[[int], Progress]  # called once with the number of letter files
BATCH_LETTERS = 64  # letters parsed, chunked and embedded together (about 150 chunks)


@dataclass
class IngestReport:
    files: int = 0
    letters: int = 0  # letters in the index after the run
    items: int = 0
    chunks: int = 0
    added: list[str] = field(default_factory=list)  # letter ids embedded in this run
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # letter id -> (the file its indexed record came from, the file that replaced it)
    replacements: dict[str, tuple[str, str]] = field(default_factory=dict)
    # letter id -> every file of this run with that id, in order; the last one counts
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    rederived: int = 0  # stored letters whose facts and reasons were derived again
    retried: list[tuple[str, str]] = field(default_factory=list)  # Ray: (task, first failure)
    resumed: int = 0  # Ray: chunks whose vectors came from an unfinished run's shards
    seconds: float = 0.0
    snapshot: str = ""

    @property
    def embedded(self) -> int:
        return len(self.added) + len(self.replaced)


def letter_digest(letter: Letter) -> str:
    """What decides whether a stored letter changed: what was parsed from it, wherever it was
    read from (the same letter as .txt or .pdf is the same record), without what ingest derives
    from it (facts and reasons: re-deriving them never re-embeds)."""
    data = dump_letter(letter)
    data.pop("source", None)
    for item in data["items"]:
        item.pop("facts", None)
        item.pop("reasons", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def write_letters(writer: SnapshotWriter, letters: Sequence[Letter]) -> None:
    """Store `letters`: each letter's header as a document (with its digest) and each of its
    items as a record (JSON, text fields and value columns, `rag.fields`)."""
    documents: dict[str, dict[str, Any]] = {}
    records = []
    for letter in letters:
        data = dump_letter(letter)
        items = data.pop("items")
        documents[letter.letter_id] = {"sha256": letter_digest(letter), "letter": data}
        records += [
            item_record(item, body, letter) for item, body in zip(letter.items, items, strict=True)
        ]
    writer.add_records(records)
    writer.add_documents(documents)


def iter_letters(
    files: Iterable[Path], report: IngestReport, limits: ParseLimits | None = None
) -> Iterator[Letter]:
    """Each readable letter, one at a time; failures go to `report.skipped`."""
    for path in files:
        report.files += 1
        try:
            yield parse_file(path, limits)
        except DocumentParseError as exc:
            report.skipped.append((str(path), str(exc)))
            log.warning("skipped %s", exc)


def parse_letters(paths: Iterable[Path], report: IngestReport) -> dict[str, Letter]:
    """Every letter at `paths` by id; failures go to `report.skipped`. Later files win."""
    letters = iter_letters(find_letters(paths, report), report)
    return {letter.letter_id: letter for letter in letters}


def find_letters(paths: Iterable[Path], report: IngestReport) -> list[Path]:
    """The letter files at `paths`; what cannot be searched goes to `report.skipped`."""
    problems: list[DocumentParseError] = []
    files = list(iter_letter_files(paths, problems))
    for problem in problems:
        report.skipped.append((str(problem.path), str(problem)))
        log.warning("skipped %s", problem)
    return files


class Plan:
    """Which letters need embedding: new ones and changed ones (same id, another record).
    Unchanged letters are copied from the old index at the end, vectors and all. A letter id met
    again later in the run takes back what was decided for it before: the later file wins, and
    the report lists the files under `duplicates`. A replaced letter is listed under
    `replacements` with the file its indexed record came from and the one replacing it."""

    def __init__(self, old: VectorStore | None, report: IngestReport) -> None:
        self.old, self.report = old, report
        self.seen: dict[str, str] = {}  # letter id -> the file that decides it so far

    def split(self, letters: Sequence[Letter]) -> tuple[list[str], list[Letter]]:
        """(ids an earlier batch may have written, to drop; the letters to embed)."""
        ids = [letter.letter_id for letter in letters]
        digests = self.old.document_values(ids, "$.sha256") if self.old else {}
        drop: list[str] = []
        to_embed: dict[str, Letter] = {}
        for letter in letters:
            letter_id = letter.letter_id
            if letter_id in self.seen:
                self._take_back(letter_id)
                if to_embed.pop(letter_id, None) is None:
                    drop.append(letter_id)
                files = self.report.duplicates.setdefault(letter_id, [self.seen[letter_id]])
                files.append(letter.source)
                log.warning("letter %s is given twice: %s", letter_id, " and ".join(files[-2:]))
            self.seen[letter_id] = letter.source
            previous = digests.get(letter_id)
            if previous is None:
                self.report.added.append(letter_id)
            elif previous != letter_digest(letter):
                self.report.replaced.append(letter_id)
                self.report.replacements[letter_id] = (self._old_source(letter_id), letter.source)
            else:
                self.report.unchanged.append(letter_id)
                continue
            to_embed[letter_id] = letter
        return drop, list(to_embed.values())

    def _take_back(self, letter_id: str) -> None:
        for decided in (self.report.added, self.report.replaced, self.report.unchanged):
            if letter_id in decided:
                decided.remove(letter_id)
        self.report.replacements.pop(letter_id, None)

    def _old_source(self, letter_id: str) -> str:
        assert self.old is not None  # only a letter the old index holds is replaced
        return str(self.old.document_values([letter_id], "$.letter.source").get(letter_id, "?"))


def ingest(
    paths: Iterable[Path],
    index_dir: Path,
    embedder: Embedder,
    config: IndexConfig | None = None,
    *,
    rebuild: bool = False,
    progress: StartProgress | None = None,
    batch_letters: int = BATCH_LETTERS,
    limits: ParseLimits | None = None,
    wait: bool = False,
) -> IngestReport:
    """Add the letters at `paths` to the index at `index_dir` (created if missing).

    Letters stream through parse -> chunk -> embed -> disk `batch_letters` at a time, so memory
    does not grow with the corpus (only the FAISS index itself does, built at the end).
    `config` defaults to the embedder's model with default chunking; `rebuild` drops the
    existing index instead of adding to it; `limits` bounds each file's size and parse time.
    When another run holds the index, `wait` for it, else raise IndexBusyError at once.
    """
    config = config or IndexConfig(model=embedder.name)
    if config.model != embedder.name:
        raise ConfigMismatchError(f"config names model {config.model}, embedder is {embedder.name}")
    with stopping_cleanly(index_dir), IndexLock(index_dir, wait=wait) as lock:
        return _ingest_locked(
            paths, index_dir, embedder, config, lock, rebuild, progress, batch_letters, limits
        )


@contextmanager
def stopping_cleanly(index_dir: Path) -> Iterator[None]:
    """Turn what the system refuses an ingest (a full disk, a file size limit, a read-only or
    forbidden folder) into one IngestError naming the index, and saying whether the live index
    is still the previous one (it is, unless the failure came after the swap)."""
    before = _live_target(index_dir)
    try:
        yield
    except (OSError, sqlite3.Error) as exc:
        reason = _reason(exc)
        if _live_target(index_dir) == before:
            outcome = "the previous index is unchanged"
        else:
            outcome = "the new index was swapped in before it happened"
        raise IngestError(f"ingest into {index_dir} stopped: {reason}; {outcome}") from exc


def _reason(exc: OSError | sqlite3.Error) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror} ({exc.filename})" if exc.filename else exc.strerror
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _live_target(index_dir: Path) -> str | None:
    try:
        return os.readlink(Path(index_dir) / CURRENT)
    except OSError:
        return None


def _ingest_locked(
    paths: Iterable[Path],
    index_dir: Path,
    embedder: Embedder,
    config: IndexConfig,
    lock: IndexLock,
    rebuild: bool,
    progress: StartProgress | None,
    batch_letters: int,
    limits: ParseLimits | None,
) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    old = None if rebuild else open_existing(index_dir, config)
    files = find_letters(paths, report)
    tick = progress(len(files)) if progress else None
    splitter = make_splitter(config.chunk_tokens, config.chunk_overlap, embedder.count_tokens)
    plan = Plan(old, report)
    annotate = Annotator(embedder)
    with SnapshotWriter(index_dir, embedder.dimension, base=old, lock=lock) as writer:
        for batch in _batched(iter_letters(files, report, limits), batch_letters):
            superseded, to_embed = plan.split(batch)
            for letter_id in superseded:
                if writer.has_document(letter_id):
                    writer.drop(letter_id)
            to_embed = annotate(to_embed)
            chunks = chunk_letters(to_embed, splitter)
            vectors = embedder.embed([c.embed_text for c in chunks])
            writer.add([chunk_row(c) for c in chunks], vectors)
            write_letters(writer, to_embed)
            if tick:
                tick(len(batch))
        finish_snapshot(writer, old, index_dir, config, report, lambda: annotate)
    report.seconds = time.perf_counter() - started
    return report


def commit_update(
    index_dir: Path,
    old: VectorStore | None,
    to_embed: Sequence[Letter],
    chunks: Sequence[Chunk],
    vectors: np.ndarray,
    *,
    config: IndexConfig,
    report: IngestReport,
    lock: IndexLock | None = None,
) -> Path:
    """Write `chunks` with their `vectors`, and every letter of `old` not in `to_embed`, as a
    new snapshot and swap it in (the Ray path, which embeds everything before it writes).
    `lock`: the index's lock, held since `old` was read."""
    dimension = vectors.shape[1] if len(vectors) else old.manifest.dimension if old else 1
    with (
        stopping_cleanly(index_dir),
        SnapshotWriter(index_dir, dimension, base=old, lock=lock) as writer,
    ):
        writer.add([chunk_row(c) for c in chunks], vectors)
        write_letters(writer, to_embed)

        def annotator() -> Annotator:
            return Annotator(load_embedder(config.model))

        return finish_snapshot(writer, old, index_dir, config, report, annotator)


def finish_snapshot(
    writer: SnapshotWriter,
    old: VectorStore | None,
    index_dir: Path,
    config: IndexConfig,
    report: IngestReport,
    annotator: Callable[[], Annotator],
) -> Path:
    """Copy what is kept from `old` (re-deriving its letters' facts and reasons when they were
    derived by other versions), choose the index type by size, and swap the snapshot in."""
    if old:
        refreshed: list[str] = []
        if IndexConfig.from_dict(old.manifest.config).annotations != config.annotations:
            refreshed = _rederive(writer, old, annotator())
            report.rederived = len(refreshed)
        writer.copy_from(old, rows_only=refreshed)
        old.close()
    if writer.count == 0 and old is None:
        raise NothingToIndexError(f"nothing to index into {index_dir}: no letter could be read")
    kind, params = (
        choose_index(writer.count) if config.index_type == "auto" else (config.index_type, {})
    )
    manifest = Manifest(
        dimension=writer.dimension,
        count=writer.count,
        documents=0,  # counted by the writer
        config=config.to_dict(),
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    snapshot = writer.commit(manifest, kind, **params)
    final = Manifest.read(snapshot)
    report.letters, report.items, report.chunks = final.documents, final.records, final.count
    report.snapshot = str(snapshot)
    return snapshot


def open_existing(index_dir: Path, config: IndexConfig) -> VectorStore | None:
    """The live index at `index_dir` if there is one, refusing one whose vectors `config` would
    not give (another model or chunking). Other annotations are re-derived, not refused."""
    try:
        store = VectorStore.load(index_dir)
    except StoreNotFoundError:
        return None
    stored = IndexConfig.from_dict(store.manifest.config)
    if config.vectors_differ(stored):
        store.close()
        config.check_same(stored, index_dir)
    return store


def _rederive(writer: SnapshotWriter, old: VectorStore, annotate: Annotator) -> list[str]:
    """Write every letter of `old` that this run did not, with its facts and reasons derived
    again. Returns their ids: their rows (vectors, tokens) are copied as they are."""
    keys = [k for k in old.document_keys() if not writer.has_document(k)]
    for start in range(0, len(keys), BATCH_LETTERS):
        batch = keys[start : start + BATCH_LETTERS]
        letters = [
            load_letter({**old.document(k)["letter"], "items": old.records_of(k)}) for k in batch
        ]
        write_letters(writer, annotate(letters))
    return keys


def _batched(letters: Iterable[Letter], size: int) -> Iterator[list[Letter]]:
    batch: list[Letter] = []
    for letter in letters:
        batch.append(letter)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
