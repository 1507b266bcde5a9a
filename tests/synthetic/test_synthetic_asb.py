"""Synthetic ASB records and the #15 truths: valid, ordered by programme, with the effects they were given."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import reoffend_eval as rev
from reoffend_eval import synthetic
from reoffend_eval.validate import validate


def test_asb_rows_pass_validation(small):
    for programme, data in small.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = validate(data, extract_date=data.truth["extract_date"], programme=programme)
        q = r.quarantine[r.quarantine["table"] == "asb"]
        assert q.empty, (programme, q.head())
        assert r.counts.loc["asb", "clean"] == len(data.asb)


def test_turnaround_has_most_asb_and_drive_least(small):
    per_person = {p: len(d.asb) / (len(d.participants) + len(d.comparison)) for p, d in small.items()}
    assert per_person["Turnaround"] > per_person["Up2U"] > per_person["DRIVE"] > 0
    for data in small.values():
        assert set(data.asb["type"].dropna()) > {"incident", "warning"}


def test_true_asb_rate_ratio_and_offence_filtered_effects_are_the_ones_given():
    data = synthetic.generate("Turnaround", n_participants=4000, n_comparison=4000, seed=7, effect=0.9,
                              asb_effect=0.5, da_offence_effect=1.0, violent_effect=0.6)
    t = data.truth
    assert (t["asb_effect"], t["da_offence_effect"], t["violent_effect"]) == (0.5, 1.0, 0.6)
    # a Poisson process thinned by 0.5: the incidents per participant halve (about 3,000 incidents: +-5%)
    assert t["att_asb_rate_ratio"] == pytest.approx(0.5, rel=0.06)
    assert t["att_any_asb_difference"] < 0
    # violent offences thinned by 0.6, other offences by 0.9: violent reoffending falls more
    assert t["att_violent_risk_ratio"] < t["att_risk_ratio"] < 1
    assert 0 < t["att_first_time_entry_people"] <= 4000 and t["att_first_time_entry_difference"] < 0


def test_no_effect_means_no_true_difference():
    data = synthetic.generate("Up2U", n_participants=300, n_comparison=1000, seed=4, effect=1.0)
    t = data.truth
    for key in ("att_asb_rate_ratio", "att_da_risk_ratio", "att_violent_risk_ratio"):
        assert t[key] == pytest.approx(1.0)
    for key in ("att_any_asb_difference", "att_first_time_entry_difference", "att_police_contact_difference"):
        assert t[key] == 0


def test_outcomes_measure_the_synthetic_asb(small):
    data = small["Turnaround"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        people = rev.derive_outcomes(data, rev.OutcomeRules(programme="Turnaround",
                                                            extract_date=data.truth["extract_date"]))
    full = people[people["full_da_follow_up"]]
    assert full["n_asb_incidents"].notna().all() and (full["n_asb_incidents"] > 0).any()
    assert (full["n_asb_interventions"] > 0).any()
    assert (people["prior_asb_incidents"] > 0).any()
    # no look-back: entry is undefined exactly for those without full follow-up or with a prior proven offence
    undefined = people["reoffended"].isna() | (people["prior_proven_offences"] > 0)
    assert (people["entered_youth_justice"].isna() == undefined).all()
    assert np.all(people["asb_days_at_risk"] <= people["observed_days"])
    assert isinstance(people["any_asb"].dtype, pd.BooleanDtype)
