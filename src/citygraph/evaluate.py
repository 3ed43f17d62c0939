"""Score the converter against hand-checked gold annotations.

The same code scores the shared corpus (`NNN.txt` + `NNN.gold.json`) and the conformance cases
(`<case>/input.txt|html` + `expected.json`), so a figure in a report and a failing case speak the same
language. Scoring works on `Extraction` records, not RDF, so a minting change cannot move the figures.

Matching rules, in short: a predicted agreement matches the gold agreement sharing most parties (at
least two; greedy, one-to-one). Parties, areas and signatories are counted over matched agreements plus
unmatched gold main agreements (misses) and unmatched predicted agreements (false hits). Passing
mentions are never penalised either way: finding one is fine, missing one is not an error.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from citygraph.link import strip_admin_words
from citygraph.model import Agreement, Document, Extraction, Party
from citygraph.vocab import area_broader, area_pref_labels

__all__ = [
    "Counts",
    "QidCounts",
    "DateCounts",
    "NegativeCounts",
    "Error",
    "EvalResult",
    "evaluate",
    "score",
    "load_pairs",
    "convert_text",
    "to_json",
    "party_names",
    "person_key",
]

_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ı": "i",
        "œ": "oe",
        "Œ": "OE",
        "’": "'",
        "‘": "'",
    }
)
_PAREN = re.compile(r"\s*\([^()]*\)")
_PUNCT = re.compile(r"[^\w\s]")
_GOLD_SUFFIX = ".gold.json"


@dataclass
class Counts:
    """True positives, false positives and false negatives of one set-matching metric."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p is not None and r is not None and p + r else None


@dataclass
class QidCounts:
    """Wikidata IDs of gold parties that have one; a wrong ID is worse than none, so it is counted apart."""

    correct: int = 0
    wrong: int = 0
    missing: int = 0

    @property
    def total(self) -> int:
        return self.correct + self.wrong + self.missing

    @property
    def precision(self) -> float | None:
        return self.correct / (self.correct + self.wrong) if self.correct + self.wrong else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.total if self.total else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p is not None and r is not None and p + r else None


@dataclass
class DateCounts:
    """Exact signing dates over matched main agreements whose gold date is known."""

    correct: int = 0
    total: int = 0
    false: int = 0  # gold says the text gives no date, yet we emitted one

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None


@dataclass
class NegativeCounts:
    """Gold-negative documents, and how many of them we read an agreement into."""

    total: int = 0
    flagged: int = 0


@dataclass(frozen=True)
class Error:
    document: str
    kind: str
    detail: str


@dataclass
class EvalResult:
    documents: int = 0
    agreements: Counts = field(default_factory=Counts)
    parties: Counts = field(default_factory=Counts)
    areas: Counts = field(default_factory=Counts)
    signatories: Counts = field(default_factory=Counts)
    qids: QidCounts = field(default_factory=QidCounts)
    dates: DateCounts = field(default_factory=DateCounts)
    negatives: NegativeCounts = field(default_factory=NegativeCounts)
    passing_found: int = 0  # predictions matching a gold passing mention: neither credit nor penalty
    errors: list[Error] = field(default_factory=list)

    def error_kinds(self) -> Counter[str]:
        return Counter(e.kind for e in self.errors)


# --- normalisation -------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(text.split())


def _place_key(name: str) -> str:
    text = _PAREN.sub("", name).strip()
    core, _kind = strip_admin_words(text) if text else ("", None)
    return " ".join(_PUNCT.sub(" ", _fold(core or text)).split())


def party_names(*names: str | None) -> set[str]:
    """Normalised keys of a place's names, admin words stripped, so "Seoul Metropolitan Government",
    "Seoul" and "City of Seoul" meet; "Malaga" meets "Málaga"."""
    return {key for n in names if n for key in (_place_key(n),) if key}


def person_key(name: str) -> tuple[str, ...]:
    """A person's name as an order-free token tuple: "Chang, Chiwang" == "Chang Chiwang" == "Chiwang Chang".

    Order-free because sources disagree on surname-first order; a name is never matched by part.
    """
    text = _fold(name).replace("-", "").replace("'", "")
    return tuple(sorted(_PUNCT.sub(" ", text).split()))


@dataclass(frozen=True)
class _GoldParty:
    name: str
    qid: str | None
    keys: frozenset[str]


def _gold_party(p: dict) -> _GoldParty:
    keys = frozenset(party_names(p.get("name"), p.get("unit")))
    return _GoldParty(p.get("name") or "", p.get("wikidata"), keys)


def _pred_keys(p: Party) -> frozenset[str]:
    return frozenset(party_names(p.label, p.mention))


def _party_match(g: _GoldParty, p: Party, by_name: bool = False) -> bool:
    if g.qid and p.qid and not by_name:
        return g.qid == p.qid
    return bool(g.keys & _pred_keys(p))


def _match_parties(
    gold: list[_GoldParty], pred: list[Party], by_name: bool = False
) -> tuple[list[tuple[_GoldParty, Party]], list[_GoldParty], list[Party]]:
    """Greedy one-to-one party matching; returns pairs, unmatched gold, unmatched predicted."""
    pairs: list[tuple[_GoldParty, Party]] = []
    left = list(pred)
    missed: list[_GoldParty] = []
    for g in gold:
        hit = next((p for p in left if _party_match(g, p, by_name)), None)
        if hit is None:
            missed.append(g)
        else:
            pairs.append((g, hit))
            left.remove(hit)
    return pairs, missed, left


# --- per-document scoring ------------------------------------------------------------------------------


def _label(parties: Iterable[str]) -> str:
    return " / ".join(parties)


def _pred_label(ag: Agreement) -> str:
    return _label(f"{p.label} ({p.qid or '-'})" for p in ag.parties)


def _match_agreements(gold: list[list[_GoldParty]], pred: list[Agreement]) -> dict[int, int]:
    """Predicted index -> gold index: largest party overlap first, at least two parties, one-to-one."""
    scored = []
    for i, ag in enumerate(pred):
        for j, parties in enumerate(gold):
            overlap = len(_match_parties(parties, ag.parties)[0])
            if overlap >= 2:
                scored.append((-overlap, i, j))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _neg, i, j in sorted(scored):
        if i not in matched and j not in used:
            matched[i] = j
            used.add(j)
    return matched


def _area_labels(iris: Iterable[str]) -> tuple[list[str], dict[str, set[str]]]:
    """Predicted areas as prefLabels, with the labels of their broader concepts."""
    labels = area_pref_labels()
    broader = area_broader()
    out: list[str] = []
    ups: dict[str, set[str]] = {}
    for iri in iris:
        label = labels.get(iri, iri.rsplit("/", 1)[-1]).casefold()
        out.append(label)
        ups[label] = {labels[b].casefold() for b in broader.get(iri, ()) if b in labels}
    return out, ups


def _score_areas(doc: str, res: EvalResult, gold: list[str], pred: list[str]) -> None:
    wanted = {a.casefold() for a in gold if a and not a.startswith("other:")}
    labels, ups = _area_labels(pred)
    credited: set[str] = set()
    for label in dict.fromkeys(labels):
        target = label if label in wanted else next(iter(sorted((ups[label] & wanted) - credited)), None)
        if target is not None and target not in credited:
            credited.add(target)
            res.areas.tp += 1
        elif target is None:
            res.areas.fp += 1
            res.errors.append(Error(doc, "false_area", label))
    for label in sorted(wanted - credited):
        res.areas.fn += 1
        res.errors.append(Error(doc, "missed_area", label))


def _score_signatories(doc: str, res: EvalResult, gold: list[dict], pred: Agreement | None) -> None:
    wanted = {person_key(s["name"]): s["name"] for s in gold if s.get("name")}
    found = {person_key(o.name): o.name for o in (pred.signatories if pred else [])}
    for key, name in found.items():
        if key in wanted:
            res.signatories.tp += 1
        else:
            res.signatories.fp += 1
            res.errors.append(Error(doc, "false_signatory", name))
    for key, name in wanted.items():
        if key not in found:
            res.signatories.fn += 1
            res.errors.append(Error(doc, "missed_signatory", name))


def _score_pair(
    doc: str, res: EvalResult, g: dict | None, gparties: list[_GoldParty], p: Agreement | None
) -> None:
    """Parties, areas and signatories of one matched pair, or of an unmatched side."""
    pairs, missed, extra = _match_parties(gparties, p.parties if p else [])
    res.parties.tp += len(pairs)
    for gp in missed:
        res.parties.fn += 1
        res.errors.append(Error(doc, "missed_party", f"{gp.name} ({gp.qid or '-'})"))
    for pp in extra:
        res.parties.fp += 1
        res.errors.append(Error(doc, "false_party", f"{pp.label} ({pp.qid or '-'})"))
    _score_areas(doc, res, (g or {}).get("areas") or [], p.areas if p else [])
    _score_signatories(doc, res, (g or {}).get("signatories") or [], p)


def _score_qids(doc: str, res: EvalResult, gold_main: list[list[_GoldParty]], pred: list[Agreement]) -> None:
    seen: set[str] = set()
    predicted = [p for ag in pred for p in ag.parties]
    for parties in gold_main:
        for g in parties:
            if not g.qid or g.qid in seen:
                continue
            seen.add(g.qid)
            named = [p for p in predicted if g.keys & _pred_keys(p)]
            if any(p.qid == g.qid for p in named):
                res.qids.correct += 1
            elif any(p.qid for p in named):
                res.qids.wrong += 1
                got = next(p.qid for p in named if p.qid)
                res.errors.append(Error(doc, "wrong_qid", f"{g.name}: gold {g.qid}, got {got}"))
            else:
                res.qids.missing += 1
                res.errors.append(Error(doc, "missing_qid", f"{g.name}: gold {g.qid}"))


def _score_document(doc: str, gold: dict, extraction: Extraction, res: EvalResult) -> None:
    res.documents += 1
    pred = extraction.agreements
    golds = gold.get("agreements") or []
    gparties = [[_gold_party(p) for p in g.get("parties") or []] for g in golds]
    passing_pairs = [
        [_gold_party({"name": n}) for n in pair] for pair in gold.get("passing_relationships") or []
    ]
    if gold.get("negative"):
        res.negatives.total += 1
        main = [ag for ag in pred if not ag.passing]
        if main:
            res.negatives.flagged += 1
            res.errors.append(Error(doc, "negative_hit", "; ".join(_pred_label(ag) for ag in main)))
    matched = _match_agreements(gparties, pred)
    for i, ag in enumerate(pred):
        j = matched.get(i)
        if j is not None:
            g = golds[j]
            if g.get("mention", "main") == "passing":
                res.passing_found += 1
                continue
            res.agreements.tp += 1
            _score_pair(doc, res, g, gparties[j], ag)
            _score_date(doc, res, g, ag)
            continue
        excused = ag.passing and any(
            len(_match_parties(parties, ag.parties)[0]) >= 2 for parties in gparties + passing_pairs
        )
        if excused:
            res.passing_found += 1
            continue
        res.agreements.fp += 1
        res.errors.append(
            Error(doc, "false_agreement", f"{ag.type} {_pred_label(ag)}{' (passing)' if ag.passing else ''}")
        )
        _score_pair(doc, res, None, [], ag)
    hit = set(matched.values())
    for j, g in enumerate(golds):
        if j in hit or g.get("mention", "main") == "passing":
            continue
        res.agreements.fn += 1
        res.errors.append(Error(doc, "missed_agreement", _label(p.name for p in gparties[j])))
        _score_pair(doc, res, g, gparties[j], None)
    main_parties = [gparties[j] for j, g in enumerate(golds) if g.get("mention", "main") != "passing"]
    _score_qids(doc, res, main_parties, pred)


def _score_date(doc: str, res: EvalResult, g: dict, ag: Agreement) -> None:
    want = g.get("date_signed")
    if want is None:
        if ag.date is not None:
            res.dates.false += 1
            res.errors.append(Error(doc, "false_date", f"emitted {ag.date}, text gives none"))
        return
    res.dates.total += 1
    if ag.date == want:
        res.dates.correct += 1
    else:
        res.errors.append(
            Error(doc, "missing_date" if ag.date is None else "wrong_date", f"gold {want}, got {ag.date}")
        )


def score(pairs: Iterable[tuple[str, dict, Extraction]]) -> EvalResult:
    """Score (document name, gold annotation, extraction) triples."""
    res = EvalResult()
    for doc, gold, extraction in pairs:
        _score_document(doc, gold, extraction, res)
    return res


# --- running the converter over a folder ---------------------------------------------------------------


def _split_source(data: bytes) -> tuple[bytes, str | None]:
    """Drop a corpus `SOURCE: <url>` header line (and the blank line after it)."""
    if not data.startswith(b"SOURCE:"):
        return data, None
    first, _, rest = data.partition(b"\n")
    url = first[len(b"SOURCE:") :].decode("utf-8", "replace").strip()
    if rest.startswith(b"\r\n"):
        rest = rest[2:]
    elif rest.startswith(b"\n"):
        rest = rest[1:]
    return rest, url or None


def convert_text(path: Path, published: str | None = None) -> tuple[Extraction, str | None]:
    """Extract one input file; returns an empty extraction and the reason when it cannot be read."""
    from citygraph.extract import extract
    from citygraph.text import DocumentError, document_from_bytes

    data, url = _split_source(path.read_bytes())
    source = url or path.as_posix()
    try:
        doc = document_from_bytes(data, source, published=published)
    except DocumentError as exc:
        return Extraction(Document(source, ""), []), str(exc)
    try:
        return extract(doc), None
    except Exception as exc:  # noqa: BLE001 - a converter bug scores as a miss; the rest are still measured
        return Extraction(doc, []), f"converter failed ({exc.__class__.__name__}: {exc})"[:300]


def load_pairs(corpus_dir: Path) -> list[tuple[str, Path, dict]]:
    """(document name, input path, gold) for a corpus folder, a cases folder or one case folder."""
    found: list[tuple[str, Path, dict]] = []
    if not corpus_dir.is_dir():
        return found
    folders = [corpus_dir, *sorted(p for p in corpus_dir.iterdir() if p.is_dir())]
    for folder in folders:
        expected = folder / "expected.json"
        if expected.is_file():
            inputs = [folder / n for n in ("input.txt", "input.html", "input.htm") if (folder / n).is_file()]
            if inputs:
                found.append((folder.name, inputs[0], json.loads(expected.read_text(encoding="utf-8"))))
    for gold_path in sorted(corpus_dir.glob(f"*{_GOLD_SUFFIX}")):
        stem = gold_path.name[: -len(_GOLD_SUFFIX)]
        inputs = [p for p in (corpus_dir / f"{stem}.txt", corpus_dir / f"{stem}.html") if p.is_file()]
        if inputs:
            found.append((inputs[0].name, inputs[0], json.loads(gold_path.read_text(encoding="utf-8"))))
    return found


def evaluate(corpus_dir: Path) -> EvalResult:
    """Convert every annotated document in ``corpus_dir`` and score it; ValueError when none is annotated."""
    pairs = load_pairs(Path(corpus_dir))
    if not pairs:
        raise ValueError(f"no gold files in {corpus_dir} (NNN.txt + NNN.gold.json or <case>/expected.json)")
    triples: list[tuple[str, dict, Extraction]] = []
    unreadable: list[Error] = []
    for name, path, gold in pairs:
        extraction, problem = convert_text(path, gold.get("published"))
        if problem:
            unreadable.append(Error(name, "unreadable", problem))
        triples.append((name, gold, extraction))
    result = score(triples)
    result.errors[:0] = unreadable
    return result


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def to_json(result: EvalResult) -> str:
    """The figures, counts and errors as JSON, for CI and for comparing runs."""

    def metric(c: Counts | QidCounts) -> dict:
        return {**asdict(c), "precision": _round(c.precision), "recall": _round(c.recall), "f1": _round(c.f1)}

    data = {
        "documents": result.documents,
        "agreements": metric(result.agreements),
        "parties": metric(result.parties),
        "wikidata": {**metric(result.qids), "total": result.qids.total},
        "areas": metric(result.areas),
        "signatories": metric(result.signatories),
        "dates": {**asdict(result.dates), "accuracy": _round(result.dates.accuracy)},
        "negatives": asdict(result.negatives),
        "passing_found": result.passing_found,
        "error_kinds": dict(result.error_kinds().most_common()),
        "errors": [asdict(e) for e in result.errors],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)
