"""When a pending target becomes measurable: hand-worked dates for a constant starter rate, and properties."""
import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reoffend_eval.evaluate.measurable import (
    NEVER,
    measurable_date,
    measurable_sentence,
    people_required,
    starter_rate,
)
from reoffend_eval.evaluate.targets import Target
from reoffend_eval.evaluate.verdicts import Evidence, assess

EXTRACT = dt.date(2026, 3, 31)
LAG = 365 + 183


def every_five_days(n: int) -> pd.Series:
    """n starters, one every 5 days, the last on the extract date: 73 a year, exactly."""
    return pd.Series([pd.Timestamp(EXTRACT) - pd.Timedelta(days=5 * i) for i in range(n)])


def test_starter_rate_counts_the_twelve_months_up_to_the_extract_date():
    rate = starter_rate(every_five_days(100), EXTRACT)
    assert rate.starters == 73  # days 0, 5, ..., 360 before the extract date
    assert rate.window_from == dt.date(2025, 4, 1) and rate.window_to == EXTRACT
    assert rate.per_day == pytest.approx(0.2)
    assert rate.words() == "73 new starters in the twelve months 1 April 2025 to 31 March 2026"
    assert "fewer than 5" in starter_rate(every_five_days(3), EXTRACT).words()


def test_constant_rate_by_hand():
    # 100 starters known; 200 needed: 100 more at 0.2 a day = 500 days after the extract date,
    # and the last of them is analysable 365 + 183 days after starting: 31 March 2026 + 1048 days.
    dates = every_five_days(100)
    when = measurable_date(200, dates, EXTRACT, lag_days=LAG, rate_per_day=0.2)
    assert when == EXTRACT + dt.timedelta(days=500 + 548) == dt.date(2029, 2, 11)
    # matching keeps half the programme group: 400 starters are needed, 300 more = 1,500 days
    assert measurable_date(200, dates, EXTRACT, lag_days=LAG, rate_per_day=0.2, share_kept=0.5) == (
        EXTRACT + dt.timedelta(days=1500 + 548)
    )


def test_people_already_started_are_counted_when_their_follow_up_ends():
    dates = every_five_days(100)  # the 60th earliest started 40 x 5 = 200 days before the extract date
    when = measurable_date(60, dates, EXTRACT, lag_days=LAG, rate_per_day=0.2)
    assert when == EXTRACT - dt.timedelta(days=200) + dt.timedelta(days=548)


def test_no_new_starters_or_no_finite_need_is_never():
    dates = every_five_days(10)
    assert measurable_date(60, dates, EXTRACT, lag_days=LAG, rate_per_day=0.0) is None
    assert measurable_date(math.inf, dates, EXTRACT, lag_days=LAG, rate_per_day=0.2) is None
    assert measurable_date(1e12, dates, EXTRACT, lag_days=LAG, rate_per_day=0.2) is None  # beyond 50 years


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 300),
    gap=st.integers(1, 30),
    required=st.floats(1, 2000),
    more=st.floats(0, 500),
    lag=st.integers(0, 1000),
    rate=st.floats(0.1, 5),
)
def test_more_people_needed_never_comes_sooner(n, gap, required, more, lag, rate):
    dates = pd.Series([pd.Timestamp(EXTRACT) - pd.Timedelta(days=gap * i) for i in range(n)])
    first = measurable_date(required, dates, EXTRACT, lag_days=lag, rate_per_day=rate)
    later = measurable_date(required + more, dates, EXTRACT, lag_days=lag, rate_per_day=rate)
    if first is None:  # beyond the horizon: needing more cannot bring it back
        assert later is None
        return
    assert later is None or later >= first
    # at least `required` people have index dates on or before the date minus the lag (observed or projected)
    cutoff = pd.Timestamp(first) - pd.Timedelta(days=lag)
    observed = int((dates <= cutoff).sum())
    projected = max(0, (cutoff - pd.Timestamp(EXTRACT)).days) * rate
    assert observed + projected >= math.ceil(required - 1e-9) - 1e-6  # the function ignores float noise of 1e-9
    # and a faster rate never makes it later
    faster = measurable_date(required, dates, EXTRACT, lag_days=lag, rate_per_day=rate * 2)
    assert faster is not None and faster <= first


def _target(measure="reoffending_rate", threshold=5.0, threshold_type="percentage_points"):
    return Target(
        id="T",
        description="d",
        programme="DRIVE",
        measure=measure,
        comparator="matched",
        direction="decrease",
        threshold=threshold,
        threshold_type=threshold_type,
        by=dt.date(2027, 3, 31),
    )


def test_people_required_is_the_larger_of_the_jdl_minimums_and_the_power_figure():
    e = Evidence(-6.0, -14.0, 2.0, n_treated=80, n_comparator=80, treated_value=0.24, comparator_value=0.30)
    a = assess(_target(), e)
    assert a.verdict == "on course"
    assert people_required(a) == pytest.approx(a.people_needed)  # power needs ~1,200 people, more than 60
    # a rare outcome: the n x p >= 10 rule needs 10 / 0.05 = 200 people
    rare = Evidence(-1.0, -3.0, 1.0, n_treated=70, n_comparator=70, treated_value=0.05, comparator_value=0.06)
    a = assess(_target(threshold=0.0), rare)
    assert a.verdict == "not yet measurable"
    assert people_required(a) >= 200
    # time to reoffence: 30 reoffenders needed; 10 of 100 reoffend, so 300 people
    t = Evidence(-5.0, -20, 10, n_treated=100, n_comparator=100, events_treated=10, comparator_value=0.1)
    a = assess(_target("time_to_reoffence", 10.0, "percent"), t)
    assert a.verdict == "not yet measurable" and people_required(a) >= 300


def test_sentences_compare_with_the_target_date():
    assert measurable_sentence("2027-06-14", "2027-03-31") == (
        "Expected to be measurable by June 2027, after the target date of March 2027."
    )
    assert measurable_sentence("2026-11-02", "2027-03-31") == (
        "Expected to be measurable by November 2026, before the target date of March 2027."
    )
    assert "not expected" in measurable_sentence(NEVER, "2027-03-31").lower()
    assert measurable_sentence("", "2027-03-31") == ""
    assert "already" in measurable_sentence("2025-01-01", "2027-03-31", EXTRACT)
