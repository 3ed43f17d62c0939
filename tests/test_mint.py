"""IRIs are derived from content: the same input gives the same IRIs, run after run."""

from __future__ import annotations

from citygraph.extract import extract
from citygraph.mint import agreement_iri, place_iri, slug, to_graph
from citygraph.model import Agreement, Document, Party
from citygraph.namespaces import CG, OWL, WD

TEXT = "Seoul and Hanoi signed a memorandum of understanding on transport on 5 May 2019."


def test_same_input_same_graph() -> None:
    first = to_graph(extract(Document("a.txt", TEXT)))
    second = to_graph(extract(Document("a.txt", TEXT)))
    assert set(first) == set(second)


def test_place_iris() -> None:
    assert str(place_iri(Party("Seoul", "city", "KR", "Q8684"))).endswith("/place/Q8684")
    assert str(place_iri(Party("Mandaue City", "city", "PH"))).endswith("/place/ph/mandaue-city")
    assert slug("Medellín") == "medellin"


def test_agreement_iri_ignores_party_order() -> None:
    a, b = Party("Seoul", "city", "KR", "Q8684"), Party("Hanoi", "city", "VN", "Q1858")
    assert agreement_iri(Agreement([a, b], "MemorandumOfUnderstanding", "2019-05-05")) == agreement_iri(
        Agreement([b, a], "MemorandumOfUnderstanding", "2019-05-05")
    )


def test_linked_places_carry_sameas_and_country() -> None:
    g = to_graph(extract(Document("a.txt", TEXT)))
    seoul = next(s for s in g.subjects(OWL.sameAs, WD.Q8684))
    assert (seoul, CG.country, WD.Q884) in g
