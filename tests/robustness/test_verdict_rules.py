"""Verdict rules that cannot flatter (issue 13, part 5), on hand-made evidence.

A difference of exactly zero is not a decrease; an estimate exactly at a threshold is judged by its interval.
These are hand-worked: the evidence is written down, the verdict follows from the rule in words.
"""
from __future__ import annotations

import datetime as dt

import pytest

from reoffend_eval.evaluate import Evidence, Target, assess

BY = dt.date(2027, 3, 31)


def _target(threshold: float, comparator: str = "matched", direction: str = "decrease", **kw) -> Target:
    return Target(id="T", description="test", programme="DRIVE", measure="reoffending_rate", comparator=comparator,
                  direction=direction, threshold=threshold, threshold_type="percentage_points", by=BY, **kw)


def _evidence(estimate: float, lower: float, upper: float) -> Evidence:
    # 400 people a group with a 30% rate: enough for every Justice Data Lab minimum
    return Evidence(estimate=estimate, ci_lower=lower, ci_upper=upper, n_treated=400, n_comparator=400,
                    events_treated=120, events_comparator=120, treated_value=0.30, comparator_value=0.30)


@pytest.mark.parametrize("direction", ["decrease", "increase"])
def test_a_difference_of_exactly_zero_is_not_any_change(direction):
    a = assess(_target(0, direction=direction), _evidence(0.0, -4.0, 4.0))
    assert a.verdict == "not met", a.reason


@pytest.mark.parametrize("direction", ["decrease", "increase"])
def test_a_zero_difference_with_a_zero_width_interval_is_not_met(direction):
    a = assess(_target(0, direction=direction), _evidence(0.0, 0.0, 0.0))
    assert a.verdict == "not met", a.reason


def test_an_interval_ending_at_zero_does_not_show_any_decrease():
    # the whole interval is at or below zero but touches it: "any decrease" is not shown, only hoped for
    a = assess(_target(0), _evidence(-3.0, -6.0, 0.0))
    assert a.verdict == "on course", a.reason


def test_an_estimate_exactly_at_a_positive_threshold_is_at_most_on_course():
    # a decrease of exactly 5 points against a target of "at least 5": met only if the interval is wholly past it
    a = assess(_target(5), _evidence(-5.0, -9.0, -1.0))
    assert a.verdict in ("on course", "not met"), a.reason


def test_a_benchmark_difference_of_exactly_zero_is_not_below_the_benchmark():
    t = _target(0, comparator="benchmark", benchmark=0.27, benchmark_source="test")
    a = assess(t, _evidence(0.0, -4.0, 4.0))
    assert a.verdict == "not met", a.reason


def test_an_interval_wholly_past_a_zero_threshold_is_met():
    a = assess(_target(0), _evidence(-4.0, -7.0, -1.0))
    assert a.verdict == "met", a.reason


def test_missing_evidence_is_not_yet_measurable_with_the_reason():
    a = assess(_target(0), None, "the analysis is switched off")
    assert a.verdict == "not yet measurable" and "switched off" in a.reason
