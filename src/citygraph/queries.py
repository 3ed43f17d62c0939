"""Saved SPARQL queries (``queries/*.rq``), their parameters, and rendering of results.

A saved query starts with a comment header::

    # title: Cities cooperating with a city on an area
    # description: One line a user reads in `citygraph query --list`.
    # param: city: a city or region name ..., e.g. Seoul or Q8684
    # param: year?: an optional parameter (a trailing ? makes it optional)

Parameters are bound, never pasted into the query text: ``--param city=Seoul`` binds the variable
``?city`` to the string "Seoul" and ``?cityKey`` to its lookup key (citygraph.keys), which the query
joins on ``cg:lookupKey``. Every engine, the embedded store included, gets the bindings as a ``VALUES``
block built by :func:`bind_values`, which escapes every term (Oxigraph plans its joins from a VALUES
block; its ``substitutions`` measured 5-15x slower). Saved queries therefore use their parameters in the
outermost group of the WHERE clause, where the block reaches them, and only standard SPARQL 1.1.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal as Choice
from typing import Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from citygraph import namespaces as ns
from citygraph.namespaces import PREFIXES
from citygraph.resources import resource_dir
from citygraph.store import QueryResult, StoreError, query_form

__all__ = [
    "Param",
    "SavedQuery",
    "QueryError",
    "list_queries",
    "load_query",
    "parse_query",
    "parse_params",
    "bindings_for",
    "bind_values",
    "sparql_term",
    "run",
    "render",
    "compact",
    "FORMATS",
]

FORMATS = ("table", "csv", "json")
_XSD_STRING = str(ns.XSD.string)


class QueryError(Exception):
    """A problem with a saved query or its parameters; the message is one line for the user."""


@dataclass(frozen=True)
class Param:
    name: str
    help: str
    required: bool = True


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    params: list[Param] = field(default_factory=list)
    text: str = ""
    path: Path | None = None

    @property
    def param_names(self) -> list[str]:
        return [param.name for param in self.params]


class Engine(Protocol):
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult: ...


# --- loading --------------------------------------------------------------------------------------------

_HEADER_LINE = re.compile(r"#\s*(?P<key>[A-Za-z]+)\s*:\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<optional>\?)?\s*:\s*(?P<help>.*)$")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def parse_query(name: str, text: str, path: Path | None = None) -> SavedQuery:
    """Read the comment header of a saved query.

    >>> text = "# title: T\\n# description: D\\n# param: city: a city\\nSELECT * { ?s ?p ?city }"
    >>> q = parse_query("x", text)
    >>> q.title, q.params
    ('T', [Param(name='city', help='a city', required=True)])
    """
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_LINE.match(stripped)
        if not match:
            continue
        key, value = match.group("key").lower(), match.group("value")
        if key == "param":
            param = _PARAM.match(value)
            if not param:
                raise QueryError(f"query '{name}': bad param line {stripped!r}; write `# param: name: help`")
            required = not param.group("optional")
            params.append(Param(param.group("name"), param.group("help").strip(), required))
        else:
            fields[key] = value
    for param in params:
        if not re.search(rf"[?$]{param.name}\b", text):
            raise QueryError(f"query '{name}': parameter '{param.name}' is not a variable of the query")
    return SavedQuery(
        name=name,
        title=fields.get("title", name),
        description=fields.get("description", ""),
        params=params,
        text=text,
        path=path,
    )


def _read(path: Path) -> SavedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise QueryError(f"cannot read query {path}: {error.strerror}") from error
    return parse_query(path.stem, text, path)


def list_queries(directory: Path | None = None) -> list[SavedQuery]:
    """All saved queries, sorted by name."""
    folder = directory or resource_dir("queries")
    return [_read(path) for path in sorted(folder.glob("*.rq"))]


def load_query(name: str, directory: Path | None = None) -> SavedQuery:
    """A saved query by name (``cooperating``), or a query file given by path (``my/query.rq``)."""
    if name.endswith(".rq") and Path(name).is_file():
        return _read(Path(name))
    folder = directory or resource_dir("queries")
    path = folder / f"{name}.rq"
    if not _NAME.fullmatch(name) or not path.is_file():
        raise QueryError(f"unknown query '{name}'; run `citygraph query --list`")
    return _read(path)


# --- parameters -----------------------------------------------------------------------------------------


def parse_params(pairs: Sequence[str], query: SavedQuery | None = None) -> dict[str, str]:
    """Parse ``key=value`` pairs (from ``--param``); with ``query``, also check names against it.

    >>> parse_params(["city=Seoul", "area = public transit"])
    {'city': 'Seoul', 'area': 'public transit'}
    >>> parse_params(["Seoul"])
    Traceback (most recent call last):
    ...
    citygraph.queries.QueryError: parameter 'Seoul' has no '=': write name=value, e.g. city=Seoul
    """
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key, value = key.strip(), value.strip()
        if not sep:
            raise QueryError(f"parameter '{pair}' has no '=': write name=value, e.g. city=Seoul")
        if not key:
            raise QueryError(f"parameter '{pair}' has no name: write name=value, e.g. city=Seoul")
        if key in params:
            raise QueryError(f"parameter '{key}' given twice")
        params[key] = value
    if query is not None:
        _check_params(query, params)
    return params


def _check_params(query: SavedQuery, params: Mapping[str, str]) -> None:
    known = query.param_names
    for key in params:
        if key not in known:
            expected = ", ".join(known) if known else "none"
            raise QueryError(f"unknown parameter '{key}' for query '{query.name}' (parameters: {expected})")
    for param in query.params:
        if param.required and not params.get(param.name):
            raise QueryError(f"missing parameter '{param.name}' for query '{query.name}'")


def bindings_for(query: SavedQuery, params: Mapping[str, str]) -> dict[str, Literal]:
    """Bind each parameter to the variable of the same name as a plain string (xsd:string) literal,
    and ``?<name>Key`` to its lookup key (citygraph.keys), which the saved queries join on."""
    from citygraph.keys import lookup_key

    _check_params(query, params)
    out: dict[str, Literal] = {}
    for name, value in params.items():
        if value:
            out[name] = Literal(value)
            if f"?{name}Key" in query.text:
                out[f"{name}Key"] = Literal(lookup_key(value))
    return out


def run(engine: Engine, query: SavedQuery, params: Mapping[str, str]) -> QueryResult:
    """Run a saved query on any engine with ``query(sparql, bindings)`` (local store or endpoint).

    Columns of bound parameters only repeat what the user typed, so they are left out of the result.
    """
    bindings = bindings_for(query, params)
    result = engine.query(query.text, bindings)
    if result.boolean is None and result.graph is None and bindings:
        result.variables = [name for name in result.variables if name not in bindings]
        result.rows = [{k: v for k, v in row.items() if k not in bindings} for row in result.rows]
    return result


# --- VALUES for remote engines --------------------------------------------------------------------------

_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
_VARIABLE = re.compile(r"[A-Za-z0-9_]+")
_LITERAL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _quote(text: str) -> str:
    r"""Quote a string for SPARQL so that it reads back the same on every engine.

    rdflib's ``Literal.n3()`` is not used here: for a value with a newline it writes a long string
    ("\"\"\"...\"\"\"") and leaves a final ``\"`` unescaped, which lets the next term escape its quotes.
    SPARQL also says ``\u`` escapes are expanded *before* parsing (rdflib and Jena do that), so a ``u``
    after a backslash is written ``\U00000075``, which every engine reads back as ``u``.

    >>> print(_quote('say "hi"\\u0022'))
    "say \"hi\"\\\U000000750022"
    """
    out = []
    previous_backslash = False
    for char in text:
        if previous_backslash and char in "uU":
            out.append(f"\\U{ord(char):08X}")
        else:
            out.append(_LITERAL_ESCAPES.get(char, char))
        previous_backslash = char == "\\"
    return '"' + "".join(out) + '"'


def _iri(value: str) -> str:
    if not value or _BAD_IRI_CHARS.search(value):
        raise QueryError(f"cannot bind the IRI {value!r}: it contains characters an IRI may not have")
    return f"<{value}>"


def sparql_term(term: Node) -> str:
    """Serialise an IRI or literal for a ``VALUES`` block; anything that could break out is escaped or
    refused.

    >>> sparql_term(Literal("Seoul"))
    '"Seoul"'
    >>> sparql_term(Literal("2015", datatype=ns.XSD.gYear))
    '"2015"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    """
    if isinstance(term, URIRef):
        return _iri(str(term))
    if isinstance(term, Literal):
        text = _quote(str(term))
        if term.language:
            if not _LANG.fullmatch(term.language):
                raise QueryError(f"cannot bind the language tag {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{text}^^{_iri(str(term.datatype))}"
        return text
    raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be bound")


_TOKEN = re.compile(
    r"""(?P<skip> \#[^\n]*                                   # comment
        | '''(?:[^'\\]|\\.|'(?!''))*'''  | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"   # long strings
        | '(?:[^'\\\n\r]|\\.)*'  | "(?:[^"\\\n\r]|\\.)*"     # strings
        | <[^<>"{}|^`\\\x00-\x20]*>                          # IRI
        | [?$][A-Za-z0-9_]+                                  # variable
        | [A-Za-z_][\w.-]*:[\w.%:-]* | [A-Za-z_][\w-]*        # prefixed name or keyword
        )
      | (?P<open>[{(]) | (?P<close>[})]) """,
    re.VERBOSE | re.DOTALL,
)


def _where_group(query: str) -> int:
    """Index just inside the opening brace of the outermost WHERE group."""
    try:
        form = query_form(query)
    except StoreError as error:
        raise QueryError(str(error)) from None
    depth = 0
    seen_where = seen_template = False
    position = 0
    while position < len(query):
        match = _TOKEN.search(query, position)
        if not match:
            break
        position = match.end()
        token = match.group(0)
        if match.group("skip"):
            if depth == 0 and token.upper() == "WHERE":
                seen_where = True
            continue
        if match.group("open"):
            if depth == 0 and token == "{":
                if form != "CONSTRUCT" or seen_where:
                    if form == "CONSTRUCT" and not seen_template:
                        raise QueryError(
                            "cannot bind parameters in a short-form CONSTRUCT WHERE { }; "
                            "write CONSTRUCT { ... } WHERE { ... }"
                        )
                    return match.end()
                seen_template = True
            depth += 1
        else:
            depth -= 1
    raise QueryError("the query has no WHERE group to bind parameters in")


def bind_values(query: str, bindings: Mapping[str, Node]) -> str:
    """Insert ``VALUES (?a ?b) { (x y) }`` as the first element of the outermost WHERE group.

    How every engine receives parameters. Each term is escaped by
    :func:`sparql_term`, so a value can never change the meaning of the query.

    >>> bind_values("SELECT ?p WHERE { ?p ?q ?city }", {"city": Literal("Seoul")})
    'SELECT ?p WHERE { VALUES (?city) { ("Seoul") } ?p ?q ?city }'
    """
    if not bindings:
        return query
    names = []
    for name in bindings:
        bare = name.lstrip("?$")
        if not _VARIABLE.fullmatch(bare):
            raise QueryError(f"invalid variable name {name!r}")
        names.append(bare)
    values = " ".join(sparql_term(term) for term in bindings.values())
    variables = " ".join(f"?{name}" for name in names)
    start = _where_group(query)
    return f"{query[:start]} VALUES ({variables}) {{ ({values}) }}{query[start:]}"


# --- rendering ------------------------------------------------------------------------------------------

_NAMESPACES = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))


def compact(term: Node | None) -> str:
    """A term as a person reads it: literals as their text, IRIs as prefixed names where a prefix fits.

    >>> compact(URIRef("https://w3id.org/citygraph/id/place/Q8684")), compact(Literal("Seoul", lang="en"))
    ('cgid:place/Q8684', 'Seoul')
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        value = str(term)
        for namespace, prefix in _NAMESPACES:
            rest = value[len(namespace) :]
            if value.startswith(namespace) and rest and not any(c.isspace() for c in rest):
                return f"{prefix}:{rest}"
        return value
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _plain(term: Node | None) -> str:
    """The SPARQL 1.1 CSV results form: full IRIs, lexical forms, ``_:`` blank nodes."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
            out["datatype"] = str(term.datatype)
        return out
    raise QueryError(f"cannot render {term!r}")


def _tabular(result: QueryResult) -> tuple[list[str], list[dict[str, Node]]]:
    """SELECT results as they are; a graph as sorted subject/predicate/object rows."""
    if result.graph is not None:
        triples = sorted(result.graph, key=lambda t: tuple(term.n3() for term in t))
        rows = [dict(zip(("subject", "predicate", "object"), triple, strict=True)) for triple in triples]
        return ["subject", "predicate", "object"], rows
    return result.variables, result.rows


def render(
    result: QueryResult, fmt: Choice["table", "csv", "json"] = "table", *, width: int | None = None
) -> str:
    """Render a result as a table for people, CSV (RFC 4180, SPARQL 1.1 CSV results) or SPARQL 1.1 JSON.

    >>> r = QueryResult(variables=["city"], rows=[{"city": Literal("Seoul", lang="en")}])
    >>> print(render(r, "csv"), end="")
    city\r
    Seoul\r
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown output format '{fmt}' (choose from {', '.join(FORMATS)})")
    if result.boolean is not None:
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}, indent=2) + "\n"
        if fmt == "csv":
            return f"boolean\r\n{str(result.boolean).lower()}\r\n"
        return ("yes" if result.boolean else "no") + "\n"
    variables, rows = _tabular(result)
    if fmt == "json":
        bindings = [{name: _json_term(value) for name, value in row.items()} for row in rows]
        document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow([_plain(row.get(name)) for name in variables])
        return buffer.getvalue()
    return _table(variables, rows, width)


def _table(variables: list[str], rows: list[dict[str, Node]], width: int | None) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, caption=f"{len(rows)} row{'' if len(rows) == 1 else 's'}")
    for name in variables:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(Text(compact(row.get(name))) for name in variables))  # Text: no markup parsing
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or shutil.get_terminal_size((120, 24)).columns,
        color_system=None,
        force_terminal=False,
        highlight=False,
        soft_wrap=False,
    )
    console.print(table)
    return buffer.getvalue()
