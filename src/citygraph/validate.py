"""SHACL validation of citygraph data against shapes/citygraph.shacl.ttl.

Validation runs once per converted document, so it must be cheap: the shapes graph is parsed once,
the ontology is not mixed in (the shapes are written to work on data alone), no inference is run,
and the SPARQL texts of the SHACL-SPARQL constraints are parsed once per process instead of once per
focus node (pyshacl hands rdflib the query text each time; parsing dominates on small graphs).
The result is plain data (``Report``) so the CLI, the tests and JSON output share one shape.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from typing import Any, Literal

import pyshacl
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from citygraph.resources import resource_dir

__all__ = ["Finding", "Report", "Severity", "validate", "report_to_json"]

Severity = Literal["Violation", "Warning", "Info"]

_SHAPES_FILE = "citygraph.shacl.ttl"
_SEVERITIES: dict[URIRef, Severity] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Finding:
    """One SHACL result, flattened to strings for display and JSON."""

    focus: str
    focus_label: str | None
    path: str | None
    message: str
    severity: Severity
    value: str | None = None


@dataclass(frozen=True)
class Report:
    """Outcome of a validation. ``conforms`` is False only when some finding is a Violation."""

    conforms: bool
    results: list[Finding] = field(default_factory=list)


@cache
def _default_shapes() -> Graph:
    return Graph().parse(resource_dir("shapes") / _SHAPES_FILE, format="turtle")


@lru_cache(maxsize=256)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class _PreparedQueryGraph(Graph):
    """A view on another graph's store (no copy) whose SPARQL queries are parsed once per text."""

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def _view(data: Graph) -> Graph:
    if data.context_aware:  # a Dataset: pyshacl validates each named graph itself; leave it alone
        return data
    view = _PreparedQueryGraph(store=data.store, identifier=data.identifier)
    view.namespace_manager = data.namespace_manager
    return view


def validate(data: Graph, *, shapes: Graph | None = None) -> Report:
    """Validate ``data`` against the citygraph shapes (or ``shapes``); the data graph is not modified.

    >>> validate(Graph()).conforms
    True
    """
    _conforms, results_graph, _text = pyshacl.validate(
        _view(data),
        shacl_graph=shapes if shapes is not None else _default_shapes(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
        advanced=False,
        meta_shacl=False,
    )
    # Two components failing on one value (e.g. sh:nodeKind and sh:in) give identical flattened findings.
    findings = sorted(set(_findings(results_graph, data)), key=_sort_key)
    return Report(conforms=not any(f.severity == "Violation" for f in findings), results=findings)


def _findings(results: Graph, data: Graph) -> list[Finding]:
    return [_finding(results, node, data) for node in results.subjects(RDF.type, SH.ValidationResult)]


def _finding(results: Graph, node: Any, data: Graph) -> Finding:
    focus = results.value(node, SH.focusNode)
    path = results.value(node, SH.resultPath)
    value = results.value(node, SH.value)
    messages = sorted(str(m) for m in results.objects(node, SH.resultMessage))
    severity = _SEVERITIES.get(results.value(node, SH.resultSeverity), "Violation")  # type: ignore[arg-type]
    label = _label(data, focus)
    return Finding(
        focus=_text(focus) or "",
        focus_label=str(label) if label is not None else None,
        path=_text(path) if isinstance(path, URIRef) else (None if path is None else "(complex path)"),
        message=messages[0] if messages else "Constraint not met.",
        severity=severity,
        value=_text(value),
    )


def _label(data: Graph, focus: Any) -> Any:
    """The focus node's rdfs:label, looked up in every named graph when ``data`` is a dataset."""
    if focus is None:
        return None
    if data.context_aware:
        return next((quad[2] for quad in data.quads((focus, RDFS.label, None, None))), None)  # type: ignore[attr-defined]
    return data.value(focus, RDFS.label)


def _text(term: Any) -> str | None:
    """Full IRIs for resources (stable in JSON), lexical form for literals, None when absent."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


def _sort_key(finding: Finding) -> tuple[int, str, str, str, str]:
    order = {"Violation": 0, "Warning": 1, "Info": 2}[finding.severity]
    return (order, finding.focus, finding.path or "", finding.message, finding.value or "")


def report_to_json(report: Report) -> str:
    """The report as a JSON object ``{"conforms": ..., "results": [...]}``, stable key order.

    >>> report_to_json(Report(conforms=True))
    '{"conforms": true, "results": []}'
    """
    payload: dict[str, Any] = {"conforms": report.conforms, "results": [asdict(f) for f in report.results]}
    return json.dumps(payload, ensure_ascii=False)
