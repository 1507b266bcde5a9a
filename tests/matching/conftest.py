"""Fixtures: the synthetic programme cohort and the MatchIt 4.7.2 / cobalt 4.5.5 outputs made from it.

Made by tests/fixtures/matching/matching.R (copied from the shared references with gen_matching_data.R,
common.R and run_all.sh); see that script for the exact R calls.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "matching"
FORMULA = ("treated ~ age + sex + risk_level + prior_offences + prior_da_incidents + "
           "years_since_first_offence + area")
NUMERIC = ["age", "prior_offences", "prior_da_incidents", "years_since_first_offence"]
LEVELS = {"sex": ["F", "M"], "risk_level": ["standard", "medium", "high"], "area": ["East", "North", "South", "West"]}

SPECS = {
    "a": ("spec_a_nearest_glm_1to1.json", FORMULA, {}),
    "b": ("spec_b_nearest_glm_1to1_caliper0.2.json", FORMULA, {"caliper": 0.2}),
    "c": ("spec_c_nearest_glm_1to1_caliper0.2_exact_sex.json", FORMULA, {"caliper": 0.2, "exact": "sex"}),
    "d": ("spec_d_nearest_glm_1to2_replace.json", FORMULA, {"ratio": 2, "replace": True}),
    "e": ("spec_e_nearest_mahalanobis_in_ps_caliper0.2.json", FORMULA, {"caliper": 0.2, "mahvars": NUMERIC}),
    "f": ("spec_f_cem_default.json", FORMULA, {"method": "cem"}),
    "g": ("spec_g_exact_sex_risk_area.json", "treated ~ sex + risk_level + area", {"method": "exact"}),
}


def load_cohort() -> pd.DataFrame:
    """cohort.csv read as the R script reads it: factor levels fixed, row names = id."""
    data = pd.read_csv(FIXTURES / "cohort.csv")
    for column, levels in LEVELS.items():
        data[column] = pd.Categorical(data[column], categories=levels)
    data.index = pd.Index(data["id"].to_numpy(), name=None)
    return data


def load_reference(name: str) -> dict:
    with open(FIXTURES / name) as handle:
        return json.load(handle)


def assert_close(actual, expected, rtol: float = 1e-6, atol: float = 1e-12, what: str = "") -> float:
    """Elementwise |a - e| <= atol + rtol |e| (NaN only where R has null); returns the max relative difference."""
    a = np.asarray(actual, dtype=float)
    e = np.asarray([np.nan if v is None else v for v in np.ravel(expected)], dtype=float).reshape(a.shape)
    assert np.array_equal(np.isnan(a), np.isnan(e)), f"{what}: NaN pattern differs"
    ok = ~np.isnan(e)
    diff = np.abs(a[ok] - e[ok])
    assert np.all(diff <= atol + rtol * np.abs(e[ok])), f"{what}: max abs diff {diff.max() if diff.size else 0}"
    rel = diff / np.maximum(np.abs(e[ok]), 1e-300)
    return float(rel[diff > atol].max()) if np.any(diff > atol) else 0.0


@pytest.fixture(scope="session")
def cohort() -> pd.DataFrame:
    return load_cohort()


@pytest.fixture(scope="session")
def spec_results(cohort):
    """Each spec's MatchResult (computed once per session) with its R reference."""
    from reoffend_eval.matching import match

    cache = {}

    def get(key: str):
        if key not in cache:
            file, formula, options = SPECS[key]
            cache[key] = (match(cohort, formula, **options), load_reference(file))
        return cache[key]

    return get
