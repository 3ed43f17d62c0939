"""Rebuild the published graph (data/citygraph.ttl, data/citygraph.jsonld) from data/documents/.

Run after changing the converter or the documents; tests/test_published.py fails while these files
are stale. Usage: python scripts/publish_bundled.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from citygraph.fsutil import atomic_write
from citygraph.pipeline import build, bundled_documents
from citygraph.publish import export
from citygraph.resources import resource_dir
from citygraph.store import LocalStore


def published_bytes() -> dict[str, bytes]:
    """The published files' contents, built in a throw-away store."""
    with tempfile.TemporaryDirectory() as tmp:
        store = LocalStore(Path(tmp))
        summary = build(bundled_documents(), store)
        if summary.rejected:
            for r in summary.rejected:
                print(f"rejected {r.source}: {r.reason}", file=sys.stderr)
        return {"citygraph.ttl": export(store, "turtle"), "citygraph.jsonld": export(store, "json-ld")}


def main() -> None:
    for name, data in published_bytes().items():
        atomic_write(resource_dir("data") / name, data)
        print(f"wrote data/{name} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
