"""Ingest on Ray builds the index the local path builds; Ray's retries are reported, crashes resume.

A local 2-CPU Ray cluster on loopback serves the module and is shut down after it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import ray

from eval.ingest_bench import BenchRow, bench_table, project
from index.errors import StoreError
from index.store import VectorStore, current_snapshot
from rag.config import DEFAULT_MODEL, HASHING_MODEL, IndexConfig
from rag.distributed import SHARDS, ingest_ray
from rag.embedding import HashingEmbedder, load_embedder
from rag.errors import ConfigMismatchError, IngestError
from rag.ingest import IngestReport, ingest
from rag.parsing import parse_file

from .conftest import SAMPLES

# Ray Data's DataContext() warns about three fields it sets itself (ray 2.60); nothing else.
pytestmark = [
    pytest.mark.filterwarnings(f"ignore:`{name}` is deprecated:DeprecationWarning:ray.data.context")
    for name in ("use_push_based_shuffle", "use_polars", "use_arrow_tensor_v2")
]


HASHING = IndexConfig(model=HASHING_MODEL)


@pytest.fixture(scope="module", autouse=True)
def ray_cluster() -> Iterator[None]:
    """A new local cluster on loopback (conftest set Ray's environment before it was imported),
    whatever RAY_ADDRESS the environment holds."""
    ray.init(
        address="local",
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        logging_level="warning",
    )
    try:
        assert ray.nodes()[0]["NodeManagerAddress"] == "127.0.0.1"
        yield
    finally:
        ray.shutdown()


@pytest.fixture
def letters(tmp_path: Path, seeds_dir: Path, letters_dir: Path) -> list[Path]:
    """The seeds, four archive letters, a broken file and a second copy of a seed."""
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "broken.txt").write_text("not a letter at all")
    seed = sorted(seeds_dir.glob("*.txt"))[0]
    shutil.copy(seed, extra / seed.name)  # the same letter id: the later file wins
    return [seeds_dir, *sorted((letters_dir / "txt").glob("*.txt"))[:4], extra]


def _assert_same_index(a: Path, b: Path, atol: float = 0.0) -> None:
    left, right = VectorStore.load(a, verify=True), VectorStore.load(b, verify=True)
    assert left.payloads() == right.payloads()  # same chunks, in the same row order
    assert left.documents() == right.documents()
    assert left.record_bodies(range(left.records)) == right.record_bodies(range(right.records))
    assert left.row_records.tolist() == right.row_records.tolist()
    assert left.vocabulary_tokens() == right.vocabulary_tokens()
    rows = range(len(left))
    np.testing.assert_allclose(left.vectors(rows), right.vectors(rows), rtol=0, atol=atol)
    keep = ("dimension", "count", "records", "documents", "index_type", "config", "stats")
    assert {k: getattr(left.manifest, k) for k in keep} == {
        k: getattr(right.manifest, k) for k in keep
    }


def _summary(report: IngestReport) -> IngestReport:
    return replace(report, seconds=0, snapshot="", retried=[], resumed=0)


def test_ray_builds_the_same_index_and_skips_the_same_bad_letter(
    tmp_path: Path, letters: list[Path]
) -> None:
    local = ingest(letters, tmp_path / "local", HashingEmbedder())
    # Small tasks and batches: several of each, and a pool of 2 actors holding both CPUs.
    remote = ingest_ray(letters, tmp_path / "ray", HASHING, letters_per_task=3, chunks_per_batch=8)
    assert _summary(remote) == _summary(local)
    assert [Path(f).name for f, _ in remote.skipped] == ["broken.txt"]
    assert "IMR ISSUES" in remote.skipped[0][1]
    assert remote.retried == [] and remote.resumed == 0
    _assert_same_index(tmp_path / "local", tmp_path / "ray")
    assert not (tmp_path / "ray" / SHARDS).exists(), "shards are removed after the swap"


def test_ray_adds_to_an_existing_index_embedding_only_new_letters(
    tmp_path: Path, seeds_dir: Path
) -> None:
    ingest([seeds_dir], tmp_path / "local", HashingEmbedder())
    shutil.copytree(tmp_path / "local", tmp_path / "ray", symlinks=True)
    more = [seeds_dir, SAMPLES / "sample-001.txt", SAMPLES / "sample-002.txt"]
    local = ingest(more, tmp_path / "local", HashingEmbedder())
    remote = ingest_ray(more, tmp_path / "ray", HASHING)
    assert remote.added == ["SX00-0000001", "SX00-0000002"] and len(remote.unchanged) == 5
    assert _summary(remote) == _summary(local)
    _assert_same_index(tmp_path / "local", tmp_path / "ray")


def test_ray_refuses_to_add_with_other_chunk_settings(tmp_path: Path, seeds_dir: Path) -> None:
    ingest([seeds_dir], tmp_path, HashingEmbedder())
    with pytest.raises(ConfigMismatchError, match="chunk_tokens: index 200, asked 100"):
        ingest_ray([seeds_dir], tmp_path, replace(HASHING, chunk_tokens=100))


@pytest.mark.slow
@pytest.mark.timeout(1800)  # the real model on a 2-CPU Ray cluster: past 600 s on busy cores
def test_ray_vectors_match_the_local_path_with_the_real_model(
    tmp_path: Path, seeds_dir: Path
) -> None:
    two = sorted(seeds_dir.glob("*.txt"))[:2]
    ingest(two, tmp_path / "local", load_embedder(DEFAULT_MODEL))
    # Parts of 3 chunks: two actors, and batches padded unlike the local path's.
    report = ingest_ray(two, tmp_path / "ray", IndexConfig(), chunks_per_batch=3)
    assert report.letters == 2 and not report.skipped
    _assert_same_index(tmp_path / "local", tmp_path / "ray", atol=1e-5)


def test_a_crashed_and_a_failing_parse_task_are_retried_and_reported(
    tmp_path: Path, seeds_dir: Path
) -> None:
    seeds = sorted(seeds_dir.glob("*.txt"))
    crash, fail, marks = seeds[0], seeds[3], tmp_path / "marks"
    marks.mkdir()

    def parse_once_badly(path: Path):  # runs in Ray workers; a marker file remembers attempt 1
        mark = marks / path.name
        if path in (crash, fail) and not mark.exists():
            mark.touch()
            if path == crash:
                os._exit(1)  # the worker process dies mid-task
            raise RuntimeError("the share went away")
        return parse_file(path)

    report = ingest_ray(
        [seeds_dir], tmp_path / "index", HASHING, parse=parse_once_badly, letters_per_task=1
    )
    assert report.letters == 5 and not report.skipped
    assert dict(report.retried) == {
        f"parse {crash}": "attempt 1: worker died, no error",
        f"parse {fail}": "attempt 1: RuntimeError: the share went away",
    }


def test_a_task_failing_on_every_attempt_stops_the_run_and_the_live_index_stays(
    tmp_path: Path, seeds_dir: Path
) -> None:
    ingest([seeds_dir], tmp_path, HashingEmbedder())
    live = current_snapshot(tmp_path)
    broken = sorted(seeds_dir.glob("*.txt"))[1]

    def parse_never(path: Path):
        if path == broken:
            raise KeyError("no such field")
        return parse_file(path)

    failure = f"parse {broken} failed on attempt 3: KeyError: 'no such field'"
    with pytest.raises(IngestError, match=re.escape(failure)):
        ingest_ray([seeds_dir], tmp_path, HASHING, parse=parse_never, letters_per_task=1)
    assert current_snapshot(tmp_path) == live


def test_a_letter_that_kills_its_worker_every_time_stops_the_run(
    tmp_path: Path, seeds_dir: Path
) -> None:
    poison = sorted(seeds_dir.glob("*.txt"))[1]

    def parse_or_die(path: Path):
        if path == poison:
            os._exit(1)
        return parse_file(path)

    # Ray retries a dead worker's task without bound; the attempt log stops it.
    with pytest.raises(IngestError, match=re.escape(f"parse {poison} failed on attempt")) as err:
        ingest_ray([seeds_dir], tmp_path, HASHING, parse=parse_or_die, letters_per_task=1)
    assert "giving up: 4 attempts failed" in str(err.value)


def test_a_run_that_fails_before_the_swap_is_resumed_from_its_shards(
    tmp_path: Path, seeds_dir: Path
) -> None:
    broken = replace(HASHING, index_type="no-such-index")
    with pytest.raises(StoreError, match="unknown index type"):
        ingest_ray([seeds_dir], tmp_path / "ray", broken)
    assert list((tmp_path / "ray" / SHARDS).glob("*/part-*.parquet")), "shards survive the crash"
    report = ingest_ray([seeds_dir], tmp_path / "ray", HASHING)
    assert report.resumed == report.chunks > 0, "every vector came from the shards"
    ingest([seeds_dir], tmp_path / "local", HashingEmbedder())
    _assert_same_index(tmp_path / "local", tmp_path / "ray")
    assert not (tmp_path / "ray" / SHARDS).exists()


def test_projection_divides_cpu_work_by_cores_and_chunks_by_gpu_rate() -> None:
    p = project(2_000_000, 3.3, 0.01, 2_700, nodes=4, cores_per_node=16)
    assert p.cpu_seconds == pytest.approx(2_000_000 * 0.01 / 64)  # 312.5 s
    assert p.embed_seconds == pytest.approx(6_600_000 / 10_800)  # 611.1 s
    assert p.seconds == pytest.approx(923.6, abs=0.1)


def test_bench_table_shows_rates_and_the_projection() -> None:
    rows = [
        BenchRow("local", 200, 660, 100.0),
        BenchRow("parse+chunk, 1 process", 200, 660, 2.0),
        BenchRow("ray", 200, 660, 50.0),
        BenchRow("ray + cluster start", 200, 660, 55.0),
    ]
    table = bench_table(rows, letters=2_000_000, rates=(2_700,), nodes=(1,))
    assert "local                         200     660    100.0       2.00      6.60" in table
    assert "ray                           200     660     50.0       4.00     13.20" in table
    assert "this machine, local path: 11.6 days" in table  # 2M / 2 letters/s
    # 1 node: 2M x 10 ms / 16 cores = 1250 s, plus 6.6M / 2,700 = 2444 s: 3694 s
    assert table.splitlines()[-1].split() == ["1", "1.0", "h"]
