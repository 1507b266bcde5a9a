"""Risk ratio, odds ratio, mean difference and rate ratios against R (make_r_effects.R)."""
import numpy as np
import pandas as pd
import pytest

from reoffend_eval.effects import binary_effects, mean_difference, odds_ratio, rate_ratio, risk_ratio

from effects_helpers import FakeWeights, match_data

RTOL = 1e-6


def check_coefs(result, ref, terms=None):
    coefs = result if isinstance(result, pd.DataFrame) else result.coefficients
    if "measure" in (coefs.index.names or []):
        coefs = coefs.droplevel("measure")
    terms = terms or list(ref["coef"])
    for term in terms:
        for col in ("coef", "se", "statistic", "p", "ci_lower", "ci_upper"):
            assert coefs.loc[term, col] == pytest.approx(ref[col][term], rel=RTOL), (term, col)


@pytest.mark.parametrize("link,fn", [("log", risk_ratio), ("logit", odds_ratio)])
def test_binary_ratios_spec_a_cluster(matching_rows, r_effects, link, fn):
    ref = r_effects[f"binary_{link}"]
    m = match_data(matching_rows, "a")
    r = fn(m, "reoffended")
    check_coefs(r, ref["spec_a_vcovCL_subclass"])
    row = r.table.iloc[0]
    assert row["estimate"] == pytest.approx(np.exp(ref["spec_a_vcovCL_subclass"]["coef"]["treated"]), rel=RTOL)
    assert row["ci_upper"] == pytest.approx(np.exp(ref["spec_a_vcovCL_subclass"]["ci_upper"]["treated"]), rel=RTOL)
    check_coefs(fn(m, "reoffended", variance="HC3"), ref["spec_a_HC3"])


@pytest.mark.parametrize("link,measure", [("log", "risk_ratio"), ("logit", "odds_ratio")])
def test_binary_ratios_with_replacement_and_iptw(matching_rows, r_effects, link, measure):
    ref = r_effects[f"binary_{link}"]
    r = binary_effects(match_data(matching_rows, "d", replace=True), "reoffended")
    check_coefs(r.coefficients.loc[measure], ref["spec_d_HC3"])
    w = FakeWeights(data=matching_rows[["treated", "reoffended"]].assign(weights=matching_rows["w_att"]), treatment="treated")
    r = binary_effects(w, "reoffended")
    check_coefs(r.coefficients.loc[measure], ref["iptw_att_HC0"])


def test_logit_with_covariate(counts, r_effects):
    r = odds_ratio(counts, "reoffended", treatment="treated", cluster="subclass", covariates="age")
    check_coefs(r, r_effects["binary_logit_covariate_counts"]["vcovCL_subclass"])


def test_mean_difference_lm(counts, r_effects):
    ref = r_effects["mean_difference_counts"]
    r = mean_difference(counts, "reoffences", treatment="treated", weights="w", cluster="subclass", covariates="age")
    check_coefs(r, ref["vcovCL_subclass"])
    assert r.table.iloc[0]["df"] == ref["df"]
    r = mean_difference(counts, "reoffences", treatment="treated", weights="w", covariates="age", variance="HC3")
    check_coefs(r, ref["HC3"])


def test_poisson_rate_ratio(counts, r_effects):
    ref = r_effects["poisson"]
    kw = dict(treatment="treated", family="poisson")
    check_coefs(rate_ratio(counts, "reoffences", "days_at_risk", cluster="subclass", **kw), ref["vcovCL_subclass"])
    check_coefs(rate_ratio(counts, "reoffences", "days_at_risk", variance="HC3", **kw), ref["HC3"])
    check_coefs(rate_ratio(counts, "reoffences", "days_at_risk", variance="model", **kw), ref["model"])
    ref = r_effects["poisson_weighted_age"]
    kw.update(weights="w", covariates="age")
    check_coefs(rate_ratio(counts, "reoffences", "days_at_risk", cluster="subclass", **kw), ref["vcovCL_subclass"])
    check_coefs(rate_ratio(counts, "reoffences", "days_at_risk", **kw), ref["HC0"])


def test_negative_binomial_matches_glm_nb(counts, r_effects):
    ref = r_effects["negbin"]
    r = rate_ratio(counts, "reoffences", "days_at_risk", treatment="treated", cluster="subclass")
    assert r.extra["theta"] == pytest.approx(ref["theta"], rel=RTOL)
    assert r.extra["theta_se"] == pytest.approx(ref["SE_theta"], rel=RTOL)
    check_coefs(r, ref["vcovCL_subclass"])
    assert r.table.iloc[0]["estimate"] == pytest.approx(np.exp(ref["vcovCL_subclass"]["coef"]["treated"]), rel=RTOL)
    check_coefs(rate_ratio(counts, "reoffences", "days_at_risk", treatment="treated", variance="HC3"), ref["HC3"])
    check_coefs(rate_ratio(counts, "reoffences", "days_at_risk", treatment="treated", variance="model"), ref["model"])


def test_weighted_negative_binomial_with_covariate(counts, r_effects):
    ref = r_effects["negbin_weighted_age"]
    kw = dict(treatment="treated", weights="w", covariates="age")
    r = rate_ratio(counts, "reoffences", "days_at_risk", cluster="subclass", **kw)
    assert r.extra["theta"] == pytest.approx(ref["theta"], rel=RTOL)
    check_coefs(r, ref["vcovCL_subclass"])
    check_coefs(rate_ratio(counts, "reoffences", "days_at_risk", **kw), ref["HC0"])
