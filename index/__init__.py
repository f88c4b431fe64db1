"""Vector index + metadata store on disk. Knows nothing of IMR: rows carry opaque JSON payloads.

A store directory holds `snapshots/<id>/` (vectors.faiss, meta.sqlite, manifest.json) and a
`current` symlink; writers build a new snapshot beside the old one and swap the link atomically.
"""
