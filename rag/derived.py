"""Versions of what ingest derives from a letter (bump one when its module's output changes).

An index records ANNOTATIONS in its config; an ingest into an index derived with other versions
re-derives every letter's facts, reasons and index fields, without re-embedding. It records
VOCABULARY (a digest of the concept table and of LEXICAL_VERSION) too: concepts are tokens of
every stored chunk, as are the words `rag.tokens` makes, so another table or another tokenizer
needs a rebuild.
"""

import hashlib
from pathlib import Path

FACTS_VERSION = 15  # rag.facts and rag/data/treatments.toml (15: a radial, femoral,
# humeral or metatarsal head is the elbow's, hip's, shoulder's, foot's, not the head's)
REASONS_VERSION = 13  # rag.reasons and rag/data/reasons.toml (13: "no" a word, not "norco")
FIELDS_VERSION = 29  # rag.fields: the tokens and value columns stored per item (29: a
# topical's strength in percent, written as a question's is: "2.50%" is "2.5%")
ANNOTATIONS = f"facts{FACTS_VERSION}-reasons{REASONS_VERSION}-fields{FIELDS_VERSION}"
LEXICAL_VERSION = 2  # rag.tokens.lexical_tokens (2: plural endings dropped)
VOCABULARY = hashlib.sha1(
    (Path(__file__).parent / "data" / "concepts.toml").read_bytes()
    + f"lexical{LEXICAL_VERSION}".encode()
).hexdigest()[:12]
