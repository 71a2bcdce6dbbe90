"""Coercion of ids, counts and times as exports write them."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pantau.values import (
    hashtags_in,
    iso_duration_seconds,
    mentions_in,
    to_float,
    to_id,
    to_int,
    to_utc,
)


@pytest.mark.parametrize(("value", "expected"), [
    (12, 12), ("12", 12), ("1,234", 1234), ("1.2K", 1200), ("3M", 3_000_000),
    ("N/A", None), ("", None), (None, None), (" 7 ", 7), (2.0, 2),
])
def test_counts(value, expected):
    assert to_int(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("1,2 rb", 1200), ("3 jt", 3_000_000), ("1.234", 1234), ("1.234.567", 1234567),
    ("2,5 jt", 2_500_000), ("15", 15), ("1,5 M", 1_500_000_000),
])
def test_indonesian_counts(value, expected):
    assert to_int(value, decimal_comma=True) == expected


@pytest.mark.parametrize("value", ["abc", "1.2.3K", "12 apples", "1,23"])
def test_bad_counts_raise(value):
    with pytest.raises(ValueError):
        to_int(value)


def test_ids_never_pass_through_float():
    assert to_id(7418294751977327878) == "7418294751977327878"
    assert to_id("  42 ") == "42"
    with pytest.raises(ValueError, match="lost its exact digits"):
        to_id(7.418294751977328e18)


@given(st.integers(min_value=0, max_value=2**64))
def test_any_integer_id_round_trips(n):
    assert to_id(n) == str(n)


@pytest.mark.parametrize(("value", "expected"), [
    (1727600000, datetime(2024, 9, 29, 8, 53, 20)),
    (1727600000123, datetime(2024, 9, 29, 8, 53, 20, 123000)),
    ("1727600000", datetime(2024, 9, 29, 8, 53, 20)),
    ("2024-09-29T08:53:20.000Z", datetime(2024, 9, 29, 8, 53, 20)),
    ("2021-07-09T19:09:52+0000", datetime(2021, 7, 9, 19, 9, 52)),
    ("2024-09-29T15:53:20+07:00", datetime(2024, 9, 29, 8, 53, 20)),
    ("Tue Oct 10 07:57:53 +0000 2023", datetime(2023, 10, 10, 7, 57, 53)),
    ("2023-11-05 22:56:36 EST", datetime(2023, 11, 6, 3, 56, 36)),
    ("2023-10-05 22:56:36 EDT", datetime(2023, 10, 6, 2, 56, 36)),
    ("2024-11-24 19:00:00 WIB", datetime(2024, 11, 24, 12, 0, 0)),
])
def test_times_to_utc(value, expected):
    assert to_utc(value) == expected


def test_time_without_zone_needs_a_default():
    with pytest.raises(ValueError, match="no time zone"):
        to_utc("2024-09-29 08:53:20")


def test_unknown_abbreviation_is_refused():
    with pytest.raises(ValueError, match="unknown time-zone abbreviation"):
        to_utc("2024-09-29 08:53:20 XYZ")


def test_iso_durations():
    assert iso_duration_seconds("PT21M7S") == 1267
    assert iso_duration_seconds("P1DT2H") == 93600
    assert to_float("1:05") == 65


def test_hashtags_and_mentions():
    text = "Ayo #CoblosNo3 bareng @tri.adhianto &#39; email a@b.com #Bekasi2024!"
    assert hashtags_in(text) == ["coblosno3", "bekasi2024"]
    assert mentions_in(text) == ["tri.adhianto"]
