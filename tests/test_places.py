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
