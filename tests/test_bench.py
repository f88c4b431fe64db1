"""`imr bench` at a tiny size: the row schema, recall against exact search, the recommendation;
its embed, ingest and http parts and `python -m eval.load` run as the shipped commands they are.

No timing is asserted here: speed is measured by the bench command, never by a test.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from eval.bench import add_arguments, main
from eval.bench_index import KINDS, ivf_nlist, recall_at_k, recommend, synthetic_vectors
from eval.synth import iter_chunks
from rag.config import Settings
from rag.embedding import HashingEmbedder

from .processes import imr, run

ROW_KEYS = {"index", "n", "build_s", "bytes_per_vector", "recall_at_10", "p50_ms", "p99_ms"}


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_bench_at_2000_vectors_prints_one_row_per_index_type_and_flat_is_exact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _args(
        "--sizes", "2000", "--queries", "100", "--parts", "index", "--json",
        "--cache", str(tmp_path / "cache"), "--results", str(tmp_path / "results"),
    )  # fmt: skip
    assert main(args, Settings()) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["index"] for r in rows] == list(KINDS)
    for row in rows:
        assert ROW_KEYS <= row.keys()
        assert row["n"] == 2000
        assert 0.0 <= row["recall_at_10"] <= 1.0
        assert row["bytes_per_vector"] > 0 and row["build_s"] >= 0
        assert 0 < row["p50_ms"] <= row["p99_ms"]
    assert next(r for r in rows if r["index"] == "flat")["recall_at_10"] == 1.0
    assert len(list((tmp_path / "results").glob("bench-*.json"))) == 1
    assert len(list((tmp_path / "results").glob("bench-*.png"))) == 1


def test_recall_counts_a_tied_row_as_found_and_a_worse_row_as_missed() -> None:
    vectors = np.array([[1, 0], [1, 0], [0.6, 0.8], [0, 1]], dtype=np.float32)
    queries = np.array([[1, 0]], dtype=np.float32)
    exact = np.array([[1.0, 1.0]], dtype=np.float32)  # top 2: rows 0 and 1, both score 1
    assert recall_at_k(np.array([[1, 0]]), vectors, queries, exact, k=2) == 1.0
    assert recall_at_k(np.array([[0, 2]]), vectors, queries, exact, k=2) == 0.5
    assert recall_at_k(np.array([[3, -1]]), vectors, queries, exact, k=2) == 0.0


def test_synthetic_vectors_are_hashing_vectors_of_synthetic_chunks_and_nest_by_size() -> None:
    small, large = synthetic_vectors(50, seed=0), synthetic_vectors(120, seed=0)
    assert small.shape == (50, 384)
    assert np.array_equal(large[:50], small)
    texts = [c.embed_text for c in iter_chunks(50)]
    assert np.array_equal(small, HashingEmbedder(384).embed(texts))


def test_ivf_lists_grow_as_4_sqrt_n_with_enough_training_points() -> None:
    assert [ivf_nlist(n) for n in (2_000, 10_000, 100_000, 1_000_000)] == [32, 256, 1024, 4096]


def _row(index: str, n: int, p50: float, recall: float = 1.0, size: float = 400, **more) -> dict:
    return {
        "index": index, "n": n, "p50_ms": p50, "recall_at_10": recall, "bytes_per_vector": size,
        "target_met": recall >= 0.95, "params": {"knob": p50}, **more,
    }  # fmt: skip


def test_recommend_scales_flat_latency_to_its_budget_and_prefers_recall_under_filters() -> None:
    rows = [
        _row("flat", 100_000, 5.0, size=1536),
        _row("flat", 1_000_000, 50.0, size=1536),  # 0.05 us/vector: 10 ms at 200,000
        _row("hnsw", 1_000_000, 1.0, size=1800),  # too big
        _row("hnsw_sq8", 1_000_000, 2.0, recall=0.94),  # misses the target
        _row("hnsw_fp16", 1_000_000, 0.5, recall_at_10_filter_1pct=0.4),  # fast, weak filtered
        _row("ivf_fp16", 1_000_000, 3.0, recall_at_10_filter_1pct=0.8),
        _row("ivf_sq8", 100_000, 0.1, recall_at_10_filter_1pct=0.9),  # not the largest size
        _row("ivf_slow", 1_000_000, 80.0, recall_at_10_filter_1pct=0.99),  # over 50 ms
    ]
    found = recommend(rows)
    assert found["flat_max"] == 200_000
    assert found["approximate"] == {"index": "ivf_fp16", "params": {"knob": 3.0}, "n": 1_000_000}


def test_bench_arguments_parse_sizes_and_refuse_unknown_index_types() -> None:
    assert _args("--sizes", "10_000,100000").sizes == (10_000, 100_000)
    assert _args().parts == ("index", "http")
    with pytest.raises(SystemExit):
        _args("--kinds", "flat,annoy")


def test_search_part_times_the_shipped_retriever_over_a_synthetic_corpus(tmp_path: Path) -> None:
    args = _args(
        "--parts", "search", "--search-letters", "120",
        "--cache", str(tmp_path / "cache"), "--results", str(tmp_path / "results"),
    )  # fmt: skip
    assert main(args, Settings()) == 0
    report = json.loads(next((tmp_path / "results").glob("bench-*.json")).read_text())
    search = report["search"]
    assert search["letters"] == 120 and search["chunks"] > 120
    assert search["index_type"] == "flat"  # chosen by size: far under FLAT_MAX
    assert set(search["latency"]) == {
        "hybrid + re-rank (default)",
        "hybrid, no re-rank",
        "bm25",
        "dense",
    }
    assert all(0 < t["p50_ms"] <= t["p99_ms"] for t in search["latency"].values())


def _report(results: Path) -> dict:
    [path] = results.glob("bench-*.json")
    assert path.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return json.loads(path.read_text())


@pytest.mark.slow
def test_bench_embed_part_rates_the_real_model(tmp_path: Path) -> None:
    out = imr(
        "bench", "--parts", "embed", "--embed-chunks", "2",
        "--cache", str(tmp_path / "cache"), "--results", str(tmp_path / "results"),
        timeout=600,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    embedding = _report(tmp_path / "results")["embedding"]
    assert embedding["chunks"] == 2 and embedding["torch_threads"] >= 1
    assert set(embedding["sets"]) == {"full_250", "mixed_ingest"}
    for result in embedding["sets"].values():
        rates = result["chunks_per_s"]
        assert len(rates) == 10 and all(rate > 0 for rate in rates.values())
        assert result["best"] in rates and result["best_chunks_per_s"] == max(rates.values())
        assert result["mean_tokens"] > 0 and result["tokenize_chunks_per_s"] > 0


def test_bench_ingest_and_http_parts_on_a_tiny_size(tmp_path: Path) -> None:
    out = imr(
        "bench", "--parts", "ingest,http", "--ingest-letters", "4,8", "--http-requests", "5",
        "--cache", str(tmp_path / "cache"), "--results", str(tmp_path / "results"), "--json",
        env={"IMR_MODEL_NAME": "hashing"}, timeout=600,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    report = _report(tmp_path / "results")
    memory = report["ingest_memory"]
    assert [r["letters"] for r in memory["runs"]] == [4, 8]
    for r in memory["runs"]:
        assert r["chunks"] >= r["letters"] and r["peak_rss_mb"] >= r["streaming_rss_mb"] > 0
    http = report["http"]
    assert (http["letters"], http["items"]) == (199, 450)  # the real corpus, served by imr serve
    row = http["row"]
    assert row["index"] == "http /api/search (flat, hybrid)" and row["params"]["requests"] == 5
    assert 0 < row["p50_ms"] <= row["p99_ms"] and http["server_rss_mb"] > 0
    assert json.loads(out.stdout) == [row]


def test_load_runs_locust_against_imr_serve_and_reports(
    tmp_path: Path, hashing_index: Path
) -> None:
    summary_path = tmp_path / "summary.json"
    out = run(
        [sys.executable, "-m", "eval.load", "--index", str(hashing_index),
         "--users", "2", "--seconds", "3", "--json", str(summary_path)],
        env={"IMR_MODEL_NAME": "hashing"}, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    summary = json.loads(summary_path.read_text())
    assert (summary["users"], summary["seconds"]) == (2, 3)
    endpoints = summary["endpoints"]
    assert endpoints["Aggregated"]["requests"] > 0
    named = [row for name, row in endpoints.items() if name != "Aggregated"]
    assert sum(row["requests"] for row in named) == endpoints["Aggregated"]["requests"]
    assert all(row["failures"] == 0 for row in endpoints.values())
    assert 0 < summary["rss_mb_start"] <= summary["rss_mb_max"]
    assert out.stdout.splitlines()[0].split() == [
        "endpoint", "requests", "failures", "req/s", "p50", "ms", "p99", "ms"
    ]  # fmt: skip
