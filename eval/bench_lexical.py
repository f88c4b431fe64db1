"""The lexical engine, chosen by measurement (part `lexical` of `imr bench`): bm25s's saved index
as `index.terms` writes it (memory-mapped), against tantivy (segments, deletes, mmap), over the
same tokens of the same synthetic chunks.

For each engine: build seconds, load seconds and resident memory in a fresh process, query p50 and
p99 over the eval queries (warm), and the cost of adding 1,000 letters' chunks to the built
index. tantivy ranks its own way (BM25 with k1=1.2, its idf), so only costs are compared here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from eval.measure import say

ADD_LETTERS = 1_000


def _chunk_tokens(count: int, seed: int = 0, start: int = 1) -> list[list[str]]:
    from eval.synth import iter_chunks
    from rag.fields import lexical_text
    from rag.tokens import lexical_tokens

    return [lexical_tokens(lexical_text(c.item, c.text)) for c in iter_chunks(count, seed, start)]


def _letters_chunks(letters: int, start: int) -> int:
    from eval.synth import letter_chunks, synth_letter

    return sum(len(letter_chunks(synth_letter(i))) for i in range(start, start + letters))


def bench_lexical(chunks: int, cache: Path) -> dict[str, Any]:
    """Both engines over `chunks` synthetic chunks, and an add of ADD_LETTERS more letters."""
    folder = cache / f"lexical-{chunks}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    say(f"tokenising {chunks:,} synthetic chunks")
    started = time.perf_counter()
    tokens = _chunk_tokens(chunks)
    tokenise_s = time.perf_counter() - started
    # The added letters: the ones after those the corpus holds (a disjoint seed would do too).
    extra = _chunk_tokens(_letters_chunks(ADD_LETTERS, 10_000_000), seed=0, start=10_000_000)
    (folder / "queries.json").write_text(json.dumps(_queries()))
    rows = {"chunks": chunks, "tokenise_s": round(tokenise_s, 1), "added_chunks": len(extra)}
    for engine, build in (("bm25s", _build_bm25s), ("tantivy", _build_tantivy)):
        say(f"{engine}: building over {chunks:,} chunks")
        built = build(folder / engine, tokens, extra)
        measured = _measure_in_child(engine, folder / engine, folder / "queries.json")
        rows[engine] = {**built, **measured}
        say(f"{engine}: {rows[engine]}")
    return rows


def _queries() -> list[list[str]]:
    from eval.dataset import load_queries
    from rag.tokens import lexical_tokens

    return [lexical_tokens(q.query) for q in load_queries()]


def _build_bm25s(folder: Path, tokens: list[list[str]], extra: list[list[str]]) -> dict:
    import numpy as np

    from index.terms import TermMatrix, Vocabulary, counted, write_bm25s

    def matrix(vocabulary: Vocabulary, docs: list[list[str]]) -> TermMatrix:
        parts = [counted(vocabulary.add(doc)) for doc in docs]
        offsets = np.zeros(len(parts) + 1, np.int64)
        np.cumsum([len(t) for t, _ in parts], out=offsets[1:])
        terms = np.concatenate([t for t, _ in parts])
        return TermMatrix(offsets, terms, np.concatenate([c for _, c in parts]))

    started = time.perf_counter()
    vocabulary = Vocabulary()
    base = matrix(vocabulary, tokens)
    write_bm25s(folder, base, vocabulary)
    base.save(folder, "rows")
    build_s = time.perf_counter() - started
    # An add: the new chunks' counts, then the whole index rewritten from the stored counts.
    started = time.perf_counter()
    stored = TermMatrix.load(folder, "rows")
    added = TermMatrix.concat([stored, matrix(vocabulary, extra)])
    write_bm25s(folder.with_name(folder.name + "-added"), added, vocabulary)
    add_s = time.perf_counter() - started
    return {"build_s": round(build_s, 1), "add_s": round(add_s, 1), "bytes": _bytes(folder)}


def _build_tantivy(folder: Path, tokens: list[list[str]], extra: list[list[str]]) -> dict:
    import tantivy

    folder.mkdir(parents=True)
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("tokens", tokenizer_name="whitespace")
    index = tantivy.Index(builder.build(), path=str(folder))

    def write(docs: list[list[str]], heap_size: int, threads: int) -> float:
        """Seconds to add `docs` as one commit (a new segment) and finish merging."""
        started = time.perf_counter()
        writer = index.writer(heap_size=heap_size, num_threads=threads)
        for doc in docs:
            writer.add_document(tantivy.Document(tokens=" ".join(doc)))
        writer.commit()
        writer.wait_merging_threads()
        return time.perf_counter() - started

    build_s = write(tokens, 256_000_000, 2)
    size = _bytes(folder)
    add_s = write(extra, 64_000_000, 1)
    return {"build_s": round(build_s, 1), "add_s": round(add_s, 1), "bytes": size}


def _bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


_CHILD = """
import json, sys, time
import numpy as np
engine, folder, queries = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
import bm25s, tantivy  # imported before measuring: the libraries' own cost is not the index's
from rag.retrieval import top_positive_rows
def rss():
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) * 1024
before = rss()
started = time.perf_counter()
if engine == "bm25s":
    index = bm25s.BM25.load(folder, mmap=True, show_progress=False)
    def search(tokens):
        ids = index.get_tokens_ids(tokens)
        scores = index.get_scores_from_ids(ids) if ids else np.zeros(1)
        return top_positive_rows(scores, 200)
else:
    index = tantivy.Index.open(folder)
    searcher = index.searcher()
    field = "tokens"
    def search(tokens):
        terms = [(tantivy.Occur.Should, tantivy.Query.term_query(index.schema, field, t))
                 for t in dict.fromkeys(tokens)]
        return searcher.search(tantivy.Query.boolean_query(terms), 200).hits
load_s = time.perf_counter() - started
loaded = rss() - before
for tokens in queries:
    search(tokens)
times = []
for tokens in queries * 2:
    started = time.perf_counter()
    search(tokens)
    times.append((time.perf_counter() - started) * 1000)
print(json.dumps({"load_s": round(load_s, 3), "rss_after_load_mb": round(loaded / 2**20, 1),
    "rss_after_queries_mb": round((rss() - before) / 2**20, 1),
    "p50_ms": round(float(np.percentile(times, 50)), 2),
    "p99_ms": round(float(np.percentile(times, 99)), 2)}))
"""


def _measure_in_child(engine: str, folder: Path, queries: Path) -> dict[str, Any]:
    """Load and query in a fresh process, so its memory is the engine's own."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, engine, str(folder), str(queries)],
        capture_output=True,
        text=True,
        timeout=3600,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
