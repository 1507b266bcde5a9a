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
    assert "between 5 fewer and 2 more children" in sentence
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


def test_turnaround_speaks_of_children_entering_the_youth_justice_system_first():
    out = headlines(rows(("reoffending_rate", "risk_difference", -6.2, -9.4, -3.1, 0.001),
                         ("first_time_entry_rate", "risk_difference", -7.0, -11.6, -2.4, 0.004),
                         ("asb_incident_rate", "rate_ratio", 0.6, 0.5, 0.75, 0.001)), "Turnaround")
    # -11.6 to -2.4 points: between 2 and 12 fewer children per 100
    assert out[0] == ("For every 100 children supported by Turnaround, between 2 and 12 fewer entered the youth "
                      "justice system (a first caution or conviction) within a year than in a similar group of "
                      "children who did not take part. This difference is statistically significant.")
    assert "between 3 and 9 fewer children committed a proven reoffence" in out[1]
    # rate ratio 0.5 to 0.75: between 25% and 50% fewer
    assert out[2] == ("Compared with similar children, the children supported had between 25% and 50% fewer "
                      "anti-social behaviour incidents per person-year. This difference is statistically significant.")


def test_proven_domestic_abuse_reoffending_and_asb_not_significant():
    out = headlines(rows(("reoffending_rate[domestic_abuse]", "risk_difference", -2.0, -4.4, 0.6, 0.12),
                         ("asb_rate", "risk_difference", 1.0, -2.2, 4.4, 0.5)), "DRIVE")
    assert out[0].startswith("For every 100 typical people supported by DRIVE, between 4 fewer and 1 more people "
                             "committed a proven domestic-abuse reoffence within a one-year period")
    assert "not statistically significant" in out[0]
    assert out[1].startswith("For every 100 people supported by DRIVE, between 2 fewer and 4 more people were "
                             "involved in an anti-social behaviour incident within a year")
    assert "cannot yet say whether the programme changed anti-social behaviour" in out[1]
