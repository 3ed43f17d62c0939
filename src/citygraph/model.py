"""Plain records the converter produces, before they become RDF.

Keeping extraction output as data (not RDF) lets each pipeline stage be tested alone and lets
`evaluate` compare it with gold annotations without a round trip through a graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Party", "Official", "Agreement", "Document", "Extraction"]


@dataclass(frozen=True)
class Party:
    """A local government as the document names it, with what linking found."""

    label: str
    kind: str  # "city" | "region"
    country: str  # ISO 3166-1 alpha-2, "" when unknown
    qid: str | None = None
    score: float = 0.0
    mention: str = ""

    @property
    def key(self) -> str:
        """Identity used to merge mentions of the same party within a document."""
        return self.qid or f"{self.country}:{self.label.casefold()}"


@dataclass(frozen=True)
class Official:
    name: str
    title: str | None = None
    party: str | None = None  # Party.key of the party represented
    signed: bool = False


@dataclass
class Agreement:
    parties: list[Party]
    type: str  # local name of the agreement class, e.g. "MemorandumOfUnderstanding"
    date: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY: the precision the text gives
    areas: list[str] = field(default_factory=list)  # concept IRIs
    officials: list[Official] = field(default_factory=list)
    evidence: str = ""
    passing: bool = False
    confidence: float = 0.5
    renews: int | None = None  # index, in the same extraction, of the agreement this one renews

    @property
    def signatories(self) -> list[Official]:
        return [o for o in self.officials if o.signed]


@dataclass(frozen=True)
class Document:
    """A decoded input: the cleaned text and what we know of where it came from."""

    source: str
    text: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD when the page or caller says
    header_date: str | None = None  # YYYY-MM-DD of a byline or timestamp that cleaning drops


@dataclass
class Extraction:
    document: Document
    agreements: list[Agreement]
