"""Index types by corpus size: build time, bytes per vector, recall@10 against exact search and
single-query latency, over synthetic vectors (part `index` of `imr bench`).

Vectors for the 10k-1M sizes are HashingEmbedder(384) vectors of synthetic chunks (eval.synth):
the real model embeds about 25 chunks/s on 2 cores, so a million chunks would take 11 hours.
Every row names where its vectors came from. Recall@10 counts ties as ann-benchmarks does: a
returned row is right when its exact score reaches the 10th exact score.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.measure import rss_bytes, say
from eval.synth import iter_chunks, letter_chunks, synth_letter

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
    texts = [c.embed_text for i in range(start, stop) for c in letter_chunks(synth_letter(i, seed))]
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
            say(f"embedded {min(made, count):,} of {count:,} synthetic chunks")
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
            say(f"{kind} at {n:,} vectors: building")
            row = bench_index(kind, vectors, held_out, exact, target)
            say(
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
    rss = rss_bytes()
    started = time.perf_counter()
    index, params = build_kind(kind, vectors)
    build_s = time.perf_counter() - started
    rss_delta = rss_bytes() - rss
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
