"""The converter on the two seed press releases (read from ../shared when present) and on small texts."""

from __future__ import annotations

import pytest

from citygraph.extract import extract
from citygraph.model import Document
from citygraph.pipeline import convert_file
from citygraph.resources import resource_dir

SEEDS = resource_dir("data").parent.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")


def _extract(text: str, source: str = "x.txt"):
    return extract(Document(source, text)).agreements


@needs_seeds
def test_seed_seoul_vientiane() -> None:
    agreements = convert_file(SEEDS / "000_b16845ad455ef046.txt").extraction.agreements
    assert len(agreements) == 1
    ag = agreements[0]
    assert {p.qid for p in ag.parties} == {"Q8684", "Q9326"}
    assert ag.date == "2015-11-05" and ag.type == "MemorandumOfUnderstanding"
    assert {o.name for o in ag.signatories} == {"Park Won-soon", "Sinlavong Khoutphaythoune"}
    areas = {a.rsplit("/", 1)[1] for a in ag.areas}
    assert {
        "water-supply",
        "sanitation",
        "urban-planning",
        "e-government",
        "transport",
        "tourism",
        "culture",
    } <= areas


@needs_seeds
def test_seed_hcmc_gyeonggi_ignores_the_province_list() -> None:
    agreements = convert_file(SEEDS / "003_31f6fd24e859d48c.txt").extraction.agreements
    assert len(agreements) == 1
    ag = agreements[0]
    assert {p.qid for p in ag.parties} == {"Q1854", "Q20937"}
    assert ag.date == "2018-04" and ag.signatories == []


def test_negative_when_only_discussed() -> None:
    assert (
        _extract("The mayors of Hanoi and Busan discussed a possible sister-city agreement on Monday.") == []
    )


def test_precision_of_the_date_is_kept() -> None:
    (ag,) = _extract("Hanoi and Busan signed a memorandum of understanding in July 2018.")
    assert ag.date == "2018-07"


def test_confidence_in_unit_interval_and_evidence_is_a_sentence() -> None:
    text = "SEOUL, May 2, 2019 - Seoul and Hanoi signed a friendship agreement on tourism today."
    (ag,) = _extract(text)
    assert 0 <= ag.confidence <= 1
    assert ag.evidence in text
    assert ag.date == "2019-05-02"


def test_parties_of_one_country_are_not_an_international_agreement() -> None:
    """Regression: a related headline about a works contract gave an Oman-Oman "agreement"."""
    assert _extract("Seoul and Busan signed a memorandum of understanding on tourism on 3 May 2024.") == []


def test_the_year_an_old_tie_began_is_not_the_renewal_date() -> None:
    """Regression: "renewed the twinning charter that first linked the two cities in 1969" was dated 1969."""
    (ag,) = _extract(
        "LEICESTER, 16 May 2019 - Leicester and Krefeld have renewed the twinning charter that first linked "
        "the two cities in 1969."
    )
    assert ag.type == "Renewal" and ag.date != "1969"


def test_the_date_nearest_the_signing_verb_wins() -> None:
    """Regression: a council's endorsement "on Thursday" was taken for the signing "last June"."""
    (ag,) = _extract(
        "CURITIBA, 15 September 2023 - The council of Guadalajara on Thursday endorsed the letter of intent "
        "that the mayors of Guadalajara and Curitiba signed last June."
    )
    assert ag.date == "2023-06"


def test_one_subject_with_several_partners_gives_one_agreement_per_pair() -> None:
    """Regression: "twinned with Lorient since 1975 ... with Chicago, signed in 1997" became one
    three-party agreement dated 1997."""
    found = {
        frozenset(p.label for p in ag.parties): ag.date
        for ag in _extract(
            "GALWAY, 10 May 2024 - Galway, which has been twinned with Lorient since 1975, also has a "
            "sister city agreement with Chicago, signed in 1997."
        )
    }
    assert found == {frozenset({"Galway", "Lorient"}): "1975", frozenset({"Galway", "Chicago"}): "1997"}


def test_a_name_keeps_the_reading_the_text_once_gave_it() -> None:
    """Regression: "the Mayor of Galway" is the city; a later bare "Galway" was read as County Galway."""
    ags = _extract(
        "GALWAY, 10 May 2024 - The Mayor of Galway, Niamh Costello, and the Mayor of Spokane, Lisa Brown, "
        "signed a twinning charter on Friday. Galway and Spokane will cooperate on tourism."
    )
    assert {p.qid for ag in ags for p in ag.parties} == {"Q129610", "Q187805"}


@pytest.mark.parametrize(
    ("text", "renewal"),
    [
        ("Seoul and Hanoi renewed their MoU on renewable energy on 3 May 2024.", True),
        ("Seoul and Hanoi signed an MoU on 3 May 2024; it is renewed automatically every five years.", False),
        ("Seoul and Hanoi signed an MoU on 3 May 2024, which can be renewed by mutual consent.", False),
        ("Seoul and Hanoi signed an MoU on renewable energy on 3 May 2024.", False),
    ],
)
def test_terms_of_renewal_do_not_make_a_renewal(text: str, renewal: bool) -> None:
    (ag,) = _extract(text)
    assert (ag.type == "Renewal") is renewal
