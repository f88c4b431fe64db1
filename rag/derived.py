"""Versions of what ingest derives from a letter (bump one when its module's output changes).

An index records ANNOTATIONS in its config; an ingest into an index derived with other versions
re-derives every letter's facts, reasons and index fields, without re-embedding. It records
VOCABULARY (a digest of the concept table and of LEXICAL_VERSION) too: concepts are tokens of
every stored chunk, as are the words `rag.tokens` makes, so another table or another tokenizer
needs a rebuild.
"""

import hashlib
from pathlib import Path

FACTS_VERSION = 16  # rag.facts and rag/data/treatments.toml (16: a psychiatric partial
# hospitalization is psychological care, not a program)
REASONS_VERSION = 14  # rag.reasons and rag/data/reasons.toml (14: a verdict after "therefore"
# with no comma, "the originally requested", absent red flags, sessions "not beneficial")
FIELDS_VERSION = 32  # rag.fields: the tokens and value columns stored per item (32: a
# course's weeks from its visits and its visits a week)
ANNOTATIONS = f"facts{FACTS_VERSION}-reasons{REASONS_VERSION}-fields{FIELDS_VERSION}"
LEXICAL_VERSION = 3  # rag.tokens.lexical_tokens (3: "headaches" is headache, not "headach")
VOCABULARY = hashlib.sha1(
    (Path(__file__).parent / "data" / "concepts.toml").read_bytes()
    + f"lexical{LEXICAL_VERSION}".encode()
).hexdigest()[:12]
