"""Officials named in a document: name, title, the place they act for, and whether they signed.

Titles come from `ontology/lexicon.ttl`. A name is introduced next to a title ("Seoul Mayor Park
Won-soon", "Vice Chairman of the municipal People's Committee Le Thanh Liem", "Laura Fernandez,
municipal president of Puerto Morelos") or in a signature block; later surname-only mentions
("Duong and Khamlieng signed") are resolved to those full names.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from citygraph import lexicon, vocab
from citygraph.gazetteer import Gazetteer
from citygraph.phrases import PhraseMatcher
from citygraph.places import KIND_WORDS, PlaceMention, _runs, find_places
from citygraph.sentences import Sentence

__all__ = ["OfficialMention", "find_officials", "sign_verbs"]

# "(?=[abciprs])": the first letters of the alternatives; it lets the regex engine skip every other
# position with a set test, which made the converter's most run pattern ~2.5x faster
SIGN_VERB = re.compile(
    r"\b(?=[abciprs])(signed|sign|signs|re-?signed|re-sign|inked|ink|concluded|affixing their signatures|"
    r"appended our signatures|put their signatures|put (?:their|his|her|our) names? to|initialled|"
    r"bears? the signatures? of)\b(?!\s+(?:ceremony|of\b))",
    re.I,
)


@lru_cache(maxsize=8192)
def sign_verbs(text: str) -> tuple[re.Match[str], ...]:
    """The signing verbs of a sentence; officials and agreements both ask, so the answer is kept."""
    return tuple(SIGN_VERB.finditer(text))


_NOT_SIGNER = re.compile(
    r"\b(witness(?:ed)?(?: by)?|in the presence of|attended by|presence of|"
    r"accompanied by|welcomed by|met with)\b[^.;]*$",
    re.I,
)
_NAME_TOKEN = re.compile(r"^[A-Z\u00c0-\u024f][\w'\-]*\.?$")
_PARTICLES = {"de", "la", "del", "van", "von", "der", "bin", "binti", "al", "da", "di", "le", "du", "dos"}
_SIG_LINE = re.compile(
    r"^\(?(?:signed\)?\s*)?(?P<name>[A-Z][\w'.\-]+(?:\s+[A-Z][\w'.\-]+){1,4})\s*,\s*"
    r"(?P<title>[A-Za-z][A-Za-z .\-]{2,40})$"
)
_SIGNED_LINE = re.compile(r"^\(\s*signed\s*\)\s*(?P<name>[A-Z][\w'.\-]+(?:\s+[A-Z][\w'.\-]+){1,4})\.?$", re.I)


_BARE_NAME = re.compile(r"^[A-Z][\w'.\-]+(?:\s+(?:[A-Z][\w'.\-]+|de|la|van|von|del|da)){1,5}\.?$")
_PLURAL_TITLES = re.compile(
    r"\b(?:the\s+)?(?:respective\s+)?(?P<title>mayors|governors|chairmen|chairpersons|"
    r"presidents|heads)\s+of\s+(?:the\s+)?(?:towns\s+of\s+|cities\s+of\s+)?"
    r"(?P<rest>[^;:]{3,160})",
    re.I,
)


@dataclass
class OfficialMention:
    name: str
    title: str | None = None
    place: PlaceMention | None = None  # the place the title or context ties them to
    signed: bool = False
    national: bool = False
    sentences: list[int] = field(default_factory=list)


@cache
def _title_matcher() -> PhraseMatcher:
    titles = lexicon.all_titles()
    return PhraseMatcher(list(titles) + [t + "s" for t in titles])


@cache
def _title_regex() -> re.Pattern[str]:
    titles = sorted(lexicon.all_titles(), key=len, reverse=True)
    # the look-ahead on first letters lets the engine skip, with one set test, positions no title starts at
    firsts = re.escape("".join(sorted({t[0].lower() for t in titles})))
    return re.compile(rf"\b(?=[{firsts}])(?:" + "|".join(re.escape(t) for t in titles) + r")s?\b", re.I)


@cache
def _non_name_words() -> frozenset[str]:
    """Words that never occur in a person's name: government bodies, place kinds, agreement words, areas
    of cooperation ("Tourism Authority"), counting words ("Five Mediterranean port cities")."""
    words = {w for phrase in lexicon.government_bodies() for w in phrase.split()}
    words |= set(KIND_WORDS) | {w for label in vocab.agreement_type_labels() for w in label.split()}
    words |= {label for label in vocab.area_labels() if " " not in label}
    words |= lexicon.labels("non-name-word")
    return frozenset(words)


def _looks_like_name(text: str, gaz: Gazetteer) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 6:
        return False
    if any(w.lower().strip(".,'\"") in _non_name_words() for w in words if w.lower() not in _PARTICLES):
        return False
    caps = [w for w in words if w.lower() not in _PARTICLES]
    if not all(_NAME_TOKEN.match(w) for w in caps):
        return False
    if gaz.is_place_name(text) or gaz.country_code(text):
        return False
    if any(gaz.country_code(part) for w in caps for part in w.split("-") if len(part) > 3):
        return False  # "Indonesia-Malaysia-Thailand Growth Triangle"
    return not all(gaz.is_place_name(w) or gaz.country_code(w) for w in caps)


_ON_BEHALF_OF = re.compile(
    r"\b(?:on behalf of|stood in for|standing in for|in place of|deputising for|deputizing for)\s+"
    r"(?:the\s+)?(?:[A-Z][\w.'-]*\s+){0,3}$"
)


def _after_portfolio(text: str, start: int, chunk: str, gaz: Gazetteer) -> tuple[int, str]:
    """ "Vice Mayor for Economic Affairs Jeon Sung-ho", "Alderman for Port, Economy and Climate Pieter van
    der Meulen": the capitalised words of a title's portfolio run into the name; the name is what follows
    them. Only after "<title> for ...", and only when the words dropped include a non-name word."""
    if not re.search(r"\bfor\s+[^.;:]*$", text[:start]) or not _title_regex().search(
        text[max(0, start - 80) : start]
    ):
        return start, ""
    words = chunk.split()
    for k in range(1, len(words) - 1):
        head, rest = words[:k], " ".join(words[k:])
        if any(w.lower().strip(",") in _non_name_words() for w in head) and _looks_like_name(rest, gaz):
            return start + chunk.index(rest, len(" ".join(head))), rest
    return start, ""


def _split_leading_place(text: str, gaz: Gazetteer) -> tuple[str, str]:
    """ "Bac Giang Le Anh Duong" -> ("Bac Giang", "Le Anh Duong")."""
    words = text.split()
    if gaz.is_place_name(text):
        return "", text
    for i in range(len(words) - 2, 0, -1):
        head = " ".join(words[:i])
        bare = head[8:] if head.startswith("Greater ") else head  # "Greater Geelong Claire Hennessy"
        if (gaz.is_place_name(bare) or gaz.country_code(head)) and len(head) > 3:
            return head, " ".join(words[i:])
    return "", text


def _title_before(sentence: str, start: int) -> re.Match[str] | None:
    window = sentence[max(0, start - 120) : start]
    last = None
    for m in _title_regex().finditer(window):
        last = m
    if last is None:
        return None
    between = window[last.end() :]
    if not re.fullmatch(r"\)?\s*|\s*(?:of|for|to|at|in)\b[^;:!?,]*(?:,\s*)?", between) or re.search(
        r"\b(said|and|met|with|signed|by|agreed|that|who|which)\b", between
    ):
        return None
    if len(between.split()) > 12:
        return None
    return re.match(r"(?s).*", sentence[max(0, start - 120) + last.start() : start].strip())


def _title_after(sentence: str, end: int) -> str | None:
    m = re.match(
        r"\s*,?\s*(?:the\s+)?((?:(?:executive|deputy|vice|acting|municipal|first|second|former|lord|"
        r"chief|county|city|provincial)\s+){0,3})(" + _title_regex().pattern + r")"
        r"((?:\s+(?:of|for)\s+(?:the\s+)?[\w'.-]+(?:\s+[\w'.-]+){0,6})?)",
        sentence[end:],
        re.I,
    )
    if not m or m.start(2) > 30:
        return None
    tail = m.group(3) or ""
    tail = re.split(r"[,;.]|\s(?:and|said|signed|has|have|who|was|is)\s", tail)[0]
    return (m.group(1) + m.group(2) + tail).strip()


def _is_national(title: str) -> bool:
    """Whether a title is a state's, not a local government's. The longest lexicon title in it decides,
    so a "Chief Minister" (of an Indian state) is local though "minister" alone is national; a title
    naming a mayor or governor is local whatever else it says."""
    found = [m.group(0).lower() for m in _title_regex().finditer(title)]
    if not found or re.search(r"\b(mayor|governor)\b", title, re.I):
        return False
    national = lexicon.national_titles()
    head = max(found, key=len)
    return head in national or head.removesuffix("s") in national


def _clean_title(title: str) -> str:
    title = re.sub(r"^(?:the|a|an)\s+", "", title.strip(" ,"), flags=re.I)
    return title[:1].upper() + title[1:] if title else title


def _place_in(text: str, gaz: Gazetteer) -> PlaceMention | None:
    places = [p for p in find_places(text, gaz) if p.role not in ("country",)]
    return places[-1] if places else None


def _place_before(sentence: str, start: int, places: list[PlaceMention]) -> PlaceMention | None:
    for p in reversed(places):
        gap = sentence[p.end : start]
        if p.end <= start and re.fullmatch(r"\s*(?:'s)?\s*", gap):
            return p
    return None


def find_officials(sentences: list[Sentence], gaz: Gazetteer | None = None) -> list[OfficialMention]:
    """Officials across a document, merged by name, with signing decided per mention."""
    gaz = gaz or Gazetteer.default()
    found: dict[str, OfficialMention] = {}

    def record(name: str, title: str | None, place: PlaceMention | None, sent: Sentence, signed: bool) -> str:
        name = name.strip(" .,")
        key = name.lower()
        off = found.get(key)
        if off is None:
            off = found[key] = OfficialMention(name)
        if title and not off.title:
            off.title = _clean_title(title)
            off.national = _is_national(title)
        if place is not None and off.place is None:
            off.place = place
        off.signed = off.signed or (signed and not off.national)
        off.sentences.append(sent.index)
        return key

    in_signatures = False
    pending: list[str] = []  # signature lines waiting for the place line under them
    for sent in sentences:
        text = sent.text
        if in_signatures and _BARE_NAME.match(text) and _looks_like_name(text.rstrip(". "), gaz):
            record(text.rstrip(". "), None, None, sent, True)  # the next name of a signature block
            continue
        in_signatures = False
        line = _SIG_LINE.match(text) or _SIGNED_LINE.match(text)
        if line and _SIGNED_LINE.match(text):
            in_signatures = True
        if line:
            title = _signature_title(line.groupdict().get("title"))
            if title is not False and _looks_like_name(line["name"], gaz):
                pending.append(record(line["name"], title, None, sent, True))
                continue
        if pending:  # "Grant County, United States of America" under the signature lines
            block_place = next((p for p in find_places(text, gaz) if p.role != "country"), None)
            if block_place is not None and block_place.start < 3:
                for key in pending:
                    found[key].place = found[key].place or block_place
                pending.clear()
        verbs = sign_verbs(text)
        if not verbs and not _title_matcher().search(text):
            _surname_mentions(text, sent, found, verbs, record)  # no title, no signing: no new official
            continue
        places = [p for p in find_places(text, gaz) if p.role != "country"]
        spans: list[tuple[int, int, str]] = []
        for start, end, _toks in _runs(text):
            chunk = text[start:end]
            head, rest = _split_leading_place(chunk, gaz)
            whole_name = chunk.split(" of ", 1)[0]  # "Choi Young-hwan of Gangwon": Choi is also a town
            if head and not (" of " in chunk and _looks_like_name(whole_name, gaz)):
                start += len(chunk) - len(rest)
                chunk = rest
            if chunk.endswith("'s"):
                chunk, end = chunk[:-2], end - 2
            if " of " in chunk:  # "Mayor Sinlavong Khoutphaythoune of Vientiane": the name ends before "of"
                head_name = chunk.split(" of ", 1)[0]
                if _looks_like_name(head_name, gaz):
                    chunk, end = head_name, start + len(head_name)
            if not _looks_like_name(chunk, gaz):
                start, chunk = _after_portfolio(text, start, chunk, gaz)
            if chunk and _looks_like_name(chunk, gaz):
                spans.append((start, end, chunk))
        for start, end, name in spans:
            if re.search(r"(?:\b(?:of|at|inside|near)|[\"'])\s*$", text[:start]):
                continue  # "Deputy Mayor of Political Affairs", "at Vidhana Soudha", a quoted name
            before = _title_before(text, start)
            after = _title_after(text, end) if before is None else None
            title = before.group(0) if before else after
            place = None
            if before is not None:
                place = _place_in(before.group(0), gaz) or _place_before(
                    text, start - len(before.group(0)) - 1, places
                )
                if place is None:
                    place = _place_before(text, max(0, start - len(before.group(0))).__index__() - 1, places)
            elif after:
                place = _place_in(after, gaz)
            m_from = re.match(r"\s*(?:signed\s+)?(?:from|of|for)\s+(?:the\s+)?", text[end:])
            if place is None and m_from:
                place = next((p for p in places if p.start == end + m_from.end()), None)
            behalf = re.search(r"\bon behalf of\s+(?:the\s+)?", text[end : end + 80])
            if behalf:
                place = next((p for p in places if p.start == end + behalf.end()), place)
            if (
                title is None
                and name.lower() not in found
                and not any(_untitled_signer(text, start, end, v) for v in verbs)
            ):
                continue
            signed = any(_subject_or_agent(text, start, v) for v in verbs) or _listed_signer(text, end, verbs)
            if _ON_BEHALF_OF.search(text[max(0, start - 60) : start]):
                signed = False  # "signed on behalf of Governor Tim Walz": he did not sign
            record(name, title, place, sent, signed)
        _surname_mentions(text, sent, found, verbs, record)
    _plural_title_parties(sentences, list(found.values()), gaz)
    return _merge_initials(list(found.values()))


def _merge_initials(officials: list[OfficialMention]) -> list[OfficialMention]:
    """ "Cr D Reilly" in a list of those present and "Daniel Reilly" who signed: one person."""
    full = {(o.name.split()[0][0], o.name.split()[-1]): o for o in officials if len(o.name.split()[0]) > 2}
    out = []
    for o in officials:
        words = o.name.split()
        other = (
            full.get((words[0][0], words[-1])) if len(words) == 2 and len(words[0].rstrip(".")) == 1 else None
        )
        if other is None or other is o:
            out.append(o)
            continue
        other.signed = other.signed or o.signed
        other.title = other.title or o.title
        other.place = other.place or o.place
        other.sentences.extend(o.sentences)
    return out


def _plural_title_parties(
    sentences: list[Sentence], officials: list[OfficialMention], gaz: Gazetteer
) -> None:
    """ "we, the Mayors of Great Yarmouth and Rambouillet have appended our signatures" + two
    signature lines: the signatories take the title and the places in that order."""
    open_ = [o for o in officials if o.signed and o.place is None]
    if len(open_) < 2:
        return
    for sent in sentences:
        m = _PLURAL_TITLES.search(sent.text)
        if not m or not sign_verbs(sent.text):
            continue
        places = [p for p in find_places(m["rest"], gaz) if p.role not in ("country", "container")]
        if len(places) != len(open_):
            continue
        title = m["title"].rstrip("s").capitalize()
        if title.endswith("me"):
            title = title[:-2] + "man"  # chairmen -> chairman
        for off, place in zip(sorted(open_, key=lambda o: o.sentences[0]), places, strict=True):
            off.place = place
            off.title = off.title or title
        return


_CONTACT_TITLE = re.compile(
    r"\s*(?:spokes\w*|press|media|communications?|public relations|contact|information)\b", re.I
)


def _signature_title(title: str | None) -> str | None | bool:
    """The title of a signature line, forgiving scan errors ("Co missioner"); False if it is none."""
    if title is None:
        return None
    if _CONTACT_TITLE.match(title):
        return False  # "Nomvula Dlamini, Spokesperson for the Premier": a press contact, not a signature
    if _title_regex().search(title):
        return title.strip()
    squeezed = title.replace(" ", "").lower()
    close = difflib.get_close_matches(
        squeezed, [t.replace(" ", "") for t in lexicon.all_titles()], n=1, cutoff=0.8
    )
    if not close:
        return False
    return next(t for t in lexicon.all_titles() if t.replace(" ", "") == close[0]).capitalize()


def _listed_signer(text: str, end: int, verbs: tuple[re.Match[str], ...]) -> bool:
    """ "A signed for Plock, B for Zhytomyr and C for Malaga": later names share the verb."""
    return any(v.end() < end and re.match(r"\s+for\b", text[v.end() :]) for v in verbs) and bool(
        re.match(r"\s+for\s+[A-Z]", text[end:])
    )


def _untitled_signer(text: str, start: int, end: int, verb: re.Match[str]) -> bool:
    """A name with no title is a signer only in plain active forms: "A and B signed", "signed by A";
    a name containing a place ("Puerto Morelos and Medellin sign") is the place, not a person."""
    if not _subject_or_agent(text, start, verb):
        return False
    gaz = Gazetteer.default()
    if any(gaz.is_place_name(w) for w in text[start:end].split() if len(w) > 3):
        return False
    if start < verb.start():
        between = text[end : verb.start()]
        return len(between.split()) <= 4 and not re.search(r"\b(was|were|is|are|been|be)\b", between)
    return True


def _subject_or_agent(text: str, start: int, verb: re.Match[str]) -> bool:
    """Whether the name at `start` signs: before the verb, or after "signed by"/"with"."""
    if _NOT_SIGNER.search(text[:start]):
        return False
    if start < verb.start():
        clause = text[start : verb.start()]
        return not re.search(
            r"[;]|\b(said|says|witnessed|spoke|attended|which|who|while|whereas)\b|" + SIGN_VERB.pattern,
            clause,
            re.I,
        )
    after = text[verb.end() : start]
    if verb.group().lower().endswith(" of"):  # "bears the signatures of the two mayors: A, B"
        return not re.search(r"[;.]", after)
    return bool(re.search(r"\b(by|with)\b", after)) and not re.search(r"[;.]", after)


_CAPITALISED = re.compile(r"\b[A-Z][\w'\-]+\b")


@lru_cache(maxsize=1024)
def _name_tokens(names: tuple[str, ...]) -> dict[str, str]:
    """Each word of the officials' names (not particles) -> the full name it first belongs to."""
    by_token: dict[str, str] = {}
    for name in names:
        for tok in name.replace(",", " ").split():
            if tok.lower() not in _PARTICLES and len(tok) > 2:
                by_token.setdefault(tok, name)
    return by_token


def _surname_mentions(
    text: str, sent: Sentence, found: dict[str, OfficialMention], verbs: tuple[re.Match[str], ...], record
) -> None:
    """Single-word references to known officials ("Duong and Khamlieng signed")."""
    if not found:
        return
    by_token = _name_tokens(tuple(off.name for off in found.values()))
    if by_token.keys().isdisjoint(_CAPITALISED.findall(text)):
        return
    for m in _CAPITALISED.finditer(text):
        full = by_token.get(m.group())
        if full is None or full in text[max(0, m.start() - len(full)) : m.end() + len(full)]:
            continue
        signed = any(_subject_or_agent(text, m.start(), v) for v in verbs)
        if signed or sent.index not in found[full.lower()].sentences:
            record(full, None, None, sent, signed)
