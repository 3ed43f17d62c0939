"""Real SPARQL servers on 127.0.0.1 for the tests: Oxigraph, Virtuoso, and small fault servers.

Every server binds the loopback interface on a free port and lives in a temporary directory, so tests
never touch a system service (the packaged Virtuoso service listens on all interfaces with dba/dba: it
is never started). The fault servers are real HTTP servers (``http.server`` in a thread), not mocks:
they count the requests they get, so tests can check that reads are retried and updates are not.
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import os
import re
import secrets
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "free_port", "oxigraph_binary", "virtuoso_binaries", "OxigraphServer", "VirtuosoServer",
    "FaultServer", "CountingProxy", "VIRTUOSO_INI",
]

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
_JSON = "application/sparql-results+json"


def free_port() -> int:
    """A port nothing listens on now (the kernel picks it; a race with another process is unlikely)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, deadline: float, process: subprocess.Popen | None = None,
               ok: Callable[[int], bool] = lambda status: status < 500) -> None:
    """Poll ``url`` until it answers; fail early when the server process died."""
    last: object = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if ok(response.status):
                    return
        except urllib.error.HTTPError as error:
            if ok(error.code):
                return
            last = error
        except (OSError, http.client.HTTPException) as error:
            last = error
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer in time: {last}")


# --- Oxigraph -------------------------------------------------------------------------------------------

def oxigraph_binary() -> str | None:
    """The ``oxigraph`` CLI of the pip package: next to this Python first, then on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


@dataclass
class OxigraphServer:
    """``oxigraph serve`` on a free loopback port, with its data in ``location``."""

    location: Path
    union_default_graph: bool = True
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"

    def load(self, path: Path) -> None:
        """Load a file offline into ``location`` (only before ``start``: the server locks the store)."""
        binary = oxigraph_binary()
        subprocess.run([binary, "load", "--location", str(self.location), "--file", str(path)],
                       check=True, capture_output=True, timeout=60)

    def start(self) -> OxigraphServer:
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("the oxigraph CLI is not installed (pip install oxigraph)")
        self.location.mkdir(parents=True, exist_ok=True)
        for _attempt in range(3):  # a port taken between free_port() and bind: try another
            self.port = free_port()
            command = [binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
            if self.union_default_graph:
                command.append("--union-default-graph")
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                _wait_http(f"{self.query_url}?query=ASK%7B%7D", time.monotonic() + 20, self.process)
                return self
            except RuntimeError:
                self.stop()
        raise RuntimeError("could not start oxigraph serve")

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None


# --- Virtuoso -------------------------------------------------------------------------------------------

def virtuoso_binaries() -> tuple[str, str] | None:
    """``(virtuoso-t, isql-vt)`` of Debian's virtuoso-opensource, or None when it is not installed."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server and isql and VIRTUOSO_INI.is_file():
        return server, isql
    return None


def _edit_ini(text: str, changes: dict[str, dict[str, str]]) -> str:
    """Set ``key = value`` in sections of an ini file, keeping everything else as it is.

    Virtuoso's stock ini repeats some keys, which configparser refuses: hence a line editor.
    """
    lines = text.splitlines()
    out: list[str] = []
    section = ""
    pending: dict[str, str] = {}

    def flush() -> None:
        out.extend(f"{key} = {value}" for key, value in pending.items())
        pending.clear()

    for line in lines:
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            flush()
            section = header.group(1).strip()
            pending.update(changes.get(section, {}))
            out.append(line)
            continue
        key = re.match(r"\s*([A-Za-z0-9_]+)\s*=", line)
        if key and key.group(1) in changes.get(section, {}):
            if key.group(1) in pending:
                out.append(f"{key.group(1)} = {pending.pop(key.group(1))}")
            continue  # a repeated key: keep only the first (now changed) one
        out.append(line)
    flush()
    return "\n".join(out) + "\n"


@dataclass
class VirtuosoServer:
    """A private Virtuoso: its own ini and database in ``directory``, loopback ports, a random dba password.

    Updates go to ``/sparql-auth`` with digest authentication (anonymous updates to ``/sparql`` are
    refused).
    """

    directory: Path
    user: str = "dba"
    # Letters and digits only: isql's SET PASSWORD reads "pw-x" as an expression (and still exits 0).
    password: str = field(default_factory=lambda: "pw" + secrets.token_hex(8))
    sql_port: int = 0
    http_port: int = 0
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.base}/sparql-auth"

    def _write_ini(self) -> Path:
        db = self.directory
        text = _edit_ini(VIRTUOSO_INI.read_text(encoding="utf-8"), {
            "Database": {
                "DatabaseFile": f"{db}/virtuoso.db", "ErrorLogFile": f"{db}/virtuoso.log",
                "LockFile": f"{db}/virtuoso.lck", "TransactionFile": f"{db}/virtuoso.trx",
                "xa_persistent_file": f"{db}/virtuoso.pxa",
            },
            "TempDatabase": {
                "DatabaseFile": f"{db}/virtuoso-temp.db", "TransactionFile": f"{db}/virtuoso-temp.trx",
            },
            "Parameters": {
                "ServerPort": f"127.0.0.1:{self.sql_port}",
                "DirsAllowed": f"., {db}, /usr/share/virtuoso-opensource-7/vad",
                "NumberOfBuffers": "10000", "MaxDirtyBuffers": "6000", "CheckpointInterval": "0",
            },
            "HTTPServer": {"ServerPort": f"127.0.0.1:{self.http_port}"},
            "URIQA": {"DefaultHost": f"127.0.0.1:{self.http_port}"},
        })
        ini = db / "virtuoso.ini"
        ini.write_text(text, encoding="utf-8")
        return ini

    def isql(self, statement: str, password: str | None = None, timeout: float = 30) -> str:
        _server, isql = virtuoso_binaries() or ("", "isql-vt")
        result = subprocess.run(
            [isql, f"127.0.0.1:{self.sql_port}", self.user, password or self.password, f"exec={statement}"],
            capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
            raise RuntimeError(f"isql-vt failed ({result.returncode}): {result.stdout} {result.stderr}")
        return result.stdout

    def start(self) -> VirtuosoServer:
        binaries = virtuoso_binaries()
        if binaries is None:
            raise RuntimeError("virtuoso-opensource is not installed (no virtuoso-t)")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        ini = self._write_ini()
        self.process = subprocess.Popen([binaries[0], "+configfile", str(ini), "+foreground"],
                                        cwd=self.directory, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        try:
            _wait_http(f"{self.query_url}?query=ASK%7B%7D", time.monotonic() + 90, self.process,
                       ok=lambda status: status == 200)
            self.isql(f"SET PASSWORD dba {self.password};", password="dba")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(Exception):
                self.isql("shutdown;", timeout=20)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


# --- fault servers and a counting proxy ----------------------------------------------------------------

class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@dataclass
class FaultServer:
    """An HTTP server on loopback that answers the way ``mode`` says and records every request.

    Modes: ``ok`` (an empty SELECT result), ``500`` / ``503`` / ``429`` / ``502`` / ``504`` (an error page,
    every time), ``echo500`` (500 with the request headers in the body, as a careless server might),
    ``slow`` (sleeps ``delay`` seconds, past the client's timeout), ``malformed`` (200 with broken JSON),
    ``reset`` (closes the connection without an answer).
    """

    mode: str
    delay: float = 3.0
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    _server: _Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/sparql"

    def start(self) -> FaultServer:
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence the log
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                owner.requests.append((self.command, self.path, dict(self.headers.items()), body))
                mode = owner.mode
                if mode == "ok":
                    self._send(200, b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}', _JSON)
                elif mode == "slow":
                    time.sleep(owner.delay)
                    self._send(200, b'{"head": {"vars": []}, "results": {"bindings": []}}', _JSON)
                elif mode == "malformed":
                    self._send(200, b'{"head": {"vars": ["x"]}, "results": {"bindi', _JSON)
                elif mode == "reset":
                    self.close_connection = True
                    with contextlib.suppress(OSError):  # linger 0: close with a TCP reset
                        linger = struct.pack("ii", 1, 0)
                        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                        self.connection.close()
                elif mode == "echo500":
                    echoed = f"Authorization: {self.headers.get('Authorization')}"
                    self._send(500, f"Internal error\nthe request had\n{echoed}\n".encode(), "text/plain")
                elif mode.isdigit():
                    status = int(mode)
                    page = f"Error {status}\nVirtuoso 42000 Error something\nline three\n".encode()
                    self._send(status, page, "text/plain")
                else:
                    self._send(404, b"unknown mode", "text/plain")

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                with contextlib.suppress(OSError):
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    if status in (429, 503):
                        self.send_header("Retry-After", "0")
                    self.end_headers()
                    self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_HEAD = _handle

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def count(self, method: str | None = None) -> int:
        return sum(1 for request in self.requests if method is None or request[0] == method)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@dataclass
class CountingProxy:
    """A reverse proxy to ``target`` (scheme://host:port) that records each request it forwards."""

    target: str
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    _server: _Server | None = None

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> CountingProxy:
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                owner.requests.append((self.command, self.path, dict(self.headers.items())))
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "connection", "content-length")}
                request = urllib.request.Request(owner.target + self.path, data=body, method=self.command,
                                                 headers=headers)
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        status, reply, content_type = response.status, response.read(), response.headers.get(
                            "Content-Type", "application/octet-stream")
                except urllib.error.HTTPError as error:
                    status, reply, content_type = error.code, error.read(), error.headers.get(
                        "Content-Type", "text/plain")
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_GET = do_POST = _forward

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@contextlib.contextmanager
def running(server):  # type: ignore[no-untyped-def]
    """Start a server for a ``with`` block and always stop it."""
    server.start()
    try:
        yield server
    finally:
        server.stop()
