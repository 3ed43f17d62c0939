"""Where the ontology, shapes, saved queries and bundled data live.

In a wheel they are packaged under ``citygraph/_resources``; in a checkout (editable install) they are
the top-level folders of the repository. One lookup serves both, so no other module hard-codes paths.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["resource_dir"]


@cache
def _root() -> Path:
    packaged = Path(__file__).parent / "_resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def resource_dir(name: str) -> Path:
    """Return the folder ``name`` (``ontology``, ``shapes``, ``queries`` or ``data``).

    >>> resource_dir("ontology").name
    'ontology'
    """
    return _root() / name
