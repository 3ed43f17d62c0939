"""The library's entry points: convert documents, validate them, build the store.

The CLI only parses arguments and calls these; so does anything else that embeds citygraph. A bad
document never spoils a batch: it becomes a `Rejected` with a one-line reason, and the rest go on.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef

from citygraph.extract import extract
from citygraph.mint import graph_iri, new_graph, to_graph
from citygraph.model import Extraction
from citygraph.namespaces import CG
from citygraph.resources import resource_dir
from citygraph.store import ONTOLOGY_GRAPH, LocalStore
from citygraph.text import DocumentError, read_document
from citygraph.validate import Report, validate
from citygraph.vocab import ontology_graph

__all__ = [
    "DOCUMENT_SUFFIXES",
    "Converted",
    "Rejected",
    "BuildSummary",
    "discover",
    "source_for",
    "convert_file",
    "convert_files",
    "build",
    "bundled_documents",
    "merged",
]

DOCUMENT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".md")


@dataclass
class Converted:
    source: str
    extraction: Extraction
    graph: Graph
    report: Report

    @property
    def valid(self) -> bool:
        return self.report.conforms


@dataclass(frozen=True)
class Rejected:
    source: str
    reason: str


@dataclass
class BuildSummary:
    documents: int = 0
    agreements: int = 0
    parties: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    triples: int = 0


def bundled_documents() -> list[Path]:
    return discover([resource_dir("data") / "documents"])[0]


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Rejected]]:
    """Expand folders to their documents; a folder with none, or a missing path, is a rejection."""
    found: list[Path] = []
    rejected: list[Rejected] = []
    for path in paths:
        if path.is_dir():
            docs = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in DOCUMENT_SUFFIXES
                and not p.name.startswith(".")
                and p.name.upper() not in {"README.MD", "SOURCES.MD"}
            )
            if not docs:
                rejected.append(Rejected(path.as_posix(), "no documents in directory (.txt, .html)"))
            found.extend(docs)
        elif path.exists():
            found.append(path)
        else:
            rejected.append(Rejected(path.as_posix(), "no such file or directory"))
    return found, rejected


@cache
def _project_root() -> Path:
    return resource_dir("data").parent.resolve()


def source_for(path: Path) -> str:
    """How a document is cited in `dcterms:source`: relative to the project for bundled data, so the
    published graph does not depend on where the checkout lives."""
    try:
        return path.resolve().relative_to(_project_root()).as_posix()
    except ValueError:
        return path.as_posix()


def convert_file(
    path: Path, *, source: str | None = None, published: str | None = None, check: bool = True
) -> Converted:
    """Read, extract, mint and (unless `check` is False) validate one document.

    Raises DocumentError when the file cannot be read as a document."""
    doc = read_document(path, source=source or source_for(path), published=published)
    extraction = extract(doc)
    graph = to_graph(extraction)
    _settled()
    return Converted(doc.source, extraction, graph, validate(graph) if check else Report(True))


@cache
def _settled() -> None:
    """After the first document every lazy resource (index, vocabularies, compiled patterns, imported
    libraries) is loaded and lives as long as the process: freeze it out of the cycle collector, whose
    full passes over it cost a few per cent of a batch."""
    gc.collect()
    gc.freeze()


VALIDATION_BATCH = 200


def validate_batch(items: list[Converted]) -> None:
    """Validate documents' graphs together, then alone only where a finding points at them.

    pyshacl's fixed cost per call dominates on a 50-triple graph; one call over a batch keeps
    validation linear and ~20x cheaper, and the per-document re-check keeps every verdict exact.
    """
    for start in range(0, len(items), VALIDATION_BATCH):
        chunk = items[start : start + VALIDATION_BATCH]
        report = validate(merged(c.graph for c in chunk)) if len(chunk) > 1 else None
        if report is not None and report.conforms:
            for c in chunk:
                c.report = Report(True, [f for f in report.results if _mentions(c.graph, f.focus)])
            continue
        suspects = (
            {f.focus for f in report.results if f.severity == "Violation"} if report is not None else None
        )
        for c in chunk:
            if suspects is None or any(_mentions(c.graph, focus) for focus in suspects):
                c.report = validate(c.graph)
            else:
                c.report = Report(True)


def _mentions(graph: Graph, focus: str) -> bool:
    node = URIRef(focus) if not focus.startswith("_:") else None
    return node is not None and (node, None, None) in graph


def convert_files(
    paths: Iterable[Path], *, progress: Callable[[Path], None] | None = None
) -> tuple[list[Converted], list[Rejected]]:
    """Convert and validate a batch; each bad document becomes a Rejected, the rest go on."""
    done: list[Converted] = []
    rejected: list[Rejected] = []
    for path in paths:
        try:
            done.append(convert_file(path, check=False))
        except DocumentError as exc:
            rejected.append(Rejected(path.as_posix(), str(exc)))
        except Exception as exc:  # noqa: BLE001 - a converter bug must not cost the rest of the batch
            rejected.append(
                Rejected(path.as_posix(), f"converter failed ({exc.__class__.__name__}: {exc})"[:300])
            )
        if progress:
            progress(path)
    validate_batch(done)
    converted: list[Converted] = []
    for item in done:
        if item.valid:
            converted.append(item)
        else:
            reasons = "; ".join(sorted({f.message for f in item.report.results if f.severity == "Violation"}))
            rejected.append(Rejected(item.source, f"invalid RDF: {reasons}"))
    return converted, rejected


def merged(graphs: Iterable[Graph]) -> Graph:
    out = new_graph()
    for g in graphs:
        for triple in g:
            out.add(triple)
    return out


def build(
    paths: Iterable[Path], store: LocalStore, *, progress: Callable[[Path], None] | None = None
) -> BuildSummary:
    """Convert, validate and load documents in one atomic store write.

    Documents are converted and validated a batch at a time and handed to the store as they pass, so
    memory holds one batch of rdflib graphs, not the whole build.
    """
    files, rejected = discover(paths)
    summary = BuildSummary(rejected=rejected)
    parties: set = set()

    def entering() -> Iterator[tuple[str, Graph]]:
        ontology_sent = False
        for start in range(0, len(files), VALIDATION_BATCH):
            converted, bad = convert_files(files[start : start + VALIDATION_BATCH], progress=progress)
            summary.rejected.extend(bad)
            for c in converted:
                if not ontology_sent:
                    ontology_sent = True
                    yield ONTOLOGY_GRAPH, ontology_graph()
                summary.documents += 1
                summary.agreements += len(c.extraction.agreements)
                summary.triples += len(c.graph)
                parties.update(c.graph.objects(None, CG.party))
                yield str(graph_iri(c.source)), c.graph

    if files:
        store.replace_graphs(entering())
    summary.parties = len(parties)
    if summary.documents:
        from citygraph.twinnings import refresh  # imported twinnings meet the new documents' agreements

        refresh(store)
    return summary
