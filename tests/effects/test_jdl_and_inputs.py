"""JDL-style comparison against R's t.test / power.prop.test, and clear errors on bad input."""
import math

import numpy as np
import pandas as pd
import pytest

from reoffend_eval.effects import jdl_comparison, people_needed, rate_ratio, risk_difference, risk_ratio

from effects_helpers import match_data


def test_jdl_matches_welch_t_test(matching_rows, r_effects):
    ref = r_effects["jdl_spec_a"]
    r = jdl_comparison(match_data(matching_rows, "a"), "reoffended")
    row = r.table.iloc[0]
    assert row["estimate"] == pytest.approx(ref["p1"] - ref["p0"], rel=1e-12)
    for ours, theirs in [("statistic", "t"), ("df", "df"), ("p", "p"), ("ci_lower", "ci_lower"), ("ci_upper", "ci_upper")]:
        assert row[ours] == pytest.approx(ref[theirs], rel=1e-6), ours
    # ours is the closed form of the equation R solves with uniroot (agreement about 1e-10 here)
    assert r.extra["people_needed_per_group"] == pytest.approx(ref["power_prop_test_n_per_group"], rel=1e-8)
    assert r.extra["detectable"] is True


def test_people_needed_hand_worked():
    # p0 = 0.5, p1 = 0.4: za = 1.959964, zb = 0.841621
    a = 1.959963984540054 * math.sqrt(0.9 * (1 - 0.45))
    b = 0.8416212335729143 * math.sqrt(0.25 + 0.24)
    assert people_needed(0.5, 0.4) == pytest.approx(((a + b) / 0.1) ** 2, rel=1e-12)
    assert people_needed(0.3, 0.3) == math.inf


def test_jdl_flags_underpowered_comparison():
    d = pd.DataFrame({"t": [1] * 40 + [0] * 40, "y": [1] * 18 + [0] * 22 + [1] * 22 + [0] * 18})
    r = jdl_comparison(d, "y", treatment="t")
    assert r.extra["detectable"] is False
    assert any("people per group" in w for w in r.warnings)
    assert any("small sample" in w for w in r.warnings)


def test_small_sample_and_few_events_warnings():
    d = pd.DataFrame({"t": [1, 0] * 25, "y": [0] * 45 + [1] * 5})
    r = risk_difference(d, "y", treatment="t")
    assert any("small sample" in w for w in r.warnings)
    assert any("few events" in w for w in r.warnings)


def test_ratio_not_estimable_when_a_group_has_no_events():
    d = pd.DataFrame({"t": [1] * 70 + [0] * 70, "y": [0] * 70 + [1] * 10 + [0] * 60})
    r = risk_ratio(d, "y", treatment="t")
    assert np.isnan(r.estimate)
    assert any("not estimable" in w for w in r.warnings)


def test_bad_outcome_value_names_row_and_value():
    d = pd.DataFrame({"t": [1, 0, 1, 0], "y": [0, 1, 2, 0]}, index=[10, 11, 12, 13])
    with pytest.raises(ValueError, match=r"'y' must be 0 or 1; row 12 has 2"):
        risk_difference(d, "y", treatment="t")


def test_bad_treatment_and_missing_columns():
    d = pd.DataFrame({"t": [1, 0, 3], "y": [0, 1, 0]})
    with pytest.raises(ValueError, match=r"treatment column 't' must be 0/1; row 2 has 3"):
        risk_difference(d, "y", treatment="t")
    with pytest.raises(ValueError, match=r"\['z'\] not in the data"):
        risk_difference(d, "z", treatment="t")
    with pytest.raises(ValueError, match="treatment="):
        risk_difference(d, "y")


def test_zero_exposure_and_negative_weights_are_refused():
    d = pd.DataFrame({"t": [1, 0, 1, 0], "n": [1, 0, 2, 1], "days": [300, 0, 200, 100], "w": [1, 1, -1, 1]})
    with pytest.raises(ValueError, match=r"'days' must be a number > 0; row 1 has 0"):
        rate_ratio(d, "n", "days", treatment="t", family="poisson")
    with pytest.raises(ValueError, match=r"'w' must hold finite weights >= 0; row 2"):
        risk_difference(d.assign(y=[0, 1, 0, 1]), "y", treatment="t", weights="w")


def test_zero_weight_rows_are_dropped_as_match_data_does(matching_rows, att):
    # the full cohort with weight 0 for unmatched rows gives the same answer as match.data
    r = risk_difference(matching_rows, "reoffended", treatment="treated", weights="w_a", cluster="s_a")
    assert r.estimate == pytest.approx(att["a"]["primary"]["estimate"], rel=1e-10)
    assert r.table.iloc[0]["n"] == 3000


def test_result_displays(matching_rows):
    r = risk_difference(match_data(matching_rows, "a"), "reoffended")
    html = r._repr_html_()
    assert "risk_difference" in html and "ci_lower" in html
    assert "estimate" in repr(r)
    assert list(r.table.columns[:6]) == ["estimate", "ci_lower", "ci_upper", "p", "n", "method"]
