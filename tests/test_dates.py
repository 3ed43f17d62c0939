"""Date expressions press releases use, at the precision the text gives."""

from __future__ import annotations

import datetime as dt

import pytest

from citygraph.dates import find_dates, header_date, is_future, resolve, words_to_year

WEDNESDAY = dt.date(2023, 5, 24)


def first(text: str, reference: dt.date | None = WEDNESDAY) -> str | None:
    mentions = find_dates(text)
    assert mentions, text
    return resolve(mentions[0], reference, future=is_future(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SEOUL, Nov. 5, 2015 - the mayors met", "2015-11-05"),
        ("signed in July 2018", "2018-07"),
        ("under the 1994 MoU", "1994"),
        ("signed on May,23,2023 in Nairobi", "2023-05-23"),
        ("on the 28th day of October, one thousand nine hundred and fifty six.", "1956-10-28"),
        ("on the 28th day of October, nineteen fifty-six.", "1956-10-28"),
    ],
)
def test_explicit_forms(text: str, expected: str) -> None:
    assert first(text, None) == expected


def test_day_month_without_year_takes_reference_year() -> None:
    mention = find_dates("to sign a MOU on 5th November, Thursday")[0]
    assert (mention.year, mention.month, mention.day) == (None, 11, 5)
    assert resolve(mention, dt.date(2015, 11, 5), future=True) == "2015-11-05"
    assert resolve(mention, None) is None


def test_weekday_future_and_past() -> None:
    assert first("the mayors will sign on Thursday") == "2023-05-25"
    assert first("the mayors signed on Thursday") == "2023-05-18"
    assert first("the mayors signed on Wednesday") == "2023-05-24"


def test_yesterday_and_last_month() -> None:
    assert first("the agreement was signed yesterday") == "2023-05-23"
    assert first("signed last June") == "2022-06"
    assert first("signed last March") == "2023-03"


def test_relative_needs_reference() -> None:
    assert first("signed yesterday", None) is None


def test_explicit_before_relative() -> None:
    found = find_dates("Yesterday's ceremony confirmed the MoU signed in July 2018")
    assert (found[0].year, found[0].month) == (2018, 7)
    assert found[-1].relative == "yesterday"


def test_words_to_year() -> None:
    assert words_to_year("one thousand nine hundred and fifty six") == 1956
    assert words_to_year("twenty twenty-three") == 2023
    assert words_to_year("many moons") is None


def test_month_abbreviation_inside_a_word_is_not_a_month() -> None:
    """Regression: "on dec" in "conference on decentralised cooperation" was read as December."""
    assert find_dates("the conference on decentralised cooperation") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On the twenty-first of November 2024, the two", "2024-11-21"),
        ("signed on the first day of June 2019", "2019-06-01"),
        ("at Seoul City Hall on the 14th (Tue.).", "2025-10-14"),
        ("at Seoul City Hall on the 28th.", "2025-09-28"),
    ],
)
def test_days_in_words_and_days_of_the_month(text: str, expected: str) -> None:
    (mention,) = find_dates(text)
    assert resolve(mention, dt.date(2025, 10, 15)) == expected


def test_an_anniversary_is_not_a_day() -> None:
    assert find_dates("on the 20th anniversary of their ties") == []


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Source: Xinhua", "Editor: Wang", "2025-09-18 16:42:07"], dt.date(2025, 9, 18)),
        (["Date 2025.10.15   Views 1,284"], dt.date(2025, 10, 15)),
        (["16.03.2023 | City Hall"], dt.date(2023, 3, 16)),
        (["Published: 14/08/2024 20:15"], dt.date(2024, 8, 14)),
        (["04/07/2025 06:45 PM"], dt.date(2025, 7, 4)),
        (["Posted 08/25/2024"], dt.date(2024, 8, 25)),
        (["By Staff Writer | 14 August 2022"], dt.date(2022, 8, 14)),
        (["Tel 0857-26-7666"], None),
    ],
)
def test_header_date(lines: list[str], expected: dt.date | None) -> None:
    assert header_date(lines) == expected


def test_header_date_ignores_the_story_sentences() -> None:
    story = "The two cities first signed an agreement on March 5, 2019, and have worked on many things since."
    assert header_date([story]) is None
