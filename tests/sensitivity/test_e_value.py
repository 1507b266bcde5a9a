"""E-values against VanderWeele & Ding (2017) worked examples and hand computation of EValue's formulas."""
import math

import pytest

from reoffend_eval.sensitivity import e_value


def hand(rr):
    rr = 1 / rr if rr < 1 else rr
    return rr + math.sqrt(rr * (rr - 1))


def test_paper_breastfeeding_example():
    # Victora et al.: RR 3.9 (95% CI 1.8 to 8.7); the paper prints E-values 7.2 (7.26 cut to one decimal) and 3.0
    r = e_value(3.9, 1.8, 8.7)
    assert r.e_value == pytest.approx(3.9 + math.sqrt(3.9 * 2.9), rel=1e-12)
    assert math.floor(r.e_value * 10) / 10 == 7.2
    assert r.e_value_ci == pytest.approx(1.8 + math.sqrt(1.8 * 0.8), rel=1e-12)
    assert round(r.e_value_ci, 1) == 3.0


def test_protective_ratio_uses_upper_limit():
    r = e_value(0.80, 0.71, 0.91)
    assert r.e_value == pytest.approx(hand(0.80), rel=1e-12)  # 1.809
    assert round(r.e_value, 2) == 1.81
    assert r.e_value_ci == pytest.approx(hand(0.91), rel=1e-12)
    assert r.table.loc["ci_limit", "value"] == 0.91


def test_interval_including_null_gives_one():
    assert e_value(0.9, 0.7, 1.1).e_value_ci == 1.0
    assert e_value(1.0).e_value == 1.0


def test_common_outcome_odds_ratio_uses_square_root():
    r = e_value(0.6, 0.45, 0.8, measure="OR")
    assert r.e_value == pytest.approx(hand(math.sqrt(0.6)), rel=1e-12)
    assert r.e_value_ci == pytest.approx(hand(math.sqrt(0.8)), rel=1e-12)
    rare = e_value(0.6, 0.45, 0.8, measure="OR", rare=True)
    assert rare.e_value == pytest.approx(hand(0.6), rel=1e-12)
    assert rare.warnings


def test_common_outcome_hazard_ratio_transform():
    # EValue::evalues.HR(0.64, 0.54, 0.75, rare = FALSE): RR = (1 - 0.5^sqrt(HR)) / (1 - 0.5^sqrt(1/HR))
    def to_rr(hr):
        return (1 - 0.5 ** math.sqrt(hr)) / (1 - 0.5 ** math.sqrt(1 / hr))
    r = e_value(0.64, 0.54, 0.75, measure="HR")
    assert r.table.loc["estimate", "rr"] == pytest.approx(to_rr(0.64), rel=1e-12)
    assert r.e_value == pytest.approx(hand(to_rr(0.64)), rel=1e-12)
    assert r.e_value_ci == pytest.approx(hand(to_rr(0.75)), rel=1e-12)


def test_risk_difference_with_baseline_risk():
    # p0 = 0.585, RD = -0.0733 -> RR = p1 / p0
    r = e_value(-0.0733, -0.1057, -0.0409, measure="RD", baseline_risk=0.585)
    assert r.e_value == pytest.approx(hand((0.585 - 0.0733) / 0.585), rel=1e-12)
    assert r.e_value_ci == pytest.approx(hand((0.585 - 0.0409) / 0.585), rel=1e-12)
    with pytest.raises(ValueError, match="baseline_risk"):
        e_value(-0.07, measure="RD")


def test_non_null_true_value():
    # EValue: with true = 2, the E-value is that of est / true
    assert e_value(3.9, true=2.0).e_value == pytest.approx(hand(3.9 / 2.0), rel=1e-12)


def test_bad_input():
    with pytest.raises(ValueError, match="must be > 0"):
        e_value(-1.2)
    with pytest.raises(ValueError, match="not inside its interval"):
        e_value(2.0, 2.5, 3.0)
    with pytest.raises(ValueError, match="measure must be one of"):
        e_value(2.0, measure="SMD")
    assert "E-value" in e_value(2.0, 1.5, 2.5)._repr_html_()


def test_from_an_effect_result():
    import pandas as pd
    from reoffend_eval.effects import binary_effects
    d = pd.DataFrame({"t": [1] * 100 + [0] * 100, "y": [1] * 30 + [0] * 70 + [1] * 45 + [0] * 55})
    res = binary_effects(d, "y", treatment="t")
    rr = res.table.loc["risk_ratio"]
    r = e_value(res, measure_row="risk_ratio")
    assert r.e_value == pytest.approx(hand(rr.estimate), rel=1e-12)
    assert r.e_value_ci == pytest.approx(hand(rr.ci_upper), rel=1e-12)
    rd = e_value(res)  # first row: the risk difference, baseline = comparison proportion 0.45
    assert rd.e_value == pytest.approx(hand(0.30 / 0.45), rel=1e-9)
