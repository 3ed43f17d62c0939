"""Scoring rules on hand-made gold/prediction pairs, and the `evaluate` command end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from citygraph.cli import app
from citygraph.evaluate import evaluate, person_key, score, to_json
from citygraph.model import Agreement, Document, Extraction, Official, Party

AREA = "https://w3id.org/citygraph/area/"
CASES = Path(__file__).parent / "cases"
CORPUS = Path("/work/shared/corpus")


def gp(name: str, qid: str | None = None, **extra: str) -> dict:
    return {"name": name, "country": "", "kind": "city", "wikidata": qid, **extra}


def gold(*agreements: dict, negative: bool = False, **extra: object) -> dict:
    return {"negative": negative, "agreements": list(agreements), "distractor_places": [], **extra}


def ga(
    *parties: dict,
    date: str | None = None,
    areas: tuple[str, ...] = (),
    signatories: tuple[str, ...] = (),
    mention: str = "main",
) -> dict:
    return {
        "parties": list(parties),
        "type": "mou",
        "date_signed": date,
        "areas": list(areas),
        "signatories": [{"name": n, "title": None, "party": None} for n in signatories],
        "other_officials": [],
        "evidence": "",
        "mention": mention,
    }


def pa(
    *parties: Party,
    date: str | None = None,
    areas: tuple[str, ...] = (),
    signed: tuple[str, ...] = (),
    passing: bool = False,
) -> Agreement:
    return Agreement(
        list(parties),
        "MemorandumOfUnderstanding",
        date,
        [AREA + a for a in areas],
        [Official(n, signed=True) for n in signed],
        passing=passing,
    )


def ex(*agreements: Agreement) -> Extraction:
    return Extraction(Document("x.txt", ""), list(agreements))


SEOUL, VIENTIANE = Party("Seoul", "city", "KR", "Q8684"), Party("Vientiane", "city", "LA", "Q9326")


def test_perfect_match() -> None:
    g = gold(
        ga(
            gp("Seoul", "Q8684"),
            gp("Vientiane", "Q9326"),
            date="2015-11-05",
            areas=("tourism", "other:sports"),
            signatories=("Park Won-soon",),
        )
    )
    r = score(
        [("d", g, ex(pa(SEOUL, VIENTIANE, date="2015-11-05", areas=("tourism",), signed=("Park Won-soon",))))]
    )
    assert (r.agreements.tp, r.agreements.fp, r.agreements.fn) == (1, 0, 0)
    assert (r.parties.tp, r.parties.fp, r.parties.fn) == (2, 0, 0)
    assert (r.qids.correct, r.qids.wrong, r.qids.missing) == (2, 0, 0)
    assert (r.areas.tp, r.areas.fp, r.areas.fn) == (1, 0, 0)  # other:sports ignored
    assert (r.signatories.tp, r.signatories.fp, r.signatories.fn) == (1, 0, 0)
    assert (r.dates.correct, r.dates.total, r.dates.false) == (1, 1, 0)
    assert r.errors == []
    assert r.agreements.f1 == 1.0


def test_names_normalised_and_wrong_qid_counted() -> None:
    g = gold(ga(gp("Seoul Metropolitan Government", "Q8684"), gp("Málaga", "Q8851"), gp("Plock", None)))
    pred = pa(
        Party("Seoul", "city", "KR", None),
        Party("Malaga", "city", "ES", "Q999"),
        Party("Płock", "city", "PL", "Q104725"),
    )
    r = score([("d", g, ex(pred))])
    # Málaga: both have QIDs and they differ, so the party does not match; the name match makes it a wrong ID.
    assert (r.parties.tp, r.parties.fp, r.parties.fn) == (2, 1, 1)
    assert (r.qids.correct, r.qids.wrong, r.qids.missing) == (0, 1, 1)
    assert r.qids.precision == 0.0 and r.qids.recall == 0.0
    assert {e.kind for e in r.errors} >= {"wrong_qid", "missing_qid", "false_party", "missed_party"}


def test_gold_unit_accepted() -> None:
    g = gold(ga(gp("Delhi", unit="Delhi government"), gp("Seoul")))
    r = score(
        [("d", g, ex(pa(Party("Delhi Government", "city", "IN"), Party("City of Seoul", "city", "KR"))))]
    )
    assert (r.agreements.tp, r.parties.tp, r.parties.fn) == (1, 2, 0)


def test_one_party_overlap_is_no_match() -> None:
    g = gold(ga(gp("Grant County"), gp("Komaki")))
    r = score([("d", g, ex(pa(Party("Washington", "region", "US"), Party("Komaki", "city", "JP"))))])
    assert (r.agreements.tp, r.agreements.fp, r.agreements.fn) == (0, 1, 1)
    assert (r.parties.tp, r.parties.fp, r.parties.fn) == (0, 2, 2)


def test_greedy_one_to_one_prefers_largest_overlap() -> None:
    a, b, c = gp("Plock"), gp("Zhytomyr"), gp("Malaga")
    g = gold(ga(a, b, c))
    pair = pa(Party("Plock", "city", "PL"), Party("Zhytomyr", "city", "UA"))
    triple = pa(Party("Plock", "city", "PL"), Party("Zhytomyr", "city", "UA"), Party("Malaga", "city", "ES"))
    r = score([("d", g, ex(pair, triple))])
    assert (r.agreements.tp, r.agreements.fp, r.agreements.fn) == (1, 1, 0)
    assert (r.parties.tp, r.parties.fp, r.parties.fn) == (3, 2, 0)


def test_passing_mentions_neither_credit_nor_penalty() -> None:
    dunedin, shanghai = Party("Dunedin", "city", "NZ"), Party("Shanghai", "city", "CN")
    otaru = Party("Otaru", "city", "JP")
    g = gold(
        ga(gp("Dunedin"), gp("Shanghai")),
        ga(gp("Dunedin"), gp("Edinburgh"), mention="passing"),
        passing_relationships=[["Dunedin", "Otaru"]],
    )
    # only the main agreement found: the missed passing one is no false negative
    r = score([("d", g, ex(pa(dunedin, shanghai)))])
    assert (r.agreements.tp, r.agreements.fp, r.agreements.fn) == (1, 0, 0)
    # passing predictions matching gold passing mentions are excused; an unlisted one is a false hit
    edinburgh = Party("Edinburgh", "city", "GB")
    preds = ex(
        pa(dunedin, shanghai),
        pa(dunedin, edinburgh, passing=True),
        pa(dunedin, otaru, passing=True),
        pa(dunedin, Party("Portsmouth", "city", "US"), passing=True),
    )
    r = score([("d", g, preds)])
    assert (r.agreements.tp, r.agreements.fp, r.agreements.fn) == (1, 1, 0)
    assert r.passing_found == 2


def test_areas_broader_and_pref_labels() -> None:
    g = gold(ga(gp("A"), gp("B"), areas=("economy", "culture", "other:sports")))
    r = score([("d", g, ex(pa(Party("A", "city", ""), Party("B", "city", ""), areas=("trade", "tourism"))))])
    # trade is narrower than economy: counts for it; tourism is not culture
    assert (r.areas.tp, r.areas.fp, r.areas.fn) == (1, 1, 1)


def test_signatory_name_forms() -> None:
    assert person_key("Chang, Chiwang") == person_key("Chang Chiwang") == person_key("chiwang CHANG")
    assert person_key("Park Won-soon") == person_key("Park Wonsoon")
    assert person_key("Laura Fernández") == person_key("Laura Fernandez")
    g = gold(ga(gp("A"), gp("B"), signatories=("Chang, Chiwang", "Cindy Carter")))
    r = score(
        [("d", g, ex(pa(Party("A", "city", ""), Party("B", "city", ""), signed=("Chang Chiwang", "Tom"))))]
    )
    assert (r.signatories.tp, r.signatories.fp, r.signatories.fn) == (1, 1, 1)


def test_dates_and_false_dates() -> None:
    a, b = Party("A", "city", ""), Party("B", "city", "")
    pairs = [
        ("right", gold(ga(gp("A"), gp("B"), date="2018-04")), ex(pa(a, b, date="2018-04"))),
        ("wrong", gold(ga(gp("A"), gp("B"), date="2018-04-02")), ex(pa(a, b, date="2018-04"))),
        ("missing", gold(ga(gp("A"), gp("B"), date="2018")), ex(pa(a, b))),
        ("false", gold(ga(gp("A"), gp("B"))), ex(pa(a, b, date="2020"))),
    ]
    r = score(pairs)
    assert (r.dates.correct, r.dates.total, r.dates.false) == (1, 3, 1)
    assert [e.kind for e in r.errors] == ["wrong_date", "missing_date", "false_date"]


def test_negatives() -> None:
    a, b = Party("A", "city", ""), Party("B", "city", "")
    r = score(
        [
            ("n1", gold(negative=True), ex(pa(a, b))),
            ("n2", gold(negative=True), ex(pa(a, b, passing=True))),
            ("n3", gold(negative=True), ex()),
        ]
    )
    assert (r.negatives.total, r.negatives.flagged) == (3, 1)
    assert r.agreements.fp == 2  # the passing one on n2 lists nothing in gold, so it is a false hit too
    assert any(e.document == "n1" and e.kind == "negative_hit" for e in r.errors)


def test_to_json_round_trip() -> None:
    r = score([("d", gold(ga(gp("A"), gp("B"))), ex())])
    data = json.loads(to_json(r))
    assert data["agreements"] == {"tp": 0, "fp": 0, "fn": 1, "precision": None, "recall": 0.0, "f1": None}
    assert data["error_kinds"] == {"missed_agreement": 1, "missed_party": 2}
    assert data["errors"][0]["document"] == "d"


def test_evaluate_cases() -> None:
    r = evaluate(CASES)
    assert r.documents == len([p for p in CASES.iterdir() if (p / "expected.json").is_file()])
    assert r.negatives.total >= 2 and r.negatives.flagged == 0
    assert r.agreements.tp >= 10
    assert r.qids.wrong == 0


def test_evaluate_single_case_folder() -> None:
    r = evaluate(CASES / "two-agreements")
    assert r.documents == 1
    assert (r.agreements.tp, r.agreements.fp, r.agreements.fn) == (2, 0, 0)


def test_cli_no_gold(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Seoul and Hanoi signed.", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path)])
    assert result.exit_code == 2
    assert "no gold files" in result.output


def test_cli_cases_json_and_table() -> None:
    result = CliRunner().invoke(app, ["evaluate", str(CASES), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents"] >= 15
    result = CliRunner().invoke(app, ["evaluate", str(CASES), "--show-errors"])
    assert result.exit_code == 0, result.output
    assert "agreements" in result.stdout and "error kinds" in result.stdout


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_corpus_runs() -> None:
    result = CliRunner().invoke(app, ["evaluate", str(CORPUS), "--show-errors"])
    assert result.exit_code == 0, result.output
    print(result.stdout)
    r = evaluate(CORPUS)
    assert r.documents == len(list(CORPUS.glob("*.gold.json")))
    print(to_json(r))
