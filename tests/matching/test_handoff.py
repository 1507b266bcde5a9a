"""Hand-offs to lifelines and statsmodels, and our estimators cross-checked against theirs.

Our Kaplan-Meier, Cox and GLM code is written for parity with R and tested against R's
numbers elsewhere; here the same point estimates are computed a second way, by lifelines
and statsmodels on the hand-off data, so a regression shows twice. Point estimates only:
statsmodels' PHReg ignores case weights and lifelines' robust errors are not R's.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import reoffend_eval as rev
from reoffend_eval.matching import LifelinesHandoff, StatsmodelsHandoff

from .conftest import FORMULA

lifelines = pytest.importorskip("lifelines")
sm = pytest.importorskip("statsmodels.api")


@pytest.fixture(scope="module")
def people(cohort) -> pd.DataFrame:
    """The MatchIt fixture cohort with a count outcome over the follow-up (days) for the rate models."""
    rng = np.random.default_rng(20261203)
    prior = np.minimum(cohort["prior_offences"], 10)
    mean = np.exp(-6.0 + 0.08 * prior - 0.3 * cohort["treated"]) * cohort["time"]
    counts = rng.negative_binomial(2.0, 2.0 / (2.0 + mean))
    return cohort.assign(reoffences=counts.astype(float))


@pytest.fixture(scope="module")
def matched(people):
    return rev.match(people, FORMULA, caliper=0.2)


@pytest.fixture(scope="module")
def with_replacement(people):
    return rev.match(people, FORMULA, ratio=2, replace=True)


@pytest.fixture(scope="module")
def weighted(people):
    return rev.weight(people, FORMULA, estimand="ATT")


# --- what the hand-offs hold -----------------------------------------------------------------------------


def test_lifelines_handoff_names_weights_and_matched_sets(matched):
    h = matched.to_lifelines("time", "event", covariates=["age"])
    assert isinstance(h, LifelinesHandoff)
    assert list(h.data.columns) == ["time", "event", "age", "treated", "weights", "subclass"]
    assert len(h.data) == int((matched.data["weights"] > 0).sum())
    assert h.fit_kwargs == {"duration_col": "time", "event_col": "event", "weights_col": "weights",
                            "cluster_col": "subclass", "robust": True}
    # one cluster per matched pair: 1:1 without replacement gives two rows per subclass
    assert h.data.groupby("subclass").size().eq(2).all()
    assert set(h.data["event"].unique()) <= {0, 1}


def test_without_matched_sets_each_person_is_a_cluster(with_replacement, weighted):
    for result in (with_replacement, weighted):
        s = result.to_statsmodels("reoffended")
        assert isinstance(s, StatsmodelsHandoff)
        assert s.cluster_col == "unit" and s.formula == "reoffended ~ treated"
        # a comparison person matched twice is one row (its weight says how often), one cluster
        assert s.data["unit"].is_unique


def test_missing_values_are_left_out_and_said(people):
    holes = people.assign(age_at_release=np.where(np.arange(len(people)) % 50 == 0, np.nan, people["age"]))
    h = rev.match(holes, FORMULA, caliper=0.2).to_lifelines("time", "event", covariates=["age_at_release"])
    assert h.data["age_at_release"].notna().all()
    assert h.notes and "left out" in h.notes[0]


def test_an_unknown_column_is_named(matched):
    with pytest.raises(KeyError, match="'days' are not in the matched data"):
        matched.to_lifelines("days", "event")


# --- our estimators against lifelines and statsmodels ----------------------------------------------------


@pytest.mark.parametrize("design", ["matched", "with_replacement", "weighted"])
def test_kaplan_meier_agrees_with_lifelines(design, request):
    result = request.getfixturevalue(design)
    h = result.to_lifelines("time", "event")
    ours = rev.survival.kaplan_meier(h.data, "time", "event", group="treated", weights="weights").table
    theirs = h.kaplan_meier()
    for code in (0, 1):
        curve = ours[ours["group"] == code]
        expected = theirs[code].survival_function_at_times(curve["time"]).to_numpy()
        np.testing.assert_allclose(curve["survival"].to_numpy(), expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("design", ["matched", "with_replacement", "weighted"])
@pytest.mark.parametrize("formula", ["treated", "treated + age + prior_offences"])
def test_cox_agrees_with_lifelines(design, formula, request):
    result = request.getfixturevalue(design)
    h = result.to_lifelines("time", "event", covariates=["age", "prior_offences"])
    ours = rev.survival.cox(h.data, formula, "time", "event", weights="weights", cluster=h.cluster_col)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines warns about non-integer weights: expected here
        theirs = h.cox(formula)
    assert theirs.params_.index.tolist() == ours.summary.index.tolist()
    np.testing.assert_allclose(ours.summary["coef"].to_numpy(), theirs.params_.to_numpy(), rtol=1e-6, atol=1e-8)


def test_unweighted_cox_agrees_with_statsmodels_phreg(matched):
    # PHReg ignores case weights, so only an unweighted fit can be compared (1:1 weights are all 1 anyway)
    h = matched.to_lifelines("time", "event", covariates=["age"])
    ours = rev.survival.cox(h.data, "treated + age", "time", "event")
    theirs = sm.PHReg.from_formula("time ~ treated + age", h.data, status=h.data["event"], ties="efron").fit()
    np.testing.assert_allclose(ours.summary["coef"].to_numpy(), np.asarray(theirs.params), rtol=1e-6)


@pytest.mark.parametrize("design", ["matched", "with_replacement", "weighted"])
def test_odds_and_risk_ratios_agree_with_statsmodels_glm(design, request):
    result = request.getfixturevalue(design)
    s = result.to_statsmodels("reoffended")
    odds = rev.effects.odds_ratio(result, "reoffended")
    assert odds.estimate == pytest.approx(np.exp(s.glm("binomial").params["treated"]), rel=1e-7)
    risk = rev.effects.risk_ratio(result, "reoffended")
    assert risk.estimate == pytest.approx(np.exp(s.glm("binomial", link="log").params["treated"]), rel=1e-6)


@pytest.mark.parametrize("design", ["matched", "weighted"])
def test_rate_ratios_agree_with_statsmodels_glm(design, request):
    result = request.getfixturevalue(design)
    s = result.to_statsmodels("reoffences", exposure="time")
    poisson = rev.effects.rate_ratio(result, "reoffences", "time", family="poisson")
    assert poisson.estimate == pytest.approx(np.exp(s.glm("poisson").params["treated"]), rel=1e-7)
    # negative binomial: statsmodels' GLM holds the dispersion fixed, so give it ours (alpha = 1 / theta)
    nb = rev.effects.rate_ratio(result, "reoffences", "time")
    theirs = s.glm("negative_binomial", alpha=1 / nb.extra["theta"])
    assert nb.estimate == pytest.approx(np.exp(theirs.params["treated"]), rel=1e-6)


def test_negative_binomial_dispersion_agrees_with_statsmodels(matched):
    # theta itself, by maximum likelihood as MASS::glm.nb: statsmodels' NB2 count model (unweighted; 1:1 weights are 1)
    s = matched.to_statsmodels("reoffences", exposure="time")
    nb = rev.effects.rate_ratio(matched, "reoffences", "time")
    theirs = sm.NegativeBinomial.from_formula(
        "reoffences ~ treated", s.data, offset=np.log(s.data["time"]), loglike_method="nb2"
    ).fit(disp=0, maxiter=200)
    assert 1 / nb.extra["theta"] == pytest.approx(theirs.params["alpha"], rel=1e-4)
    assert nb.estimate == pytest.approx(np.exp(theirs.params["treated"]), rel=1e-5)
