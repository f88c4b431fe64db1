"""One settings object. Defaults live in the class; only `from_env` reads the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Self

DEFAULT_MODEL = "all-MiniLM-L6-v2"
ENV_PREFIX = "IMR_"


@dataclass(frozen=True)
class Settings:
    index_dir: Path = Path("var/index")
    model_name: str = DEFAULT_MODEL  # "all-MiniLM-L6-v2" (bundled) or "hashing" (tests, offline)
    chunk_tokens: int = 200  # rationale tokens per chunk; the item name takes the rest of 256
    chunk_overlap: int = 32
    top_k: int = 10
    batch_size: int = 16  # chunks per forward pass on CPU: the best in `imr bench --parts embed`
    retrieval_mode: str = "hybrid"  # hybrid | dense | bm25
    host: str = "127.0.0.1"
    port: int = 8000
    max_query_chars: int = 500
    max_body_bytes: int = 16_384
    rate_limit_per_minute: int = 120
    request_timeout_s: float = 10.0
    log_queries: bool = False

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
    try:
        if kind is bool:
            return raw.strip().lower() in ("1", "true", "yes", "on")
        return kind(raw)
    except ValueError as exc:
        raise ValueError(f"environment variable {ENV_PREFIX}{name.upper()}={raw!r}: {exc}") from exc
