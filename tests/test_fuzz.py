"""Bad input never crashes the document path, never costs a good document, never reaches the network.

Short version of bench/fuzz.py: random bytes, text and HTML through the library; one 50 MB file and mixed
batches through ``citygraph convert``; broken RDF and remote JSON-LD contexts through ``citygraph validate``.
"""

from __future__ import annotations

import http.server
import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from citygraph.cli import app
from citygraph.pipeline import convert_files
from citygraph.text import DocumentError, document_from_bytes

DOCS = Path(__file__).resolve().parent.parent / "data" / "documents"
GOOD = ["01-seoul-vientiane-mou.txt", "03-mandaue-mosul-sister-city.txt",
        "08-nairobi-cape-town-sister-city.html"]
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
runner = CliRunner()


def _read(data: bytes) -> None:
    """Either a document or a one-line DocumentError; any other exception fails the test."""
    try:
        doc = document_from_bytes(data, "fuzz.txt")
    except DocumentError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert doc.text.strip()


@FAST
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    _read(data)


@FAST
@given(st.text(max_size=3000), st.sampled_from(["utf-8", "utf-16", "utf-16-le", "latin-1", "cp1252"]))
def test_random_text_in_any_encoding(text: str, encoding: str) -> None:
    _read(text.encode(encoding, "replace"))


_MARK = "XSSMARK"
html_pages = st.builds(
    lambda depth, tag, prose, script, closed: (
        f"<!DOCTYPE html><html><head><script>var {_MARK} = 1;</script></head><body>"
        + f"<{tag}>" * depth + f"<p>{prose}</p><script>{script} {_MARK}()</script>"
        + (f"</{tag}>" * depth if closed else "") + "</body></html>"),
    st.integers(0, 1000), st.sampled_from(["div", "span", "b", "table", "section"]),
    st.text(max_size=300), st.text(max_size=100), st.booleans())


@settings(max_examples=50, deadline=None)  # trafilatura costs ~0.1 s a page
@given(html_pages)
def test_html_with_scripts_and_nesting(page: str) -> None:
    try:
        doc = document_from_bytes(page.encode("utf-8", "replace"), "page.html")
    except DocumentError as error:
        assert "\n" not in str(error)
    else:
        assert _MARK not in doc.text  # script code never becomes document text


@FAST
@given(st.sampled_from(["a", "lorem ipsum ", "x" * 99 + " ", "the committee met. "]),
       st.integers(10_000, 300_000))
def test_long_lines_without_place_names(unit: str, size: int) -> None:
    _read((unit * (size // len(unit))).encode())


def test_long_line_of_place_names_is_linear(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Seoul " * 2000)  # 12 KB; a 3 KB press release takes ~20-40 ms
    start = time.perf_counter()
    convert_files([path])
    assert time.perf_counter() - start < 0.4


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("huge") / "huge.txt"
    chunk = b"Seoul and Vientiane signed a memorandum of understanding. " * 1000
    with open(path, "wb") as handle:
        for _ in range(50_000_000 // len(chunk) + 1):
            handle.write(chunk)
    return path


def _bad_files(directory: Path, huge: Path) -> list[Path]:
    files = {
        "random.txt": bytes(range(256)) * 8,
        "empty.txt": b"",
        "blank.txt": b" \n\t\n",
        "latin1.txt": "Málaga and Płock signed a twinning agreement in Zürich.".encode("latin-1", "replace"),
        "cp1252.txt": "The “twinning” of Málaga — signed.".encode("cp1252"),
        "utf16-no-bom.txt": "Seoul and Vientiane signed an MOU.".encode("utf-16-le"),
        "broken-utf8.txt": b"Seoul and Vientiane \xc3\x28 signed \xff an MOU.",
        "binary.html": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "menu.html": (b"<html><body><nav>" + b"<li>Home</li>" * 50
                      + b"</nav><script>alert(1)</script></body></html>"),
    }
    paths = []
    for name, data in files.items():
        path = directory / name
        path.write_bytes(data)
        paths.append(path)
    return [*paths, huge]


def test_mixed_batch_through_cli_convert(tmp_path: Path, huge: Path) -> None:
    bad = _bad_files(tmp_path, huge)
    good = []
    for name in GOOD:
        shutil.copyfile(DOCS / name, tmp_path / name)
        good.append(tmp_path / name)
    mixed = [p for pair in zip(bad, good * 4, strict=False) for p in pair] + bad[len(good) * 4:]
    out = tmp_path / "out.ttl"
    result = runner.invoke(app, ["convert", *map(str, mixed), "-o", str(out)])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    for path in bad:
        mentions = [line for line in lines if path.name in line]
        assert len(mentions) == 1 and mentions[0].startswith("rejected "), (path.name, mentions)
    assert len([line for line in lines if line.startswith("rejected ")]) == len(bad)
    written = out.read_text(encoding="utf-8")
    for path in good:
        assert path.name in written, f"good document {path.name} was not converted"


def test_library_batch_keeps_every_good_document(tmp_path: Path, huge: Path) -> None:
    bad = _bad_files(tmp_path, huge)
    good = [DOCS / name for name in GOOD]
    converted, rejected = convert_files([*bad, *good])
    assert sorted(c.source.rsplit("/", 1)[-1] for c in converted) == sorted(GOOD)
    assert {r.source for r in rejected} == {p.as_posix() for p in bad}
    assert all("\n" not in r.reason for r in rejected)
    assert any("too large" in r.reason for r in rejected if r.source.endswith("huge.txt"))


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.hits.append(self.path)
        body = json.dumps({"@context": {"name": "http://schema.org/name"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A real local HTTP server that records any fetch of a context."""
    _Counter.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Counter.hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def _validate_all(files: dict[str, bytes], directory: Path) -> None:
    for name, data in files.items():
        path = directory / name
        path.write_bytes(data)
        result = runner.invoke(app, ["validate", str(path)])
        assert result.exit_code == 2, (name, result.output)
        assert "Traceback" not in result.output
        assert len([line for line in result.output.splitlines() if line.strip()]) == 1, (name, result.output)


def test_validate_rejects_broken_rdf_and_remote_contexts(tmp_path: Path,
                                                         server: tuple[str, list[str]]) -> None:
    base, hits = server
    files = {
        "syntax.ttl": b"@prefix cg: <https://w3id.org/citygraph/ontology#> .\n<a> cg:party <b> ;; ] .\n",
        "unterminated.ttl": b"<http://a> <http://b> \"open .\n",
        "short.nt": b"<http://a> <http://b> <http://c>\n",
        "broken.jsonld": b"{\"@id\": \"http://a\", \"http://b\": [1, 2,",
        "broken.rdf": b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description>",
        "remote.jsonld": json.dumps({"@context": f"{base}/ctx.jsonld", "@id": "http://a"}).encode(),
        "remote-list.jsonld": json.dumps({"@context": [f"{base}/a", {"x": "http://x/"}]}).encode(),
    }
    _validate_all(files, tmp_path)
    assert hits == [], f"validate fetched {hits}"


def test_validate_never_fetches_imported_or_nested_contexts(tmp_path: Path,
                                                            server: tuple[str, list[str]]) -> None:
    base, hits = server
    files = {
        "remote-import.jsonld": json.dumps([{"@context": {"@import": f"{base}/b"}, "@id": "http://a"}]).encode(),
        "remote-nested.jsonld": json.dumps({"@context": {"x": "http://x/"}, "@graph": [
            {"@context": f"{base}/c", "@id": "http://a", "name": "y"}]}).encode(),
    }
    try:
        _validate_all(files, tmp_path)
    finally:
        assert hits == [], f"validate fetched {hits}"


def test_punctuation_only_sentence_does_not_crash_the_batch(tmp_path: Path) -> None:
    bad = tmp_path / "dots.txt"
    bad.write_text("Seoul and Vientiane signed an MOU on transport.\n. Then Seoul signed again.\n")
    converted, rejected = convert_files([bad, DOCS / GOOD[0]])
    assert len(converted) + len(rejected) == 2
