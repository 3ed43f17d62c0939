"""Crash safety of the store: a killed build changes nothing, a reader never sees half a build.

Real processes, real signals: ``python -m citygraph build`` is SIGKILLed while it writes the snapshot, and
``citygraph sparql`` runs in other processes while a build loads.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from citygraph.pipeline import build
from citygraph.store import LocalStore

DOCS = Path(__file__).resolve().parent.parent / "data" / "documents"
FIRST = [DOCS / "01-seoul-vientiane-mou.txt", DOCS / "03-mandaue-mosul-sister-city.txt"]
MORE = [DOCS / "04-delhi-seoul-friendship.txt", DOCS / "07-great-yarmouth-rambouillet-charter.txt",
        DOCS / "12-komaki-grant-county-mou.txt"]
COUNT = ("PREFIX cg: <https://w3id.org/citygraph/ontology#> "
         "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a cg:party ?p }")


def _filled_store(directory: Path, filler: int) -> None:
    """A store holding real documents plus ``filler`` plain quads, so that writing it takes a while."""
    assert build(FIRST, LocalStore(directory)).documents == len(FIRST)
    snapshot = directory / "graph.nq"
    assert snapshot.read_bytes().startswith(b"# citygraph snapshot v1 blank-nodes=no")
    with open(snapshot, "a", encoding="ascii") as handle:
        handle.writelines(f'<https://example.org/s{i}> <https://example.org/p> "filler value {i}" '
                          f"<https://example.org/filler> .\n" for i in range(filler))


def _agreements(directory: Path) -> int:
    return int(LocalStore(directory).query(COUNT).rows[0]["n"])


def _build(directory: Path, paths: list[Path]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "citygraph", "build", "--store", str(directory),
                             *map(str, paths)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_sigkill_while_writing_leaves_the_store_as_before(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _filled_store(store, 120_000)
    before = (store / "graph.nq").read_bytes()
    expected = _agreements(store)
    killed_while_writing = 0
    for _attempt in range(3):
        process = _build(store, MORE)
        try:
            deadline = time.monotonic() + 60
            while process.poll() is None and time.monotonic() < deadline:
                if any(store.glob(".graph.nq.*.tmp")):
                    time.sleep(0.01)  # into the dump of the new snapshot
                    os.kill(process.pid, signal.SIGKILL)
                    break
                time.sleep(0.002)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
        if process.returncode != -signal.SIGKILL:
            continue  # finished before we saw the temporary file: try again
        now = (store / "graph.nq").read_bytes()
        if now != before:  # killed between the rename and our check: the new snapshot is complete
            assert _agreements(store) > expected
            shutil.rmtree(store)
            _filled_store(store, 120_000)
            before = (store / "graph.nq").read_bytes()
            continue
        killed_while_writing += 1
        assert _agreements(store) == expected
        break
    assert killed_while_writing, "never managed to kill the build while it wrote the snapshot"
    # The next build cleans the dead writer's temporary file and succeeds.
    assert build(MORE[:1], LocalStore(store)).documents == 1
    assert not list(store.glob(".*.tmp"))
    assert _agreements(store) > expected


def test_readers_see_the_old_or_the_new_graph_never_half(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _filled_store(store, 80_000)
    old = _agreements(store)
    env = {**os.environ, "CITYGRAPH_STORE": str(store)}
    process = _build(store, [*FIRST, *MORE])
    seen: list[int] = []
    errors: list[str] = []
    try:
        while process.poll() is None or len(seen) < 2:
            done = subprocess.run([sys.executable, "-m", "citygraph", "sparql", COUNT, "--format", "csv"],
                                  capture_output=True, text=True, env=env, timeout=60, check=False)
            if done.returncode != 0:
                errors.append(done.stderr.strip())
            else:
                seen.append(int(done.stdout.splitlines()[1]))
            if len(seen) > 12:
                break
    finally:
        process.wait(timeout=120)
    assert process.returncode in (0, 3)
    new = _agreements(store)
    assert new > old
    assert errors == []
    assert set(seen) <= {old, new}, (seen, old, new)
