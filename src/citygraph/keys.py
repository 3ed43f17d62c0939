"""Lookup keys: one normalised form of every name, so a query finds "seoul", "SEOUL" or "Q8684" by an
index lookup instead of lower-casing every label in the store.

A SPARQL `FILTER(LCASE(?label) = ...)` scans every label: seconds at 100k agreements. `cg:lookupKey`
holds each label (and each Wikidata QID) case-folded and accent-folded once, when data enters the store;
a saved query binds `?cityKey` to the same form of the user's text and joins on it. Any SPARQL 1.1
engine indexes that join; the keys travel with the published graph.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from citygraph.namespaces import CG, OWL, RDFS, SKOS, WD

__all__ = ["lookup_key", "lookup_triples", "LABELS"]

LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
_NON_WORD = re.compile(r"[^\w]+")


def lookup_key(text: str) -> str:
    """The one form a name is looked up by.

    >>> lookup_key("  Málaga "), lookup_key("HO CHI MINH City"), lookup_key("Gyeonggi-do")
    ('malaga', 'ho chi minh city', 'gyeonggi do')
    >>> lookup_key("Q8684")
    'q8684'

    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", folded).strip()


def lookup_triples(graph: Graph) -> Iterable[tuple[Node, URIRef, Literal]]:
    """The `cg:lookupKey` triples a graph's labels and Wikidata links call for."""
    seen: set[tuple[Node, str]] = set()
    for predicate in LABELS:
        for subject, label in graph.subject_objects(predicate):
            key = lookup_key(str(label))
            if key and (subject, key) not in seen:
                seen.add((subject, key))
                yield subject, CG.lookupKey, Literal(key)
    for subject, item in graph.subject_objects(OWL.sameAs):
        if isinstance(item, URIRef) and str(item).startswith(str(WD)):
            key = lookup_key(str(item)[len(str(WD)) :])
            if (subject, key) not in seen:
                seen.add((subject, key))
                yield subject, CG.lookupKey, Literal(key)
