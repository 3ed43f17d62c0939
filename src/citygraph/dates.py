"""Dates in news prose, with the precision the text gives and relative forms resolved.

dateparser costs 1-2 ms a call and cannot say "last June"; the handful of forms press releases use
("Nov. 5, 2015", "5th November", "on Thursday", "yesterday", "July 2018", "the 1994 MoU", a year
in words) are cheaper and more predictable as patterns. A date is kept at day, month or year
precision: never invent a day the text does not give.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "CALENDAR_WORDS",
    "DateMention",
    "find_dates",
    "resolve",
    "publication_date",
    "header_date",
    "is_future",
    "words_to_year",
]

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
CALENDAR_WORDS: frozenset[str] = frozenset(_MONTHS) | frozenset(_WEEKDAYS)  # never names nor places
_M = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"  # a whole word: not "decentralised"
)
_Y = r"(?P<year>(?:1[89]|20)\d\d)"
_D = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_PATTERNS = [
    re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(rf"\b(?=\d){_D}(?:\s+day)?(?:\s+of)?\s+{_M}(?:,?\s+{_Y})?\b", re.I),
    re.compile(
        rf"\b(?=[adfjmnos]){_M}\s*[,.]?\s*{_D}\b(?!\s*(?:%|per|million|km))(?:\s*[,.]?\s*{_Y})?", re.I
    ),
    re.compile(rf"\b(?=[adfjmnos]){_M},?\s+(?:of\s+)?{_Y}\b", re.I),
    re.compile(
        rf"\b(?=[iodsf])(?:in|on|of|during|since|from)\s+{_M}(?!\s*\d)(?P<thisyear>\s+(?:this|last)\s+year)?",
        re.I,
    ),
]
_YEAR_ONLY = re.compile(
    r"\b(?=[isofyt])(?:(?:in|since|of|from|year)\s+|the\s+)((?:1[89]|20)\d\d)\b(?!\s*[-–]\s*\d)", re.I
)
_RELATIVE = re.compile(
    r"\b(?=[yteolnmwfs])(?P<rel>yesterday|today|this morning|this afternoon|"
    r"earlier (?:the same|that|this) day|the same day|"
    r"(?:earlier\s+)?this week|last week|"
    r"(?:(?:on|last|this|next)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|last month|"
    r"last (?P<lastmon>january|february|march|april|may|june|july|august|september|october|november|"
    r"december))\b",
    re.I,
)
_FUTURE = re.compile(
    r"\b(will|shall|to (?:re-?)?sign|going to|are to|is to|set to|plans? to|scheduled|"
    r"expected to|upcoming|due to)\b",
    re.I,
)
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
        "fourteenth "
        "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
    )
}
_ORDINALS.update({f"twenty-{w}": 20 + n for w, n in list(_ORDINALS.items())[:9]})
_ORDINALS.update({"thirtieth": 30, "thirty-first": 31})
_DAY_WORDS = r"(?P<dayw>" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r")"
_YEAR_WORDS = re.compile(
    rf"\b(?=[\defnst])(?:{_D}|{_DAY_WORDS})(?:\s+day)?\s+of\s+{_M},?\s+"
    r"(?P<words>(?:(?:one|two) thousand|nineteen|twenty)[a-z\s-]+?)(?=[.,;]|$)",
    re.I,
)


# "the twenty-first of November 2024", "the first day of June": a day in words, the year in figures or absent
_DAY_WORD_DATE = re.compile(rf"\b(?=[efnst]){_DAY_WORDS}(?:\s+day)?\s+of\s+{_M}(?:,?\s+{_Y})?\b", re.I)
# "on the 14th (Tue.)": a day of the month alone, as Korean and Japanese releases write; month and year
# come from the page's date
_DAY_ONLY = re.compile(
    r"\bon\s+the\s+(?P<day>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)\b(?!\s+(?:of|day|century|anniv))"
)

_ANY_DATE = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|yesterday|today|day|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday|morning|afternoon|week|month)",
    re.I,
)
# Most patterns need a month name or a digit: one cheap test each spares the rest on most sentences.
_DIGIT = re.compile(r"\d")
_MONTH_WORD = re.compile(r"\b(?=[adfjmnos])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    relative: str | None = None  # "yesterday", "monday", "last june", "same day"...

    @property
    def complete(self) -> bool:
        return self.year is not None and self.relative is None


def words_to_year(words: str) -> int | None:
    """Read a year written in words.

    >>> words_to_year("one thousand nine hundred and fifty six")
    1956
    >>> words_to_year("nineteen fifty-six")
    1956
    >>> words_to_year("nineteen hundred and fifty-six")
    1956
    """
    tokens = [t for t in re.split(r"[\s-]+", words.lower()) if t and t != "and"]
    if "thousand" in tokens:
        total, current = 0, 0
        for t in tokens:
            if t == "thousand":
                total += current * 1000
                current = 0
            elif t == "hundred":
                current *= 100
            elif t in _WORD_NUMBERS:
                current += _WORD_NUMBERS[t]
            else:
                return None
        year = total + current
    elif "hundred" in tokens:  # "nineteen hundred and fifty-six"
        i = tokens.index("hundred")
        head = [_WORD_NUMBERS.get(t) for t in tokens[:i]]
        tail = [_WORD_NUMBERS.get(t) for t in tokens[i + 1 :]]
        if len(head) != 1 or None in head or None in tail:
            return None
        year = head[0] * 100 + sum(tail)
    else:
        values = [_WORD_NUMBERS.get(t) for t in tokens]
        if not values or None in values or values[0] not in range(10, 21):
            return None
        year = values[0] * 100 + sum(v for v in values[1:] if v is not None)
    return year if 1000 <= year <= 2100 else None


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def find_dates(text: str) -> list[DateMention]:
    """Every date expression in a sentence, explicit ones before relative ones.

    >>> [(d.year, d.month, d.day) for d in find_dates("SEOUL, Nov. 5, 2015 - signed on 5th November")]
    [(2015, 11, 5), (None, 11, 5)]
    >>> [(d.year, d.month, d.day) for d in find_dates("signed in July 2018 and renewed in 2021")]
    [(2018, 7, None), (2021, None, None)]
    """
    return list(_find_dates(text))  # a fresh list each time: callers may change it


@lru_cache(maxsize=8192)
def _find_dates(text: str) -> tuple[DateMention, ...]:
    """Several stages ask a sentence for its dates; the answer never changes."""
    return tuple(_scan_dates(text))


def _scan_dates(text: str) -> list[DateMention]:
    if not _ANY_DATE.search(text):
        return []
    found: list[DateMention] = []
    spans: list[tuple[int, int]] = []

    def add(m: re.Match[str], year: int | None, month: int | None, day: int | None, rel: str | None = None):
        if not _overlaps(spans, m.start(), m.end()):
            spans.append((m.start(), m.end()))
            found.append(DateMention(m.start(), m.end(), year, month, day, rel))

    has_month = _MONTH_WORD.search(text) is not None
    digit = _DIGIT.search(text) is not None
    for m in _YEAR_WORDS.finditer(text) if has_month else ():
        day = int(m["day"]) if m["day"] else _ORDINALS[m["dayw"].lower()]
        add(m, words_to_year(m["words"]), _MONTHS[m["mon"].lower().rstrip(".")], day)
    for m in _DAY_WORD_DATE.finditer(text) if has_month else ():
        add(
            m,
            int(m["year"]) if m["year"] else None,
            _MONTHS[m["mon"].lower().rstrip(".")],
            _ORDINALS[m["dayw"].lower()],
        )
    for n, pattern in enumerate(_PATTERNS):
        if not (has_month if n else digit):  # the first pattern is ISO "2015-11-05"; the others name a month
            continue
        for m in pattern.finditer(text):
            groups = m.groupdict()
            month = (
                int(groups["mnum"]) if groups.get("mnum") else _MONTHS.get((groups.get("mon") or "").lower())
            )
            day = int(groups["day"]) if groups.get("day") else None
            year = int(groups["year"]) if groups.get("year") else None
            if month is None or (day is not None and not 1 <= day <= 31):
                continue
            rel = "this year" if groups.get("thisyear") and "this" in groups["thisyear"].lower() else None
            add(m, year, month, day, rel)
    for m in _DAY_ONLY.finditer(text) if digit else ():
        add(m, None, None, int(m["day"]), "day of month")
    for m in _YEAR_ONLY.finditer(text) if digit else ():
        year = next(int(g) for g in m.groups() if g)
        add(m, year, None, None)
    for m in _RELATIVE.finditer(text):
        rel = m["rel"].lower()
        if m["lastmon"]:
            add(m, None, _MONTHS[m["lastmon"].lower()], None, "last month-name")
        else:
            add(m, None, None, None, re.sub(r"^(on|this|next)\s+", "", rel))
    found.sort(key=lambda d: (d.relative is not None and d.relative != "this year", d.start))
    return found


def is_future(sentence: str) -> bool:
    """Whether a sentence announces something to come ("will sign", "are to sign on Thursday")."""
    return bool(_FUTURE.search(sentence))


def resolve(mention: DateMention, reference: dt.date | None, *, future: bool = False) -> str | None:
    """The ISO form of a mention at its precision, filling only what the reference date justifies.

    >>> ref = dt.date(2023, 5, 23)
    >>> resolve(DateMention(0, 0, None, None, None, "yesterday"), ref)
    '2023-05-22'
    >>> resolve(DateMention(0, 0, None, None, None, "thursday"), dt.date(2016, 9, 19), future=True)
    '2016-09-22'
    >>> resolve(DateMention(0, 0, None, 4, None), dt.date(2018, 4, 23))
    '2018-04'
    """
    rel = mention.relative
    if rel and rel not in ("this year",):
        if reference is None:
            return None
        if rel == "last month":
            before = reference.replace(day=1) - dt.timedelta(days=1)
            return f"{before.year:04d}-{before.month:02d}"
        if rel.endswith("week"):  # the month, when the whole week lies in one
            monday = reference - dt.timedelta(days=reference.weekday() + (7 if rel == "last week" else 0))
            end = reference if rel != "last week" else monday + dt.timedelta(days=6)
            return f"{monday.year:04d}-{monday.month:02d}" if monday.month == end.month else None
        if rel in ("yesterday",):
            return (reference - dt.timedelta(days=1)).isoformat()
        if rel in ("today", "this morning", "this afternoon", "the same day") or rel.startswith("earlier"):
            return reference.isoformat()
        if rel == "day of month" and mention.day:  # the latest such day up to the page's date
            month_start = reference.replace(day=1)
            if mention.day > reference.day:
                month_start = (month_start - dt.timedelta(days=1)).replace(day=1)
            try:
                return month_start.replace(day=mention.day).isoformat()
            except ValueError:
                return None
        if rel == "last month-name" and mention.month:
            year = reference.year if mention.month < reference.month else reference.year - 1
            return f"{year:04d}-{mention.month:02d}"
        weekday = _WEEKDAYS.get(rel.split()[-1])
        if weekday is None:
            return None
        delta = (weekday - reference.weekday()) % 7
        if future:
            return (reference + dt.timedelta(days=delta)).isoformat()
        back = (reference.weekday() - weekday) % 7
        return (reference - dt.timedelta(days=back)).isoformat()
    year = mention.year
    if year is None:
        if reference is None or mention.month is None:
            return None
        year = reference.year
        if not future and rel != "this year" and mention.month > reference.month + 1:
            year -= 1  # "on December 21" in a January article is last year's
    if mention.month is None:
        return f"{year:04d}"
    if mention.day is None:
        return f"{year:04d}-{mention.month:02d}"
    try:
        return dt.date(year, mention.month, mention.day).isoformat()
    except ValueError:
        return f"{year:04d}-{mention.month:02d}"


_URL_DATE = re.compile(r"(?P<year>(?:19|20)\d\d)[/-](?P<mon>[01]?\d)[/-](?P<day>[0-3]?\d)(?!\d)")


_NUMERIC_DATES = (
    re.compile(
        r"(?<![\d.])(?P<y>(?:19|20)\d\d)[-./](?P<m>0?[1-9]|1[0-2])[-./](?P<d>0?[1-9]|[12]\d|3[01])(?!\d)"
    ),
    re.compile(r"(?<![\d.])(?P<d>0?[1-9]|[12]\d|3[01])\.(?P<m>0?[1-9]|1[0-2])\.(?P<y>(?:19|20)\d\d)(?!\d)"),
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d\d)(?!\d)"),
)


def _numeric_date(line: str) -> dt.date | None:
    """ "2025-09-18 16:42", "Date 2025.10.15", "16.03.2023", "Published: 14/08/2024".

    A slashed date is day first unless its second number cannot be a month (the US order).
    """
    for pattern in _NUMERIC_DATES:
        for m in pattern.finditer(line):
            parts = m.groupdict()
            if "a" in parts:
                a, b = int(parts["a"]), int(parts["b"])
                day, month = (b, a) if b > 12 else (a, b)
            else:
                day, month = int(parts["d"]), int(parts["m"])
            try:
                return dt.date(int(parts["y"]), month, day)
            except ValueError:
                continue
    return None


def header_date(lines: list[str]) -> dt.date | None:
    """The page's own date from the lines above and around the story's start, before boilerplate is
    dropped: bylines and timestamps ("Updated: 2024-12-09 15:02") are short lines that cleaning removes.

    >>> header_date(["Home | News", "By Li Ying | Updated: 2024-12-09 15:02", "Kunming and ..."])
    datetime.date(2024, 12, 9)
    """
    for line in [x for x in lines if x.strip()][:20]:
        if len(line.split()) > 15 or not _DIGIT.search(line):
            continue  # a sentence of the story (its dates are events), or no year at all
        found = _numeric_date(line[:200]) or _full_date(line[:200])
        if found:
            return found
    return None


def _full_date(line: str) -> dt.date | None:
    for d in find_dates(line):
        if d.relative is None and d.year and d.month and d.day:
            try:
                return dt.date(d.year, d.month, d.day)
            except ValueError:
                continue
    return None


def publication_date(lines: list[str], source: str | None = None) -> dt.date | None:
    """The date a page was published: a dateline or date line near the top, else a date in its URL."""
    for line in lines[:8]:
        found = _full_date(line[:160])
        if found:
            return found
    if source:
        m = _URL_DATE.search(source)
        if m:
            try:
                return dt.date(int(m["year"]), int(m["mon"]), int(m["day"]))
            except ValueError:
                return None
    return None
