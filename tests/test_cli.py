"""The `imr` command line, run as a user runs it: a child process, bounded by a timeout.

Searches run over the real letters indexed with the hashing embedder (no model to load per
process) and are compared with the same search made in this process through `Engine`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from api.schemas import HitOut, dump
from index.store import VectorStore
from rag.answer import MIN_PRECEDENTS
from rag.config import HASHING_MODEL, IndexConfig, Mode
from rag.engine import Engine
from rag.parsing import parse_file
from rag.records import Outcome
from rag.retrieval import Filters

from .conftest import SAMPLES
from .processes import imr

HASHING = {"IMR_MODEL_NAME": HASHING_MODEL}
QUERY = "physical therapy"


@pytest.fixture(scope="module")
def engine(hashing_real_index: Path) -> Engine:
    """The index the CLI searches, searched in this process."""
    return Engine(hashing_real_index, IndexConfig(model=HASHING_MODEL))


def _search(index: Path, *args: str) -> dict:
    out = imr("search", *args, "--json", "--index", str(index), env=HASHING)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _expected(engine: Engine, query: str, **options: object) -> list[dict]:
    """The hits of the same search made in this process, as the JSON prints them."""
    return [dump(HitOut, hit) for hit in engine.search(query, **options)]


def test_help_lists_every_subcommand() -> None:
    out = imr("--help")
    assert out.returncode == 0
    listed = re.search(r"\{([a-z,]+)\}", out.stdout).group(1).split(",")
    assert listed == [
        "parse", "ingest", "search", "ask", "serve", "eval", "bench", "doctor", "settings"
    ]  # fmt: skip


def test_parse_json_prints_one_record_per_letter() -> None:
    out = imr("parse", str(SAMPLES / "sample-001.txt"), str(SAMPLES / "sample-002.txt"), "--json")
    assert out.returncode == 0, out.stderr
    records = json.loads(out.stdout)
    assert [r["letter_id"] for r in records] == ["SX00-0000001", "SX00-0000002"]
    assert records[0]["source"].endswith("sample-001.txt")
    keys = {
        "item_id",
        "letter_id",
        "index",
        "name",
        "original_request",
        "authorized_portion",
        "outcome",
        "claims_administrator_guideline",
        "maximus_guideline",
        "guideline_sources",
        "mtus_sections",
        "pages",
        "rationale",
    }
    assert all(keys <= set(i) for r in records for i in r["items"])


def test_parse_reads_a_pdf_letter(letters_dir: Path) -> None:
    pdf = letters_dir / "pdf" / "CM16-0213037.pdf"
    out = imr("parse", str(pdf), "--json")
    assert out.returncode == 0, out.stderr
    [record] = json.loads(out.stdout)
    letter = parse_file(pdf)
    assert (record["letter_id"], record["decision_date"]) == ("CM16-0213037", letter.decision_date)
    assert [(i["index"], i["name"], i["outcome"], i["rationale"]) for i in record["items"]] == [
        (i.index, i.name, i.outcome, i.rationale) for i in letter.items
    ]
    assert len(letter.items) >= 1
    text = imr("parse", str(pdf))
    assert text.returncode == 0
    assert text.stdout.splitlines()[0].startswith("CM16-0213037  ")


def test_parse_exits_1_naming_a_bad_file_and_still_prints_the_good_ones(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4 not really")
    out = imr("parse", str(SAMPLES / "sample-003.txt"), str(junk), "--json")
    assert out.returncode == 1
    errors = [line for line in out.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {junk}: PDF cannot be read (PdfStreamError: Stream has ended unexpectedly)"
    ]
    assert "Traceback" not in out.stderr
    assert [r["letter_id"] for r in json.loads(out.stdout)] == ["SX00-0000003"]


def test_search_json_shape(hashing_real_index: Path) -> None:
    data = _search(hashing_real_index, "Norco", "--k", "3")
    assert data["query"] == "Norco" and len(data["hits"]) == 3
    assert all({"item_id", "score", "passage", "item"} == set(h) for h in data["hits"])
    keys = {
        "item_id",
        "letter_id",
        "index",
        "name",
        "outcome",
        "guideline_sources",
        "mtus_sections",
        "pages",
        "maximus_guideline",
        "decision_date",
        "reviewer_specialty",
    }
    assert all(keys <= set(h["item"]) for h in data["hits"])


@pytest.mark.parametrize(
    ("flag", "value", "keeps"),
    [
        ("outcome", "overturned", lambda item: item["outcome"] == "Overturned"),
        ("source", "ODG", lambda item: "ODG" in item["guideline_sources"]),
        (
            "section",
            "physical medicine",
            lambda item: any("physical medicine" in s.lower() for s in item["mtus_sections"]),
        ),
        (
            "specialty",
            "orthopedic",
            lambda item: "orthopedic" in item["reviewer_specialty"].lower(),
        ),
        ("year", "2016", lambda item: item["decision_date"].startswith("2016")),
        ("treatment", "acupuncture", lambda item: "acupuncture" in item["name"].lower()),
    ],
)
def test_search_filters_keep_only_matching_items(
    hashing_real_index: Path, engine: Engine, flag: str, value: str, keeps
) -> None:
    data = _search(hashing_real_index, QUERY, "--k", "20", f"--{flag}", value)
    typed = int(value) if flag == "year" else value
    assert data["hits"] == _expected(engine, QUERY, k=20, filters=Filters(**{flag: typed}))
    items = [h["item"] for h in data["hits"]]
    assert items and all(keeps(item) for item in items), [i["item_id"] for i in items]
    unfiltered = [h.item.id for h in engine.search(QUERY, k=20)]
    assert [i["item_id"] for i in items] != unfiltered, "the filter changed nothing"


def test_search_mode_selects_the_ranking(hashing_real_index: Path, engine: Engine) -> None:
    ranked = {}
    for mode in Mode:
        data = _search(hashing_real_index, QUERY, "--k", "5", "--mode", mode.value)
        assert data["hits"] == _expected(engine, QUERY, k=5, mode=mode)
        ranked[mode] = [h["item_id"] for h in data["hits"]]
    assert len({tuple(r) for r in ranked.values()}) == 3, ranked
    assert ranked[Mode.HYBRID] == [h.item.id for h in engine.search(QUERY, k=5)], "the default"


def test_search_per_letter_keeps_one_hit_per_letter(
    hashing_real_index: Path, engine: Engine
) -> None:
    plain = engine.search(QUERY, k=20)
    assert len({h.item.letter_id for h in plain}) < len(plain), "some letter has two hits"
    data = _search(hashing_real_index, QUERY, "--k", "20", "--per-letter")
    assert data["hits"] == _expected(engine, QUERY, k=20, per_letter=True)
    letters = [h["item"]["letter_id"] for h in data["hits"]]
    assert len(letters) == 20 and len(set(letters)) == 20


def test_search_text_output_lists_rank_outcome_item_and_passage(
    hashing_real_index: Path, engine: Engine
) -> None:
    out = imr("search", "Norco", "--k", "3", "--index", str(hashing_real_index), env=HASHING)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    heads = [n for n, line in enumerate(lines) if re.match(r" ?\d+\. \[", line)]
    hits = engine.search("Norco", k=3)
    assert len(heads) == len(hits) == 3 and heads[0] == 0
    for rank, (hit, start, end) in enumerate(
        zip(hits, heads, [*heads[1:], len(lines)], strict=True), start=1
    ):
        item = hit.item
        assert (
            lines[start] == f"{rank:2}. [{item.outcome}] {item.name}  ({item.id}, {hit.score:.4f})"
        )
        below = lines[start + 1 : end]
        sources = ", ".join(item.guideline_sources) or "no citation"
        assert any(line.startswith(f"    {sources}") for line in below), below
        assert any(line.startswith("    " + hit.passage[:60]) for line in below), below


def test_ask_json_shape(real_index) -> None:
    out = imr("ask", "is acupuncture approved for neck pain?", "--json", "--index", str(real_index))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"answer", "outcome_counts", "precedents", "citations", "sufficient_evidence"} <= set(
        data
    )


def test_ask_says_too_few_decisions_when_fewer_than_three_match(engine: Engine) -> None:
    """Oxycodone: two decisions in the real corpus, one of each outcome (read from the records)."""
    items = [i for letter in engine.view().corpus.letters() for i in letter.items]
    oxycodone = {i.id: i for i in items if "oxycodone" in i.facts.ingredients}
    assert 0 < len(oxycodone) < MIN_PRECEDENTS, "what this test relies on"
    upheld = sum(i.outcome == Outcome.UPHELD for i in oxycodone.values())
    index = str(engine.index_dir)
    out = imr("ask", "Is oxycodone approved?", "--index", index, env=HASHING)
    assert out.returncode == 0, out.stderr
    text, _, listed = out.stdout.partition("\n\n")
    assert text.startswith(
        f"Only {len(oxycodone)} decisions in the indexed corpus concern oxycodone ("
    ), text
    assert (
        f"too few to say how IMR usually decides. Upheld in {upheld}, overturned in "
        f"{len(oxycodone) - upheld}." in text
    )
    assert "95% interval" not in text
    assert sorted(listed.splitlines()) == sorted(
        f"- [{i.outcome}] {i.name} ({i.id})" for i in oxycodone.values()
    )
    out = imr("ask", "Is oxycodone approved?", "--json", "--index", index, env=HASHING)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["sufficient_evidence"] is False and data["population"]["count"] == len(oxycodone)
    assert data["answer"] == text.strip()


def test_ingest_json_reports_the_run_and_rebuild_starts_over(tmp_path: Path) -> None:
    index = tmp_path / "index"

    def ingest(*args: str) -> dict:
        out = imr("ingest", *args, "--index", str(index), "--quiet", "--json", env=HASHING)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    first = ingest(str(SAMPLES / "sample-001.txt"), str(SAMPLES / "sample-002.txt"))
    assert (first["files"], first["letters"], first["added"], first["embedded"]) == (2, 2, 2, 2)
    assert first["skipped"] == [] and first["chunks"] >= first["items"] >= 2
    assert first["snapshot"] == str(VectorStore.load(index).snapshot)
    added = ingest(str(SAMPLES / "sample-003.txt"))
    assert (added["letters"], added["added"], added["unchanged"]) == (3, 1, 0)
    rebuilt = ingest(str(SAMPLES / "sample-004.txt"), "--rebuild")
    assert (rebuilt["letters"], rebuilt["added"]) == (1, 1)
    assert VectorStore.load(index, verify=True).document_keys() == ["SX00-0000004"]


def test_missing_index_is_a_one_line_error(tmp_path) -> None:
    out = imr("search", "Norco", "--index", str(tmp_path / "none"))
    assert out.returncode == 1
    assert out.stderr.startswith("error: no index at") and "Traceback" not in out.stderr


def test_k_out_of_range_is_refused_by_name(hashing_real_index) -> None:
    out = imr("search", "Norco", "--k", "0", "--index", str(hashing_real_index), env=HASHING)
    assert out.returncode == 2 and "--k must be between 1 and 100" in out.stderr


def test_doctor_reports_a_damaged_index(tmp_path) -> None:
    env = {**HASHING, "IMR_INDEX_DIR": str(tmp_path)}
    assert imr("ingest", str(SAMPLES / "sample-005.txt"), "--quiet", env=env).returncode == 0
    assert imr("doctor", env=env).stdout.startswith("ok:")
    vectors = next(tmp_path.glob("snapshots/*/vectors.faiss"))
    vectors.write_bytes(vectors.read_bytes()[:-10])
    out = imr("doctor", env=env)
    assert out.returncode == 1 and "vectors.faiss" in out.stderr
