"""Errors the index package raises.

* StoreError
  - StoreNotFoundError   no index built at the path (also a FileNotFoundError)
  - StoreMismatchError   the index was built with other settings than the caller expects
  - StoreCorruptError    files missing, truncated or inconsistent with the manifest
  - IndexBusyError       another writer holds the index's lock
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class for errors raised by the index package."""


class StoreNotFoundError(StoreError, FileNotFoundError):
    """No index has been built at the given directory."""


class StoreMismatchError(StoreError):
    """The stored index does not match what the caller expects (model, dimension)."""


class StoreCorruptError(StoreError):
    """The stored index is damaged: a file is missing, truncated or disagrees with the manifest."""


class IndexBusyError(StoreError):
    """Another writer (an ingest in this process or another) holds the index's write lock."""
