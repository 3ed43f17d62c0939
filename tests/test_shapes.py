"""The SHACL shapes catch each defect of the data model, one defect at a time.

Every defective graph is the valid example (tests/fixtures/example.ttl) with one thing removed or
altered, so a failing test points at exactly one constraint.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SH, SKOS

from citygraph.namespaces import CG, CGA, CGID, WD
from citygraph.resources import resource_dir
from citygraph.validate import Finding, Report, report_to_json, validate

EXAMPLE = Path(__file__).parent / "fixtures" / "example.ttl"
AGREEMENT = CGID["agreement/608520a8e46e28fe"]
SEOUL = CGID["place/Q8684"]
VIENTIANE = CGID["place/Q9326"]
PARK = CGID["official/3d32ce147f565544"]
DOCUMENT = CGID["document/203dfa67ac38ff10"]
AGREEMENT_CLASSES = [
    CG.Agreement,
    CG.SisterCityAgreement,
    CG.FriendshipAgreement,
    CG.MemorandumOfUnderstanding,
    CG.LetterOfIntent,
    CG.CooperationAgreement,
    CG.Renewal,
]


def example() -> Graph:
    return Graph().parse(EXAMPLE, format="turtle")


def violations(report: Report) -> list[Finding]:
    return [f for f in report.results if f.severity == "Violation"]


def only_violation(graph: Graph) -> Finding:
    """Validate and return the single violation the defect must cause."""
    report = validate(graph)
    assert not report.conforms
    found = violations(report)
    assert len(found) == 1, found
    return found[0]


def violation_on(graph: Graph, focus: URIRef, path: URIRef) -> Finding:
    """Validate and return the violation on ``focus``/``path`` when a defect has knock-on findings."""
    report = validate(graph)
    assert not report.conforms
    found = [f for f in violations(report) if (f.focus, f.path) == (str(focus), str(path))]
    assert len(found) == 1, report.results
    return found[0]


def test_example_conforms() -> None:
    report = validate(example())
    assert report.conforms, report.results
    assert report.results == []


def test_validation_needs_no_ontology() -> None:
    data = example()
    assert not list(data.triples((None, RDFS.subClassOf, None)))  # the data graph alone
    data.set((AGREEMENT, RDF.type, CG.SisterCityAgreement))
    data.remove((AGREEMENT, CG.party, VIENTIANE))
    assert violation_on(data, AGREEMENT, CG.party)


def test_example_with_ontology_still_conforms() -> None:
    data = example()
    for name in ("citygraph.ttl", "areas.ttl"):
        data.parse(resource_dir("ontology") / name, format="turtle")
    assert validate(data).conforms


@pytest.mark.parametrize("cls", AGREEMENT_CLASSES, ids=lambda c: c.fragment)
def test_agreement_of_any_type_with_one_party(cls: URIRef) -> None:
    data = example()
    data.set((AGREEMENT, RDF.type, cls))
    data.remove((AGREEMENT, CG.party, VIENTIANE))
    finding = violation_on(data, AGREEMENT, CG.party)
    assert "at least two cg:party" in finding.message
    # Vientiane's mayor now signs for a non-party: reported as well, and nothing else.
    assert {(f.path, f.value) for f in violations(validate(data))} == {
        (str(CG.party), None),
        (str(CG.signatory), str(CGID["official/3b1f555e97a28a6f"])),
    }


def test_typed_agreement_without_parties() -> None:
    data = example()
    data.remove((AGREEMENT, CG.party, None))
    assert violation_on(data, AGREEMENT, CG.party)


def test_party_without_label() -> None:
    data = example()
    data.remove((SEOUL, RDFS.label, None))
    finding = only_violation(data)
    assert (finding.focus, finding.path) == (str(SEOUL), str(RDFS.label))
    assert finding.message == "A party (city or region) must have an rdfs:label."


def test_untyped_party_is_still_checked() -> None:
    data = example()
    data.remove((VIENTIANE, None, None))
    found = violations(validate(data))
    assert {(f.focus, f.path) for f in found} == {(str(VIENTIANE), str(RDFS.label))}


def test_party_without_country_is_a_warning_not_a_rejection() -> None:
    """An ambiguous "Birmingham" has no country; the document's agreement must survive, with a warning."""
    data = example()
    data.remove((SEOUL, CG.country, None))
    report = validate(data)
    assert report.conforms
    assert [(f.severity, f.focus, f.path) for f in report.results] == [
        ("Warning", str(SEOUL), str(CG.country))
    ]


def test_party_with_two_countries() -> None:
    data = example()
    data.add((SEOUL, CG.country, WD.Q423))
    finding = only_violation(data)
    assert (finding.path, finding.message) == (
        str(CG.country),
        "A party (city or region) must have at most one cg:country.",
    )


@pytest.mark.parametrize(
    "country",
    [Literal("KR"), URIRef("https://www.wikidata.org/wiki/Q884"), CGID["country/kr"], WD.P17],
    ids=["literal", "wiki-page", "minted", "property"],
)
def test_party_country_not_a_wikidata_item(country: URIRef | Literal) -> None:
    data = example()
    data.set((SEOUL, CG.country, country))
    finding = only_violation(data)
    assert (finding.focus, finding.path, finding.value) == (str(SEOUL), str(CG.country), str(country))
    assert "Wikidata item IRI of a country" in finding.message


def test_party_with_two_labels_is_a_warning() -> None:
    data = example()
    data.add((SEOUL, RDFS.label, Literal("Seoul Metropolitan City", lang="en")))
    report = validate(data)
    assert report.conforms
    assert [(f.severity, f.path) for f in report.results] == [("Warning", str(RDFS.label))]


@pytest.mark.parametrize(
    "value",
    [
        Literal("5 November 2015"),
        Literal("2015-11-05"),
        Literal("2015-11-05T10:00:00", datatype=XSD.dateTime),
    ],
    ids=["free-text", "untyped-iso", "datetime"],
)
def test_signed_on_wrong_datatype(value: Literal) -> None:
    data = example()
    data.set((AGREEMENT, CG.signedOn, value))
    finding = only_violation(data)
    assert (finding.path, finding.value) == (str(CG.signedOn), str(value))
    assert "xsd:date, xsd:gYearMonth or xsd:gYear" in finding.message


@pytest.mark.parametrize(
    "value",
    [Literal("2015-11", datatype=XSD.gYearMonth), Literal("2015", datatype=XSD.gYear)],
    ids=["gYearMonth", "gYear"],
)
def test_signed_on_partial_dates_are_fine(value: Literal) -> None:
    data = example()
    data.set((AGREEMENT, CG.signedOn, value))
    assert validate(data).conforms


def test_signed_on_twice() -> None:
    data = example()
    data.add((AGREEMENT, CG.signedOn, Literal("2015", datatype=XSD.gYear)))
    finding = only_violation(data)
    assert finding.path == str(CG.signedOn)
    assert "at most one" in finding.message


def test_cooperation_area_not_in_scheme() -> None:
    data = example()
    data.add((AGREEMENT, CG.cooperationArea, CGA["flying-cars"]))
    finding = only_violation(data)
    assert (finding.path, finding.value) == (str(CG.cooperationArea), str(CGA["flying-cars"]))
    assert "concept of the area scheme" in finding.message


def test_cooperation_area_as_text() -> None:
    data = example()
    data.add((AGREEMENT, CG.cooperationArea, Literal("tourism")))
    assert only_violation(data).path == str(CG.cooperationArea)


def test_allowed_areas_are_the_scheme() -> None:
    """The sh:in list of the shapes must list exactly the concepts of areas.ttl."""
    shapes = Graph().parse(resource_dir("shapes") / "citygraph.shacl.ttl", format="turtle")
    areas = Graph().parse(resource_dir("ontology") / "areas.ttl", format="turtle")
    shape = shapes.value(predicate=SH.path, object=CG.cooperationArea)
    listed = set(shapes.collection(shapes.value(shape, SH["in"])))
    assert listed == set(areas.subjects(SKOS.inScheme, CGA.scheme))


def test_signatory_without_label() -> None:
    data = example()
    data.remove((PARK, RDFS.label, None))
    finding = only_violation(data)
    assert (finding.focus, finding.path) == (str(PARK), str(RDFS.label))
    assert "must have an rdfs:label" in finding.message


def test_signatory_representing_a_non_party() -> None:
    data = example()
    busan = CGID["place/Q16520"]
    data.set((PARK, CG.represents, busan))
    finding = only_violation(data)
    assert (finding.focus, finding.path, finding.value) == (str(AGREEMENT), str(CG.signatory), str(PARK))
    assert finding.message == "A signatory must represent one of the parties of the agreement it signed."


def test_participant_need_not_represent_a_party() -> None:
    data = example()
    ambassador = CGID["official/0000000000000001"]
    data.add((AGREEMENT, CG.participant, ambassador))
    data.add((ambassador, RDFS.label, Literal("An Ambassador")))
    data.add((ambassador, CG.represents, CGID["place/Q16520"]))
    assert validate(data).conforms


def test_official_representing_two_parties() -> None:
    data = example()
    data.add((PARK, CG.represents, VIENTIANE))
    finding = only_violation(data)
    assert (finding.focus, finding.path) == (str(PARK), str(CG.represents))
    assert finding.message.startswith("An official may represent at most one party")


def test_agreement_without_source_document() -> None:
    data = example()
    data.remove((AGREEMENT, PROV.wasDerivedFrom, None))
    finding = only_violation(data)
    assert (finding.focus, finding.path) == (str(AGREEMENT), str(PROV.wasDerivedFrom))
    assert "prov:wasDerivedFrom" in finding.message


def test_agreement_without_evidence() -> None:
    data = example()
    data.remove((AGREEMENT, CG.evidence, None))
    finding = only_violation(data)
    assert (finding.focus, finding.path) == (str(AGREEMENT), str(CG.evidence))
    assert "cg:evidence" in finding.message


def test_document_without_source() -> None:
    data = example()
    data.remove((DOCUMENT, DCTERMS.source, None))
    finding = only_violation(data)
    assert (finding.focus, finding.path) == (str(DOCUMENT), str(DCTERMS.source))
    assert "dcterms:source" in finding.message


def test_untyped_document_is_still_checked() -> None:
    data = example()
    data.remove((DOCUMENT, None, None))
    assert only_violation(data).focus == str(DOCUMENT)


@pytest.mark.parametrize(
    "target",
    [
        URIRef("https://www.wikidata.org/wiki/Q8684"),
        URIRef("http://www.wikidata.org/entity/Q08684"),
        URIRef("https://www.wikidata.org/entity/Q8684"),
        URIRef("http://www.wikidata.org/entity/P17"),
        Literal("Q8684"),
        Literal("http://www.wikidata.org/entity/Q8684"),
        CGID["place/kr/seoul"],
        BNode(),
    ],
    ids=["wiki-page", "leading-zero", "https", "property", "bare-qid", "iri-as-text", "minted", "blank"],
)
def test_same_as_not_a_wikidata_item(target: URIRef | Literal | BNode) -> None:
    data = example()
    data.set((SEOUL, OWL.sameAs, target))
    finding = only_violation(data)
    assert (finding.focus, finding.path) == (str(SEOUL), str(OWL.sameAs))
    assert "Wikidata item IRI" in finding.message


@pytest.mark.parametrize(
    "value",
    [
        Literal("1.5", datatype=XSD.decimal),
        Literal("-0.1", datatype=XSD.decimal),
        Literal("0.9", datatype=XSD.double),
        Literal("0.9"),
        Literal("high"),
    ],
    ids=["above-one", "negative", "double", "untyped", "word"],
)
def test_confidence_not_a_decimal_in_unit_interval(value: Literal) -> None:
    data = example()
    data.set((AGREEMENT, CG.confidence, value))
    report = validate(data)
    assert not report.conforms
    found = violations(report)
    assert {(f.focus, f.path) for f in found} == {(str(AGREEMENT), str(CG.confidence))}
    assert all(f.message == "cg:confidence must be a single xsd:decimal between 0 and 1." for f in found)


@pytest.mark.parametrize("value", ["0", "1", "1.0", "0.25"])
def test_confidence_bounds_are_inclusive(value: str) -> None:
    data = example()
    data.set((AGREEMENT, CG.confidence, Literal(value, datatype=XSD.decimal)))
    assert validate(data).conforms


def test_passing_mention_must_be_boolean() -> None:
    data = example()
    data.add((AGREEMENT, CG.passingMention, Literal("yes")))
    assert only_violation(data).path == str(CG.passingMention)


def test_country_code_pattern() -> None:
    data = example()
    data.set((WD.Q884, CG.countryCode, Literal("kor")))
    finding = only_violation(data)
    assert (finding.focus, finding.path) == (str(WD.Q884), str(CG.countryCode))


def test_finding_carries_focus_label() -> None:
    data = example()
    data.add((SEOUL, CG.country, WD.Q423))
    assert only_violation(data).focus_label == "Seoul"


def test_validation_does_not_modify_the_data() -> None:
    data = example()
    before = set(data)
    validate(data)
    assert set(data) == before


def test_report_to_json() -> None:
    data = example()
    data.remove((AGREEMENT, CG.evidence, None))
    payload = json.loads(report_to_json(validate(data)))
    assert payload["conforms"] is False
    assert payload["results"][0] == {
        "focus": str(AGREEMENT),
        "focus_label": None,
        "path": str(CG.evidence),
        "message": "An agreement must have at least one cg:evidence: "
        "the sentence of the source that states it.",
        "severity": "Violation",
        "value": None,
    }


@pytest.mark.filterwarnings(
    "ignore:Dataset.default_context is deprecated:DeprecationWarning"
)  # rdflib inside pyshacl
def test_dataset_with_named_graph() -> None:
    dataset = Dataset()
    graph = dataset.graph(CGID["graph/0000000000000000"])
    graph.parse(EXAMPLE, format="turtle")
    assert validate(dataset).conforms
    graph.add((SEOUL, CG.country, WD.Q423))
    finding = only_violation(dataset)
    assert (finding.focus, finding.focus_label) == (str(SEOUL), "Seoul")
