"""Saved queries: real SPARQL on a real store built from tests/fixtures/mini.ttl, and on rdflib's engine."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from citygraph import namespaces as ns
from citygraph.keys import lookup_triples
from citygraph.namespaces import CGID
from citygraph.queries import (
    Param,
    QueryError,
    SavedQuery,
    bind_values,
    bindings_for,
    compact,
    list_queries,
    load_query,
    parse_params,
    parse_query,
    render,
    run,
)
from citygraph.resources import resource_dir
from citygraph.store import ONTOLOGY_GRAPH, LocalStore, QueryResult, StoreError

FIXTURE = Path(__file__).parent / "fixtures" / "mini.ttl"
DATA_GRAPH = str(CGID["graph/" + hashlib.sha1(b"tests/fixtures/mini.ttl").hexdigest()[:16]])
VIENTIANE_MOU = URIRef("https://w3id.org/citygraph/id/agreement/608520a8e46e28fe")
HOSTILE = [
    'Seoul" || true || "',
    "Seoul') || ('1' = '1",
    '"}; DROP ALL; SELECT * WHERE { "',
    "}; DROP ALL",
    "} } UNION { ?place ?p ?o } #",
    "x\n\\",
    'x\n\\"',
    "end\\",
    '"""',
    "'''",
    "\\u0022) } #",
    "\\U00000022",
    "Seoul\r\nINSERT DATA { <http://a> <http://b> <http://c> }",
    "<http://evil/> . ?s ?p ?o",
    "# comment",
    "서울 \u202e \x00 \t",
]


def ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(resource_dir("ontology") / "citygraph.ttl")
    graph.parse(resource_dir("ontology") / "areas.ttl")
    return graph


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    local = LocalStore(tmp_path_factory.mktemp("queries") / "store")
    second_source = rdflib.Graph()  # Seoul described by a second document too: no duplicate rows
    for triple in rdflib.Graph().parse(FIXTURE).triples((URIRef(str(CGID["place/Q8684"])), None, None)):
        second_source.add(triple)
    local.replace_graphs({ONTOLOGY_GRAPH: ontology(), DATA_GRAPH: rdflib.Graph().parse(FIXTURE),
                          str(CGID["graph/second"]): second_source})
    return local


@pytest.fixture(scope="module")
def rdflib_graph() -> rdflib.Graph:
    """The same data for rdflib's SPARQL engine: a second, independent SPARQL 1.1 implementation."""
    graph = ontology()
    graph.parse(FIXTURE)
    for triple in list(lookup_triples(graph)):  # what the store adds on every write
        graph.add(triple)
    return graph


def saved(name: str, store: LocalStore, **params: str) -> QueryResult:
    return run(store, load_query(name), params)


def column(result: QueryResult, name: str) -> list[str]:
    return [str(row[name]) if name in row else "" for row in result.rows]


# --- the saved queries ----------------------------------------------------------------------------------

def test_the_saved_queries_are_there() -> None:
    queries = {q.name: q for q in list_queries()}
    assert {"cooperating", "partners", "agreements", "agreements-per-year", "country-pairs", "unlinked",
            "areas"} <= set(queries)
    assert queries["cooperating"].param_names == ["city", "area"]
    assert queries["partners"].param_names == ["city"] == queries["agreements"].param_names
    for query in queries.values():
        assert query.title and query.description and query.path is not None
        assert all(p.help and p.required for p in query.params)


def test_saved_queries_are_portable_sparql() -> None:
    """rdflib's parser (not Oxigraph's) accepts them with no default prefixes, also with VALUES added."""
    for query in list_queries():
        prepareQuery(query.text)
        prepareQuery(bind_values(query.text, {p.name: Literal("x") for p in query.params}))


def test_seoul_on_transport(store: LocalStore) -> None:
    result = saved("cooperating", store, city="Seoul", area="transport")
    assert result.variables == ["partner", "qid", "country", "type", "date", "agreement", "source",
                                "evidence"]
    # Hanoi's agreement is on public transit, a narrower area of transport; sorted by date
    assert column(result, "partner") == ["Hanoi", "Vientiane"]
    vientiane = result.rows[1]
    assert vientiane["qid"] == Literal("Q9326") and vientiane["country"] == Literal("LA")
    assert vientiane["date"] == Literal("2015-11-05", datatype=ns.XSD.date)
    assert vientiane["source"] == Literal("data/documents/seoul-vientiane.txt")
    assert vientiane["agreement"] == VIENTIANE_MOU
    assert vientiane["type"] == Literal("MemorandumOfUnderstanding")
    assert "signed an MoU on urban transport" in str(vientiane["evidence"])
    assert result.rows[0]["date"] == Literal("2013-09", datatype=ns.XSD.gYearMonth)


@pytest.mark.parametrize("city", ["seoul", "SEOUL", "Q8684", "q8684", "Seoul Metropolitan Government"])
def test_any_name_or_the_qid_gives_the_same_answer(store: LocalStore, city: str) -> None:
    assert saved("cooperating", store, city=city, area="transport") == \
        saved("cooperating", store, city="Seoul", area="transport")


def test_areas_match_by_label_alternative_label_and_narrower(store: LocalStore) -> None:
    assert column(saved("cooperating", store, city="Seoul", area="public transit"), "partner") == ["Hanoi"]
    assert column(saved("cooperating", store, city="Seoul", area="Transportation"), "partner") == \
        ["Hanoi", "Vientiane"]
    assert column(saved("cooperating", store, city="Saigon", area="tourism"), "partner") == ["Seoul"]
    assert saved("cooperating", store, city="Seoul", area="sport").rows == []


def test_a_region_and_a_three_party_agreement(store: LocalStore) -> None:
    result = saved("partners", store, city="Gyeonggi-do")
    assert column(result, "partner") == ["Hanoi", "Luang Prabang"]
    assert column(result, "qid") == ["Q1858", ""]
    assert column(result, "since") == ["2017-04", "2017-04"]


def test_partners(store: LocalStore) -> None:
    result = saved("partners", store, city="Vientiane")
    assert result.variables == ["partner", "qid", "country", "agreements", "since"]
    rows = {str(row["partner"]): row for row in result.rows}
    assert set(rows) == {"Seoul", "Busan"}
    assert int(rows["Seoul"]["agreements"]) == 1 and str(rows["Seoul"]["since"]) == "2015-11-05"
    assert "since" not in rows["Busan"]  # the letter of intent has no date
    hanoi = saved("partners", store, city="Hanoi")
    assert column(hanoi, "partner") == ["Gyeonggi Province", "Luang Prabang", "Seoul"]


def test_agreements(store: LocalStore) -> None:
    result = saved("agreements", store, city="Seoul")
    assert result.variables == ["date", "type", "parties", "signatories", "areas", "source", "agreement"]
    assert column(result, "date") == ["2013-09", "2015-11-05", "2019"]
    row = result.rows[1]
    assert set(str(row["parties"]).split("; ")) == {"Seoul", "Vientiane"}
    assert set(str(row["signatories"]).split("; ")) == {"Park Won-soon (Mayor)",
                                                        "Sinlavong Khoutphaythoune (Mayor)"}
    assert set(str(row["areas"]).split("; ")) == {"transport", "urban planning"}
    three = saved("agreements", store, city="Luang Prabang").rows[0]
    assert set(str(three["parties"]).split("; ")) == {"Gyeonggi Province", "Hanoi", "Luang Prabang"}
    assert str(three["signatories"]) == "Nam Kyung-pil (Governor)"


def test_agreements_per_year(store: LocalStore) -> None:
    result = saved("agreements-per-year", store)
    assert [(str(r["year"]), int(r["agreements"])) for r in result.rows] == [
        ("1995", 1), ("2013", 1), ("2015", 1), ("2017", 1), ("2019", 1)]


def test_country_pairs(store: LocalStore) -> None:
    result = saved("country-pairs", store)
    assert [(str(r["country1"]), str(r["country2"]), int(r["agreements"]), int(r["pairs"]))
            for r in result.rows] == [("KR", "VN", 4, 4), ("KR", "LA", 3, 3), ("LA", "VN", 1, 1)]


def test_unlinked(store: LocalStore) -> None:
    result = saved("unlinked", store)
    assert [(str(r["label"]), str(r["type"]), str(r["country"]), int(r["agreements"])) for r in result.rows] \
        == [("Luang Prabang", "City", "LA", 1)]


def test_areas(store: LocalStore) -> None:
    rows = {str(r["area"]): r for r in saved("areas", store).rows}
    assert int(rows["transport"]["agreements"]) == 3  # two of them on public transit
    assert int(rows["public transit"]["agreements"]) == 2
    assert str(rows["public transit"]["broader"]) == "transport"
    assert int(rows["economy"]["agreements"]) == 1 and int(rows["water supply"]["agreements"]) == 0
    assert rows["transport"]["concept"] == URIRef("https://w3id.org/citygraph/area/transport")


# --- other engines: VALUES instead of substitution ------------------------------------------------------

def _normalised(result: QueryResult) -> list[tuple[tuple[str, str], ...]]:
    """Rows as comparable text; GROUP_CONCAT order is not defined, so concatenations are sorted."""
    def text(value: object) -> str:
        parts = re.split(r"; | \| ", str(value))
        return "; ".join(sorted(parts))
    # an empty GROUP_CONCAT is "" on rdflib and unbound on Oxigraph
    return sorted(tuple(sorted((k, text(v)) for k, v in row.items() if str(v))) for row in result.rows)


CASES = [
    ("cooperating", {"city": "Seoul", "area": "transport"}),
    ("cooperating", {"city": "q8684", "area": "public transit"}),
    ("cooperating", {"city": "HCMC", "area": "culture"}),
    ("partners", {"city": "Seoul Metropolitan Government"}),
    ("partners", {"city": "Q1858"}),
    ("agreements", {"city": "Busan"}),
    ("agreements-per-year", {}),
    ("country-pairs", {}),
    ("unlinked", {}),
    ("areas", {}),
]


@pytest.mark.parametrize(("name", "params"), CASES)
def test_values_block_gives_the_same_answer_on_oxigraph_and_rdflib(
        store: LocalStore, rdflib_graph: rdflib.Graph, name: str, params: dict[str, str]) -> None:
    query = load_query(name)
    expected = run(store, query, params)
    assert expected.rows, "a case that returns nothing proves little"
    text = bind_values(query.text, bindings_for(query, params))
    on_oxigraph = store.query(text)  # no substitutions: the VALUES block alone binds
    on_rdflib = rdflib_graph.query(text)
    rdflib_result = QueryResult(variables=[str(v) for v in on_rdflib.vars],
                                rows=[{str(k): v for k, v in row.asdict().items()} for row in on_rdflib])
    for result in (on_oxigraph, rdflib_result):
        result.variables = [v for v in result.variables if v not in params]
        result.rows = [{k: v for k, v in row.items() if k not in params} for row in result.rows]
        assert result.variables == expected.variables
        assert _normalised(result) == _normalised(expected)


# --- parameters and errors ------------------------------------------------------------------------------

def test_unknown_query() -> None:
    with pytest.raises(QueryError, match=r"^unknown query 'nope'; run `citygraph query --list`$"):
        load_query("nope")
    with pytest.raises(QueryError, match="unknown query"):
        load_query("../queries/cooperating")


def test_a_query_file_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert load_query(str(path)).title == "Mine"


def test_parameter_errors() -> None:
    query = load_query("cooperating")
    with pytest.raises(QueryError, match=r"^missing parameter 'area' for query 'cooperating'$"):
        bindings_for(query, parse_params(["city=Seoul"]))
    with pytest.raises(QueryError, match=r"^missing parameter 'area' for query 'cooperating'$"):
        parse_params(["city=Seoul", "area="], query)
    with pytest.raises(QueryError, match=r"^unknown parameter 'town' for query 'cooperating' \(parameters: "
                                         r"city, area\)$"):
        parse_params(["town=Seoul", "area=transport"], query)
    with pytest.raises(QueryError, match="has no '='"):
        parse_params(["Seoul"])
    with pytest.raises(QueryError, match="has no name"):
        parse_params(["=Seoul"])
    with pytest.raises(QueryError, match="given twice"):
        parse_params(["city=Seoul", "city=Busan"])
    assert parse_params(["city = Ho Chi Minh City", "area=a=b"]) == {"city": "Ho Chi Minh City",
                                                                     "area": "a=b"}


def test_bindings_are_plain_strings_named_like_the_parameters() -> None:
    bindings = bindings_for(load_query("cooperating"), {"city": "Ho Chi Minh City", "area": "Public Transit"})
    assert bindings == {"city": Literal("Ho Chi Minh City"), "area": Literal("Public Transit"),
                        "cityKey": Literal("ho chi minh city"), "areaKey": Literal("public transit")}
    assert bindings["city"].datatype is None and bindings["city"].language is None
    assert bindings_for(load_query("partners"), {"city": "Q8684"}) == {"city": Literal("Q8684"),
                                                                     "cityKey": Literal("q8684")}


def test_header_parsing() -> None:
    query = parse_query("q", "# title: T\n# description: D\n# param: a: first\n# param: b?: second\n"
                             "SELECT ?a ?b WHERE { ?s ?p ?a OPTIONAL { ?s ?p ?b } }")
    assert query == SavedQuery("q", "T", "D", [Param("a", "first"), Param("b", "second", required=False)],
                               query.text, None)
    assert parse_params(["a=1"], query) == {"a": "1"}
    with pytest.raises(QueryError, match="not a variable of the query"):
        parse_query("q", "# param: city: x\nSELECT * WHERE { ?s ?p ?o }")


# --- injection ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_parameters_return_nothing_and_change_nothing(store: LocalStore, hostile: str) -> None:
    before = (store.snapshot_path.read_bytes(), {str(q) for q in store.quads()})
    assert saved("cooperating", store, city=hostile, area="transport").rows == []
    assert saved("partners", store, city=hostile).rows == []
    query = load_query("partners")
    assert store.query(bind_values(query.text, bindings_for(query, {"city": hostile}))).rows == []
    assert (store.snapshot_path.read_bytes(), {str(q) for q in store.quads()}) == before


@pytest.mark.parametrize("hostile", HOSTILE)
def test_bind_values_keeps_the_value_exactly(rdflib_graph: rdflib.Graph, hostile: str) -> None:
    """The bound value comes back unchanged from two engines: it stayed one literal."""
    text = bind_values("SELECT ?x ?y WHERE { BIND(1 AS ?one) }", {"x": Literal(hostile), "y": Literal("y")})
    assert [(s["x"].value, s["y"].value) for s in ox.Store().query(text)] == [(hostile, "y")]
    assert [(str(r[0]), str(r[1])) for r in rdflib_graph.query(text)] == [(hostile, "y")]


def test_bind_values_terms() -> None:
    text = bind_values("SELECT * WHERE { }", {
        "iri": URIRef("https://w3id.org/citygraph/id/place/Q8684"),
        "lang": Literal("Seoul", lang="en"),
        "date": Literal("2015", datatype=ns.XSD.gYear)})
    rows = [{k: s[k] for k in ("iri", "lang", "date")} for s in ox.Store().query(text)]
    assert rows[0]["iri"] == ox.NamedNode("https://w3id.org/citygraph/id/place/Q8684")
    assert rows[0]["lang"] == ox.Literal("Seoul", language="en")
    assert rows[0]["date"] == ox.Literal("2015", datatype=ox.NamedNode(str(ns.XSD.gYear)))
    for bad in [URIRef("http://x/> } ; DROP ALL ; <http://y"), URIRef("http://x/a b"), URIRef("http://x/\n")]:
        with pytest.raises(QueryError, match="cannot bind the IRI"):
            bind_values("SELECT * WHERE { }", {"x": bad})
    with pytest.raises(QueryError, match="invalid variable name"):
        bind_values("SELECT * WHERE { }", {"x) {} DROP ALL (": Literal("a")})
    with pytest.raises(QueryError, match="only IRIs and literals"):
        bind_values("SELECT * WHERE { }", {"x": rdflib.BNode()})


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT ?a WHERE { ?a ?b ?c }", "SELECT ?a WHERE { V ?a ?b ?c }"),
    ("select ?a { ?a ?b ?c }", "select ?a { V ?a ?b ?c }"),
    ("ASK { ?a ?b ?c }", "ASK { V ?a ?b ?c }"),
    ("CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c }", "CONSTRUCT { ?a ?b ?c } WHERE { V ?a ?b ?c }"),
    ("DESCRIBE ?a WHERE { ?a ?b ?c }", "DESCRIBE ?a WHERE { V ?a ?b ?c }"),
    ("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?b ?c } } }",
     "SELECT ?a WHERE { V { SELECT ?a WHERE { ?a ?b ?c } } }"),
    ("SELECT (EXISTS { ?a ?b ?c } AS ?e) WHERE { ?a ?b ?c }",
     "SELECT (EXISTS { ?a ?b ?c } AS ?e) WHERE { V ?a ?b ?c }"),
    ('PREFIX ex: <http://x/where#> # { WHERE\nSELECT ("{ WHERE }" AS ?s) ?where WHERE { ?a ex:where ?w }',
     'PREFIX ex: <http://x/where#> # { WHERE\nSELECT ("{ WHERE }" AS ?s) ?where WHERE { V ?a ex:where ?w }'),
    ('SELECT """{ \' """ ?a FROM <http://g> WHERE { ?a ?b ?c } ORDER BY ?a',
     'SELECT """{ \' """ ?a FROM <http://g> WHERE { V ?a ?b ?c } ORDER BY ?a'),
])
def test_values_go_first_in_the_outermost_where_group(query: str, expected: str) -> None:
    inserted = bind_values(query, {"v": Literal("1")}).replace(' VALUES (?v) { ("1") }', " V")
    assert inserted == expected


def test_bind_values_needs_a_where_group() -> None:
    with pytest.raises(QueryError, match="short-form CONSTRUCT"):
        bind_values("CONSTRUCT WHERE { ?a ?b ?c }", {"v": Literal("1")})
    with pytest.raises(QueryError, match="no WHERE group"):
        bind_values("DESCRIBE <http://x>", {"v": Literal("1")})
    with pytest.raises(QueryError, match="only SELECT"):
        bind_values("DROP ALL", {"v": Literal("1")})
    assert bind_values("DESCRIBE <http://x>", {}) == "DESCRIBE <http://x>"


def test_store_errors_stay_store_errors(store: LocalStore) -> None:
    with pytest.raises(StoreError):
        store.query("DROP ALL")


# --- rendering ------------------------------------------------------------------------------------------

def test_render_table(store: LocalStore) -> None:
    text = render(saved("cooperating", store, city="Seoul", area="transport"), "table", width=250)
    assert "Vientiane" in text and "cgid:agreement/608520a8e46e28fe" in text and "2015-11-05" in text
    assert "2 rows" in text and "@en" not in text and "^^" not in text
    markup = QueryResult(["x"], [{"x": Literal("[bold]not markup[/bold]")}])
    assert "[bold]not markup[/bold]" in render(markup, "table", width=80)


def test_render_csv(store: LocalStore) -> None:
    result = saved("cooperating", store, city="Seoul", area="transport")
    text = render(result, "csv")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == result.variables
    assert rows[2][:3] == ["Vientiane", "Q9326", "LA"]
    assert str(VIENTIANE_MOU) in rows[2]  # full IRIs in CSV
    tricky = QueryResult(["x"], [{"x": Literal('a "quoted", multi\nline')}, {}])
    assert list(csv.reader(io.StringIO(render(tricky, "csv")))) == [["x"], ['a "quoted", multi\nline'], [""]]


def test_render_json_is_sparql_results_json(store: LocalStore) -> None:
    document = json.loads(render(saved("cooperating", store, city="Seoul", area="transport"), "json"))
    assert document["head"]["vars"][:2] == ["partner", "qid"]
    vientiane = document["results"]["bindings"][1]
    assert vientiane["date"] == {"type": "literal", "value": "2015-11-05", "datatype": str(ns.XSD.date)}
    assert vientiane["agreement"] == {"type": "uri", "value": str(VIENTIANE_MOU)}
    assert vientiane["partner"] == {"type": "literal", "value": "Vientiane"}
    label = json.loads(render(QueryResult(["l"], [{"l": Literal("Seoul", lang="en")}]), "json"))
    assert label["results"]["bindings"] == [{"l": {"type": "literal", "value": "Seoul", "xml:lang": "en"}}]


def test_render_ask_and_graphs(store: LocalStore) -> None:
    assert json.loads(render(QueryResult([], boolean=True), "json")) == {"head": {}, "boolean": True}
    assert render(QueryResult([], boolean=False), "table") == "no\n"
    graph = store.query("CONSTRUCT WHERE { <https://w3id.org/citygraph/id/place/Q8684> ?p ?o }").graph
    text = render(QueryResult([], graph=graph), "csv")
    assert text.startswith("subject,predicate,object\r\n") and "Seoul Metropolitan Government" in text
    with pytest.raises(QueryError, match="unknown output format"):
        render(QueryResult([], boolean=True), "xml")  # type: ignore[arg-type]


def test_compact() -> None:
    assert compact(URIRef("https://w3id.org/citygraph/area/public-transit")) == "cga:public-transit"
    assert compact(URIRef("http://example.org/x")) == "http://example.org/x"
    assert compact(Literal("2015", datatype=ns.XSD.gYear)) == "2015"
    assert compact(None) == ""
