"""Two ingests into one index, as real processes: the second waits or is refused, and no letter
of either is lost.

Run A is a real ingest held on purpose after its first batch is written (its progress callback
prints "holding" and reads stdin), so it owns a staging folder with rows in it while run B, the
real CLI, starts. Every wait is on an event (a line printed, a process ending) with a deadline;
every child is killed in `finally`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.store import VectorStore
from rag.embedding import HashingEmbedder
from rag.ingest import ingest

from .conftest import REPO, SAMPLES
from .processes import Lines

DEADLINE_S = 60.0

HELD_INGEST = """
import sys
from pathlib import Path
from rag.embedding import HashingEmbedder
from rag.ingest import ingest

def progress(total):
    held = []
    def tick(n):
        if not held:
            held.append(n)
            print("holding", flush=True)
            sys.stdin.readline()
    return tick

report = ingest([Path(sys.argv[2])], Path(sys.argv[1]), HashingEmbedder(), progress=progress,
                batch_letters=1)
print("done", report.letters, flush=True)
"""


class HeldIngest:
    """Run A: an ingest of `letters` that has written its first batch and waits for stdin."""

    def __init__(self, child: subprocess.Popen[str]) -> None:
        self.child, self.pid = child, child.pid
        self.lines = Lines(child.stdout)
        assert self.lines.next(DEADLINE_S).strip() == "holding"

    def release(self) -> str:
        """Let it finish; its last line ("done <letters>")."""
        self.child.stdin.write("\n")
        self.child.stdin.flush()
        out = self.lines.next(DEADLINE_S)
        assert self.child.wait(timeout=DEADLINE_S) == 0
        return out.strip()


@contextmanager
def _held_ingest(index_dir: Path, letters: Path) -> Iterator[HeldIngest]:
    with subprocess.Popen(
        [sys.executable, "-c", HELD_INGEST, str(index_dir), str(letters)],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    ) as child:  # fmt: skip
        try:
            yield HeldIngest(child)
        finally:
            child.kill()
            child.wait(timeout=DEADLINE_S)


@contextmanager
def _imr_ingest(index_dir: Path, *args: str) -> Iterator[subprocess.Popen[str]]:
    """Run B: the real CLI's ingest, killed on the way out whatever the test did."""
    env = {**os.environ, "IMR_MODEL_NAME": "hashing", "IMR_INDEX_DIR": str(index_dir)}
    with subprocess.Popen(
        [sys.executable, "-m", "api.cli", "ingest", *args, "--quiet"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as child:  # fmt: skip
        try:
            yield child
        finally:
            child.kill()
            child.wait(timeout=DEADLINE_S)


def _letters(index_dir: Path) -> set[str]:
    store = VectorStore.load(index_dir, verify=True)
    try:
        return set(store.document_keys())
    finally:
        store.close()


def _seeded(tmp_path: Path, seeds_dir: Path) -> tuple[Path, set[str], Path, Path]:
    """An index holding the seeds, its letters, and folders A and B of sample letters."""
    index_dir = tmp_path / "index"
    seeds = set(ingest([seeds_dir], index_dir, HashingEmbedder()).added)
    return index_dir, seeds, *_folders(tmp_path)


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    for n in range(1, 5):
        (a / f"{n}.txt").write_bytes((SAMPLES / f"sample-00{n}.txt").read_bytes())
    for n in range(10, 15):
        (b / f"{n}.txt").write_bytes((SAMPLES / f"sample-0{n}.txt").read_bytes())
    return a, b


A_IDS = {f"SX00-000000{n}" for n in range(1, 5)}
B_IDS = {f"SX00-00000{n}" for n in range(10, 15)}


def test_a_second_ingest_is_refused_at_once_and_the_first_keeps_its_staging(
    tmp_path: Path, seeds_dir: Path
) -> None:
    index_dir, seeds, a, b = _seeded(tmp_path, seeds_dir)
    with _held_ingest(index_dir, a) as first:
        staging = list((index_dir / "snapshots").glob("*.partial"))
        assert len(staging) == 1, "run A is holding with its first batch written"
        with _imr_ingest(index_dir, str(b)) as second:
            out, err = second.communicate(timeout=DEADLINE_S)
        assert second.returncode == 1 and out == ""
        assert err.startswith(f"error: another ingest holds the index at {index_dir} since ")
        assert f"(pid {first.pid}); run again when it has finished, or with --wait" in err
        assert list((index_dir / "snapshots").glob("*.partial")) == staging, "A's is untouched"
        assert first.release() == "done 9"
    assert _letters(index_dir) == seeds | A_IDS
    with _imr_ingest(index_dir, str(b)) as again:
        assert again.wait(timeout=DEADLINE_S) == 0, again.stderr.read()
    assert _letters(index_dir) == seeds | A_IDS | B_IDS


def test_with_wait_the_second_ingest_runs_after_the_first_and_nothing_is_lost(
    tmp_path: Path, seeds_dir: Path
) -> None:
    index_dir, seeds, a, b = _seeded(tmp_path, seeds_dir)
    with _held_ingest(index_dir, a) as first:
        with _imr_ingest(index_dir, str(b), "--wait") as second:
            errors = Lines(second.stderr)
            waiting = errors.containing("waiting", DEADLINE_S)
            assert f"another ingest holds the index at {index_dir} since " in waiting
            assert second.poll() is None, "B waits while A holds the index"
            assert first.release() == "done 9"
            err = "".join(errors.rest(DEADLINE_S))
            assert second.wait(timeout=DEADLINE_S) == 0, err
            out = second.stdout.read()
    assert out.startswith("indexed 14 letters")
    assert _letters(index_dir) == seeds | A_IDS | B_IDS
    assert not list((index_dir / "snapshots").glob("*.partial"))


def test_a_killed_ingest_leaves_the_index_unlocked_and_its_staging_is_swept(
    tmp_path: Path, seeds_dir: Path
) -> None:
    index_dir, seeds, a, b = _seeded(tmp_path, seeds_dir)
    with _held_ingest(index_dir, a) as first:
        first.child.kill()  # SIGKILL: no cleanup runs, the kernel drops the lock
        first.child.wait(timeout=DEADLINE_S)
        assert len(list((index_dir / "snapshots").glob("*.partial"))) == 1
    report = ingest([b], index_dir, HashingEmbedder())
    assert set(report.added) == B_IDS and _letters(index_dir) == seeds | B_IDS
    assert not list((index_dir / "snapshots").glob("*.partial")), "the stale staging is gone"
