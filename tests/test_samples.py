"""The built-in sample corpus: written by us, in the real format, covering the common disputes;
`scripts/run.sh` indexes it and serves it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from rag.engine import Engine
from rag.parsing import iter_letter_files, parse_file
from rag.vocabulary import treatments_named

from .conftest import SAMPLES
from .processes import Lines, free_port, get, started, wait_until_serving

REQUIRED = {
    "opioid": {"hydrocodone", "oxycodone", "tramadol", "opioid"},
    "muscle relaxant": {"cyclobenzaprine", "carisoprodol", "tizanidine", "methocarbamol"},
    "topical": {"topical", "lidocaine", "capsaicin"},
    "ppi": {"omeprazole", "pantoprazole", "ppi"},
    "emg/ncv": {"emg", "ncv", "electrodiagnostic"},
    "mri": {"mri"},
    "physical therapy": {"physical_therapy"},
    "acupuncture": {"acupuncture"},
    "chiropractic": {"chiropractic"},
    "injection": {"esi", "facet", "trigger_point", "injection"},
    "surgery": {"surgery"},
}


def test_sample_corpus_parses_and_covers_the_common_disputes() -> None:
    letters = [parse_file(p) for p in iter_letter_files([SAMPLES])]
    assert len(letters) >= 20
    assert all("ILLUSTRATIVE SAMPLE" in Path(d.source).read_text()[:200] for d in letters)
    items = [i for d in letters for i in d.items]
    found = {c for i in items for c in treatments_named(i.name)}
    missing = [name for name, concepts in REQUIRED.items() if not concepts & found]
    assert not missing, f"sample corpus lacks {missing}"
    assert any(i.outcome == "Overturned" for i in items)
    assert any(i.original_request for i in items), "no partial decision among the samples"


@pytest.mark.slow
def test_run_sh_indexes_the_samples_and_serves_them_over_http(
    tmp_path: Path, sample_index: Path
) -> None:
    """The README's first command, as a user runs it: set-up (idempotent: CI's scripts/test.sh
    has already made ./.venv), the sample corpus indexed with the real model, then `imr serve`."""
    port = free_port()
    env = {"IMR_INDEX_DIR": str(tmp_path / "index")}
    command = ["scripts/run.sh", "--port", str(port)]
    with started(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as child:
        lines = Lines(child.stdout)
        lines.until(f"serving on http://127.0.0.1:{port}/", timeout=540)
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(url + "/healthz", child)
        letters = list(iter_letter_files([SAMPLES]))
        assert json.loads(get(url + "/healthz")[1])["letters"] == len(letters)
        status, body = get(url + "/api/search?q=Norco&k=5")
        assert status == 200
        served = [hit["item_id"] for hit in json.loads(body)["hits"]]
    # the same search over the sample index the suite built in-process
    assert served == [hit.item.id for hit in Engine(sample_index).search("Norco", k=5)]
    assert any(line.startswith("indexed ") for line in lines.seen)
