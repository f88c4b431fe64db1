"""The `imr` command line, run as a user runs it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from .conftest import REPO, SAMPLES

IMR = [sys.executable, "-m", "api.cli"]


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*IMR, *args], cwd=REPO, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )


def test_help_lists_every_subcommand() -> None:
    out = _run("--help")
    assert out.returncode == 0
    listed = re.search(r"\{([a-z,]+)\}", out.stdout).group(1).split(",")
    assert listed == [
        "parse", "ingest", "search", "ask", "serve", "eval", "bench", "doctor", "settings"
    ]  # fmt: skip


def test_parse_json_prints_one_record_per_letter() -> None:
    out = _run("parse", str(SAMPLES / "sample-001.txt"), str(SAMPLES / "sample-002.txt"), "--json")
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


def test_search_json_shape_on_the_real_index(real_index) -> None:
    out = _run("search", "Norco", "--k", "3", "--json", "--index", str(real_index))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
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


def test_ask_json_shape(real_index) -> None:
    out = _run(
        "ask", "is acupuncture approved for neck pain?", "--json", "--index", str(real_index)
    )
    data = json.loads(out.stdout)
    assert {"answer", "outcome_counts", "precedents", "citations", "sufficient_evidence"} <= set(
        data
    )


def test_missing_index_is_a_one_line_error(tmp_path) -> None:
    out = _run("search", "Norco", "--index", str(tmp_path / "none"))
    assert out.returncode == 1
    assert out.stderr.startswith("error: no index at") and "Traceback" not in out.stderr


def test_k_out_of_range_is_refused_by_name(real_index) -> None:
    out = _run("search", "Norco", "--k", "0", "--index", str(real_index))
    assert out.returncode == 2 and "--k must be between 1 and 100" in out.stderr


def test_settings_shows_where_each_value_came_from(tmp_path) -> None:
    out = _run("settings", env={"IMR_TOP_K": "7"})
    line = next(x for x in out.stdout.splitlines() if x.startswith("top_k"))
    assert "7" in line and "env IMR_TOP_K" in line


def test_doctor_reports_a_damaged_index(tmp_path) -> None:
    env = {"IMR_MODEL_NAME": "hashing", "IMR_INDEX_DIR": str(tmp_path)}
    assert _run("ingest", str(SAMPLES / "sample-005.txt"), "--quiet", env=env).returncode == 0
    assert _run("doctor", env=env).stdout.startswith("ok:")
    vectors = next(tmp_path.glob("snapshots/*/vectors.faiss"))
    vectors.write_bytes(vectors.read_bytes()[:-10])
    out = _run("doctor", env=env)
    assert out.returncode == 1 and "vectors.faiss" in out.stderr
