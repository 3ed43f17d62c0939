"""citygraph: a knowledge graph of international municipal relations.

The public API is what `__all__` names; the CLI (`citygraph.cli`) is a thin layer over it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("citygraph")  # the one place the version lives is pyproject.toml
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "__version__",
    "extract",
    "read_document",
    "document_from_bytes",
    "to_graph",
    "validate",
    "convert_file",
    "convert_files",
    "build",
    "LocalStore",
]


def __getattr__(name: str):
    """Import the heavy parts lazily: `citygraph --help` should not pay for rdflib and pyshacl."""
    if name == "extract":
        from citygraph.extract import extract

        return extract
    if name in ("read_document", "document_from_bytes"):
        from citygraph import text

        return getattr(text, name)
    if name == "to_graph":
        from citygraph.mint import to_graph

        return to_graph
    if name == "validate":
        from citygraph.validate import validate

        return validate
    if name in ("convert_file", "convert_files", "build"):
        from citygraph import pipeline

        return getattr(pipeline, name)
    if name == "LocalStore":
        from citygraph.store import LocalStore

        return LocalStore
    raise AttributeError(name)
