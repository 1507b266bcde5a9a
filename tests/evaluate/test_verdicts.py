"""Verdicts worked by hand: where the interval lies against the threshold decides."""
import dataclasses
import datetime as dt
import math

import pytest

from reoffend_eval.evaluate import power
from reoffend_eval.evaluate.targets import Target
from reoffend_eval.evaluate.verdicts import Evidence, assess

TARGET = Target(
    id="RR1", description="", programme="DRIVE", measure="reoffending_rate", comparator="matched",
    direction="decrease", threshold=5, threshold_type="percentage_points", by=dt.date(2027, 3, 31),
)


def evidence(est, lo, hi, n=500, p_t=0.20, p_c=0.27):
    return Evidence(est, lo, hi, n_treated=n, n_comparator=n, treated_value=p_t, comparator_value=p_c)


@pytest.mark.parametrize(
    "est, lo, hi, verdict",
    [
        (-9.0, -13.0, -5.0, "met"),          # upper end exactly on the threshold counts as past it
        (-9.0, -13.0, -5.5, "met"),
        (-6.0, -10.0, -2.0, "on course"),    # estimate past -5, interval not wholly
        (-5.0, -9.0, -1.0, "on course"),     # estimate exactly on the threshold
        (-3.0, -7.0, 1.0, "not met"),        # estimate short, interval still reaches -5: not met on present evidence
        (-2.0, -4.9, 0.9, "not met"),        # whole interval short of -5
        (2.0, 0.5, 3.5, "not met"),
    ],
)
def test_decrease_target(est, lo, hi, verdict):
    assert assess(TARGET, evidence(est, lo, hi)).verdict == verdict


@pytest.mark.parametrize(
    "est, lo, hi, verdict",
    [(12.0, 10.5, 13.0, "met"), (11.0, 8.0, 14.0, "on course"), (8.0, 5.0, 11.0, "not met"), (4.0, 1.0, 9.9, "not met")],
)
def test_increase_target_in_days(est, lo, hi, verdict):
    target = dataclasses.replace(TARGET, measure="time_to_reoffence", direction="increase", threshold=10, threshold_type="days")
    e = Evidence(est, lo, hi, n_treated=500, n_comparator=500, events_treated=120, comparator_value=0.27)
    assert assess(target, e).verdict == verdict


def test_reason_states_the_interval():
    result = assess(TARGET, evidence(-9.0, -13.0, -6.0))
    assert "a decrease of at least 5.0 percentage points" in result.reason
    assert "-9.0 percentage points (95% CI -13.0 to -6.0 percentage points)" in result.reason


def test_too_few_people_is_not_yet_measurable():
    result = assess(TARGET, evidence(-20.0, -30.0, -10.0, n=59))
    assert result.verdict == "not yet measurable"
    assert "fewer than 60 people" in result.reason and "would be needed" in result.reason


def test_too_few_reoffenders_for_time_to_event():
    target = dataclasses.replace(TARGET, measure="time_to_reoffence", threshold=20, threshold_type="percent")
    e = Evidence(-40, -60, -25, n_treated=300, n_comparator=300, events_treated=29, comparator_value=0.25)
    result = assess(target, e)
    assert result.verdict == "not yet measurable" and "fewer than 30" in result.reason


def test_np_rule():
    # 100 people at 8%: n x p = 8 < 10
    result = assess(TARGET, evidence(-10, -15, -6, n=100, p_t=0.08, p_c=0.30))
    assert result.verdict == "not yet measurable" and "n x p under 10" in result.reason


def test_no_estimate():
    assert assess(TARGET, None, "no DA incidents recorded").verdict == "not yet measurable"


def test_people_needed_matches_the_textbook_formula():
    # two proportions 0.27 vs 0.22: n = (1.95996 + 0.84162)^2 (0.27*0.73 + 0.22*0.78) / 0.05^2
    expected = (1.959964 + 0.841621) ** 2 * (0.27 * 0.73 + 0.22 * 0.78) / 0.05**2
    assert power.n_per_group_proportions(0.27, 0.22) == pytest.approx(expected, rel=1e-5)
    assert math.isclose(expected, 1157.55, rel_tol=1e-4)  # 7.84888 x 0.3687 / 0.0025
    # Schoenfeld: 4 (z_a + z_b)^2 / log(0.8)^2 = 631 events for HR 0.8
    assert power.events_for_hazard_ratio(0.8) == pytest.approx(4 * 2.801585**2 / math.log(0.8) ** 2, rel=1e-5)
    # minimum detectable difference with 500 per group at 27%
    assert power.mde_proportions(0.27, 500, 500) == pytest.approx(2.801585 * math.sqrt(0.27 * 0.73 * 2 / 500), rel=1e-5)


def test_short_estimate_with_an_interval_reaching_the_threshold_says_more_data_could_change_it():
    result = assess(TARGET, evidence(-3.0, -7.0, 1.0))
    assert result.verdict == "not met"
    assert "on present evidence" in result.reason and "more data could change this" in result.reason
    assert "would be needed" in result.reason
    assert "on present evidence" not in assess(TARGET, evidence(-2.0, -4.9, 0.9)).reason
