"""The benchmark table: build, size, memory, saved-query latency, export and convert, against rdflib.

Run: ``python bench/run.py [--sizes 1000,10000,100000]``. Each size runs in fresh subprocesses (one for
citygraph's embedded store, one for rdflib's in-memory engine on the same snapshot), so peak RSS
(``ru_maxrss``) belongs to that size and engine alone. Targets are for 100k agreements.
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

AGGREGATES = {"agreements-per-year", "country-pairs", "areas"}
RUNS = 20
BUDGET_S = 15.0  # a query slower than 0.75 s gets fewer than 20 runs (at least 3), to keep the run short
RDFLIB_BUDGET_S = 15.0  # rdflib is 100-1000x slower on aggregates: cap its repeats per query
RDFLIB_TIMEOUT_S = 20  # and one rdflib run longer than this is reported as a timeout


class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _Timeout


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _params(name: str, city: str) -> dict[str, str]:
    from citygraph import queries

    wanted = {"city": city, "area": "transport"}
    return {p.name: wanted[p.name] for p in queries.load_query(name).params if p.name in wanted}


def worker_citygraph(n: int, store_dir: Path) -> dict[str, object]:
    """Generate, validate each batch as it enters, load into the LocalStore, query and export."""
    from generate import agreement_batches

    from citygraph import queries
    from citygraph.mint import graph_iri
    from citygraph.publish import export
    from citygraph.store import ONTOLOGY_GRAPH, LocalStore
    from citygraph.validate import validate
    from citygraph.vocab import ontology_graph

    batches = agreement_batches(n)  # generated lazily; generation time is measured and left out of build
    validate_s = generate_s = 0.0

    def entering():
        """Each batch is validated as it enters and handed to the store, which lets it go once loaded."""
        nonlocal validate_s, generate_s
        yield ONTOLOGY_GRAPH, ontology_graph()
        while True:
            t = time.perf_counter()
            item = next(batches, None)
            generate_s += time.perf_counter() - t
            if item is None:
                return
            source, graph = item
            t = time.perf_counter()
            report = validate(graph)
            validate_s += time.perf_counter() - t
            if not report.conforms:
                raise SystemExit(f"synthetic batch {source} does not conform: {report.results[0].message}")
            yield str(graph_iri(source)), graph

    start = time.perf_counter()
    LocalStore(store_dir).replace_graphs(entering())
    built = time.perf_counter() - generate_s
    validated = start + validate_s
    rss = _rss_mb()

    store = LocalStore(store_dir)
    top = store.query("""PREFIX cg: <https://w3id.org/citygraph/ontology#>
        SELECT ?label (COUNT(?a) AS ?n) WHERE { ?a cg:party ?p . ?p rdfs:label ?label }
        GROUP BY ?label ORDER BY DESC(?n) LIMIT 1""").rows[0]
    city = str(top["label"])
    timings: dict[str, list[float]] = {}
    rows: dict[str, int] = {}
    for saved in queries.list_queries():
        bindings = queries.bindings_for(saved, _params(saved.name, city))
        rows[saved.name] = len(store.query(saved.text, bindings).rows)  # warm-up (first load)
        samples: list[float] = []
        while len(samples) < RUNS and (len(samples) < 3 or sum(samples) < BUDGET_S):
            t = time.perf_counter()
            store.query(saved.text, bindings)
            samples.append(time.perf_counter() - t)
        timings[saved.name] = samples
    exports = {}
    for fmt in ("turtle", "json-ld"):
        t = time.perf_counter()
        data = export(store, fmt)  # type: ignore[arg-type]
        exports[fmt] = {"seconds": time.perf_counter() - t, "bytes": len(data)}
    return {
        "n": n, "city": city, "validate_s": validated - start, "load_s": built - validated,
        "build_s": built - start, "store_bytes": (store_dir / "graph.nq").stat().st_size,
        "build_rss_mb": rss, "rss_mb": _rss_mb(), "queries": timings, "rows": rows, "export": exports,
    }


def worker_rdflib(store_dir: Path, city: str) -> dict[str, object]:
    """The same snapshot in an rdflib Dataset (union default graph), the same queries, rdflib's export."""
    import rdflib

    from citygraph import queries
    from citygraph.namespaces import PREFIXES

    start = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    with open(store_dir / "graph.nq", "rb") as handle:
        ds.parse(handle, format="nquads")
    load = time.perf_counter() - start
    rss = _rss_mb()
    timings: dict[str, list[float]] = {}
    rows: dict[str, int] = {}
    errors: dict[str, str] = {}
    for saved in queries.list_queries():
        bindings = queries.bindings_for(saved, _params(saved.name, city))
        samples: list[float] = []
        count = -1  # rdflib failed on this query
        signal.signal(signal.SIGALRM, _alarm)
        try:
            while len(samples) < RUNS and sum(samples) < RDFLIB_BUDGET_S:
                t = time.perf_counter()
                signal.alarm(RDFLIB_TIMEOUT_S)
                result = ds.query(saved.text, initBindings=bindings, initNs=PREFIXES)
                count = len(list(result))
                signal.alarm(0)
                samples.append(time.perf_counter() - t)
        except _Timeout:
            errors[saved.name] = f"timeout: over {RDFLIB_TIMEOUT_S} s"
            samples = []
        except Exception as error:  # rdflib's evaluator fails on some standard queries
            signal.alarm(0)
            errors[saved.name] = f"{type(error).__name__}: {error}"[:200]
            samples = []
        rows[saved.name] = count
        timings[saved.name] = samples
    union = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        union.bind(prefix, ns)
    for s, p, o, g in ds.quads((None, None, None, None)):
        if g is not None and str(g).endswith("graph/ontology"):
            continue
        union.add((s, p, o))
    exports = {}
    for fmt in ("turtle", "json-ld"):
        t = time.perf_counter()
        data = union.serialize(format=fmt, encoding="utf-8")
        exports[fmt] = {"seconds": time.perf_counter() - t, "bytes": len(data)}
    return {"load_s": load, "load_rss_mb": rss, "rss_mb": _rss_mb(), "queries": timings, "rows": rows,
            "errors": errors, "export": exports}


def _sub(args: list[str]) -> dict[str, object]:
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ratio(ours: float, theirs: float) -> str:
    if not ours or not theirs:
        return "-"
    r = ours / theirs
    return f"{r:.3f}x" if r < 0.1 else f"{r:.2f}x"


def _target(name: str, value: float, n: int) -> str:
    if n < 100_000:
        return ""
    limits = {"build_s": 60.0, "rss_mb": 1024.0}
    if name in limits:
        return " PASS" if value <= limits[name] else " MISS"
    if name == "convert":
        return " PASS" if value >= 200 else " MISS"
    limit = 1.5 if name in AGGREGATES else 0.020
    return " PASS" if value <= limit else " MISS"


def table(results: list[tuple[dict, dict]], convert: dict[str, float] | None) -> str:
    """One table: a row per figure, per size two columns (citygraph, ratio citygraph/rdflib)."""
    sizes = [ours["n"] for ours, _ in results]
    head = "| figure | " + " | ".join(f"{n:,} citygraph | {n:,} vs rdflib" for n in sizes) + " |"
    lines = [head, "|" + "---|" * (1 + 2 * len(sizes))]

    def row(label: str, cells: list[tuple[str, str]]) -> None:
        lines.append(f"| {label} | " + " | ".join(f"{a} | {b}" for a, b in cells) + " |")

    cells = []
    for ours, theirs in results:
        rdflib_build = ours["validate_s"] + theirs["load_s"]
        figure = f"{ours['build_s']:.1f} s (validate {ours['validate_s']:.1f} + load {ours['load_s']:.1f})"
        figure += _target("build_s", ours["build_s"], ours["n"])
        cells.append((figure, _ratio(ours["build_s"], rdflib_build)))
    row("build (validate + load)", cells)
    row("store on disk", [(f"{ours['store_bytes'] / 1e6:.1f} MB", "-") for ours, _ in results])
    row("peak RSS", [(f"{ours['rss_mb']:.0f} MB" + _target("rss_mb", ours["rss_mb"], ours["n"]),
                      _ratio(ours["rss_mb"], theirs["rss_mb"])) for ours, theirs in results])
    for name in results[0][0]["queries"]:
        cells = []
        for ours, theirs in results:
            p50, p95 = _percentiles(ours["queries"][name])
            if theirs["queries"][name]:
                r50, _ = _percentiles(theirs["queries"][name])
                versus = _ratio(p50, r50) + ("" if theirs["rows"][name] == ours["rows"][name]
                                             else f" (rdflib: {theirs['rows'][name]} rows)")
            else:
                versus = "rdflib: " + theirs["errors"][name].split(":")[0] + (
                    f" > {RDFLIB_TIMEOUT_S} s" if theirs["errors"][name].startswith("timeout") else "")
            runs = len(ours["queries"][name])
            cells.append((f"p50 {p50 * 1000:.1f} / p95 {p95 * 1000:.1f} ms ({ours['rows'][name]} rows"
                          + (f", {runs} runs)" if runs < RUNS else ")")
                          + _target(name, p50, ours["n"]), versus))
        row(f"query {name}", cells)
    for fmt in ("turtle", "json-ld"):
        cells = []
        for ours, theirs in results:
            mine, other = ours["export"][fmt], theirs["export"][fmt]
            cells.append((f"{mine['seconds']:.2f} s ({mine['bytes'] / 1e6:.1f} MB)",
                          _ratio(mine["seconds"], other["seconds"])))
        row(f"export {fmt}", cells)
    if convert:
        speed = convert["docs_per_s"]
        row("convert (one core)", [(f"{speed:.1f} docs/s ({convert['documents']} docs)"
                                    + _target("convert", speed, ours["n"]), "- (rdflib-based)")
                                   for ours, _ in results])
    cities = ", ".join(f"{ours['n']:,}: {ours['city']}" for ours, _ in results)
    lines.append("")
    lines.append(f"Parameters: city = the most connected city ({cities}), area = transport. Ratios are "
                 "citygraph / rdflib (below 1 = citygraph faster or smaller). rdflib repeats each query up "
                 f"to {RUNS} times within {RDFLIB_BUDGET_S:.0f} s. Targets (PASS/MISS) apply at 100k only.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--convert-docs", type=int, default=1000)
    parser.add_argument("--worker", choices=("citygraph", "rdflib"), help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--city", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.worker == "citygraph":
        print(json.dumps(worker_citygraph(sizes[0], args.store)))
        return
    if args.worker == "rdflib":
        print(json.dumps(worker_rdflib(args.store, args.city)))
        return
    results = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="citygraph-bench-") as tmp:
            ours = _sub(["--worker", "citygraph", "--sizes", str(n), "--store", tmp])
            theirs = _sub(["--worker", "rdflib", "--store", tmp, "--city", ours["city"]])
            results.append((ours, theirs))
            print(f"done {n:,}", file=sys.stderr, flush=True)
    convert = None
    if args.convert_docs:
        from convert import measure

        convert = measure(args.convert_docs)
    print(table(results, convert))


if __name__ == "__main__":
    main()
