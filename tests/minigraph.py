"""The small fixture graph (tests/fixtures/mini.ttl) and the ontology, as store and export tests load them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import rdflib

from citygraph.namespaces import CGID
from citygraph.resources import resource_dir

FIXTURE = Path(__file__).parent / "fixtures" / "mini.ttl"
DATA_GRAPH = str(CGID["graph/" + hashlib.sha1(b"tests/fixtures/mini.ttl").hexdigest()[:16]])


def ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(resource_dir("ontology") / "citygraph.ttl")
    graph.parse(resource_dir("ontology") / "areas.ttl")
    return graph


def data() -> rdflib.Graph:
    return rdflib.Graph().parse(FIXTURE)
