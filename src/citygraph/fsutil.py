"""Atomic file output shared by every command that writes a file.

A reader (or a crash) must only ever see the old file or the complete new one, never half of it, and a
command must never overwrite one of its own inputs: both rules live here so no command re-implements them.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["OutputError", "atomic_write", "atomic_file", "check_output_path"]


class OutputError(Exception):
    """An output file cannot (or must not) be written; the message is one line for the user."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())


def check_output_path(path: Path | str, protect: Iterable[Path | str] = ()) -> Path:
    """Return ``path`` if it may be written, else raise :class:`OutputError`.

    >>> check_output_path("out.ttl", protect=["in.ttl"]).name
    'out.ttl'
    >>> check_output_path("a/../in.ttl", protect=["in.ttl"])
    Traceback (most recent call last):
    ...
    citygraph.fsutil.OutputError: refusing to overwrite the input file a/../in.ttl
    """
    target = Path(path)
    for protected in protect:
        if _same_file(target, Path(protected)):
            raise OutputError(f"refusing to overwrite the input file {path}")
    if target.is_dir():
        raise OutputError(f"{path} is a directory, not a file")
    return target


def _new_file_mode(target: Path) -> int:
    """Keep an existing file's permissions; give a new one the umask-derived mode (mkstemp gives 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        pass
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o644


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_file(path: Path | str, *, protect: Iterable[Path | str] = ()) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces ``path`` atomically when the block ends without an exception.

    For outputs too large to build as one ``bytes`` (the store snapshot): write them in pieces. On an
    exception the temporary file is removed and ``path`` is left as it was.
    """
    target = check_output_path(path, protect)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = _new_file_mode(target)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(target.parent)


def atomic_write(path: Path | str, data: bytes, *, protect: Iterable[Path | str] = ()) -> None:
    """Write ``data`` to ``path`` atomically (temp file, fsync, rename), never onto a ``protect``ed path.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write(d / "sub" / "x.txt", b"hello")
    >>> (d / "sub" / "x.txt").read_bytes()
    b'hello'
    """
    try:
        with atomic_file(path, protect=protect) as handle:
            handle.write(data)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from error
