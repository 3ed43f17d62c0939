"""Publishing the graph as files: Turtle, N-Triples, N-Quads and JSON-LD, byte-identical for the same data.

Determinism: every format is produced from the N-Triples (or N-Quads) lines of the data, deduplicated
and sorted, so the same store always gives the same bytes, whatever order the store iterates in.
Speed: at 1.2 M triples rdflib's serialisers take minutes; Oxigraph writes N-Triples, N-Quads and Turtle
in seconds, so rdflib is not used to write those formats at all.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from typing import Literal as Choice

import pyoxigraph as ox
import rdflib
from rdflib.term import URIRef

from citygraph import namespaces as ns
from citygraph.namespaces import CGID, PREFIXES
from citygraph.resources import resource_dir
from citygraph.store import ONTOLOGY_GRAPH, LocalStore, to_oxigraph

__all__ = [
    "export",
    "write_graph",
    "PublishError",
    "FORMATS",
    "SUFFIXES",
    "TURTLE_PREFIXES",
    "CONTEXT_URL",
    "load_context",
]

FORMATS = ("turtle", "json-ld", "nt", "nq")
SUFFIXES = {"turtle": ".ttl", "json-ld": ".jsonld", "nt": ".nt", "nq": ".nq"}
CONTEXT_URL = "https://w3id.org/citygraph/ontology/context.jsonld"

# Minted IRIs get one prefix per kind: ``place:Q8684`` reads better than ``cgid:place\/Q8684`` (a Turtle
# local name cannot hold an unescaped "/"). Oxigraph picks the longest matching prefix.
TURTLE_PREFIXES: dict[str, str] = {
    **{name: str(ns) for name, ns in PREFIXES.items()},
    **{kind: str(CGID[f"{kind}/"]) for kind in ("agreement", "place", "official", "document", "graph")},
}

Format = Choice["turtle", "json-ld", "nt", "nq"]
_ONTOLOGY = ox.NamedNode(ONTOLOGY_GRAPH)
_RDF_TYPE = str(ns.RDF.type)
_XSD_STRING = str(ns.XSD.string)


class PublishError(Exception):
    """The data cannot be written in the requested form; the message is one line for the user."""


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise PublishError(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    return fmt


def export(store: LocalStore, fmt: Format, *, include_ontology: bool = False) -> bytes:
    """The store's data in ``fmt``: Turtle, N-Triples and JSON-LD hold the union of the data graphs
    (duplicates across graphs merged), N-Quads keeps every named graph. The ontology graph is left out
    unless ``include_ontology``: it is published on its own, from ontology/."""
    _check_format(fmt)
    quads: Iterable[ox.Quad] = store.quads()
    if not include_ontology:
        quads = (quad for quad in quads if quad.graph_name != _ONTOLOGY)
    if fmt == "nq":
        return _sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return _from_triples((quad.triple for quad in quads), fmt)


def write_graph(graph: rdflib.Graph, fmt: Format, *, graph_name: str | None = None) -> bytes:
    """A standalone rdflib graph (``citygraph convert``) in ``fmt``, written like :func:`export`.

    For N-Quads the triples go in ``graph_name``, else the graph's own IRI, else the default graph.
    """
    _check_format(fmt)
    triples = [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]
    if fmt == "nq":
        name = graph_name or (str(graph.identifier) if isinstance(graph.identifier, URIRef) else None)
        target = ox.NamedNode(name) if name else ox.DefaultGraph()
        quads = (ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
        return _sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return _from_triples(triples, fmt)


def _sorted_lines(data: bytes) -> bytes:
    """Sort and deduplicate N-Triples/N-Quads lines: one canonical order for the same set of statements."""
    lines = sorted(set(data.splitlines()))
    return b"\n".join(lines) + b"\n" if lines else b""


def _from_triples(triples: Iterable[ox.Triple], fmt: str) -> bytes:
    ntriples = _sorted_lines(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    if fmt == "nt":
        return ntriples
    ordered = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)  # keeps the sorted order and bnode labels
    if fmt == "turtle":
        return _turtle(ordered)
    return _json_ld([(t.subject, t.predicate, t.object) for t in ordered])


def _turtle(triples: Iterable[ox.Triple]) -> bytes:
    """Oxigraph's Turtle (sorted input groups subjects and predicates), with the prefixes in a fixed order."""
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)
    lines = body.split(b"\n")
    start = 0
    while start < len(lines) and lines[start].startswith(b"@prefix "):
        start += 1
    header = b"".join(
        f"@prefix {name}: <{iri}> .\n".encode() for name, iri in sorted(TURTLE_PREFIXES.items())
    )
    rest = b"\n".join(lines[start:]).lstrip(b"\n")
    return header + (b"\n" + rest if rest else b"")


# --- JSON-LD --------------------------------------------------------------------------------------------


@cache
def load_context() -> dict[str, Any]:
    """The published JSON-LD context (the value of ``@context`` in ontology/context.jsonld)."""
    path = resource_dir("ontology") / "context.jsonld"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PublishError(f"cannot read the JSON-LD context {path}: {error}") from error
    context = document.get("@context") if isinstance(document, dict) else None
    if not isinstance(context, dict):
        raise PublishError(f"{path} has no @context object")
    return context


@dataclass(frozen=True)
class _Term:
    name: str
    iri: str
    type: str | None  # "@id", a datatype IRI, or None
    language: str | None
    set: bool


class _Context:
    """What compaction needs from a flat context of prefixes and term definitions."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        unsupported = {"@vocab", "@base", "@language", "@direction", "@propagate", "@import", "@protected"}
        used = sorted(unsupported & set(context))
        if used:
            raise PublishError(f"the JSON-LD context uses {', '.join(used)}: not supported")
        self.prefixes: dict[str, str] = {}
        for name, value in context.items():
            if isinstance(value, str) and ":" not in name and value[-1:] in ":/?#[]@":
                self.prefixes[name] = value
        self.terms: dict[str, list[_Term]] = defaultdict(list)  # property or class IRI -> terms
        for name, value in context.items():
            if name.startswith("@") or name in self.prefixes:
                continue
            if isinstance(value, str):
                value = {"@id": value}
            allowed = {"@id", "@type", "@container", "@language"}
            if not isinstance(value, dict) or "@id" not in value or set(value) - allowed:
                raise PublishError(f"the JSON-LD context term {name!r} is not a plain term definition")
            kind = value.get("@type")
            container = value.get("@container")
            if container not in (None, "@set") or kind == "@vocab":
                raise PublishError(f"the JSON-LD context term {name!r} uses {container or kind}: unsupported")
            datatype = self.expand(kind) if kind not in (None, "@id") else kind
            term = _Term(
                name, self.expand(value["@id"]), datatype, value.get("@language"), container == "@set"
            )
            self.terms[term.iri].append(term)
        for candidates in self.terms.values():
            candidates.sort(key=lambda t: (len(t.name), t.name))
        self.term_names = {term.name for terms in self.terms.values() for term in terms}

    def expand(self, value: str) -> str:
        prefix, sep, suffix = value.partition(":")
        if sep and not suffix.startswith("//") and prefix in self.prefixes:
            return self.prefixes[prefix] + suffix
        return value

    @cache  # noqa: B019 - one context object per export; the cache is the point
    def compact_iri(self, iri: str, vocab: bool) -> str:
        """A term (if ``vocab`` and a simple term maps the IRI), else the shortest compact IRI."""
        if vocab:
            for term in self.terms.get(iri, ()):
                if term.type is None and term.language is None and not term.set:
                    return term.name
        best = iri
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                candidate = f"{prefix}:{iri[len(namespace) :]}"
                if candidate.startswith(f"{prefix}://") or candidate in self.term_names:
                    continue
                if len(candidate) < len(best) or (len(candidate) == len(best) and candidate < best):
                    best = candidate
        return best

    def select(
        self, predicate: str, value: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> tuple[str, Any, bool]:
        """(key, compacted value, always-an-array) for one statement, as JSON-LD term selection would."""
        candidates = self.terms.get(predicate, ())
        if isinstance(value, ox.Literal):
            datatype = value.datatype.value
            for term in candidates:
                if value.language:
                    if term.language == value.language and term.type is None:
                        return term.name, value.value, term.set
                elif datatype == _XSD_STRING:
                    if term.type is None and term.language is None:
                        return term.name, value.value, term.set
                elif term.type == datatype:
                    return term.name, value.value, term.set
            for term in candidates:  # a term that accepts any value: give the value as an object
                if term.type is None and term.language is None:
                    return term.name, self._value_object(value), term.set
            key = self.compact_iri(predicate, vocab=True)
            if datatype == _XSD_STRING and not value.language:
                return key, value.value, False
            return key, self._value_object(value), False
        node = _node_id(value)
        for term in candidates:
            if term.type == "@id":
                return term.name, self._id(node), term.set
        for term in candidates:
            if term.type is None and term.language is None:
                return term.name, {"@id": self._id(node)}, term.set
        return self.compact_iri(predicate, vocab=True), {"@id": self._id(node)}, False

    def _id(self, node: str) -> str:
        return node if node.startswith("_:") else self.compact_iri(node, vocab=False)

    def _value_object(self, value: ox.Literal) -> dict[str, str]:
        if value.language:
            return {"@value": value.value, "@language": value.language}
        if value.datatype.value == _XSD_STRING:
            return {"@value": value.value}
        return {"@value": value.value, "@type": self.compact_iri(value.datatype.value, vocab=True)}


def _node_id(term: ox.NamedNode | ox.BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _json_ld(triples: list[tuple[Any, ox.NamedNode, Any]], context: Mapping[str, Any] | None = None) -> bytes:
    """A flat JSON-LD document: one node object per subject in ``@graph``, the context embedded.

    Why not a general JSON-LD library: rdflib's serializer with ``context=`` leaves ``@set`` terms and
    IRIs with a "/" after the prefix (all of ``cgid:``) uncompacted, and PyLD's compaction gives the clean
    form but takes ~90 s at 1.2 M triples (measured 5.5 s for 97k). The graph is flat (nodes referring to
    nodes by ``@id``, e.g. an agreement's ``party`` list), and its context holds only prefixes and simple
    term definitions, so compaction reduces to JSON-LD's term selection per statement, done here in
    linear time. The tests check the output against PyLD's compaction and parse it back with rdflib.
    """
    ctx = _Context(context if context is not None else load_context())
    nodes: dict[str, dict[str, Any]] = {}
    arrays: dict[str, set[str]] = defaultdict(set)
    for subject, predicate, obj in triples:
        node_id = _node_id(subject)
        node = nodes.get(node_id)
        if node is None:
            node = nodes[node_id] = {"@id": ctx._id(node_id)}
        if predicate.value == _RDF_TYPE and not isinstance(obj, ox.Literal):
            node.setdefault("@type", []).append(
                ctx.compact_iri(_node_id(obj), vocab=True) if isinstance(obj, ox.NamedNode) else _node_id(obj)
            )
            continue
        key, value, always_array = ctx.select(predicate.value, obj)
        node.setdefault(key, []).append(value)
        if always_array:
            arrays[node_id].add(key)
    graph = []
    for node_id in sorted(nodes, key=lambda n: (n.startswith("_:"), n)):
        node = nodes[node_id]
        out: dict[str, Any] = {"@id": node.pop("@id")}
        types = node.pop("@type", None)
        if types is not None:
            types = sorted(set(types))
            out["@type"] = types[0] if len(types) == 1 else types
        for key in sorted(node):
            values = sorted(node[key], key=_sort_key)
            out[key] = values if len(values) > 1 or key in arrays[node_id] else values[0]
        graph.append(out)
    document = {"@context": dict(context if context is not None else load_context()), "@graph": graph}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
