"""The published graph in data/ must be what the bundled documents give today."""

from __future__ import annotations

import importlib.util
import json

from rdflib import Graph
from rdflib.compare import isomorphic

from citygraph.resources import resource_dir


def _published_bytes() -> dict[str, bytes]:
    path = resource_dir("data").parent / "scripts" / "publish_bundled.py"
    spec = importlib.util.spec_from_file_location("publish_bundled", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.published_bytes()


def test_published_graph_is_not_stale() -> None:
    fresh = _published_bytes()
    data = resource_dir("data")
    committed = Graph().parse(data / "citygraph.ttl", format="turtle")
    rebuilt = Graph().parse(data=fresh["citygraph.ttl"], format="turtle")
    assert isomorphic(committed, rebuilt), (
        "data/citygraph.ttl is stale: run python scripts/publish_bundled.py"
    )
    from_jsonld = Graph().parse(data=fresh["citygraph.jsonld"], format="json-ld")
    assert isomorphic(from_jsonld, rebuilt)
    assert json.loads((data / "citygraph.jsonld").read_bytes()) == json.loads(fresh["citygraph.jsonld"])


def test_published_graph_answers_the_seoul_transport_question() -> None:
    g = Graph().parse(resource_dir("data") / "citygraph.ttl", format="turtle")
    rows = list(
        g.query("""
        PREFIX cg: <https://w3id.org/citygraph/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX cga: <https://w3id.org/citygraph/area/>
        SELECT ?date WHERE {
          ?a cg:party ?seoul, ?other ; cg:cooperationArea cga:transport ; cg:signedOn ?date .
          ?seoul owl:sameAs <http://www.wikidata.org/entity/Q8684> .
          ?other owl:sameAs <http://www.wikidata.org/entity/Q9326> .
        }""")
    )
    assert [str(r.date) for r in rows] == ["2015-11-05"]
