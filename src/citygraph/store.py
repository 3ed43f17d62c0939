"""The embedded store: an in-memory Oxigraph store persisted as one N-Quads snapshot.

Why a snapshot and not Oxigraph's on-disk RocksDB store: at 100k agreements the on-disk store is about
ten times slower on aggregates (see STACK.md), while ``bulk_load`` of the whole snapshot takes seconds.
Every write builds the complete new snapshot beside the old one and renames it into place, so a crashed
or killed build leaves the previous snapshot intact and a concurrent reader loads the old or the new
snapshot, never half of one. Writers serialise on an exclusive ``flock`` of ``DIR/lock``.

The first line of the snapshot is a comment saying whether it holds blank nodes: Oxigraph's loaders
relabel blank nodes at random, so a snapshot with blank nodes is loaded with the (slower) parser that keeps
their labels, which keeps exports of the same store byte-identical.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import itertools
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import to_canonical_graph
from rdflib.term import BNode, Literal, Node, URIRef

from citygraph import namespaces as ns
from citygraph.fsutil import atomic_file
from citygraph.namespaces import CG, CGID, PREFIXES

__all__ = [
    "QueryResult",
    "LocalStore",
    "StoreError",
    "default_store_dir",
    "query_form",
    "to_rdflib",
    "to_oxigraph",
    "graph_quads",
    "ONTOLOGY_GRAPH",
    "TWINNINGS_GRAPH",
    "PLACES_GRAPH",
    "SNAPSHOT_NAME",
    "READ_FORMS",
]

ONTOLOGY_GRAPH = str(CGID["graph/ontology"])
TWINNINGS_GRAPH = str(CGID["graph/wikidata-twinnings"])
PLACES_GRAPH = str(CGID["graph/places"])
SNAPSHOT_NAME = "graph.nq"
_MANIFEST_NAME = "manifest.json"
_LOCK_NAME = "lock"
_HEADER = b"# citygraph snapshot v1 blank-nodes="
READ_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_XSD_STRING = str(ns.XSD.string)
_SPARQL_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items()}


class StoreError(Exception):
    """A store problem the user can act on; the message is one line."""


@dataclass
class QueryResult:
    """The result of any query on any engine: rows for SELECT, ``boolean`` for ASK, ``graph`` otherwise.

    A row holds only the variables bound in that solution.
    """

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    graph: rdflib.Graph | None = None


def default_store_dir() -> Path:
    """``$CITYGRAPH_STORE`` if set, else ``.citygraph`` under the working directory."""
    configured = os.environ.get("CITYGRAPH_STORE")
    return Path(configured) if configured else Path.cwd() / ".citygraph"


# --- the query form -------------------------------------------------------------------------------------

_PROLOGUE = re.compile(
    r"""\s+ | \#[^\n]*
        | PREFIX\s*[^\s:]*:\s*<[^>]*>
        | BASE\s*<[^>]*>""",
    re.IGNORECASE | re.VERBOSE,
)
_FORM = re.compile(r"[A-Za-z]+")


def query_form(sparql: str) -> str:
    """Return the query form (SELECT, ASK, CONSTRUCT or DESCRIBE); refuse updates and anything else.

    >>> query_form("PREFIX cg: <https://w3id.org/citygraph/ontology#>  # hi\\nselect * { ?s ?p ?o }")
    'SELECT'
    >>> query_form("DROP ALL")
    Traceback (most recent call last):
    ...
    citygraph.store.StoreError: only SELECT, ASK, CONSTRUCT and DESCRIBE queries run here, not DROP
    """
    position = 0
    while match := _PROLOGUE.match(sparql, position):
        position = match.end()
    word = _FORM.match(sparql, position)
    form = word.group(0).upper() if word else ""
    if form not in READ_FORMS:
        shown = form or (sparql[position : position + 20].strip() or "an empty query")
        raise StoreError(f"only SELECT, ASK, CONSTRUCT and DESCRIBE queries run here, not {shown}")
    return form


# --- term conversion ------------------------------------------------------------------------------------

_DATATYPES: dict[str, URIRef] = {}


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """Convert an Oxigraph term; language tags and datatypes are kept, ``xsd:string`` becomes a plain literal.

    >>> to_rdflib(ox.Literal("2015", datatype=ox.NamedNode(str(ns.XSD.gYear)))).n3()
    '"2015"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    >>> to_rdflib(ox.Literal("Seoul", language="en")).n3()
    '"Seoul"@en'
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        uri = _DATATYPES.get(datatype)
        if uri is None:
            uri = _DATATYPES[datatype] = URIRef(datatype)
        return Literal(term.value, datatype=uri)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise StoreError(f"unsupported RDF term {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term (the lexical form of a literal is kept as written).

    >>> to_oxigraph(Literal("Seoul", lang="en"))
    <Literal value=Seoul language=en>
    """
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(term)
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(term.datatype))
            return ox.Literal(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(term)
    except ValueError as error:
        raise StoreError(f"invalid RDF term {term.n3()}: {error}") from error
    raise StoreError(f"unsupported RDF term {term!r}")


def _graph_node(name: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(str(name))
    except ValueError as error:
        raise StoreError(f"invalid graph name {name!r}: {error}") from error


def _canonical_triples(graph: rdflib.Graph, name: str) -> Iterable[tuple[Node, Node, Node]]:
    """Give blank nodes labels derived from the graph's content and name, so rebuilds are reproducible
    and two graphs never share a blank node by accident."""
    if not any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph
    salt = hashlib.sha1(str(name).encode()).hexdigest()[:8]

    def relabel(term: Node) -> Node:
        return BNode(f"g{salt}{term}") if isinstance(term, BNode) else term

    return [(relabel(s), relabel(p), relabel(o)) for s, p, o in to_canonical_graph(graph)]


def graph_quads(graph: rdflib.Graph, name: str) -> list[ox.Quad]:
    """The triples of ``graph`` as Oxigraph quads in the named graph ``name``.

    Converting terms directly (with a cache for IRIs) is as fast as serialising to N-Triples and parsing
    (measured: 4 ms vs 6 ms for 1k triples, 0.7 s vs 0.56 s for 88k) and never depends on escaping.
    """
    graph_name = _graph_node(name)
    cache: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def convert(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = cache.get(term)
        if found is None:
            found = to_oxigraph(term)
            if not isinstance(term, Literal):
                cache[term] = found
        return found

    quads = []
    for s, p, o in _canonical_triples(graph, name):
        try:
            quads.append(ox.Quad(convert(s), convert(p), convert(o), graph_name))
        except TypeError as error:  # e.g. a literal as subject
            raise StoreError(f"invalid triple in graph {name}: {s.n3()} {p.n3()} {o.n3()}") from error
    return quads


# --- the store ------------------------------------------------------------------------------------------

_STATS_QUERY = """
PREFIX cg: <https://w3id.org/citygraph/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT * WHERE {
  { SELECT (COUNT(*) AS ?triples) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } }
  { SELECT (COUNT(DISTINCT ?a) AS ?agreements) WHERE { ?a cg:party ?x } }
  { SELECT (COUNT(DISTINCT ?p) AS ?places) WHERE {
      ?p a ?t FILTER(?t IN (cg:City, cg:Region, cg:LocalGovernment)) } }
  { SELECT (COUNT(DISTINCT ?p) AS ?linked_places) WHERE {
      ?p a ?t ; owl:sameAs ?w FILTER(?t IN (cg:City, cg:Region, cg:LocalGovernment)) } }
  { SELECT (COUNT(DISTINCT ?c) AS ?countries) WHERE { ?x cg:country ?c } }
  { SELECT (COUNT(DISTINCT ?o) AS ?officials) WHERE { ?o a cg:Official } }
  { SELECT (COUNT(DISTINCT ?d) AS ?documents) WHERE { ?d a cg:SourceDocument } }
  { SELECT (COUNT(DISTINCT ?c) AS ?areas_used) WHERE { ?a cg:cooperationArea ?c } }
}
"""


def _has_blank_nodes(store: ox.Store) -> bool:
    return bool(
        store.query("ASK { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } FILTER(isBlank(?s) || isBlank(?o)) }")
    )


class LocalStore:
    """The knowledge graph on this machine: ``DIR/graph.nq`` loaded on first use into memory.

    A long-lived instance notices a snapshot replaced by another process and reloads it.
    """

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_store_dir()
        self._store: ox.Store | None = None
        self._signature: tuple[int, int, int] | None = None
        self._blank_nodes = False

    def __repr__(self) -> str:
        return f"LocalStore({str(self.directory)!r})"

    @property
    def snapshot_path(self) -> Path:
        return self.directory / SNAPSHOT_NAME

    @property
    def manifest_path(self) -> Path:
        return self.directory / _MANIFEST_NAME

    def exists(self) -> bool:
        return self.snapshot_path.is_file()

    # loading

    def _missing(self) -> StoreError:
        return StoreError(f"no store at {self.directory}: run `citygraph build` first")

    def _current(self) -> ox.Store:
        """The in-memory store for the snapshot on disk now (reloaded only when the file changed)."""
        try:
            handle = open(self.snapshot_path, "rb")  # noqa: SIM115 - closed below, fstat needs the fd
        except FileNotFoundError:
            raise self._missing() from None
        except OSError as error:
            raise StoreError(f"cannot read {self.snapshot_path}: {error.strerror}") from error
        with handle:
            st = os.fstat(handle.fileno())
            signature = (st.st_ino, st.st_size, st.st_mtime_ns)
            if self._store is not None and signature == self._signature:
                return self._store
            self._store, self._blank_nodes = _load_snapshot(handle, self.snapshot_path)
            self._signature = signature
        return self._store

    def _current_or_empty(self) -> ox.Store:
        try:
            return self._current()
        except StoreError:
            if self.exists():
                raise
            self._store, self._blank_nodes, self._signature = ox.Store(), False, None
            return self._store

    # reading

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run a read-only query over the union of all named graphs; ``bindings`` (``{"city":
        Literal("Seoul")}`` binds ``?city``) become a VALUES block of escaped terms, never pasted text."""
        form = query_form(sparql)
        if bindings:
            # A VALUES block at the head of the WHERE group (serialized, escaped terms): Oxigraph plans
            # the joins from it, where its `substitutions` left a label scan of seconds at 10k places.
            from citygraph.queries import QueryError, bind_values

            try:
                sparql = bind_values(sparql, bindings)
            except QueryError as error:
                raise StoreError(str(error)) from None
        store = self._current()
        try:
            result = store.query(sparql, use_default_graph_as_union=True, prefixes=_SPARQL_PREFIXES)
            return _to_result(form, result)
        except SyntaxError as error:
            raise StoreError(f"invalid SPARQL: {str(error).splitlines()[0]}") from None
        except RuntimeError as error:
            raise StoreError(f"query failed: {error}") from error
        except OSError as error:
            raise StoreError(f"query failed: {error}") from error

    def graph_names(self) -> list[str]:
        graphs = self._current().named_graphs()
        return sorted(graph.value for graph in graphs if isinstance(graph, ox.NamedNode))

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._current())

    def data_graph(self, *, include_ontology: bool = False) -> rdflib.Graph:
        """The union of the data graphs as one rdflib graph (for rdflib-only tools such as pyshacl)."""
        ontology = ox.NamedNode(ONTOLOGY_GRAPH)
        graph = rdflib.Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
        for quad in self._current():
            if include_ontology or quad.graph_name != ontology:
                graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return graph

    def stats(self) -> dict[str, int]:
        """Counts for a report: quads and named graphs from the store, the rest by SPARQL."""
        store = self._current()
        counts = {"quads": len(store), "named_graphs": sum(1 for _ in store.named_graphs())}
        row = self.query(_STATS_QUERY).rows[0]
        counts.update({name: int(value) for name, value in row.items()})
        return counts

    def manifest(self) -> dict[str, object]:
        """What the last build recorded (counts, time); empty if there is none."""
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    # writing

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            lock = open(self.directory / _LOCK_NAME, "a+b")  # noqa: SIM115 - held for the block
        except OSError as error:
            raise StoreError(f"cannot create the store at {self.directory}: {error.strerror}") from error
        with lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _remove_stale_temporaries(self) -> None:
        """Temp files left by a killed writer (safe under the lock: no other writer is running)."""
        for stale in self.directory.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()

    def replace_graphs(
        self,
        graphs: Mapping[str, rdflib.Graph] | Iterable[tuple[str, rdflib.Graph]],
        *,
        remove: Iterable[str] = (),
    ) -> None:
        """Replace the named graphs ``graphs`` (name -> content) and drop ``remove``, in one atomic write.

        ``graphs`` may be a lazy iterable of (name, graph): each graph is turned into quads and let go as
        it is read, so a bulk load never holds the whole batch as rdflib graphs (memory) at once.
        Replacing a graph with the same content again changes nothing (idempotent).
        """
        items = graphs.items() if isinstance(graphs, Mapping) else graphs
        with self._locked():
            self._remove_stale_temporaries()
            store = self._current_or_empty()
            try:
                for graph_name in remove:
                    store.remove_graph(_graph_node(graph_name))
                blank_nodes = False
                for name, graph in items:
                    store.remove_graph(_graph_node(name))
                    quads = _entering_quads(graph, name)
                    store.extend(quads)
                    blank_nodes = blank_nodes or any(
                        isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
                        for q in quads
                    )
                blank_nodes = blank_nodes or (self._blank_nodes and _has_blank_nodes(store))
                with atomic_file(self.snapshot_path) as handle:
                    handle.write(_HEADER + (b"yes\n" if blank_nodes else b"no\n"))
                    store.dump(handle, ox.RdfFormat.N_QUADS)
                st = self.snapshot_path.stat()
                self._store, self._blank_nodes = store, blank_nodes
                self._signature = (st.st_ino, st.st_size, st.st_mtime_ns)
                manifest = {
                    "built": datetime.now(UTC).isoformat(timespec="seconds"),
                    "quads": len(store),
                    "named_graphs": sum(1 for _ in store.named_graphs()),
                    "snapshot_bytes": st.st_size,
                    "blank_nodes": blank_nodes,
                }
                with atomic_file(self.manifest_path) as handle:
                    handle.write(json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n")
            except BaseException as error:
                self._store, self._signature = None, None  # the in-memory copy may be half-changed
                if isinstance(error, OSError):
                    raise StoreError(f"cannot write the store at {self.directory}: {error}") from error
                raise


# Places and countries, described alike by every document that names them, go to one shared graph
# (PLACES_GRAPH): in each document's graph they would appear once per document in the union default
# graph, and every join through a popular place would multiply by its number of documents.
_SHARED_TYPES = frozenset(str(CG[t]) for t in ("City", "Region", "LocalGovernment", "Country"))


def _entering_quads(graph: rdflib.Graph, name: str) -> list[ox.Quad]:
    """The quads a graph becomes in the store: its lookup keys added, places and countries moved to the
    shared graph. One pass over the triples, no intermediate rdflib graphs (they cost more than the load)."""
    from citygraph.keys import lookup_triples

    if any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph_quads(_with_keys(graph), name)  # rare: keep blank-node labelling exact
    shared_subjects = {sub for sub, o in graph.subject_objects(rdflib.RDF.type) if str(o) in _SHARED_TYPES}
    own_name, shared_name = _graph_node(name), _graph_node(PLACES_GRAPH)
    cache: dict[Node, ox.NamedNode | ox.Literal] = {}

    def convert(term: Node) -> ox.NamedNode | ox.Literal:
        found = cache.get(term)
        if found is None:
            found = cache[term] = to_oxigraph(term)
        return found

    quads = []
    for triple in itertools.chain(graph, lookup_triples(graph)):
        sub, pred, obj = triple
        target = shared_name if sub in shared_subjects else own_name
        try:
            quads.append(ox.Quad(convert(sub), convert(pred), convert(obj), target))
        except TypeError as error:  # e.g. a literal as subject
            raise StoreError(f"invalid triple in graph {name}: {sub.n3()} {pred.n3()} {obj.n3()}") from error
    return quads


def _with_keys(graph: rdflib.Graph) -> rdflib.Graph:
    """The graph plus its lookup keys (citygraph.keys): every write indexes the names it brings."""
    from citygraph.keys import lookup_triples

    extra = list(lookup_triples(graph))
    if not extra:
        return graph
    out = rdflib.Graph(bind_namespaces="none")
    out += graph
    for triple in extra:
        out.add(triple)
    return out


def _load_snapshot(handle, path: Path) -> tuple[ox.Store, bool]:
    """Load an open snapshot; keep blank-node labels when it has (or may have) blank nodes."""
    first = handle.readline()
    blank_nodes = not (first.startswith(_HEADER) and first[len(_HEADER) :].strip() == b"no")
    handle.seek(0)
    store = ox.Store()
    try:
        if blank_nodes:
            store.extend(ox.parse(handle, ox.RdfFormat.N_QUADS))
        else:
            store.bulk_load(handle, ox.RdfFormat.N_QUADS)
    except SyntaxError as error:
        raise StoreError(f"corrupt snapshot {path}: {str(error).splitlines()[0]}") from None
    return store, blank_nodes


def _to_result(form: str, result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> QueryResult:
    if form == "ASK":
        return QueryResult(variables=[], boolean=bool(result))
    if form == "SELECT":
        names = [variable.value for variable in result.variables]
        rows = []
        for solution in result:
            row = {}
            for index, name in enumerate(names):
                value = solution[index]
                if value is not None:
                    row[name] = to_rdflib(value)
            rows.append(row)
        return QueryResult(variables=names, rows=rows)
    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    for triple in result:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return QueryResult(variables=[], graph=graph)
