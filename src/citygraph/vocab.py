"""The converter's vocabulary, read from the ontology files rather than written in Python.

The words documents use for cooperation areas (ontology/areas.ttl) and for agreement types and
signing/negation cues (ontology/citygraph.ttl) are data: extending them means editing Turtle, and the
same labels are published with the graph. Each file is parsed once per process (``functools.cache``);
the returned dicts and lists are fresh copies, so callers may change them freely.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from citygraph.namespaces import CG, CGA
from citygraph.resources import resource_dir

__all__ = [
    "area_labels",
    "area_pref_labels",
    "area_broader",
    "agreement_type_labels",
    "cooperation_cues",
    "signing_cues",
    "negation_cues",
    "ontology_graph",
]

_ONTOLOGY_FILE = "citygraph.ttl"
_AREAS_FILE = "areas.ttl"
_SCHEME = CGA["scheme"]


@cache
def _parsed(name: str) -> Graph:
    """Parse one Turtle file of the ontology folder; shared, never handed out (callers get copies)."""
    return Graph().parse(resource_dir("ontology") / name, format="turtle")


def _label_index(graph: Graph, subjects: Iterable[URIRef]) -> dict[str, str]:
    """Map each lower-cased skos label of ``subjects`` to its subject.

    A label that is some subject's prefLabel goes to that subject; otherwise the first subject in IRI
    order wins, so the mapping is deterministic when an altLabel is shared.
    """
    index: dict[str, str] = {}
    ordered = sorted(subjects)
    for predicate in (SKOS.altLabel, SKOS.prefLabel):  # prefLabels last: they overwrite altLabels
        owners: dict[str, str] = {}
        for subject in reversed(ordered):  # reversed: the first subject in IRI order is written last
            for label in graph.objects(subject, predicate):
                owners[str(label).strip().lower()] = str(subject)
        index.update(owners)
    return index


@cache
def _area_concepts() -> tuple[URIRef, ...]:
    graph = _parsed(_AREAS_FILE)
    return tuple(sorted(s for s in graph.subjects(SKOS.inScheme, _SCHEME) if isinstance(s, URIRef)))


@cache
def _area_labels() -> dict[str, str]:
    return _label_index(_parsed(_AREAS_FILE), _area_concepts())


def area_labels() -> dict[str, str]:
    """Lower-cased label (pref or alt) -> area concept IRI: what the converter matches in sentences.

    >>> area_labels()["sewage"]
    'https://w3id.org/citygraph/area/sanitation'
    """
    return dict(_area_labels())


def area_pref_labels() -> dict[str, str]:
    """Area concept IRI -> its English prefLabel, for display and for the tests of the scheme.

    >>> area_pref_labels()["https://w3id.org/citygraph/area/e-government"]
    'e-government'
    """
    graph = _parsed(_AREAS_FILE)
    result: dict[str, str] = {}
    for concept in _area_concepts():
        labels = sorted(graph.objects(concept, SKOS.prefLabel), key=_english_first)
        if labels:
            result[str(concept)] = str(labels[0])
    return result


def _english_first(label: object) -> tuple[int, str]:
    lang = label.language if isinstance(label, Literal) else None
    return (0 if lang in ("en", None) else 1, str(label))


@cache
def _area_broader() -> dict[str, frozenset[str]]:
    graph = _parsed(_AREAS_FILE)
    direct: dict[URIRef, set[URIRef]] = {c: set() for c in _area_concepts()}
    for narrower, broader in graph.subject_objects(SKOS.broader):
        direct.setdefault(narrower, set()).add(broader)  # type: ignore[arg-type]
    for broader, narrower in graph.subject_objects(SKOS.narrower):
        direct.setdefault(narrower, set()).add(broader)  # type: ignore[arg-type]
    return {str(c): frozenset(str(b) for b in _ancestors(c, direct)) for c in _area_concepts()}


def _ancestors(node: URIRef, direct: dict[URIRef, set[URIRef]]) -> set[URIRef]:
    """All nodes reachable upwards from ``node``; tolerates cycles."""
    seen: set[URIRef] = set()
    todo = list(direct.get(node, ()))
    while todo:
        current = todo.pop()
        if current not in seen and current != node:
            seen.add(current)
            todo.extend(direct.get(current, ()))
    return seen


def area_broader() -> dict[str, set[str]]:
    """Area concept IRI -> all its transitively broader concepts (empty set for top concepts).

    >>> sorted(area_broader()["https://w3id.org/citygraph/area/trade"])
    ['https://w3id.org/citygraph/area/economy']
    """
    return {concept: set(broader) for concept, broader in _area_broader().items()}


@cache
def _agreement_classes() -> tuple[URIRef, ...]:
    """cg:Agreement and every class below it (transitively) in the ontology."""
    graph = _parsed(_ONTOLOGY_FILE)
    found = {CG.Agreement}
    todo = [CG.Agreement]
    while todo:
        for sub in graph.subjects(RDFS.subClassOf, todo.pop()):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                todo.append(sub)
    return tuple(sorted(found))


@cache
def _agreement_type_labels() -> dict[str, str]:
    return _label_index(_parsed(_ONTOLOGY_FILE), _agreement_classes())


def agreement_type_labels() -> dict[str, str]:
    """Lower-cased word or phrase for a kind of agreement -> agreement class IRI.

    >>> agreement_type_labels()["mou"]
    'https://w3id.org/citygraph/ontology#MemorandumOfUnderstanding'
    """
    return dict(_agreement_type_labels())


@cache
def _cues(prop: URIRef, subject: URIRef = CG.Agreement) -> tuple[str, ...]:
    graph = _parsed(_ONTOLOGY_FILE)
    words = {str(o).strip().lower() for o in graph.objects(subject, prop)}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def cooperation_cues() -> list[str]:
    """Words (cg:cooperationCue) of sentences that say what parties will do together: where areas are read.

    >>> "cooperation" in cooperation_cues()
    True
    """
    return list(_cues(CG.cooperationCue, CG.CooperationArea))


def signing_cues() -> list[str]:
    """Phrases (cg:signingCue) saying an agreement was concluded; longest first, for greedy matching.

    >>> "signed" in signing_cues()
    True
    """
    return list(_cues(CG.signingCue))


def negation_cues() -> list[str]:
    """Phrases (cg:negationCue) saying an agreement was only discussed or planned; longest first."""
    return list(_cues(CG.negationCue))


def ontology_graph() -> Graph:
    """The ontology and the area scheme in one graph (a fresh copy: safe to add to or load elsewhere)."""
    graph = Graph()
    for name in (_ONTOLOGY_FILE, _AREAS_FILE):
        source = _parsed(name)
        for prefix, namespace in source.namespaces():
            graph.bind(prefix, namespace, override=False)
        for triple in source:
            graph.add(triple)
    return graph
