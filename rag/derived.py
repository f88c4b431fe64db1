"""Versions of what ingest derives from a letter (bump one when its module's output changes).

An index records ANNOTATIONS in its config; an ingest into an index derived with other versions
re-derives every letter's facts, reasons and index fields, without re-embedding.
"""

FACTS_VERSION = 1  # rag.facts and rag/data/treatments.toml
REASONS_VERSION = 1  # rag.reasons and rag/data/reasons.toml
FIELDS_VERSION = 1  # rag.fields: the tokens and value columns stored per item
ANNOTATIONS = f"facts{FACTS_VERSION}-reasons{REASONS_VERSION}-fields{FIELDS_VERSION}"
