"""Errors rag raises on purpose; api/ maps them to exit codes and HTTP statuses.

* RagError
  - DocumentParseError   a letter lacks an expected part or cannot be read (.path, .section)
  - EmptyQueryError      blank query after normalisation (also a ValueError)
  - NothingToIndexError  an ingest into a new index read no letter
  - InvalidFilterError   a filter value that no record can have (also a ValueError)
"""

from __future__ import annotations

from pathlib import Path


class RagError(Exception):
    """Base class for errors raised by the rag package."""


class DocumentParseError(RagError):
    """A source file is not a readable IMR letter: names the file and the part that is missing."""

    def __init__(self, path: Path | str, section: str, detail: str = "") -> None:
        self.path = Path(path)
        self.section = section
        self.detail = detail
        message = f"{self.path}: {section}"
        super().__init__(f"{message} ({detail})" if detail else message)


class EmptyQueryError(RagError, ValueError):
    """The query is empty or only whitespace."""


class NothingToIndexError(RagError):
    """An ingest found no readable letter and there is no index to keep."""


class InvalidFilterError(RagError, ValueError):
    """A filter parameter has a value outside its allowed set."""

    def __init__(self, name: str, value: object, allowed: str) -> None:
        self.name = name
        self.value = value
        super().__init__(f"filter {name}={value!r} is not valid; expected {allowed}")
