"""Officials: names next to titles, who signed, whom they represent."""

from __future__ import annotations

from citygraph.officials import find_officials
from citygraph.sentences import split_sentences


def officials(text: str) -> dict[str, tuple[str | None, bool]]:
    return {o.name: (o.title, o.signed) for o in find_officials(split_sentences(text))}


def test_title_before_name_and_signing() -> None:
    found = officials("Seoul Mayor Park Won-soon and Hanoi Mayor Nguyen Duc Chung signed the MOU.")
    assert found == {"Park Won-soon": ("Mayor", True), "Nguyen Duc Chung": ("Mayor", True)}


def test_witness_is_not_a_signatory() -> None:
    found = officials(
        "The agreement was signed by Mayor Jonas Cortes. It was witnessed by Iraqi Ambassador "
        "Wadee Batti Hanna Al-Batti."
    )
    assert found["Jonas Cortes"][1] and not found["Wadee Batti Hanna Al-Batti"][1]


def test_surname_only_second_mention() -> None:
    text = (
        "Le Anh Duong, Chairman of the People's Committee of Bac Giang, met Governor Khamlieng Outthakaison. "
        "Duong and Khamlieng signed a cooperation agreement."
    )
    found = officials(text)
    assert found["Le Anh Duong"][1] and found["Khamlieng Outthakaison"][1]


def test_signed_line_with_a_trailing_full_stop_then_a_place_line() -> None:
    """Regression: a "(Signed) Name." line kept the full stop in its lookup key, and the place line under
    it raised KeyError."""
    text = "(Signed) Laura Madelaine Gilham.\nGrant County, United States of America\nThe charter was sealed."
    found = {o.name: o for o in find_officials(split_sentences(text))}
    assert found["Laura Madelaine Gilham"].signed


def test_chief_minister_signs_for_a_state_and_organisations_are_not_people() -> None:
    """Regressions: "Penang Chief Minister Chow Kon Yeow" gave a person "Penang Chief" (title "Minister",
    national); "Indonesia-Malaysia-Thailand Growth Triangle" and "Tourism Authority" were signatories."""
    text = (
        "The MoU was signed by Penang Chief Minister Chow Kon Yeow and Phuket Governor Sophon Suwannarat "
        "to boost the Indonesia-Malaysia-Thailand Growth Triangle. The Tourism Authority office also signed."
    )
    found = {o.name: o for o in find_officials(split_sentences(text))}
    assert set(found) == {"Chow Kon Yeow", "Sophon Suwannarat"}
    assert found["Chow Kon Yeow"].signed and not found["Chow Kon Yeow"].national


def test_a_building_after_at_is_not_a_person() -> None:
    text = "The MoU was signed by Mayor Anna Kowalska at Vidhana Soudha on Monday."
    assert [o.name for o in find_officials(split_sentences(text))] == ["Anna Kowalska"]


def test_portfolio_titles_and_signing_on_behalf() -> None:
    """Regressions: a portfolio ("for Economic Affairs") ran into the name; "on behalf of Governor Tim
    Walz" made Walz a signatory when another clause of the sentence had a signing verb."""
    text = (
        "Vice Mayor for Economic Affairs Jeon Sung-ho signed the MOU on behalf of Mayor Kim Do-hyun. "
        "Lieutenant Governor Karen Lindqvist signed the memorandum on behalf of Governor Tim Walz, and "
        "Governor Alejandro Ruiz de la Garza signed for the State of Jalisco."
    )
    found = {o.name: o.signed for o in find_officials(split_sentences(text))}
    assert found == {
        "Jeon Sung-ho": True,
        "Kim Do-hyun": False,
        "Karen Lindqvist": True,
        "Tim Walz": False,
        "Alejandro Ruiz de la Garza": True,
    }


def test_an_initial_and_a_full_name_are_one_person() -> None:
    text = "PRESENT: Cr D Reilly (Deputy Mayor). The agreement was signed by Deputy Mayor Daniel Reilly."
    assert [o.name for o in find_officials(split_sentences(text))] == ["Daniel Reilly"]


def test_a_surname_that_is_also_a_town_starts_a_name() -> None:
    """Regression: "Governor Choi Young-hwan of Gangwon" lost Choi (a town's name) and the official."""
    text = "Governor Choi Young-hwan of Gangwon Special Self-Governing Province signed the memorandum."
    assert [o.name for o in find_officials(split_sentences(text))] == ["Choi Young-hwan"]
