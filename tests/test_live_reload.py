"""Serving during a rebuild: searches running while a new snapshot is swapped in all succeed and
see the old or the new corpus, and the server picks up the new one without a restart."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from rag.config import Settings
from rag.embedding import HashingEmbedder
from rag.ingest import ingest

from .conftest import SAMPLES


def test_searches_during_swaps_all_succeed_and_see_old_or_new(tmp_path: Path, seeds_dir: Path):
    index_dir = tmp_path / "index"
    ingest([seeds_dir], index_dir, HashingEmbedder())
    old_ids = {p.stem for p in seeds_dir.glob("*.txt")}
    settings = Settings(index_dir=index_dir, model_name="hashing", rate_limit_per_minute=0)
    results: list[tuple[int, set[str]]] = []
    stop = threading.Event()

    def rebuild_repeatedly() -> None:
        for n in range(6):
            ingest(
                [SAMPLES if n % 2 == 0 else seeds_dir], index_dir, HashingEmbedder(), rebuild=True
            )
        stop.set()

    with TestClient(create_app(settings)) as client:
        client.app.state.live.check_every = 0.0  # look for a new snapshot on every request
        writer = threading.Thread(target=rebuild_repeatedly)
        writer.start()
        while not stop.is_set():
            response = client.get("/api/search", params={"q": "physical therapy", "k": 50})
            docs = {h["doc_id"] for h in response.json().get("hits", [])}
            results.append((response.status_code, docs))
        writer.join()
        client.app.state.live.reload_now()
        final = client.get("/api/search", params={"q": "physical therapy", "k": 50}).json()
    assert results and all(status == 200 for status, _ in results)
    sample_ids = {f"SX00-{n:07d}" for n in range(1, 100)}
    for _, docs in results:
        assert docs <= old_ids or docs <= sample_ids, f"a response mixed corpora: {docs}"
    assert any(docs and docs <= sample_ids for _, docs in results), "a swap was picked up live"
    assert {h["doc_id"] for h in final["hits"]} <= old_ids, "the last rebuild (seeds) is served"
