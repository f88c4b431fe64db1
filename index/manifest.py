"""The manifest saved with every snapshot: what built it, how big it is, and file checksums.

Loading compares the manifest with what the caller expects, so an index built with one model is
never searched with another's vectors.
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
    model: str
    dimension: int
    count: int  # vectors == metadata rows
    documents: int
    index_type: str = "flat"
    index_params: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)  # chunking etc., as the caller sees it
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

    def check_compatible(self, model: str | None, dimension: int | None) -> None:
        """Refuse an index built for another model or dimension."""
        if (model and model != self.model) or (dimension and dimension != self.dimension):
            raise StoreMismatchError(
                f"index built with model {self.model} (dim {self.dimension}); "
                f"settings ask for model {model} (dim {dimension}). "
                "Rebuild it with `imr ingest --rebuild` or point --index elsewhere."
            )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
