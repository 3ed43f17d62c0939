"""Known twinnings (Wikidata P190, "twinned administrative body") as sister-city agreements.

Sources: the bundled snapshot ``data/places/twinnings.tsv`` (names and countries from the place index),
a file in the same format, or Wikidata's query service. Places get the IRIs documents give them
(``cgid:place/Q8684``), so imported and document-derived agreements meet on the same places.

Reconciliation, so one relation from two sources is one node, not two:

- An imported twinning's IRI is ``mint.agreement_iri`` of an undated ``SisterCityAgreement`` between the two
  places: a document that reports the twinning without a date mints the very same node.
- Before minting, the store is searched for a document-derived ``cg:SisterCityAgreement`` or
  ``cg:FriendshipAgreement`` between exactly those two places (by place IRI or ``owl:sameAs``). Wikidata's
  P190 covers both "sister city" and "friendship city" relations, while an MoU, a letter of intent or a
  cooperation agreement is a narrower, dated act between two cities that may or may not be twinned, so
  those are never merged. When one is found (a sister-city agreement before a friendship agreement, then
  the oldest), the Wikidata evidence and provenance are added to that node instead.
- The imported statements live in their own named graph (``TWINNINGS_GRAPH``), written in one atomic
  store write; :func:`refresh` re-runs the reconciliation from that graph after documents change, so a
  later build that reports a twinning with a date does not leave two nodes either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from citygraph import namespaces as ns
from citygraph.gazetteer import Gazetteer, places_dir
from citygraph.mint import add_country, agreement_iri, document_iri, new_graph, place_iri
from citygraph.model import Agreement, Party
from citygraph.namespaces import CG, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, WD
from citygraph.store import ONTOLOGY_GRAPH, TWINNINGS_GRAPH, LocalStore, StoreError

__all__ = [
    "TwinPlace",
    "Twinning",
    "TwinningSource",
    "ImportSummary",
    "TwinningError",
    "WIKIDATA_SOURCE",
    "WIKIDATA_SPARQL",
    "SOURCE_DOCUMENT",
    "CONFIDENCE",
    "RECONCILED_TYPES",
    "bundled_snapshot",
    "read_tsv",
    "fetch_online",
    "existing_agreements",
    "twinnings_graph",
    "import_twinnings",
    "refresh",
    "evidence_text",
]

WIKIDATA_SOURCE = "https://www.wikidata.org/ (P190, twinned administrative body)"
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
SOURCE_DOCUMENT = document_iri(WIKIDATA_SOURCE)
# How much an imported P190 statement is trusted: curated, but some are stale or one-sided.
CONFIDENCE = Decimal("0.9")
RECONCILED_TYPES = (CG.SisterCityAgreement, CG.FriendshipAgreement)
MAX_ALIASES = 12  # as many alternative names as document-derived places carry
_QID = re.compile(r"Q[1-9][0-9]*")
_PLACE_QID = re.compile(r"/place/(Q[1-9][0-9]*)$")
_WD = str(WD)


class TwinningError(Exception):
    """A twinning source cannot be read; the message is one line."""


@dataclass(frozen=True)
class TwinPlace:
    qid: str
    label: str
    country: str = ""  # ISO 3166-1 alpha-2, "" when unknown
    kind: str = "city"  # "city" | "region"
    country_qid: str = ""  # a Wikidata item when the country has no ISO code in the index
    aliases: tuple[str, ...] = ()

    @property
    def iri(self) -> URIRef:
        return place_iri(Party(label=self.label, kind=self.kind, country=self.country, qid=self.qid))


@dataclass(frozen=True)
class Twinning:
    """One P190 link (the places in name order); ``key`` is the unordered pair."""

    a: TwinPlace
    b: TwinPlace

    @property
    def key(self) -> frozenset[str]:
        return frozenset((self.a.qid, self.b.qid))

    @property
    def iri(self) -> URIRef:
        parties = [Party(label=p.label, kind=p.kind, country=p.country, qid=p.qid) for p in (self.a, self.b)]
        return agreement_iri(Agreement(parties=parties, type="SisterCityAgreement"))


@dataclass
class TwinningSource:
    """Twinnings and where they came from (for the source document node)."""

    title: str
    pairs: list[Twinning]
    issued: str | None = None  # YYYY-MM-DD of retrieval, when known
    skipped: list[str] = field(default_factory=list)  # one line per row that was left out


@dataclass
class ImportSummary:
    pairs: int = 0
    new_agreements: int = 0
    reconciled: int = 0
    places: int = 0
    triples: int = 0
    skipped: list[str] = field(default_factory=list)


def evidence_text(twinning: Twinning) -> str:
    """The evidence sentence of an imported twinning.

    >>> evidence_text(Twinning(TwinPlace("Q8684", "Seoul"), TwinPlace("Q269", "Tashkent")))
    'Wikidata: Seoul (Q8684) twinned administrative body (P190) Tashkent (Q269)'
    """
    a, b = twinning.a, twinning.b
    return f"Wikidata: {a.label} ({a.qid}) twinned administrative body (P190) {b.label} ({b.qid})"


# --- sources --------------------------------------------------------------------------------------------


def _place(qid: str, gaz: Gazetteer, label: str = "", country: str = "", country_qid: str = "") -> TwinPlace:
    """A place as documents would describe it: the index's name, kind and country win over the source's."""
    known = gaz.by_qid(qid)
    if known is not None:
        return TwinPlace(qid, known.name, known.country, known.kind, aliases=known.aliases)
    return TwinPlace(qid, label or qid, country, "city", country_qid)


def bundled_snapshot() -> Path:
    return places_dir() / "twinnings.tsv"


def _pairs(rows: Iterable[tuple[TwinPlace, TwinPlace]]) -> list[Twinning]:
    """Unordered pairs once each, first occurrence wins; self-links dropped. The two places are put in
    one canonical order (by name), so the evidence text does not depend on the source's order."""
    seen: set[frozenset[str]] = set()
    pairs = []
    for one, two in rows:
        a, b = sorted((one, two), key=lambda p: (p.label.casefold(), int(p.qid[1:])))
        twinning = Twinning(a, b)
        if a.qid == b.qid or twinning.key in seen:
            continue
        seen.add(twinning.key)
        pairs.append(twinning)
    return pairs


def read_tsv(path: Path | None = None, gazetteer: Gazetteer | None = None) -> TwinningSource:
    """Read QID pairs (two tab-separated columns, an optional header) like the bundled snapshot."""
    gaz = gazetteer or Gazetteer.default()
    source = path or bundled_snapshot()
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TwinningError(f"cannot read {source}: {getattr(error, 'strerror', None) or error}") from None
    rows: list[tuple[TwinPlace, TwinPlace]] = []
    skipped: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        cells = [cell.strip() for cell in line.split("\t")]
        if not line.strip() or line.startswith("#"):
            continue
        if len(cells) < 2 or not (_QID.fullmatch(cells[0]) and _QID.fullmatch(cells[1])):
            if number > 1:  # the first line may be a header
                skipped.append(f"{source.name}:{number}: not two Wikidata QIDs")
            continue
        rows.append((_place(cells[0], gaz), _place(cells[1], gaz)))
    if not rows:
        raise TwinningError(f"{source}: no twinnings (expected two tab-separated QID columns)")
    if path is None:
        title = "Wikidata P190 twinnings, bundled snapshot (bothness/twin-cities)"
    else:
        title = f"Wikidata P190 twinnings from {source.name}"
    return TwinningSource(title=title, pairs=_pairs(rows), skipped=skipped)


ONLINE_QUERY = """
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?a ?b ?aLabel ?bLabel ?aCountry ?bCountry WHERE {
  ?a wdt:P190 ?b .
  OPTIONAL { ?a rdfs:label ?aLabel . FILTER(LANG(?aLabel) = "en") }
  OPTIONAL { ?b rdfs:label ?bLabel . FILTER(LANG(?bLabel) = "en") }
  OPTIONAL { ?a wdt:P17 ?aCountry }
  OPTIONAL { ?b wdt:P17 ?bCountry }
}
"""


def _qid(term: object) -> str | None:
    value = str(term or "")
    if value.startswith(_WD) and _QID.fullmatch(value[len(_WD) :]):
        return value[len(_WD) :]
    return None


def fetch_online(
    endpoint: str = WIKIDATA_SPARQL, *, timeout: float = 120, gazetteer: Gazetteer | None = None
) -> TwinningSource:
    """All P190 links with English labels and P17 countries from a Wikidata SPARQL endpoint."""
    from citygraph.remote import RemoteStore, safe_url

    gaz = gazetteer or Gazetteer.default()
    iso_by_qid = {country.qid: country.iso2 for country in gaz.countries() if country.qid}
    result = RemoteStore(endpoint, timeout=timeout).query(ONLINE_QUERY)
    labels: dict[str, str] = {}
    countries: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []
    for row in result.rows:
        a, b = _qid(row.get("a")), _qid(row.get("b"))
        if a is None or b is None:
            continue
        links.append((a, b))
        for qid, side in ((a, "a"), (b, "b")):
            label = row.get(f"{side}Label")
            if label is not None:
                labels.setdefault(qid, str(label))
            country = _qid(row.get(f"{side}Country"))
            if country:
                countries.setdefault(qid, set()).add(country)

    def place(qid: str) -> TwinPlace:
        known = sorted(countries.get(qid, ()), key=lambda c: (c not in iso_by_qid, int(c[1:])))
        country_qid = known[0] if known else ""
        return _place(qid, gaz, labels.get(qid, ""), iso_by_qid.get(country_qid, ""), country_qid)

    cache: dict[str, TwinPlace] = {}
    rows = []
    for a, b in links:
        for qid in (a, b):
            if qid not in cache:
                cache[qid] = place(qid)
        rows.append((cache[a], cache[b]))
    today = datetime.now(UTC).date().isoformat()
    return TwinningSource(
        title=f"Wikidata P190 twinnings from {safe_url(endpoint)}, retrieved {today}",
        pairs=_pairs(rows),
        issued=today,
    )


# --- reconciliation -------------------------------------------------------------------------------------

_EXISTING = f"""
PREFIX cg: <{CG}>
SELECT ?agreement ?class ?party ?date WHERE {{
  GRAPH ?g {{ ?agreement a ?class ; cg:party ?party }}
  FILTER(?g != <{TWINNINGS_GRAPH}> && ?class IN ({", ".join(f"<{c}>" for c in RECONCILED_TYPES)}))
  OPTIONAL {{ ?agreement cg:signedOn ?date }}
}}
"""
_SAME_AS = f"""
PREFIX owl: <{OWL}>
SELECT ?place ?item WHERE {{ ?place owl:sameAs ?item FILTER(STRSTARTS(STR(?item), "{_WD}")) }}
"""


@dataclass(frozen=True)
class _Match:
    agreement: URIRef
    parties: tuple[URIRef, ...]
    rank: tuple[int, str, str]


def existing_agreements(store: LocalStore) -> dict[frozenset[str], _Match]:
    """Sister-city and friendship agreements outside the twinnings graph between exactly two places
    known by QID, by unordered QID pair; where several exist, the one to reconcile with."""
    if not store.exists():
        return {}
    qids: dict[URIRef, str] = {}
    for row in store.query(_SAME_AS).rows:
        qid = _qid(row["item"])
        if qid:
            qids.setdefault(row["place"], qid)
    agreements: dict[URIRef, dict] = {}
    for row in store.query(_EXISTING).rows:
        entry = agreements.setdefault(row["agreement"], {"parties": set(), "classes": set(), "dates": set()})
        entry["parties"].add(row["party"])
        entry["classes"].add(row["class"])
        if "date" in row:
            entry["dates"].add(str(row["date"]))
    best: dict[frozenset[str], _Match] = {}
    for agreement, entry in agreements.items():
        parties = entry["parties"]
        if len(parties) != 2:
            continue
        pair = set()
        for party in parties:
            match = _PLACE_QID.search(str(party))
            qid = match.group(1) if match else qids.get(party)
            if qid:
                pair.add(qid)
        if len(pair) != 2:
            continue
        sister = 0 if CG.SisterCityAgreement in entry["classes"] else 1
        rank = (sister, min(entry["dates"], default="9999"), str(agreement))
        found = _Match(agreement, tuple(sorted(parties)), rank)
        key = frozenset(pair)
        if key not in best or found.rank < best[key].rank:
            best[key] = found
    return best


# --- the graph ------------------------------------------------------------------------------------------


def _describe(g: Graph, place: TwinPlace, gaz: Gazetteer) -> None:
    """A place as ``mint`` describes a document's party (see ontology/MODEL.md)."""
    p = place.iri
    g.add((p, RDF.type, CG.Region if place.kind == "region" else CG.City))
    g.add((p, RDFS.label, Literal(place.label, lang="en")))
    g.add((p, OWL.sameAs, WD[place.qid]))
    for alias in place.aliases[:MAX_ALIASES]:
        if alias != place.label:
            g.add((p, SKOS.altLabel, Literal(alias, lang="en")))
    if not add_country(g, p, place.country, gaz) and place.country_qid:
        c = WD[place.country_qid]
        g.add((p, CG.country, c))
        g.add((c, RDF.type, CG.Country))


def twinnings_graph(
    source: TwinningSource,
    existing: Mapping[frozenset[str], _Match] | None = None,
    gazetteer: Gazetteer | None = None,
) -> tuple[Graph, ImportSummary]:
    """The named graph of imported twinnings: new agreements, and Wikidata provenance added to the
    document-derived agreements they reconcile with."""
    gaz = gazetteer or Gazetteer.default()
    existing = existing or {}
    g = new_graph()
    doc = SOURCE_DOCUMENT
    g.add((doc, RDF.type, CG.SourceDocument))
    g.add((doc, DCTERMS.source, Literal(WIKIDATA_SOURCE)))
    g.add((doc, DCTERMS.title, Literal(source.title)))
    if source.issued:
        g.add((doc, DCTERMS.issued, Literal(source.issued, datatype=ns.XSD.date)))
    summary = ImportSummary(pairs=len(source.pairs), skipped=list(source.skipped))
    described: set[str] = set()
    for twinning in source.pairs:
        match = existing.get(twinning.key)
        if match is not None:
            a = match.agreement
            for party in match.parties:  # the same triples as the document's: the statement stands alone
                g.add((a, CG.party, party))
            summary.reconciled += 1
        else:
            a = twinning.iri
            g.add((a, RDF.type, CG.SisterCityAgreement))
            g.add((a, CG.confidence, Literal(CONFIDENCE, datatype=ns.XSD.decimal)))
            for place in (twinning.a, twinning.b):
                g.add((a, CG.party, place.iri))
                if place.qid not in described:
                    described.add(place.qid)
                    _describe(g, place, gaz)
            summary.new_agreements += 1
        g.add((a, CG.evidence, Literal(evidence_text(twinning), lang="en")))
        g.add((a, PROV.wasDerivedFrom, doc))
    summary.places = len(described)
    summary.triples = len(g)
    return g, summary


def import_twinnings(
    store: LocalStore, source: TwinningSource, *, gazetteer: Gazetteer | None = None
) -> ImportSummary:
    """Replace the twinnings graph of ``store`` with ``source``, reconciled with what documents say."""
    graph, summary = twinnings_graph(source, existing_agreements(store), gazetteer)
    graphs = {TWINNINGS_GRAPH: graph}
    if not store.exists() or ONTOLOGY_GRAPH not in store.graph_names():
        from citygraph.vocab import ontology_graph

        graphs[ONTOLOGY_GRAPH] = ontology_graph()  # saved queries need the area scheme and class labels
    store.replace_graphs(graphs)
    return summary


_STORED = f"""
PREFIX cg: <{CG}>
PREFIX dcterms: <{DCTERMS}>
PREFIX prov: <{PROV}>
SELECT ?agreement ?party ?label ?code ?title ?issued WHERE {{
  GRAPH <{TWINNINGS_GRAPH}> {{
    ?agreement prov:wasDerivedFrom <{SOURCE_DOCUMENT}> ; cg:party ?party .
    <{SOURCE_DOCUMENT}> dcterms:title ?title .
    OPTIONAL {{ <{SOURCE_DOCUMENT}> dcterms:issued ?issued }}
  }}
  OPTIONAL {{ ?party <{RDFS.label}> ?label }}
  OPTIONAL {{ ?party cg:country ?country . ?country cg:countryCode ?code }}
}}
"""


def refresh(store: LocalStore, *, gazetteer: Gazetteer | None = None) -> ImportSummary | None:
    """Reconcile the imported twinnings again with the documents now in the store (after a build).

    The twinnings are read back from the twinnings graph; None when the store has none."""
    if not store.exists() or TWINNINGS_GRAPH not in store.graph_names():
        return None
    gaz = gazetteer or Gazetteer.default()
    qids: dict[URIRef, str] = {}
    for row in store.query(_SAME_AS).rows:
        qid = _qid(row["item"])
        if qid:
            qids.setdefault(row["place"], qid)
    parties: dict[URIRef, dict[str, TwinPlace]] = {}
    title, issued = "", None
    for row in store.query(_STORED).rows:
        title = str(row["title"])
        issued = str(row["issued"]) if "issued" in row else None
        match = _PLACE_QID.search(str(row["party"]))
        qid = match.group(1) if match else qids.get(row["party"])
        if qid:
            place = _place(qid, gaz, str(row.get("label") or ""), str(row.get("code") or ""))
            parties.setdefault(row["agreement"], {})[qid] = place
    rows = [tuple(places.values()) for places in parties.values() if len(places) == 2]
    source = TwinningSource(title=title, pairs=_pairs(rows), issued=issued)
    if not source.pairs:
        raise StoreError("the twinnings graph holds no twinnings to reconcile")
    return import_twinnings(store, source, gazetteer=gaz)
