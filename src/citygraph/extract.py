"""The converter's pipeline: document text in, agreements out.

Stages, each a module testable alone: `text` (clean), `sentences`, `officials`, `places`, agreement
detection (here), `dates`, `areas`. Detection reads its vocabulary from the ontology: agreement
types and signing/negation cues (`vocab`), titles and organisation words (`lexicon`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from citygraph import dates, lexicon, vocab
from citygraph.areas import area_cue, find_areas
from citygraph.gazetteer import Gazetteer
from citygraph.link import resolve, strip_admin_words
from citygraph.model import Agreement, Document, Extraction, Official, Party
from citygraph.officials import OfficialMention, find_officials, sign_verbs
from citygraph.phrases import PhraseMatcher
from citygraph.places import KIND_WORDS, PlaceMention, find_places
from citygraph.sentences import Sentence, split_sentences

__all__ = ["extract", "TYPE_PRIORITY"]

# When one sentence names several instruments, the most specific wins.
TYPE_PRIORITY = [
    "Renewal",
    "LetterOfIntent",
    "SisterCityAgreement",
    "MemorandumOfUnderstanding",
    "FriendshipAgreement",
    "CooperationAgreement",
]
_COREF = re.compile(
    r"\b((?:the|their|both) (?:two |three )?(?:[a-z]+ )?(?:cities|sides|parties|localities|regions|"
    r"provinces|towns|capitals|municipalities|councils|communities|prefectures|states)|"
    r"both (?:cities|sides|parties|regions|provinces|towns)|the parties|"
    r"both)\b",
    re.I,
)
_RELATION = re.compile(
    r"\b(since|already|existing|have been|has been|is also|twinned with|"
    r"(?:is|are|were) (?:already )?(?:a |the )?(?:sister|twin|partner|friendship)|"
    r"partner city of|sister city of|partnerships? with|relations? with)\b",
    re.I,
)
_NOT_SIGNING_DATE = re.compile(
    r"\b(in force|effective|valid|until|till|expir\w*|approv\w*|endors\w*|from|visit\w*|"
    r"founded|launched|born|elected|meeting)\b[^.;]{0,40}$",
    re.I,
)
# "renewed the charter that first linked the two cities in 1969": the old tie's date, not the new signing
# (a relative clause: "Dunedin and Shanghai first became sister cities in 1994" dates that older tie itself)
_ORIGINAL_TIE = re.compile(
    r"\b(?:that|which)\s+(?:had\s+|has\s+|have\s+)?(?:first|originally|initially)\b[^.;]{0,40}$", re.I
)
_CEREMONY = re.compile(r"\b(ceremony|signing|signed|took place|held)\b", re.I)
_DATELINE_END = re.compile(r"\s*\)?\s*(?:\(\w+\)\s*)?[-–—:|]")
_PAST_SIGNING = re.compile(r"\b(signed|inked|concluded|sealed|initialled|re-signed)\b", re.I)
# "has signed sister-city agreements with 21 foreign cities", "counts nine sister cities": a tally of a
# place's partners, not an agreement
_PARTNERS = r"(?:cities|municipalities|provinces|regions|partners|counterparts|towns)\b"
_PARTNER_COUNT = re.compile(
    r"\b(?=[wch])(?:with|counts|has|have|had)\s+(?:more than\s+|over\s+|some\s+|about\s+)?"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a dozen|dozens of|several|many)\s+"
    r"(?:[\w-]+\s+){0,3}" + _PARTNERS,
    re.I,
)
_PARTNER_COUNT_WORDS = re.compile(r"(?=[cmprt])" + _PARTNERS, re.I)  # the cheap test before the full one
_SAME_DAY = {"the same day", "earlier the same day", "earlier that day", "earlier this day"}


@cache
def _cues(kind: str) -> PhraseMatcher:
    return PhraseMatcher(vocab.signing_cues() if kind == "sign" else vocab.negation_cues())


@cache
def _together() -> PhraseMatcher:
    return PhraseMatcher(lexicon.labels("joint-action-word"))


@cache
def _type_matcher() -> PhraseMatcher:
    return PhraseMatcher(
        {label: iri.rsplit("#", 1)[-1] for label, iri in vocab.agreement_type_labels().items()}
    )


def _types(text: str) -> list[str]:
    return list(_types_cached(text))


@lru_cache(maxsize=8192)
def _types_cached(text: str) -> tuple[str, ...]:
    found = tuple(str(value) for value in _type_matcher().values(text))
    if "Renewal" in found and _RENEWAL_TERMS.search(text):  # a clause on how long it lasts, no renewal
        found = tuple(t for t in found if t != "Renewal")
    return found


# "it is renewed automatically unless either side gives notice", "can be renewed", "renewable for five years"
_RENEWAL_TERMS = re.compile(
    r"\b(?:(?:can|may|shall|will|could|would|is|are)\s+(?:be\s+)?(?:automatically\s+|tacitly\s+)?"
    r"(?:renewed|extended)\b|renewed (?:automatically|tacitly)|"
    r"renewable\b(?!\s+(?:energ|resource|source|power)))",
    re.I,
)


def _specific(types: list[str]) -> str | None:
    for t in TYPE_PRIORITY:
        if t in types:
            return t
    return None


@dataclass
class _Candidate:
    sentence: Sentence
    parties: list[PlaceMention]
    types: list[str]
    signed: bool
    passing: bool
    score: float
    extra: list[Sentence] = field(default_factory=list)
    filled: bool = False  # parties guessed from the document's most named places
    span: tuple[int, int] | None = None  # the clause that states it, when a sentence states several
    parties_named: int = 0  # how many parties the sentence itself named, before any guess


def _party(m: PlaceMention) -> Party:
    r = m.resolution
    place = r.place
    common = {c.country for c, _ in r.candidates if c.country}
    fallback = common.pop() if len(common) == 1 else ""
    return Party(
        label=r.label,
        kind=r.kind or (place.kind if place else "city") or "city",
        country=(place.country if place and place.country else r.country or m.country or fallback),
        qid=place.qid if place else None,
        score=r.score,
        mention=m.text,
    )


def _unique(mentions: list[PlaceMention]) -> list[PlaceMention]:
    seen: dict[str, PlaceMention] = {}
    for m in mentions:
        key = _party(m).key
        if key not in seen:
            seen[key] = m
    return list(seen.values())


def _person_spans(text: str, officials: list[OfficialMention]) -> list[tuple[int, int]]:
    """Where people's names are: the full name, and its last two words said alone ("Teixeira Lima said")."""
    spans = []
    for off in officials:
        words = off.name.split()
        for name in dict.fromkeys([off.name, " ".join(words[-2:])] if len(words) > 2 else [off.name]):
            at = text.find(name)
            while at >= 0:
                spans.append((at, at + len(name)))
                at = text.find(name, at + len(name))
    return spans


def _reference_date(doc: Document, lines: list[str]) -> dt.date | None:
    if doc.published:
        try:
            return dt.date.fromisoformat(doc.published[:10])
        except ValueError:
            pass
    found = dates.publication_date(lines)  # the story's dateline first: "yesterday" counts from it
    if found is None and doc.header_date:
        found = dt.date.fromisoformat(doc.header_date)
    return found or dates.publication_date([], doc.source)


def extract(doc: Document, gaz: Gazetteer | None = None) -> Extraction:
    """Find the agreements a document reports.

    >>> from citygraph.model import Document
    >>> text = ("SEOUL, Nov. 5, 2015 - Seoul Mayor Park Won-soon and Hanoi Mayor Nguyen Van A signed an MOU "
    ...         "on urban planning today.")
    >>> ag = extract(Document("x.txt", text)).agreements[0]
    >>> sorted(p.label for p in ag.parties), ag.date, ag.type
    (['Hanoi', 'Seoul'], '2015-11-05', 'MemorandumOfUnderstanding')
    """
    gaz = gaz or Gazetteer.default()
    lines = doc.text.split("\n")
    sentences = split_sentences(doc.text)
    reference = _reference_date(doc, lines)
    officials = find_officials(sentences, gaz)
    places = [find_places(s.text, gaz, persons=_person_spans(s.text, officials)) for s in sentences]
    places = _prefer_longer_names(sentences, places)
    places = _repeat_names(sentences, places)
    places = _one_reading(places)
    places = [
        _country_from_next(s.text, _infer_countries(found))
        for s, found in zip(sentences, places, strict=True)
    ]
    places = _share_countries(places)
    candidates = _candidates(sentences, places)
    groups = _group(candidates, sentences, places, reference)
    main_keys = [_key(g[0]) for g in groups if not g[0].passing]
    groups = [
        g
        for g in groups
        if not (
            g[0].passing
            and _key(g[0]) in main_keys
            and not any(d.complete for c in g for d in dates.find_dates(c.sentence.text))
        )
    ]
    agreements: list[Agreement] = []
    owners = _owners(groups, sentences, [_told_in_passing(g, reference) for g in groups])
    for gid, group in enumerate(groups):
        ag = _assemble(group, sentences, places, reference, [o in (gid, None) for o in owners])
        if ag is None:
            continue
        previous = next((a for a in reversed(agreements) if not a.passing), None)
        if (
            ag.date is None
            and previous is not None
            and not ag.passing
            and re.search(r"\balso\b", ag.evidence)
            and {p.key for p in ag.parties} == {p.key for p in previous.parties}
        ):
            ag.date = previous.date  # "The parties also signed ...": the same ceremony
        agreements.append(ag)
    mains = [a for a in agreements if not a.passing]
    agreements = [
        a
        for a in agreements
        if not (
            a.passing
            and any(
                {p.key for p in a.parties} == {p.key for p in m.parties}
                and (a.date is None or a.date >= (m.date or ""))
                for m in mains
            )
        )
    ]
    agreements = [a for a in agreements if not _domestic(a)]
    _attach_officials(agreements, officials)
    _link_renewals(agreements)
    return Extraction(doc, agreements)


def _prefer_longer_names(
    sentences: list[Sentence], places: list[list[PlaceMention]]
) -> list[list[PlaceMention]]:
    """ "Puerto Morelos (Mexico)" once named, a later "Puerto Morelos" is not the state of Morelos."""
    longer = {m.text: m for found in places for m in found if m.role == "place" and len(m.text.split()) > 1}
    out = []
    for s, found in zip(sentences, places, strict=True):
        fixed = []
        for m in found:
            for text, full in longer.items():
                if text == m.text or m.text not in text:
                    continue
                start = m.start - text.index(m.text)
                if start >= 0 and s.text[start : start + len(text)] == text:
                    m = replace(full, start=start, end=start + len(text), role=m.role)
                    break
            fixed.append(m)
        out.append(fixed)
    return out


def _share_countries(places: list[list[PlaceMention]]) -> list[list[PlaceMention]]:
    """A name whose country one mention shows ("Rambouillet, ..., France") has it everywhere."""
    known: dict[str, str] = {}
    for found in places:
        for m in found:
            country = m.country or m.resolution.country
            if m.role != "country" and country:
                known.setdefault(m.resolution.label.casefold(), country)
    out = []
    for found in places:
        fixed = []
        for m in found:
            code = known.get(m.resolution.label.casefold())
            if m.role != "country" and not (m.country or m.resolution.country) and code:
                m = replace(m, country=code, resolution=replace(m.resolution, country=code))
            fixed.append(m)
        out.append(fixed)
    return out


def _one_reading(places: list[list[PlaceMention]]) -> list[list[PlaceMention]]:
    """A name means one place throughout a document: where the text once told its kind ("the Mayor of
    Galway", "the State of Paraná"), that reading holds for its bare mentions too."""
    told: dict[str, PlaceMention] = {}
    for found in places:
        for m in found:
            if m.kind_hint and m.role != "country" and m.resolution.place is not None:
                told.setdefault(m.text, m)
    out = []
    for found in places:
        fixed = []
        for m in found:
            proto = told.get(m.text)
            if (
                proto is not None
                and not m.kind_hint
                and m.role != "country"
                and m.resolution.place != proto.resolution.place
            ):
                m = replace(m, resolution=replace(proto.resolution, mention=m.text), country=proto.country)
            fixed.append(m)
        out.append(fixed)
    return out


def _repeat_names(sentences: list[Sentence], places: list[list[PlaceMention]]) -> list[list[PlaceMention]]:
    """A name the text once marked as a place ("the towns of Rambouillet") is a place wherever it recurs."""
    names = {
        m.text: m
        for found in places
        for m in found
        if m.role in ("place", "venue") and not m.known and len(m.text) > 3
    }
    out = []
    for s, found in zip(sentences, places, strict=True):
        found = list(found)
        for text, proto in names.items():
            for hit in re.finditer(r"(?<![\w-])" + re.escape(text) + r"(?![\w-])", s.text):
                if any(m.start < hit.end() and hit.start() < m.end for m in found):
                    continue
                found.append(replace(proto, start=hit.start(), end=hit.end(), role="place"))
        out.append(sorted(found, key=lambda m: m.start))
    return out


def _infer_countries(found: list[PlaceMention]) -> list[PlaceMention]:
    """An unknown place takes the one country its sentence names that no other place there claims."""
    countries = {m.country for m in found if m.role == "country" and m.country}
    claimed = {m.country for m in found if m.role != "country" and m.country}
    free = countries - claimed
    if len(free) != 1:
        return found
    code = free.pop()
    out = []
    for m in found:
        if m.role != "country" and not m.country and not m.resolution.country:
            m = replace(m, country=code, resolution=replace(m.resolution, country=code))
        out.append(m)
    return out


def _country_from_next(sentence: str, found: list[PlaceMention]) -> list[PlaceMention]:
    """ "Rambouillet, then in the French department of Seine-et-Oise": the place named just after,
    across a comma, locates the one before it."""
    out = list(found)
    for i, m in enumerate(out):
        after = out[i + 1] if i + 1 < len(out) else None
        code = (after.country or after.resolution.country) if after and after.role == "container" else ""
        if m.role in ("place", "possessive") and code and m.resolution.country not in ("", code):
            # "the Stari Grad municipality of the Bosnian capital Sarajevo": not Croatia's Stari Grad
            res = resolve(m.text, country=code, kind=m.kind_hint)
            out[i] = replace(m, country=code, resolution=res, known=res.place is not None)
            continue
        if m.role == "country" or m.country or m.resolution.country:
            continue
        for n in out[i + 1 :]:
            gap = sentence[m.end : n.start]
            code = n.country or n.resolution.country
            if n.role != "country" and code and gap.lstrip().startswith(",") and len(gap) < 60:
                out[i] = replace(m, country=code, resolution=replace(m.resolution, country=code))
                break
    return out


def _candidates(sentences: list[Sentence], places: list[list[PlaceMention]]) -> list[_Candidate]:
    out: list[_Candidate] = []
    doc_has_type = any(_types(s.text) for s in sentences)
    for s, found in zip(sentences, places, strict=True):
        text = s.text
        earlier = _earlier_agreement(text, found)
        if earlier is not None:  # "... following the extended MOU between Aichi and Washington, ..."
            (start, end), pair = earlier
            out.append(
                _Candidate(s, pair, _types(text[start:end]) or ["CooperationAgreement"], False, True, 1.0)
            )
            found = [m for m in found if m not in pair]
            text = text[:start] + " " * (end - start) + text[end:]
        subject_pairs = _subject_pairs(s, found)
        if subject_pairs:
            out.extend(subject_pairs)
            continue
        types = _types(text)
        verb = bool(sign_verbs(text))
        sign = verb or _cues("sign").search(text)
        neg = _cues("neg").search(text)
        parties = _unique([m for m in found if m.role == "place"])
        if len(parties) < 2:  # "Hobart's sister city relationship with Yaizu": the possessive is a party
            parties = _unique([m for m in found if m.role in ("place", "possessive")])
        if neg and not _PAST_SIGNING.search(_without(text, _cues("neg").finditer(text))):
            continue  # "discussed", "proposed that they sign", "could be signed": nothing was signed
        if _PARTNER_COUNT_WORDS.search(text) and _PARTNER_COUNT.search(text):
            continue
        if types and sign:
            score = 2.0 + min(len(parties), 2) + (0.5 if verb else 0)
            out.append(_Candidate(s, parties, types, True, False, score))
        elif verb and len(parties) >= 2 and doc_has_type:
            out.append(_Candidate(s, parties, types, True, False, 1.5 + min(len(parties), 2)))
        elif types and len(parties) >= 2 and re.search(r"\bbetween\b", text, re.I) and s.index < 3:
            out.append(_Candidate(s, parties, types, False, False, 2.0))
        elif types and len(parties) == 2 and _RELATION.search(text):
            out.append(_Candidate(s, parties, types, False, True, 1.0))
        elif len(parties) >= 4 and re.search(r"\bpartnerships?\b.*\bwith\b", text, re.I):
            out.extend(_pairs_list(s, parties))
    return out


_EARLIER = re.compile(
    r"\b(?=[fuabi])(?:following|under|after|based on|building on|builds on|in line with)\s+"
    r"(?:the|an?|their)\s+"
    r"(?:(?:existing|extended|earlier|previous|former|original|\d{4})\s+)?"
    r"(?P<noun>(?:[\w-]+\s+){0,4}?)between\s+",
    re.I,
)


def _earlier_agreement(
    text: str, found: list[PlaceMention]
) -> tuple[tuple[int, int], list[PlaceMention]] | None:
    """An older agreement named inside the sentence of a new one: its "between A and B" pair."""
    m = _EARLIER.search(text) if "between" in text else None
    if not m or not _types(m.group("noun")):
        return None
    after = [p for p in found if p.start >= m.end() and p.role not in ("country",)]
    if len(after) < 2 or not re.fullmatch(
        r"\s*and\s+(?:the\s+)?(?:(?:state|province|prefecture|region)\s+of\s+"
        r"(?:the\s+)?)?",
        text[after[0].end : after[1].start],
        re.I,
    ):
        return None
    pair = [after[0], after[1]]
    return (m.start(), after[1].end), pair


def _without(text: str, spans: list[tuple[int, int, str, object]]) -> str:
    for start, end, _, _ in reversed(spans):
        text = text[:start] + " " + text[end:]
    return text


_WITH = re.compile(
    r"\bwith\s+(?:the\s+)?(?:[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?(?:'s)?\s+)?(?:[a-z]+\s+)?"
    r"(?:(?:city|town|province|state|region|capital|prefecture)\s+of\s+)?$"
)


def _subject_pairs(s: Sentence, found: list[PlaceMention]) -> list[_Candidate]:
    """ "Galway, which has been twinned with Lorient since 1975, also has a sister city agreement with
    Chicago, signed in 1997": one subject, several partners each after its own "with". One agreement
    per pair: its type from the words before the partner, its date from the clause after it."""
    text = s.text
    named = [m for m in found if m.role in ("place", "possessive")]
    targets = [m for m in named if _WITH.search(text[max(0, m.start - 40) : m.start])]
    others = _unique([m for m in named if m not in targets])
    if len(targets) < 2 or len(others) != 1 or named[0] in targets or _cues("neg").search(text):
        return []  # "A with B, C with D" is a list of pairs (`_pairs_list`), not one subject's ties
    out = []
    for i, target in enumerate(targets):
        lead = text[targets[i - 1].end if i else 0 : target.start]
        types = _types(lead)
        if not types and not _RELATION.search(lead):
            return []
        end = text.rfind("with", 0, targets[i + 1].start) if i + 1 < len(targets) else len(text)
        signed = bool(sign_verbs(lead) or _cues("sign").search(lead) or "Renewal" in types)
        pair = [others[0], target]
        out.append(
            _Candidate(
                s,
                pair,
                types or ["CooperationAgreement"],
                signed,
                not signed,
                1.0,
                span=(targets[i - 1].end if i else 0, end),
            )
        )
    return out


def _pairs_list(s: Sentence, parties: list[PlaceMention]) -> list[_Candidate]:
    """ "A with B, C with D": existing partnerships listed in passing."""
    out = []
    for a, b in zip(parties, parties[1:], strict=False):
        if re.fullmatch(r"\s*with\s*", s.text[a.end : b.start]):
            out.append(_Candidate(s, [a, b], ["CooperationAgreement"], False, True, 0.8))
    return out


def _key(c: _Candidate) -> frozenset[str]:
    return frozenset(_party(m).key for m in c.parties)


def _bases(c: _Candidate) -> frozenset[str]:
    return frozenset(_base(m.text) for m in c.parties)


def _group(
    candidates: list[_Candidate],
    sentences: list[Sentence],
    places: list[list[PlaceMention]],
    reference: dt.date | None = None,
) -> list[list[_Candidate]]:
    """One group per agreement: same parties (or a back-reference), same instrument family."""
    groups: list[list[_Candidate]] = []
    frequent = _frequent_parties(sentences, places)
    for c in candidates:
        if len(c.parties) < 2 and not c.passing:
            previous = next((g for g in reversed(groups) if not g[0].passing), None)
            if _COREF.search(c.sentence.text) and previous is not None:
                c.parties = _unique(previous[0].parties + c.parties)
            elif dates.is_future(c.sentence.text) and not _PAST_SIGNING.search(c.sentence.text):
                continue  # "Bangkok to sign waste-to-energy deal with private firm": nothing signed yet
            else:
                c.parties_named = len(c.parties)
                c.parties = _unique(c.parties + [m for m in frequent if _party(m).key not in _key(c)])[:2]
                c.filled = True
        if len(c.parties) < 2:
            continue
        family = "intent" if _specific(c.types) == "LetterOfIntent" else "other"
        for g in groups:
            head = g[0]
            same = (
                _key(head) == _key(c) or _bases(head) == _bases(c) or (_key(c) < _key(head) and not c.passing)
            )
            head_family = "intent" if any(_specific(x.types) == "LetterOfIntent" for x in g) else "other"
            if (
                same
                and head.passing == c.passing
                and (head_family == family or not c.types)
                and _same_time(c, g, reference)
            ):
                g.append(c)
                break
        else:
            groups.append([c])
    # a headline's parties guessed from frequency belong to a fuller agreement that contains them
    for g in list(groups):
        if all(c.filled for c in g):
            home = next(
                (h for h in groups if h is not g and not h[0].passing and _key(g[0]) <= _key(h[0])), None
            )
            if home is not None:
                home.extend(g)
                groups.remove(g)
            elif all(c.sentence.index > 2 and not c.parties_named for c in g):
                groups.remove(g)  # "JICA signed a grant agreement with the government": no party named
    return groups


def _year(c: _Candidate) -> int | None:
    """The year a candidate sentence states outright ("was signed in July 2018"), if any."""
    return next((d.year for d in dates.find_dates(c.sentence.text) if d.complete and d.year), None)


def _same_time(c: _Candidate, group: list[_Candidate], reference: dt.date | None = None) -> bool:
    """Two statements whose own years differ speak of two instruments (a 2018 memorandum of intent
    and the 2020 agreement that followed it), even between the same parties."""
    year = _year(c)
    years = {y for y in (_year(x) for x in group) if y is not None}
    if year is not None and not years and reference is not None:
        return year >= reference.year - 1  # an old year joins no group of today's news
    return year is None or not years or any(abs(year - y) <= 1 for y in years)


def _frequent_parties(sentences: list[Sentence], places: list[list[PlaceMention]]) -> list[PlaceMention]:
    counts: dict[str, tuple[int, int, PlaceMention]] = {}
    for s, found in zip(sentences, places, strict=True):
        for m in found:
            if m.role not in ("place", "possessive"):
                continue
            key = _party(m).key
            n, first, kept = counts.get(key, (0, s.index, m))
            counts[key] = (n + 1, first, kept)
    ranked = sorted(counts.values(), key=lambda t: (-t[0], t[1]))
    return [m for n, _, m in ranked if n >= 2]


def _best(group: list[_Candidate]) -> _Candidate:
    """The sentence that states the agreement best: a full sentence beats a headline saying the same."""

    def rank(c: _Candidate) -> tuple[float, int]:
        full = c.sentence.text.rstrip().endswith((".", '."', ".'")) and len(c.sentence.text) > 50
        return c.score + (0.6 if full else 0), -c.sentence.index

    return max(group, key=rank)


def _date_for(
    group: list[_Candidate], sentences: list[Sentence], reference: dt.date | None, main: _Candidate
) -> str | None:
    datelines: list[tuple[dates.DateMention, Sentence]] = []

    def usable(s: Sentence) -> list[dates.DateMention]:
        found = []
        span = main.span if s is main.sentence else None
        for d in dates.find_dates(s.text):
            if span is not None and not span[0] <= d.start < span[1]:
                continue  # another clause's tie
            before = s.text[max(0, d.start - 45) : d.start]
            after = s.text[d.end : d.end + 25]
            if _NOT_SIGNING_DATE.search(before) or (not main.passing and _ORIGINAL_TIE.search(before)):
                continue
            if d.start < 60 and _DATELINE_END.match(s.text, d.end):
                datelines.append((d, s))  # "NAIROBI, 24 May 2023 - ...": when it was published; a last resort
                continue
            if d.month is None and d.relative is None and _type_matcher().starts(after):
                continue  # "the 1994 sister city MoU": the date of the older agreement
            found.append(d)
        verbs = sign_verbs(s.text)
        if len(found) > 1 and verbs:  # "endorsed on Thursday the letter that the mayor signed last June"
            found.sort(key=lambda d: min(abs(d.start - v.end()) for v in verbs))
        return found

    ordered = [main.sentence] + [c.sentence for c in group if c is not main]
    follow = [
        s
        for s in sentences[main.sentence.index + 1 : main.sentence.index + 3]
        if _CEREMONY.search(s.text) and not _types(s.text)
    ]
    pools = ((ordered[:1], True), (ordered[1:], True), (ordered, False), (follow, False))
    if main.passing:
        pools = ((ordered[:1], True),)
    weekly: list[tuple[dates.DateMention, Sentence]] = []  # "this week": month precision, a last resort
    for pool, want_complete in pools:
        for s in pool:
            for d in usable(s):
                if want_complete and not (d.complete and (d.month or main.passing)):
                    continue
                if d.relative and d.relative.endswith("week"):
                    weekly.append((d, s))
                    continue
                if d.relative in _SAME_DAY:
                    return _same_day(sentences, s.index, reference)
                value = dates.resolve(d, reference, future=dates.is_future(s.text))
                if value:
                    return value
    for d, s in datelines[:1]:
        if d.complete and d.day and re.search(r"\b(today|this morning|this afternoon)\b", s.text, re.I):
            return dates.resolve(d, reference)
    for d, _s in weekly[:1]:
        return dates.resolve(d, reference)
    return None


def _same_day(sentences: list[Sentence], index: int, reference: dt.date | None) -> str | None:
    for s in reversed(sentences[max(0, index - 2) : index]):
        for d in dates.find_dates(s.text):
            if d.day and d.relative is None:
                return dates.resolve(d, reference)
    return reference.isoformat() if reference else None


def _told_in_passing(group: list[_Candidate], reference: dt.date | None) -> bool:
    """An older tie mentioned on the way ("Since 2019, trainees from Khanh Hoa ..."): passing by its
    candidates, or dated only by a year well before the article."""
    if all(c.passing for c in group):
        return True
    found = [d for c in group for d in dates.find_dates(c.sentence.text) if d.relative is None and d.year]
    return bool(reference and found) and all(d.day is None and d.year < reference.year - 1 for d in found)


def _owners(
    groups: list[list[_Candidate]], sentences: list[Sentence], passing: list[bool]
) -> list[int | None]:
    """For each sentence, the agreement last stated at or before it: "That agreement covers ..."
    speaks of the agreement just named, not of another one in the same article. An agreement told in
    passing holds only the rest of its paragraph; the next paragraph is the main story's again."""
    stated = {c.sentence.index: gid for gid, g in enumerate(groups) for c in g}
    owners: list[int | None] = []
    current: int | None = None
    main: int | None = None
    for s in sentences:
        if s.index in stated:
            current = stated[s.index]
            main = main if passing[current] else current
        elif current is not None and passing[current] and s.line != sentences[s.index - 1].line:
            current = main
        owners.append(current)
    return owners


def _assemble(
    group: list[_Candidate],
    sentences: list[Sentence],
    places: list[list[PlaceMention]],
    reference: dt.date | None,
    mine: list[bool],
) -> Agreement | None:
    main = _best(group)
    parties = _unique([m for c in group for m in c.parties if _party(m).key in _key(main)] or main.parties)
    # every statement of the agreement counts, the most specific instrument wins (TYPE_PRIORITY); a charter
    # titled "Twinning Charter" says it in its title
    types = [t for c in group for t in c.types] or [t for s in sentences[:3] for t in _types(s.text)]
    if main.passing:  # "renewed their 1994 sister city MoU": the renewal is the new agreement, not this one
        types = [t for t in types if t != "Renewal"]
    kind = _specific(types) or "CooperationAgreement"
    if "Renewal" in (main.types if main.span else _types(main.sentence.text)) and not main.passing:
        kind = "Renewal"  # "renewed their sister city agreement": a renewal whatever else it is called
    date = _date_for(group, sentences, reference, main)
    passing = main.passing
    if (
        not passing
        and date
        and reference
        and int(date[:4]) < reference.year - 1
        and not any(
            c.signed and sign_verbs(c.sentence.text) and dates.find_dates(c.sentence.text) == []
            for c in group
        )
    ):
        passing = True
    chosen = [c.sentence for c in group]
    if not passing:
        related = {c.sentence.index for c in group}
        party_list = [_party(p) for p in parties]
        names_by_party = [(p.text, p.resolution.label) for p in parties]
        for s in sentences:
            if s.index in related or not mine[s.index] or abs(s.index - main.sentence.index) > 12:
                continue
            if not area_cue(s.text):
                continue
            named = {
                p.key
                for p, n in zip(party_list, names_by_party, strict=True)
                if any(x and x in s.text for x in n)
            } | ({_party(m).key for m in places[s.index]} & {p.key for p in party_list})
            # one party named alone is a profile of it ("Curitiba is known for its parks") unless a word
            # of working together says otherwise
            linked = len(named) >= 2 or (named and _together().search(s.text))
            if _COREF.search(s.text) or _types(s.text) or linked:
                chosen.append(s)
    own = {c.sentence.index: c.sentence.text[c.span[0] : c.span[1]] for c in group if c.span}  # its clause
    area_texts = [own.get(s.index, s.text) for s in chosen] + [s.text for s in _list_items(chosen, sentences)]
    areas = find_areas(*area_texts) if not passing or area_cue(main.sentence.text) else []
    confidence = (
        0.35
        + (0.25 if main.signed else 0)
        + (0.1 if date else 0)
        + 0.1 * sum(1 for p in parties if _party(p).qid) / max(len(parties), 1)
        + (0.1 if main.types else 0)
    )
    if passing:
        confidence = min(confidence, 0.6)
    return Agreement(
        parties=[_party(p) for p in parties],
        type=kind,
        date=date,
        areas=areas,
        evidence=main.sentence.text,
        passing=passing,
        confidence=round(min(confidence, 0.99), 2),
    )


def _base(label: str) -> str:
    return strip_admin_words(label)[0].casefold()


def _match_party(place: PlaceMention | None, ag: Agreement) -> str | None:
    if place is None:
        return None
    p = _party(place)
    for party in ag.parties:
        if party.key == p.key or _base(party.label) == _base(p.label) or (p.qid and p.qid == party.qid):
            return party.key
    return None


def _attach_officials(agreements: list[Agreement], officials: list[OfficialMention]) -> None:
    mains = [a for a in agreements if not a.passing]
    if not mains:
        return
    for off in officials:
        target = next((a for a in mains if _match_party(off.place, a)), mains[0])
        party = _match_party(off.place, target) or _party_by_title(off.title, target)
        if off.national:
            party = None
        if not off.signed and not off.title:
            continue
        target.officials.append(Official(off.name, off.title, party, off.signed and not off.national))
    for ag in mains:
        signers = [o for o in ag.officials if o.signed]
        if len(ag.parties) == 2 and signers:
            known = {o.party for o in signers if o.party}
            if len(known) == 1:
                other = next(p.key for p in ag.parties if p.key not in known)
                ag.officials = [
                    Official(o.name, o.title, other, True) if o.signed and not o.party else o
                    for o in ag.officials
                ]


def _party_by_title(title: str | None, ag: Agreement) -> str | None:
    """ "Vice Chairman of the municipal People's Committee": the one city among the parties."""
    if not title:
        return None
    words = {KIND_WORDS[w] for w in re.findall(r"[a-z]+", title.lower()) if w in KIND_WORDS}
    if len(words) != 1:
        return None
    kind = words.pop()
    matching = [p for p in ag.parties if p.kind == kind]
    return matching[0].key if len(matching) == 1 else None


def _list_items(chosen: list[Sentence], sentences: list[Sentence]) -> list[Sentence]:
    """The items of a list a chosen sentence introduces ("The fields of cooperation are:"), one a line:
    they carry no cue of their own, but the areas they name are the agreement's. A line is an item when
    it is numbered, short, starts in lower case, ends like one (";", ", and") or follows "...; and"."""
    items: list[Sentence] = []
    for intro in chosen:
        if not intro.text.rstrip().endswith(":"):
            continue
        lines: dict[int, list[Sentence]] = {}
        for s in sentences[intro.index + 1 : intro.index + 16]:
            lines.setdefault(s.line, []).append(s)
        continued = False
        for expected, (line, group) in enumerate(lines.items(), start=intro.line + 1):
            text = " ".join(s.text for s in group).rstrip()
            item = (
                _LIST_ITEM.match(text)
                or len(text.split()) <= 12
                or continued
                or text.endswith((";", ",", "; and", ", and", "; or"))
            )
            if line != expected or len(text) > 400 or not item:
                break  # prose again: the list is over
            items.extend(group)
            continued = text.endswith(("; and", ", and", "; or"))
    return items


_LIST_ITEM = re.compile(r"^(?:\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s|[a-z])")


def _domestic(ag: Agreement) -> bool:
    """All parties in one country: a works contract or a domestic tie ("Dhofar Municipality signs contract
    for Salalah storm water project"), not the international relations the graph is about."""
    countries = {p.country for p in ag.parties}
    return len(countries) == 1 and "" not in countries


def _link_renewals(agreements: list[Agreement]) -> None:
    for i, ag in enumerate(agreements):
        if ag.type != "Renewal":
            continue
        keys = {p.key for p in ag.parties}
        for j, other in enumerate(agreements):
            if j != i and other.passing and {p.key for p in other.parties} == keys:
                ag.renews = j
