"""Resolve a place mention, as a press release writes it, to a Wikidata item, or honestly to none.

A mention is first reduced to the place's name ("Gyeonggi provincial government" -> "Gyeonggi", kind
region). The index then gives the candidates; the evidence that picks one is, in order: the country the
text names near the mention (a hard filter), the kind the words imply (province/state -> region, "City
of", "X City" -> city), the kind of administrative unit named ("Vientiane Prefecture" vs "Province"),
and the population as a prior. When the evidence leaves two candidates close, no place is chosen and
the candidates are returned for a report: the linker never guesses silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from citygraph.gazetteer import Gazetteer, Place, normalise

__all__ = ["Resolution", "resolve", "strip_admin_words", "link_report", "kind_of"]

CITY, REGION = "city", "region"
# A city at least this large is what a bare name means, even when a region shares the name (Lagos).
BIG_CITY = 50_000
# Population assumed when a source gives none: small for cities (the twinning network lists towns), a
# first-level region is assumed large.
UNKNOWN_CITY_POP = 10_000
UNKNOWN_REGION_POP = {1: 1_000_000, 2: 200_000}
# The best candidate must carry this share of the evidence (3:1 against a single rival).
MIN_SHARE = 0.75
MIN_SCORE = 0.6  # a match on a secondary name alone needs the country hint to pass
MAX_CANDIDATES = 10
# Confidence of a match on a secondary name only (foreign-language or doubtful alias).
WEAK_QUALITY = 0.6

# Words naming the government or its organ, not the place: removed wherever they stand at the end.
_GOVERNMENT_SUFFIXES: tuple[tuple[str, str | None], ...] = tuple(
    sorted(
        [
            ("metropolitan government", CITY),
            ("metropolitan city council", CITY),
            ("metropolitan council", CITY),
            ("metropolitan city government", CITY),
            ("municipal government", CITY),
            ("city government", CITY),
            ("city council", CITY),
            ("city hall", CITY),
            ("town council", CITY),
            ("town hall", CITY),
            ("municipal council", CITY),
            ("municipal corporation", CITY),
            ("city corporation", CITY),
            ("municipal people's committee", CITY),
            ("municipal people's government", CITY),
            ("municipal people's congress", CITY),
            ("city people's committee", CITY),
            ("city people's government", CITY),
            ("city executive committee", CITY),
            ("mayor's office", CITY),
            ("provincial government", REGION),
            ("provincial people's committee", REGION),
            ("provincial people's government", REGION),
            ("provincial council", REGION),
            ("provincial assembly", REGION),
            ("prefectural government", REGION),
            ("prefectural assembly", REGION),
            ("state government", REGION),
            ("regional government", REGION),
            ("regional administration", REGION),
            ("regional council", REGION),
            ("regional executive committee", REGION),
            ("county government", REGION),
            ("county council", REGION),
            ("county commission", REGION),
            ("oblast administration", REGION),
            ("governor's office", REGION),
            ("people's committee", None),
            ("people's government", None),
            ("people's congress", None),
            ("government", None),
            ("administration", None),
            ("council", None),
            ("assembly", None),
            ("authorities", None),
            ("executive committee", None),
            ("office", None),
        ],
        key=lambda p: -len(p[0]),
    )
)
# Words that lead into the government or the place: "People's Committee of X", "City of X".
_PREFIXES: tuple[tuple[str, str | None, str | None], ...] = tuple(
    sorted(
        [
            ("people's committee of", None, None),
            ("municipal people's committee of", CITY, None),
            ("government of", None, None),
            ("city government of", CITY, None),
            ("provincial government of", REGION, "province"),
            ("administration of", None, None),
            ("mayor of", CITY, None),
            ("governor of", None, None),
            ("city of", CITY, None),
            ("municipality of", CITY, "municipality"),
            ("town of", CITY, None),
            ("county borough of", CITY, None),
            ("borough of", CITY, None),
            ("metropolitan city of", CITY, None),
            ("province of", REGION, "province"),
            ("state of", REGION, "state"),
            ("prefecture of", REGION, "prefecture"),
            ("region of", REGION, "region"),
            ("county of", REGION, "county"),
            ("district of", REGION, "district"),
            ("governorate of", REGION, "governorate"),
            ("autonomous community of", REGION, "autonomous community"),
            ("community of", REGION, None),
            ("commonwealth of", REGION, None),
        ],
        key=lambda p: -len(p[0]),
    )
)
# The place's own designator after its name: kind and the unit it names.
_DESIGNATORS: tuple[tuple[str, str, str | None], ...] = tuple(
    sorted(
        [
            ("special metropolitan city", CITY, None),
            ("metropolitan city", CITY, None),
            ("special city", CITY, None),
            ("city", CITY, None),
            ("municipality", CITY, "municipality"),
            ("town", CITY, None),
            ("township", CITY, None),
            ("metropolis", CITY, None),
            ("metropolitan", CITY, None),
            ("special administrative region", REGION, "special administrative region"),
            ("special self-governing province", REGION, None),
            ("special self-governing city", CITY, None),
            ("sar", REGION, "special administrative region"),
            ("autonomous region", REGION, "autonomous region"),
            ("autonomous community", REGION, "autonomous community"),
            ("province", REGION, "province"),
            ("prefecture", REGION, "prefecture"),
            ("state", REGION, "state"),
            ("region", REGION, "region"),
            ("oblast", REGION, "oblast"),
            ("krai", REGION, "krai"),
            ("governorate", REGION, "governorate"),
            ("county", REGION, "county"),
            ("district", REGION, "district"),
            ("department", REGION, "department"),
            ("canton", REGION, "canton"),
            ("voivodeship", REGION, "voivodship"),
            ("voivodship", REGION, "voivodship"),
            ("emirate", REGION, "emirate"),
            ("union territory", REGION, "union territory"),
            ("territory", REGION, "territory"),
        ],
        key=lambda p: -len(p[0]),
    )
)
# Korean and Japanese romanised suffixes: Gyeonggi-do, Suwon-si, Aichi-ken, Kyoto-fu, Tokyo-to.
_HYPHEN_SUFFIX = re.compile(r"-(do|si|shi|gun|ken|fu|to)$", re.IGNORECASE)
_HYPHEN_KIND = {
    "do": (REGION, "province"),
    "si": (CITY, None),
    "shi": (CITY, None),
    "gun": (REGION, "county"),
    "ken": (REGION, "prefecture"),
    "fu": (REGION, "prefecture"),
    "to": (REGION, "prefecture"),
}
# Which dr5hn subtypes a designator word names ("Vientiane Prefecture" is LA-VT, not the province).
_SUBTYPE_WORDS = {
    "province": ("province",),
    "prefecture": ("prefecture",),
    "state": ("state",),
    "county": ("county",),
    "oblast": ("oblast", "administrative region", "region"),
    "krai": ("administrative territory",),
    "governorate": ("governorate",),
    "department": ("department",),
    "district": ("district",),
    "municipality": ("municipality",),
    "voivodship": ("voivodship",),
    "canton": ("canton",),
    "emirate": ("emirate",),
    "union territory": ("union territory",),
    "territory": ("territory",),
    "autonomous region": ("autonomous region",),
    "autonomous community": ("autonomous community",),
    "special administrative region": ("special administrative region",),
}
_CALLER_KINDS = {
    "city": CITY,
    "town": CITY,
    "municipality": CITY,
    "village": CITY,
    "region": REGION,
    "province": REGION,
    "state": REGION,
    "prefecture": REGION,
    "county": REGION,
    "oblast": REGION,
    "district": REGION,
    "governorate": REGION,
    "department": REGION,
    "territory": REGION,
}
_TRAILING_JUNK = re.compile(r"(['’]s|[\s.,;:!?\"“”'’\]\[-])+$")
_LEADING_JUNK = re.compile(r"^[\s\"“”'‘’\[-]+")
_QUALIFIER = re.compile(r"^(?P<name>.+?)\s*(?:,\s*(?P<c1>[^,()]+)|\((?P<c2>[^()]+)\))$")


@dataclass(frozen=True)
class Resolution:
    mention: str  # as written
    label: str  # clean display label
    kind: str  # "city" | "region"; "" when the mention is a country
    country: str  # ISO2 or ""
    place: Place | None  # chosen; None when unresolved or ambiguous
    score: float  # confidence of the choice in [0, 1]
    candidates: tuple[tuple[Place, float], ...]  # scored, best first

    @property
    def qid(self) -> str | None:
        return self.place.qid if self.place else None


@dataclass(frozen=True)
class _Parsed:
    full: str  # the mention without government words: "Ho Chi Minh City", "Lagos State"
    core: str  # the bare name: "Ho Chi Minh", "Lagos"
    kind: str | None  # kind the words imply
    unit: str | None  # designator word naming a unit type ("prefecture"), if any
    designator: str  # the designator as written ("Province", "City", "-do"), "" if none
    stripped: bool  # whether any admin or government word was found


def _tidy(text: str) -> str:
    text = _LEADING_JUNK.sub("", _TRAILING_JUNK.sub("", " ".join(text.replace("\u00a0", " ").split())))
    if text.count("(") != text.count(")"):  # an unbalanced bracket is punctuation, not a qualifier
        text = _tidy(text.replace("(", " ").replace(")", " "))
    return text


@lru_cache(maxsize=1 << 14)
def _parse(mention: str) -> _Parsed:
    text = _tidy(mention)
    kind: str | None = None
    unit: str | None = None
    stripped = False
    changed = True
    while changed and text:
        changed = False
        low = text.lower().replace("’", "'")
        if low.startswith("the "):
            text, low, changed = text[4:].lstrip(), low[4:].lstrip(), True
        for prefix, p_kind, p_unit in _PREFIXES:
            if low.startswith(prefix + " "):
                text = text[len(prefix) + 1 :].lstrip()
                kind, unit = kind or p_kind, unit or p_unit
                changed = stripped = True
                break
        low = text.lower().replace("’", "'")
        for suffix, s_kind in _GOVERNMENT_SUFFIXES:
            if low.endswith(" " + suffix) and len(low) > len(suffix) + 1:
                text = _tidy(text[: -len(suffix) - 1])
                kind = kind or s_kind
                changed = stripped = True
                break
    full = text
    core, designator = text, ""
    low = text.lower()
    for word, d_kind, d_unit in _DESIGNATORS:
        if low.endswith(" " + word) and len(low) > len(word) + 1:
            core, designator = _tidy(text[: -len(word) - 1]), text[-len(word) :]
            kind, unit = kind or d_kind, unit or d_unit
            break
    else:
        match = _HYPHEN_SUFFIX.search(text)
        if match and match.start() > 1:
            core, designator = text[: match.start()], match.group(0)
            h_kind, h_unit = _HYPHEN_KIND[match.group(1).lower()]
            kind, unit = kind or h_kind, unit or h_unit
    return _Parsed(
        full=full,
        core=core or full,
        kind=kind,
        unit=unit,
        designator=designator,
        stripped=stripped or bool(designator),
    )


def strip_admin_words(mention: str) -> tuple[str, str | None]:
    """The place's bare name and the kind its words imply, so that name variants meet in the index.

    >>> strip_admin_words("Gyeonggi Province")
    ('Gyeonggi', 'region')
    >>> strip_admin_words("the Gyeonggi provincial government")
    ('Gyeonggi', 'region')
    >>> strip_admin_words("Gyeonggi-do")
    ('Gyeonggi', 'region')
    >>> strip_admin_words("City of Lagos"), strip_admin_words("Lagos State")
    (('Lagos', 'city'), ('Lagos', 'region'))
    >>> strip_admin_words("Mandaue City"), strip_admin_words("Grant County")
    (('Mandaue', 'city'), ('Grant', 'region'))
    >>> strip_admin_words("Seoul Metropolitan Government")
    ('Seoul', 'city')
    >>> strip_admin_words("Delhi government"), strip_admin_words("Kaohsiung City Council")
    (('Delhi', None), ('Kaohsiung', 'city'))
    >>> strip_admin_words("People's Committee of Ho Chi Minh City")
    ('Ho Chi Minh', 'city')
    >>> strip_admin_words("Province of Cebu"), strip_admin_words("State of Washington")
    (('Cebu', 'region'), ('Washington', 'region'))
    >>> strip_admin_words("municipality of Tromsø"), strip_admin_words("Grodno Oblast")
    (('Tromsø', 'city'), ('Grodno', 'region'))
    >>> strip_admin_words("Paris")
    ('Paris', None)
    """
    parsed = _parse(mention)
    return parsed.core, parsed.kind


def kind_of(word: str | None) -> str | None:
    """Map a kind word ("province", "state", "city", "other") to "city", "region" or None."""
    return _CALLER_KINDS.get((word or "").strip().lower())


def _label(parsed: _Parsed) -> str:
    """Display label of an unresolved mention: its name, with the designator capitalised."""
    if parsed.designator and not parsed.designator.startswith("-") and parsed.designator.islower():
        return parsed.full[: -len(parsed.designator)] + parsed.designator.title()
    return parsed.full


def _prior(place: Place) -> float:
    if place.population > 0:
        return float(place.population)
    if place.kind == REGION:
        return float(UNKNOWN_REGION_POP.get(place.level, 200_000))
    return float(UNKNOWN_CITY_POP)


def _unit_matches(unit: str | None, place: Place) -> bool:
    return bool(unit) and place.subtype in _SUBTYPE_WORDS.get(unit or "", ())


def resolve(
    mention: str, *, country: str | None = None, kind: str | None = None, gazetteer: Gazetteer | None = None
) -> Resolution:
    """Resolve ``mention`` given the country named near it and the kind the caller knows, if any.

    ``kind`` accepts "city"/"region" and also "province", "state", "county"...; the mention's own words
    win over it. The result's ``place`` is None when nothing or more than one place fits."""
    if gazetteer is None:
        return _resolve_default(mention, (country or "").upper(), kind_of(kind) or "")
    return _resolve(gazetteer, mention, (country or "").upper(), kind_of(kind))


@lru_cache(maxsize=1 << 14)
def _resolve_default(mention: str, country: str, kind: str) -> Resolution:
    return _resolve(Gazetteer.default(), mention, country, kind or None)


def _resolve(g: Gazetteer, mention: str, hint: str, caller_kind: str | None) -> Resolution:
    parsed = _parse(mention)
    # "Armenia (Colombia)", "Dunedin, New Zealand": a trailing country is the country hint.
    qualified = _QUALIFIER.match(parsed.full)
    if qualified and not g.is_place_name(parsed.full):
        named = g.country_code(qualified.group("c1") or qualified.group("c2") or "")
        if named and (not hint or named == hint):
            inner = _resolve(g, qualified.group("name"), named, parsed.kind or caller_kind)
            return Resolution(
                mention, inner.label, inner.kind, inner.country, inner.place, inner.score, inner.candidates
            )
    want = parsed.kind or caller_kind
    matches: dict[Place, float] = {}
    for text in dict.fromkeys((parsed.full, parsed.core)):
        for place, strength in g.matches(text):
            matches[place] = max(matches.get(place, 0.0), strength)
    if not matches and parsed.core.lower().startswith("greater "):  # "Greater Amman Municipality": Amman
        matches = dict(g.matches(parsed.core[8:]))

    named_country = None if parsed.stripped else g.names_country(parsed.full)
    if named_country:
        state = g.country(named_country)
        same = [p for p in matches if state and p.qid == state.qid]
        if same:  # a city-state: Singapore, Monaco, Hong Kong are both
            place = same[0]
            return Resolution(
                mention, place.name, want or place.kind, place.country, place, 0.9, ((place, 0.9),)
            )
        if not hint or hint == named_country:
            return Resolution(mention, parsed.full, "", named_country, None, 0.0, ())

    pool, others, kind_doubt = _pool(matches, hint, want)
    weights = {
        p: _prior(p)
        * matches[p]
        * (1.0 if not hint or p.country == hint else 0.5)
        * (10.0 if _unit_matches(parsed.unit, p) else 1.0)
        * factor
        for p, factor in pool.items()
    }
    total = sum(weights.values())
    scored = []
    for place, weight in weights.items():
        share = weight / total if total else 0.0
        quality = 1.0 if matches[place] >= 1.0 else WEAK_QUALITY
        quality *= 1.0 if hint and place.country == hint else (0.95 if not hint else 0.7)
        scored.append((place, round(min(share * quality * kind_doubt, 1.0), 3), share))
    scored.sort(key=lambda t: (-t[2], -t[1], t[0].qid or "", t[0].name))
    candidates = tuple((p, s) for p, s, _ in scored) + tuple((p, 0.0) for p in others)
    candidates = candidates[:MAX_CANDIDATES]
    chosen = scored[0] if scored and scored[0][2] >= MIN_SHARE and scored[0][1] >= MIN_SCORE else None
    if chosen is None:
        return Resolution(mention, _label(parsed), want or CITY, hint, None, 0.0, candidates)
    place = chosen[0]
    return Resolution(
        mention, place.name, want or place.kind, place.country or hint, place, chosen[1], candidates
    )


def _pool(
    matches: dict[Place, float], hint: str, want: str | None
) -> tuple[dict[Place, float], list[Place], float]:
    """Candidates that may be chosen (with a weight factor), the rest, and a confidence factor.

    The country hint is a hard filter; the kind is one when known. Without a kind, a big city of the
    name wins over a region (Lagos, Sao Paulo), else a region wins over small towns (Gyeonggi)."""
    allowed = [p for p in matches if not hint or not p.country or p.country == hint]
    cities = [p for p in allowed if p.kind == CITY]
    regions = [p for p in allowed if p.kind == REGION]
    doubt = 1.0
    if want == CITY:
        pool = {p: 1.0 for p in cities}
    elif want == REGION:
        # A city that is also a first-level unit (Seoul, Shanghai, Delhi) is a region too, but a true
        # region of the name comes first (Minsk Region over Minsk).
        divisions = [p for p in cities if p.subtype]
        pool = {p: 1.0 for p in regions} | {p: (0.1 if regions else 1.0) for p in divisions}
    elif any(p.population >= BIG_CITY and matches[p] >= 1.0 for p in cities) or not regions:
        pool = {p: 1.0 for p in cities}
        doubt = 0.9 if regions else 1.0
    else:
        pool = {p: 1.0 for p in regions}
        doubt = 0.85 if cities else 1.0
    if want != REGION:  # "Palermo": the city, not the metropolitan city (a division) of the same name
        plain = {p.country for p in pool if p.kind == CITY and not p.subtype}
        pool = {
            p: f * (0.2 if p.kind == CITY and p.subtype and p.country in plain else 1.0)
            for p, f in pool.items()
        }
    others = sorted((p for p in matches if p not in pool), key=lambda p: (-p.population, p.qid or ""))
    return pool, others, doubt


def link_report(resolutions: list[Resolution]) -> list[dict]:
    """Unresolved place mentions with their candidates, for ``citygraph link --report``.

    Country mentions are left out (they are not places); each mention is listed once per country."""
    seen: set[tuple[str, str, str]] = set()
    report = []
    for res in resolutions:
        ident = (normalise(res.mention), res.country, res.kind)
        if res.place is not None or not res.kind or ident in seen:
            continue
        seen.add(ident)
        report.append(
            {
                "mention": res.mention,
                "label": res.label,
                "kind": res.kind,
                "country": res.country,
                "candidates": [
                    {
                        "qid": p.qid,
                        "name": p.name,
                        "kind": p.kind,
                        "country": p.country,
                        "admin1": p.admin1,
                        "subtype": p.subtype,
                        "population": p.population,
                        "score": score,
                    }
                    for p, score in res.candidates
                ],
            }
        )
    report.sort(key=lambda r: (normalise(r["mention"]), r["country"]))
    return report
