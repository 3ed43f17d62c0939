"""Online linking and online twinnings against a local Wikidata-shaped server (tests/fixtures/wikidata.ttl).

The server is a real Oxigraph on 127.0.0.1 behind a counting proxy, so the tests see every request.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph
from servers import free_port
from typer.testing import CliRunner

from citygraph.cli import app
from citygraph.namespaces import CGID, OWL, WD
from citygraph.remote import USER_AGENT
from citygraph.store import LocalStore
from citygraph.wikidata import CACHE_NAME, LINKS_GRAPH, Candidate, UnlinkedPlace, choose

# Places as documents name them, that the offline index cannot link: a historical or local name only
# Wikidata knows (Viangchan, Toshkent, Hanseong), a name two provinces share (Vientiane as a region), a
# place in the wrong country (Tashkent, South Korea), and a name nobody knows.
PLACES = """
@prefix cg: <https://w3id.org/citygraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix place: <https://w3id.org/citygraph/id/place/> .
place:la\\/viangchan a cg:City ; rdfs:label "Viangchan"@en ; cg:country wd:Q819 .
place:uz\\/toshkent a cg:City ; rdfs:label "Toshkent"@en ; cg:country wd:Q265 .
place:kr\\/hanseong a cg:City ; rdfs:label "Hanseong"@en ; cg:country wd:Q884 .
place:la\\/vientiane a cg:Region ; rdfs:label "Vientiane"@en ; cg:country wd:Q819 .
place:kr\\/tashkent a cg:City ; rdfs:label "Tashkent"@en ; cg:country wd:Q884 .
place:xx\\/nowhere-town a cg:City ; rdfs:label "Nowhere Town"@en .
wd:Q819 a cg:Country ; rdfs:label "Laos"@en ; cg:countryCode "LA" .
wd:Q265 a cg:Country ; rdfs:label "Uzbekistan"@en ; cg:countryCode "UZ" .
wd:Q884 a cg:Country ; rdfs:label "South Korea"@en ; cg:countryCode "KR" .
"""
LINKED = {"la/viangchan": "Q9326", "uz/toshkent": "Q269", "kr/hanseong": "Q8684"}
UNLINKED = {"la/vientiane", "kr/tashkent", "xx/nowhere-town"}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CITYGRAPH_USER", "CITYGRAPH_PASSWORD", "CITYGRAPH_WIKIDATA_ENDPOINT", "CITYGRAPH_STORE"):
        monkeypatch.delenv(name, raising=False)


def invoke(args: list[str]):
    return CliRunner().invoke(app, args)


@pytest.fixture
def places_store(tmp_path: Path) -> Path:
    directory = tmp_path / "store"
    graph = Graph().parse(data=PLACES, format="turtle")
    LocalStore(directory).replace_graphs({str(CGID["graph/test-places"]): graph})
    return directory


def same_as(directory: Path) -> dict[str, str]:
    rows = LocalStore(directory).query(f"SELECT ?p ?w WHERE {{ ?p <{OWL.sameAs}> ?w }}").rows
    return {str(r["p"]).split("/place/")[1]: str(r["w"])[len(str(WD)):] for r in rows}


def test_online_linking_resolves_what_the_index_cannot(places_store: Path, wikidata_proxy) -> None:
    endpoint = f"{wikidata_proxy.base}/query"
    result = invoke(["link", "--online", "--endpoint", endpoint, "--store", str(places_store), "-f", "json"])
    assert result.exit_code == 0, result.output
    report = {row["place"].split("/place/")[1]: row for row in json.loads(result.stdout)}
    assert {key: row["qid"] for key, row in report.items() if row["qid"]} == LINKED
    assert all(report[key]["how"] == "online" for key in LINKED)
    assert same_as(places_store) == LINKED
    assert LINKS_GRAPH in LocalStore(places_store).graph_names()
    # the ambiguous and the wrong-country places stay unlinked, with their candidates reported
    assert {c["qid"] for c in report["la/vientiane"]["candidates"]} >= {"Q390377", "Q720066"}
    assert [c["qid"] for c in report["kr/tashkent"]["candidates"]] == ["Q269"]
    assert report["xx/nowhere-town"]["candidates"] == []
    unlinked = invoke(["query", "unlinked", "-f", "csv", "--store", str(places_store)])
    rows = csv.DictReader(io.StringIO(unlinked.stdout))
    assert {row["place"].split("/place/")[1] for row in rows} == UNLINKED
    # requests: few (names are batched), POST or GET, always with our User-Agent
    assert 1 <= len(wikidata_proxy.requests) <= 2
    assert all(headers.get("User-Agent") == USER_AGENT for _m, _p, headers in wikidata_proxy.requests)


def test_the_cache_means_no_second_request(places_store: Path, wikidata_proxy, tmp_path: Path) -> None:
    endpoint = f"{wikidata_proxy.base}/query"
    assert invoke(["link", "--online", "--endpoint", endpoint, "--store", str(places_store)]).exit_code == 0
    asked = len(wikidata_proxy.requests)
    assert asked >= 1
    cache = json.loads((places_store / CACHE_NAME).read_text(encoding="utf-8"))
    names = cache["endpoints"][endpoint]
    assert {"Viangchan", "Vientiane", "Nowhere Town"} <= set(names) and names["Nowhere Town"] == []
    # again: the places still unlinked are answered from the cache
    again = invoke(["link", "--online", "--endpoint", endpoint, "--store", str(places_store)])
    assert again.exit_code == 0 and "linked 0 of 3" in again.stderr
    assert len(wikidata_proxy.requests) == asked
    # a fresh store with the same cache: everything is answered from the cache, links are the same
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    places = Graph().parse(data=PLACES, format="turtle")
    LocalStore(fresh).replace_graphs({str(CGID["graph/test-places"]): places})
    (fresh / CACHE_NAME).write_bytes((places_store / CACHE_NAME).read_bytes())
    assert invoke(["link", "--online", "--endpoint", endpoint, "--store", str(fresh)]).exit_code == 0
    assert len(wikidata_proxy.requests) == asked
    assert same_as(fresh) == LINKED


def test_report_lists_unlinked_places_and_candidates_offline(places_store: Path) -> None:
    result = invoke(["link", "--report", "--store", str(places_store), "-f", "json"])
    assert result.exit_code == 0, result.output
    report = {row["place"].split("/place/")[1]: row for row in json.loads(result.stdout)}
    assert set(report) == set(LINKED) | UNLINKED
    assert {c["qid"] for c in report["la/vientiane"]["candidates"]} >= {"Q390377", "Q720066"}
    assert all(row["how"] == "" for row in report.values())
    table = invoke(["link", "--store", str(places_store)])
    assert table.exit_code == 0 and "Vientiane" in table.stdout
    assert same_as(places_store) == {}  # a report never writes


def test_linking_against_a_dead_endpoint_fails_cleanly(places_store: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = invoke(["link", "--online", "--endpoint", url, "--store", str(places_store)])
    assert result.exit_code == 5
    assert result.stderr.count("\n") == 1 and url in result.stderr and "connection refused" in result.stderr
    assert same_as(places_store) == {}
    missing = invoke(["link", "--report", "--store", str(places_store.parent / "none")])
    assert missing.exit_code == 4


def test_twinnings_online(tmp_path: Path, wikidata_proxy) -> None:
    endpoint = f"{wikidata_proxy.base}/query"
    store = tmp_path / "store"
    result = invoke(["import", "twinnings", "--online", "--endpoint", endpoint, "--store", str(store)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(invoke(
        ["query", "partners", "-p", "city=Seoul", "-f", "csv", "--store", str(store)]).stdout)))
    assert {row["partner"]: row["qid"] for row in rows} == {
        "Tokyo": "Q1490", "Hanoi": "Q1858", "Beijing": "Q956", "Moscow": "Q649", "Ulaanbaatar": "Q23430"}
    assert {row["country"] for row in rows} == {"JP", "VN", "CN", "RU", "MN"}
    busan = invoke(["query", "partners", "-p", "city=Busan", "-f", "csv", "--store", str(store)]).stdout
    assert "Shanghai" in busan and "Saint Petersburg" in busan
    assert len(wikidata_proxy.requests) == 1
    assert wikidata_proxy.requests[0][2]["User-Agent"] == USER_AGENT
    title = LocalStore(store).query("PREFIX dcterms: <http://purl.org/dc/terms/> "
                                    "SELECT ?t WHERE { ?d dcterms:title ?t }").rows
    assert any("retrieved" in str(row["t"]) for row in title)


def test_choose_never_guesses() -> None:
    place = UnlinkedPlace("x", "Vientiane", "region", "LA", "Q819")
    prefecture = Candidate("Q390377", countries=("Q819",), kinds=("region",), sitelinks=50)
    province = Candidate("Q720066", countries=("Q819",), kinds=("region",), sitelinks=45)
    city = Candidate("Q9326", countries=("Q819",), kinds=("city",), sitelinks=170)
    assert choose(place, [prefecture, province, city]) is None  # 50 vs 45 sitelinks: too close
    assert choose(place, [Candidate("Q390377", countries=("Q819",), kinds=("region",), sitelinks=100),
                          province]) is not None  # more than twice the sitelinks
    assert choose(UnlinkedPlace("x", "Vientiane", "city", "LA", "Q819"), [prefecture, city]) == city
    assert choose(UnlinkedPlace("x", "Vientiane", "city", "KR", "Q884"), [city]) is None
