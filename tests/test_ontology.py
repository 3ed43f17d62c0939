"""The ontology, the area scheme and the JSON-LD context are well-formed and keep the contract."""

from __future__ import annotations

import json
from pathlib import Path

import owlrl
import pytest
from pyld import jsonld
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, SKOS

from citygraph.namespaces import CG, CGA, CGID, ORG, SCHEMA, WD
from citygraph.resources import resource_dir
from citygraph.validate import validate

ONTOLOGY = resource_dir("ontology")
EXAMPLE = Path(__file__).parent / "fixtures" / "example.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/citygraph/ontology")
REQUIRED_AREAS = [
    "transport", "water supply", "sanitation", "urban planning", "e-government", "tourism", "culture",
    "education", "health", "environment", "economy", "trade", "investment", "science and technology",
    "sport", "youth", "agriculture", "public safety", "disaster management", "smart city", "housing",
    "waste management", "energy", "climate", "maritime affairs",
]  # fmt: skip
AGREEMENT_SUBCLASSES = [
    CG.SisterCityAgreement,
    CG.FriendshipAgreement,
    CG.MemorandumOfUnderstanding,
    CG.LetterOfIntent,
    CG.CooperationAgreement,
    CG.Renewal,
]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "citygraph.ttl", format="turtle")


@pytest.fixture(scope="module")
def areas() -> Graph:
    return Graph().parse(ONTOLOGY / "areas.ttl", format="turtle")


@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))


def concepts(areas: Graph) -> set[URIRef]:
    return {c for c in areas.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)}


# --- ontology ---------------------------------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )


def test_every_term_is_labelled_and_commented(ontology: Graph) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {t for kind in kinds for t in ontology.subjects(RDF.type, kind) if str(t).startswith(str(CG))}
    assert len(terms) > 20
    for term in terms:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term


def test_contract_terms(ontology: Graph) -> None:
    subclass = {
        CG.City: CG.LocalGovernment,
        CG.Region: CG.LocalGovernment,
        CG.CooperationArea: SKOS.Concept,
        CG.Official: FOAF.Person,
        CG.SourceDocument: PROV.Entity,
    }
    for child, parent in subclass.items():
        assert (child, RDFS.subClassOf, parent) in ontology
    assert (CG.Official, RDFS.subClassOf, SCHEMA.Person) in ontology
    assert (CG.SourceDocument, RDFS.subClassOf, FOAF.Document) in ontology
    assert (CG.represents, RDFS.subPropertyOf, ORG.memberOf) in ontology
    assert (CG.Country, RDF.type, OWL.Class) in ontology
    for cls in AGREEMENT_SUBCLASSES:
        assert (cls, RDFS.subClassOf, CG.Agreement) in ontology
    properties = [CG.party, CG.signedOn, CG.cooperationArea, CG.signatory, CG.participant, CG.evidence,
                  CG.confidence, CG.passingMention, CG.renews, CG.country, CG.countryCode, CG.title,
                  CG.represents]  # fmt: skip
    for prop in properties:
        assert ontology.value(prop, RDF.type) in (OWL.ObjectProperty, OWL.DatatypeProperty), prop
    assert ontology.value(CG.confidence, RDFS.range) == URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def test_agreement_classes_carry_lower_case_labels(ontology: Graph) -> None:
    for cls in AGREEMENT_SUBCLASSES:
        assert ontology.value(cls, SKOS.prefLabel) is not None, cls
        alt = [str(a) for a in ontology.objects(cls, SKOS.altLabel)]
        assert len(alt) >= 5, cls
        assert all(a == a.lower().strip() and a for a in alt), cls


def test_cues_are_annotations_on_agreement(ontology: Graph) -> None:
    for prop in (CG.signingCue, CG.negationCue):
        assert (prop, RDF.type, OWL.AnnotationProperty) in ontology
        cues = {str(c) for c in ontology.objects(CG.Agreement, prop)}
        assert cues and all(c == c.lower().strip() for c in cues)
    signing = {str(c) for c in ontology.objects(CG.Agreement, CG.signingCue)}
    negation = {str(c) for c in ontology.objects(CG.Agreement, CG.negationCue)}
    assert {"signed", "inked", "concluded", "entered into", "became twin cities", "agreed"} <= signing
    assert {"discussed", "proposed", "considered", "explore", "talks on"} <= negation
    assert not signing & negation


# --- area scheme ------------------------------------------------------------------------------------


def test_required_area_pref_labels(areas: Graph) -> None:
    pref = {str(areas.value(c, SKOS.prefLabel)): c for c in concepts(areas)}
    for label in REQUIRED_AREAS:
        assert label in pref, label
        assert pref[label] == CGA[label.replace(" ", "-")]
        assert areas.value(pref[label], SKOS.prefLabel) == Literal(label, lang="en")


def test_every_concept_in_scheme(areas: Graph) -> None:
    assert (CGA.scheme, RDF.type, SKOS.ConceptScheme) in areas
    found = concepts(areas)
    assert len(found) >= len(REQUIRED_AREAS)
    for concept in found:
        assert (concept, SKOS.inScheme, CGA.scheme) in areas, concept
        assert (concept, RDF.type, CG.CooperationArea) in areas, concept
        assert areas.value(concept, SKOS.definition) is not None, concept
        assert len(list(areas.objects(concept, SKOS.prefLabel))) == 1, concept
        slug = str(areas.value(concept, SKOS.prefLabel)).replace(" ", "-")
        assert concept == CGA[slug]


def test_top_concepts_are_those_without_broader(areas: Graph) -> None:
    top = set(areas.objects(CGA.scheme, SKOS.hasTopConcept))
    assert top == set(areas.subjects(SKOS.topConceptOf, CGA.scheme))
    assert top == {c for c in concepts(areas) if areas.value(c, SKOS.broader) is None}


def test_natural_hierarchy(areas: Graph) -> None:
    assert (CGA.trade, SKOS.broader, CGA.economy) in areas
    assert (CGA.investment, SKOS.broader, CGA.economy) in areas
    assert (CGA["public-transit"], SKOS.broader, CGA.transport) in areas
    for concept, broader in areas.subject_objects(SKOS.broader):
        assert broader in concepts(areas), (concept, broader)


def test_alt_labels_lower_case_and_unique(areas: Graph) -> None:
    seen: dict[str, URIRef] = {}
    for concept in concepts(areas):
        for label in areas.objects(concept, SKOS.altLabel):
            text = str(label)
            assert text == text.lower().strip(), text
            assert text not in seen or seen[text] == concept, text
            seen[text] = concept
    assert seen["sewage"] == CGA.sanitation


def test_cofog_matches(areas: Graph) -> None:
    cofog = "https://unstats.un.org/unsd/classifications/Econ/cofog#"
    expected = {"transport": "04.5", "water-supply": "06.3", "sanitation": "05.2", "housing": "06.1",
                "health": "07", "education": "09", "culture": "08.2", "sport": "08.1"}  # fmt: skip
    for slug, code in expected.items():
        assert (CGA[slug], SKOS.closeMatch, URIRef(cofog + code)) in areas, slug


# --- JSON-LD context --------------------------------------------------------------------------------


def test_context_terms(context: dict) -> None:
    terms = context["@context"]
    assert terms["@version"] == 1.1
    for key in ("party", "cooperationArea", "signatory", "participant", "country", "sameAs", "represents",
                "wasDerivedFrom", "renews", "broader", "inScheme"):  # fmt: skip
        assert terms[key]["@type"] == "@id", key
    assert terms["party"]["@container"] == "@set"
    for name in ("City", "Region", "Official", "SourceDocument", "Country", "MemorandumOfUnderstanding"):
        assert terms[name] == "cg:" + name


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib parser
def test_context_round_trips_through_rdflib(context: dict) -> None:
    data = Graph().parse(EXAMPLE, format="turtle")
    data.add((CGID["agreement/608520a8e46e28fe"], CG.passingMention, Literal(False)))
    expanded = json.loads(data.serialize(format="json-ld"))
    compacted = jsonld.compact(expanded, context)
    nodes = {node["@id"]: node for node in compacted["@graph"]}
    assert nodes["cgid:place/Q8684"]["@type"] == "City"
    assert nodes["cgid:place/Q8684"]["sameAs"] == "wd:Q8684"
    agreement = nodes["cgid:agreement/608520a8e46e28fe"]
    assert agreement["@type"] == "MemorandumOfUnderstanding"
    assert agreement["signedOn"] == "2015-11-05"
    assert sorted(agreement["party"]) == ["cgid:place/Q8684", "cgid:place/Q9326"]
    assert "cga:water-supply" in agreement["cooperationArea"]
    back = Graph().parse(data=json.dumps(compacted), format="json-ld")
    assert isomorphic(back, data)


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib parser
def test_context_parses_hand_written_document(context: dict) -> None:
    document = {
        "@context": context["@context"],
        "@id": "cgid:agreement/0000000000000000",
        "@type": "SisterCityAgreement",
        "party": ["cgid:place/Q1", "cgid:place/Q2"],
        "signedOn": {"@value": "1994", "@type": "xsd:gYear"},
        "cooperationArea": ["cga:culture"],
        "confidence": "0.5",
    }
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    agreement = CGID["agreement/0000000000000000"]
    assert (agreement, RDF.type, CG.SisterCityAgreement) in graph
    assert len(list(graph.objects(agreement, CG.party))) == 2
    assert graph.value(agreement, CG.signedOn).datatype == URIRef("http://www.w3.org/2001/XMLSchema#gYear")
    assert (agreement, CG.cooperationArea, CGA.culture) in graph
    assert graph.value(agreement, CG.confidence).datatype == URIRef(
        "http://www.w3.org/2001/XMLSchema#decimal"
    )


# --- reasoning --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def closure() -> Graph:
    graph = Graph()
    for path in (ONTOLOGY / "citygraph.ttl", ONTOLOGY / "areas.ttl", EXAMPLE):
        graph.parse(path, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph


def test_owl_rl_closure_adds_expected_inferences(closure: Graph) -> None:
    seoul = CGID["place/Q8684"]
    agreement = CGID["agreement/608520a8e46e28fe"]
    official = CGID["official/3d32ce147f565544"]
    assert (seoul, RDF.type, CG.LocalGovernment) in closure
    assert (seoul, RDF.type, ORG.Organization) in closure
    assert (agreement, RDF.type, CG.Agreement) in closure
    assert (agreement, RDF.type, PROV.Entity) in closure
    assert (official, RDF.type, FOAF.Person) in closure
    assert (official, ORG.memberOf, seoul) in closure
    assert (agreement, DCTERMS.subject, CGA.transport) in closure
    assert (WD.Q884, RDF.type, CG.Country) in closure
    assert (WD.Q8684, OWL.sameAs, seoul) in closure  # symmetric
    assert (WD.Q8684, RDFS.label, Literal("Seoul", lang="en")) in closure  # sameAs copies statements
    assert (CGA.sanitation, RDF.type, SKOS.Concept) in closure


def test_shapes_hold_over_the_closure(closure: Graph) -> None:
    """The shapes are written to tolerate OWL RL consequences (sameAs symmetry, reflexivity, copies)."""
    report = validate(closure)
    assert report.conforms, report.results
    assert report.results == []
