"""weight() against R glm + cobalt 4.5.5 bal.tab (iptw_glm.json): weights, ESS and balance for ATT and ATE."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reoffend_eval.matching import balance, weight

from .conftest import FORMULA, assert_close, load_reference
from .test_reference_matchit import _cobalt_name


@pytest.fixture(scope="module")
def iptw():
    return load_reference("iptw_glm.json")


@pytest.fixture(scope="module", params=["ATT", "ATE"])
def weighted(request, cohort):
    return request.param, weight(cohort, FORMULA, estimand=request.param)


def test_glm_matches_r(cohort, iptw):
    result = weight(cohort, FORMULA)
    assert_close(result.propensity_coef, list(iptw["glm_coef"].values()), rtol=1e-8, what="coef")
    assert_close(result.data["distance"], iptw["rows"]["ps"], rtol=1e-10, what="ps")


def test_weights_and_ess(weighted, iptw):
    estimand, result = weighted
    assert result.estimand == estimand and result.treatment == "treated"
    assert_close(result.data["weights"], iptw["rows"][f"w_{estimand.lower()}"], rtol=1e-10, what="weights")
    summary = iptw["weights_summary"][estimand]
    assert result.counts.loc["weighted_ess", "treated"] == pytest.approx(summary["ess_treated"], rel=1e-9)
    assert result.counts.loc["weighted_ess", "control"] == pytest.approx(summary["ess_control"], rel=1e-9)
    obs = iptw[f"cobalt_{estimand}_binary_std"]["observations"]["Adjusted"]
    assert result.counts.loc["weighted_ess", "control"] == pytest.approx(obs["Control"], rel=1e-9)


def test_balance_binary_std(weighted, iptw):
    estimand, result = weighted
    cobalt = pd.DataFrame(iptw[f"cobalt_{estimand}_binary_std"]["balance"]).T
    ours = result.balance.rename(index=_cobalt_name).loc[cobalt.index]
    assert_close(ours["smd_before"], cobalt["Diff.Un"].tolist(), what="Diff.Un")
    assert_close(ours["smd_after"], cobalt["Diff.Adj"].tolist(), what="Diff.Adj")
    assert_close(ours["var_ratio_before"], cobalt["V.Ratio.Un"].tolist(), what="V.Ratio.Un")
    assert_close(ours["var_ratio_after"], cobalt["V.Ratio.Adj"].tolist(), what="V.Ratio.Adj")


def test_balance_binary_raw_differences(weighted, iptw):
    estimand, result = weighted
    cobalt = pd.DataFrame(iptw[f"cobalt_{estimand}_binary_raw_default"]["balance"]).T
    types = iptw[f"cobalt_{estimand}_binary_raw_default"]["type"]
    binary = [t for t, kind in types.items() if kind == "Binary"]
    ours = result.balance.rename(index=_cobalt_name).loc[binary]
    for when, col in (("before", "Diff.Un"), ("after", "Diff.Adj")):
        raw = ours[f"mean_treated_{when}"] - ours[f"mean_control_{when}"]
        assert_close(raw, cobalt.loc[binary, col].tolist(), what=col)


def test_standalone_balance_matches_cobalt(cohort, iptw):
    w = np.array(iptw["rows"]["w_ate"])
    rhs = FORMULA.split("~")[1]
    table = balance(cohort, "treated", rhs, weights=w, estimand="ATE")
    manual = iptw["manual_smd_check"]
    assert table.loc["age", "smd_after"] == pytest.approx(manual["ATE_age"], rel=1e-9)
    assert table.loc["sexM", "smd_after"] == pytest.approx(manual["ATE_sexM"], rel=1e-9)
    listed = balance(cohort, "treated", ["age", "sex"], weights=w, estimand="ATE")
    assert list(listed.index) == ["age", "sexF", "sexM"]
    assert listed.loc["age", "smd_after"] == table.loc["age", "smd_after"]


def test_overlap_weights_balance_means_exactly(cohort):
    # overlap (ATO) weights from a logistic model balance every model term's mean exactly (Li, Morgan &
    # Zaslavsky 2018): a known truth independent of any software
    result = weight(cohort, FORMULA, estimand="ATO")
    ps = result.data["distance"].to_numpy()
    treated = cohort["treated"].to_numpy() == 1
    assert np.allclose(result.data["weights"], np.where(treated, 1 - ps, ps))
    assert np.abs(result.balance["smd_after"].drop(index="distance")).max() < 1e-8  # the score is no model term


def test_trim_caps_control_weights(cohort):
    plain = weight(cohort, FORMULA)
    trimmed = weight(cohort, FORMULA, trim=0.99)
    w, t = plain.data["weights"].to_numpy(), cohort["treated"].to_numpy() == 1
    cap = np.quantile(w[~t], 0.99)
    assert np.allclose(trimmed.data["weights"], np.where(t, 1.0, np.minimum(w, cap)))
    assert trimmed.data.loc[~t, "weights"].max() == pytest.approx(cap)
    assert "0.99" in str(trimmed.summary())

