"""The fast model-matrix path gives exactly the shared formula helper's matrix (R's model.matrix coding)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reoffend_eval._formula import design_matrix
from reoffend_eval.matching._design import model_matrix

from .conftest import FORMULA


@pytest.fixture(scope="module")
def mixed():
    rng = np.random.default_rng(3)
    n = 500
    return pd.DataFrame({
        "age": rng.normal(30, 5, n),
        "priors": rng.poisson(2, n),
        "flag": rng.random(n) < 0.3,
        "area": rng.choice(["West", "East", "North"], n),
        "risk": pd.Categorical(rng.choice(["standard", "high"], n), categories=["standard", "medium", "high"]),
    }, index=pd.Index([f"r{i}" for i in range(n)]))


@pytest.mark.parametrize("rhs", ["age + priors + flag + area + risk", "area + age", "flag", "risk + priors"])
@pytest.mark.parametrize("intercept", [True, False])
def test_fast_path_equals_shared_helper(mixed, rhs, intercept):
    fast = model_matrix(mixed, rhs, intercept=intercept, what="t")
    pd.testing.assert_frame_equal(fast, design_matrix(mixed, rhs, intercept=intercept, what="t"))


def test_fast_path_on_cohort(cohort):
    rhs = FORMULA.split("~")[1]
    pd.testing.assert_frame_equal(model_matrix(cohort, rhs, intercept=True, what="t"),
                                  design_matrix(cohort, rhs, intercept=True, what="t"))


def test_all_levels_and_interactions(mixed):
    every = model_matrix(mixed, "age + area", intercept=False, what="t", all_levels=True)
    assert list(every.columns) == ["age", "areaEast", "areaNorth", "areaWest"]
    assert (every[["areaEast", "areaNorth", "areaWest"]].sum(axis=1) == 1).all()
    slow = model_matrix(mixed, "age + area + age:flag", intercept=False, what="t", all_levels=True)
    assert list(slow.columns)[:4] == ["age", "areaEast", "areaNorth", "areaWest"]
