"""Sentence splitting tuned to news prose: datelines, abbreviations ("Nov.", "St.", "U.S.") and initials."""

from __future__ import annotations

import re
from dataclasses import dataclass

from citygraph.dates import CALENDAR_WORDS

__all__ = ["Sentence", "split_sentences"]

_ABBREVIATIONS = {w for w in CALENDAR_WORDS if len(w) <= 4} | {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "mt",
    "ft",
    "no",
    "nos",
    "gov",
    "sen",
    "rep",
    "jr",
    "sr",
    "inc",
    "co",
    "ltd",
    "vs",
    "gen",
    "col",
    "capt",
    "prof",
    "hon",
    "dept",
    "approx",
    "etc",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "u.n",
}
# The boundary begins at the sentence's final mark (the regex engine finds those with a set test; a
# leading look-behind would be tried at every position); the mark itself stays with the sentence.
_BOUNDARY = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9\u00c0-\u024f])")


@dataclass(frozen=True)
class Sentence:
    text: str
    index: int  # position in the document, 0-based
    line: int  # paragraph (line) number in the cleaned text


def _ends_with_abbreviation(chunk: str) -> bool:
    words = chunk.rstrip(".!?\"')]").split()
    if not words:
        return False
    word = words[-1].lower().lstrip("(\"'")
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
            chunk = line[start : match.start() + 1]
            if _ends_with_abbreviation(chunk):
                continue
            if chunk.strip():
                out.append(Sentence(chunk.strip(), len(out), line_no))
            start = match.end()
        rest = line[start:].strip()
        if rest:
            out.append(Sentence(rest, len(out), line_no))
    if any(len(s.text) > MAX_SENTENCE for s in out):
        pieces = [piece for s in out for piece in _bounded(s, len(out))]
        out = [Sentence(p.text, i, p.line) for i, p in enumerate(pieces)]
    return out


MAX_SENTENCE = 800  # a real sentence is shorter; longer "sentences" are tables, lists or noise


def _bounded(sentence: Sentence, _total: int) -> list[Sentence]:
    """Cut an over-long sentence at spaces so that every later stage stays linear in the text."""
    if len(sentence.text) <= MAX_SENTENCE:
        return [sentence]
    pieces, text = [], sentence.text
    while len(text) > MAX_SENTENCE:
        cut = text.rfind(" ", 0, MAX_SENTENCE)
        cut = cut if cut > MAX_SENTENCE // 2 else MAX_SENTENCE
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    pieces.append(text)
    return [Sentence(p, sentence.index, sentence.line) for p in pieces if p]
