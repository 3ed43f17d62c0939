"""Linking the store's places to Wikidata: a report of what the offline index cannot decide, and online
resolution against Wikidata's query service for the rest.

Online resolution asks only for what the place index does not know, in batches, and remembers every
answer (also "nothing found") in a JSON cache beside the store, per endpoint: the same name is never
asked twice, which keeps us within the query service's usage policy. A place is linked only when the
evidence leaves one candidate: its name is a label or alias of the item (in the languages asked for), the
item is an instance of a city, municipality, settlement or administrative-division class, its country
(P17) is the place's country, and, among several such items, it has at least twice the sitelinks of the
next. Otherwise the place stays unlinked and the candidates are reported: the linker never guesses.

The ``owl:sameAs`` statements go in their own named graph (``LINKS_GRAPH``), so a rebuild of the
documents keeps them; every store write is one atomic ``replace_graphs``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

from citygraph.fsutil import atomic_file
from citygraph.gazetteer import Gazetteer
from citygraph.link import resolve
from citygraph.mint import new_graph
from citygraph.namespaces import CGID, OWL, WD
from citygraph.store import LocalStore, StoreError

__all__ = [
    "WIKIDATA_SPARQL",
    "LINKS_GRAPH",
    "CACHE_NAME",
    "CITY_CLASSES",
    "REGION_CLASSES",
    "LANGUAGES",
    "UnlinkedPlace",
    "Candidate",
    "LinkResult",
    "WikidataLinker",
    "unlinked_places",
    "link_report",
    "link_online",
    "choose",
]

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
LINKS_GRAPH = str(CGID["graph/wikidata-links"])
CACHE_NAME = "wikidata-cache.json"
# Classes whose instances (through P31/P279*) count as a city or as a region.
CITY_CLASSES = {"Q515": "city", "Q486972": "human settlement", "Q15284": "municipality"}
REGION_CLASSES = {
    "Q10864048": "first-level administrative country subdivision",
    "Q13220204": "second-level administrative country subdivision",
}
LANGUAGES = ("en", "mul")
BATCH = 25  # names per request: short enough for a GET-sized POST, few enough requests
DOMINANCE = 2.0  # sitelinks the best candidate needs over the next one to be chosen
_WD = str(WD)
_CACHE_VERSION = 1

_UNLINKED = """
PREFIX cg: <https://w3id.org/citygraph/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?place ?class ?label ?code ?country WHERE {
  ?place a ?class .
  FILTER(?class IN (cg:City, cg:Region, cg:LocalGovernment))
  FILTER NOT EXISTS { ?place owl:sameAs ?same }
  OPTIONAL { ?place rdfs:label ?label }
  OPTIONAL { ?place cg:country ?country . OPTIONAL { ?country cg:countryCode ?code } }
}
ORDER BY ?place
"""


@dataclass(frozen=True)
class UnlinkedPlace:
    iri: str
    label: str
    kind: str  # "city" | "region"
    country: str = ""  # ISO 3166-1 alpha-2
    country_qid: str = ""


@dataclass(frozen=True)
class Candidate:
    qid: str
    label: str = ""
    description: str = ""
    countries: tuple[str, ...] = ()  # P17 QIDs
    kinds: tuple[str, ...] = ()  # "city" and/or "region"
    sitelinks: int = 0
    score: float = 0.0  # offline candidates: the index's score


@dataclass
class LinkResult:
    place: UnlinkedPlace
    qid: str | None = None
    how: str = ""  # "offline" | "online" | "" (unresolved)
    candidates: list[Candidate] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "place": self.place.iri,
            "label": self.place.label,
            "kind": self.place.kind,
            "country": self.place.country,
            "qid": self.qid,
            "how": self.how,
            "candidates": [
                asdict(c) | {"countries": list(c.countries), "kinds": list(c.kinds)} for c in self.candidates
            ],
        }


def _qid(term: object) -> str | None:
    value = str(term or "")
    rest = value[len(_WD) :] if value.startswith(_WD) else ""
    return rest if rest[:1] == "Q" and rest[1:].isdigit() else None


def unlinked_places(store: LocalStore) -> list[UnlinkedPlace]:
    """Cities and regions of the store without ``owl:sameAs``."""
    places: dict[str, UnlinkedPlace] = {}
    for row in store.query(_UNLINKED).rows:
        iri = str(row["place"])
        kind = "region" if str(row["class"]).endswith("#Region") else "city"
        if iri in places and places[iri].kind == "region":
            continue
        places[iri] = UnlinkedPlace(
            iri,
            str(row.get("label") or iri.rsplit("/", 1)[-1]),
            kind,
            str(row.get("code") or ""),
            _qid(row.get("country")) or "",
        )
    return list(places.values())


def _offline(place: UnlinkedPlace, gazetteer: Gazetteer | None) -> LinkResult:
    resolution = resolve(place.label, country=place.country or None, kind=place.kind, gazetteer=gazetteer)
    candidates = [
        Candidate(qid=p.qid, label=p.name, countries=(p.country,), kinds=(p.kind,), score=score)
        for p, score in resolution.candidates
        if p.qid
    ]
    if resolution.place is not None and resolution.qid:
        return LinkResult(place, resolution.qid, "offline", candidates)
    return LinkResult(place, None, "", candidates)


def link_report(store: LocalStore, gazetteer: Gazetteer | None = None) -> list[LinkResult]:
    """Each unlinked place with what the offline index says: a QID it can resolve now, or candidates."""
    return [_offline(place, gazetteer) for place in unlinked_places(store)]


def choose(place: UnlinkedPlace, candidates: Sequence[Candidate]) -> Candidate | None:
    """The one candidate the evidence leaves, or None (see the module docstring)."""
    fitting = [c for c in candidates if not place.country_qid or place.country_qid in c.countries]
    same_kind = [c for c in fitting if place.kind in c.kinds]
    pool = same_kind or fitting
    if len(pool) == 1:
        return pool[0]
    if len(pool) > 1:
        ranked = sorted(pool, key=lambda c: -c.sitelinks)
        if ranked[0].sitelinks > 0 and ranked[0].sitelinks >= DOMINANCE * max(ranked[1].sitelinks, 1):
            return ranked[0]
    return None


class WikidataLinker:
    """Candidates for place names from a Wikidata SPARQL endpoint, cached in a JSON file."""

    def __init__(
        self,
        endpoint: str = WIKIDATA_SPARQL,
        *,
        cache_path: Path | None = None,
        timeout: float = 60,
        languages: Sequence[str] = LANGUAGES,
        batch: int = BATCH,
    ) -> None:
        from citygraph.remote import RemoteStore, safe_url

        self.endpoint = endpoint
        self._key = safe_url(endpoint)
        self.cache_path = cache_path
        self.languages = tuple(languages)
        self.batch = max(1, batch)
        self.requests = 0
        self._remote = RemoteStore(endpoint, timeout=timeout)
        self._cache: dict[str, list[dict]] = self._load().get(self._key, {})

    def _load(self) -> dict[str, dict[str, list[dict]]]:
        if self.cache_path is None:
            return {}
        try:
            document = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {}  # a damaged cache only costs requests
        if not isinstance(document, dict) or document.get("version") != _CACHE_VERSION:
            return {}
        endpoints = document.get("endpoints")
        return endpoints if isinstance(endpoints, dict) else {}

    def _save(self) -> None:
        if self.cache_path is None:
            return
        endpoints = self._load()
        endpoints[self._key] = self._cache
        document = {"version": _CACHE_VERSION, "endpoints": endpoints}
        data = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
        try:
            with atomic_file(self.cache_path) as handle:
                handle.write(data)
        except OSError as error:
            raise StoreError(f"cannot write the Wikidata cache {self.cache_path}: {error.strerror}") from None

    def _query(self, names: Sequence[str]) -> str:
        from citygraph.queries import sparql_term

        values = " ".join(sparql_term(Literal(name, lang=lang)) for name in names for lang in self.languages)
        kinds = " ".join(f"wd:{qid}" for qid in (*CITY_CLASSES, *REGION_CLASSES))
        return f"""PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX wikibase: <http://wikiba.se/ontology#>
SELECT ?name ?item ?label ?description ?country ?kind ?sitelinks WHERE {{
  VALUES ?name {{ {values} }}
  {{ ?item rdfs:label ?name }} UNION {{ ?item skos:altLabel ?name }}
  VALUES ?kind {{ {kinds} }}
  ?item wdt:P31/wdt:P279* ?kind .
  OPTIONAL {{ ?item wdt:P17 ?country }}
  OPTIONAL {{ ?item rdfs:label ?label FILTER(LANG(?label) = "en") }}
  OPTIONAL {{ ?item schema:description ?description FILTER(LANG(?description) = "en") }}
  OPTIONAL {{ ?item wikibase:sitelinks ?sitelinks }}
}}"""

    def candidates(self, names: Iterable[str]) -> dict[str, list[Candidate]]:
        """Candidates for each name; only names not in the cache are asked, ``batch`` per request."""
        wanted = list(dict.fromkeys(name for name in names if name))
        missing = [name for name in wanted if name not in self._cache]
        try:
            for start in range(0, len(missing), self.batch):
                chunk = missing[start : start + self.batch]
                self.requests += 1
                found = self._ask(chunk)
                for name in chunk:
                    self._cache[name] = [asdict(c) for c in found.get(name, [])]
        finally:
            if missing:
                self._save()  # what was learnt before a failure is kept
        return {name: [_candidate(c) for c in self._cache.get(name, [])] for name in wanted}

    def _ask(self, names: Sequence[str]) -> dict[str, list[Candidate]]:
        rows = self._remote.query(self._query(names)).rows
        items: dict[tuple[str, str], dict] = {}
        city, region = set(CITY_CLASSES), set(REGION_CLASSES)
        for row in rows:
            qid = _qid(row.get("item"))
            if qid is None or "name" not in row:
                continue
            entry = items.setdefault(
                (str(row["name"]), qid),
                {
                    "qid": qid,
                    "label": "",
                    "description": "",
                    "countries": set(),
                    "kinds": set(),
                    "sitelinks": 0,
                },
            )
            if row.get("label") is not None:
                entry["label"] = str(row["label"])
            if row.get("description") is not None:
                entry["description"] = str(row["description"])
            country = _qid(row.get("country"))
            if country:
                entry["countries"].add(country)
            kind = _qid(row.get("kind"))
            if kind in city:
                entry["kinds"].add("city")
            elif kind in region:
                entry["kinds"].add("region")
            try:
                entry["sitelinks"] = max(entry["sitelinks"], int(str(row.get("sitelinks") or 0)))
            except ValueError:
                pass
        found: dict[str, list[Candidate]] = {}
        for (name, _item), entry in sorted(
            items.items(), key=lambda item: (item[0][0], -item[1]["sitelinks"], int(item[0][1][1:]))
        ):
            found.setdefault(name, []).append(
                Candidate(
                    qid=entry["qid"],
                    label=entry["label"],
                    description=entry["description"],
                    countries=tuple(sorted(entry["countries"])),
                    kinds=tuple(sorted(entry["kinds"])),
                    sitelinks=entry["sitelinks"],
                )
            )
        return found


def _candidate(data: dict) -> Candidate:
    return Candidate(
        qid=data["qid"],
        label=data.get("label", ""),
        description=data.get("description", ""),
        countries=tuple(data.get("countries", ())),
        kinds=tuple(data.get("kinds", ())),
        sitelinks=int(data.get("sitelinks", 0)),
        score=float(data.get("score", 0.0)),
    )


def link_online(
    store: LocalStore,
    endpoint: str = WIKIDATA_SPARQL,
    *,
    cache_path: Path | None = None,
    timeout: float = 60,
    gazetteer: Gazetteer | None = None,
    linker: WikidataLinker | None = None,
) -> list[LinkResult]:
    """Resolve unlinked places (offline index first, then Wikidata) and add ``owl:sameAs`` for those
    resolved, in one atomic store write. Returns one result per unlinked place."""
    places = unlinked_places(store)
    results = [_offline(place, gazetteer) for place in places]
    pending = [result for result in results if result.qid is None]
    if pending:
        if linker is None:
            linker = WikidataLinker(
                endpoint, cache_path=cache_path or store.directory / CACHE_NAME, timeout=timeout
            )
        found = linker.candidates(result.place.label for result in pending)
        for result in pending:
            candidates = found.get(result.place.label, [])
            chosen = choose(result.place, candidates)
            result.candidates = candidates
            if chosen is not None:
                result.qid, result.how = chosen.qid, "online"
    resolved = [result for result in results if result.qid]
    if resolved:
        graph = new_graph()
        if LINKS_GRAPH in store.graph_names():
            kept = f"SELECT ?s ?o WHERE {{ GRAPH <{LINKS_GRAPH}> {{ ?s <{OWL.sameAs}> ?o }} }}"
            for row in store.query(kept).rows:
                graph.add((row["s"], OWL.sameAs, row["o"]))
        for result in resolved:
            graph.add((URIRef(result.place.iri), OWL.sameAs, WD[result.qid]))
        store.replace_graphs({LINKS_GRAPH: graph})
    return results
