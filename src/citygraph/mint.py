"""Extraction records to RDF in the ontology's terms, with IRIs derived from content.

The same input always gives the same IRIs (hashes of what identifies a thing, never counters), so
a second build adds nothing, and two documents reporting the same agreement meet on one node.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef

from citygraph.gazetteer import Gazetteer
from citygraph.model import Agreement, Extraction, Party
from citygraph.namespaces import CG, CGA, CGID, DCTERMS, OWL, PREFIXES, PROV, RDF, RDFS, SKOS, WD, XSD

__all__ = [
    "to_graph",
    "add_country",
    "place_iri",
    "agreement_iri",
    "official_iri",
    "document_iri",
    "graph_iri",
    "slug",
    "new_graph",
]

_ = (CGA, BNode)


def _digest(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:16]


def slug(text: str) -> str:
    """A readable, stable IRI segment.

    >>> slug("Mandaue City"), slug("Medellín")
    ('mandaue-city', 'medellin')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or _digest(text)


def place_iri(party: Party) -> URIRef:
    if party.qid:
        return CGID[f"place/{party.qid}"]
    return CGID[f"place/{(party.country or 'xx').lower()}/{slug(party.label)}"]


def agreement_iri(ag: Agreement) -> URIRef:
    parties = sorted(str(place_iri(p)) for p in ag.parties)
    return CGID[f"agreement/{_digest(*parties, ag.type, ag.date or '')}"]


def official_iri(name: str, party: URIRef | None) -> URIRef:
    return CGID[f"official/{_digest(' '.join(name.casefold().split()), str(party or ''))}"]


def document_iri(text: str) -> URIRef:
    return CGID[f"document/{_digest(text)}"]


def graph_iri(source: str) -> URIRef:
    """The named graph holding what one source says: rebuilding the source replaces it."""
    return CGID[f"graph/{_digest(source)}"]


def _date_literal(value: str) -> Literal:
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return Literal(value, datatype=datatype)


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def to_graph(extraction: Extraction, gaz: Gazetteer | None = None) -> Graph:
    """The RDF of one document's agreements (see ontology/MODEL.md)."""
    gaz = gaz or Gazetteer.default()
    g = Graph(bind_namespaces="none")  # prefixes are bound once, when a graph is written out
    doc = extraction.document
    d = document_iri(doc.text)
    g.add((d, RDF.type, CG.SourceDocument))
    g.add((d, DCTERMS.source, Literal(doc.source)))
    if doc.title:
        g.add((d, DCTERMS.title, Literal(doc.title)))
    if doc.published and re.fullmatch(r"\d{4}-\d\d-\d\d", doc.published[:10]):
        g.add((d, DCTERMS.issued, Literal(doc.published[:10], datatype=XSD.date)))
    iris = [agreement_iri(ag) for ag in extraction.agreements]
    described: set[URIRef] = set()  # places and countries already described in this graph
    for ag, a in zip(extraction.agreements, iris, strict=True):
        g.add((a, RDF.type, CG[ag.type]))
        party_iris: dict[str, URIRef] = {}
        for party in ag.parties:
            p = place_iri(party)
            party_iris[party.key] = p
            g.add((a, CG.party, p))
            _add_place(g, p, party, gaz, described)
        if ag.date:
            g.add((a, CG.signedOn, _date_literal(ag.date)))
        for area in ag.areas:
            g.add((a, CG.cooperationArea, URIRef(area)))
        for off in ag.officials:
            represents = party_iris.get(off.party) if off.party else None
            o = official_iri(off.name, represents)
            g.add((o, RDF.type, CG.Official))
            g.add((o, RDFS.label, Literal(off.name)))
            if off.title:
                g.add((o, CG.title, Literal(off.title)))
            if represents is not None:
                g.add((o, CG.represents, represents))
            g.add((a, CG.signatory if off.signed else CG.participant, o))
        g.add((a, CG.evidence, Literal(ag.evidence, lang="en")))
        g.add((a, CG.confidence, Literal(Decimal(str(ag.confidence)), datatype=XSD.decimal)))
        if ag.passing:
            g.add((a, CG.passingMention, Literal(True)))
        if ag.renews is not None:
            g.add((a, CG.renews, iris[ag.renews]))
        g.add((a, PROV.wasDerivedFrom, d))
    return g


def _add_place(g: Graph, p: URIRef, party: Party, gaz: Gazetteer, described: set[URIRef]) -> None:
    if party.mention and party.mention != party.label:
        g.add((p, SKOS.altLabel, Literal(party.mention, lang="en")))
    if p in described:  # a party of several agreements: its description is the same each time
        return
    described.add(p)
    g.add((p, RDF.type, CG.Region if party.kind == "region" else CG.City))
    g.add((p, RDFS.label, Literal(party.label, lang="en")))
    if party.qid:
        g.add((p, OWL.sameAs, WD[party.qid]))
        place = gaz.by_qid(party.qid)
        for alias in (place.aliases if place else ())[:6]:
            if alias != party.label:
                g.add((p, SKOS.altLabel, Literal(alias, lang="en")))
    add_country(g, p, party.country, gaz, described)


def add_country(
    g: Graph, place: URIRef, iso2: str, gaz: Gazetteer, described: set[URIRef] | None = None
) -> bool:
    """Link a place to the Wikidata item of its country, described once (label, ISO code).

    `described` names the nodes the graph already describes, so a country is not added again.
    False when the code names no country of the index: the caller decides what else it knows."""
    country = gaz.country(iso2) if iso2 else None
    if country is None or not country.qid:
        return False
    c = WD[country.qid]
    g.add((place, CG.country, c))
    if described is not None:
        if c in described:
            return True
        described.add(c)
    g.add((c, RDF.type, CG.Country))
    g.add((c, RDFS.label, Literal(country.name, lang="en")))
    g.add((c, CG.countryCode, Literal(country.iso2)))
    return True
