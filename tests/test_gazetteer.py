"""The place index on its real files: loading, names, countries."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import pytest

from citygraph.gazetteer import Country, Gazetteer, Place, normalise, places_dir

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def test_index_loads_fast() -> None:
    # Measured about 0.2-0.3 s on the project machine; the bound is loose for busy CI hosts.
    start = time.perf_counter()
    fresh = Gazetteer.load(places_dir())
    elapsed = time.perf_counter() - start
    assert elapsed < 3.0, f"loading the place index took {elapsed:.2f} s"
    assert len(fresh) > 14000


def test_default_is_cached() -> None:
    assert Gazetteer.default() is Gazetteer.default()


def test_files_are_small() -> None:
    total = sum(f.stat().st_size for f in places_dir().glob("*.tsv"))
    assert total < 5_000_000


@pytest.mark.parametrize(("name", "qid"), [
    ("Seoul", "Q8684"), ("Vientiane", "Q9326"), ("Ho Chi Minh City", "Q1854"), ("HCMC", "Q1854"),
    ("HCM City", "Q1854"), ("Saigon", "Q1854"), ("Hanoi", "Q1858"), ("Ha Noi", "Q1858"), ("Hà Nội", "Q1858"),
    ("Busan", "Q16520"), ("Gyeonggi", "Q20937"), ("Gyeonggi-do", "Q20937"), ("Gyeonggi Province", "Q20937"),
    ("Lagos State", "Q815913"), ("São Paulo", "Q174"), ("Sao Paulo", "Q175"), ("Paris", "Q90"),
    ("Mosul", "Q83317"), ("Zhytomyr", "Q156713"), ("Malaga", "Q8851"), ("Nairobi", "Q3870"),
    ("Cape Town", "Q5465"), ("Medellin", "Q48278"), ("Dunedin", "Q133073"), ("Shanghai", "Q8686"),
    ("Hainan", "Q42200"), ("Delhi", "Q1353"), ("Andhra Pradesh", "Q1159"), ("Tamil Nadu", "Q1445"),
    ("Uttar Pradesh", "Q1498"), ("Gujarat", "Q1061"), ("Vientiane Prefecture", "Q390377"),
    ("Vientiane Capital", "Q390377"), ("Aichi Prefecture", "Q80434"), ("Grodno Oblast", "Q191061"),
    ("Hainan Province", "Q42200"), ("Plock", "Q104725"), ("Mandaue City", "Q1889017"),
])
def test_lookup_finds_the_item(gaz: Gazetteer, name: str, qid: str) -> None:
    assert qid in {p.qid for p in gaz.lookup(name)}


def test_same_name_city_and_region_are_distinct(gaz: Gazetteer) -> None:
    lagos = {p.qid: p.kind for p in gaz.lookup("Lagos")}
    assert lagos["Q8673"] == "city" and lagos["Q815913"] == "region"
    vientiane = {p.qid: (p.kind, p.subtype) for p in gaz.lookup("Vientiane")}
    assert vientiane["Q9326"][0] == "city"
    assert vientiane["Q390377"] == ("region", "prefecture")
    assert {p.qid for p in gaz.lookup("St. Petersburg")} >= {"Q656", "Q49236"}


def test_place_fields(gaz: Gazetteer) -> None:
    seoul = gaz.by_qid("Q8684")
    assert isinstance(seoul, Place)
    assert (seoul.name, seoul.kind, seoul.country) == ("Seoul", "city", "KR")
    assert seoul.population > 5_000_000
    gyeonggi = gaz.by_qid("Q20937")
    assert gyeonggi is not None and gyeonggi.kind == "region" and gyeonggi.subtype == "province"
    assert "Gyeonggi-do" in gyeonggi.aliases
    hcmc = gaz.by_qid("Q1854")
    assert hcmc is not None and {"HCMC", "Saigon"} <= set(hcmc.aliases)
    assert gaz.by_qid("Q0") is None


def test_bac_giang_is_known_as_a_city_only(gaz: Gazetteer) -> None:
    # dr5hn lists Vietnam's provinces after the 2025 merger, which removed Bac Giang province; the
    # index knows the city (Q36736). The linker must not pass it off as the province (see test_link).
    assert [(p.qid, p.kind) for p in gaz.lookup("Bắc Giang")] == [("Q36736", "city")]
    assert gaz.lookup("Bac Giang") == gaz.lookup("Bắc Giang")


def test_countries_are_not_places(gaz: Gazetteer) -> None:
    assert gaz.lookup("Laos") == []
    assert not gaz.is_place_name("Korea")
    assert gaz.is_place_name("Seoul") and gaz.is_place_name("seoul")


def test_max_tokens(gaz: Gazetteer) -> None:
    assert 4 <= gaz.max_tokens() <= 12
    assert gaz.max_tokens() >= len(normalise("People's Committee of Ho Chi Minh City").split()) - 3


@pytest.mark.parametrize(("text", "iso2"), [
    ("Laos", "LA"), ("Lao", "LA"), ("Laotian", "LA"), ("Lao PDR", "LA"), ("Republic of Korea", "KR"),
    ("RoK", "KR"), ("ROK", "KR"), ("Korea", "KR"), ("South Korea", "KR"), ("Korean", "KR"),
    ("Vietnamese", "VN"), ("Vietnam", "VN"), ("Viet Nam", "VN"), ("U.S.", "US"), ("US", "US"),
    ("USA", "US"), ("United States of America", "US"), ("the United States", "US"), ("UK", "GB"),
    ("Britain", "GB"), ("England", "GB"), ("Iraqi", "IQ"), ("Polish", "PL"), ("Chinese", "CN"),
    ("Japanese", "JP"), ("Belarusian", "BY"), ("Filipino", "PH"), ("Philippine", "PH"),
    ("the Philippines", "PH"), ("Indian", "IN"), ("Kenyan", "KE"), ("South African", "ZA"),
    ("Mexican", "MX"), ("Colombian", "CO"), ("Spanish", "ES"), ("Ukrainian", "UA"), ("Taiwanese", "TW"),
    ("New Zealand", "NZ"), ("Nigerian", "NG"), ("Brazilian", "BR"), ("Russian", "RU"), ("Türkiye", "TR"),
])
def test_country_code(gaz: Gazetteer, text: str, iso2: str) -> None:
    assert gaz.country_code(text) == iso2


@pytest.mark.parametrize("text", ["Seoul", "us", "Us", "", "Gyeonggi", "mayor"])
def test_country_code_none(gaz: Gazetteer, text: str) -> None:
    assert gaz.country_code(text) is None


def test_country_items(gaz: Gazetteer) -> None:
    korea = gaz.country("KR")
    assert isinstance(korea, Country)
    assert (korea.iso2, korea.qid, korea.name) == ("KR", "Q884", "South Korea")
    assert (gaz.country("la").qid, gaz.country("VN").qid) == ("Q819", "Q881")
    assert gaz.country("XX") is None
    # England is a country hint, e.g. "Great Yarmouth, England"
    assert gaz.names_country("Korean") == "KR" and gaz.names_country("England") == "GB"


def test_normalise_is_idempotent() -> None:
    for name in ["São Paulo", "Thừa Thiên-Huế", "N'Djamena", "St. John's", "Zürich", "Łódź"]:
        assert normalise(normalise(name)) == normalise(name)


@pytest.mark.skipif(not (SHARED / "gazetteer").is_dir(), reason="needs ../shared sources")
def test_build_is_reproducible(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(REPO / "scripts/build_places.py"), "--shared", str(SHARED),
                    "--out", str(tmp_path)], check=True, capture_output=True)
    for name in ["cities.tsv", "regions.tsv", "countries.tsv", "twinnings.tsv", "LICENSES.md"]:
        assert (tmp_path / name).read_bytes() == (places_dir() / name).read_bytes(), name


def test_twinnings_file() -> None:
    lines = (places_dir() / "twinnings.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "qid_a\tqid_b"
    pairs = [tuple(line.split("\t")) for line in lines[1:]]
    assert len(pairs) == len(set(pairs)) > 10_000
    seoul = [p for p in pairs if "Q8684" in p]
    assert len(seoul) == 29  # as the source README states


def test_build_key_matches_normalise() -> None:
    # The build script keeps its own copy of the key function (it runs without the package).
    spec = importlib.util.spec_from_file_location("build_places", REPO / "scripts/build_places.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_places", build)  # dataclasses look their module up there
    spec.loader.exec_module(build)
    names = ["São Paulo", "Washington, D.C.", "St. John's", "Xi’an", "Łódź", "Thừa Thiên-Huế", "U.S.A.",
             "Ho-Chi-Minh-Stadt", "N'Djamena", "Mt. Fuji", "Ft. Worth", "Ste-Foy", "ÆRØ", "Quintana  Roo"]
    for name in names:
        assert build.key(name) == normalise(name), name
