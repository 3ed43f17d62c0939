"""Place mentions in a sentence, each with the role its context gives it.

A capitalised run of words is cut at titles ("Seoul Mayor Park"), stripped of government-body words
("the Seoul Metropolitan Government" is Seoul acting), dropped when it names an organisation
("Cebu International Convention Center"), then matched against the place index, longest first.
Unknown names still count as places when the text says so ("Puerto Morelos (Mexico)", "Xaysomboun
province", "the Polish city of Plock"). Context marks containers ("Komaki City in Aichi
Prefecture"), venues ("in Vientiane on August 9") and countries, which are never parties.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from citygraph import lexicon, vocab
from citygraph.dates import CALENDAR_WORDS
from citygraph.gazetteer import Gazetteer
from citygraph.link import Resolution, resolve, strip_admin_words

__all__ = ["PlaceMention", "find_places", "strip_dateline", "KIND_WORDS"]

_WORD = re.compile(r"[^\W\d_](?:[\w'\-]*[^\W_])?\.?|\d+|[^\w\s]")
_CONNECTORS = {
    "of",
    "van",  # "Pieter van der Meulen", "Azlan bin Hashim": particles inside people's names
    "bin",
    "binti",
    "de",
    "del",
    "da",
    "do",
    "dos",
    "das",
    "la",
    "le",
    "les",
    "el",
    "upon",
    "am",
    "an",
    "der",
    "den",
    "sur",
    "en",
    "y",
    "al",
    "di",
    "du",
}
# Function words that start sentences capitalised; they never begin a place name.
_STOP = CALENDAR_WORDS | {
    "most",  # everyday words that are also the main name of some town (Most, Date, Man, Note...)
    "date",
    "man",
    "free",
    "note",
    "no",
    "the",
    "a",
    "an",
    "both",
    "on",
    "in",
    "at",
    "under",
    "as",
    "by",
    "for",
    "with",
    "from",
    "to",
    "and",
    "but",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "their",
    "his",
    "her",
    "also",
    "however",
    "earlier",
    "later",
    "meanwhile",
    "speaking",
    "according",
    "after",
    "before",
    "during",
    "since",
    "through",
    "today",
    "yesterday",
    "mr",
    "mrs",
    "ms",
    "dr",
    "other",
    "several",
    "each",
    "all",
    "our",
    "we",
    "i",
    "he",
    "she",
    "they",
    "image",
    "photo",
    "read",
    "related",
    "share",
    "said",
    "says",
    "if",
    "while",
    "when",
    "where",
    "there",
    "here",
    "such",
    "then",
    "thus",
    "accordingly",
    "besides",
    "signed",
    "via",
    "among",
    "between",
    "over",
    "about",
    "more",
    "latest",
    "memorandum",
    "agreement",
    "mou",
    "moa",
    "treaty",
    "charter",
    "sister",
    "twin",
    "friendship",
    "cooperation",
    "co-operation",
    "city",
    "cities",
    "province",
    "provinces",
    "state",
    "states",
    "region",
    "regions",
    "county",
    "prefecture",
    "prefectures",
    "municipal",
    "provincial",
    "people's",
    "committee",
    "council",
    "government",
    "metropolitan",
    "capital",
    "covid-19",
    "un",
    "eu",
    "asean",
    "vgp",
    "mr.",
    "dr.",
    "st",
}
# "Southwest China's Yunnan", "North" alone: a direction, unless a kind word makes it a region's name
_COMPASS = frozenset(
    "north south east west northeast northwest southeast southwest north-east north-west south-east "
    "south-west northern southern eastern western central".split()
)
# "the Mayor of Galway" speaks of the city (not County Galway), "the Governor of X" of a region
_TITLE_KIND = {"mayor": "city", "mayors": "city", "governor": "region", "governors": "region"}
KIND_WORDS = {
    "city": "city",
    "cities": "city",
    "town": "city",
    "towns": "city",
    "municipality": "city",
    "municipal": "city",
    "metropolitan": "city",
    "borough": "city",
    "capital": "city",
    "province": "region",
    "provinces": "region",
    "provincial": "region",
    "prefecture": "region",
    "prefectures": "region",
    "prefectural": "region",
    "region": "region",
    "regions": "region",
    "regional": "region",
    "state": "region",
    "states": "region",
    "county": "region",
    "counties": "region",
    "oblast": "region",
    "territory": "region",
    "governorate": "region",
    "district": "region",
    "-do": "region",
}
_PREFIX_KIND = re.compile(
    r"(?:\b(?:the\s+)?(?:[A-Z][\w-]+\s+)?(?:(?:northern|southern|eastern|western|central|north|south|east|west|"
    r"coastal|capital|border|northeastern|northwestern|southeastern|southwestern)\s+)*"
    r"(?P<kind>city|town|towns|province|prefecture|region|state|county|municipality|oblast|district|capital|"
    r"mayors?|governors?)"
    r"\s+of\s+(?:the\s+)?)$",
    re.I,
)
_PAREN_COUNTRY = re.compile(r"^\s*\((?P<c>[^()]{2,40})\)")
_COMMA_COUNTRY = re.compile(
    r"^\s*,\s*(?:[^,()]{2,30},\s*)?(?:the\s+)?(?P<c>[A-Z][\w.' -]{1,40}?)(?=\s*(?:[,.;:)]|\s+and\b|\s+-|$))"
)
_OF_IN_COUNTRY = re.compile(
    r"^\s*(?:,\s*)?(?:in|of)\s+(?:the\s+)?(?P<c>[A-Z][\w.' -]{1,45}?)"
    r"(?=\s*(?:[,.;:)]|\s+(?:and|have|has|signed|on|to|yesterday|in|are|were|will)\b|$))"
)
_DEMONYM_BEFORE = re.compile(
    r"(?:\b(?P<c>[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)(?:'s|')\s+|"
    r"\bthe\s+(?P<d>[A-Z][\w-]+)\s+(?:[\w-]+\s+){0,3}$)$"
)
_VENUE_BEFORE = re.compile(
    r"\b(?:in|at|held in|visit to|visited|venue|arrived in|hosted in|trip to|delegation from|visitors from|"
    r"delegation from the capital of)\s+"
    r"(?:the\s+)?(?:[A-Z][\w-]+\s+)?(?:(?:department|province|prefecture|region|state|"
    r"county|district|city|town)\s+of\s+(?:the\s+)?)?$",
    re.I,
)
# "signed at the Governor's Office, Oke-Mosan, Abeokuta": the town of a building's address is the venue
_ADDRESS_BEFORE = re.compile(
    r"\b(?=[ai])(?:at|in)\s+(?:the\s+)?(?:[A-Z][\w'’.-]*\s+){0,5}(?:Office|Hall|Hotel|Cent(?:er|re)|House|Palace|"
    r"Building|Secretariat|Complex|Headquarters|Chamber|Chambers|Auditorium)\b[^.;]{0,40},\s*$"
)
_CONTAINER_GAP = re.compile(
    r"\s*(?:,\s*)?(?:in|of)\s+(?:the\s+)?(?:(?:state|province|prefecture|region|county|"
    r"oblast)\s+of\s+(?:the\s+)?)?",
    re.I,
)
# "Chengdu, capital of southwest China's Sichuan Province", "Curitiba, the capital of the Brazilian
# state of Paraná": the region after "capital of" contains the city before it
_CAPITAL_GAP = re.compile(
    r"\s*,\s*(?:the\s+)?(?:\w+\s+)?capital\s+(?:city\s+)?of\s+(?:the\s+)?(?:[a-z]+\s+)?"
    r"(?:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?(?:'s)?\s+)?(?:(?:state|province|prefecture|region|county|oblast)\s+of\s+)?"
)


# "Nairobi e-mobility firm", "Shenzhen manufacturer": a place naming where a company is, not a party
# (the company words are SKOS labels of cgl:company-word in ontology/lexicon.ttl)
@cache
def _company_after() -> re.Pattern[str]:
    words = sorted(lexicon.labels("company-word") | lexicon.labels("event-word"), key=len, reverse=True)
    return re.compile(
        r"(?:-based\b|\s+(?:[\w-]+\s+){0,2}(?:" + "|".join(map(re.escape, words)) + r")\b)", re.I
    )


@cache
def _event_before() -> re.Pattern[str]:
    """ "the 2022 floods in South East Queensland": where an event happened."""
    words = sorted(lexicon.labels("event-word"), key=len, reverse=True)
    firsts = re.escape("".join(sorted({w[0] for w in words})))
    return re.compile(
        rf"\b(?=[{firsts}])(?:"
        + "|".join(map(re.escape, words))
        + r")\s+(?:in|at|of|near)\s+(?:the\s+)?(?-i:[A-Z][\w-]*\s+)*$",
        re.I,
    )


# "the Stari Grad municipality of the Bosnian capital Sarajevo": Sarajevo contains the party before it
_DISTRICT_GAP = re.compile(
    r"\s+(?:municipality|district|borough|ward|county)\s+of\s+(?:the\s+)?(?:[A-Z][\w-]*\s+)?(?:capital\s+)?"
    r"(?:city\s+of\s+)?"
)
_COUNTY = re.compile(r"\b(?:County|District|Borough)$")
_DATELINE = re.compile(r"^\s*(?P<place>[A-Z][A-Z.'\- ]{2,40}(?:,\s*[A-Z][\w.' ]{2,30})?)\s*[,(–—-]")
_DATELINE_DATE = re.compile(
    r"^\s*(?P<place>[A-Z][\w.'\- ]{2,30}),\s+(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|"
    r"Oct|Nov|Dec)[a-z]*\.?\s+\d|\d{1,2}\s+[A-Z][a-z]+\s+\d{4})"
)


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    resolution: Resolution
    known: bool
    country: str
    role: str = "place"  # place | possessive | container | venue | dateline | country | organisation
    kind_hint: str | None = None

    @property
    def label(self) -> str:
        return self.resolution.label


@cache
def _org_words() -> frozenset[str]:
    return frozenset(w for w in lexicon.organisation_words() if " " not in w)


@cache
def _lexicon_words() -> frozenset[str]:
    """Words of titles, bodies and place kinds: never the extra word of a longer place name."""
    phrases = lexicon.all_titles() | lexicon.government_bodies() | lexicon.organisation_words()
    return frozenset({w for p in phrases for w in p.split()} | set(KIND_WORDS))


@cache
def _body_phrases() -> tuple[str, ...]:
    return tuple(sorted(lexicon.government_bodies(), key=len, reverse=True))


def strip_dateline(sentence: str) -> tuple[str, str | None]:
    """Split "SEOUL, Nov. 5, 2015 - ..." into the sentence and its dateline place.

    >>> strip_dateline("CEBU, Philippines - Both Mandaue City and Mosul City signed.")[1]
    'CEBU, Philippines'
    """
    dated = _DATELINE_DATE.match(sentence)
    if dated:
        return sentence, dated["place"].strip()  # "Vientiane, August 9, 2021 - ..."
    m = _DATELINE.match(sentence)
    if not m:
        return sentence, None
    head = m["place"].split(",")[0].strip()
    if (
        len(head) < 3
        or not head.replace(" ", "").replace(".", "").replace("'", "").replace("-", "").isupper()
    ):
        return sentence, None
    return sentence, m["place"].strip()


# A capital not preceded by a word character, apostrophe or hyphen. The capital comes first and the
# look-behind after it (over the capital and the character before), so that the regex engine skips
# to capitals with a set test instead of trying the look-behind at every position: twice as fast.
_CAP = re.compile(
    r"[A-Z\u00c0-\u00de\u0100-\u024f\u0370-\u03ff\u0400-\u042f\u1e00-\u1eff](?<![\w'’-].)(?:[\w'\-]*[^\W_])?\.?"
)
_CONNECTOR_GAP = re.compile(r"\s+(?:(?:" + "|".join(sorted(_CONNECTORS)) + r")\s+)+", re.I)


@lru_cache(maxsize=4096)
def _runs(sentence: str) -> list[tuple[int, int, list[re.Match[str]]]]:
    """Maximal runs of capitalised tokens (with inner connectors), cut at titles and function words.

    Only capitalised words are visited (found by one regular expression); lower-case text between them
    is looked at as a gap: spaces, or connectors such as "of", "de la", keep a run going.

    >>> text = "Mayor Francisco de la Torre of Malaga met Seoul's mayor."
    >>> [text[s:e] for s, e, _ in _runs(text)]
    ['Francisco de la Torre of Malaga', 'Seoul']
    """
    titles = lexicon.title_words()
    breakers = _breakers()
    runs: list[tuple[int, int, list[re.Match[str]]]] = []
    current: list[re.Match[str]] = []

    def close() -> None:
        if current:
            runs.append((current[0].start(), current[-1].end(), list(current)))
            current.clear()

    previous_end = -1
    for tok in _CAP.finditer(sentence):
        word = tok.group()
        if not word[0].isupper():
            continue
        if current:
            gap = sentence[previous_end : tok.start()]
            if gap.isspace():
                pass
            elif _CONNECTOR_GAP.fullmatch(gap):  # "Francisco de la Torre", "Newcastle upon Tyne"
                current.extend(_WORD.finditer(sentence, previous_end, tok.start()))
            else:
                close()
        previous_end = tok.end()
        low = word.lower().rstrip(".")
        is_title = (
            low in titles or (low.endswith("s") and low[:-1] in titles) or low.rsplit("-", 1)[-1] in titles
        )
        if is_title or low in breakers:  # "Seoul and Ulaanbaatar Sign MOU on ...": a headline's verb
            close()
        elif not current and low in _STOP:
            continue
        elif word.endswith("'s") and low != "people's":
            # "Hobart's sister city", "South Africa's Cape Town": the name without its 's ends the run
            name = _CAP.match(sentence, tok.start(), tok.end() - 2)
            if name is not None and len(word) > 3:
                current.append(name)
            close()
        else:
            current.append(tok)
    close()
    return runs


@cache
def _breakers() -> frozenset[str]:
    """One-word signing cues and agreement words (ontology labels): in a title-case headline they are
    capitalised, but never part of a place's name."""
    words = set(vocab.signing_cues()) | set(vocab.agreement_type_labels())
    return frozenset(w for w in words if " " not in w)


@cache
def _body_edges() -> tuple[frozenset[str], frozenset[str]]:
    phrases = _body_phrases()
    return frozenset(p.split()[-1] for p in phrases), frozenset(p.split()[0] for p in phrases)


def _strip_body(text: str) -> tuple[str, str | None, bool]:
    """Remove a government-body phrase around a place name; say which kind it implies."""
    low = text.lower()
    words = low.split()
    last, first = _body_edges()
    if not words or (words[-1] not in last and words[0] not in first):
        return text, None, False
    for phrase in _body_phrases():
        if low.endswith(" " + phrase):
            return text[: -len(phrase) - 1].strip(), _body_kind(phrase), True
        if low.startswith(phrase + " of "):
            kind = _body_kind(phrase)
            rest = text[len(phrase) + 4 :].strip()
            rest = rest[4:] if rest.lower().startswith("the ") else rest
            return rest, kind, True
    return text, None, False


def _body_kind(phrase: str) -> str | None:
    """The kind a government body implies; a regional or district council is a local (city-level) one
    in most countries that have them ("Toowoomba Regional Council"), so it implies none."""
    local_council = phrase.endswith("council")
    return next(
        (
            KIND_WORDS[w]
            for w in phrase.split()
            if w in KIND_WORDS and not (local_council and w in ("regional", "district"))
        ),
        None,
    )


def _is_organisation(text: str) -> bool:
    words = {w.lower().strip(".,'") for w in text.split()}
    return bool(words & _org_words())


def _country_after(sentence: str, end: int, gaz: Gazetteer) -> str | None:
    tail = sentence[end : end + 60]
    for pattern in (_PAREN_COUNTRY, _OF_IN_COUNTRY, _COMMA_COUNTRY):
        m = pattern.match(tail)
        if m:
            name = m["c"].strip()
            code = gaz.country_code(name)
            if code:
                return code
            # "Grant County, Washington": a region named after a place gives its country; not a list
            # ("Penang, North Sumatra and Phuket"), where the region is the next party
            regions = {p.country for p in gaz.lookup(strip_admin_words(name)[0]) if p.kind == "region"}
            listed = re.match(r"\s*(?:,\s*)?and\s", tail[m.end() :])
            if len(regions) == 1 and pattern is not _OF_IN_COUNTRY and not listed:
                return regions.pop()
    return None


def _country_before(sentence: str, start: int, gaz: Gazetteer) -> str | None:
    head = sentence[max(0, start - 60) : start]
    if not head or not (head.endswith(("'s ", "' ")) or " the " in head):
        return None
    m = _DEMONYM_BEFORE.search(head)
    if m:
        return gaz.country_code(m["c"] or m["d"])
    return None


def _kind_after(sentence: str, end: int) -> tuple[str | None, int]:
    m = re.match(
        r"(\s*-do\b|\s+(?:provinces?|prefectures?|regions?|states?|county|counties|oblast|city|"
        r"municipality|district|territory)\b)",
        sentence[end:],
    )
    if m:
        word = m.group(1).strip().lower()
        plural = word.endswith("s") and word not in ("counties",) or word == "counties"
        # a plural ("Bac Giang and Xaysomboun provinces") types the names but is not part of them
        return KIND_WORDS.get(word, "region"), end if plural else end + m.end()
    return None, end


def _mention(
    sentence: str, start: int, end: int, gaz: Gazetteer, kind_hint: str | None, forced: bool
) -> PlaceMention | None:
    text = sentence[start:end]
    country = _country_after(sentence, end, gaz) or _country_before(sentence, start, gaz)
    if gaz.country_code(text):
        return PlaceMention(start, end, text, resolve(text), False, gaz.country_code(text) or "", "country")
    res = resolve(text, country=country, kind=kind_hint)
    base, _ = strip_admin_words(text)
    known = gaz.is_place_name(base) or gaz.is_place_name(text)
    if not known and not forced and country is None:
        return None
    if res.kind == "" and not forced and not known:
        return None
    return PlaceMention(start, end, text, res, known, country or res.country, "place", kind_hint)


def _known_subspans(sentence: str, toks: list[re.Match[str]], gaz: Gazetteer) -> list[tuple[int, int]]:
    """Greedy longest matches of index names inside a run that is not itself a name."""
    out: list[tuple[int, int]] = []
    i = 0
    limit = min(gaz.max_tokens(), 6)
    while i < len(toks):
        for j in range(min(len(toks), i + limit), i, -1):
            if toks[j - 1].group().lower() in _CONNECTORS:
                continue
            text = sentence[toks[i].start() : toks[j - 1].end()]
            if j - i == 1 and text.lower() in _COMPASS:
                continue  # "East" of "East Midlands" is not the place called East
            if gaz.is_place_name(text) or gaz.is_place_name(strip_admin_words(text)[0]):
                out.append((toks[i].start(), toks[j - 1].end()))
                i = j
                break
        else:
            i += 1
    return out


def find_places(
    sentence: str, gaz: Gazetteer | None = None, *, persons: list[tuple[int, int]] = ()
) -> list[PlaceMention]:
    """Every place mention in a sentence, in order, with its role.

    `persons` are character spans already read as people's names: a name is not a place.
    Sentences recur (officials and agreements both read them), so results are cached.
    """
    if gaz is None or gaz is Gazetteer.default():
        plain = _find_places_cached(sentence, ())
        if not any(ps < m.end and m.start < pe for m in plain for ps, pe in persons):
            return list(plain)  # no mention touches a person: the scan without them stands
        return list(_find_places_cached(sentence, tuple(persons)))
    return _find_places(sentence, gaz, persons)


@lru_cache(maxsize=4096)
def _find_places_cached(sentence: str, persons: tuple[tuple[int, int], ...]) -> tuple[PlaceMention, ...]:
    return tuple(_find_places(sentence, Gazetteer.default(), persons))


def _outside_persons(
    runs: list[tuple[int, int, list[re.Match[str]]]], persons: tuple[tuple[int, int], ...] | list
) -> Iterator[tuple[int, int, list[re.Match[str]]]]:
    """Runs with people's names cut out: "the President of Wrocław Jacek Sutkowski" keeps "Wrocław",
    "Mayor Sinlavong Khoutphaythoune of Vientiane" keeps "Vientiane"."""
    for start, end, toks in runs:
        if not any(ps < end and start < pe for ps, pe in persons):
            yield start, end, toks
            continue
        part: list[re.Match[str]] = []
        for tok in [*toks, None]:
            if tok is not None and not any(ps < tok.end() and tok.start() < pe for ps, pe in persons):
                part.append(tok)
                continue
            while part and part[0].group().lower() in _CONNECTORS:
                part.pop(0)
            while part and part[-1].group().lower() in _CONNECTORS:
                part.pop()
            if part:
                yield part[0].start(), part[-1].end(), part
            part = []


def _find_places(sentence: str, gaz: Gazetteer, persons) -> list[PlaceMention]:
    _, dateline = strip_dateline(sentence)
    mentions: list[PlaceMention] = []
    for start, end, toks in _outside_persons(_runs(sentence), persons):
        if sentence[end - 1] == "." and not re.search(r"\b(?:St|Mt|Ft|[A-Z])\.$", sentence[start:end]):
            end -= 1  # a sentence's full stop is not part of the name
        text = sentence[start:end]
        if gaz.country_code(text) and re.match(
            r"\s+(?:city|cities|province|provinces|state|states|region|regions|"
            r"town|towns|capital|prefecture|prefectures|county|oblast|"
            r"municipality|district)\b",
            sentence[end:],
            re.I,
        ):
            continue  # "the Polish city of Plock": an adjective of a country, not a place
        window = sentence[max(0, start - 70) : start]
        tail = window.rstrip()
        prefix = _PREFIX_KIND.search(window) if tail.endswith((" of", " of the", " Of")) else None
        kind_hint = None
        if prefix:
            word = prefix["kind"].lower()
            kind_hint = KIND_WORDS.get(word) or _TITLE_KIND.get(word)
        after_kind, new_end = _kind_after(sentence, end)
        if after_kind:
            kind_hint, end = after_kind, new_end
            text = sentence[start:end]
        stripped, body_kind, is_body = _strip_body(text)
        kind_hint = kind_hint or body_kind
        if is_body:
            offset = text.find(stripped) if stripped else 0
            start, end, text = start + max(offset, 0), start + max(offset, 0) + len(stripped), stripped
            if not text:
                continue
        elif _is_organisation(text):
            tail = re.search(r"\bof\s+(?:the\s+)?([A-Z][^,;]*)$", text)  # "Town Hall of Rambouillet"
            if tail and not _is_organisation(tail.group(1)):
                s0 = start + tail.start(1)
                m = _mention(sentence, s0, end, gaz, None, True)
                if m is not None and m.role != "country":
                    mentions.append(replace(m, role="venue"))
            continue
        forced = (
            bool(prefix)
            or bool(after_kind)
            or is_body
            or bool(_PAREN_COUNTRY.match(sentence[end:]) and _country_after(sentence, end, gaz))
        )
        base, admin_kind = strip_admin_words(text)
        forced = forced or admin_kind is not None
        named = forced or gaz.is_place_name(text) or gaz.country_code(text)
        if len(toks) == 1 and ((text.lower() in _COMPASS and not after_kind) or not named):
            continue  # one capitalised word that names nothing ("Officials", "Earlier") or a direction
        whole = _mention(sentence, start, end, gaz, kind_hint, forced)
        if whole is not None and (whole.known or forced or whole.role == "country"):
            mentions.append(whole)
            continue
        inner = [t for t in toks if t.start() >= start and t.end() <= end]
        spans = _known_subspans(sentence, inner, gaz)
        uncovered = [
            t.group().lower().rstrip(".")
            for t in inner
            if not any(s <= t.start() and t.end() <= e for s, e in spans)
        ]
        plain = uncovered and not any(w in _CONNECTORS or w in _lexicon_words() for w in uncovered)
        if spans and plain and len(inner) <= 4 and whole is None and spans[0][0] > inner[0].start():
            # "Great Yarmouth", "Puerto Morelos": a longer name ending in a known one is its own place
            # (not "Martín Lucero", a person whose first name is a town)
            whole = _mention(sentence, start, end, gaz, kind_hint, True)
            if whole is not None:
                mentions.append(whole)
                continue
        for s, e in spans:
            m = _mention(sentence, s, e, gaz, None, False)
            if m is not None:
                mentions.append(m)
        if whole is not None and not any(m.start >= start and m.end <= end for m in mentions):
            mentions.append(whole)
    mentions = _share_plural_kind(sentence, mentions, gaz)
    return [_with_role(sentence, m, mentions, dateline) for m in mentions]


def _share_plural_kind(sentence: str, mentions: list[PlaceMention], gaz: Gazetteer) -> list[PlaceMention]:
    """ "Bac Giang and Xaysomboun provinces": the plural kind word types every name it follows."""
    out = list(mentions)
    for i in range(len(out) - 1, 0, -1):
        hint = out[i].kind_hint
        if (
            hint
            and re.match(r"\s+\w+s\b", sentence[out[i].end :])
            and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", sentence[out[i - 1].end : out[i].start])
            and out[i - 1].role != "country"
            and out[i - 1].kind_hint is None
        ):
            prev = out[i - 1]
            res = resolve(prev.text, country=prev.country or None, kind=hint)
            out[i - 1] = replace(prev, resolution=res, kind_hint=hint)
    return out


def _with_role(
    sentence: str, m: PlaceMention, all_mentions: list[PlaceMention], dateline: str | None
) -> PlaceMention:
    if m.role == "country":
        return m
    if dateline and m.start < len(dateline) + 2:
        return replace(m, role="dateline")
    before = sentence[max(0, m.start - 60) : m.start]
    prev = [o for o in all_mentions if o.end <= m.start and o.role != "country"]
    if (
        prev
        and (
            _CONTAINER_GAP.fullmatch(sentence[prev[-1].end : m.start])
            or _CAPITAL_GAP.fullmatch(sentence[prev[-1].end : m.start])
        )
        and m.resolution.kind == "region"
        and prev[-1].role != "container"
    ) or (prev and _DISTRICT_GAP.fullmatch(sentence[prev[-1].end : m.start])):
        return replace(m, role="container")
    if (
        prev
        and sentence[prev[-1].end : m.start].strip() == ","
        and m.resolution.kind == "region"
        and (prev[-1].resolution.kind == "city" or _COUNTY.search(prev[-1].text))
        and (prev[-1].resolution.place is None or prev[-1].resolution.country == m.resolution.country)
    ):  # "Mandaue City, Cebu", "Grant County, Washington"; not "Nairobi, Gauteng sign pact"
        return replace(m, role="container")
    if (
        prev
        and sentence[prev[-1].end : m.start].strip() == ","
        and prev[-1].role in ("place", "venue")
        and _COMMA_COUNTRY.match(sentence[m.end :])
        and not m.known
    ):
        return replace(m, role="container")  # "Rambouillet, Seine-et-Oise, France"
    if _company_after().match(sentence, m.end):
        return replace(m, role="organisation")
    if _event_before().search(before):
        return replace(m, role="venue")
    if m.role == "venue" or _VENUE_BEFORE.search(before) or _ADDRESS_BEFORE.search(before):
        return replace(m, role="venue")
    if sentence.startswith("'s", m.end):
        return replace(m, role="possessive")  # "Hobart's sister city", "Johannesburg's experience"
    return m
