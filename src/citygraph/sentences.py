"""Sentence splitting tuned to news prose: datelines, abbreviations ("Nov.", "St.", "U.S.") and initials."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences"]

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "no", "nos", "gov", "sen", "rep", "jr", "sr", "inc", "co", "ltd", "vs",
    "gen", "col", "capt", "prof", "hon", "dept", "approx", "etc", "e.g", "i.e", "u.s", "u.k", "u.n",
}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9\u00c0-\u024f])")


@dataclass(frozen=True)
class Sentence:
    text: str
    index: int  # position in the document, 0-based
    line: int  # paragraph (line) number in the cleaned text


def _ends_with_abbreviation(chunk: str) -> bool:
    word = chunk.rstrip(".!?\"')]").rsplit(None, 1)[-1] if chunk.strip() else ""
    word = word.lower().lstrip("(\"'")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str) -> list[Sentence]:
    """Split cleaned text (one paragraph a line) into sentences.

    >>> [s.text for s in split_sentences("SEOUL, Nov. 5, 2015 - Seoul signed. Mayor Park spoke.")]
    ['SEOUL, Nov. 5, 2015 - Seoul signed.', 'Mayor Park spoke.']
    """
    out: list[Sentence] = []
    for line_no, line in enumerate(text.split("\n")):
        start = 0
        for match in _BOUNDARY.finditer(line):
            chunk = line[start:match.start()]
            if _ends_with_abbreviation(chunk):
                continue
            if chunk.strip():
                out.append(Sentence(chunk.strip(), len(out), line_no))
            start = match.end()
        rest = line[start:].strip()
        if rest:
            out.append(Sentence(rest, len(out), line_no))
    return out
