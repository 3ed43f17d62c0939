"""Publishing: exports parse back to the store's data, are byte-identical for the same store, and file
output is atomic and never overwrites an input."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from minigraph import DATA_GRAPH, FIXTURE, data, ontology
from pyld import jsonld
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic

import citygraph.fsutil as fsutil
from citygraph.fsutil import OutputError, atomic_write
from citygraph.keys import lookup_triples
from citygraph.namespaces import CG, CGID, RDFS
from citygraph.publish import FORMATS, PublishError, _json_ld, export, load_context, write_graph
from citygraph.store import ONTOLOGY_GRAPH, PLACES_GRAPH, LocalStore

SEOUL = URIRef("https://w3id.org/citygraph/id/place/Q8684")


def with_keys(graph: rdflib.Graph) -> rdflib.Graph:
    """What the store holds for ``graph``: the triples plus their lookup keys."""
    out = rdflib.Graph()
    out += graph
    for triple in list(lookup_triples(graph)):
        out.add(triple)
    return out


# --- round trips ----------------------------------------------------------------------------------------

ROUND_TRIP = [("turtle", "turtle"), ("nt", "nt"), ("json-ld", "json-ld")]


@pytest.mark.parametrize(("fmt", "rdflib_format"), ROUND_TRIP)
def test_export_parses_back_to_the_data(store: LocalStore, fmt: str, rdflib_format: str) -> None:
    exported = export(store, fmt)
    parsed = rdflib.Graph().parse(data=exported, format=rdflib_format)
    assert isomorphic(parsed, with_keys(data()))  # the ontology graph is not part of the data


def test_export_with_the_ontology(store: LocalStore) -> None:
    parsed = rdflib.Graph().parse(data=export(store, "turtle", include_ontology=True), format="turtle")
    expected = with_keys(data())
    expected += with_keys(ontology())
    assert isomorphic(parsed, expected)


def test_nquads_keep_the_named_graphs(store: LocalStore) -> None:
    dataset = rdflib.Dataset()
    dataset.parse(data=export(store, "nq"), format="nquads")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {DATA_GRAPH, PLACES_GRAPH}  # places and countries live in one shared graph
    union = rdflib.Graph()
    for name in names:
        union += dataset.graph(URIRef(name))
    assert isomorphic(union, with_keys(data()))
    full = rdflib.Dataset()
    full.parse(data=export(store, "nq", include_ontology=True), format="nquads")
    assert isomorphic(full.graph(URIRef(ONTOLOGY_GRAPH)), with_keys(ontology()))


def test_statements_in_several_graphs_are_written_once(store: LocalStore) -> None:
    again = rdflib.Graph()
    again.add((SEOUL, RDFS.label, Literal("Seoul", lang="en")))
    store.replace_graphs({str(CGID["graph/second"]): again})
    lines = export(store, "nt").splitlines()
    assert len(lines) == len(set(lines)) == len(with_keys(data()))
    assert len(export(store, "nq").splitlines()) == len(lines) + 2  # the label and its key, twice


# --- determinism ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_is_deterministic(store: LocalStore, tmp_path: Path, fmt: str) -> None:
    first = export(store, fmt)
    assert export(LocalStore(store.directory), fmt) == first  # a fresh load, another iteration order
    rebuilt = LocalStore(tmp_path / "rebuilt")  # the same graphs written in another order
    rebuilt.replace_graphs({DATA_GRAPH: data()})
    rebuilt.replace_graphs({ONTOLOGY_GRAPH: ontology()})
    assert export(rebuilt, fmt) == first


def test_export_with_blank_nodes_is_deterministic(tmp_path: Path) -> None:
    graph = data()
    node = BNode()
    graph.add((SEOUL, CG.note, node))
    graph.add((node, RDFS.comment, Literal("a blank node")))
    local = LocalStore(tmp_path / "b")
    local.replace_graphs({DATA_GRAPH: graph})
    for fmt in FORMATS:
        assert export(local, fmt) == export(LocalStore(local.directory), fmt)
    assert isomorphic(rdflib.Graph().parse(data=export(local, "json-ld"), format="json-ld"), with_keys(graph))


def test_turtle_is_readable(store: LocalStore) -> None:
    text = export(store, "turtle").decode()
    assert "@prefix place: <https://w3id.org/citygraph/id/place/> ." in text
    assert "place:Q8684 a cg:City ;" in text
    assert '"2019"^^xsd:gYear' in text
    prefixes = [line for line in text.splitlines() if line.startswith("@prefix")]
    assert prefixes == sorted(prefixes)


# --- JSON-LD --------------------------------------------------------------------------------------------


def test_json_ld_embeds_the_context_and_references_nodes(store: LocalStore) -> None:
    document = json.loads(export(store, "json-ld"))
    assert document["@context"] == load_context()  # embedded: parses offline
    nodes = {node["@id"]: node for node in document["@graph"]}
    mou = nodes["cgid:agreement/608520a8e46e28fe"]
    assert mou["@type"] == "MemorandumOfUnderstanding"
    assert mou["party"] == ["cgid:place/Q8684", "cgid:place/Q9326"]
    assert mou["signedOn"] == "2015-11-05"
    assert mou["cooperationArea"] == ["cga:transport", "cga:urban-planning"]
    assert nodes["cgid:agreement/31a7743755276dfa"]["cg:signedOn"] == {"@value": "2019", "@type": "xsd:gYear"}
    assert nodes["cgid:place/Q8684"]["label"] == {"@value": "Seoul", "@language": "en"}
    assert nodes["cgid:place/Q8684"]["country"] == "wd:Q884"


def _pyld(triples: list[ox.Triple], context: dict) -> dict:
    """The reference: PyLD's JSON-LD 1.1 compaction of the same triples."""

    def term(t):
        if isinstance(t, ox.NamedNode):
            return {"type": "IRI", "value": t.value}
        if isinstance(t, ox.BlankNode):
            return {"type": "blank node", "value": f"_:{t.value}"}
        if t.language:
            return {
                "type": "literal",
                "value": t.value,
                "language": t.language,
                "datatype": "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
            }
        return {"type": "literal", "value": t.value, "datatype": t.datatype.value}

    dataset = {
        "@default": [
            {"subject": term(t.subject), "predicate": term(t.predicate), "object": term(t.object)}
            for t in triples
        ]
    }
    return jsonld.compact(jsonld.from_rdf(dataset, {}), {"@context": context})


def _normalised(document: dict) -> dict:
    out = {}
    for node in document["@graph"]:
        out[node["@id"]] = {
            key: sorted(
                json.dumps(v, sort_keys=True) for v in (value if isinstance(value, list) else [value])
            )
            for key, value in node.items()
            if key != "@id"
        }
    return out


def test_json_ld_matches_pyld_compaction(store: LocalStore) -> None:
    triples = list(ox.parse(export(store, "nt", include_ontology=True), format=ox.RdfFormat.N_TRIPLES))
    ours = json.loads(_json_ld([(t.subject, t.predicate, t.object) for t in triples]))
    assert _normalised(ours) == _normalised(_pyld(triples, load_context()))


def test_json_ld_refuses_contexts_it_cannot_compact() -> None:
    with pytest.raises(PublishError, match="@vocab"):
        _json_ld([], {"@vocab": "http://x/"})


# --- standalone graphs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "rdflib_format"), ROUND_TRIP)
def test_write_graph_round_trips(fmt: str, rdflib_format: str) -> None:
    graph = data()
    assert isomorphic(rdflib.Graph().parse(data=write_graph(graph, fmt), format=rdflib_format), graph)
    assert write_graph(graph, fmt) == write_graph(data(), fmt)


def test_write_graph_nquads_names_the_graph() -> None:
    text = write_graph(data(), "nq", graph_name=DATA_GRAPH).decode()
    assert all(line.endswith(f"<{DATA_GRAPH}> .") for line in text.splitlines())
    default = write_graph(data(), "nq").decode()  # an rdflib graph named by a blank node: default graph
    assert default.splitlines()[0].count("<") <= 3


def test_unknown_format() -> None:
    with pytest.raises(PublishError, match="unknown format 'rdfxml'"):
        write_graph(data(), "rdfxml")  # type: ignore[arg-type]


# --- atomic writes --------------------------------------------------------------------------------------


def test_atomic_write_refuses_an_input(tmp_path: Path) -> None:
    source = tmp_path / "in.ttl"
    source.write_bytes(b"original")
    for target in (source, tmp_path / "sub" / ".." / "in.ttl"):
        with pytest.raises(OutputError, match=r"^refusing to overwrite the input file "):
            atomic_write(target, b"new", protect=[source])
    link = tmp_path / "link.ttl"
    link.symlink_to(source)
    with pytest.raises(OutputError):
        atomic_write(link, b"new", protect=[source])
    assert source.read_bytes() == b"original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.ttl", "link.ttl"]


def test_atomic_write_replaces_and_creates(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.ttl"
    atomic_write(target, b"one")
    assert target.read_bytes() == b"one"
    assert stat.S_IMODE(target.stat().st_mode) != 0o600  # not mkstemp's private mode
    os.chmod(target, 0o640)
    atomic_write(target, b"two", protect=[tmp_path / "other.ttl"])
    assert target.read_bytes() == b"two" and stat.S_IMODE(target.stat().st_mode) == 0o640
    with pytest.raises(OutputError, match="is a directory"):
        atomic_write(tmp_path / "a", b"x")


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.nt"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsutil.os, "replace", broken_replace)
    with pytest.raises(OutputError, match="cannot write .*No space left on device"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.nt"]


def test_export_to_a_file(store: LocalStore, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    atomic_write(out, export(store, "turtle"), protect=[FIXTURE])
    assert isomorphic(rdflib.Graph().parse(out), with_keys(data()))
