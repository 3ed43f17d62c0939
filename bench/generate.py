"""Synthetic but realistic benchmark data: agreement graphs (RDF, as MODEL.md says) and press releases.

Benchmarks on a dozen real documents say nothing about 100k agreements, and benchmarks on uniform random
data flatter the engines (no hub cities, no skew). So parties are drawn from the real place index weighted
by population, areas follow a skewed distribution, and recent years are more frequent, as in the sources.
Triples are built directly (not through ``mint.to_graph``, which needs a full ``Extraction`` per document
and looks every party up in the index) but with ``citygraph.mint``'s IRI functions, so IRIs are the real ones.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from citygraph.gazetteer import Gazetteer, Place
from citygraph.mint import agreement_iri, document_iri, new_graph, official_iri, place_iri
from citygraph.model import Agreement, Party
from citygraph.namespaces import CG, CGA, DCTERMS, OWL, PROV, RDF, RDFS, WD, XSD

__all__ = ["AREA_WEIGHTS", "TYPES", "SyntheticPlace", "agreement_batches", "synthetic_graph", "documents",
           "write_documents", "most_connected_city"]

DOCUMENTS_DIR = Path(__file__).resolve().parent.parent / "data" / "documents"

# Skewed like the real sources: culture/economy/tourism/education dominate, technical areas are rarer.
AREA_WEIGHTS: dict[str, float] = {
    "culture": 30, "economy": 26, "tourism": 24, "education": 22, "trade": 12, "investment": 10,
    "youth": 9, "sport": 8, "health": 8, "environment": 8, "urban-planning": 7, "transport": 7,
    "science-and-technology": 6, "cultural-heritage": 5, "agriculture": 5, "e-government": 4,
    "smart-city": 4, "water-supply": 3, "public-transit": 3, "climate": 3, "energy": 3, "housing": 2,
    "public-safety": 2, "disaster-management": 2, "waste-management": 2, "sanitation": 1,
    "renewable-energy": 1, "maritime-affairs": 1,
}
TYPES: dict[str, float] = {
    "MemorandumOfUnderstanding": 35, "SisterCityAgreement": 25, "FriendshipAgreement": 15,
    "CooperationAgreement": 15, "LetterOfIntent": 6, "Renewal": 4,
}
_FIRST = ("Anna", "Park", "Maria", "Jean", "Li", "Ahmed", "Olga", "Carlos", "Kenji", "Amina", "Piotr",
          "Nguyen", "Sofia", "David", "Fatima", "Lars", "Chen", "Ivan", "Grace", "Tomas")
_LAST = ("Kim", "Smith", "Novak", "Garcia", "Tanaka", "Okafor", "Dubois", "Rossi", "Wang", "Kowalski",
         "Haddad", "Silva", "Jensen", "Tran", "Petrov", "Mensah", "Cohen", "Lopez", "Sato", "Müller")
_TITLES = ("Mayor", "Governor", "Deputy Mayor", "Chairman of the People's Committee", "Lord Mayor", None)


@dataclass(frozen=True)
class SyntheticPlace:
    """A place of the index with everything its triples need, computed once."""

    place: Place
    iri: URIRef
    party: Party
    country_qid: str
    country_name: str


@cache
def _places() -> tuple[list[SyntheticPlace], list[float]]:
    """Places with a QID and a known country, with cumulative population weights (for bisect)."""
    gaz = Gazetteer.default()
    chosen: list[SyntheticPlace] = []
    for place in gaz.places():
        country = gaz.country(place.country) if place.country else None
        if not place.qid or country is None or not country.qid or place.population <= 0:
            continue
        party = Party(label=place.name, kind=place.kind, country=place.country, qid=place.qid, score=1.0)
        chosen.append(SyntheticPlace(place, place_iri(party), party, country.qid, country.name))
    chosen.sort(key=lambda p: p.place.qid or "")
    # sqrt of population: big cities are hubs, yet small towns still sign (as twinning data shows).
    cumulative = list(itertools.accumulate(p.place.population ** 0.5 for p in chosen))
    return chosen, cumulative


def _pick_place(rng: random.Random) -> SyntheticPlace:
    places, cumulative = _places()
    return places[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]


def _date(rng: random.Random) -> str | None:
    """1950-2025, more recent years more likely; 80% day, 15% month, 5% year precision; 5% no date."""
    if rng.random() < 0.05:
        return None
    year = 2025 - int(75 * (1 - rng.random() ** 0.5) ** 1.5)
    roll = rng.random()
    if roll < 0.80:
        return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if roll < 0.95:
        return f"{year:04d}-{rng.randint(1, 12):02d}"
    return f"{year:04d}"


def _date_literal(value: str) -> Literal:
    return Literal(value, datatype={10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)])


def _add_place(g: Graph, sp: SyntheticPlace, seen: set[URIRef]) -> None:
    if sp.iri in seen:
        return
    seen.add(sp.iri)
    p = sp.iri
    g.add((p, RDF.type, CG.Region if sp.place.kind == "region" else CG.City))
    g.add((p, RDFS.label, Literal(sp.place.name, lang="en")))
    g.add((p, OWL.sameAs, WD[sp.place.qid or ""]))
    c = WD[sp.country_qid]
    g.add((p, CG.country, c))
    if c not in seen:
        seen.add(c)
        g.add((c, RDF.type, CG.Country))
        g.add((c, RDFS.label, Literal(sp.country_name, lang="en")))
        g.add((c, CG.countryCode, Literal(sp.place.country)))


def agreement_batches(n: int, batch: int = 1000, seed: int = 42) -> Iterator[tuple[str, Graph]]:
    """``n`` agreements as (source path, graph) pairs of ``batch`` agreements each, one document each.

    Each batch stands for one source (a named graph), as a crawled portal page listing many agreements.
    """
    rng = random.Random(seed)
    areas = [CGA[a] for a in AREA_WEIGHTS]
    area_w = list(AREA_WEIGHTS.values())
    types, type_w = list(TYPES), list(TYPES.values())
    made = 0
    for b in range(0, n, batch):
        g = new_graph()
        seen: set[URIRef] = set()
        source = f"bench/synthetic/batch-{b // batch:05d}.txt"
        for i in range(b, min(n, b + batch)):
            count = 2 if rng.random() < 0.93 else 3
            parties: list[SyntheticPlace] = []
            while len(parties) < count:
                sp = _pick_place(rng)
                if all(sp.iri != q.iri for q in parties):
                    parties.append(sp)
            kind = rng.choices(types, type_w)[0]
            date = _date(rng)
            ag = Agreement(parties=[sp.party for sp in parties], type=kind, date=date)
            a = agreement_iri(ag)
            names = " and ".join(sp.place.name for sp in parties)
            text = f"{names} signed a {kind} (synthetic agreement {i})."
            d = document_iri(text)
            g.add((d, RDF.type, CG.SourceDocument))
            g.add((d, DCTERMS.source, Literal(f"{source}#{i}")))
            g.add((a, RDF.type, CG[kind]))
            for sp in parties:
                g.add((a, CG.party, sp.iri))
                _add_place(g, sp, seen)
            if date:
                g.add((a, CG.signedOn, _date_literal(date)))
            for area in set(rng.choices(areas, area_w, k=rng.choice((1, 1, 2, 2, 3, 4)))):
                g.add((a, CG.cooperationArea, area))
            for sp in parties[: rng.choice((0, 0, 1, 2, 2, 3))]:
                name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
                o = official_iri(name, sp.iri)
                g.add((o, RDF.type, CG.Official))
                g.add((o, RDFS.label, Literal(name)))
                title = rng.choice(_TITLES)
                if title:
                    g.add((o, CG.title, Literal(title)))
                g.add((o, CG.represents, sp.iri))
                g.add((a, CG.signatory, o))
            g.add((a, CG.evidence, Literal(text, lang="en")))
            g.add((a, CG.confidence, Literal(Decimal(f"0.{rng.randint(50, 99)}"), datatype=XSD.decimal)))
            g.add((a, PROV.wasDerivedFrom, d))
            made += 1
        yield source, g


def synthetic_graph(n: int, seed: int = 42) -> Graph:
    """All ``n`` agreements in one graph (for small sizes and tests)."""
    out = new_graph()
    for _source, g in agreement_batches(n, seed=seed):
        for triple in g:
            out.add(triple)
    return out


def most_connected_city(n: int, seed: int = 42) -> str:
    """The label of the place in most agreements: the realistic worst case for per-city queries."""
    counts: dict[URIRef, int] = {}
    labels: dict[URIRef, str] = {}
    for _source, g in agreement_batches(n, seed=seed):
        for _a, p in g.subject_objects(CG.party):
            counts[p] = counts.get(p, 0) + 1
        for p, label in g.subject_objects(RDFS.label):
            labels[p] = str(label)
    return labels[max(counts, key=lambda p: counts[p])]


# --- documents ------------------------------------------------------------------------------------------

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")
_AREA_WORDS = ("tourism", "culture", "education", "trade", "transport", "health", "sport", "agriculture",
               "environment", "investment", "youth exchanges", "urban planning", "water supply")
_AREA_WORD = re.compile(r"\b(" + "|".join(_AREA_WORDS) + r")\b")


@cache
def _templates() -> list[tuple[str, str, tuple[str, ...]]]:
    """The project's documents with the place names the converter finds in them (longest first)."""
    from citygraph.pipeline import convert_file

    out = []
    for path in sorted(DOCUMENTS_DIR.iterdir()):
        if path.suffix not in (".txt", ".html"):
            continue
        names: set[str] = set()
        try:
            converted = convert_file(path)
            for ag in converted.extraction.agreements:
                for party in ag.parties:
                    names.update(n for n in (party.label, party.mention) if n and len(n) > 2)
        except ValueError:
            pass
        ordered = tuple(sorted(names, key=lambda n: (-len(n), n)))  # not set order: same documents each run
        out.append((path.suffix, path.read_text(encoding="utf-8"), ordered))
    return out


_FILLER = ("{city} is home to about {pop:,} people and is known for its {area1} and {area2}. "
           "The city council has welcomed delegations from many countries over the past decades, and the "
           "municipal office for international relations publishes its activities every month. Residents can "
           "follow the work of the office on the city website, where the annual report is available for "
           "download together with the minutes of each council meeting held this year.\n")


def documents(n: int, seed: int = 7, size: int = 3000) -> Iterator[tuple[str, str]]:
    """``n`` press-release-like texts (suffix, text) of about ``size`` characters: the project's documents
    with their parties, years and areas swapped for others from the index."""
    rng = random.Random(seed)
    templates = _templates()
    for i in range(n):
        suffix, text, names = templates[i % len(templates)]
        mapping = {name: _pick_place(rng).place.name for name in names}
        if names:
            pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in names) + r")\b")
            text = pattern.sub(lambda m, table=mapping: table[m.group(1)], text)
        shift = rng.randint(-30, 8)
        text = _YEAR.sub(lambda m, by=shift: str(min(2025, max(1950, int(m.group(1)) + by))), text)
        text = _AREA_WORD.sub(lambda _m: rng.choice(_AREA_WORDS), text)
        filler = []
        while len(text) + sum(map(len, filler)) < size:
            sp = _pick_place(rng)
            filler.append(_FILLER.format(city=sp.place.name, pop=sp.place.population,
                                         area1=rng.choice(_AREA_WORDS), area2=rng.choice(_AREA_WORDS)))
        if suffix == ".html":
            text = text.replace("</body>", "".join(f"<p>{f}</p>" for f in filler) + "</body>")
        else:
            text = text.rstrip("\n") + "\n\n" + "\n".join(filler)
        yield suffix, text


def write_documents(n: int, directory: Path, seed: int = 7) -> list[Path]:
    """Write ``n`` generated documents into ``directory``; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (suffix, text) in enumerate(documents(n, seed=seed)):
        path = directory / f"doc-{i:06d}{suffix}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    import sys

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    graph = synthetic_graph(count)
    print(f"{count} agreements: {len(graph)} triples")
    print(f"most connected: {most_connected_city(count)}")
    _suffix, sample = next(documents(1))
    print(f"sample document ({len(sample)} chars):\n{sample[:600]}")
