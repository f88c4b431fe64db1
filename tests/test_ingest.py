"""Ingest: replace by letter id, never duplicate; add without re-embedding; report bad files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
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
from .processes import REPO, imr


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


def _unprivileged() -> list[str]:
    """A command prefix that runs without the capabilities that let root read any folder, so a
    folder without permissions is unreadable for the CLI whoever runs the tests."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")  # util-linux, in every Debian base system
    assert setpriv, "running as root: setpriv is needed to drop root's read-anything capability"
    return [setpriv, "--inh-caps=-all", "--bounding-set=-all"]


def test_folders_that_cannot_be_searched_are_reported_not_passed_over(tmp_path: Path) -> None:
    letters, elsewhere = tmp_path / "letters", tmp_path / "elsewhere"
    (letters / "locked").mkdir(parents=True)
    elsewhere.mkdir()
    shutil.copy(SAMPLES / "sample-001.txt", letters / "ok.txt")
    shutil.copy(SAMPLES / "sample-002.txt", letters / "locked" / "hidden.txt")
    shutil.copy(SAMPLES / "sample-003.txt", elsewhere / "linked.txt")
    (letters / "link").symlink_to(elsewhere, target_is_directory=True)
    os.mkfifo(letters / "pipe.txt")
    (letters / "locked").chmod(0)
    env = {**os.environ, "IMR_MODEL_NAME": "hashing", "IMR_INDEX_DIR": str(tmp_path / "idx")}
    try:
        out = subprocess.run(
            [*_unprivileged(), sys.executable, "-m", "api.cli", "ingest", str(letters), "--quiet"],
            env=env, cwd=REPO, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        (letters / "locked").chmod(0o755)
    assert out.returncode == 1, out.stderr
    assert "indexed 1 letters" in out.stdout
    skipped = sorted(line for line in out.stderr.splitlines() if line.startswith("skipped"))
    assert skipped == [
        f"skipped {letters / 'link'}: {letters / 'link'}: folder is a symbolic link, not followed "
        "(name its target)",
        f"skipped {letters / 'locked'}: {letters / 'locked'}: folder cannot be read "
        "(Permission denied)",
        f"skipped {letters / 'pipe.txt'}: {letters / 'pipe.txt'}: not a regular file "
        "(a pipe, socket or device)",
    ]
    named = subprocess.run(
        [sys.executable, "-m", "api.cli", "ingest", str(letters / "link"), "--quiet"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert named.returncode == 0 and "indexed 2 letters" in named.stdout  # named: followed


def _imr(*args: str, index_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IMR_MODEL_NAME": "hashing", "IMR_INDEX_DIR": str(index_dir)}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "ingest", *args, "--quiet"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_a_file_named_like_a_case_number_never_replaces_that_letter(
    tmp_path: Path, letters_dir: Path
) -> None:
    real = letters_dir / "txt" / "CM16-0213037.txt"
    impostor = tmp_path / "named" / "CM16-0213037.txt"
    impostor.parent.mkdir()
    text = (SAMPLES / "sample-001.txt").read_text()
    impostor.write_text(text.replace("Case Number: SX00-0000001\n", ""))
    ingest([real], tmp_path / "index", HashingEmbedder())
    report = ingest([impostor], tmp_path / "index", HashingEmbedder())
    assert report.added == ["file-CM16-0213037"] and not report.replaced
    assert _consistent(tmp_path / "index").letter("CM16-0213037").source == str(real)


def test_a_replacement_is_reported_with_the_old_and_the_new_file(tmp_path: Path) -> None:
    old, new = tmp_path / "old" / "a.txt", tmp_path / "new" / "b.txt"
    for path in (old, new):
        path.parent.mkdir()
    old.write_text((SAMPLES / "sample-001.txt").read_text())
    new.write_text(old.read_text().replace("#120:  Upheld", "#120:  Overturned", 1))
    index_dir = tmp_path / "index"
    assert _imr(str(old), index_dir=index_dir).returncode == 0
    text = _imr(str(new), index_dir=index_dir)
    assert text.returncode == 0, text.stderr
    assert f"replaced SX00-0000001: was read from {old}, now from {new}\n" in text.stdout
    old.write_text(new.read_text().replace("#60: Upheld", "#60: Overturned", 1))
    data = json.loads(_imr(str(old), "--json", index_dir=index_dir).stdout)
    assert data["replaced"] == 1
    assert data["replacements"] == [
        {"letter_id": "SX00-0000001", "old_source": str(new), "new_source": str(old)}
    ]


def test_the_same_letter_given_three_times_is_reported_as_a_duplicate(tmp_path: Path) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    copies = [folder / name for name in ("a.txt", "b.txt", "c.txt")]
    for copy in copies:
        shutil.copy(SAMPLES / "sample-001.txt", copy)
    shutil.copy(SAMPLES / "sample-002.txt", folder / "other.txt")
    report = ingest([folder], tmp_path / "index", HashingEmbedder(), batch_letters=2)
    assert report.duplicates == {"SX00-0000001": [str(c) for c in copies]}
    assert report.letters == 2 and report.added == ["SX00-0000001", "SX00-0000002"]
    out = _imr(str(folder), "--rebuild", index_dir=tmp_path / "index")
    assert out.returncode == 0  # a duplicate is reported, not an error: the later file counts
    assert (
        f"duplicate SX00-0000001: kept {copies[2]}, the last file with this letter id; "
        f"ignored {copies[0]}, {copies[1]}\n" in out.stderr
    )
    data = json.loads(_imr(str(folder), "--json", index_dir=tmp_path / "index").stdout)
    ignored = [str(c) for c in copies[:2]]
    assert data["duplicates"] == [
        {"letter_id": "SX00-0000001", "kept": str(copies[2]), "ignored": ignored}
    ]


# The CLI with a file size limit (RLIMIT_FSIZE): every write past it fails as on a full disk.
FULL_DISK_IMR = """
import resource, runpy, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write (EFBIG) instead of dying
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
sys.argv = ["imr", *sys.argv[2:]]
runpy.run_module("api.cli", run_name="__main__")
"""


def test_a_full_disk_is_a_one_line_error_and_the_old_index_stays(
    tmp_path: Path, seeds_dir: Path, letters_dir: Path
) -> None:
    index_dir = tmp_path / "index"
    before = ingest([seeds_dir], index_dir, HashingEmbedder())
    env = {**os.environ, "IMR_MODEL_NAME": "hashing", "IMR_INDEX_DIR": str(index_dir)}
    command = ["ingest", str(letters_dir / "txt"), "--quiet"]
    out = subprocess.run(
        [sys.executable, "-c", FULL_DISK_IMR, "200000", *command],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 1
    assert out.stderr.startswith(f"error: ingest into {index_dir} stopped: ")
    assert out.stderr.endswith("; the previous index is unchanged\n")
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert len(list(_consistent(index_dir).letters())) == before.letters == 5
    assert not list((index_dir / "snapshots").glob("*.partial"))
    after = ingest([letters_dir / "txt"], index_dir, HashingEmbedder())  # the lock was released
    assert after.letters == 199
