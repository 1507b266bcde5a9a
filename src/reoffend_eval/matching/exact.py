"""Exact matching (MatchIt's ``method = "exact"``): strata are the distinct combinations of the formula's variables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._formula import variables


def exact_strata(data: pd.DataFrame, rhs: str) -> np.ndarray:
    """Integer stratum code per row: rows with identical values of every variable in ``rhs`` share a code."""
    names = variables(rhs)
    return data[names].groupby(names, sort=False, observed=True, dropna=False).ngroup().to_numpy()
