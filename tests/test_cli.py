"""The CLI end to end with typer's CliRunner: real documents, a real Oxigraph store, real RDF parsed back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from citygraph.cli import app
from citygraph.resources import resource_dir

runner = CliRunner()
DOCS = resource_dir("data") / "documents"
SEOUL_VIENTIANE = DOCS / "01-seoul-vientiane-mou.txt"


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("store")
    result = run("build", "--store", str(directory))
    assert result.exit_code == 0, result.output
    return directory


def test_convert_prints_turtle_that_parses(tmp_path: Path) -> None:
    result = run("convert", str(SEOUL_VIENTIANE))
    assert result.exit_code == 0, result.output
    g = Graph().parse(data=result.stdout, format="turtle")
    assert len(g) > 20


@pytest.mark.parametrize(("fmt", "parser"), [("json-ld", "json-ld"), ("nt", "nt"), ("turtle", "turtle")])
def test_convert_formats_to_a_file(tmp_path: Path, fmt: str, parser: str) -> None:
    out = tmp_path / f"out.{fmt}"
    result = run("convert", str(SEOUL_VIENTIANE), "--output", str(out), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(out, format=parser)) > 20


def test_seoul_transport_question(store: Path) -> None:
    result = run(
        "query",
        "cooperating",
        "--store",
        str(store),
        "--param",
        "city=Seoul",
        "--param",
        "area=transport",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]["bindings"]
    vientiane = [r for r in rows if r["partner"]["value"] == "Vientiane"]
    assert vientiane and vientiane[0]["date"]["value"] == "2015-11-05"
    assert vientiane[0]["source"]["value"].endswith("01-seoul-vientiane-mou.txt")


@pytest.mark.parametrize("city", ["seoul", "SEOUL", "Q8684", "Seoul Special City"])
def test_city_by_any_name_or_qid(store: Path, city: str) -> None:
    result = run("query", "partners", "--store", str(store), "--param", f"city={city}", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "Vientiane" in result.stdout and "Delhi" in result.stdout


def test_query_list_shows_parameters() -> None:
    result = run("query", "--list")
    assert result.exit_code == 0
    assert "cooperating" in result.stdout and "city" in result.stdout


def test_second_build_adds_nothing(store: Path) -> None:
    def quads() -> set[bytes]:
        return set((store / "graph.nq").read_bytes().splitlines())

    before = quads()
    assert run("build", "--store", str(store)).exit_code == 0
    assert quads() == before  # same IRIs, same triples: nothing added, nothing lost


def test_validate_store_json(store: Path) -> None:
    result = run("validate", "--store", str(store), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["conforms"] is True


def test_validate_reports_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("""@prefix cg: <https://w3id.org/citygraph/ontology#> .
        <http://x/a> a cg:MemorandumOfUnderstanding ; cg:party <http://x/p> .""")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert "two" in result.stdout


def test_export_and_stats(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.jsonld"
    assert run("export", "--store", str(store), "--format", "json-ld", "--output", str(out)).exit_code == 0
    assert len(Graph().parse(out, format="json-ld")) > 100
    stats = run("stats", "--store", str(store))
    assert stats.exit_code == 0 and "agreements" in stats.stdout


def _one_line_error(result) -> str:
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, result.output
    return lines[0]


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (b"\x00\x01\x02binary", "binary"), ("Seoul signé".encode("latin-1"), "not UTF-8")],
)
def test_bad_documents_one_line_each_and_batch_goes_on(tmp_path: Path, content: bytes, reason: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run("convert", str(bad), str(SEOUL_VIENTIANE), "--output", str(tmp_path / "out.ttl"))
    assert result.exit_code == 3
    assert reason in _one_line_error(result)
    assert len(Graph().parse(tmp_path / "out.ttl")) > 20


def test_missing_file_and_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("convert", str(tmp_path / "nope.txt"), str(tmp_path / "empty"))
    assert result.exit_code == 4
    assert "no such file" in result.stderr and "no documents in directory" in result.stderr


def test_unknown_query_and_missing_parameter(store: Path) -> None:
    unknown = run("query", "nope", "--store", str(store))
    assert unknown.exit_code == 2 and "unknown query" in _one_line_error(unknown)
    missing = run("query", "cooperating", "--store", str(store), "--param", "city=Seoul")
    assert missing.exit_code == 2 and "missing parameter 'area'" in _one_line_error(missing)


def test_no_store_yet(tmp_path: Path) -> None:
    result = run("query", "partners", "--store", str(tmp_path / "none"), "--param", "city=Seoul")
    assert result.exit_code == 4 and "citygraph build" in _one_line_error(result)


def test_version() -> None:
    from citygraph import __version__

    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.stdout
