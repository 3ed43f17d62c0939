"""Known twinnings (Wikidata P190) imported as sister-city agreements, and reconciled with documents."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from citygraph import twinnings
from citygraph.cli import app
from citygraph.mint import graph_iri, to_graph
from citygraph.model import Agreement, Document, Extraction, Party
from citygraph.namespaces import CG, CGID, PROV
from citygraph.store import TWINNINGS_GRAPH, LocalStore
from citygraph.validate import validate

SEOUL, TOKYO, DELHI = CGID["place/Q8684"], CGID["place/Q1490"], CGID["place/Q1353"]
# Seoul's partners in the bundled snapshot (data/places/twinnings.tsv), by QID: 29 links.
SEOUL_PARTNERS = {
    "Q3640", "Q1520", "Q1524", "Q1861", "Q956", "Q2841", "Q1486", "Q85", "Q1353", "Q1858", "Q18094", "Q3630",
    "Q1489", "Q649", "Q987", "Q60", "Q90", "Q8678", "Q220", "Q62", "Q3130", "Q174", "Q1867", "Q3616",
    "Q19689", "Q1490", "Q23430", "Q270", "Q61",
}


def invoke(args: list[str]):
    return CliRunner().invoke(app, args)


def partners(store: Path, city: str = "Seoul") -> list[dict[str, str]]:
    result = invoke(["query", "partners", "-p", f"city={city}", "-f", "csv", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def agreements_between(store: LocalStore, a: URIRef, b: URIRef) -> list[str]:
    rows = store.query(f"""PREFIX cg: <{CG}>
        SELECT DISTINCT ?agreement WHERE {{ ?agreement cg:party <{a}>, <{b}> }}""").rows
    return sorted(str(row["agreement"]) for row in rows)


def sources_of(store: LocalStore, agreement: str) -> set[str]:
    rows = store.query(f"SELECT DISTINCT ?d WHERE {{ <{agreement}> <{PROV.wasDerivedFrom}> ?d }}").rows
    return {str(row["d"]) for row in rows}


@pytest.fixture(scope="module")
def twinned_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh store with the bundled snapshot imported (once: it holds ~10,600 agreements)."""
    directory = tmp_path_factory.mktemp("twinned") / "store"
    result = invoke(["import", "twinnings", "--store", str(directory)])
    assert result.exit_code == 0, result.output
    assert "10596" in result.stderr  # the summary: every link of the snapshot
    return directory


def test_partners_of_seoul_are_its_known_twins(twinned_store: Path) -> None:
    rows = partners(twinned_store)
    assert {row["qid"] for row in rows} == SEOUL_PARTNERS
    by_name = {row["partner"]: row for row in rows}
    assert by_name["Tokyo"]["country"] == "JP" and by_name["Tokyo"]["agreements"] == "1"
    assert {row["qid"] for row in partners(twinned_store, "Q8684")} == SEOUL_PARTNERS
    assert partners(twinned_store, "Vientiane") == []  # no P190 link in the snapshot


def test_imported_agreements_carry_wikidata_provenance(twinned_store: Path) -> None:
    store = LocalStore(twinned_store)
    [agreement] = agreements_between(store, SEOUL, TOKYO)
    assert agreement == str(twinnings.Twinning(twinnings.TwinPlace("Q8684", "Seoul"),
                                               twinnings.TwinPlace("Q1490", "Tokyo")).iri)
    rows = store.query(f"""PREFIX cg: <{CG}> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?type ?evidence ?source WHERE {{
          <{agreement}> a ?type ; cg:evidence ?evidence ; <{PROV.wasDerivedFrom}> ?doc .
          ?doc a cg:SourceDocument ; dcterms:source ?source }}""").rows
    assert [(r["type"], str(r["evidence"]), str(r["source"])) for r in rows] == [
        (CG.SisterCityAgreement, "Wikidata: Seoul (Q8684) twinned administrative body (P190) Tokyo (Q1490)",
         "https://www.wikidata.org/ (P190, twinned administrative body)")]


def _twinnings_triples(store: LocalStore) -> set[str]:
    return {str(quad.triple) for quad in store.quads() if quad.graph_name.value == TWINNINGS_GRAPH}


def test_reimport_adds_nothing(twinned_store: Path) -> None:
    store = LocalStore(twinned_store)
    quads, triples = store.manifest()["quads"], _twinnings_triples(store)
    result = invoke(["import", "twinnings", "--store", str(twinned_store)])
    assert result.exit_code == 0, result.output
    after = LocalStore(twinned_store)
    assert after.manifest()["quads"] == quads and _twinnings_triples(after) == triples


def _document_graph(parties: list[Party], kind: str, date: str | None, source: str):
    doc = Document(source=source, text=f"{source}: a test document about a {kind}.")
    agreement = Agreement(parties=parties, type=kind, date=date, evidence=f"They signed a {kind}.",
                          confidence=0.8)
    return to_graph(Extraction(doc, [agreement]))


SEOUL_PARTY = Party("Seoul", "city", "KR", "Q8684")
TOKYO_PARTY = Party("Tokyo", "city", "JP", "Q1490")
DELHI_PARTY = Party("Delhi", "city", "IN", "Q1353")


@pytest.fixture
def pairs_file(tmp_path: Path) -> Path:
    path = tmp_path / "pairs.tsv"
    path.write_text("qid_a\tqid_b\nQ8684\tQ1490\nQ1353\tQ8684\nQ8684\tQ956\n", encoding="utf-8")
    return path


def test_reconciled_with_a_document_derived_sister_city_agreement(tmp_path: Path, pairs_file: Path) -> None:
    store = LocalStore(tmp_path / "store")
    source = "test/seoul-tokyo.txt"
    graph = _document_graph([SEOUL_PARTY, TOKYO_PARTY], "SisterCityAgreement", "1988-09-03", source)
    store.replace_graphs({str(graph_iri(source)): graph})
    [document_node] = agreements_between(store, SEOUL, TOKYO)
    result = invoke(["import", "twinnings", str(pairs_file), "--store", str(store.directory)])
    assert result.exit_code == 0, result.output
    assert agreements_between(store, SEOUL, TOKYO) == [document_node]  # one relation...
    assert len(sources_of(store, document_node)) == 2  # ...two sources
    assert str(twinnings.SOURCE_DOCUMENT) in sources_of(store, document_node)
    confidence = store.query(f"SELECT ?c {{ <{document_node}> <{CG.confidence}> ?c }}").rows
    assert [str(row["c"]) for row in confidence] == ["0.8"]  # the document's, not a second one
    tokyo = [row for row in partners(store.directory) if row["partner"] == "Tokyo"]
    assert len(tokyo) == 1 and tokyo[0]["agreements"] == "1" and tokyo[0]["since"] == "1988-09-03"


def test_friendship_agreements_reconcile_too(doc_store_dir: Path, pairs_file: Path) -> None:
    store = LocalStore(doc_store_dir)
    source = "test/delhi-seoul.txt"
    store.replace_graphs({str(graph_iri(source)): _document_graph([DELHI_PARTY, SEOUL_PARTY],
                                                                   "FriendshipAgreement", None, source)})
    before = agreements_between(store, SEOUL, DELHI)
    assert invoke(["import", "twinnings", str(pairs_file), "--store", str(doc_store_dir)]).exit_code == 0
    after = agreements_between(store, SEOUL, DELHI)
    assert after == before and len(after) >= 1
    assert any(str(twinnings.SOURCE_DOCUMENT) in sources_of(store, node) for node in after)


def test_a_later_document_does_not_duplicate(tmp_path: Path, pairs_file: Path) -> None:
    store = LocalStore(tmp_path / "store")
    assert invoke(["import", "twinnings", str(pairs_file), "--store", str(store.directory)]).exit_code == 0
    [imported] = agreements_between(store, SEOUL, TOKYO)
    # an undated sister-city agreement from a document is the very same node
    undated = "test/undated.txt"
    store.replace_graphs({str(graph_iri(undated)): _document_graph([TOKYO_PARTY, SEOUL_PARTY],
                                                                    "SisterCityAgreement", None, undated)})
    assert agreements_between(store, SEOUL, TOKYO) == [imported]
    assert len(sources_of(store, imported)) == 2
    # a dated one is another node until the twinnings are reconciled again (refresh, or a re-import)
    dated = "test/dated.txt"
    graph = _document_graph([SEOUL_PARTY, TOKYO_PARTY], "SisterCityAgreement", "1988-09-03", dated)
    store.replace_graphs({str(graph_iri(dated)): graph}, remove=[str(graph_iri(undated))])
    assert len(agreements_between(store, SEOUL, TOKYO)) == 2
    summary = twinnings.refresh(store)
    assert summary is not None and summary.reconciled == 1 and summary.pairs == 3
    [node] = agreements_between(store, SEOUL, TOKYO)
    assert node != imported and len(sources_of(store, node)) == 2


def test_imported_graph_conforms_to_the_shapes(pairs_file: Path) -> None:
    graph, summary = twinnings.twinnings_graph(twinnings.read_tsv(pairs_file))
    assert (summary.pairs, summary.new_agreements, summary.places) == (3, 3, 4)
    report = validate(graph)
    assert report.conforms, [f.message for f in report.results]
    assert (None, None, Literal("Wikidata: Delhi (Q1353) twinned administrative body (P190) Seoul (Q8684)",
                                lang="en")) in graph


def test_bad_rows_are_skipped_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("qid_a\tqid_b\nQ8684\tQ1490\nQ8684\tnot-a-qid\nQ8684\tQ8684\nQ1490\tQ8684\n",
                    encoding="utf-8")
    result = invoke(["import", "twinnings", str(path), "--store", str(tmp_path / "store")])
    assert result.exit_code == 3, result.output  # some input rejected, the rest imported
    assert "pairs.tsv:3" in result.stderr
    assert len(agreements_between(LocalStore(tmp_path / "store"), SEOUL, TOKYO)) == 1


def test_unreadable_sources_are_usage_errors(tmp_path: Path) -> None:
    missing = invoke(["import", "twinnings", str(tmp_path / "nope.tsv"), "--store", str(tmp_path / "s")])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    empty = tmp_path / "empty.tsv"
    empty.write_text("qid_a\tqid_b\n", encoding="utf-8")
    assert invoke(["import", "twinnings", str(empty), "--store", str(tmp_path / "s")]).exit_code == 2
    both = invoke(["import", "twinnings", str(empty), "--online", "--store", str(tmp_path / "s")])
    assert both.exit_code == 2
