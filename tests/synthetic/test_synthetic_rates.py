"""Calibrated rates, selection bias and the truth, on seed-fixed larger samples (computed from the tables)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reoffend_eval import synthetic

from .synthetic_measures import one_year_proven, prior_counts, repeat_marac_rate, smd


@pytest.fixture(scope="module")
def drive():
    # the one larger sample: 32,000 people
    return synthetic.generate("DRIVE", n_participants=2000, n_comparison=30000, seed=20260331)


@pytest.fixture(scope="module")
def turnaround():
    return synthetic.generate("Turnaround", n_participants=1000, n_comparison=15000, seed=7)


@pytest.fixture(scope="module")
def up2u():
    return synthetic.generate("Up2U", n_participants=500, n_comparison=6000, seed=3)


def test_comparison_one_year_proven_reoffending_near_national_rates(drive, turnaround, up2u):
    rate, n = one_year_proven(drive, "comparison", drive.truth["extract_date"])
    assert n > 12000 and abs(rate - 0.27) < 0.02, rate
    rate, n = one_year_proven(up2u, "comparison", up2u.truth["extract_date"])
    assert n > 2500 and abs(rate - 0.27) < 0.03, rate
    rate, n = one_year_proven(turnaround, "comparison", turnaround.truth["extract_date"])
    assert n > 6000 and abs(rate - 0.32) < 0.025, rate


def test_penalty_notices_do_not_count_and_some_proofs_come_too_late(drive):
    o = drive.offences
    assert o["disposal"].eq("pnd").mean() > 0.03
    late = (o["outcome_date"] - o["offence_date"]).dt.days > 365
    assert late.sum() > 100


def test_repeat_marac_rate_near_safelives_figure(drive, up2u):
    rate, n = repeat_marac_rate(drive, "comparison")
    assert n > 3000 and abs(rate - 0.32) < 0.03, rate
    rate, n = repeat_marac_rate(up2u, "comparison")
    assert n > 800 and abs(rate - 0.32) < 0.045, rate


@pytest.mark.parametrize("name", ["drive", "up2u", "turnaround"])
def test_selection_bias_participants_differ_from_comparison(name, request):
    data = request.getfixturevalue(name)
    p, c = data.participants, data.comparison
    treated, control = prior_counts(data, "participants"), prior_counts(data, "comparison")
    differences = {
        "high risk": smd(p["risk_level"].eq("high"), c["risk_level"].eq("high")),
        "medium risk": smd(p["risk_level"].eq("medium"), c["risk_level"].eq("medium")),
        "prior proven offences": smd(treated["prior_offences"], control["prior_offences"]),
    }
    assert max(abs(v) for v in differences.values()) > 0.2, differences


def test_naive_comparison_is_biased_for_drive(drive):
    # participants reoffend more than the comparison group although the programme cuts the hazard by a quarter
    treated, _ = one_year_proven(drive, "participants", drive.truth["extract_date"])
    control, _ = one_year_proven(drive, "comparison", drive.truth["extract_date"])
    assert treated > control + 0.03


def test_truth_matches_what_the_tables_show(drive):
    # the observed participants live in the treated world: their one-year rate estimates att_risk_treated
    observed, n = one_year_proven(drive, "participants", drive.truth["extract_date"])
    assert abs(observed - drive.truth["att_risk_treated"]) < 4 * (0.25 / n) ** 0.5


def test_truth_is_consistent_with_the_effect(drive):
    truth = drive.truth
    assert truth["att_risk_difference"] < -0.03
    assert truth["att_risk_difference"] == pytest.approx(truth["att_risk_treated"] - truth["att_risk_untreated"])
    assert truth["att_risk_ratio"] == pytest.approx(truth["att_risk_treated"] / truth["att_risk_untreated"])
    # the marginal HR is nearer 1 than the conditional one (non-collapsible) but on the same side
    assert 0.75 < truth["att_marginal_hr"] < 0.95
    assert truth["att_da_rate_ratio"] == pytest.approx(0.75, abs=0.05)
    assert truth["att_da_rate_ratio"] == pytest.approx(truth["att_da_rate_treated"] / truth["att_da_rate_untreated"])


def test_potential_outcomes_give_the_truth_keys(drive):
    truth = drive.truth
    outcomes = truth["potential_outcomes"]
    assert list(outcomes["person_id"]) == list(drive.participants["person_id"])
    assert outcomes["reoffended_treated"].mean() == pytest.approx(truth["att_risk_treated"])
    assert outcomes["reoffended_untreated"].mean() == pytest.approx(truth["att_risk_untreated"])
    assert outcomes["da_incidents_treated"].sum() / outcomes["da_incidents_untreated"].sum() == pytest.approx(
        truth["att_da_rate_ratio"])
    assert (outcomes["reoffended_treated"] == outcomes["days_to_first_reoffence_treated"].between(1, 365)).all()
    # common random numbers: with a protective effect nobody reoffends only in the treated world,
    # and a treated-world reoffence never comes earlier than the untreated one
    both = outcomes[outcomes["reoffended_treated"]]
    assert both["reoffended_untreated"].all()
    assert (both["days_to_first_reoffence_treated"] >= both["days_to_first_reoffence_untreated"]).all()


def test_no_effect_gives_zero_truth():
    data = synthetic.generate("Up2U", n_participants=300, n_comparison=1000, seed=9, effect=1.0)
    assert data.truth["att_risk_difference"] == 0
    assert data.truth["att_marginal_hr"] == pytest.approx(1.0, abs=1e-6)
    assert data.truth["att_da_rate_ratio"] == 1.0


def test_harmful_effect_and_separate_da_effect():
    data = synthetic.generate("DRIVE", n_participants=800, n_comparison=1000, seed=9, effect=1.5, da_effect=0.5)
    truth = data.truth
    assert truth["effect"] == 1.5 and truth["da_effect"] == 0.5
    assert truth["att_risk_difference"] > 0.03
    assert 1.0 < truth["att_marginal_hr"] < 1.5
    assert truth["att_da_rate_ratio"] == pytest.approx(0.5, abs=0.07)


@pytest.mark.parametrize("other_effect", [1.0, 1.6])
def test_the_effect_leaves_the_comparison_group_untouched(other_effect):
    # the effect touches participants only: the comparison group's events are identical
    a = synthetic.generate("DRIVE", n_participants=100, n_comparison=500, seed=2, effect=0.5)
    b = synthetic.generate("DRIVE", n_participants=100, n_comparison=500, seed=2, effect=other_effect,
                           da_effect=other_effect)
    pd.testing.assert_frame_equal(a.comparison, b.comparison)
    ids = set(a.comparison["person_id"])
    for table, column, numbered in (("offences", "person_id", ["offence_id"]),
                                    ("incidents", "perpetrator_id", ["incident_id", "victim_id"]),
                                    ("custody", "person_id", []), ("exits", "person_id", [])):
        left, right = getattr(a, table), getattr(b, table)
        pd.testing.assert_frame_equal(
            left[left[column].isin(ids)].drop(columns=numbered).reset_index(drop=True),
            right[right[column].isin(ids)].drop(columns=numbered).reset_index(drop=True),
        )
    assert not a.participants.equals(b.participants) or not a.offences.equals(b.offences)


def test_victim_ids_belong_to_one_perpetrator(drive):
    assert (drive.incidents.groupby("victim_id", observed=True)["perpetrator_id"].nunique() == 1).all()


def test_a_correct_weighted_analysis_recovers_the_untreated_truth(drive):
    """Selection is on observed covariates only: weighting the comparison group by the odds of a
    propensity score fitted on those covariates (as the outcome stage derives them) reproduces the
    participants' untreated one-year risk, which the naive comparison misses by far."""
    import statsmodels.api as sm

    from .synthetic_measures import FOLLOW_UP, WAITING, index_dates

    rows = []
    for group in ("participants", "comparison"):
        people = getattr(drive, group).set_index("person_id")
        index = index_dates(drive, group)
        counts = prior_counts(drive, group)
        frame = pd.DataFrame({
            "treated": float(group == "participants"),
            "age": (index - people["date_of_birth"].reindex(index.index)).dt.days / 365.25,
            "male": people["sex"].reindex(index.index).eq("M").astype(float),
            "log_prior_offences": np.log1p(counts["prior_offences"]),
            "log_prior_da": np.log1p(counts["prior_da"]),
            "index": index,
        })
        for level in ("medium", "high"):
            frame[level] = people["risk_level"].reindex(index.index).eq(level).astype(float)
        for area in ("South", "East", "West", "City"):
            frame[area] = people["area"].reindex(index.index).eq(area).astype(float)
        rows.append(frame)
    people = pd.concat(rows)
    covariates = [c for c in people.columns if c not in ("treated", "index")]
    fit = sm.Logit(people["treated"], sm.add_constant(people[covariates])).fit(disp=0)
    odds = np.exp(fit.fittedvalues)
    extract = pd.Timestamp(drive.truth["extract_date"])
    control = people[(people["treated"] == 0) & (people["index"] + FOLLOW_UP + WAITING <= extract)]
    offences = drive.offences[drive.offences["person_id"].isin(control.index)]
    at = offences["person_id"].map(control["index"])
    hit = (offences["offence_date"] > at) & (offences["offence_date"] <= at + FOLLOW_UP) & offences[
        "disposal"].isin(["conviction", "caution"]) & (offences["outcome_date"] <= at + FOLLOW_UP + WAITING)
    reoffended = control.index.isin(offences.loc[hit, "person_id"]).astype(float)
    weighted = float(np.average(reoffended, weights=odds[control.index]))
    truth = drive.truth["att_risk_untreated"]
    assert abs(weighted - truth) < 0.04, (weighted, truth)
    assert abs(reoffended.mean() - truth) > 0.1  # the naive comparison is far off
