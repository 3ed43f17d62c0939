"""The `citygraph` command: parses arguments and calls the library, nothing more.

Exit codes (also in the README): 0 success; 1 validation found violations; 2 usage error (unknown
query, missing parameter, bad option); 3 some inputs rejected, the rest processed; 4 nothing usable
(every input rejected, or no store); 5 a store or endpoint failed.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from citygraph import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="citygraph: a knowledge graph of international municipal agreements.",
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

OK, VIOLATIONS, USAGE, PARTIAL, NOTHING, FAILED = 0, 1, 2, 3, 4, 5


class RdfFormat(StrEnum):
    turtle = "turtle"
    json_ld = "json-ld"
    nt = "nt"


class ExportFormat(StrEnum):
    turtle = "turtle"
    json_ld = "json-ld"
    nt = "nt"
    nq = "nq"


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


class AuthMethod(StrEnum):
    basic = "basic"
    digest = "digest"


class PublishMethod(StrEnum):
    auto = "auto"
    update = "update"
    put = "put"
    staged = "staged"


StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", envvar="CITYGRAPH_STORE", help="Store directory (default .citygraph/)."),
]
GraphOpt = Annotated[
    str | None,
    typer.Option("--graph", help="With --endpoint: query only this named graph (sent as default-graph-uri)."),
]
AuthOpt = Annotated[
    AuthMethod,
    typer.Option(
        "--auth",
        envvar="CITYGRAPH_AUTH",
        help="How CITYGRAPH_USER and CITYGRAPH_PASSWORD are sent (digest for Virtuoso's /sparql-auth).",
    ),
]
TimeoutOpt = Annotated[float, typer.Option("--timeout", help="With --endpoint: seconds per request.")]
WikidataOpt = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        envvar="CITYGRAPH_WIKIDATA_ENDPOINT",
        help="Wikidata SPARQL endpoint (default: query.wikidata.org).",
    ),
]


def fail(message: str, code: int) -> NoReturn:
    err.print(f"error: {message}", markup=False)
    raise typer.Exit(code)


def _store(directory: Path | None):
    from citygraph.store import LocalStore

    return LocalStore(directory)


def _write(data: bytes, output: Path | None, inputs: list[Path] = ()) -> None:
    from citygraph.fsutil import OutputError, atomic_write

    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        atomic_write(output, data, protect=inputs)
    except OutputError as exc:
        fail(str(exc), USAGE)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}", FAILED)


def _report_rejected(rejected) -> None:
    for r in rejected:
        err.print(f"rejected {r.source}: {r.reason}", markup=False)


def _show_version(value: bool) -> None:
    if value:
        out.print(f"citygraph {__version__}")
        raise typer.Exit(OK)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", help="Show the version and exit.", is_eager=True, callback=_show_version),
    ] = False,
) -> None:
    """citygraph: a knowledge graph of international municipal agreements."""


@app.command()
def convert(
    files: Annotated[list[Path], typer.Argument(help="Documents (plain text or HTML).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default stdout).")
    ] = None,
    fmt: Annotated[RdfFormat, typer.Option("--format", "-f")] = RdfFormat.turtle,
) -> None:
    """Convert documents to RDF, without a store."""
    from citygraph.pipeline import convert_files, discover, merged
    from citygraph.publish import write_graph

    paths, rejected = discover(files)
    converted, bad = convert_files(paths)
    rejected += bad
    _report_rejected(rejected)
    if not converted:
        fail("no document could be converted", NOTHING)
    _write(write_graph(merged(c.graph for c in converted), fmt.value), output, files)
    raise typer.Exit(PARTIAL if rejected else OK)


@app.command()
def build(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Documents or folders (default: the bundled data/documents/).")
    ] = None,
    store: StoreOpt = None,
) -> None:
    """Convert, validate and load documents into the store (one atomic write)."""
    from rich.progress import Progress

    from citygraph.pipeline import build as run_build
    from citygraph.pipeline import bundled_documents, discover
    from citygraph.store import StoreError

    targets = list(paths) if paths else bundled_documents()
    total = len(discover(targets)[0])
    try:
        with Progress(console=err, transient=True, disable=total < 20 or not err.is_terminal) as bar:
            task = bar.add_task("converting", total=total)
            summary = run_build(targets, _store(store), progress=lambda _p: bar.advance(task))
    except StoreError as exc:
        fail(str(exc), FAILED)
    _report_rejected(summary.rejected)
    table = Table(title="build", show_header=False)
    for name, value in (
        ("documents loaded", summary.documents),
        ("agreements", summary.agreements),
        ("parties", summary.parties),
        ("rejected", len(summary.rejected)),
    ):
        table.add_row(name, str(value))
    err.print(table)
    if summary.documents == 0:
        raise typer.Exit(NOTHING)
    raise typer.Exit(PARTIAL if summary.rejected else OK)


@app.command()
def query(
    name: Annotated[str | None, typer.Argument(help="A saved query (see --list).")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="key=value, repeatable.")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    list_: Annotated[bool, typer.Option("--list", help="List saved queries and their parameters.")] = False,
    store: StoreOpt = None,
    endpoint: Annotated[
        str | None,
        typer.Option("--endpoint", envvar="CITYGRAPH_ENDPOINT", help="A SPARQL 1.1 query endpoint URL."),
    ] = None,
    graph: GraphOpt = None,
    auth: AuthOpt = AuthMethod.basic,
    timeout: TimeoutOpt = 30,
) -> None:
    """Run a saved SPARQL query from queries/."""
    from citygraph import queries

    if list_ or name is None:
        table = Table("query", "description", "parameters")
        for q in queries.list_queries():
            table.add_row(q.name, q.description, "\n".join(f"{p.name}: {p.help}" for p in q.params))
        out.print(table)
        raise typer.Exit(OK)
    try:
        saved = queries.load_query(name)
        bindings = queries.bindings_for(saved, queries.parse_params(param or []))
    except queries.QueryError as exc:
        fail(str(exc), USAGE)
    _run(saved.text, bindings, fmt, store, endpoint, graph=graph, auth=auth.value, timeout=timeout)


@app.command()
def sparql(
    text: Annotated[str | None, typer.Argument(help="SPARQL query text.")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a file.")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format")] = TableFormat.table,
    store: StoreOpt = None,
    endpoint: Annotated[str | None, typer.Option("--endpoint", envvar="CITYGRAPH_ENDPOINT")] = None,
    graph: GraphOpt = None,
    auth: AuthOpt = AuthMethod.basic,
    timeout: TimeoutOpt = 30,
) -> None:
    """Run an ad-hoc read-only SPARQL query."""
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}", USAGE)
    if not text:
        fail("give a query or --file", USAGE)
    _run(text, {}, fmt, store, endpoint, graph=graph, auth=auth.value, timeout=timeout)


def _run(
    text: str,
    bindings,
    fmt: TableFormat,
    store: Path | None,
    endpoint: str | None,
    *,
    graph: str | None = None,
    auth: str = "basic",
    timeout: float = 30,
) -> None:
    from citygraph import queries
    from citygraph.store import StoreError, query_form

    try:
        query_form(text)
    except StoreError as exc:
        fail(str(exc), USAGE)  # an update is a usage error here: these commands are read-only
    try:
        if endpoint:
            from citygraph.remote import RemoteStore

            engine = RemoteStore(
                endpoint, auth=auth, timeout=timeout, default_graphs=[graph] if graph else []
            )
        else:
            engine = _store(store)
        result = engine.query(text, bindings)
        if bindings and result.boolean is None and result.graph is None:  # the columns the user typed
            result.variables = [v for v in result.variables if v not in bindings]
            result.rows = [{k: v for k, v in row.items() if k not in bindings} for row in result.rows]
    except StoreError as exc:
        code = NOTHING if "no store" in str(exc) else FAILED
        fail(str(exc), code)
    except queries.QueryError as exc:
        fail(str(exc), USAGE)
    out.print(queries.render(result, fmt.value), markup=False, end="")


@app.command()
def validate(
    file: Annotated[Path | None, typer.Argument(help="An RDF file (default: the whole store).")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
    store: StoreOpt = None,
) -> None:
    """Check data against the SHACL shapes; exit 1 when there are violations."""
    from citygraph.rdfio import RdfInputError, read_rdf
    from citygraph.store import StoreError
    from citygraph.validate import report_to_json
    from citygraph.validate import validate as run_validate

    try:
        graph = read_rdf(file) if file is not None else _store(store).data_graph()
    except RdfInputError as exc:
        fail(str(exc), USAGE)
    except StoreError as exc:
        fail(str(exc), NOTHING)
    report = run_validate(graph)
    if fmt is ReportFormat.json:
        out.print(report_to_json(report), markup=False)
    elif report.results:
        table = Table("focus", "path", "message", "severity")
        for f in report.results:
            table.add_row(f.focus_label or f.focus, f.path or "", f.message, f.severity)
        out.print(table)
    else:
        out.print(f"conforms: {len(graph)} triples, no violations")
    raise typer.Exit(OK if report.conforms else VIOLATIONS)


@app.command()
def export(
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.turtle,
    store: StoreOpt = None,
) -> None:
    """Export the store as Turtle, JSON-LD (compacted), N-Triples or N-Quads."""
    from citygraph.publish import export as run_export
    from citygraph.store import StoreError

    try:
        data = run_export(_store(store), fmt.value)
    except StoreError as exc:
        fail(str(exc), NOTHING)
    _write(data, output)


@app.command()
def stats(store: StoreOpt = None) -> None:
    """Counts of what the store holds."""
    from citygraph.store import StoreError

    try:
        counts = _store(store).stats()
    except StoreError as exc:
        fail(str(exc), NOTHING)
    table = Table("what", "count")
    for key, value in counts.items():
        table.add_row(key, str(value))
    out.print(table)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


@app.command()
def evaluate(
    corpus_dir: Annotated[
        Path, typer.Argument(help="Folder of NNN.txt + NNN.gold.json, or of <case>/input.* + expected.json.")
    ],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
    show_errors: Annotated[bool, typer.Option("--show-errors", help="List each miss and false hit.")] = False,
) -> None:
    """Score the converter against gold annotations (precision, recall, F1)."""
    from citygraph.evaluate import evaluate as run_evaluate
    from citygraph.evaluate import to_json

    try:
        result = run_evaluate(corpus_dir)
    except (ValueError, OSError) as exc:
        fail(str(exc).splitlines()[0], USAGE)
    if fmt is ReportFormat.json:
        out.print(to_json(result), markup=False)
        raise typer.Exit(OK)
    table = Table(
        "metric",
        "precision",
        "recall",
        "F1 / accuracy",
        "counts",
        title=f"evaluate: {result.documents} documents",
    )
    for name, c in (
        ("agreements", result.agreements),
        ("parties", result.parties),
        ("areas", result.areas),
        ("signatories", result.signatories),
    ):
        table.add_row(name, _pct(c.precision), _pct(c.recall), _pct(c.f1), f"tp {c.tp} fp {c.fp} fn {c.fn}")
    q = result.qids
    table.add_row(
        "wikidata ids",
        _pct(q.precision),
        _pct(q.recall),
        _pct(q.f1),
        f"correct {q.correct} WRONG {q.wrong} missing {q.missing} of {q.total}",
    )
    d = result.dates
    table.add_row(
        "signing date", "", "", _pct(d.accuracy), f"correct {d.correct} of {d.total}, false {d.false}"
    )
    n = result.negatives
    table.add_row("negatives", "", "", "", f"{n.flagged} of {n.total} with an agreement read in")
    out.print(table)
    if show_errors:
        errors = Table("document", "kind", "detail", title=f"errors ({len(result.errors)})")
        for e in result.errors:
            errors.add_row(e.document, e.kind, e.detail)
        out.print(errors)
        kinds = ", ".join(f"{k} {v}" for k, v in result.error_kinds().most_common())
        out.print(f"error kinds: {kinds or 'none'}", markup=False)
    raise typer.Exit(OK)


@app.command()
def publish(
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint", envvar="CITYGRAPH_ENDPOINT", help="The server's SPARQL query endpoint URL."
        ),
    ],
    update_endpoint: Annotated[
        str | None, typer.Option("--update-endpoint", help="SPARQL Update endpoint (default: --endpoint).")
    ] = None,
    graph: Annotated[
        str | None, typer.Option("--graph", help="Named graph to replace (default cgid:graph/published).")
    ] = None,
    graph_store: Annotated[
        str | None,
        typer.Option(
            "--graph-store", help="Graph Store Protocol endpoint (derived for Oxigraph and Virtuoso)."
        ),
    ] = None,
    auth: AuthOpt = AuthMethod.basic,
    method: Annotated[
        PublishMethod, typer.Option("--method", help="auto, update, put or staged.")
    ] = PublishMethod.auto,
    ontology: Annotated[
        bool, typer.Option("--ontology/--no-ontology", help="Include the ontology and area scheme.")
    ] = True,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request.")] = 300,
    store: StoreOpt = None,
) -> None:
    """Replace a named graph on a SPARQL server with the store's graphs, in one atomic step."""
    from citygraph.remote import PUBLISHED_GRAPH, RemoteStore, publish_store
    from citygraph.store import StoreError

    try:
        remote = RemoteStore(
            endpoint,
            update_endpoint=update_endpoint,
            graph_store=graph_store,
            auth=auth.value,
            timeout=timeout,
        )
        result = publish_store(
            _store(store), remote, graph or PUBLISHED_GRAPH, include_ontology=ontology, method=method.value
        )
    except StoreError as exc:
        fail(str(exc), NOTHING if "no store" in str(exc) else FAILED)
    err.print(
        f"published {result.triples} triples to {result.graph} ({result.method}, {result.seconds:.1f} s)",
        markup=False,
    )


import_app = typer.Typer(no_args_is_help=True, help="Import known relations from other sources.")
app.add_typer(import_app, name="import")


@import_app.command("twinnings")
def import_twinnings(
    file: Annotated[
        Path | None, typer.Argument(help="A TSV of QID pairs (default: the bundled Wikidata snapshot).")
    ] = None,
    online: Annotated[bool, typer.Option("--online", help="Ask Wikidata's query service.")] = False,
    endpoint: WikidataOpt = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request.")] = 120,
    store: StoreOpt = None,
) -> None:
    """Known twinnings (Wikidata P190) as sister-city agreements, reconciled with the documents'."""
    from citygraph import twinnings
    from citygraph.store import StoreError

    if file is not None and online:
        fail("give a FILE or --online, not both", USAGE)
    if endpoint and not online:
        fail("--endpoint needs --online", USAGE)
    try:
        if online:
            source = twinnings.fetch_online(endpoint or twinnings.WIKIDATA_SPARQL, timeout=timeout)
        else:
            source = twinnings.read_tsv(file)
        summary = twinnings.import_twinnings(_store(store), source)
    except twinnings.TwinningError as exc:
        fail(str(exc), USAGE)
    except StoreError as exc:
        fail(str(exc), FAILED)
    for line in summary.skipped:
        err.print(f"skipped {line}", markup=False)
    table = Table(title="import twinnings", show_header=False)
    for label, value in (
        ("twinnings", summary.pairs),
        ("new agreements", summary.new_agreements),
        ("reconciled with documents", summary.reconciled),
        ("places", summary.places),
        ("skipped rows", len(summary.skipped)),
    ):
        table.add_row(label, str(value))
    err.print(table)
    raise typer.Exit(PARTIAL if summary.skipped else OK)


@app.command()
def link(
    report: Annotated[bool, typer.Option("--report", help="List unlinked places and candidates.")] = False,
    online: Annotated[
        bool, typer.Option("--online", help="Resolve on Wikidata what the index cannot.")
    ] = False,
    endpoint: WikidataOpt = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request.")] = 60,
    store: StoreOpt = None,
) -> None:
    """Places without a Wikidata link: report them, or (--online) resolve them and add owl:sameAs."""
    import json

    from citygraph import wikidata
    from citygraph.store import StoreError

    if endpoint and not online:
        fail("--endpoint needs --online", USAGE)
    local = _store(store)
    try:
        if online:
            results = wikidata.link_online(local, endpoint or wikidata.WIKIDATA_SPARQL, timeout=timeout)
        else:
            results = wikidata.link_report(local)
    except StoreError as exc:
        fail(str(exc), NOTHING if "no store" in str(exc) else FAILED)
    if fmt is ReportFormat.json:
        out.print(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False), markup=False)
        raise typer.Exit(OK)
    table = Table(
        "place",
        "label",
        "kind",
        "country",
        "qid",
        "how",
        "candidates",
        title="linked places" if online else "places without owl:sameAs",
    )
    for r in results:
        candidates = "; ".join(
            f"{c.qid} {c.label} ({'/'.join(c.kinds)}, {'/'.join(c.countries)})" for c in r.candidates[:5]
        )
        table.add_row(
            r.place.iri,
            r.place.label,
            r.place.kind,
            r.place.country,
            r.qid or "",
            r.how if online else ("resolvable" if r.qid else ""),
            candidates,
        )
    out.print(table)
    if online:
        linked = sum(1 for r in results if r.how)
        err.print(f"linked {linked} of {len(results)} unlinked places", markup=False)


def main() -> None:
    """Console entry point; Ctrl-C exits quietly."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
