"""The namespaces of the citygraph model (see ontology/MODEL.md), defined once."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "CG",
    "CGA",
    "CGID",
    "WD",
    "SCHEMA",
    "ORG",
    "DCTERMS",
    "FOAF",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "XSD",
    "PREFIXES",
]

CG = Namespace("https://w3id.org/citygraph/ontology#")
CGA = Namespace("https://w3id.org/citygraph/area/")
CGID = Namespace("https://w3id.org/citygraph/id/")
WD = Namespace("http://www.wikidata.org/entity/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")

PREFIXES: dict[str, Namespace] = {
    "cg": CG,
    "cga": CGA,
    "cgid": CGID,
    "wd": WD,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "foaf": FOAF,
    "schema": SCHEMA,
    "org": ORG,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}
