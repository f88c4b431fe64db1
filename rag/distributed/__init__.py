"""Ingest on a Ray cluster (`imr ingest --ray`, the `[ray]` extra): the index the local path builds.

* `pipeline`: parse and chunk in Ray Data tasks, embed in an actor pool, commit like `rag.ingest`
* `shards`: the embedded chunks as Parquet parts, so a crashed run resumes from what it finished
* `session`: one Ray session per run, and the count of attempts Ray retries silently

See docs/SCALE.md for clusters and timings.
"""

from rag.distributed.pipeline import ingest_ray
from rag.distributed.session import ray_session
from rag.distributed.shards import SHARDS

__all__ = ["SHARDS", "ingest_ray", "ray_session"]
