"""SIGKILL `ingest` at many moments: the index always loads whole, with the old or the new corpus.

A child process loops over real ingests (full rebuilds alternating two corpora, or a build then
an incremental add), so kills land in every phase: parsing, embedding, writing, swapping. Each
line read from it has a deadline and each child is killed on the way out of its block.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.errors import StoreNotFoundError
from index.store import VectorStore

from .conftest import SAMPLES
from .processes import Lines, kill_group, started

LOOP = """
import sys
from pathlib import Path
from rag.embedding import HashingEmbedder
from rag.ingest import ingest
index, mode, a, b = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
while True:
    ingest([a], index, HashingEmbedder(), rebuild=True)
    print("built", flush=True)
    if mode == "rebuild":
        ingest([b], index, HashingEmbedder(), rebuild=True)
    else:
        ingest([b], index, HashingEmbedder())
    print("cycle", flush=True)
"""


def _letter_ids(folder: Path) -> frozenset[str]:
    from rag.parsing import iter_letter_files, parse_file

    return frozenset(parse_file(p).letter_id for p in iter_letter_files([folder]))


def _loaded_corpus(index_dir: Path) -> frozenset[str] | None:
    try:
        store = VectorStore.load(index_dir, verify=True)  # counts + checksums must agree
    except StoreNotFoundError:
        return None
    keys = store.record_keys()
    chunk_letters = frozenset(keys[r].rpartition("#")[0] for r in store.row_records)
    assert chunk_letters == frozenset(store.document_keys()), "vectors and letters disagree"
    store.close()
    return chunk_letters


@pytest.mark.parametrize("mode", ["rebuild", "incremental"])
def test_sigkill_during_ingest_leaves_old_or_new_corpus(
    tmp_path: Path, seeds_dir: Path, letters_dir: Path, mode: str
) -> None:
    a, b = seeds_dir, (SAMPLES if mode == "rebuild" else letters_dir / "txt")
    allowed = (
        {_letter_ids(a), _letter_ids(b)}
        if mode == "rebuild"
        else {_letter_ids(a), _letter_ids(a) | _letter_ids(b)}
    )
    index_dir = tmp_path / "index"
    command = [sys.executable, "-c", LOOP, str(index_dir), mode, str(a), str(b)]
    began = time.monotonic()
    with started(command, stdout=subprocess.PIPE, text=False) as first:
        lines = Lines(first.stdout)
        assert lines.next() == b"built"
        first_phase = time.monotonic() - began  # start-up + ingest of A
        assert lines.next() == b"cycle"
        second_phase = time.monotonic() - began - first_phase  # ingest of B
    seen: set[frozenset[str]] = set()
    # Kills timed from the start land in start-up and the ingest of A (the first, at 0, before
    # anything is written: B from the last cycle must survive). Kills timed from the "built"
    # line land in the ingest of B (the first, at once, before its swap: A must survive). The
    # phases are timed, not guessed, so a slow or fast machine still hits both sides of a swap.
    for phase, i in [("A", i) for i in range(12)] + [("B", i) for i in range(12)]:
        with started(command, stdout=subprocess.PIPE, text=False) as child:
            if phase == "A":
                time.sleep(first_phase * i / 12)  # the kill's moment, not a wait for an event
            else:
                assert Lines(child.stdout).next() == b"built"
                time.sleep(second_phase * i / 12)
            kill_group(child)  # SIGKILL; leaving the block reaps it
        corpus = _loaded_corpus(index_dir)
        assert corpus in allowed, f"after a kill at {i}/12 of ingest {phase} the index holds a mix"
        seen.add(corpus)
    assert len(seen) == 2, "kills landed both before and after a swap"
    leftovers = list((index_dir / "snapshots").glob("*.partial"))
    assert len(leftovers) <= 1, "abandoned partial snapshots are pruned by the next write"
