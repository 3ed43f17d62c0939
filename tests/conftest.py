"""Shared fixtures: real SPARQL servers on 127.0.0.1 (started once per session) and built stores.

Servers are skipped, with the reason, only when their software is not installed: the oxigraph CLI comes
with the ``oxigraph`` pip package (in ``.[test]``), Virtuoso with Debian's ``virtuoso-opensource``.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/servers.py, with --import-mode=importlib

from servers import (  # noqa: E402
    CountingProxy,
    OxigraphServer,
    VirtuosoServer,
    oxigraph_binary,
    virtuoso_binaries,
)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def store(tmp_path: Path):
    """An embedded store holding the ontology and the small fixture graph (tests/fixtures/mini.ttl)."""
    from minigraph import DATA_GRAPH, data, ontology

    from citygraph.store import ONTOLOGY_GRAPH, LocalStore

    local = LocalStore(tmp_path / "store")
    local.replace_graphs({ONTOLOGY_GRAPH: ontology(), DATA_GRAPH: data()})
    return local


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """``oxigraph serve`` with its default graph as the union of all graphs, as docs/servers.md says."""
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph CLI is not installed (pip install oxigraph)")
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """A private Virtuoso on loopback ports with a random dba password (never the packaged service)."""
    if virtuoso_binaries() is None:
        pytest.skip(
            "Virtuoso is not installed (no virtuoso-t / isql-vt / virtuoso.ini): "
            "apt-get install virtuoso-opensource"
        )
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def wikidata_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A local Oxigraph holding tests/fixtures/wikidata.ttl: a tiny Wikidata for online code."""
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph CLI is not installed (pip install oxigraph)")
    server = OxigraphServer(tmp_path_factory.mktemp("wikidata"), union_default_graph=False)
    server.load(FIXTURES / "wikidata.ttl")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def wikidata_proxy(wikidata_server: OxigraphServer) -> Iterator[CountingProxy]:
    """The fixture Wikidata behind a proxy that counts the requests it forwards."""
    proxy = CountingProxy(wikidata_server.base).start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="session")
def built_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled documents built into a store once per session (copy it before changing it)."""
    from citygraph.pipeline import build, bundled_documents
    from citygraph.store import LocalStore

    directory = tmp_path_factory.mktemp("built") / "store"
    build(bundled_documents(), LocalStore(directory))
    return directory


@pytest.fixture
def doc_store_dir(built_store_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the built store."""
    target = tmp_path / "store"
    shutil.copytree(built_store_dir, target, ignore=shutil.ignore_patterns("lock"))
    return target
