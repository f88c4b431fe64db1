"""The `imr` command line: parse | ingest | search | ask | serve | eval | bench | doctor | settings.

Heavy imports (torch, faiss, sentence-transformers) happen inside subcommands, so `imr --help`
is instant. Errors print `error: ...` to stderr and exit 1; ingest exits 1 when a file was skipped.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rag.config import Settings

log = logging.getLogger("imr")


def cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    from rag.errors import DocumentParseError
    from rag.parsing import iter_letter_files, parse_file

    records, failed = [], 0
    for path in iter_letter_files(args.paths):
        try:
            records.append(parse_file(path).to_dict())
        except DocumentParseError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
    if args.json:
        print(json.dumps(records, indent=2))
    else:
        for rec in records:
            print(f"{rec['doc_id']}  {rec['decision_date'] or '-'}  {rec['reviewer_specialty']}")
            for item in rec["items"]:
                print(f"  {item['item_index']}. {item['item']}: {item['outcome']}")
    return 1 if failed else 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from rag.embedding import load_embedder
    from rag.ingest import ChunkSettings, ingest

    bars: list[tqdm] = []

    def progress(total: int) -> Callable[[int], None]:
        unit = "chunk" if args.ray else "letter"  # Ray counts chunks before embedding them
        bar = tqdm(total=total, desc="ingesting", unit=unit, file=sys.stderr, disable=args.quiet)
        bars.append(bar)
        return bar.update

    chunking = ChunkSettings(settings.chunk_tokens, settings.chunk_overlap)
    if args.ray:
        from rag.distributed import ingest_ray

        report = ingest_ray(
            args.paths,
            settings.index_dir,
            settings.model_name,
            chunking,
            address=args.ray_address,
            rebuild=args.rebuild,
            progress=progress,
        )
    else:
        embedder = load_embedder(settings.model_name, settings.batch_size)
        report = ingest(
            args.paths,
            settings.index_dir,
            embedder,
            chunking,
            rebuild=args.rebuild,
            progress=progress,
        )
    for bar in bars:
        bar.close()
    summary = report.to_dict()
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(
            f"indexed {report.letters} letters, {report.items} items, {report.chunks} chunks "
            f"into {settings.index_dir} in {report.seconds:.1f}s "
            f"(embedded {summary['embedded']}, unchanged {summary['unchanged']}, "
            f"files read {report.files})"
        )
        for path, reason in report.skipped:
            print(f"skipped {path}: {reason}", file=sys.stderr)
    return 1 if report.skipped else 0


def _filters(args: argparse.Namespace):  # -> Filters
    from rag.retrieval import Filters

    return Filters(
        outcome=args.outcome,
        source=args.source,
        section=args.section,
        specialty=args.specialty,
        year=args.year,
        treatment=args.treatment,
    )


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from rag.service import open_retriever

    retriever = open_retriever(settings.index_dir, settings.model_name, settings.retrieval_mode)
    hits = retriever.search(
        args.query, k=args.k, filters=_filters(args), mode=args.mode, per_letter=args.per_letter
    )
    if args.json:
        print(json.dumps({"query": args.query, "hits": [h.to_dict() for h in hits]}, indent=2))
        return 0
    for rank, hit in enumerate(hits, start=1):
        c = hit.chunk
        print(f"{rank:2}. [{c.outcome}] {c.item}  ({c.doc_id}#{c.item_index}, {hit.score:.4f})")
        print(
            f"    {', '.join(c.guideline_sources) or 'no citation'}"
            f"{': ' + '; '.join(c.mtus_sections) if c.mtus_sections else ''}"
        )
        print(f"    {c.text[:240]}{'...' if len(c.text) > 240 else ''}")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from rag.answer import answer_question
    from rag.service import open_retriever

    retriever = open_retriever(settings.index_dir, settings.model_name, settings.retrieval_mode)
    answer = answer_question(retriever, args.question, k=args.k)
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2))
    else:
        print(answer.text)
        print()
        for p in answer.precedents:
            print(f"- [{p.outcome}] {p.item} ({p.item_id})")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app

    app = create_app(settings)
    print(f"serving on http://{settings.host}:{settings.port}/", flush=True)
    # The access log would record every ?q=: it follows the log_queries setting (off by default).
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=settings.log_queries,
        timeout_keep_alive=5,
    )
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from eval.run import main as eval_main

    return eval_main(args, settings)


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from eval.bench import main as bench_main

    return bench_main(args, settings)


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    from index.store import VectorStore

    store = VectorStore.load(settings.index_dir, verify=True)
    m = store.manifest
    print(
        f"ok: {settings.index_dir} -> {store.snapshot.name}: {len(store)} vectors, "
        f"{m.documents} letters, model {m.model} (dim {m.dimension}), index {m.index_type}; "
        "checksums and counts agree"
    )
    return 0


def cmd_settings(args: argparse.Namespace, settings: Settings) -> int:
    sources = settings.sources()
    for name, value in vars(settings).items():
        print(f"{name:24} {value!s:32} ({sources[name]})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="imr", description="Search California IMR decisions.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse letters and print their records")
    p.add_argument("paths", nargs="+", type=Path, help="letter files (.txt/.pdf) or folders")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("ingest", help="parse, chunk, embed and index letters")
    p.add_argument("paths", nargs="+", type=Path)
    _index_arg(p)
    p.add_argument("--rebuild", action="store_true", help="start a new index instead of adding")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--ray", action="store_true", help="parse and embed on a Ray cluster")
    p.add_argument(
        "--ray-address",
        metavar="ADDRESS",
        help="the Ray cluster to use with --ray (default: start a local one)",
    )
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="find the most similar decisions")
    p.add_argument("query")
    p.add_argument("--k", type=_k, default=None, help="number of results (1-100)")
    p.add_argument("--mode", choices=("hybrid", "dense", "bm25"), default=None)
    p.add_argument("--per-letter", action="store_true", help="one result per letter")
    _filter_args(p)
    _index_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="answer a question from the decisions, with evidence")
    p.add_argument("question")
    p.add_argument("--k", type=_k, default=None)
    _index_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("serve", help="serve the JSON API and the search page")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    _index_arg(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("eval", help="run the offline retrieval evaluation")
    p.add_argument(
        "--letters",
        type=Path,
        nargs="*",
        default=None,
        help="letter folders (default: ../shared seeds + dwc-imr-letters/txt)",
    )
    p.add_argument("--results", type=Path, default=Path("eval/results"))
    p.add_argument("--no-outcome", action="store_true", help="skip outcome prediction")
    _index_arg(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("bench", help="benchmark index types, embedding and HTTP latency")
    from eval.bench import add_arguments as add_bench_arguments  # light: numpy/faiss come later

    add_bench_arguments(p)
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("doctor", help="check the index for damage and report")
    _index_arg(p)
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("settings", help="print each setting and where it came from")
    p.set_defaults(func=cmd_settings)
    return parser


def _index_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", type=Path, default=None, help="index directory (IMR_INDEX_DIR)")


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--outcome", help="upheld or overturned")
    p.add_argument("--source", help="guideline source: MTUS, ODG, ACOEM or OTHER")
    p.add_argument("--section", help="MTUS section (substring)")
    p.add_argument("--specialty", help="reviewer specialty (substring)")
    p.add_argument("--year", type=int, help="decision year")
    p.add_argument("--treatment", help="disputed treatment (words or synonyms)")


def _k(value: str) -> int:
    k = int(value)
    if not 1 <= k <= 100:
        raise argparse.ArgumentTypeError(f"--k must be between 1 and 100, got {k}")
    return k


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    overrides = {
        "index_dir": getattr(args, "index", None),
        "host": getattr(args, "host", None),
        "port": getattr(args, "port", None),
    }
    try:
        settings = Settings.from_env(**overrides)
        if getattr(args, "k", None) is None and hasattr(args, "k"):
            args.k = settings.top_k
        return args.func(args, settings)
    except Exception as exc:  # the CLI's one error edge: a message, never a traceback
        from index.errors import StoreError
        from rag.errors import RagError

        if not isinstance(exc, RagError | StoreError | ValueError | RuntimeError | OSError):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
