"""Reading RDF files given by users, safely: the format from the file name, and no network.

JSON-LD may name a remote `@context`; fetching it at parse time would make a local command reach
the internet (and hang without it), so remote contexts are refused with a clear error.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

__all__ = ["RdfInputError", "read_rdf", "FORMATS"]

FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".trig": "trig",
    ".n3": "n3",
}


class RdfInputError(ValueError):
    """An RDF input that cannot be read; the message is one line."""


def _fetches(context: object) -> bool:
    """Whether a JSON-LD processor would fetch something to read this @context value."""
    if isinstance(context, str):
        return "://" in context or context.startswith("//")
    if isinstance(context, list):
        return any(_fetches(item) for item in context)
    if isinstance(context, dict):
        if _fetches(context.get("@import")):
            return True
        return any(
            isinstance(v, dict) and "@context" in v and _fetches(v["@context"]) for v in context.values()
        )
    return False


def _remote_context(doc: object) -> bool:
    """A remote @context or @import anywhere in the document, nested ones included."""
    if isinstance(doc, dict):
        if "@context" in doc and _fetches(doc["@context"]):
            return True
        return any(_remote_context(v) for v in doc.values() if isinstance(v, dict | list))
    if isinstance(doc, list):
        return any(_remote_context(v) for v in doc)
    return False


def read_rdf(path: Path) -> Graph:
    """Parse an RDF file into a graph, or raise RdfInputError saying why not."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise RdfInputError(f"{path}: unknown RDF format (use .ttl, .nt, .nq, .jsonld, .rdf, .trig)")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RdfInputError(f"{path}: no such file") from None
    except OSError as exc:
        raise RdfInputError(f"{path}: {exc.strerror or 'cannot read'}") from None
    if not data.strip():
        raise RdfInputError(f"{path}: empty file")
    if fmt == "json-ld":
        try:
            doc = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise RdfInputError(f"{path}: not valid JSON ({exc.__class__.__name__})") from None
        if _remote_context(doc):
            raise RdfInputError(f"{path}: remote JSON-LD @context is not fetched; embed the context")
    graph = Graph()
    try:
        if fmt in ("nquads", "trig"):
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(data=data, format=fmt)
            for s, p, o, _g in ds.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(data=data, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise RdfInputError(f"{path}: invalid {fmt}: {first[:200]}") from None
    return graph
