"""Hostile input at every CLI boundary that reaches SPARQL, the store, secrets or output files.

Parameters are bound, never pasted (see citygraph.queries): an injection string must behave as a name that
matches nothing, and nothing a user types may write to the store.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from citygraph import queries
from citygraph.cli import app
from citygraph.pipeline import build
from citygraph.store import LocalStore

DOCS = Path(__file__).resolve().parent.parent / "data" / "documents"
GOOD = [DOCS / "01-seoul-vientiane-mou.txt", DOCS / "04-delhi-seoul-friendship.txt",
        DOCS / "03-mandaue-mosul-sister-city.txt"]
SECRET = "s3cr3t-XYZ"

INJECTIONS = [
    '"', "'", "{", "}", '"}', "'}", "}; DROP ALL ; {", "> <http://evil>", "Seoul\nDROP ALL",
    "\\u0022", "Seoul\\u0022) || true #", '") } INSERT DATA { <a> <b> <c> } #',
    "Seoul\" || \"1\"=\"1", "Seoul') || ('1'='1", "*", ".*", "%", "?city", "$city", "<http://www.wikidata.org/entity/Q8684>",
    "Q8684> . ?s ?p ?o . <x", "\x00", "Seoul\" . } UNION { ?s ?p ?o } #", "'''", '"""',
]

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("store")
    summary = build(GOOD, LocalStore(directory))
    assert summary.documents == len(GOOD)
    return directory


def _rows(args: list[str], store: Path) -> list[dict]:
    result = runner.invoke(app, [*args, "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return json.loads(result.stdout)["results"]["bindings"]


def _param_queries() -> list[queries.SavedQuery]:
    found = [q for q in queries.list_queries() if q.params]
    assert found, "no saved query takes parameters"
    return found


def test_baseline_parameters_find_rows(store: Path) -> None:
    """The injection tests below mean something only if honest parameters return rows."""
    for saved in _param_queries():
        args = ["query", saved.name, "-p", "city=Seoul"]
        if "area" in saved.param_names:
            args += ["-p", "area=transport"]
        assert _rows(args, store), saved.name


# `cooperating` takes over a second per run even on a small store (see the report), so it gets a sample.
_SAMPLED = {"cooperating": ['") } INSERT DATA { <a> <b> <c> } #', "Seoul\" || \"1\"=\"1", "}; DROP ALL ; {"]}


def _attempt(store: Path, saved: queries.SavedQuery, target: str, payload: str) -> None:
    values = {"city": "Seoul", "area": "transport", target: payload}
    args = ["query", saved.name]
    for name in saved.param_names:
        args += ["-p", f"{name}={values.get(name, 'Seoul')}"]
    result = runner.invoke(app, [*args, "--store", str(store), "-f", "json"])
    assert "Traceback" not in result.output
    if result.exit_code == 2:  # refused as a bad parameter: one line, nothing run
        assert len(result.output.strip().splitlines()) == 1, result.output
        return
    assert result.exit_code == 0, (saved.name, target, result.output)
    assert json.loads(result.stdout)["results"]["bindings"] == [], (saved.name, target, payload)


@pytest.mark.parametrize("name", [q.name for q in queries.list_queries() if q.params])
def test_injected_parameters_match_nothing_and_write_nothing(store: Path, name: str) -> None:
    saved = queries.load_query(name)
    before = (store / "graph.nq").read_bytes()
    payloads = _SAMPLED.get(name, INJECTIONS)
    for index, payload in enumerate(payloads):
        for target in saved.param_names:
            if name in _SAMPLED and (index + saved.param_names.index(target)) % 2:
                continue
            _attempt(store, saved, target, payload)
    assert (store / "graph.nq").read_bytes() == before
    assert not list(store.glob(".*.tmp"))


@pytest.mark.parametrize("update", [
    "DROP ALL", "CLEAR DEFAULT", "INSERT DATA { <http://a> <http://b> <http://c> }",
    "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }", "LOAD <http://127.0.0.1:9/evil.ttl>",
    "# SELECT\nDROP ALL", "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
])
def test_adhoc_updates_are_refused_and_store_unchanged(store: Path, update: str) -> None:
    before = (store / "graph.nq").read_bytes()
    result = runner.invoke(app, ["sparql", update, "--store", str(store)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert (store / "graph.nq").read_bytes() == before
    assert _rows(["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"], store)


def test_adhoc_update_exit_code_is_usage_error(store: Path) -> None:
    for update in ("DROP ALL", "INSERT DATA { <http://a> <http://b> <http://c> }"):
        result = runner.invoke(app, ["sparql", update, "--store", str(store)])
        assert result.exit_code == 2, (update, result.exit_code)


def test_password_never_printed_or_exported(store: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYGRAPH_PASSWORD", SECRET)
    env = {"CITYGRAPH_PASSWORD": SECRET}
    own = tmp_path / "own"
    shutil.copytree(store, own)
    outputs = []
    for args in (
        ["query", "partners", "-p", "city=Seoul", "--store", str(own)],
        ["query", "--list"],
        ["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 5", "--store", str(own)],
        ["sparql", "DROP ALL", "--store", str(own)],
        ["stats", "--store", str(own)],
        ["validate", "--store", str(own)],
        ["export", "-f", "turtle", "-o", str(tmp_path / "out.ttl"), "--store", str(own)],
        ["export", "-f", "json-ld", "-o", str(tmp_path / "out.jsonld"), "--store", str(own)],
        ["export", "-f", "nq", "--store", str(own)],
        ["convert", str(GOOD[0]), "-o", str(tmp_path / "conv.ttl")],
        ["build", str(GOOD[1]), "--store", str(own)],
        ["query", "partners", "-p", "city=Seoul", "--endpoint", f"http://citygraph:{SECRET}@127.0.0.1:9/sparql"],
        ["query", "partners", "-p", "city=Seoul", "--endpoint", "http://127.0.0.1:9/sparql"],
    ):
        result = runner.invoke(app, args, env=env)
        assert "Traceback" not in result.output, args
        outputs.append(result.output)
    for text in outputs:
        assert SECRET not in text
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_convert_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    shutil.copyfile(GOOD[0], doc)
    before = doc.read_bytes()
    for target in (doc, tmp_path / "." / "doc.txt", tmp_path / "sub" / ".." / "doc.txt"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        result = runner.invoke(app, ["convert", str(doc), "--output", str(target)])
        assert result.exit_code == 2, result.output
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert doc.read_bytes() == before
    link = tmp_path / "link.txt"
    link.symlink_to(doc)
    result = runner.invoke(app, ["convert", str(doc), "--output", str(link)])
    assert result.exit_code == 2
    assert doc.read_bytes() == before


def test_output_under_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = runner.invoke(app, ["convert", str(GOOD[0]), "--output", str(blocker / "out.ttl")])
    assert result.exit_code in (2, 5)
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert blocker.read_text() == "x"


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))


def test_output_write_failure_leaves_no_partial_file(tmp_path: Path) -> None:
    """A write that fails half-way (file size limit: works even as root) keeps the old file whole."""
    out = tmp_path / "out.ttl"
    out.write_text("OLD CONTENT\n")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-m", "citygraph", "convert", *map(str, GOOD), "-o", str(out)],
                          capture_output=True, text=True, timeout=120, preexec_fn=_limit_file_size, env=env,
                          check=False)
    assert done.returncode in (2, 5), done.stderr
    assert "Traceback" not in done.stderr
    assert len([line for line in done.stderr.splitlines() if line.startswith("error")]) == 1, done.stderr
    assert out.read_text() == "OLD CONTENT\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]
