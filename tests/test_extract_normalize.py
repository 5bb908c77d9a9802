"""Unit tests of kg.extract.normalize: money, percentages, dates, fiscal periods."""

from __future__ import annotations

import pytest

from kg.extract.normalize import (
    find_dates,
    find_money,
    find_percents,
    find_periods,
    parse_money,
    parse_percent,
    parse_period,
    parse_published,
    resolve_date,
)

USD = "USD"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1.5B", {"value": 1_500_000_000, "currency": USD}),
        ("$650M", {"value": 650_000_000, "currency": USD}),
        ("$1.1bn", {"value": 1_100_000_000, "currency": USD}),
        ("1.5 billion dollars", {"value": 1_500_000_000, "currency": USD}),
        ("US$ 3 million", {"value": 3_000_000, "currency": USD}),
        ("USD 3 million", {"value": 3_000_000, "currency": USD}),
        ("EUR 600m", {"value": 600_000_000, "currency": "EUR"}),
        ("€600 million", {"value": 600_000_000, "currency": "EUR"}),
        ("600 million euros", {"value": 600_000_000, "currency": "EUR"}),
        ("£2 billion", {"value": 2_000_000_000, "currency": "GBP"}),
        ("¥500 billion", {"value": 500_000_000_000, "currency": "JPY"}),
        ("JPY 2.5 trillion", {"value": 2_500_000_000_000, "currency": "JPY"}),
        ("RMB 10 billion", {"value": 10_000_000_000, "currency": "CNY"}),
        ("$10B+", {"value": 10_000_000_000, "currency": USD}),
        ("more than $1 billion", {"value": 1_000_000_000, "currency": USD}),
        ("up to $1 billion", {"value": 1_000_000_000, "currency": USD}),
        ("$20.40 apiece", {"value": 20.4, "currency": USD}),
        ("$1,250,000", {"value": 1_250_000, "currency": USD}),
        ("between $115 billion and $135 billion",
         {"value": 115_000_000_000, "currency": USD, "value_max": 135_000_000_000}),
        ("$20 billion to $23 billion",
         {"value": 20_000_000_000, "currency": USD, "value_max": 23_000_000_000}),
        ("$5 to $6 billion", {"value": 5_000_000_000, "currency": USD, "value_max": 6_000_000_000}),
        ("a $47-to-$55 range", {"value": 47, "currency": USD, "value_max": 55}),
    ],
)
def test_parse_money(text: str, expected: dict) -> None:
    assert parse_money(text) == expected


def test_money_currency_written_first() -> None:
    found = find_money("JPY 2.5 trillion ($16.6 billion)")
    assert [m[2] for m in found] == [
        {"value": 2_500_000_000_000, "currency": "JPY"},
        {"value": 16_600_000_000, "currency": USD},
    ]
    assert found[0][:2] == (0, 16)


def test_money_offsets_and_no_money() -> None:
    text = "It raised $40 million and then $2bn."
    spans = [(s, e) for s, e, _ in find_money(text)]
    assert [text[s:e] for s, e in spans] == ["$40 million", "$2bn"]
    assert parse_money("no figures here, 40 people and 3 offices") is None


def test_percentages() -> None:
    assert parse_percent("a 49% stake") == 49
    assert parse_percent("35 percent of the shares") == 35
    assert parse_percent("12.5 per cent") == 12.5
    assert [p[2] for p in find_percents("up 207% and down 4%")] == [207, 4]
    assert parse_percent("no share") is None


PUB = "2025-07-31"  # a Thursday


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("on Tuesday", "2025-07-29"),
        ("on Thursday", "2025-07-31"),  # the published day itself
        ("on Friday", "2025-07-25"),  # most recent on or before published
        ("last month", "2025-06"),
        ("last year", "2024"),
        ("in June 2025", "2025-06"),
        ("in May", "2025-05"),
        ("last September", "2024-09"),
        ("in December", "2024-12"),  # a month after publication is last year's
        ("December 24, 2025", "2025-12-24"),
        ("24 December 2024", "2024-12-24"),
        ("on March 18", "2025-03-18"),
        ("since its founding in 2016", "2016"),
        ("earlier this month", "2025-07"),
        ("this year", "2025"),
        ("ten months ago", "2024-09"),
        ("two years ago", "2023"),
        ("yesterday", "2025-07-30"),
        ("2024-11-05", "2024-11-05"),
    ],
)
def test_resolve_date(expr: str, expected: str) -> None:
    assert resolve_date(expr, PUB) == expected


def test_dates_without_support_give_nothing() -> None:
    assert resolve_date("this week", PUB) is None
    assert resolve_date("on Tuesday", None) is None
    assert resolve_date("you may go", PUB) is None
    assert find_dates("no date at all", PUB) == []


def test_published_prefixes() -> None:
    assert parse_published("2025-06") is not None
    assert parse_published("2025-06").isoformat() == "2025-06-01"
    assert parse_published("not a date") is None
    assert parse_published(None) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FY2025", "FY2025"),
        ("FY2025-Q3", "FY2025-Q3"),
        ("FY25 Q3", "FY2025-Q3"),
        ("2025-Q3", "2025-Q3"),
        ("Q3 2025", "2025-Q3"),
        ("revenue in fiscal 2024", "FY2024"),
        ("in the fiscal third quarter", "FY2025-Q3"),
        ("second-quarter revenue", "2025-Q2"),
        ("in the first quarter", "2025-Q1"),
        ("fourth quarter of 2024", "2024-Q4"),
        ("2024 revenue", "2024"),
    ],
)
def test_periods(text: str, expected: str) -> None:
    assert parse_period(text, "2025-08-13") == expected


def test_quarter_not_yet_ended_is_last_year() -> None:
    # published in February: "the fourth quarter" is last year's
    assert parse_period("in the fourth quarter", "2026-02-10") == "2025-Q4"
    assert find_periods("no period", None) == []


def test_quarter_ended_and_year_start() -> None:
    assert parse_period("for the quarter ended September 30", "2025-11-25") == "2025-Q3"
    assert parse_period("in the quarter ended March 31, 2024", "2025-11-25") == "2024-Q1"
    assert resolve_date("at the start of the year", "2025-11-14") == "2025-01"


def test_month_day_after_publication_is_last_year() -> None:
    assert resolve_date("completed on December 31", "2026-02-17") == "2025-12-31"
    assert resolve_date("takes over on March 18", "2025-03-13") == "2025-03-18"
