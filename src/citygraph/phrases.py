"""Find many fixed phrases in text quickly: a word-sequence lookup instead of one huge regex.

The converter matches hundreds of labels (areas, agreement types, cues) against every sentence; a
regular expression alternating over all of them is tried at every character and dominated the
converter's time. Looking up word sequences in a dict is linear in the words of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

__all__ = ["PhraseMatcher"]

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")


class PhraseMatcher:
    """Whole-word, case-insensitive matches of phrases, longest first, left to right.

    >>> m = PhraseMatcher({"sister city": "S", "mou": "M", "sister": "x"})
    >>> [(t, v) for _, _, t, v in m.finditer("Seoul signed a sister city MoU.")]
    [('sister city', 'S'), ('mou', 'M')]
    """

    def __init__(self, phrases: Mapping[str, object] | Iterable[str]) -> None:
        items = phrases.items() if isinstance(phrases, Mapping) else ((p, p) for p in phrases)
        self._table: dict[tuple[str, ...], tuple[str, object]] = {}
        self._longest: dict[str, int] = {}
        for phrase, value in items:
            words = tuple(w.lower() for w in _TOKEN.findall(phrase))
            if not words:
                continue
            self._table.setdefault(words, (phrase.lower(), value))
            self._longest[words[0]] = max(self._longest.get(words[0], 0), len(words))
        self._searched = lru_cache(maxsize=8192)(self._search)  # stages ask the same sentence again

    def finditer(self, text: str) -> list[tuple[int, int, str, object]]:
        """(start, end, phrase, value) for each match."""
        hits = self._scan(_words(text))
        if not hits:
            return []
        tokens = _spans(text)
        return [(tokens[i][0], tokens[i + n - 1][1], phrase, value) for i, n, phrase, value in hits]

    def values(self, text: str) -> list[object]:
        """The values of the phrases found, in order, without their offsets."""
        return [value for _, _, _, value in self._scan(_words(text))]

    def search(self, text: str) -> bool:
        """Whether any phrase occurs; no offsets are computed."""
        return self._searched(text)

    def _search(self, text: str) -> bool:
        return bool(self._scan(_words(text)))

    def _scan(self, words: tuple[str, ...]) -> list[tuple[int, int, str, object]]:
        """(first word, word count, phrase, value) of each match, longest first, left to right."""
        longest = self._longest
        if longest.keys().isdisjoint(words):
            return []  # the common case: no phrase can start anywhere in this text
        out: list[tuple[int, int, str, object]] = []
        i = 0
        while i < len(words):
            span = longest.get(words[i], 0)
            if not span:
                i += 1
                continue
            for n in range(min(span, len(words) - i), 0, -1):
                hit = self._table.get(words[i : i + n])
                if hit is not None:
                    out.append((i, n, hit[0], hit[1]))
                    i += n
                    break
            else:
                i += 1
        return out

    def starts(self, text: str) -> bool:
        """Whether the text begins with a phrase ("sister city MoU between...")."""
        hits = self.finditer(text)
        return bool(hits) and hits[0][0] == len(text) - len(text.lstrip())


@lru_cache(maxsize=8192)
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    """Offsets of the words of a text, in the order `_words` gives them; asked for only on a match."""
    return tuple(m.span() for m in _TOKEN.finditer(text))


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    """The lower-cased words of a text: what phrases are looked up by."""
    low = text.lower()
    if len(low) == len(text):  # a few characters change length when lowered: then lower word by word
        return tuple(_TOKEN.findall(low))
    return tuple(w.lower() for w in _TOKEN.findall(text))
