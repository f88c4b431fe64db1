"""Configuration: `IndexConfig` (what an index is built with, saved in its manifest) and `Settings`
(everything a process reads from IMR_* variables). Defaults live in the classes; only
`Settings.from_env` reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, Self

from rag.derived import ANNOTATIONS, VOCABULARY
from rag.errors import ConfigMismatchError, SettingsError
from rag.parsing import ParseLimits

DEFAULT_MODEL = "all-MiniLM-L6-v2"
HASHING_MODEL = "hashing"  # deterministic stand-in for tests and offline plumbing
ENV_PREFIX = "IMR_"


class Mode(StrEnum):
    """How search ranks: both sides fused (the default), or one of them alone."""

    HYBRID = "hybrid"
    DENSE = "dense"
    BM25 = "bm25"


@dataclass(frozen=True)
class IndexConfig:
    """What an index is built with. Saved in the manifest and compared whole when an index is
    opened or added to, so vectors are never mixed across models or chunkings."""

    model: str = DEFAULT_MODEL  # "all-MiniLM-L6-v2" (bundled) or "hashing"
    chunk_tokens: int = 200  # rationale tokens per chunk; the item name takes the rest of 256
    chunk_overlap: int = 32
    index_type: str = "auto"  # "auto" chooses by size (index/store.py); or flat, hnsw_fp16, ...
    annotations: str = ANNOTATIONS  # the versions of the derived facts and reasons
    vocabulary: str = VOCABULARY  # digest of rag/data/concepts.toml (concept tokens of chunks)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def vectors_differ(self, other: IndexConfig) -> bool:
        """Whether `other` gives other vectors (anything but the annotations differs)."""
        return replace(self, annotations="") != replace(other, annotations="")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """A stored config; one saved before annotations were versioned has "none"."""
        known = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        return cls(**{"annotations": "none", "vocabulary": "none", **known})

    def check_same(self, stored: IndexConfig, where: Path | str) -> None:
        """Refuse to use an index built with another config, naming every difference and the
        fix: a rebuild for other vectors, a plain `imr ingest` for other annotations."""
        ours, theirs = self.to_dict(), stored.to_dict()
        differ = [
            f"{k}: index {theirs[k]!r}, asked {ours[k]!r}" for k in ours if ours[k] != theirs[k]
        ]
        if not differ:
            return
        fix = (
            "Rebuild it with `imr ingest --rebuild`, or point --index elsewhere."
            if self.vectors_differ(stored)
            else "Run `imr ingest` to re-derive facts and reasons (nothing is re-embedded)."
        )
        raise ConfigMismatchError(
            f"index at {where} was built with other settings ({'; '.join(differ)}). {fix}"
        )


@dataclass(frozen=True)
class Settings:
    index_dir: Path = Path("var/index")
    model_name: str = DEFAULT_MODEL
    chunk_tokens: int = 200
    chunk_overlap: int = 32
    top_k: int = 10
    batch_size: int = 16  # chunks per forward pass on CPU: the best in `imr bench --parts embed`
    retrieval_mode: Mode = Mode.HYBRID
    host: str = "127.0.0.1"
    port: int = 8000
    max_query_chars: int = 500
    max_body_bytes: int = 16_384
    rate_limit_per_minute: int = 120
    request_timeout_s: float = 10.0
    header_timeout_s: float = 10.0  # from connecting (or the last response) to a request's head
    max_connections: int = 200  # open at once; the one over it is answered 503 and closed
    trusted_proxies: str = ""  # comma-separated proxy addresses whose X-Forwarded-For is believed
    log_queries: bool = False
    parse_budget_s: float = 10.0  # per letter file; a real letter parses in milliseconds
    max_letter_bytes: int = 5_000_000  # per letter file; real letters are 5-60 KB

    @property
    def index_config(self) -> IndexConfig:
        return IndexConfig(self.model_name, self.chunk_tokens, self.chunk_overlap)

    @property
    def parse_limits(self) -> ParseLimits:
        return ParseLimits(max_bytes=self.max_letter_bytes, budget_s=self.parse_budget_s)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, **overrides: Any) -> Self:
        """Settings from IMR_* variables (IMR_INDEX_DIR, IMR_TOP_K, ...), then `overrides`."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _coerce(f.name, raw, type(getattr(cls(), f.name)))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def sources(self, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
        """Where each effective value came from: 'env IMR_X' or 'default'."""
        return {
            f.name: (
                f"env {ENV_PREFIX}{f.name.upper()}"
                if ENV_PREFIX + f.name.upper() in environ
                else "default"
            )
            for f in fields(self)
        }


def _coerce(name: str, raw: str, kind: type) -> Any:
    variable = f"{ENV_PREFIX}{name.upper()}"
    if kind is bool:
        value = raw.strip().lower()
        if value not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            raise SettingsError(f"environment variable {variable}={raw!r}: expected true or false")
        return value in ("1", "true", "yes", "on")
    try:
        return kind(raw)
    except ValueError as exc:
        raise SettingsError(f"environment variable {variable}={raw!r}: {exc}") from exc
