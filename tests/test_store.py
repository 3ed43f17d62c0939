"""The embedded store: real Oxigraph stores in temporary directories, real SPARQL."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from minigraph import DATA_GRAPH, data, ontology  # noqa: E402
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic

import citygraph.store as store_module
from citygraph.keys import lookup_triples
from citygraph.namespaces import CG, CGID, RDFS, XSD
from citygraph.store import (
    ONTOLOGY_GRAPH,
    PLACES_GRAPH,
    LocalStore,
    QueryResult,
    StoreError,
    default_store_dir,
    query_form,
    to_oxigraph,
    to_rdflib,
)

SEOUL = URIRef("https://w3id.org/citygraph/id/place/Q8684")
PREFIX = (
    "PREFIX cg: <https://w3id.org/citygraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)


def all_quads(local: LocalStore) -> set[str]:
    return {str(quad) for quad in local.quads()}


# --- locating and opening -------------------------------------------------------------------------------


def test_missing_store_says_what_to_do(tmp_path: Path) -> None:
    local = LocalStore(tmp_path / "nowhere")
    assert not local.exists()
    with pytest.raises(StoreError, match=r"^no store at .*nowhere: run `citygraph build` first$"):
        local.query("SELECT * WHERE { ?s ?p ?o }")


def test_default_store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITYGRAPH_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_store_dir() == tmp_path / ".citygraph"
    assert LocalStore().directory == tmp_path / ".citygraph"
    monkeypatch.setenv("CITYGRAPH_STORE", str(tmp_path / "elsewhere"))
    assert LocalStore().directory == tmp_path / "elsewhere"
    assert LocalStore(tmp_path / "explicit").directory == tmp_path / "explicit"


def test_layout_on_disk(store: LocalStore) -> None:
    files = {path.name for path in store.directory.iterdir()}
    assert {"graph.nq", "manifest.json", "lock"} <= files
    assert store.snapshot_path.read_bytes().startswith(b"# citygraph snapshot v1 blank-nodes=no\n")
    manifest = store.manifest()
    assert (
        manifest["quads"] == len(list(store.quads())) and manifest["named_graphs"] == 3
    )  # data, ontology, shared places


def test_second_instance_sees_the_data(store: LocalStore) -> None:
    other = LocalStore(store.directory)
    assert other.graph_names() == sorted([ONTOLOGY_GRAPH, DATA_GRAPH, PLACES_GRAPH])
    assert all_quads(other) == all_quads(store)


def test_long_lived_instance_notices_another_writer(store: LocalStore) -> None:
    reader = LocalStore(store.directory)
    assert reader.stats()["agreements"] == 6
    extra = rdflib.Graph()
    extra.add((CGID["agreement/x"], CG.party, SEOUL))
    LocalStore(store.directory).replace_graphs({str(CGID["graph/extra"]): extra})
    assert reader.stats()["agreements"] == 7


# --- queries --------------------------------------------------------------------------------------------


def test_select_terms_keep_datatype_and_language(store: LocalStore) -> None:
    result = store.query(
        PREFIX
        + """SELECT ?label ?date WHERE {
        ?a cg:party ?p ; cg:signedOn ?date . ?p rdfs:label ?label FILTER(STR(?label) = "Ho Chi Minh City")
        FILTER(STR(?date) = "2019") }"""
    )
    assert result.variables == ["label", "date"]
    assert result.rows == [
        {"label": Literal("Ho Chi Minh City", lang="en"), "date": Literal("2019", datatype=XSD.gYear)}
    ]


def test_unbound_variables_are_left_out_of_rows(store: LocalStore) -> None:
    result = store.query(PREFIX + "SELECT ?a ?date WHERE { ?a cg:party ?p OPTIONAL { ?a cg:signedOn ?date }}")
    undated = [row for row in result.rows if "date" not in row]
    assert {str(row["a"]) for row in undated} == {str(CGID["agreement/b04d3f65faa48e72"])}


def test_ask_and_construct(store: LocalStore) -> None:
    assert store.query(PREFIX + 'ASK { ?p rdfs:label "Seoul"@en }') == QueryResult([], [], boolean=True)
    assert store.query(PREFIX + 'ASK { ?p rdfs:label "Atlantis"@en }').boolean is False
    graph = store.query(
        PREFIX + "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a cg:City ; rdfs:label ?l }"
    ).graph
    assert graph is not None and len(graph) == 6 and (SEOUL, RDFS.label, Literal("Seoul", lang="en")) in graph
    described = store.query("DESCRIBE <https://w3id.org/citygraph/id/place/Q8684>").graph
    korea = URIRef("http://www.wikidata.org/entity/Q884")
    assert described is not None and (SEOUL, CG.country, korea) in described


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "DROP ALL",
        "PREFIX x: <http://x/> # a comment\nDELETE WHERE { ?s ?p ?o }",
        "CLEAR DEFAULT",
        "",
    ],
)
def test_updates_are_refused(store: LocalStore, update: str) -> None:
    before = store.snapshot_path.read_bytes()
    with pytest.raises(StoreError, match="only SELECT, ASK, CONSTRUCT and DESCRIBE queries run here"):
        store.query(update)
    assert store.snapshot_path.read_bytes() == before


def test_query_form() -> None:
    text = "BASE <http://x/>\nPREFIX a: <http://a#>\n# c\n  construct { } where { }"
    assert query_form(text) == "CONSTRUCT"
    assert query_form("describe <http://x>") == "DESCRIBE"


def test_syntax_errors_are_one_line(store: LocalStore) -> None:
    with pytest.raises(StoreError, match=r"^invalid SPARQL: [^\n]*$"):
        store.query("SELECT ?x WHERE { ?x ")


def test_bindings_are_substituted_not_pasted(store: LocalStore) -> None:
    query = PREFIX + "SELECT ?name ?p WHERE { ?p rdfs:label ?l FILTER(STR(?l) = ?name) }"
    rows = store.query(query, {"name": Literal("Seoul")}).rows
    assert [row["p"] for row in rows] == [SEOUL]
    before = (store.snapshot_path.read_bytes(), all_quads(store))
    for hostile in [
        'Seoul" || true || "',
        'x" } ; DROP ALL ; SELECT * { "',
        "}; DROP ALL",
        "') } #",
        "Seoul\n} INSERT DATA { <http://a> <http://b> <http://c> }",
    ]:
        assert store.query(query, {"name": Literal(hostile)}).rows == []
    assert (store.snapshot_path.read_bytes(), all_quads(store)) == before


def test_bound_variables_need_not_be_projected(store: LocalStore) -> None:
    rows = store.query(
        PREFIX + "SELECT ?p WHERE { ?p rdfs:label ?l FILTER(STR(?l) = ?name) }", {"name": Literal("Seoul")}
    ).rows
    assert rows == [{"p": SEOUL}]


def test_writes_add_lookup_keys(store: LocalStore) -> None:
    keys = store.query(
        PREFIX + "SELECT ?k WHERE { <https://w3id.org/citygraph/id/place/Q1854> cg:lookupKey ?k }"
    )
    assert {str(row["k"]) for row in keys.rows} == {"ho chi minh city", "hcmc", "saigon", "q1854"}


def test_stats(store: LocalStore) -> None:
    stats = store.stats()
    assert stats["named_graphs"] == 3
    assert {
        k: stats[k]
        for k in (
            "agreements",
            "places",
            "linked_places",
            "officials",
            "documents",
            "countries",
            "areas_used",
        )
    } == {
        "agreements": 6,
        "places": 7,
        "linked_places": 6,
        "officials": 5,
        "documents": 3,
        "countries": 3,
        "areas_used": 8,
    }
    assert stats["triples"] == stats["quads"]  # no statement is in two graphs yet


def test_statements_in_two_graphs_are_counted_once(store: LocalStore) -> None:
    again = rdflib.Graph()
    again.add((SEOUL, RDFS.label, Literal("Seoul", lang="en")))
    store.replace_graphs({str(CGID["graph/second-source"]): again})
    stats = store.stats()
    assert stats["quads"] == stats["triples"] + 2 and stats["places"] == 7  # the label and its lookup key


# --- writes ---------------------------------------------------------------------------------------------


def test_replace_graphs_is_idempotent(store: LocalStore) -> None:
    before = (all_quads(store), store.stats())
    store.replace_graphs({ONTOLOGY_GRAPH: ontology(), DATA_GRAPH: data()})
    store.replace_graphs({DATA_GRAPH: data()})
    assert (all_quads(store), store.stats()) == before
    assert store.snapshot_path.read_bytes().count(b"\n") == len(before[0]) + 1  # header + one line a quad


def test_replace_and_remove(store: LocalStore) -> None:
    small = rdflib.Graph()
    small.add((SEOUL, RDFS.label, Literal("Seoul", lang="en")))
    store.replace_graphs({DATA_GRAPH: small})
    assert store.stats()["agreements"] == 0
    store.replace_graphs({}, remove=[DATA_GRAPH, str(CGID["graph/never-there"])])
    # removing a document's graph keeps the shared descriptions of places
    assert store.graph_names() == sorted([ONTOLOGY_GRAPH, PLACES_GRAPH])
    assert LocalStore(store.directory).graph_names() == sorted([ONTOLOGY_GRAPH, PLACES_GRAPH])


def test_invalid_graph_name_is_refused_before_writing(store: LocalStore) -> None:
    before = store.snapshot_path.read_bytes()
    with pytest.raises(StoreError, match="invalid graph name"):
        store.replace_graphs({"not an iri": data()})
    assert store.snapshot_path.read_bytes() == before


class _FailingHandle:
    """Writes part of the snapshot, then fails: a full disk or a crash in the middle of serialising."""

    def __init__(self, handle) -> None:
        self.handle, self.written = handle, 0

    def write(self, data: bytes) -> int:
        if self.written > 100:
            raise OSError(28, "No space left on device")
        self.written += len(data)
        return self.handle.write(data)

    def __getattr__(self, name: str):
        return getattr(self.handle, name)


def test_a_write_that_fails_midway_leaves_the_snapshot(
    store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, quads = store.snapshot_path.read_bytes(), all_quads(store)
    real = store_module.atomic_file

    @contextlib.contextmanager
    def failing(path, **kwargs):
        with real(path, **kwargs) as handle:
            yield _FailingHandle(handle)

    monkeypatch.setattr(store_module, "atomic_file", failing)
    with pytest.raises(StoreError, match="cannot write the store"):
        store.replace_graphs({DATA_GRAPH: rdflib.Graph()})
    assert store.snapshot_path.read_bytes() == before
    assert [p.name for p in store.directory.iterdir() if p.name.endswith(".tmp")] == []
    assert all_quads(store) == quads  # the half-changed in-memory copy was dropped
    assert all_quads(LocalStore(store.directory)) == quads


_KILLED_WRITER = """
import contextlib, sys, time, rdflib
import citygraph.store as s
real = s.atomic_file
@contextlib.contextmanager
def slow(path, **kw):
    with real(path, **kw) as handle:
        handle.write(b"# half a snapshot\\n")
        handle.flush()
        open(sys.argv[2], "w").close()
        time.sleep(60)
        yield handle
s.atomic_file = slow
s.LocalStore(sys.argv[1]).replace_graphs({"https://w3id.org/citygraph/id/graph/k": rdflib.Graph()})
"""


def test_a_killed_writer_leaves_the_snapshot(store: LocalStore, tmp_path: Path) -> None:
    before = store.snapshot_path.read_bytes()
    marker = tmp_path / "writing"
    child = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(store.directory), str(marker)])
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        assert marker.exists(), "the writer never reached the middle of its write"
        assert LocalStore(store.directory).stats()["agreements"] == 6  # a reader is not blocked
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert store.snapshot_path.read_bytes() == before
    assert any(p.name.endswith(".tmp") for p in store.directory.iterdir())  # what the kill left behind
    store.replace_graphs({DATA_GRAPH: data()})  # the next writer gets the lock and cleans up
    assert not any(p.name.endswith(".tmp") for p in store.directory.iterdir())


def test_concurrent_writers_do_not_lose_updates(store: LocalStore) -> None:
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            graph = rdflib.Graph()
            graph.add((CGID[f"agreement/t{n}"], CG.party, SEOUL))
            LocalStore(store.directory).replace_graphs({str(CGID[f"graph/t{n}"]): graph})
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(LocalStore(store.directory).graph_names()) == 2 + 4 + 1  # + the shared places graph


def test_blank_nodes_keep_their_labels_across_loads(tmp_path: Path) -> None:
    graph = rdflib.Graph()
    node = BNode()
    graph.add((SEOUL, CG.note, node))
    graph.add((node, RDFS.label, Literal("a blank node")))
    first = LocalStore(tmp_path / "a")
    first.replace_graphs({DATA_GRAPH: graph})
    assert first.snapshot_path.read_bytes().startswith(b"# citygraph snapshot v1 blank-nodes=yes\n")
    assert all_quads(LocalStore(first.directory)) == all_quads(first)
    # the labels come from the content, so rebuilding from a fresh parse gives the same snapshot
    second = LocalStore(tmp_path / "b")
    second.replace_graphs({DATA_GRAPH: rdflib.Graph().parse(data=graph.serialize(format="nt"), format="nt")})
    assert all_quads(second) == all_quads(first)
    loaded = rdflib.Graph()
    for quad in second.quads():
        loaded.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    expected = rdflib.Graph()
    expected += graph
    for triple in lookup_triples(graph):
        expected.add(triple)
    assert isomorphic(loaded, expected)
    second.replace_graphs({}, remove=[DATA_GRAPH])
    assert second.snapshot_path.read_bytes().startswith(b"# citygraph snapshot v1 blank-nodes=no\n")


@pytest.mark.parametrize(
    "term",
    [
        URIRef("https://w3id.org/citygraph/id/place/Q8684"),
        Literal("Seoul"),
        Literal("Seoul", lang="en"),
        Literal("서울", lang="ko"),
        Literal("2015-11-05", datatype=XSD.date),
        Literal("2015-11", datatype=XSD.gYearMonth),
        Literal("2015", datatype=XSD.gYear),
        Literal("0.85", datatype=XSD.decimal),
        Literal(True),
        Literal('quote " backslash \\ newline \n'),
        BNode("b0"),
    ],
)
def test_terms_round_trip(term) -> None:
    assert to_rdflib(to_oxigraph(term)) == term


def test_xsd_string_becomes_a_plain_literal() -> None:
    assert to_rdflib(ox.Literal("x", datatype=ox.NamedNode(str(XSD.string)))) == Literal("x")
