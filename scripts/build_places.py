#!/usr/bin/env python3
"""Build citygraph's offline place index (data/places/*.tsv) from the open sources in ../shared.

Inputs (read-only):
  gazetteer/natural_earth_10m_populated_places_v4.0.0.csv   cities, CC0
  gazetteer/dr5hn_states.csv, gazetteer/dr5hn_countries.csv  regions and countries, ODbL 1.0
  twinnings/nodes.tsv, twinnings/links.tsv                   Wikidata P190 network, CC0
  data/places/extra_aliases.tsv, country_aliases.tsv, country_fixes.tsv   curated facts (this repo)

Outputs: cities.tsv (CC0-derived), regions.tsv and countries.tsv (ODbL, kept apart), twinnings.tsv (CC0),
LICENSES.md. Rows and alias lists are sorted, so re-running gives byte-identical files.

    python scripts/build_places.py --shared ../shared --out data/places
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NE_FILE = "gazetteer/natural_earth_10m_populated_places_v4.0.0.csv"
STATES_FILE = "gazetteer/dr5hn_states.csv"
COUNTRIES_FILE = "gazetteer/dr5hn_countries.csv"

# Natural Earth writes -99 for a few disputed units; these are their ISO 3166-1 (de jure) codes.
NE_A3_FALLBACK = {"KOS": "XK", "CYN": "CY", "SOL": "SO", "SAH": "EH"}
# The twinning network's own non-ISO codes.
TWIN_CC_FIX = {"CN-TW": "TW", "XC": "CY", "XS": "SO"}

# dr5hn subtypes that denote a city-level local government rather than a region.
CITY_SUBTYPES = frozenset({
    "city", "special city", "metropolitan city", "municipality", "urban municipality", "capital city",
    "autonomous city", "special municipality", "state city", "city with county rights",
    "special self-governing city", "town", "city municipality", "metropolitan administration",
    "capital district", "federal district",
})
# Second-level dr5hn rows worth keeping (regions that sign agreements); other children are districts,
# boroughs and villages that would only add noise.
CHILD_SUBTYPES_KEPT = frozenset({
    "province", "county", "metropolitan department", "prefecture", "two-tier county", "unitary authority",
    "council area", "regional unit", "metropolitan city", "free municipal consortium",
    "decentralized regional entity", "autonomous province", "department",
})
SUBTYPES_DROPPED = frozenset({"military postal region", "village", "ward", "quarter", "sheadings", "chain"})
# Regions whose dr5hn row duplicates a country (its name is a country's name, or a contested claim).
ISO3166_2_DROPPED = frozenset({"CN-TW"})
# Countries where "X City" is the usual English name of a city (Mandaue City, Komaki City, Hue City).
CITY_SUFFIX_COUNTRIES = frozenset({"PH", "KR", "KP", "JP", "CN", "TW", "VN", "LA", "KH", "TH", "MY", "ID"})
# English words used after a region's name, by dr5hn subtype.
SUBTYPE_SUFFIXES = {
    "province": ("Province",), "autonomous province": ("Province",), "prefecture": ("Prefecture",),
    "state": ("State",), "region": ("Region",), "oblast": ("Oblast", "Region"),
    "administrative region": ("Oblast", "Region"), "administrative territory": ("Krai", "Territory"),
    "county": ("County",), "two-tier county": ("County",), "governorate": ("Governorate",),
    "department": ("Department",), "metropolitan department": ("Department",), "canton": ("Canton",),
    "voivodship": ("Voivodeship", "Province"), "emirate": ("Emirate",), "territory": ("Territory",),
    "union territory": ("Union Territory",), "autonomous region": ("Autonomous Region",),
    "autonomous community": ("Autonomous Community",), "republic": ("Republic",),
    "special self-governing province": ("Province",), "metropolitan city": ("Metropolitan City",),
    "municipality": ("Municipality",), "special city": ("Special City",),
}
# Trailing or leading admin words removed from dr5hn names to get the bare name as an alias.
_NAME_ADMIN_SUFFIX = re.compile(
    r"\s+(province|prefecture|region|oblast|county|state|governorate|district|department|municipality|"
    r"city|krai|territory)$", re.IGNORECASE)
_NAME_ADMIN_PREFIX = re.compile(r"^(community|region|city|province|state|municipality) of\s+", re.IGNORECASE)

_FOLD = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ø": "o", "Ø": "O",
                       "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th",
                       "Þ": "Th", "ħ": "h", "ŧ": "t"})
_KEY_ABBREV = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_ACRONYM = re.compile(r"\b[A-Za-z](?:\.[A-Za-z])+\b\.?")
_APOS = re.compile(r"['’‘`ʻʼ´]")
_NONWORD = re.compile(r"[\W_]+")


def key(name: str) -> str:
    """Match key, identical to citygraph.gazetteer.normalise (kept local so the build has no imports)."""
    text = _ACRONYM.sub(lambda m: m.group(0).replace(".", ""), name).translate(_FOLD)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _NONWORD.sub(" ", _APOS.sub("", text.casefold()))
    return " ".join(_KEY_ABBREV.get(t, t) for t in text.split())


def is_latin(text: str) -> bool:
    """Native and foreign names are kept only when an English text could contain them."""
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


def clean(text: str | None) -> str:
    return " ".join((text or "").replace("\t", " ").replace("|", " ").split())


@dataclass
class Row:
    """One place being built; aliases are display strings, deduplicated by key at write time."""

    qid: str
    name: str
    kind: str
    country: str
    lat: str = ""
    lon: str = ""
    population: int = 0
    admin1: str = ""
    subtype: str = ""
    iso3166_2: str = ""
    level: int = 0
    aliases: list[str] = field(default_factory=list)
    other_names: list[str] = field(default_factory=list)
    source: str = ""


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_curated(path: Path) -> list[list[str]]:
    """Rows of a curated TSV, comments and blank lines skipped."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([part.strip() for part in line.split("\t")])
    return rows


def coord(value: str) -> str:
    """Four decimals (about 10 m) keep the files small and stable."""
    try:
        return f"{float(value):.4f}"
    except ValueError:
        return ""


def to_int(value: str) -> int:
    try:
        return max(int(float(value)), 0)
    except ValueError:
        return 0


def qid_order(qid: str) -> tuple[int, str]:
    return (int(qid[1:]) if qid[1:].isdigit() else sys.maxsize, qid)


# --------------------------------------------------------------------------------------------------
# countries


def derive_demonyms(name: str) -> list[str]:
    """Regular English demonyms from the short name; irregular ones come from country_aliases.tsv."""
    if re.search(r"\b(and|of|islands?|territory|part|the)\b|[(),.]", name, re.IGNORECASE):
        return []
    if name.endswith("stan"):
        return [name + "i"]
    if name.endswith("a"):
        return [name + "n"]
    if name.endswith("que"):
        return [name[:-3] + "can"]
    if name.endswith("e"):
        return [name + "an"]
    if name.endswith("ay"):
        return [name + "an"]
    if name.endswith("y"):
        return [name[:-1] + "ian"]
    if name.endswith("o"):
        return [name[:-1] + "an"]
    if name.endswith("i"):
        return [name + "an"]
    if name.endswith(("n", "r", "t", "il")):
        return [name + "ian"]
    return []


def country_name_variants(name: str) -> list[str]:
    """Short forms of dr5hn's names: "Hong Kong S.A.R." -> "Hong Kong", "Man (Isle of)" -> "Isle of Man"."""
    out = []
    match = re.fullmatch(r"(.+?) \((.+?)\)", name)
    if match:
        head, inner = match.groups()
        out.append(f"{inner} {head}" if inner.lower().endswith(" of") else head)
        out.append(inner if not inner.lower().endswith(" of") else head)
    if name.endswith(" S.A.R."):
        out.append(name[: -len(" S.A.R.")])
    if name.startswith("The "):
        out.append(name[4:])
    if name.endswith(" Islands") and len(name.split()) == 2:
        out.append(name[: -len(" Islands")])
    if name == "Palestinian Territory Occupied":
        out.append("Palestinian Territories")
    return out


def build_countries(shared: Path, curated: Path) -> tuple[list[list[str]], dict[str, str], dict[str, str]]:
    """Rows of countries.tsv, iso3 -> iso2, and qid -> iso2."""
    extra = {row[0]: row for row in read_curated(curated / "country_aliases.tsv")}
    rows, iso3_to_2, qid_to_2 = [], {}, {}
    for rec in read_csv(shared / COUNTRIES_FILE):
        iso2, name, native = rec["iso2"].strip(), clean(rec["name"]), clean(rec["native"])
        iso3_to_2[rec["iso3"].strip()] = iso2
        qid_to_2[rec["wikiDataId"].strip()] = iso2
        aliases = country_name_variants(name)
        if native and is_latin(native):
            aliases.append(native)
        cur = extra.get(iso2, [iso2, "", ""])
        aliases += [a for a in (cur[1] if len(cur) > 1 else "").split("|") if a]
        given = cur[2] if len(cur) > 2 else ""
        demonyms = [] if given == "-" else [d for d in given.split("|") if d] or derive_demonyms(name)
        rows.append([iso2, rec["wikiDataId"].strip(), name, native,
                     "|".join(unique_by_key(aliases, exclude=[name])),
                     "|".join(unique_by_key(demonyms, exclude=[name] + aliases, keep_case=True))])
    unknown = set(extra) - {r[0] for r in rows}
    if unknown:
        raise SystemExit(f"country_aliases.tsv: unknown ISO codes {sorted(unknown)}")
    rows.sort()
    return rows, iso3_to_2, qid_to_2


def unique_by_key(names: Iterable[str], exclude: Iterable[str] = (), keep_case: bool = False) -> list[str]:
    """Drop names whose match key repeats an earlier one (the first spelling wins), then sort.

    Acronyms differ only by case from words ("US" vs "us"), so keep_case compares them exactly."""
    seen = {key(e) for e in exclude}
    out: dict[str, str] = {}
    for name in names:
        name = clean(name)
        k = key(name)
        if not k or k in seen or k in out:
            continue
        out[k] = name
    return sorted(out.values(), key=lambda s: (key(s), s)) if not keep_case else sorted(out.values())


# --------------------------------------------------------------------------------------------------
# cities


def ne_country(rec: dict[str, str], iso3_to_2: dict[str, str]) -> str:
    iso2 = rec["iso_a2"].strip()
    if len(iso2) == 2 and iso2.isalpha():
        return iso2
    a3 = rec["adm0_a3"].strip()
    return iso3_to_2.get(a3) or NE_A3_FALLBACK.get(a3, "")


def build_cities(shared: Path, iso3_to_2: dict[str, str], country_keys: set[str],
                 fixes: dict[str, str]) -> tuple[dict[str, Row], dict[str, dict[str, str]]]:
    """City rows by QID (or a NE:n key when Natural Earth gives none) and the twinning nodes by QID."""
    twins = {rec["id"]: rec for rec in read_tsv(shared / "twinnings/nodes.tsv")}
    cities: dict[str, Row] = {}
    for n, rec in enumerate(read_csv(shared / NE_FILE)):
        qid = rec["wikidataid"].strip()
        pop = to_int(rec["pop_max"])
        if qid in cities and cities[qid].population >= pop:
            continue  # a few QIDs repeat in Natural Earth: keep the larger row
        twin = twins.get(qid)
        name = clean(twin["name"] if twin else "") or clean(rec["name_en"]) or clean(rec["name"])
        strong = [rec["name"], rec["name_en"], rec["nameascii"], rec["gn_ascii"], rec["cityalt"]]
        strong += [p for p in rec["namepar"].split("|")]
        weak = [p for p in rec["namealt"].split("|") if "," not in p]
        if rec["ls_name"] and not re.search(r"\d|\(", rec["ls_name"]):
            weak.append(rec["ls_name"])
        weak += [rec[f"name_{lang}"] for lang in ("de", "es", "fr", "pt") if is_latin(rec[f"name_{lang}"])]
        admin1 = re.sub(r"\s*\[.*?\]", "", clean(rec["adm1name"]))
        cities[qid or f"NE:{n}"] = Row(
            qid=qid, name=name, kind="city", country=ne_country(rec, iso3_to_2),
            lat=coord(rec["latitude"]), lon=coord(rec["longitude"]), population=pop,
            admin1="" if "?" in admin1 else admin1,
            aliases=[clean(a) for a in strong], other_names=[clean(a) for a in weak], source="ne")
    for qid, rec in twins.items():
        if qid in cities:
            continue
        cc = clean(rec["countrycd"])
        cities[qid] = Row(qid=qid, name=clean(rec["name"]), kind="city",
                          country=fixes.get(qid) or TWIN_CC_FIX.get(cc, cc),
                          lat=coord(rec["lat"]), lon=coord(rec["lng"]), source="twin")
    # An alias that is another city's own name (Goma's "Gisenyi") or a country's name ("Panama" for
    # Panama City) would mislead the linker: drop it.
    own = Counter(key(r.name) for r in cities.values())
    for row in cities.values():
        for attr in ("aliases", "other_names"):
            kept = []
            for alias in getattr(row, attr):
                k = key(alias)
                if not alias or "?" in alias or len(k) < 3 or k in country_keys:
                    continue
                if k != key(row.name) and own[k]:
                    continue
                kept.append(alias)
            setattr(row, attr, kept)
    return cities, twins


def add_city_suffix_aliases(cities: dict[str, Row], taken: set[str]) -> None:
    """'Mandaue City' / 'Kaohsiung' both ways where East Asian and Philippine usage writes 'X City'."""
    for row in cities.values():
        if row.country not in CITY_SUFFIX_COUNTRIES:
            continue
        for name in {row.name, *(a for a in row.aliases if key(a).endswith(" city"))}:
            if key(name).endswith(" city"):
                bare = name[:-5].strip()
                if key(bare) not in taken:
                    row.aliases.append(bare)
            elif key(name + " City") not in taken:
                row.aliases.append(name + " City")


# --------------------------------------------------------------------------------------------------
# regions


def region_name_variants(name: str) -> list[str]:
    """Bare and parenthesised forms of dr5hn names ('Kunduz Province', 'Asturias, Principality of')."""
    out = []
    match = re.fullmatch(r"(.+?) \((.+?)\)", name)
    if match:
        out += [match.group(1), match.group(2)]
        name = match.group(1)
    match = re.fullmatch(r"(.+?), (.+?) of", name)
    if match:
        out += [match.group(1), f"{match.group(2)} of {match.group(1)}"]
    for pattern in (_NAME_ADMIN_SUFFIX, _NAME_ADMIN_PREFIX):
        bare = pattern.sub("", name).strip()
        if bare and bare != name:
            out.append(bare)
    return out


def keep_state(rec: dict[str, str]) -> bool:
    subtype = rec["type"].strip()
    if subtype in SUBTYPES_DROPPED or rec["iso3166_2"].strip() in ISO3166_2_DROPPED:
        return False
    return not rec["parent_id"].strip() or subtype in CHILD_SUBTYPES_KEPT


def ne_admin1_aliases(shared: Path, states: list[dict[str, str]],
                      iso3_to_2: dict[str, str]) -> dict[str, set[str]]:
    """Natural Earth's admin-1 names for dr5hn regions (Hrodna, Gyeonggi-do, Zhytomyr for Zhytomyrska).

    The two sources share FIPS codes but not reliably, so a name is taken only when most of Natural
    Earth's places with that code agree on it and it begins like the dr5hn name (4 letters)."""
    by_fips = {(s["country_code"], s["fips_code"].lstrip("0")): s for s in states if not s["parent_id"]}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for rec in read_csv(shared / NE_FILE):
        state = by_fips.get((ne_country(rec, iso3_to_2), rec["admin1_cod"].lstrip("0")))
        admin1 = clean(rec["adm1name"])
        if state and state["wikiDataId"] and admin1 and "?" not in admin1:
            votes[state["wikiDataId"]][admin1] += 1
    out: dict[str, set[str]] = defaultdict(set)
    names = {s["wikiDataId"]: s["name"] for s in states}
    for qid, counter in votes.items():
        (best, n), total = counter.most_common(1)[0], sum(counter.values())
        a, b = key(best).replace(" ", ""), key(names[qid]).replace(" ", "")
        if n * 2 > total and a[:4] == b[:4] and key(best) != key(names[qid]):
            out[qid].add(re.sub(r"\s*\[.*?\]", "", best))
    return out


def build_regions(shared: Path, cities: dict[str, Row], twins: dict[str, dict[str, str]],
                  iso3_to_2: dict[str, str], country_keys: set[str]) -> dict[str, Row]:
    states = [s for s in read_csv(shared / STATES_FILE) if keep_state(s)]
    seen = Counter(s["wikiDataId"].strip() for s in states if s["wikiDataId"].strip())
    ne_names = ne_admin1_aliases(shared, states, iso3_to_2)
    regions: dict[str, Row] = {}
    for rec in states:
        qid = rec["wikiDataId"].strip()
        if seen[qid] > 1:
            continue  # dr5hn gives one QID to two rows (Chiayi city and county): neither can be trusted
        name, subtype = clean(rec["name"]), clean(rec["type"])
        native = clean(rec["native"])
        # Natural Earth knows cities; a twinning node that dr5hn calls a province is that province.
        in_cities = qid in cities and (cities[qid].source == "ne" or subtype in CITY_SUBTYPES)
        kind = "city" if in_cities or subtype in CITY_SUBTYPES else "region"
        aliases = region_name_variants(name)
        if native and is_latin(native) and native != name:
            aliases.append(native)
        aliases += sorted(ne_names.get(qid, ()))
        if qid in twins and not in_cities:
            aliases.append(clean(twins[qid]["name"]))
        regions[qid or f"ST:{rec['id']}"] = Row(
            qid=qid, name=name, kind=kind, country=rec["country_code"].strip(), subtype=subtype,
            iso3166_2=rec["iso3166_2"].strip(), level=2 if rec["parent_id"].strip() else 1,
            population=to_int(rec["population"]), lat=coord(rec["latitude"]), lon=coord(rec["longitude"]),
            aliases=[a for a in aliases if key(a) not in country_keys or key(a) == key(name)])
    return regions


def add_subtype_aliases(regions: dict[str, Row]) -> None:
    """'Aichi Prefecture', 'Grodno Oblast', 'Lagos State': the forms press releases use as names."""
    for row in regions.values():
        suffixes = SUBTYPE_SUFFIXES.get(row.subtype, ())
        if row.kind == "city" or not suffixes:
            continue
        bases = [row.name, *row.aliases]
        for base in bases:
            if _NAME_ADMIN_SUFFIX.search(base) or re.search(r"[(),]|-(do|ken|to|fu)$", base):
                continue
            row.aliases += [f"{base} {suffix}" for suffix in suffixes]


# --------------------------------------------------------------------------------------------------
# output


def write_tsv(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("\t".join(header) + "\n")
        for row in rows:
            handle.write("\t".join(str(v) for v in row) + "\n")


def city_lines(cities: dict[str, Row]) -> list[list[str]]:
    lines = []
    for row in cities.values():
        aliases = unique_by_key(row.aliases, exclude=[row.name])
        other = unique_by_key(row.other_names, exclude=[row.name, *aliases])
        lines.append([row.qid, row.name, row.kind, row.country, row.admin1, str(row.population),
                      row.lat, row.lon, "|".join(aliases), "|".join(other)])
    lines.sort(key=lambda r: (r[3], key(r[1]), r[1], qid_order(r[0]) if r[0] else (0, ""), r[6], r[7]))
    return lines


def region_lines(regions: dict[str, Row]) -> list[list[str]]:
    lines = []
    for row in regions.values():
        lines.append([row.qid, row.name, row.kind, row.subtype, row.country, row.iso3166_2, str(row.level),
                      str(row.population), row.lat, row.lon,
                      "|".join(unique_by_key(row.aliases, exclude=[row.name]))])
    lines.sort(key=lambda r: (r[4], r[5], r[1], r[0]))
    return lines


def twin_lines(shared: Path) -> list[list[str]]:
    pairs = set()
    for rec in read_tsv(shared / "twinnings/links.tsv"):
        a, b = sorted((rec["source"].strip(), rec["target"].strip()), key=qid_order)
        if a != b:
            pairs.add((a, b))
    return [list(p) for p in sorted(pairs, key=lambda p: (qid_order(p[0]), qid_order(p[1])))]


LICENSES = """\
# Licences of the place index (data/places)

Built by `scripts/build_places.py` from the files in `../shared/gazetteer/` and `../shared/twinnings/`
(see their READMEs for the exact source commits). Rebuild with
`python scripts/build_places.py --shared ../shared --out data/places`.

| file | derived from | licence |
| --- | --- | --- |
| `cities.tsv` | Natural Earth populated places v4.0.0; Wikidata P190 network; curated aliases | CC0 1.0 |
| `twinnings.tsv` | Wikidata P190 ("twinned administrative body") via bothness/twin-cities | CC0 1.0 |
| `regions.tsv` | dr5hn `states.csv` (+ Natural Earth admin-1 names, twinning labels, aliases) | ODbL 1.0 |
| `countries.tsv` | dr5hn `countries.csv` (+ curated `country_aliases.tsv`) | ODbL 1.0 |
| `extra_aliases.tsv`, `country_aliases.tsv`, `country_fixes.tsv` | curated facts (build inputs) | CC0 1.0 |

dr5hn is https://github.com/dr5hn/countries-states-cities-database; the twinning network snapshot is
https://github.com/bothness/twin-cities; Natural Earth is https://www.naturalearthdata.com.

## ODbL attribution (regions.tsv, countries.tsv)

Contains information from countries-states-cities-database
(https://github.com/dr5hn/countries-states-cities-database), which is made available under the
ODbL 1.0 (Open Database License, https://opendatacommons.org/licenses/odbl/1-0/).

`regions.tsv` and `countries.tsv` are derived databases and are offered under the ODbL 1.0 too; they are
kept in their own files so that the CC0 files stay free of ODbL content.

## CC0 notes

- Natural Earth data is in the public domain (https://www.naturalearthdata.com/about/terms-of-use/);
  no attribution is required. Made with Natural Earth.
- Wikidata's structured data is CC0 1.0. The twinning network is a snapshot of Wikidata's P190 statements
  drawn by https://github.com/bothness/twin-cities; the facts and identifiers are Wikidata's.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                        help="folder holding gazetteer/ and twinnings/ (default: ../shared)")
    parser.add_argument("--out", type=Path, default=REPO / "data/places", help="output folder")
    parser.add_argument("--curated", type=Path, default=REPO / "data/places",
                        help="folder of the curated TSVs (default: data/places)")
    args = parser.parse_args(argv)
    shared, out, curated = args.shared, args.out, args.curated
    out.mkdir(parents=True, exist_ok=True)

    countries, iso3_to_2, _ = build_countries(shared, curated)
    country_keys = {key(n) for row in countries for n in [row[2], *row[4].split("|")] if n}
    fixes = {row[0]: row[1] for row in read_curated(curated / "country_fixes.tsv")}
    cities, twins = build_cities(shared, iso3_to_2, country_keys, fixes)
    regions = build_regions(shared, cities, twins, iso3_to_2, country_keys)
    # A twinning node that dr5hn knows as a (non-city) region is that region, not a city.
    for qid, row in regions.items():
        if row.kind == "region" and qid in cities:
            del cities[qid]
    taken = {key(r.name) for r in regions.values()} | {key(r.name) for r in cities.values()} | country_keys
    add_city_suffix_aliases(cities, taken)
    add_subtype_aliases(regions)

    unknown = []
    for row in read_curated(curated / "extra_aliases.tsv"):
        qid, alias = row[0], row[1]
        targets = [t for t in (cities.get(qid), regions.get(qid)) if t is not None]
        if not targets:
            unknown.append(qid)
        for target in targets:
            target.aliases.append(alias)
    if unknown:
        raise SystemExit(f"extra_aliases.tsv: QIDs not in the index: {unknown}")

    write_tsv(out / "cities.tsv", ["qid", "name", "kind", "country", "admin1", "population", "lat", "lon",
                                   "aliases", "other_names"], city_lines(cities))
    write_tsv(out / "regions.tsv", ["qid", "name", "kind", "subtype", "country", "iso3166_2", "level",
                                    "population", "lat", "lon", "aliases"], region_lines(regions))
    write_tsv(out / "countries.tsv", ["iso2", "qid", "name", "native", "aliases", "demonyms"], countries)
    write_tsv(out / "twinnings.tsv", ["qid_a", "qid_b"], twin_lines(shared))
    (out / "LICENSES.md").write_text(LICENSES, encoding="utf-8")
    print(f"cities {len(cities)}, regions {len(regions)}, countries {len(countries)} -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
