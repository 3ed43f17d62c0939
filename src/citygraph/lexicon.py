"""The converter's non-area word lists, read from `ontology/lexicon.ttl` (SKOS labels, not Python lists)."""

from __future__ import annotations

from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from citygraph.resources import resource_dir

__all__ = [
    "labels",
    "title_words",
    "national_titles",
    "all_titles",
    "organisation_words",
    "government_bodies",
]

_CGL = "https://w3id.org/citygraph/lexicon/"


@cache
def _graph() -> Graph:
    return Graph().parse(resource_dir("ontology") / "lexicon.ttl", format="turtle")


@cache
def labels(concept: str) -> frozenset[str]:
    """Lower-case alternative labels of a lexicon concept (`local-executive`, `organisation-word`...)."""
    return frozenset(str(o).lower() for o in _graph().objects(URIRef(_CGL + concept), SKOS.altLabel))


def all_titles() -> frozenset[str]:
    """Every title an official may carry.

    >>> "mayor" in all_titles() and "ambassador" in all_titles()
    True
    """
    local = labels("local-executive") | labels("legislator")
    return local | labels("national-official") | labels("honorific")


def national_titles() -> frozenset[str]:
    return labels("national-official")


_NOT_BREAKERS = {
    "of",
    "the",
    "city",
    "county",
    "state",
    "municipal",
    "general",
    "member",
    "judge",
    "executive",
    "manager",
    "delegate",
    "leader",
    "head",
    "party",
    "first",
    "d'affaires",
}


@cache
def title_words() -> frozenset[str]:
    """Head words of titles ("mayor", "governor") and their usual modifiers ("vice", "deputy").

    A capitalised one ends a place or person name ("Seoul Mayor Park"); words that also name places
    or bodies ("City", "County", "State") do not, or "Grant County" would be cut in two.

    >>> "mayor" in title_words(), "county" in title_words()
    (True, False)
    """
    heads = {t.replace("-", " ").split()[-1] for t in all_titles()}
    heads |= {"vice", "deputy", "acting", "lord", "chief"}
    return frozenset(heads - _NOT_BREAKERS)


def organisation_words() -> frozenset[str]:
    return labels("organisation-word")


def government_bodies() -> frozenset[str]:
    return labels("government-body")
