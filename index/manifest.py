"""The manifest saved with every snapshot: what built it, how big it is, and file checksums.

`config` is the caller's build configuration, kept opaque here: the caller compares it whole when
it opens the index, so an index built with one model is never searched with another's vectors.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Self

from index.errors import StoreCorruptError, StoreMismatchError

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Manifest:
    dimension: int
    count: int  # vectors == metadata rows
    documents: int
    records: int = 0
    index_type: str = "flat"
    index_params: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)  # what the caller built it with
    stats: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256
    created: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def read(cls, snapshot: Path) -> Self:
        path = snapshot / MANIFEST
        try:
            data = json.loads(path.read_text())
            return cls(**data)
        except FileNotFoundError as exc:
            raise StoreCorruptError(f"{path}: manifest is missing") from exc
        except (json.JSONDecodeError, TypeError) as exc:
            raise StoreCorruptError(f"{path}: manifest is not valid ({exc})") from exc

    def check_dimension(self, dimension: int) -> None:
        """Refuse to search or extend this index with vectors of another dimension."""
        if dimension != self.dimension:
            raise StoreMismatchError(
                f"index holds vectors of dim {self.dimension}; the embedder gives dim "
                f"{dimension}. Rebuild it with `imr ingest --rebuild` or point --index elsewhere."
            )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
