"""The truth's marginal hazard ratio against R survival's coxph (Efron ties), stored as a fixture."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reoffend_eval.synthetic.truth import marginal_hr

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "synthetic"


@pytest.mark.parametrize("case", ["small", "ties", "harmful"])
def test_marginal_hr_matches_r_coxph_efron(case):
    reference = json.loads((FIXTURES / "cox_reference.json").read_text())[case]["hr"]
    data = pd.read_csv(FIXTURES / "cox_potential_outcomes.csv")
    data = data[data["case"] == case]
    hr = marginal_hr(data["untreated_day"].to_numpy(), data["treated_day"].to_numpy())
    assert hr == pytest.approx(reference, rel=1e-6)


def test_marginal_hr_is_one_for_identical_worlds_and_nan_without_events():
    days = np.array([0, 5, 5, 17, 0, 300, 12])
    assert marginal_hr(days, days) == pytest.approx(1.0, abs=1e-12)
    assert np.isnan(marginal_hr(days, np.zeros_like(days)))
    assert np.isnan(marginal_hr(np.zeros_like(days), np.zeros_like(days)))
