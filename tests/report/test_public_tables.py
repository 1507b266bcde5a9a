"""The report's extra public tables: curves pooled to 5+ events, overlap bins of 5+ people, small cells hidden."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reoffend_eval.report import tables as pt


def km_table(group, times, n_risk, n_event):
    """A Kaplan-Meier table as survival.kaplan_meier gives it (survival worked by hand: product of 1 - d/n)."""
    surv = np.cumprod(1 - np.asarray(n_event, float) / np.asarray(n_risk, float))
    return pd.DataFrame({"group": group, "time": times, "n_risk": n_risk, "n_event": n_event,
                         "n_censor": 0, "survival": surv, "ci_lower": surv - 0.05, "ci_upper": np.minimum(surv + 0.05, 1)})


def test_survival_curve_pools_steps_to_five_events_and_stops_under_five_at_risk():
    # events 2, 3 (pool of 5 at day 20), 1, 1, 1, 4 (pool of 7 at day 60), then 3 at risk: cut
    table = km_table(1, [10, 20, 30, 40, 50, 60, 70], [40, 38, 35, 34, 33, 32, 3], [2, 3, 1, 1, 1, 4, 1])
    curve = pt.public_survival_curve(table)
    assert list(curve["time"]) == [0, 20, 60]
    assert list(curve["events"]) == [0, 5, 7]
    assert list(curve["n_risk"]) == [40, 40, 35]  # at risk at the start of each pooled step
    # the curve's values are the estimator's own at the pool's last time, e.g. 1 - 2/40 then * (1 - 3/38)
    assert curve["survival"].iloc[1] == pytest.approx(round((1 - 2 / 40) * (1 - 3 / 38), 4))
    assert curve["survival"].iloc[0] == 1.0
    assert set(curve["group"]) == {"programme"}


def test_survival_curve_never_shows_a_step_of_one_to_four_events():
    rng = np.random.default_rng(3)
    events = rng.integers(0, 4, size=200)
    at_risk = 400 - np.concatenate([[0], np.cumsum(events)[:-1]])
    curve = pt.public_survival_curve(km_table(0, np.arange(1, 201), at_risk, events))
    steps = curve["events"].iloc[1:]
    assert (steps >= 5).all()
    assert curve["survival"].is_monotonic_decreasing
    assert set(curve["group"]) == {"comparison"}


def test_mean_cumulative_curve_starts_at_zero_and_is_pooled():
    mcf = pd.DataFrame({"time": [5.0, 9, 12, 30], "group": 1, "n_risk": [50, 50, 49, 4], "n_event": [3, 3, 6, 2],
                        "mcf": [0.06, 0.12, 0.24, 0.74], "se": 0.01, "ci_lower": [0.03, 0.08, 0.2, 0.6],
                        "ci_upper": [0.1, 0.2, 0.3, 0.9]})
    curve = pt.public_mean_cumulative(mcf)
    assert list(curve["time"]) == [0, 9, 12]
    assert list(curve["mcf"]) == [0, 0.12, 0.24]
    assert list(curve["events"]) == [0, 6, 6]


def test_numbers_at_risk_hide_small_counts_and_small_drops():
    table = pd.concat([
        km_table(1, [0, 90, 180, 270], [100, 97, 60, 3], [0, 0, 0, 0]),
        km_table(0, [0, 90, 180, 270, 365], [100, 80, 60, 40, 20], [0, 0, 0, 0, 0]),
    ])
    at_risk = pt.public_numbers_at_risk(table)
    assert list(at_risk.loc["programme"]) == [100, "suppressed", 60, "<5", 0]
    assert list(at_risk.loc["comparison"]) == [100, 80, 60, 40, 20]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 1)), min_size=1, max_size=300))
def test_overlap_bins_never_hold_one_to_four_people_and_lose_nobody(people):
    scores = pd.Series([s for s, _ in people])
    treated = pd.Series([t for _, t in people])
    table = pt.public_overlap(scores, treated)
    for group, code in (("programme", 1), ("comparison", 0)):
        total = int((treated == code).sum())
        shown = [v for v in table[group] if v != "<5"]
        if 0 < total < 5:
            assert list(table[group]) == ["<5"] or sum(shown) == 0 or "<5" in list(table[group])
        else:
            assert all(v == 0 or v >= 5 for v in shown)
            assert sum(shown) == total
    # bins tile [0, 1] without gaps
    assert table["bin_lower"].iloc[0] == 0 and table["bin_upper"].iloc[-1] == 1
    assert (table["bin_lower"].iloc[1:].to_numpy() == table["bin_upper"].iloc[:-1].to_numpy()).all()


def test_overlap_drops_people_with_zero_weight():
    scores = pd.Series(np.linspace(0.01, 0.99, 40))
    treated = pd.Series([1, 0] * 20)
    weights = pd.Series([1.0] * 20 + [0.0] * 20)
    table = pt.public_overlap(scores, treated, weights)
    assert sum(table["programme"]) + sum(table["comparison"]) == 20


def test_forest_rows_resting_on_small_counts_are_suppressed():
    results = pd.DataFrame([
        {"measure": "reoffending_rate", "statistic": "risk_difference", "analysis": "main", "group": "all",
         "estimate": -9.456, "ci_lower": -14.2, "ci_upper": -4.7, "p": 0.001, "n": 200, "n_treated": 100,
         "n_comparison": 100, "treated_value": 0.3, "comparison_value": 0.4, "events_treated": 30,
         "events_comparison": 40, "method": "lm"},
        {"measure": "reoffending_rate", "statistic": "risk_ratio", "analysis": "subgroup", "group": "sex: F",
         "estimate": 0.5, "ci_lower": 0.1, "ci_upper": 2.0, "p": 0.3, "n": 20, "n_treated": 10,
         "n_comparison": 10, "treated_value": 0.2, "comparison_value": 0.4, "events_treated": 2,
         "events_comparison": 4, "method": "glm"},
        {"measure": "reoffending_frequency", "statistic": "mean_difference", "analysis": "main", "group": "all",
         "estimate": -0.2, "ci_lower": -0.3, "ci_upper": -0.1, "p": 0.01, "n": 200, "n_treated": 100,
         "n_comparison": 100, "treated_value": 0.4, "comparison_value": 0.6, "events_treated": 30,
         "events_comparison": 40, "method": "lm"},
    ])
    forest = pt.public_forest(results)
    assert list(forest["statistic"]) == ["risk_difference", "risk_ratio"]  # a mean difference has other units
    assert forest.iloc[0]["estimate"] == -9.46 and not forest.iloc[0]["suppressed"]
    assert forest.iloc[1]["suppressed"] and pd.isna(forest.iloc[1]["estimate"])


def test_hazard_ratio_rows_show_each_groups_share_reoffending():
    row = {"measure": "time_to_reoffence", "statistic": "hazard_ratio", "analysis": "main", "group": "all",
           "estimate": 0.75, "ci_lower": 0.6, "ci_upper": 0.9, "p": 0.01, "n": 400, "n_treated": 200,
           "n_comparison": 200, "treated_value": 0.25, "comparison_value": 0.3, "events_treated": 50,
           "events_comparison": 70, "method": "cox"}
    public = pt.public_results(pd.DataFrame([row]))
    assert public.iloc[0]["treated_value"] == 25 and public.iloc[0]["comparison_value"] == 35


def test_study_period_is_months_only():
    assert pt.study_period(pd.Series(pd.to_datetime(["2024-03-17", "2023-11-02", None]))) == ("November 2023", "March 2024")
    assert pt.study_period(pd.Series([], dtype="datetime64[ns]")) is None


def test_unmeasurable_targets_show_no_estimate():
    targets = pd.DataFrame({"id": ["A", "B"], "verdict": ["met", "not yet measurable"],
                            "estimate": [-9.46, -4.2], "ci_lower": [-14.2, -27.0], "ci_upper": [-4.7, 18.7],
                            "people_needed_per_group": [float("nan"), 1299.2]})
    public = pt.public_targets(targets)
    assert list(public["estimate"]) == [-9.5, "suppressed"]
    assert list(public["ci_upper"]) == [-4.7, "suppressed"]
    assert pd.isna(public["people_needed_per_group"].iloc[0]) and public["people_needed_per_group"].iloc[1] == 1300
