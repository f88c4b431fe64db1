"""The built-in sample corpus: written by us, in the real format, covering the common disputes."""

from __future__ import annotations

from pathlib import Path

from rag.parsing import iter_letter_files, parse_file
from rag.vocabulary import treatments_named

from .conftest import SAMPLES

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
