"""The store on real SPARQL servers (Oxigraph, Virtuoso on 127.0.0.1) and against misbehaving endpoints.

Fault servers are real HTTP servers in a thread (tests/servers.py); they count the requests they get.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from servers import FaultServer, OxigraphServer, free_port, running
from typer.testing import CliRunner

from citygraph import queries
from citygraph.cli import app
from citygraph.remote import PUBLISHED_GRAPH, USER_AGENT, RemoteError, RemoteStore, publish_store
from citygraph.store import LocalStore, StoreError

SECRET = "Sup3r-s3cret-pa55"
PAIRS = "qid_a\tqid_b\nQ1353\tQ8684\nQ8684\tQ1490\nQ8684\tQ956\nQ9326\tQ1858\n"
PARAMS = {"cooperating": {"city": "Seoul", "area": "transport"}, "partners": {"city": "Seoul"},
          "agreements": {"city": "Q8684"}}
GROUP_SEPARATORS = (" | ", "; ", ", ")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials, endpoint or store from the environment the tests run in."""
    for name in ("CITYGRAPH_USER", "CITYGRAPH_PASSWORD", "CITYGRAPH_AUTH", "CITYGRAPH_ENDPOINT",
                 "CITYGRAPH_STORE"):
        monkeypatch.delenv(name, raising=False)


def invoke(args: list[str], env: dict[str, str] | None = None):
    return CliRunner().invoke(app, args, env=env)


@pytest.fixture(scope="module")
def source_store(tmp_path_factory: pytest.TempPathFactory, built_store_dir: Path) -> Path:
    """The bundled documents plus a few known twinnings (one reconciled with a document)."""
    directory = tmp_path_factory.mktemp("remote") / "store"
    shutil.copytree(built_store_dir, directory, ignore=shutil.ignore_patterns("lock"))
    pairs = directory.parent / "pairs.tsv"
    pairs.write_text(PAIRS, encoding="utf-8")
    result = invoke(["import", "twinnings", str(pairs), "--store", str(directory)])
    assert result.exit_code == 0, result.output
    return directory


def _servers(request: pytest.FixtureRequest) -> tuple[str, list[str], dict[str, str]]:
    """(query endpoint, extra publish options, environment) for the parametrised server."""
    if request.param == "oxigraph":
        server = request.getfixturevalue("oxigraph_server")
        return server.query_url, ["--update-endpoint", server.update_url], {}
    server = request.getfixturevalue("virtuoso_server")
    env = {"CITYGRAPH_USER": server.user, "CITYGRAPH_PASSWORD": server.password}
    return server.query_url, ["--update-endpoint", server.update_url, "--auth", "digest"], env


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def published(request: pytest.FixtureRequest, source_store: Path) -> tuple[str, list[str], dict[str, str]]:
    endpoint, options, env = _servers(request)
    result = invoke(["publish", "--endpoint", endpoint, *options, "--store", str(source_store)], env)
    assert result.exit_code == 0, result.output
    return endpoint, options, env


def _normalised(result) -> list[tuple]:
    """Rows as comparable values. Engines may order GROUP_CONCAT parts differently, and Virtuoso gives ""
    where Oxigraph leaves an empty GROUP_CONCAT unbound: both are normalised away."""
    rows = []
    for row in result.rows:
        cells = {}
        for name, term in row.items():
            text = str(term)
            if text == "":
                continue
            for separator in GROUP_SEPARATORS:
                if separator in text:
                    text = separator.join(sorted(text.split(separator)))
            cells[name] = (type(term).__name__, text, str(getattr(term, "datatype", None) or ""),
                           getattr(term, "language", None) or "")
        rows.append(tuple(sorted(cells.items())))
    return sorted(rows)


def _count(endpoint: str, graph: str = PUBLISHED_GRAPH) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    result = RemoteStore(endpoint).query(query)
    return int(result.rows[0]["n"])


# --- the same answers as the embedded store ------------------------------------------------------------

@pytest.fixture(scope="module")
def embedded_rows(source_store: Path) -> dict[str, list[tuple]]:
    """What the embedded store answers to every saved query (computed once: some take seconds)."""
    local = LocalStore(source_store)
    return {saved.name: _normalised(queries.run(local, saved, PARAMS.get(saved.name, {})))
            for saved in queries.list_queries()}


def test_saved_queries_give_the_same_rows_as_the_embedded_store(
        published, source_store: Path, embedded_rows: dict[str, list[tuple]]) -> None:
    endpoint, _options, _env = published
    remote = RemoteStore(endpoint)
    for saved in queries.list_queries():
        rows = _normalised(queries.run(remote, saved, PARAMS.get(saved.name, {})))
        assert rows == embedded_rows[saved.name], saved.name
    assert embedded_rows["cooperating"] and embedded_rows["partners"]
    # the CLI: same saved query, same output formats
    for fmt in ("csv", "json", "table"):
        here = invoke(["query", "partners", "-p", "city=Seoul", "-f", fmt, "--store", str(source_store)])
        there = invoke(["query", "partners", "-p", "city=Seoul", "-f", fmt, "--endpoint", endpoint])
        assert there.exit_code == 0, there.output
        assert there.stdout == here.stdout
    assert "Tokyo" in there.stdout and "Delhi" in there.stdout
    # a server whose default graph is not the union of its graphs is asked for one graph by name
    named = invoke(["query", "partners", "-p", "city=Seoul", "-f", "csv", "--endpoint", endpoint,
                    "--graph", PUBLISHED_GRAPH])
    assert named.exit_code == 0 and named.stdout == invoke(
        ["query", "partners", "-p", "city=Seoul", "-f", "csv", "--store", str(source_store)]).stdout


def test_construct_and_ask_through_an_endpoint(published) -> None:
    endpoint, _options, _env = published
    remote = RemoteStore(endpoint)
    seoul = URIRef("https://w3id.org/citygraph/id/place/Q8684")
    result = remote.query("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                          "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p rdfs:label ?l }", {"p": seoul})
    assert set(result.graph.objects(seoul, None)) == {Literal("Seoul", lang="en")}
    assert remote.query("ASK { ?s ?p ?o }").boolean is True
    cli = invoke(["sparql", "--endpoint", endpoint, "--format", "json",
                  "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/citygraph/ontology#City> }"])
    assert cli.exit_code == 0 and int(json.loads(cli.stdout)["results"]["bindings"][0]["n"]["value"]) > 5


def test_a_parameter_cannot_change_the_query(published) -> None:
    endpoint, _options, _env = published
    hostile = 'Seoul" } } DROP ALL ; SELECT * { ?s ?p "'
    result = invoke(["query", "partners", "-p", f"city={hostile}", "-f", "csv", "--endpoint", endpoint])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == []
    assert _count(endpoint) > 0


# --- publishing -----------------------------------------------------------------------------------------

def test_publish_replaces_the_graph(published, source_store: Path, built_store_dir: Path) -> None:
    endpoint, options, env = published
    full = _count(endpoint)
    again = invoke(["publish", "--endpoint", endpoint, *options, "--store", str(source_store)], env)
    assert again.exit_code == 0, again.output
    assert _count(endpoint) == full  # replaced, not added to
    smaller = invoke(["publish", "--endpoint", endpoint, *options, "--store", str(built_store_dir)], env)
    assert smaller.exit_code == 0, smaller.output
    assert 0 < _count(endpoint) < full
    back = invoke(["publish", "--endpoint", endpoint, *options, "--store", str(source_store)], env)
    assert back.exit_code == 0 and _count(endpoint) == full


def test_publish_methods_agree(published, source_store: Path) -> None:
    """``update`` (small graphs), ``put`` and ``staged`` replace a graph to the same triples."""
    endpoint, options, env = published
    update_endpoint = options[options.index("--update-endpoint") + 1]
    auth = "digest" if "digest" in options else "basic"
    remote = RemoteStore(endpoint, update_endpoint=update_endpoint, auth=auth,
                         user=env.get("CITYGRAPH_USER"), password=env.get("CITYGRAPH_PASSWORD"))
    graph = Graph()
    for n in range(150):
        graph.add((URIRef(f"https://example.org/s{n}"), URIRef("https://example.org/p"),
                   Literal(f'line "{n}"\n\\u0022 é \\users', lang="en")))
    target = "https://example.org/graph/methods"
    methods = ["update", "staged"] + (["put"] if "virtuoso" not in remote.server().lower() else [])
    for method in methods:
        assert remote.publish(graph, target, method=method).method == method
        assert _count(endpoint, target) == 150
        values = remote.query(f"SELECT DISTINCT ?o WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}").rows
        assert {row["o"] for row in values} == set(graph.objects())
    assert remote.publish(Graph(), target).triples == 0
    assert _count(endpoint, target) == 0


def test_wrong_password_leaves_the_published_graph_and_is_never_shown(published, source_store: Path) -> None:
    endpoint, options, env = published
    before = _count(endpoint)
    if not env:  # Oxigraph has no authentication: a stopped server is the failure to test there
        pytest.skip("the Oxigraph server needs no password (see test_stopped_server_leaves_the_graph)")
    wrong = {**env, "CITYGRAPH_PASSWORD": SECRET}
    for auth in ("digest", "basic"):
        args = ["publish", "--endpoint", endpoint, *options, "--auth", auth, "--store", str(source_store)]
        result = invoke(args, wrong)
        assert result.exit_code == 5
        assert SECRET not in result.stdout + result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "401" in result.stderr
        assert endpoint.rsplit("/", 1)[0] in result.stderr
    assert _count(endpoint) == before
    # a too-large single update is refused by Virtuoso: the refusal leaves the graph as it was
    store = RemoteStore(endpoint, update_endpoint=options[1], auth="digest", user=env["CITYGRAPH_USER"],
                        password=env["CITYGRAPH_PASSWORD"])
    if "virtuoso" in store.server().lower():
        with pytest.raises(RemoteError):
            publish_store(LocalStore(source_store), store, method="update")
        assert _count(endpoint) == before


def test_stopped_server_leaves_the_graph(tmp_path: Path, built_store_dir: Path) -> None:
    server = OxigraphServer(tmp_path / "oxigraph").start()
    try:
        remote = RemoteStore(server.query_url, update_endpoint=server.update_url)
        first = publish_store(LocalStore(built_store_dir), remote)
        server.stop()
        result = invoke(["publish", "--endpoint", server.query_url, "--update-endpoint", server.update_url,
                         "--store", str(built_store_dir)])
        assert result.exit_code == 5 and "connection refused" in result.stderr
        server.start()  # same data directory, a new port
        assert _count(server.query_url) == first.triples
    finally:
        server.stop()


def test_credentials_never_in_messages_or_repr() -> None:
    store = RemoteStore("http://dba:" + SECRET + "@127.0.0.1:9/sparql")
    assert SECRET not in repr(store) and SECRET not in store.endpoint
    with running(FaultServer("echo500")) as fault:
        env = {"CITYGRAPH_USER": "dba", "CITYGRAPH_PASSWORD": SECRET}
        result = invoke(["sparql", "--endpoint", fault.url, "ASK {}"], env)
        assert result.exit_code == 5
        assert "Authorization" in result.stderr  # the server did echo the header...
        assert SECRET not in result.stdout + result.stderr  # ...but neither the password
        import base64

        token = base64.b64encode(f"dba:{SECRET}".encode()).decode()
        assert token not in result.stdout + result.stderr  # ...nor the basic-auth token is shown
        with pytest.raises(StoreError) as caught:
            RemoteStore(fault.url, user="dba", password=SECRET).query("ASK {}")
        assert SECRET not in str(caught.value) and token not in str(caught.value)


# --- misbehaving endpoints -----------------------------------------------------------------------------

def _one_line_error(result, endpoint: str) -> str:
    assert result.exit_code == 5, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert endpoint in lines[0]
    return lines[0]


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    line = _one_line_error(invoke(["query", "partners", "-p", "city=Seoul", "--endpoint", url]), url)
    assert "connection refused" in line


def test_http_500_is_not_retried() -> None:
    with running(FaultServer("500")) as fault:
        result = invoke(["sparql", "--endpoint", fault.url, "SELECT * { ?s ?p ?o }"])
        line = _one_line_error(result, fault.url)
        assert "HTTP 500" in line and "Virtuoso 42000" in line
        assert fault.count() == 1


def test_timeout() -> None:
    with running(FaultServer("slow", delay=3)) as fault:
        result = invoke(["sparql", "--endpoint", fault.url, "--timeout", "0.5", "ASK {}"])
        assert "timeout" in _one_line_error(result, fault.url)
        assert fault.count() == 1  # a timeout is not retried: the server may still be working


def test_malformed_results() -> None:
    with running(FaultServer("malformed")) as fault:
        result = invoke(["sparql", "--endpoint", fault.url, "SELECT ?x WHERE { ?x ?p ?o }"])
        assert "malformed results" in _one_line_error(result, fault.url)


@pytest.mark.parametrize("mode", ["503", "429", "502", "504", "reset"])
def test_reads_are_retried_with_backoff(mode: str) -> None:
    with running(FaultServer(mode)) as fault:
        remote = RemoteStore(fault.url, retries=2, backoff=0.01)
        with pytest.raises(RemoteError) as caught:
            remote.query("ASK {}")
        assert fault.count() == 3  # one try and two retries
        assert "after 3 attempts" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("mode", ["503", "reset"])
def test_updates_are_not_retried(mode: str) -> None:
    with running(FaultServer(mode)) as fault:
        remote = RemoteStore(fault.url, retries=2, backoff=0.01)
        with pytest.raises(RemoteError):
            remote.update("INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }")
        assert fault.count() == 1


def test_user_agent_and_post_for_long_queries() -> None:
    with running(FaultServer("ok")) as fault:
        remote = RemoteStore(fault.url)
        remote.query("SELECT ?x WHERE { ?x ?p ?o }")
        long_query = "SELECT ?x WHERE { ?x ?p ?o " + "FILTER(?o != 'padding') " * 120 + "}"
        remote.query(long_query)
        (first, _, headers, _), (second, _, _, body) = fault.requests
        assert (first, second) == ("GET", "POST")
        assert headers["User-Agent"] == USER_AGENT and USER_AGENT.startswith("citygraph/")
        assert b"padding" in body
        assert "application/sparql-results+json" in headers["Accept"]


def test_updates_are_refused_by_query() -> None:
    with pytest.raises(StoreError, match="only SELECT"):
        RemoteStore("http://127.0.0.1:9/sparql").query("DROP ALL")
