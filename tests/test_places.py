"""Place mentions and their roles in one sentence."""

from __future__ import annotations

from citygraph.places import find_places


def roles(sentence: str) -> dict[str, str]:
    return {m.label: m.role for m in find_places(sentence)}


def test_container_and_country_are_not_places() -> None:
    r = roles("Komaki City in Aichi Prefecture, Japan signed with Grant County.")
    assert r["Komaki"] == "place" and r["Aichi"] == "container"
    assert (
        roles("Puerto Morelos (Mexico) and Medellín (Colombia) became twin cities.")["Puerto Morelos"]
        == "place"
    )


def test_venue_and_dateline() -> None:
    r = roles("HANOI, May 3 - Busan and Hue signed the agreement at a ceremony in Vientiane.")
    assert r["Vientiane"] == "venue" and r["Busan"] == "place"


def test_organisation_names_are_not_places() -> None:
    assert "Cebu" not in roles("The ceremony was held at the Cebu International Convention Center.")


def test_government_body_stands_for_its_place() -> None:
    r = roles("The Seoul Metropolitan Government and the Gyeonggi provincial government met.")
    assert r.get("Seoul") == "place" and r.get("Gyeonggi") == "place"


def test_capital_of_a_region_makes_the_region_a_container() -> None:
    assert roles("Chengdu, capital of southwest China's Sichuan Province, and Medan signed.") == {
        "Chengdu": "place",
        "China": "country",
        "Sichuan": "container",
        "Medan": "place",
    }
    assert roles("Curitiba, the capital of the Brazilian state of Paraná, and Guadalajara signed.") == {
        "Curitiba": "place",
        "Paraná": "container",
        "Guadalajara": "place",
    }


def test_a_direction_is_not_a_place() -> None:
    """Regression: "Southwest" (China's) was linked to Cameroon's Southwest Region, "East" of "East
    Midlands" to a place called East."""
    found = roles("Kunming, capital of Southwest China's Yunnan province, met Leicester in the East Midlands")
    assert "Southwest" not in found and "East" not in found
    assert roles("Sichuan Province and North Sumatra Province")["Sumatera Utara"] == "place"


def test_a_headline_verb_ends_a_place_name() -> None:
    """Regression: "Seoul and Ulaanbaatar Sign MOU on Urban Infrastructure" gave "Ulaanbaatar Sign MOU"."""
    assert list(roles("Seoul and Ulaanbaatar Sign MOU on Urban Infrastructure Cooperation")) == [
        "Seoul",
        "Ulaanbaatar",
    ]


def test_a_person_is_cut_out_of_a_run_not_the_run_dropped() -> None:
    text = "The President of Wrocław Jacek Sutkowski and Mayor Sinlavong Khoutphaythoune of Vientiane signed."
    persons = [(text.index("Jacek"), text.index(" and")), (text.index("Sinlavong"), text.index(" of Vient"))]
    assert [p.text for p in find_places(text, persons=persons)] == ["Wrocław", "Vientiane"]


def test_a_district_of_a_capital_and_a_headline_list_across_countries() -> None:
    """Regressions: "the Stari Grad municipality of the Bosnian capital Sarajevo" made Sarajevo a party;
    "Nairobi, Gauteng sign pact" made Gauteng (South Africa) contain Nairobi (Kenya)."""
    found = roles("Uskudar and the Stari Grad municipality of the Bosnian capital Sarajevo")
    assert found["Sarajevo"] == "container"
    assert roles("Nairobi, Gauteng sign pact on transport")["Gauteng"] == "place"


def test_an_event_or_a_company_names_no_party() -> None:
    """Regressions: "following the 2022 floods in South East Queensland and the 2018 Osaka earthquake" made
    a Queensland-Osaka renewal; "Nairobi e-mobility firm signs deal with Shenzhen manufacturer" an MoU."""
    found = roles("following the 2022 floods in South East Queensland and the 2018 Osaka earthquake")
    assert found["Queensland"] == "venue" and found["Osaka"] == "organisation"
    found = roles("Nairobi e-mobility firm signs battery deal with Shenzhen manufacturer")
    assert set(found.values()) == {"organisation"}


def test_a_regional_council_is_its_city() -> None:
    (toowoomba,) = find_places("Toowoomba Regional Council renewed the agreement.")
    assert toowoomba.resolution.qid == "Q478302"


def test_new_begins_a_name() -> None:
    """Regression: "the Turkish Ambassador to New Zealand" gave Denmark's Zealand (New was a stop word)."""
    assert roles("the Turkish Ambassador to New Zealand, Murat Yilmaz, attended") == {
        "Turkish": "country",
        "New Zealand": "country",
    }
