"""The real model's side of `imr bench`: embedding throughput on this machine (part `embed`),
ingest memory as the corpus grows (part `ingest`) and `/api/search` latency over HTTP on the
real corpus (part `http`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from eval.measure import rss_bytes, say, timed_ms
from eval.synth import iter_chunks, synth_letter
from rag.config import Settings

# ---- embedding throughput, ingest memory, HTTP ---------------------------------------------


def bench_embedding(
    settings: Settings, count: int, batch_sizes: Sequence[int] = (16, 32, 64)
) -> dict:
    """Chunks/s of the real model on CPU: plain `model.encode` against our batching, by batch
    size, length-sorted or in input order, over ~250-token and over mixed-length chunks."""
    import numpy as np
    import torch

    from rag.chunking import chunk_letters, make_splitter
    from rag.engine import Engine

    torch.set_num_threads(os.cpu_count() or 1)
    embedder = Engine.from_settings(replace(settings, batch_size=32)).embedder
    model = embedder.model
    splitter = make_splitter(settings.chunk_tokens, settings.chunk_overlap, embedder.count_tokens)
    letters = [synth_letter(i, 7) for i in range(1, count + 1)]  # 2.3 items each
    mixed = [c.embed_text for c in chunk_letters(letters, splitter)][:count]
    words = " ".join(c.text for c in iter_chunks(count * 3, 8)).split()
    full = [" ".join(words[i * 180 : (i + 1) * 180]) for i in range(count)]  # ~245 tokens each

    def timed(run: Callable[[list[str]], object], texts: list[str]) -> float:
        started = time.perf_counter()
        run(texts)
        return round(len(texts) / (time.perf_counter() - started), 2)

    def unsorted(b: int) -> Callable[[list[str]], object]:
        return lambda texts: [
            model.encode(texts[i : i + b], batch_size=b, normalize_embeddings=True)
            for i in range(0, len(texts), b)
        ]

    def ours(b: int) -> Callable[[list[str]], object]:
        embedder.batch_size = b
        return embedder.embed

    sets = {"full_250": full, "mixed_ingest": mixed}
    out: dict[str, Any] = {"torch_threads": torch.get_num_threads(), "chunks": count, "sets": {}}
    timed(lambda t: model.encode(t[:32]), full)  # warm up
    for name, texts in sets.items():
        tokens = [embedder.count_tokens(t) for t in texts]
        result: dict[str, Any] = {
            "mean_tokens": round(float(np.mean(tokens)), 1),
            "chunks_per_s": {},
        }
        rates = result["chunks_per_s"]
        rates["model.encode (plain, batch 32)"] = timed(
            lambda t: model.encode(t, normalize_embeddings=True), texts
        )
        for b in batch_sizes:
            say(f"embedding {name}: batch {b}")
            rates[f"model.encode batch {b} (sorts internally)"] = timed(
                lambda t, b=b: model.encode(t, batch_size=b, normalize_embeddings=True), texts
            )
            rates[f"SentenceTransformerEmbedder batch {b} (sorted, tokenised ahead)"] = timed(
                ours(b), texts
            )
            rates[f"per-batch encode {b} (input order, unsorted)"] = timed(unsorted(b), texts)
        started = time.perf_counter()
        for i in range(0, len(texts), 32):
            model.preprocess(texts[i : i + 32])
        result["tokenize_chunks_per_s"] = round(len(texts) / (time.perf_counter() - started), 1)
        best = max(rates, key=rates.get)
        plain = rates["model.encode (plain, batch 32)"]
        result.update(
            best=best, best_chunks_per_s=rates[best], ratio_vs_plain=round(rates[best] / plain, 3)
        )
        out["sets"][name] = result
    return out


def bench_ingest_memory(letter_counts: Sequence[int], cache: Path) -> dict[str, Any]:
    """Peak RSS of `imr ingest` (HashingEmbedder) over synthetic corpora of several sizes: letters
    stream through in batches, so what grows is the FAISS index itself (its bytes are reported
    beside the peak) and the per-letter bookkeeping (letter ids in the report)."""
    import tempfile

    from eval.synth import write_corpus
    from index.store import VECTORS, current_snapshot

    env = {**os.environ, "IMR_MODEL_NAME": "hashing"}
    baseline = _peak_rss_mb("import api.cli, rag.ingest, index.store", (), env)
    runs = []
    for count in letter_counts:
        letters = cache / f"synth-letters-{count}"
        if len(list(letters.glob("*.txt"))) != count:
            say(f"writing {count} synthetic letters to {letters}")
            write_corpus(letters, count)
        with tempfile.TemporaryDirectory() as index_dir:
            say(f"imr ingest of {count} letters")
            args = ("ingest", str(letters), "--index", index_dir, "--quiet", "--json")
            started = time.perf_counter()
            peak = _peak_rss_mb("from api.cli import main; sys.exit(main(sys.argv[1:]))", args, env)
            seconds = time.perf_counter() - started
            snapshot = current_snapshot(Path(index_dir))
            chunks = json.loads((snapshot / "manifest.json").read_text())["count"]
            index_mb = (snapshot / VECTORS).stat().st_size / 2**20
        with tempfile.TemporaryDirectory() as index_dir:
            # The same ingest, sampling RSS after each batch: the streaming part alone
            streaming = _peak_rss_mb(_SAMPLED_INGEST, (str(letters), index_dir), env, "STREAM")
        runs.append(
            {
                "letters": count,
                "chunks": chunks,
                "peak_rss_mb": peak,
                "streaming_rss_mb": streaming,
                "faiss_index_mb": round(index_mb, 1),
                "seconds": round(seconds, 1),
            }
        )
        say(
            f"{count} letters, {chunks} chunks: peak RSS {peak} MB (while streaming "
            f"{streaming} MB), index {index_mb:.1f} MB"
        )
    small, large = runs[0], runs[-1]
    letters = max(1, large["letters"] - small["letters"])
    growth = (large["peak_rss_mb"] - small["peak_rss_mb"]) / letters
    index_growth = (large["faiss_index_mb"] - small["faiss_index_mb"]) / letters
    streaming = (large["streaming_rss_mb"] - small["streaming_rss_mb"]) / letters
    return {
        "embedder": "hashing",
        "baseline_rss_mb": baseline,
        "runs": runs,
        "streaming_growth_kb_per_letter": round(streaming * 1024, 2),
        "growth_kb_per_letter": round(growth * 1024, 2),
        "index_kb_per_letter": round(index_growth * 1024, 2),
        "growth_beyond_index_kb_per_letter": round((growth - index_growth) * 1024, 2),
    }


# The child reports its own high-water mark at exit: ru_maxrss from wait4 would also count the
# parent's resident pages at fork (Linux carries them over exec), and this parent holds the model.
_HWM = (
    "import atexit, re, sys; atexit.register(lambda: sys.stderr.write('\\nVmHWM ' + "
    "re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1) + '\\n'))\n"
)


_SAMPLED_INGEST = """
from pathlib import Path
from rag.config import IndexConfig
from rag.engine import Engine
sampled = [0]
def progress(total):
    def tick(n):
        status = open("/proc/self/status").read()
        sampled[0] = max(sampled[0], int(re.search(r"VmRSS:\\s+(\\d+)", status).group(1)))
    return tick
engine = Engine(Path(sys.argv[2]), IndexConfig(model="hashing"))
engine.ingest([Path(sys.argv[1])], progress=progress)
sys.stderr.write(f"\\nSTREAM {sampled[0]}\\n")
"""


def _peak_rss_mb(code: str, args: Sequence[str], env: dict[str, str], key: str = "VmHWM") -> float:
    """Peak resident MB of `python -c code *args`, as the process itself saw it (or the figure
    the code wrote to stderr after `key`)."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", _HWM + code, *args], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(
            f"python -c {code!r} {args} exited {done.returncode}: {done.stderr[-500:]}"
        )
    return round(int(done.stderr.rsplit(f"{key} ", 1)[1].split()[0]) / 1024, 1)  # /proc: kB


def bench_http(settings: Settings, cache: Path, requests: int) -> dict[str, Any]:
    """p50/p99 of GET /api/search against `imr serve` (a child process, as users run it) over
    the real corpus freshly indexed with the real model, and the in-process parts alone."""
    import tempfile

    import faiss
    import numpy as np

    from eval.dataset import default_letter_paths, load_queries
    from rag.engine import Engine

    cache.mkdir(parents=True, exist_ok=True)
    queries = [q.query for q in load_queries()]
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        index_dir = Path(tmp)
        say(f"indexing the real corpus with {settings.model_name}")
        started = time.perf_counter()
        engine = Engine.from_settings(replace(settings, index_dir=index_dir))
        built = engine.ingest(default_letter_paths())
        build_s = time.perf_counter() - started
        say(f"serving {built.chunks} chunks; {requests} requests to /api/search")
        times, server_rss = _time_requests(index_dir, settings.model_name, queries, requests)
        engine = Engine.from_settings(replace(settings, index_dir=index_dir), threads=1)
        for q in queries:
            engine.search(q, 10)  # warm up, as the server was
        embed_ms = [timed_ms(engine.embedder.embed, [q]) for q in queries * 2]
        search_ms = [timed_ms(engine.search, q, 10) for q in queries * 2]
        store = engine.view().corpus.store
        index_bytes = int(faiss.serialize_index(store.index).nbytes)
        kind = store.manifest.index_type
        store.close()
    return {
        "row": {
            "index": f"http /api/search ({kind}, {settings.retrieval_mode})",
            "n": built.chunks,
            "vectors": f"{settings.model_name} over the real corpus ({built.letters} letters)",
            "params": {"requests": requests, "queries": len(queries), "k": 10},
            "build_s": round(build_s, 2),
            "bytes_per_vector": round(index_bytes / built.chunks, 1),
            "recall_at_10": None,
            "p50_ms": round(float(np.percentile(times, 50)), 3),
            "p99_ms": round(float(np.percentile(times, 99)), 3),
        },
        "letters": built.letters,
        "items": built.items,
        "server_rss_mb": round(server_rss / 2**20, 1),
        "in_process_p50_ms": {
            "query embedding": round(float(np.percentile(embed_ms, 50)), 3),
            "Retriever.search (embed, BM25, FAISS, fuse)": round(
                float(np.percentile(search_ms, 50)), 3
            ),
        },
    }


def _time_requests(
    index_dir: Path, model: str, queries: list[str], requests: int
) -> tuple[list[float], int]:
    """Start `imr serve` on a free port, send one warm-up pass of `queries`, then time
    `requests` sequential searches on one keep-alive connection; returns ms and server RSS."""
    import socket
    import subprocess
    import urllib.parse

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ, "IMR_INDEX_DIR": str(index_dir), "IMR_MODEL_NAME": model,
        "IMR_HOST": "127.0.0.1", "IMR_PORT": str(port), "IMR_RATE_LIMIT_PER_MINUTE": "0",
    }  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        conn = _wait_for_server(port, server)
        times = []
        for n in range(len(queries) + requests):
            query = urllib.parse.urlencode({"q": queries[n % len(queries)], "k": 10})
            started = time.perf_counter()
            conn.request("GET", f"/api/search?{query}")
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"GET /api/search?{query} answered {response.status}")
            if n >= len(queries):
                times.append((time.perf_counter() - started) * 1000)
        return times, rss_bytes(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for_server(port: int, server: Any, timeout: float = 300.0) -> Any:
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"imr serve exited with {server.returncode} before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                return conn
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"imr serve did not answer /healthz within {timeout:.0f}s")


def bench_search_at_scale(letters: int, cache: Path, added: int = 1_000) -> dict[str, Any]:
    """The shipped search over `letters` synthetic letters indexed with the hashing embedder (the
    real model would take days here; its query embedding is measured by the http part).

    In fresh processes: loading the engine (seconds, resident MB), warm `Engine.search` p50/p99
    per mode, the real model's own resident MB, and adding `added` more letters to a copy of the
    index (seconds, peak MB). Plus the snapshot's bytes on disk.
    """
    import shutil
    import tempfile

    from eval.synth import write_corpus
    from index.store import current_snapshot

    corpus = cache / f"synth-letters-{letters}"
    if len(list(corpus.glob("*.txt"))) != letters:
        say(f"writing {letters:,} synthetic letters to {corpus}")
        write_corpus(corpus, letters)
    index_dir = cache / f"index-synth-{letters}"
    build_s = None
    if not (index_dir / "current").exists():
        say(f"ingesting {letters:,} letters (hashing embedder) into {index_dir}")
        started = time.perf_counter()
        _run_child(_INGEST, [str(corpus), str(index_dir)], "ingest")
        build_s = round(time.perf_counter() - started, 1)
    snapshot = current_snapshot(index_dir)
    say("loading the engine and timing searches in a fresh process")
    serving = _run_child(_SERVE, [str(index_dir)], "serve")
    say(f"serving: {serving}")
    model = _run_child(_MODEL, [], "model")
    new_letters = cache / f"synth-letters-extra-{added}"
    if len(list(new_letters.glob("*.txt"))) != added:
        write_corpus(new_letters, added, seed=1)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        copy = Path(tmp) / "index"
        say(f"copying the index to add {added:,} letters to it")
        shutil.copytree(index_dir, copy, symlinks=True)
        add = _run_child(_INGEST, [str(new_letters), str(copy)], "add")
    say(f"added {added:,} letters: {add}")
    return {
        "letters": letters,
        "build_s": build_s,
        "disk_bytes": sum(p.stat().st_size for p in snapshot.rglob("*") if p.is_file()),
        "embedder": "hashing (query embedding with the real model: see the http part)",
        **serving,
        "model_rss_mb": model["rss_mb"],
        f"add_{added}_letters": add,
    }


_RSS = """
import json, sys, time, resource
def rss_mb():
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) / 1024
def peak_mb():
    return int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024
"""
_INGEST = (
    _RSS
    + """
from pathlib import Path
from rag.config import IndexConfig
from rag.engine import Engine
letters, index_dir = Path(sys.argv[1]), Path(sys.argv[2])
base = rss_mb()
started = time.perf_counter()
report = Engine(index_dir, IndexConfig(model="hashing")).ingest([letters])
print(json.dumps({"seconds": round(time.perf_counter() - started, 1), "letters": report.letters,
    "chunks": report.chunks, "embedded": report.embedded, "peak_mb": round(peak_mb(), 1),
    "start_mb": round(base, 1)}))
"""
)
_SERVE = (
    _RSS
    + """
from pathlib import Path
import numpy as np
from eval.dataset import load_queries
from rag.config import IndexConfig, Mode
from rag.engine import Engine
engine = Engine(Path(sys.argv[1]), IndexConfig(model="hashing"))
engine.embedder  # the hashing embedder: nothing to load
base = rss_mb()
queries = [q.query for q in load_queries()]
started = time.perf_counter()
view = engine.view()
engine.search(queries[0], 10)  # the first answer: every lazily opened file included
load_s = time.perf_counter() - started
loaded = rss_mb()
modes = {"hybrid + re-rank (default)": {}, "hybrid, no re-rank": {"rerank": False},
         "bm25": {"mode": Mode.BM25}, "dense": {"mode": Mode.DENSE}}
latency = {}
for name, options in modes.items():
    for q in queries:
        engine.search(q, 10, **options)
    times = []
    for q in queries * 2:
        t = time.perf_counter()
        engine.search(q, 10, **options)
        times.append((time.perf_counter() - t) * 1000)
    latency[name] = {"p50_ms": round(float(np.percentile(times, 50)), 2),
                     "p99_ms": round(float(np.percentile(times, 99)), 2)}
engine.stats()
manifest = view.corpus.store.manifest
print(json.dumps({"chunks": manifest.count, "items": manifest.records,
    "index_type": manifest.index_type, "index_params": manifest.index_params,
    "load_s": round(load_s, 2), "load": "opening the engine and answering one query",
    "process_base_mb": round(base, 1),
    "rss_after_load_mb": round(loaded - base, 1), "rss_after_queries_mb": round(rss_mb() - base, 1),
    "queries": len(queries) * 2, "latency": latency}))
"""
)
_MODEL = (
    _RSS
    + """
base = rss_mb()
from rag.embedding import load_embedder
embedder = load_embedder("all-MiniLM-L6-v2", threads=1)
embedder.embed(["Norco 10/325mg #120"])
print(json.dumps({"rss_mb": round(rss_mb() - base, 1)}))
"""
)


def _run_child(code: str, args: Sequence[str], what: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=4 * 3600
    )
    if done.returncode:
        raise RuntimeError(f"bench {what} exited {done.returncode}: {done.stderr[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
