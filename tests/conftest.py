"""Shared fixtures: the real letters (../shared, beside the repo), the samples, built indexes.

Every test starts with no IMR_* variable set (the app, the CLI and its subprocesses read them),
and nothing is written into the checkout: hypothesis keeps its database under pytest's tmp dir.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(REPO.parent, "shared")
SAMPLES = REPO / "samples" / "letters"


@pytest.hookimpl(trylast=True)  # after pytest's tmp_path plugin has configured its factory
def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis's example database and constants cache under pytest's tmp dir, not in
    .hypothesis/ of the checkout. Set here because hypothesis writes the cache at collection."""
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(config._tmp_path_factory.mktemp("hypothesis"))


def _clear_imr_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("IMR_")]:
        monkeypatch.delenv(name)


@pytest.fixture(scope="session", autouse=True)
def no_imr_variables_in_the_session() -> Iterator[None]:
    """Session fixtures (apps, indexes) see no ambient IMR_* either; restored at the end."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _clear_imr_variables(monkeypatch)
        yield


@pytest.fixture(autouse=True)
def no_imr_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts without IMR_* variables, whatever the shell or an earlier test set."""
    _clear_imr_variables(monkeypatch)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder with the real letters; the suite fails (never skips) without it."""
    assert (SHARED / "seeds").is_dir(), f"real letters not found at {SHARED}"
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    return shared_dir / "seeds"


@pytest.fixture(scope="session")
def letters_dir(shared_dir: Path) -> Path:
    return shared_dir / "data" / "dwc-imr-letters"


def _build(
    tmp_path_factory: pytest.TempPathFactory, name: str, paths: list[Path], model: str
) -> Path:
    from rag.config import IndexConfig
    from rag.engine import Engine

    index_dir = tmp_path_factory.mktemp(name)
    report = Engine(index_dir, IndexConfig(model=model)).ingest(paths)
    assert not report.skipped, report.skipped
    return index_dir


@pytest.fixture(scope="session")
def hashing_index(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """The 5 seed letters indexed with the deterministic HashingEmbedder (fast plumbing tests)."""
    return _build(tmp_path_factory, "hashing-index", [seeds_dir], "hashing")


@pytest.fixture(scope="session")
def hashing_real_index(
    tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, letters_dir: Path
) -> Path:
    """The real corpus indexed with the HashingEmbedder (seconds): CLI and server processes
    over it start without loading the model."""
    return _build(
        tmp_path_factory, "hashing-real-index", [seeds_dir, letters_dir / "txt"], "hashing"
    )


@pytest.fixture(scope="session")
def real_index(
    tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, letters_dir: Path
) -> Path:
    """The real corpus (seeds + 194 letters, 450 items) indexed with the real model, once."""
    from rag.config import DEFAULT_MODEL

    return _build(tmp_path_factory, "real-index", [seeds_dir, letters_dir / "txt"], DEFAULT_MODEL)


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's own sample letters indexed with the real model."""
    from rag.config import DEFAULT_MODEL

    return _build(tmp_path_factory, "sample-index", [SAMPLES], DEFAULT_MODEL)


@pytest.fixture(scope="session")
def real_engine(real_index: Path):
    """An Engine over the real corpus with the real model, loaded once."""
    from rag.engine import Engine

    engine = Engine(real_index, threads=1)
    engine.view()
    return engine


def guideline_counts(items: Iterable) -> tuple[Counter, Counter]:
    """What the reviewers of `items` cite, read from each item's record: how many items cite each
    MTUS section, with its pages (section None: MTUS cited without one), and each other source."""
    mtus: Counter = Counter()
    other: Counter = Counter()
    for item in items:
        cites_mtus = "MTUS" in item.guideline_sources
        sections = set(item.mtus_sections) or ({None} if cites_mtus else set())
        mtus.update((section, item.pages) for section in sections)
        other.update(source for source in set(item.guideline_sources) if source != "MTUS")
    return mtus, other


def counted_citations(citations: Iterable) -> tuple[Counter, Counter]:
    """The same two tallies from an answer's citations (CitationCount objects or their JSON)."""
    mtus: Counter = Counter()
    other: Counter = Counter()
    for c in citations:
        if not isinstance(c, dict):
            c = {"source": c.source, "section": c.section, "pages": c.pages, "count": c.count}
        if c["source"] == "MTUS":
            mtus[(c["section"], c["pages"])] += c["count"]
        else:
            other[c["source"]] += c["count"]  # ODG's count is split by the topic cited
    return mtus, other


# Ray reads these when it is first imported, whichever test imports it first: a local cluster
# that listens on loopback only, keeps each worker's log lines, and sends no usage statistics.
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
os.environ["RAY_DEDUP_LOGS"] = "0"
os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
os.environ.pop("RAY_ADDRESS", None)
