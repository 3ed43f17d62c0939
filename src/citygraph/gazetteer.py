"""The offline place index: cities, regions and countries with their Wikidata items.

The index lives in ``data/places`` (built by ``scripts/build_places.py`` from Natural Earth, the dr5hn
database and Wikidata's twinning network). It is loaded once per process; a lookup is one dict hit on a
normalised key, so the converter can test every span of every document.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from citygraph.resources import resource_dir

__all__ = ["Place", "Country", "Gazetteer", "normalise", "places_dir", "CITY_SUBTYPES"]

# dr5hn subtypes that denote a city-level unit: such a row is a city even when it is a division.
CITY_SUBTYPES = frozenset(
    {
        "city",
        "special city",
        "metropolitan city",
        "municipality",
        "urban municipality",
        "capital city",
        "autonomous city",
        "special municipality",
        "state city",
        "city with county rights",
        "special self-governing city",
        "town",
        "city municipality",
        "metropolitan administration",
        "capital district",
        "federal district",
    }
)
# How much a match on a secondary (foreign-language or doubtful) name counts against a main name.
WEAK_NAME = 0.3

_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
        "ħ": "h",
        "ŧ": "t",
    }
)
_KEY_ABBREV = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_ACRONYM = re.compile(r"\b[A-Za-z](?:\.[A-Za-z])+\b\.?")
_APOS = str.maketrans("", "", "'’‘`ʻʼ´")
_NONWORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 17)
def normalise(name: str) -> str:
    """The match key of a name, so that spelling variants of one name meet in one dict entry.

    Case, accents, apostrophes, hyphens, dots and spacing do not count; St/Ste/Mt/Ft are spelt out.

    >>> normalise("São Paulo")
    'sao paulo'
    >>> normalise("  Gyeonggi-do ")
    'gyeonggi do'
    >>> normalise("St. Petersburg") == normalise("Saint-Petersburg")
    True
    >>> normalise("Xi’an"), normalise("Płock"), normalise("Đà Nẵng")
    ('xian', 'plock', 'da nang')
    >>> normalise("U.S.A."), normalise("Washington, D.C"), normalise("People's Committee")
    ('usa', 'washington dc', 'peoples committee')
    """
    text = _ACRONYM.sub(_join_acronym, name) if "." in name else name
    if not text.isascii():
        text = text.translate(_FOLD)
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    tokens = _NONWORD.sub(" ", text.casefold().translate(_APOS)).split()
    return " ".join([_KEY_ABBREV.get(t, t) for t in tokens])


def _join_acronym(match: re.Match[str]) -> str:
    return match.group(0).replace(".", "")


@dataclass(frozen=True)
class Place:
    """A city or region of the index; ``qid`` is None for the few places no source identifies."""

    qid: str | None
    name: str
    kind: str  # "city" | "region"
    country: str  # ISO 3166-1 alpha-2, "" if unknown
    population: int = 0
    admin1: str = ""
    subtype: str = ""  # dr5hn division type ("province", "prefecture", "special city"...), "" if none
    aliases: tuple[str, ...] = ()
    level: int = 0  # 1 first-level division, 2 second-level, 0 not a division
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Country:
    iso2: str
    qid: str
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()


def places_dir() -> Path:
    return resource_dir("data") / "places"


def _rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            yield cells + [""] * (len(header) - len(cells))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(cell.split("|")) if cell else ()


def _float(cell: str) -> float | None:
    return float(cell) if cell else None


def _is_acronym(alias: str) -> bool:
    """Short capitalised aliases (US, UK, ROK) are only trusted when written in capitals."""
    letters = alias.replace(".", "").replace(" ", "")
    return 2 <= len(letters) <= 4 and letters.isalpha() and sum(c.isupper() for c in letters) >= 2


class Gazetteer:
    """Places and countries by normalised name, and by QID or ISO code."""

    def __init__(
        self, places: Iterable[tuple[Place, tuple[str, ...], tuple[str, ...]]], countries: Iterable[Country]
    ) -> None:
        """``places`` gives each place with its main names and its weak (secondary) names."""
        index: dict[str, list[tuple[Place, float]]] = {}
        by_qid: dict[str, Place] = {}
        for place, strong, weak in places:
            if place.qid:
                by_qid[place.qid] = place
            for names, strength in ((strong, 1.0), (weak, WEAK_NAME)):
                for name in names:
                    k = normalise(name)
                    entry = index.get(k)
                    if entry is None:
                        index[k] = [(place, strength)]
                    elif not any(p is place for p, _ in entry):  # a main name was seen first
                        entry.append((place, strength))
        index.pop("", None)
        self._index: dict[str, tuple[tuple[Place, float], ...]] = {
            k: tuple(v) if len(v) == 1 else tuple(sorted(v, key=_match_order)) for k, v in index.items()
        }
        self._by_qid = by_qid
        self._max_tokens = max((k.count(" ") + 1 for k in self._index), default=1)
        self._countries: dict[str, Country] = {}
        self._name_keys: dict[str, str] = {}
        self._demonym_keys: dict[str, str] = {}
        self._acronyms: dict[str, str] = {}
        for country in sorted(countries, key=lambda c: c.iso2):
            self._countries[country.iso2] = country
            for name in (country.name, *country.aliases, *country.demonyms):
                if _is_acronym(name):
                    self._acronyms.setdefault(_compact(name).upper(), country.iso2)
            for name in (country.name, *country.aliases):
                if not _is_acronym(name):
                    self._name_keys.setdefault(normalise(_drop_the(name)), country.iso2)
            for name in country.demonyms:
                self._demonym_keys.setdefault(normalise(name), country.iso2)
        # England, Scotland, Wales, Northern Ireland: regions of the index that name a country's part.
        self._constituents = {normalise(p.name): p.country for p in by_qid.values() if p.subtype == "country"}
        self._country_codes: dict[str, str | None] = {}  # every capitalised run is asked; a bounded memo

    # -- loading -------------------------------------------------------------------------------------

    @classmethod
    def load(cls, folder: Path) -> Gazetteer:
        """Read the TSVs of ``folder``; a region row naming a city's QID adds to that city."""
        cities: dict[str, list] = {}
        order: list[str] = []
        for n, c in enumerate(_rows(folder / "cities.tsv")):
            qid, name, kind, country, admin1, pop, lat, lon, aliases, other = c[:10]
            ident = qid or f"#c{n}"
            cities[ident] = [
                dict(
                    qid=qid or None,
                    name=name,
                    kind=kind,
                    country=country,
                    population=int(pop or 0),
                    admin1=admin1,
                    lat=_float(lat),
                    lon=_float(lon),
                ),
                [name, *_split(aliases)],
                list(_split(other)),
            ]
            order.append(ident)
        for n, c in enumerate(_rows(folder / "regions.tsv")):
            qid, name, kind, subtype, country, _iso, level, pop, lat, lon, aliases = c[:11]
            if qid and qid in cities:
                fields, strong, _weak = cities[qid]
                fields.update(subtype=subtype, level=int(level or 0))
                strong += [name, *_split(aliases)]
                continue
            ident = qid or f"#r{n}"
            cities[ident] = [
                dict(
                    qid=qid or None,
                    name=name,
                    kind=kind,
                    country=country,
                    subtype=subtype,
                    level=int(level or 0),
                    population=int(pop or 0),
                    lat=_float(lat),
                    lon=_float(lon),
                ),
                [name, *_split(aliases)],
                [],
            ]
            order.append(ident)
        stop = _stoplist(folder / "alias_stoplist.txt")
        places = []
        for ident in order:
            fields, strong, weak = cities[ident]
            strong = [a for i, a in enumerate(strong) if i == 0 or normalise(a) not in stop]
            weak = [a for a in weak if normalise(a) not in stop]
            seen = {normalise(fields["name"])}
            aliases = []
            for alias in [*strong, *weak]:
                k = normalise(alias)
                if k not in seen:
                    seen.add(k)
                    aliases.append(alias)
            places.append((Place(aliases=tuple(aliases), **fields), tuple(strong), tuple(weak)))
        countries = [
            Country(
                iso2=c[0],
                qid=c[1],
                name=c[2],
                aliases=tuple(a for a in (c[3], *_split(c[4])) if a and _latin(a)),
                demonyms=_split(c[5]),
            )
            for c in _rows(folder / "countries.tsv")
        ]
        return cls(places, countries)

    @classmethod
    def default(cls) -> Gazetteer:
        """The index shipped with citygraph, loaded once per process."""
        return _default()

    # -- queries -------------------------------------------------------------------------------------

    def lookup(self, name: str) -> list[Place]:
        """Every place having ``name`` as name or alias (main names first, then by population)."""
        return [place for place, _ in self._index.get(normalise(name), ())]

    def matches(self, name: str) -> tuple[tuple[Place, float], ...]:
        """Like lookup, with how much each match counts (1.0 main name, less for a secondary name)."""
        return self._index.get(normalise(name), ())

    def is_place_name(self, name: str) -> bool:
        return normalise(name) in self._index

    def max_tokens(self) -> int:
        """Longest indexed name in tokens: spans longer than this need not be looked up."""
        return self._max_tokens

    def country(self, iso2: str) -> Country | None:
        return self._countries.get(iso2.upper())

    def countries(self) -> list[Country]:
        return list(self._countries.values())

    def country_code(self, text: str) -> str | None:
        """ISO code of a country named or qualified by ``text`` ("Laos", "Lao", "RoK", "U.S.", "Korean").

        None when the text is no country name or demonym; England, Scotland and Wales give GB."""
        try:
            return self._country_codes[text]
        except KeyError:
            if len(self._country_codes) > 50_000:
                self._country_codes.clear()
            found = self._country_codes[text] = self._country_code(text)
            return found

    def _country_code(self, text: str) -> str | None:
        raw = _drop_the(text)
        acronym = self._acronym(raw)
        if acronym is not None:
            return acronym or None
        k = normalise(raw)
        found = self._name_keys.get(k) or self._demonym_keys.get(k) or self._constituents.get(k)
        if found is None and " of " in raw:  # "the Republic of Kazakhstan", "the Kingdom of Morocco"
            short = _STATE_FORM.sub("", raw)
            if short != raw:
                return self._name_keys.get(normalise(short))
        return found

    def names_country(self, text: str) -> str | None:
        """ISO code when ``text`` is itself a country's name, alias or demonym ("Laos", "Korea", "USA",
        "Korean"), so not a city or region; None otherwise, also for England or Scotland."""
        raw = _drop_the(text)
        acronym = self._acronym(raw)
        if acronym is not None:
            return acronym or None
        k = normalise(raw)
        return self._name_keys.get(k) or self._demonym_keys.get(k)

    def _acronym(self, raw: str) -> str | None:
        """ISO code for a capitalised acronym, "" for the same letters in lower case ("us"), else None."""
        compact = _compact(raw).upper()
        if compact not in self._acronyms:
            return None
        return self._acronyms[compact] if _is_acronym(raw) else ""

    def by_qid(self, qid: str) -> Place | None:
        return self._by_qid.get(qid)

    def places(self) -> Iterator[Place]:
        return iter(self._by_qid.values())

    def __len__(self) -> int:
        return len(self._by_qid)


def _match_order(match: tuple[Place, float]) -> tuple[float, int, str]:
    return (-match[1], -match[0].population, match[0].qid or "")


def _compact(text: str) -> str:
    return text.replace(".", "").replace(" ", "")


def _drop_the(text: str) -> str:
    text = text.strip()
    return text[4:] if text[:4].lower() == "the " else text


def _stoplist(path: Path) -> frozenset[str]:
    """Everyday words that sources list as aliases; they would make "Great Yarmouth" a place "Great"."""
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(normalise(x) for x in lines if x.strip() and not x.startswith("#"))


def _latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


# The formal style before a country's short name; "the Democratic Republic of the Congo" keeps it, as
# that whole name is in the index and is tried first
_STATE_FORM = re.compile(
    r"^(?:the\s+)?(?:(?:federal|united|islamic|socialist|democratic|people's|arab|federative|plurinational|"
    r"bolivarian|hashemite|grand)\s+)*(?:republic|kingdom|state|commonwealth|sultanate|emirate|principality|"
    r"grand duchy)\s+of\s+(?:the\s+)?",
    re.I,
)


@cache
def _default() -> Gazetteer:
    """Load the shipped index, then move it out of the cycle collector's sight.

    The index is a few hundred thousand objects that live as long as the process; without
    `gc.freeze` every full collection walks all of them again (a few per cent of the converter's time).
    """
    gaz = Gazetteer.load(places_dir())
    gc.collect()
    gc.freeze()
    return gaz
