"""Cooperation areas named in sentences, matched against the SKOS scheme's labels."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from citygraph import vocab
from citygraph.phrases import PhraseMatcher

__all__ = ["find_areas", "area_cue"]


def _coordinated(text: str) -> str:
    """Spell out shared heads: "water and sewage system" also reads as "water system"."""
    return re.sub(
        r"\b(\w+) and (\w+) (systems?|services|management|development|sectors?)\b", r"\1 \3 and \2 \3", text
    )


@cache
def _matcher() -> PhraseMatcher:
    return PhraseMatcher(vocab.area_labels())


def find_areas(*sentences: str) -> list[str]:
    """Concept IRIs of the areas sentences name, in order of first mention (longest label first).

    >>> [a.rsplit("/", 1)[1] for a in find_areas("cooperation in transportation and tourism")]
    ['transport', 'tourism']
    """
    out: list[str] = []
    for sentence in sentences:
        out.extend(c for c in _sentence_areas(sentence) if c not in out)
    return out


@lru_cache(maxsize=8192)
def _sentence_areas(text: str) -> tuple[str, ...]:
    """A sentence's areas; kept, as the sentences around an agreement are read for each candidate."""
    out: list[str] = []
    text = _coordinated(text)
    for start, end, _, concept in _matcher().finditer(text):
        if not _inside_name(text, start, end) and concept not in out:
            out.append(str(concept))
    return tuple(out)


_CAPITALISED = re.compile(r"[A-Z][\w'-]*")


def _inside_name(text: str, start: int, end: int) -> bool:
    """ "the Urban Development Department", "Institute for Training and Research": words of an
    organisation's name, not an area of cooperation."""
    words = text[start:end].split()
    if not all(_CAPITALISED.fullmatch(w) for w in words):
        return False
    before = text[:start].rstrip().rsplit(None, 1)
    after = text[end:].lstrip().split(None, 1)
    cap_before = (
        bool(before)
        and _CAPITALISED.fullmatch(before[-1].strip("(\"'")) is not None
        and not re.search(r"[.!?:]$", before[-1])
    )
    cap_after = bool(after) and _CAPITALISED.fullmatch(after[0].strip("().,;\"'")) is not None
    # "Department of Culture and Tourism": a capitalised word two back, across "and" or "of"
    linked = (
        len(before) == 2
        and before[-1] in ("and", "of", "&")
        and _CAPITALISED.fullmatch(before[0].rsplit(None, 1)[-1].strip("(\"'")) is not None
    )
    return (
        linked
        or cap_before
        or cap_after
        or (
            bool(after)
            and after[0] in ("and", "for", "of")
            and len(words) > 0
            and _CAPITALISED.fullmatch(words[0]) is not None
            and bool(before)
        )
    )


@cache
def _cues() -> PhraseMatcher:
    return PhraseMatcher(vocab.cooperation_cues())


@lru_cache(maxsize=8192)
def area_cue(text: str) -> bool:
    """Whether a sentence speaks of what parties will do together, where areas are stated."""
    return _cues().search(text)
