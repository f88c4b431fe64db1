"""Open a ready-to-search Retriever over an index directory (shared by api/ and eval/)."""

from __future__ import annotations

from pathlib import Path

from index.store import VectorStore
from rag.embedding import load_embedder
from rag.retrieval import Retriever


def open_retriever(index_dir: Path, model_name: str, mode: str = "hybrid") -> Retriever:
    """Load the index at `index_dir`, refusing one built with another model than `model_name`."""
    store = VectorStore.load(index_dir)
    store.manifest.check_compatible(model_name, None)
    embedder = load_embedder(model_name)
    store.manifest.check_compatible(embedder.name, embedder.dimension)
    return Retriever(store, embedder, mode=mode)
