"""Errors rag raises on purpose; api/ maps them to exit codes and HTTP statuses. Anything else that
escapes rag is a bug and is reported as one.

* RagError
  - DocumentParseError    a letter lacks an expected part or cannot be read (.path, .section)
  - InputError            a request rag cannot serve as asked (also a ValueError)
    - EmptyQueryError       blank query after normalisation
    - InvalidFilterError    a filter value no record can have (.name)
    - SettingsError         an IMR_* variable or option with a bad value
  - ConfigMismatchError   an index built with another model, chunking or extractor version
  - ModelError            the embedding model is missing, unknown or its weights are damaged
  - IngestError           an ingest could not finish; the previous index is untouched
    - NothingToIndexError   no letter could be read and there is no index to keep
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


class InputError(RagError, ValueError):
    """A query, filter or setting that cannot be used as given."""


class EmptyQueryError(InputError):
    """The query is empty or only whitespace."""


class InvalidFilterError(InputError):
    """A filter parameter has a value outside its allowed set."""

    def __init__(self, name: str, value: object, allowed: str) -> None:
        self.name = name
        self.value = value
        super().__init__(f"filter {name}={value!r} is not valid; expected {allowed}")


class SettingsError(InputError):
    """An IMR_* environment variable or a command option has a value that cannot be used."""


class ConfigMismatchError(RagError):
    """The index was built with another IndexConfig than the one asked for."""


class ModelError(RagError):
    """The embedding model cannot be loaded: unknown name, package missing, weights damaged."""


class IngestError(RagError):
    """An ingest stopped before its snapshot was swapped in; the previous index is untouched."""


class NothingToIndexError(IngestError):
    """An ingest found no readable letter and there is no index to keep."""
