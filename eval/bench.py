"""`imr bench`: what each index type costs and how fast it answers, by corpus size.

Speed is measured here, never in tests. Vectors for the 10k-1M sizes are HashingEmbedder(384)
vectors of synthetic chunks (eval.synth): the real model embeds about 25 chunks/s on 2 cores, so
a million chunks would take 11 hours. Every row names where its vectors came from. Recall@10 is
measured against exact search and counts ties as ann-benchmarks does: a returned row is right
when its exact score reaches the 10th exact score.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.synth import chunk_determination, iter_chunks, synth_determination
from rag.config import Settings

if TYPE_CHECKING:  # numpy and faiss load in the functions, so `imr --help` stays instant
    import faiss
    import numpy as np

HASHING = "hashing-384 over synthetic chunks (eval.synth), not the real model"
KINDS = ("flat", "hnsw", "hnsw_sq8", "ivf_sq8", "ivf_fp16", "hnsw_fp16")
FACTORY = {  # kinds index/store.py cannot build yet; M=16 keeps HNSW+fp16 under 1,000 B/vector
    "ivf_sq8": "IVF{nlist},SQ8",
    "ivf_fp16": "IVF{nlist},SQfp16",
    "hnsw_fp16": "HNSW16,SQfp16",
}
PARTS = ("index", "http", "embed", "ingest")
K = 10
DEPTH = 200  # what Retriever asks the vector index for (max(200, k * 20))
TARGET_RECALL = 0.95
SEARCH_BUDGET_MS = 50.0  # warm search p50 target at 1M chunks
FLAT_BUDGET_MS = 10.0  # the vector search's share of it: query embedding and BM25 take the rest
MAX_BYTES_PER_VECTOR = 1000  # under 1 GB per million chunks
EF_SEARCH = (16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)
NPROBE = (1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256)
TIE_EPS = 1e-4
FILTER_SHARES = (0.1, 0.01)  # outcome=Overturned keeps ~11% of rows; a treatment filter ~1%
LETTERS_PER_BLOCK = 2000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `imr bench`."""
    parser.add_argument("--sizes", type=_ints, default=(10_000, 100_000, 1_000_000))
    parser.add_argument("--kinds", type=_names(KINDS), default=KINDS, help="index types")
    parser.add_argument(
        "--parts", type=_names(PARTS), default=("index", "http"), help=f"of {','.join(PARTS)}"
    )
    parser.add_argument("--queries", type=int, default=1000, help="held-out queries per size")
    parser.add_argument("--target-recall", type=float, default=TARGET_RECALL)
    parser.add_argument("--http-requests", type=int, default=325)
    parser.add_argument("--embed-chunks", type=int, default=256)
    parser.add_argument("--ingest-letters", type=_ints, default=(500, 2000, 8000))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, default=Path("var/bench"), help="vectors, indexes")
    parser.add_argument("--results", type=Path, default=Path("eval/results"))
    parser.add_argument("--json", action="store_true", help="print the rows as a JSON list")


def main(args: argparse.Namespace, settings: Settings) -> int:
    """Run the parts asked for into bench-<time>.json (saved after every row, so a crash keeps
    what was measured) and bench-<time>.png, then print a table or the JSON rows."""
    import importlib

    # Load now what later parts use: an edit to the tree during an hour-long run must not mix
    # old and new modules in this process.
    for module in ("rag.chunking", "rag.ingest", "rag.service", "eval.dataset"):
        importlib.import_module(module)
    args.results.mkdir(parents=True, exist_ok=True)
    json_path = args.results / time.strftime("bench-%Y%m%d-%H%M%S.json")
    report: dict[str, Any] = {"machine": _machine(), "rows": []}

    def save() -> None:
        json_path.write_text(json.dumps(report, indent=2) + "\n")

    if "index" in args.parts:
        sizes, kinds, seed = args.sizes, args.kinds, args.seed
        for row in bench_indexes(sizes, kinds, args.queries, seed, args.cache, args.target_recall):
            report["rows"].append(row)
            save()
        report["recommendation"] = recommend(report["rows"], args.target_recall)
    if "embed" in args.parts:
        report["embedding"] = bench_embedding(settings, args.embed_chunks)
        save()
    if "ingest" in args.parts:
        report["ingest_memory"] = bench_ingest_memory(args.ingest_letters, args.cache)
        save()
    if "http" in args.parts:
        report["http"] = bench_http(settings, args.cache, args.http_requests)
        report["rows"].append(report["http"]["row"])
    save()
    png_path = draw_chart(report["rows"], json_path.with_suffix(".png"))
    _say(f"wrote {json_path} and {png_path}")
    if args.json:
        sys.stdout.write(json.dumps(report["rows"], indent=1) + "\n")
    else:
        sys.stdout.write(format_report(report) + "\n")
    return 0


# ---- vectors -------------------------------------------------------------------------------


def synthetic_vectors(count: int, seed: int, cache: Path | None = None) -> np.ndarray:
    """HashingEmbedder(384) vectors of the first `count` synthetic chunks of corpus `seed`.

    Letter i is the same for any count, so a smaller size is a prefix of a larger one. Big sets
    are embedded by one process per core and cached as .npy under `cache`.
    """
    import numpy as np

    stem = f"vectors-hashing384-seed{seed}-"
    path = cache / f"{stem}{count}.npy" if cache else None
    cached = (
        sorted(cache.glob(f"{stem}*.npy"), key=lambda p: int(p.stem.split("-")[-1]))
        if cache
        else []
    )
    for found in cached:
        if int(found.stem.split("-")[-1]) >= count:
            return np.array(np.load(found, mmap_mode="r")[:count])
    if count < 20_000:
        vectors = _embed_texts([c.embed_text for c in iter_chunks(count, seed)])
    else:
        vectors = _embed_in_parallel(count, seed)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def _embed_texts(texts: Sequence[str]) -> np.ndarray:
    from rag.embedding import HashingEmbedder

    return HashingEmbedder(384).embed(texts)


def _embed_letters(block: tuple[int, int, int]) -> np.ndarray:
    seed, start, stop = block
    texts = [
        c.embed_text
        for i in range(start, stop)
        for c in chunk_determination(synth_determination(i, seed))
    ]
    return _embed_texts(texts)


def _embed_in_parallel(count: int, seed: int) -> np.ndarray:
    import multiprocessing

    import numpy as np

    workers = os.cpu_count() or 1
    parts, made, start = [], 0, 1
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        while made < count:
            blocks = [
                (seed, s, s + LETTERS_PER_BLOCK)
                for s in range(start, start + workers * LETTERS_PER_BLOCK, LETTERS_PER_BLOCK)
            ]
            start += workers * LETTERS_PER_BLOCK
            for part in pool.map(_embed_letters, blocks):
                parts.append(part)
                made += len(part)
            _say(f"embedded {min(made, count):,} of {count:,} synthetic chunks")
    return np.vstack(parts)[:count]


# ---- indexes -------------------------------------------------------------------------------


def bench_indexes(
    sizes: Sequence[int],
    kinds: Sequence[str],
    queries: int,
    seed: int,
    cache: Path | None,
    target: float = TARGET_RECALL,
) -> Iterator[dict[str, Any]]:
    """One row per index kind and size, as each is measured: build time, size, recall@10
    against exact search, single-query latency."""
    base = synthetic_vectors(max(sizes), seed, cache)
    held_out = synthetic_vectors(queries, seed + 1, cache)  # other letters: never in the base
    for n in sorted(sizes):
        vectors = base[:n]
        exact = _exact_search(vectors, held_out)
        for kind in kinds:
            _say(f"{kind} at {n:,} vectors: building")
            row = bench_index(kind, vectors, held_out, exact, target)
            _say(
                f"{kind} at {n:,}: build {row['build_s']:.1f}s, recall@10 {row['recall_at_10']:.3f}"
                f" (by id {row['recall_at_10_by_id']:.3f}), p50 {row['p50_ms']:.2f} ms, "
                f"{row['bytes_per_vector']:.0f} B/vector, {row['params']}"
            )
            yield row


def bench_index(
    kind: str,
    vectors: np.ndarray,
    queries: np.ndarray,
    exact: tuple[np.ndarray, np.ndarray],
    target: float,
) -> dict[str, Any]:
    """Build `kind` over `vectors`, sweep its search knob, and time single queries at the
    smallest setting whose recall@10 reaches `target` (the best one when none does)."""
    import faiss

    faiss.omp_set_num_threads(os.cpu_count() or 1)
    rss = _rss_bytes()
    started = time.perf_counter()
    index, params = build_kind(kind, vectors)
    build_s = time.perf_counter() - started
    rss_delta = _rss_bytes() - rss
    index_bytes = int(faiss.serialize_index(index).nbytes)
    knob, values = _knob(kind)
    sweep = {}  # knob value -> (recall@10 counting ties, recall@10 by row id)
    for value in values or (None,):
        _set_knob(index, knob, value)
        _, found = index.search(queries, K)
        sweep[value] = (
            recall_at_k(found, vectors, queries, exact[0]),
            _recall_by_id(found, exact[1]),
        )
    good = [v for v in sweep if min(sweep[v]) >= target]  # both definitions reach the target
    chosen = good[0] if good else max(sweep, key=lambda v: min(sweep[v]))
    _set_knob(index, knob, chosen)
    load = os.getloadavg()[0]
    p50, p99 = latency_ms(index, queries, K)
    p50_depth, _ = latency_ms(index, queries[:200], DEPTH)
    filtered = {
        f"recall_at_10_filter_{share * 100:g}pct": filtered_recall(
            index, knob, chosen, vectors, queries, share
        )
        for share in FILTER_SHARES
    }
    return {
        "index": kind,
        "n": len(vectors),
        "vectors": HASHING,
        "params": {**params, **({knob: chosen} if knob else {})},
        "build_s": round(build_s, 3),
        "index_bytes": index_bytes,
        "bytes_per_vector": round(index_bytes / len(vectors), 1),
        "rss_delta_mb": round(rss_delta / 2**20, 1),
        "recall_at_10": round(sweep[chosen][0], 4),
        "recall_at_10_by_id": round(sweep[chosen][1], 4),
        "target_met": bool(good),
        "p50_ms": round(p50, 3),
        "p99_ms": round(p99, 3),
        f"p50_ms_k{DEPTH}": round(p50_depth, 3),
        **filtered,
        "exact_over_1pct_ms": _exact_over_subset_ms(index, queries, 0.01) if knob else None,
        "sweep": {str(v): [round(r, 4) for r in rs] for v, rs in sweep.items()} if knob else {},
        "load_1m": round(load, 2),  # other work on the machine while it was timed
    }


def build_kind(kind: str, vectors: np.ndarray) -> tuple[faiss.Index, dict[str, Any]]:
    """The index of `kind`: the store's own kinds through build_index, the others (FACTORY)
    through faiss.index_factory, to show what adding them to index/store.py would buy."""
    import faiss
    import numpy as np

    from index.store import HNSW_PARAMS, build_index

    if kind not in FACTORY:
        params = (
            {k: v for k, v in HNSW_PARAMS.items() if k != "ef_search"} if "hnsw" in kind else {}
        )
        return build_index(vectors, kind, **params), params
    nlist = ivf_nlist(len(vectors))
    index = faiss.index_factory(
        vectors.shape[1], FACTORY[kind].format(nlist=nlist), faiss.METRIC_INNER_PRODUCT
    )
    if kind.startswith("hnsw"):
        index.hnsw.efConstruction = HNSW_PARAMS["ef_construction"]
        params = {"m": index.hnsw.nb_neighbors(1), "ef_construction": index.hnsw.efConstruction}
    else:
        params = {"nlist": nlist}
    sample = np.random.default_rng(0).permutation(len(vectors))[: 64 * nlist]
    index.train(vectors[np.sort(sample)])  # 64 points per list trains k-means well, and fast
    index.add(vectors)
    if kind.startswith("ivf"):  # reconstruct(row), which VectorStore.vectors needs, needs it
        faiss.extract_index_ivf(index).make_direct_map()
    return index, params


def ivf_nlist(n: int) -> int:
    """About 4 * sqrt(n) lists, a power of two, with at least 39 training points per list."""
    nlist = 2 ** round(math.log2(4 * math.sqrt(n)))
    while nlist > 1 and nlist * 39 > n:
        nlist //= 2
    return nlist


def _knob(kind: str) -> tuple[str | None, tuple[int, ...]]:
    if "hnsw" in kind:
        return "efSearch", EF_SEARCH
    if kind.startswith("ivf"):
        return "nprobe", NPROBE
    return None, ()


def _set_knob(index: faiss.Index, knob: str | None, value: int | None) -> None:
    import faiss

    if knob == "efSearch":
        index.hnsw.efSearch = int(value)
    elif knob == "nprobe":
        faiss.extract_index_ivf(index).nprobe = int(value)


def _exact_search(vectors: np.ndarray, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import faiss

    faiss.omp_set_num_threads(os.cpu_count() or 1)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    return flat.search(queries, K)


def recall_at_k(
    found: np.ndarray, vectors: np.ndarray, queries: np.ndarray, exact: np.ndarray, k: int = K
) -> float:
    """Share of the first `k` returned rows whose exact score reaches the k-th exact score.

    Counting by score rather than by row id (as ann-benchmarks does) keeps tied and duplicate
    vectors from looking like misses.
    """
    import numpy as np

    hits = 0
    for q, rows in enumerate(found[:, :k]):
        rows = rows[rows >= 0]
        hits += int(np.count_nonzero(vectors[rows] @ queries[q] >= exact[q, k - 1] - TIE_EPS))
    return hits / (len(found) * k)


def filtered_recall(
    index: faiss.Index,
    knob: str | None,
    value: int | None,
    vectors: np.ndarray,
    queries: np.ndarray,
    share: float,
) -> float:
    """Recall@10 when an ID selector lets only a random `share` of rows through, as Retriever's
    filters do inside FAISS (HNSW gets efSearch >= 64 then, as VectorStore.search gives it)."""
    import faiss
    import numpy as np

    queries = queries[:200]
    allowed = np.sort(
        np.random.default_rng(1).permutation(len(vectors))[: max(K, int(len(vectors) * share))]
    )
    selector = faiss.IDSelectorBatch(allowed)
    if knob == "efSearch":
        params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(int(value), 64))
    elif knob == "nprobe":
        params = faiss.SearchParametersIVF(sel=selector, nprobe=int(value))
    else:
        params = faiss.SearchParameters(sel=selector)
    _, found = index.search(queries, K, params=params)
    top = np.partition(queries @ vectors[allowed].T, -K, axis=1)[:, -K:]
    exact = -np.sort(-top, axis=1)  # the exact top K scores among the allowed rows, best first
    return round(recall_at_k(found, vectors, queries, exact), 4)


def _exact_over_subset_ms(index: faiss.Index, queries: np.ndarray, share: float) -> float:
    """p50 ms of exact search over a random `share` of rows decoded from the index: what a
    store can do instead of a filtered approximate search when a filter leaves few rows."""
    import numpy as np

    n = index.ntotal
    allowed = np.sort(np.random.default_rng(2).permutation(n)[: max(K, int(n * share))])
    times = []
    for q in queries[:30]:
        started = time.perf_counter()
        scores = index.reconstruct_batch(allowed) @ q
        top = np.argpartition(-scores, K)[:K]
        _rows = allowed[top[np.argsort(-scores[top])]]
        times.append((time.perf_counter() - started) * 1000)
    return round(float(np.median(times)), 3)


def _recall_by_id(found: np.ndarray, exact_rows: np.ndarray) -> float:
    """The plain definition: the share of the exact top-k row ids returned."""
    import numpy as np

    return float(
        np.mean([len(set(f) & set(e)) / K for f, e in zip(found, exact_rows, strict=True)])
    )


def latency_ms(index: faiss.Index, queries: np.ndarray, k: int) -> tuple[float, float]:
    """p50 and p99 of one query at a time, one thread: a server runs one search per request."""
    import faiss
    import numpy as np

    faiss.omp_set_num_threads(1)
    for q in queries[:20]:
        index.search(q[None], k)  # warm caches
    times = []
    for q in queries:
        started = time.perf_counter()
        index.search(q[None], k)
        times.append((time.perf_counter() - started) * 1000)
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    return float(np.percentile(times, 50)), float(np.percentile(times, 99))


def recommend(rows: Sequence[dict[str, Any]], target: float = TARGET_RECALL) -> dict[str, Any]:
    """FLAT_MAX and the approximate index to use above it, read off the measurements.

    Flat search costs time linear in n, so FLAT_MAX is where the flat p50 measured at the largest
    size, scaled linearly, reaches FLAT_BUDGET_MS. Above it: of the kinds that meet the recall
    target within MAX_BYTES_PER_VECTOR and SEARCH_BUDGET_MS at the largest size, the one that
    keeps the most recall under a 1% filter (Retriever filters inside FAISS), then the fastest.
    """
    flat = [r for r in rows if r["index"] == "flat"]
    out: dict[str, Any] = {"target_recall": target, "flat_budget_ms": FLAT_BUDGET_MS}
    if flat:
        largest = max(flat, key=lambda r: r["n"])
        out["flat_max"] = _round_down(FLAT_BUDGET_MS / (largest["p50_ms"] / largest["n"]))
    top_n = max((r["n"] for r in rows if r["index"] != "flat"), default=None)
    fits = [
        r
        for r in rows
        if r["n"] == top_n
        and r["index"] != "flat"
        and r.get("target_met")
        and r["bytes_per_vector"] <= MAX_BYTES_PER_VECTOR
        and r["p50_ms"] <= SEARCH_BUDGET_MS
    ]
    if fits:
        best = max(fits, key=lambda r: (r.get("recall_at_10_filter_1pct", 0), -r["p50_ms"]))
        out["approximate"] = {"index": best["index"], "params": best["params"], "n": top_n}
    return out


def _round_down(x: float) -> int:
    """Down to one significant figure: 137,000 -> 100,000; 260,000 -> 200,000."""
    step = 10 ** int(math.log10(x))
    return int(x // step * step)


# ---- embedding throughput, ingest memory, HTTP ---------------------------------------------


def bench_embedding(
    settings: Settings, count: int, batch_sizes: Sequence[int] = (16, 32, 64)
) -> dict:
    """Chunks/s of the real model on CPU: plain `model.encode` against our batching, by batch
    size, length-sorted or in input order, over ~250-token and over mixed-length chunks."""
    import numpy as np
    import torch

    from rag.chunking import chunk_determinations, make_splitter
    from rag.embedding import SentenceTransformerEmbedder

    torch.set_num_threads(os.cpu_count() or 1)
    embedder = SentenceTransformerEmbedder(batch_size=32)
    model = embedder.model
    splitter = make_splitter(settings.chunk_tokens, settings.chunk_overlap, embedder.count_tokens)
    dets = [synth_determination(i, 7) for i in range(1, count + 1)]  # 2.3 items each
    mixed = [c.embed_text for c in chunk_determinations(dets, splitter)][:count]
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
            _say(f"embedding {name}: batch {b}")
            rates[f"model.encode batch {b} (sorts internally)"] = timed(
                lambda t, b=b: model.encode(t, batch_size=b, normalize_embeddings=True), texts
            )
            rates[f"SentenceTransformerEmbedder batch {b} (length-sorted)"] = timed(ours(b), texts)
            rates[f"per-batch encode {b} (input order, unsorted)"] = timed(unsorted(b), texts)
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
    beside the peak) and the per-letter bookkeeping (doc_ids in the report)."""
    import tempfile

    from eval.synth import write_corpus
    from index.store import VECTORS, current_snapshot

    env = {**os.environ, "IMR_MODEL_NAME": "hashing"}
    baseline = _peak_rss_mb("import api.cli, rag.ingest, index.store", (), env)
    runs = []
    for count in letter_counts:
        letters = cache / f"synth-letters-{count}"
        if len(list(letters.glob("*.txt"))) != count:
            _say(f"writing {count} synthetic letters to {letters}")
            write_corpus(letters, count)
        with tempfile.TemporaryDirectory() as index_dir:
            _say(f"imr ingest of {count} letters")
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
        _say(
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
from rag.embedding import HashingEmbedder
from rag.ingest import ingest
sampled = [0]
def progress(total):
    def tick(n):
        status = open("/proc/self/status").read()
        sampled[0] = max(sampled[0], int(re.search(r"VmRSS:\\s+(\\d+)", status).group(1)))
    return tick
ingest([Path(sys.argv[1])], Path(sys.argv[2]), HashingEmbedder(), progress=progress)
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
    from rag.embedding import load_embedder
    from rag.ingest import ChunkSettings, ingest
    from rag.service import open_retriever

    cache.mkdir(parents=True, exist_ok=True)
    queries = [q.query for q in load_queries()]
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        index_dir = Path(tmp)
        _say(f"indexing the real corpus with {settings.model_name}")
        chunking = ChunkSettings(settings.chunk_tokens, settings.chunk_overlap)
        started = time.perf_counter()
        embedder = load_embedder(settings.model_name, settings.batch_size)
        built = ingest(default_letter_paths(), index_dir, embedder, chunking)
        build_s = time.perf_counter() - started
        _say(f"serving {built.chunks} chunks; {requests} requests to /api/search")
        times, server_rss = _time_requests(index_dir, settings.model_name, queries, requests)
        retriever = open_retriever(index_dir, settings.model_name, settings.retrieval_mode)
        for q in queries:
            retriever.search(q, 10)  # warm up, as the server was
        embed_ms = [_timed_ms(retriever.embedder.embed, [q]) for q in queries * 2]
        search_ms = [_timed_ms(retriever.search, q, 10) for q in queries * 2]
        index_bytes = int(faiss.serialize_index(retriever.store.index).nbytes)
        kind = retriever.store.manifest.index_type
        retriever.store.close()
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
        return times, _rss_bytes(server.pid)
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


def _timed_ms(fn: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - started) * 1000


# ---- output --------------------------------------------------------------------------------


def draw_chart(rows: Sequence[dict[str, Any]], path: Path) -> Path:
    """p50 latency and recall@10 against size, one line per index type."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.4))
    kinds = dict.fromkeys(r["index"] for r in rows if r["recall_at_10"] is not None)
    for kind in kinds:
        mine = sorted((r for r in rows if r["index"] == kind), key=lambda r: r["n"])
        ns = [r["n"] for r in mine]
        left.plot(ns, [r["p50_ms"] for r in mine], marker="o", label=kind)
        right.plot(ns, [r["recall_at_10"] for r in mine], marker="o", label=kind)
    for r in rows:
        if r["recall_at_10"] is None:
            left.scatter(
                [r["n"]], [r["p50_ms"]], marker="*", s=120, color="black", label="HTTP /api/search"
            )
    left.set(
        xscale="log",
        yscale="log",
        xlabel="vectors",
        ylabel="p50 ms, one query, 1 thread",
        title="Search latency",
    )
    right.axhline(TARGET_RECALL, color="grey", linestyle="--", linewidth=1)
    right.set(xscale="log", xlabel="vectors", ylabel="recall@10 vs exact", title="Recall")
    for ax in (left, right):
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    fig.suptitle(f"imr bench ({HASHING})", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def format_report(report: dict[str, Any]) -> str:
    """The rows as a table, then the recommendation and any other part as JSON."""
    lines = [
        f"{'index':38} {'n':>9} {'build_s':>8} {'B/vec':>7} {'recall@10':>9} {'p50_ms':>8} "
        f"{'p99_ms':>8}  params"
    ]
    for r in report["rows"]:
        recall = "-" if r["recall_at_10"] is None else f"{r['recall_at_10']:.3f}"
        lines.append(
            f"{r['index'][:38]:38} {r['n']:>9,} {r['build_s']:>8.1f} {r['bytes_per_vector']:>7.0f} "
            f"{recall:>9} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f}  {json.dumps(r['params'])}"
        )
    lines.append(f"vectors: {HASHING} (index rows)")
    for key in ("recommendation", "embedding", "ingest_memory"):
        if key in report:
            lines.append(f"{key}: {json.dumps(report[key], indent=1)}")
    if "http" in report:
        extra = {k: v for k, v in report["http"].items() if k != "row"}
        lines.append(f"http: {json.dumps(extra, indent=1)}")
    return "\n".join(lines)


# ---- helpers -------------------------------------------------------------------------------


def _rss_bytes(pid: int | str = "self", field: str = "VmRSS") -> int:
    """Resident set size now (or its high-water mark, VmHWM), from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    return 0


def _hwm_bytes() -> int:
    return _rss_bytes("self", "VmHWM")


def _machine() -> dict[str, Any]:
    import platform

    import faiss

    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "faiss": faiss.__version__,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _say(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def _ints(value: str) -> tuple[int, ...]:
    try:
        return tuple(int(v.replace("_", "")) for v in value.split(",") if v.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected numbers like 10000,100000; got {value!r}"
        ) from exc


def _names(allowed: Sequence[str]) -> Callable[[str], tuple[str, ...]]:
    def parse(value: str) -> tuple[str, ...]:
        names = tuple(v.strip() for v in value.split(",") if v.strip())
        unknown = [n for n in names if n not in allowed]
        if unknown or not names:
            raise argparse.ArgumentTypeError(f"{value!r}: choose from {', '.join(allowed)}")
        return names

    return parse
