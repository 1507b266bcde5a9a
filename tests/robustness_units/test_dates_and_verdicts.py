"""Dates given by people mean one thing; verdicts that cannot flatter (issue 13, items 5 and 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reoffend_eval._dates import parse_date
from reoffend_eval.errors import UserError
from reoffend_eval.evaluate.targets import Target
from reoffend_eval.evaluate.verdicts import NOT_MET, ON_COURSE, Evidence, assess

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(dates)
def test_iso_padded_unpadded_and_midnight_read_as_the_same_day(day):
    for text in (day.isoformat(), f"{day.year}-{day.month}-{day.day}", f"{day.isoformat()}T00:00:00",
                 f"{day.isoformat()} 00:00"):
        assert parse_date(text, "extract_date") == day


@given(dates)
def test_slashed_dates_are_never_guessed(day):
    for text in (f"{day.day:02d}/{day.month:02d}/{day.year}", f"{day.month}/{day.day}/{day.year}",
                 f"{day.day:02d}.{day.month:02d}.{day.year}"):
        with pytest.raises(UserError, match="never guessed"):
            parse_date(text, "extract_date")


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "March 2026", "", "2026-03-01T12:30:00"])
def test_unreadable_dates_are_named(text):
    with pytest.raises(UserError, match="extract_date"):
        parse_date(text, "extract_date")


def _target(direction="decrease", threshold=0.0, kind="reoffending_rate", threshold_type="percentage_points"):
    return Target(id="T", description="d", programme="DRIVE", measure=kind, comparator="matched",
                  direction=direction, threshold=threshold, threshold_type=threshold_type, by=dt.date(2027, 3, 31))


def _evidence(estimate, lo, hi):
    return Evidence(estimate, lo, hi, n_treated=500, n_comparator=500, events_treated=150, events_comparator=150,
                    treated_value=0.3, comparator_value=0.3)


@pytest.mark.parametrize("direction", ["decrease", "increase"])
def test_a_difference_of_exactly_zero_is_not_any_change(direction):
    # an "any decrease" target: a zero difference is no decrease, so never "on course" (nor "met")
    a = assess(_target(direction), _evidence(0.0, -4.0, 4.0))
    assert a.verdict == NOT_MET and "more data could change this" in a.reason
    a = assess(_target(direction), _evidence(0.0, 0.0, 0.0))
    assert a.verdict == NOT_MET


def test_any_decrease_still_recognised_when_there_is_one():
    assert assess(_target(), _evidence(-0.5, -4.0, 3.0)).verdict == ON_COURSE
    assert assess(_target("increase"), _evidence(0.5, -4.0, 3.0)).verdict == ON_COURSE


def test_a_threshold_reached_exactly_still_counts():
    # a 5-point target with an estimate of exactly -5: the threshold is reached (at least 5)
    assert assess(_target(threshold=5), _evidence(-5.0, -9.0, -1.0)).verdict == ON_COURSE


def test_no_evidence_gives_the_reason_and_people_needed():
    a = assess(_target(threshold=5), None, "no participant has a comparison person within the caliper", 1234.0)
    assert a.verdict == "not yet measurable"
    assert "caliper" in a.reason and "1,300 people in each group" in a.reason
