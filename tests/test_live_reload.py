"""Serving during a rebuild: searches running while a new snapshot is swapped in all succeed and
see the old or the new corpus, and the server picks up the new one without a restart, checking
every 2 s (docs/SCALE.md). A broken new snapshot is not served and does not stop the server."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from rag.config import Settings
from rag.embedding import HashingEmbedder
from rag.ingest import ingest

from .conftest import SAMPLES

SEEN_WITHIN_S = 60.0  # a deadline, not a pause: the writer waits on an event
SAMPLE_LETTERS = {f"SX00-{n:07d}" for n in range(1, 100)}


def _seed_letters(seeds_dir: Path) -> set[str]:
    return {f"file-{p.stem}" for p in seeds_dir.glob("*.txt")}


def test_searches_during_swaps_all_succeed_and_see_old_or_new(tmp_path: Path, seeds_dir: Path):
    index_dir = tmp_path / "index"
    ingest([seeds_dir], index_dir, HashingEmbedder())
    seed_ids = {f"file-{p.stem}" for p in seeds_dir.glob("*.txt")}
    sample_ids = {f"SX00-{n:07d}" for n in range(1, 100)}
    settings = Settings(index_dir=index_dir, model_name="hashing", rate_limit_per_minute=0)
    results: list[tuple[int, set[str]]] = []
    served: dict[str, threading.Event] = {"samples": threading.Event(), "seeds": threading.Event()}
    stop = threading.Event()
    failures: list[str] = []

    def rebuild_and_wait_until_served() -> None:
        try:
            for n in range(6):
                corpus = "samples" if n % 2 == 0 else "seeds"
                served[corpus].clear()
                ingest([SAMPLES if corpus == "samples" else seeds_dir], index_dir,
                       HashingEmbedder(), rebuild=True)  # fmt: skip
                if not served[corpus].wait(SEEN_WITHIN_S):
                    failures.append(f"rebuild {n} ({corpus}) was never served")
                    return
        finally:
            stop.set()

    with TestClient(create_app(settings)) as client:
        client.app.state.engine.check_every = 0.0  # look for a new snapshot on every request
        writer = threading.Thread(target=rebuild_and_wait_until_served)
        writer.start()
        deadline = time.monotonic() + 6 * SEEN_WITHIN_S
        while not stop.is_set() and time.monotonic() < deadline:
            response = client.get("/api/search", params={"q": "physical therapy", "k": 50})
            letters = {h["item"]["letter_id"] for h in response.json().get("hits", [])}
            results.append((response.status_code, letters))
            if letters and letters <= sample_ids:
                served["samples"].set()
            if letters and letters <= seed_ids:
                served["seeds"].set()
        writer.join(timeout=SEEN_WITHIN_S)
        assert not writer.is_alive() and not failures, failures
        client.app.state.engine.reload_now()
        final = client.get("/api/search", params={"q": "physical therapy", "k": 50}).json()
    assert results and all(status == 200 for status, _ in results)
    for _, letters in results:
        assert letters <= seed_ids or letters <= sample_ids, f"a response mixed corpora: {letters}"
    assert {h["item"]["letter_id"] for h in final["hits"]} <= seed_ids, "the last rebuild is served"


def _letters(client: TestClient) -> set[str]:
    response = client.get("/api/search", params={"q": "physical therapy", "k": 50})
    assert response.status_code == 200, response.text
    return {h["item"]["letter_id"] for h in response.json()["hits"]}


def _served_within(client: TestClient, wanted: Callable[[set[str]], bool], seconds: float) -> float:
    """Search until the results satisfy `wanted`; the time they first did. Fails at the deadline."""
    deadline = time.monotonic() + seconds
    while not wanted(_letters(client)):
        assert time.monotonic() < deadline, f"not served within {seconds:.0f} s"
        time.sleep(0.05)  # poll interval between searches
    return time.monotonic()


@contextmanager
def _logged(logger: str, fragment: str) -> Iterator[threading.Event]:
    """An event set when `logger` emits a record containing `fragment` (from any thread)."""
    seen = threading.Event()

    class Watch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if fragment in record.getMessage():
                seen.set()

    handler = Watch(logging.ERROR)
    logging.getLogger(logger).addHandler(handler)
    try:
        yield seen
    finally:
        logging.getLogger(logger).removeHandler(handler)


def test_the_server_looks_for_a_new_snapshot_every_2_seconds(tmp_path: Path, seeds_dir: Path):
    index_dir = tmp_path / "index"
    ingest([seeds_dir], index_dir, HashingEmbedder())
    settings = Settings(index_dir=index_dir, model_name="hashing", rate_limit_per_minute=0)
    before_load = time.monotonic()
    with TestClient(create_app(settings)) as client:
        assert client.app.state.engine.check_every == 2.0
        # One letter: the new snapshot is in place well within the 2 s, so a server that looked
        # sooner would serve it sooner (the first search after the swap starts the reload).
        ingest([SAMPLES / "sample-001.txt"], index_dir, HashingEmbedder(), rebuild=True)
        swapped = time.monotonic()
        seen = _served_within(client, lambda letters: letters == {"SX00-0000001"}, 60)
    assert seen - before_load >= 2.0, (
        f"the new snapshot (in place {swapped - before_load:.2f} s after the load began) "
        f"was served {seen - before_load:.2f} s after it, before 2 s had passed"
    )


def test_a_broken_new_snapshot_is_not_served_and_the_server_keeps_serving(
    tmp_path: Path, seeds_dir: Path
) -> None:
    index_dir = tmp_path / "index"
    ingest([seeds_dir], index_dir, HashingEmbedder())
    seeds = _seed_letters(seeds_dir)
    settings = Settings(index_dir=index_dir, model_name="hashing", rate_limit_per_minute=0)
    with (
        _logged("rag.engine", "still serving the previous snapshot") as failed,
        TestClient(create_app(settings)) as client,
    ):
        client.app.state.engine.check_every = 0.0  # look for a new snapshot on every request
        ingest([SAMPLES], index_dir, HashingEmbedder(), rebuild=True)
        vectors = index_dir / "current" / "vectors.faiss"
        vectors.write_bytes(vectors.read_bytes()[:100])  # the new snapshot cannot be loaded
        assert _letters(client) <= seeds  # this request starts a reload, which fails
        assert failed.wait(60), "the failed reload was not logged"
        for _ in range(3):
            assert _letters(client) <= seeds
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json()["letters"] == len(seeds)
        ingest([SAMPLES], index_dir, HashingEmbedder(), rebuild=True)  # repaired: served again
        _served_within(client, lambda letters: bool(letters) and letters <= SAMPLE_LETTERS, 60)


def _mapped(snapshot: Path) -> list[str]:
    """The files of `snapshot` this process has memory-mapped (from /proc/self/maps)."""
    prefix = str(snapshot.resolve())
    lines = Path("/proc/self/maps").read_text().splitlines()
    return sorted({line.split()[-1] for line in lines if line.split()[-1].startswith(prefix)})


def test_reload_keeps_the_old_snapshot_for_requests_in_flight_then_releases_it(
    tmp_path: Path, seeds_dir: Path
) -> None:
    import gc
    import weakref

    from rag.config import IndexConfig
    from rag.engine import Engine

    index_dir = tmp_path / "index"
    ingest([seeds_dir], index_dir, HashingEmbedder())
    engine = Engine(index_dir, IndexConfig(model="hashing"), live=True)
    in_flight = engine.view()  # a request that started before the swap holds its snapshot
    in_flight.search("physical therapy")
    old = in_flight.corpus.snapshot
    assert _mapped(old), "the snapshot's arrays are memory-mapped, not read into the heap"
    ingest([SAMPLES], index_dir, HashingEmbedder(), rebuild=True)
    assert engine.reload_now()
    assert engine.view().corpus.snapshot != old
    assert in_flight.search("physical therapy"), "the request in flight finishes on its snapshot"
    released = weakref.ref(in_flight)
    del in_flight  # the last request on the old snapshot ends
    gc.collect()
    assert released() is None, "nothing else keeps the old snapshot open"
    assert _mapped(old) == [], "its files are released: memory is not doubled"
