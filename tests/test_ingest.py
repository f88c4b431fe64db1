"""Ingest: replace by letter id, never duplicate; add without re-embedding; report bad files."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from index.store import VectorStore
from rag.config import HASHING_MODEL, IndexConfig
from rag.corpus import Corpus
from rag.embedding import HashingEmbedder
from rag.errors import ConfigMismatchError
from rag.ingest import ingest

from .conftest import SAMPLES
from .processes import imr


class CountingEmbedder(HashingEmbedder):
    """The real hashing embedder, counting what it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def embed(self, texts, progress=None):
        self.embedded += len(texts)
        return super().embed(texts, progress)


def _consistent(index_dir: Path) -> Corpus:
    """The index at `index_dir`, checked: counts and checksums agree, every item has chunks and
    every chunk an item, and the stored letters hold exactly the stored items."""
    corpus = Corpus(VectorStore.load(index_dir, verify=True))
    assert set(corpus.row_records().tolist()) == set(range(corpus.store.records))
    items = {item.id for letter in corpus.letters() for item in letter.items}
    assert items == set(corpus.item_ids())
    return corpus


def test_ingest_indexes_every_seed_item(tmp_path: Path, seeds_dir: Path) -> None:
    report = ingest([seeds_dir], tmp_path, HashingEmbedder())
    assert (report.letters, report.items) == (5, 11)
    assert report.chunks >= report.items and not report.skipped
    assert len(_consistent(tmp_path).store) == report.chunks


def test_reingesting_the_same_letters_changes_nothing_and_embeds_nothing(
    tmp_path: Path, seeds_dir: Path
) -> None:
    ingest([seeds_dir], tmp_path, HashingEmbedder())
    embedder = CountingEmbedder()
    report = ingest([seeds_dir], tmp_path, embedder)
    assert embedder.embedded == 0
    assert len(report.unchanged) == 5 and report.items == 11


def test_adding_letters_embeds_only_the_new_ones(tmp_path: Path, seeds_dir: Path) -> None:
    ingest([seeds_dir], tmp_path, HashingEmbedder())
    before = set(VectorStore.load(tmp_path).document_keys())
    embedder = CountingEmbedder()
    report = ingest([SAMPLES / "sample-001.txt", SAMPLES / "sample-002.txt"], tmp_path, embedder)
    new_chunks = report.chunks - _chunk_count(tmp_path, before)
    assert report.added == ["SX00-0000001", "SX00-0000002"]
    assert embedder.embedded == new_chunks
    assert report.letters == 7
    _consistent(tmp_path)


def _chunk_count(index_dir: Path, letter_ids: set[str]) -> int:
    corpus = Corpus(VectorStore.load(index_dir))
    items = corpus.items_at(corpus.row_records())
    return sum(1 for item in items if item.letter_id in letter_ids)


def test_changed_letter_replaces_its_old_record(tmp_path: Path) -> None:
    letter = tmp_path / "letters" / "a.txt"
    letter.parent.mkdir()
    shutil.copy(SAMPLES / "sample-001.txt", letter)
    index_dir = tmp_path / "index"
    first = ingest([letter.parent], index_dir, HashingEmbedder())
    letter.write_text(letter.read_text().replace("#120:  Upheld", "#120:  Overturned", 1))
    second = ingest([letter.parent], index_dir, HashingEmbedder())
    assert second.replaced == ["SX00-0000001"] and second.letters == 1
    assert second.chunks == first.chunks, "replaced, not duplicated"
    corpus = _consistent(index_dir)
    assert corpus.item("SX00-0000001#1").outcome == "Overturned"
    assert corpus.letter("SX00-0000001").items[0].outcome == "Overturned"


def test_bad_files_are_reported_skipped_and_the_rest_indexed(tmp_path: Path) -> None:
    letters = tmp_path / "letters"
    letters.mkdir()
    shutil.copy(SAMPLES / "sample-003.txt", letters / "good.txt")
    (letters / "empty.txt").write_text("")
    (letters / "junk.pdf").write_bytes(b"%PDF-1.4 not really")
    report = ingest([letters], tmp_path / "index", HashingEmbedder())
    assert report.letters == 1
    reasons = dict(report.skipped)
    assert set(reasons) == {str(letters / "empty.txt"), str(letters / "junk.pdf")}
    assert "empty" in reasons[str(letters / "empty.txt")]


def test_adding_with_other_chunk_settings_is_refused(tmp_path: Path, seeds_dir: Path) -> None:
    ingest([seeds_dir], tmp_path, HashingEmbedder())
    other = IndexConfig(model=HASHING_MODEL, chunk_tokens=100)
    with pytest.raises(ConfigMismatchError, match="chunk_tokens: index 200, asked 100"):
        ingest([seeds_dir], tmp_path, HashingEmbedder(), other)
    report = ingest([seeds_dir], tmp_path, HashingEmbedder(), other, rebuild=True)
    assert report.letters == 5


def test_cli_ingest_exit_status_reflects_skipped_files(tmp_path: Path) -> None:
    letters = tmp_path / "letters"
    letters.mkdir()
    shutil.copy(SAMPLES / "sample-004.txt", letters / "ok.txt")
    env = {"IMR_MODEL_NAME": "hashing", "IMR_INDEX_DIR": str(tmp_path / "idx")}
    ok = imr("ingest", str(letters), "--quiet", env=env)
    assert ok.returncode == 0, ok.stderr
    assert "indexed 1 letters" in ok.stdout
    (letters / "broken.txt").write_text("not a letter at all")
    bad = imr("ingest", str(letters), "--quiet", env=env)
    assert bad.returncode == 1
    assert "broken.txt" in bad.stderr and "IMR ISSUES" in bad.stderr
    assert "indexed 1 letters" in bad.stdout


def test_ingesting_nothing_into_a_new_index_is_a_clear_error(tmp_path: Path) -> None:
    from rag.errors import NothingToIndexError

    (tmp_path / "empty").mkdir()
    with pytest.raises(NothingToIndexError, match="no letter"):
        ingest([tmp_path / "empty"], tmp_path / "index", HashingEmbedder())
    assert not (tmp_path / "index" / "current").exists()


def test_small_batches_build_the_same_index_as_one_big_batch(tmp_path: Path) -> None:
    whole = ingest([SAMPLES], tmp_path / "whole", HashingEmbedder(), batch_letters=1000)
    streamed = ingest([SAMPLES], tmp_path / "streamed", HashingEmbedder(), batch_letters=3)
    assert replace(whole, seconds=0, snapshot="") == replace(streamed, seconds=0, snapshot="")
    a, b = _consistent(tmp_path / "whole").store, _consistent(tmp_path / "streamed").store
    assert a.payloads() == b.payloads()
    assert np.array_equal(a.vectors(range(len(a))), b.vectors(range(len(b))))


def test_the_same_letter_twice_in_one_run_keeps_the_later_file(tmp_path: Path) -> None:
    early, late = tmp_path / "early", tmp_path / "late"
    for folder in (early, late):
        folder.mkdir()
        shutil.copy(SAMPLES / "sample-001.txt", folder / "a.txt")
    shutil.copy(SAMPLES / "sample-002.txt", early / "b.txt")
    text = (late / "a.txt").read_text()
    (late / "a.txt").write_text(text.replace("#120:  Upheld", "#120:  Overturned", 1))
    # batch_letters=1: the earlier copy is already written when the later one arrives
    report = ingest([early, late], tmp_path / "index", HashingEmbedder(), batch_letters=1)
    assert report.added == ["SX00-0000002", "SX00-0000001"] and report.letters == 2
    corpus = _consistent(tmp_path / "index")
    assert corpus.letter("SX00-0000001").source == str(late / "a.txt")
    assert corpus.item("SX00-0000001#1").outcome == "Overturned"
    single = ingest([late], tmp_path / "single", HashingEmbedder())
    assert report.chunks == single.chunks + _chunk_count(tmp_path / "index", {"SX00-0000002"})


def test_a_changed_copy_then_the_unchanged_one_keeps_the_indexed_record(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    ingest([SAMPLES / "sample-001.txt"], index_dir, HashingEmbedder())
    before = VectorStore.load(index_dir).payloads()
    changed = tmp_path / "changed" / "a.txt"
    changed.parent.mkdir()
    text = (SAMPLES / "sample-001.txt").read_text()
    changed.write_text(text.replace("#120:  Upheld", "#120:  Overturned", 1))
    report = ingest([changed, SAMPLES / "sample-001.txt"], index_dir, HashingEmbedder())
    assert report.unchanged == ["SX00-0000001"] and not report.replaced
    assert _consistent(index_dir).store.payloads() == before
