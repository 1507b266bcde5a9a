"""Coarsened exact matching (MatchIt's ``method = "cem"`` with its default coarsening).

Each numeric covariate is cut into k = ``nclass.Sturges`` = ceiling(log2(n) + 1) equal-width bins between
its minimum and maximum (the outer bins open-ended; bin j holds break_{j-1} <= x < break_j, as R's
``findInterval``); factors, text and bool columns are kept as they are. Strata are the distinct combinations
of the coarsened values; strata with at least one treated and one control unit are matched.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .._formula import variables


def sturges_breaks(x: np.ndarray) -> np.ndarray:
    """Interior cut points: ``seq(min, max, length = k + 1)`` without its ends, computed as R's ``seq`` does."""
    k = math.ceil(math.log2(len(x)) + 1)
    low, high = float(np.min(x)), float(np.max(x))
    if low == high or k < 2:
        return np.array([])
    return low + np.arange(1, k) * ((high - low) / k)


def cem_strata(data: pd.DataFrame, rhs: str, eligible: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Stratum code per row and the interior breaks used for each numeric covariate."""
    coarse = pd.DataFrame(index=data.index)
    breaks = {}
    for name in variables(rhs):
        column = data[name]
        if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
            x = column.to_numpy(dtype=float)
            cuts = sturges_breaks(x[eligible])
            breaks[name] = cuts
            coarse[name] = np.searchsorted(cuts, x, side="right")
        else:
            coarse[name] = column.astype(object).to_numpy()
    names = list(coarse.columns)
    return coarse.groupby(names, sort=False, dropna=False).ngroup().to_numpy(), breaks
