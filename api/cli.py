"""The `imr` command line: parse | ingest | search | ask | serve | eval | bench | doctor | settings.

Heavy imports (torch, faiss, sentence-transformers) happen inside subcommands, so `imr --help`
is instant. Errors print `error: ...` to stderr and exit 1; ingest exits 1 when a file was skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rag.config import Mode, Settings
from rag.errors import SettingsError

if TYPE_CHECKING:
    from rag.retrieval import Filters

log = logging.getLogger("imr")


def cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    from api.schemas import ParsedLetterOut, dump
    from rag.errors import DocumentParseError
    from rag.facts import annotate_facts
    from rag.parsing import iter_letter_files, parse_file

    letters, failed = [], 0
    for path in iter_letter_files(args.paths):
        try:
            letters.append(annotate_facts(parse_file(path)))
        except DocumentParseError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
    if args.json:
        print(json.dumps([dump(ParsedLetterOut, letter) for letter in letters], indent=2))
    else:
        for letter in letters:
            print(f"{letter.letter_id}  {letter.decision_date or '-'}  {letter.reviewer_specialty}")
            for item in letter.items:
                print(f"  {item.index}. {item.name}: {item.outcome}")
    return 1 if failed else 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from api.schemas import IngestReportOut, dump
    from rag.engine import Engine

    bars: list[tqdm] = []

    def progress(total: int) -> Callable[[int], None]:
        bar = tqdm(
            total=total, desc="ingesting", unit="letter", file=sys.stderr, disable=args.quiet
        )
        bars.append(bar)
        return bar.update

    if args.ray:
        _require("ray", "ray", "imr ingest --ray")
    engine = Engine.from_settings(settings)
    try:
        report = engine.ingest(
            args.paths,
            executor="ray" if args.ray else "local",
            rebuild=args.rebuild,
            progress=progress,
            ray_address=args.ray_address,
        )
    finally:
        for bar in bars:
            bar.close()
    if args.json:
        print(json.dumps(dump(IngestReportOut, report), indent=2))
    else:
        print(
            f"indexed {report.letters} letters, {report.items} items, {report.chunks} chunks "
            f"into {settings.index_dir} in {report.seconds:.1f}s "
            f"(embedded {report.embedded}, unchanged {len(report.unchanged)}, "
            f"files read {report.files})"
        )
        for path, reason in report.skipped:
            print(f"skipped {path}: {reason}", file=sys.stderr)
    return 1 if report.skipped else 0


def _filters(args: argparse.Namespace) -> Filters:
    from rag.retrieval import Filters

    return Filters(
        outcome=args.outcome,
        source=args.source,
        section=args.section,
        specialty=args.specialty,
        year=args.year,
        treatment=args.treatment,
        category=tuple(args.category),
        region=tuple(args.region),
        form=tuple(args.form),
        drug_class=tuple(args.drug_class),
        ingredient=tuple(args.ingredient),
        reason=tuple(args.reason),
        partial=args.partial,
    )


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from api.schemas import SearchOut, dump
    from rag.engine import Engine

    engine = Engine.from_settings(settings, threads=1)
    hits = engine.search(
        args.query, k=args.k, filters=_filters(args), mode=args.mode, per_letter=args.per_letter
    )
    if args.json:
        facets = engine.facets(args.query, _filters(args))
        found = {"query": args.query, "hits": hits, "facets": facets}
        print(json.dumps(dump(SearchOut, found), indent=2))
        return 0
    for rank, hit in enumerate(hits, start=1):
        item = hit.item
        print(f"{rank:2}. [{item.outcome}] {item.name}  ({item.id}, {hit.score:.4f})")
        if item.facts:
            facts = [item.facts.category, *item.facts.regions, item.facts.drug_class or ""]
            reasons = "; ".join(r.label for r in item.shown_reasons)
            print(f"    {', '.join(f for f in facts if f)}{'  why: ' + reasons if reasons else ''}")
        print(
            f"    {', '.join(item.guideline_sources) or 'no citation'}"
            f"{': ' + '; '.join(item.mtus_sections) if item.mtus_sections else ''}"
        )
        print(f"    {hit.passage[:240]}{'...' if len(hit.passage) > 240 else ''}")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from api.schemas import AnswerOut, dump
    from rag.engine import Engine

    engine = Engine.from_settings(settings, threads=1)
    if args.csv:
        _, table = engine.ask_csv(args.question, k=args.k or settings.top_k)
        sys.stdout.write(table)
        return 0
    answer = engine.ask(args.question, k=args.k or settings.top_k)
    if args.json:
        print(json.dumps(dump(AnswerOut, answer), indent=2))
    else:
        print(answer.text)
        print()
        for p in answer.precedents:
            print(f"- [{p.item.outcome}] {p.item.name} ({p.item_id})")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app

    app = create_app(settings)
    print(f"serving on http://{settings.host}:{settings.port}/", flush=True)
    # The access log and the routes' own lines record every ?q=: they follow the log_queries
    # setting (off by default). Both log at INFO, which the default levels would drop.
    if settings.log_queries:
        logging.getLogger("api").setLevel(logging.INFO)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info" if settings.log_queries else "warning",
        access_log=settings.log_queries,
        timeout_keep_alive=5,
    )
    return 0


def _require(module: str, extra: str, command: str) -> None:
    """Refuse a command whose optional dependencies are not installed, saying how to add them."""
    if importlib.util.find_spec(module) is None:
        raise SettingsError(f"{command} needs the [{extra}] extra: pip install -e '.[{extra}]'")


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    _require("matplotlib", "bench", "imr eval")
    from eval.run import main as eval_main

    return eval_main(args, settings)


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    _require("matplotlib", "bench", "imr bench")
    from eval.bench import main as bench_main

    return bench_main(args, settings)


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    from index.store import VectorStore

    store = VectorStore.load(settings.index_dir, verify=True)
    m = store.manifest
    print(
        f"ok: {settings.index_dir} -> {store.snapshot.name}: {len(store)} vectors, "
        f"{m.documents} letters, model {m.config.get('model')} (dim {m.dimension}), "
        f"index {m.index_type}; checksums and counts agree"
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
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="letter files (.txt/.pdf) or folders; none: re-derive the index's facts and reasons",
    )
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
    p.add_argument("--mode", type=Mode, choices=list(Mode), default=None)
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
    p.add_argument("--csv", action="store_true", help="every item the answer counts, as CSV")
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
    p.add_argument("--facts", action="store_true", help="score decision facts and reasons instead")
    p.add_argument("--ask", action="store_true", help="score answers (imr ask) instead")
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
    for name, example in (
        ("category", "medication"),
        ("region", "knee"),
        ("form", "patch"),
        ("drug-class", "opioid"),
        ("ingredient", "gabapentin"),
        ("reason", "no_functional_improvement"),
    ):
        p.add_argument(
            f"--{name}", action="append", default=[], help=f"e.g. {example} (repeatable: any)"
        )
    p.add_argument(
        "--partial",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="only partial decisions (--no-partial: only whole ones)",
    )


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
    from index.errors import StoreError
    from rag.errors import RagError

    try:
        settings = Settings.from_env(**overrides)
        if getattr(args, "k", None) is None and hasattr(args, "k"):
            args.k = settings.top_k
        return args.func(args, settings)
    except (RagError, StoreError) as exc:  # the CLI's one error edge: a message, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
