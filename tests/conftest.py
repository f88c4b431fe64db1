"""Shared fixtures: the real letters (../shared, beside the repo), the samples, built indexes."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(REPO.parent, "shared")
SAMPLES = REPO / "samples" / "letters"


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
    from rag.embedding import load_embedder
    from rag.ingest import ingest

    index_dir = tmp_path_factory.mktemp(name)
    report = ingest(paths, index_dir, load_embedder(model))
    assert not report.skipped, report.skipped
    return index_dir


@pytest.fixture(scope="session")
def hashing_index(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """The 5 seed letters indexed with the deterministic HashingEmbedder (fast plumbing tests)."""
    return _build(tmp_path_factory, "hashing-index", [seeds_dir], "hashing")


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
def real_retriever(real_index: Path):
    from rag.config import DEFAULT_MODEL
    from rag.service import open_retriever

    return open_retriever(real_index, DEFAULT_MODEL)
