"""citygraph.vocab gives the converter the words it needs, read from the Turtle files."""

from __future__ import annotations

import pytest

from citygraph import vocab
from citygraph.namespaces import CG, CGA, SKOS


@pytest.mark.parametrize(
    ("word", "slug"),
    [
        ("sewage", "sanitation"),
        ("sewerage", "sanitation"),
        ("wastewater", "sanitation"),
        ("transportation", "transport"),
        ("traffic", "transport"),
        ("electronic government", "e-government"),
        ("water supply", "water-supply"),
        ("drinking water", "water-supply"),
        ("cultural", "culture"),
        ("economic", "economy"),
        ("touristic", "tourism"),
        ("scientific", "science-and-technology"),
        ("r&d", "science-and-technology"),
        ("public transport", "public-transit"),
        ("recycling", "waste-management"),
        ("smart classes", "education"),
        ("animal husbandry", "agriculture"),
        ("crime prevention", "public-safety"),
        ("crisis management", "disaster-management"),
        ("urban planning", "urban-planning"),
    ],
)
def test_area_labels(word: str, slug: str) -> None:
    assert vocab.area_labels()[word] == str(CGA[slug])


def test_area_labels_are_lower_case_and_cover_pref_labels() -> None:
    labels = vocab.area_labels()
    assert all(label == label.lower() for label in labels)
    for iri, pref in vocab.area_pref_labels().items():
        assert labels[pref.lower()] == iri


def test_area_pref_labels() -> None:
    pref = vocab.area_pref_labels()
    assert pref[str(CGA["science-and-technology"])] == "science and technology"
    assert len(pref) >= 25


def test_area_broader_is_transitive() -> None:
    broader = vocab.area_broader()
    assert str(CGA.economy) in broader[str(CGA.trade)]
    assert str(CGA.economy) in broader[str(CGA.investment)]
    assert broader[str(CGA["public-transit"])] == {str(CGA.transport)}
    assert broader[str(CGA.transport)] == set()
    assert set(broader) == set(vocab.area_pref_labels())


@pytest.mark.parametrize(
    ("word", "cls"),
    [
        ("mou", CG.MemorandumOfUnderstanding),
        ("memorandum of understanding", CG.MemorandumOfUnderstanding),
        ("twinning", CG.SisterCityAgreement),
        ("sister city", CG.SisterCityAgreement),
        ("twin cities", CG.SisterCityAgreement),
        ("friendship agreement", CG.FriendshipAgreement),
        ("letter of intent", CG.LetterOfIntent),
        ("memorandum of intent", CG.LetterOfIntent),
        ("cooperation agreement", CG.CooperationAgreement),
        ("agreement", CG.CooperationAgreement),
        ("re-signed", CG.Renewal),
        ("renewal", CG.Renewal),
    ],
)
def test_agreement_type_labels(word: str, cls: str) -> None:
    assert vocab.agreement_type_labels()[word] == str(cls)


def test_cues() -> None:
    signing, negation = vocab.signing_cues(), vocab.negation_cues()
    assert {"signed", "inked", "concluded", "entered into", "established", "agreed"} <= set(signing)
    assert {"discussed", "proposed", "considered", "explore", "talks on"} <= set(negation)
    for cues in (signing, negation):
        assert all(c == c.lower() for c in cues)
        assert [len(c) for c in cues] == sorted((len(c) for c in cues), reverse=True)  # longest first


def test_results_are_copies() -> None:
    vocab.area_labels()["sewage"] = "mutated"
    vocab.signing_cues().clear()
    assert vocab.area_labels()["sewage"] == str(CGA.sanitation)
    assert vocab.signing_cues()


def test_ontology_graph_holds_both_files_and_is_a_copy() -> None:
    graph = vocab.ontology_graph()
    assert (CGA.transport, SKOS.inScheme, CGA.scheme) in graph
    assert graph.value(CG.Renewal, SKOS.prefLabel) is not None
    size = len(graph)
    graph.remove((None, None, None))
    assert len(vocab.ontology_graph()) == size
