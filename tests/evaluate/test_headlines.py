"""Headline sentences in the Justice Data Lab's words, worked by hand from an interval."""
import pandas as pd

from reoffend_eval.evaluate.headlines import headlines


def rows(*specs):
    return pd.DataFrame([dict(measure=m, statistic=s, group="all", estimate=e, ci_lower=lo, ci_upper=hi, p=p)
                         for m, s, e, lo, hi, p in specs])


def test_significant_reduction_in_the_jdl_wording():
    (sentence,) = headlines(rows(("reoffending_rate", "risk_difference", -6.2, -9.4, -3.1, 0.001)), "DRIVE")
    # -9.4 to -3.1 percentage points: between 3 and 9 fewer people per 100
    assert sentence.startswith("For every 100 typical people supported by DRIVE, between 3 and 9 fewer people "
                               "committed a proven reoffence within a one-year period")
    assert sentence.endswith("This difference is statistically significant.")


def test_an_interval_spanning_no_change_is_never_called_an_effect():
    (sentence,) = headlines(rows(("reoffending_rate", "risk_difference", -1.0, -4.6, 2.4, 0.57)), "Turnaround")
    assert "children supported by Turnaround" in sentence
    assert "between 5 fewer and 2 more people" in sentence
    assert "not statistically significant" in sentence and "more people would need to be analysed" in sentence


def test_ratios_and_days():
    out = headlines(rows(("da_incident_rate", "rate_ratio", 1.2, 1.1, 1.3, 0.01),
                         ("time_to_reoffence", "rmst_difference", 20.0, 10.4, 29.6, 0.001)), "Up2U")
    assert "between 10 and 30 more days free of proven reoffending" in out[0]
    assert "between 10% and 30% more domestic-abuse incidents" in out[1]


def test_subgroup_rows_make_no_headline():
    frame = rows(("reoffending_rate", "risk_difference", -6.0, -9.0, -3.0, 0.001))
    frame["group"] = "risk_level: high"
    assert headlines(frame, "DRIVE") == ()
