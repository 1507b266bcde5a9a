"""Covariate balance before and after matching or weighting, as MatchIt's ``summary()`` and cobalt's ``bal.tab``.

Per term (a numeric covariate or one level of a factor) and per sample (``_before``: everyone, unweighted;
``_after``: the matching or inverse-probability weights, 0 for unmatched units):

* ``mean_treated`` / ``mean_control``: weighted means.
* ``smd``: (mean treated - mean control) / s, where s comes from the full, unweighted sample and is the
  same before and after: the treated group's SD for the ATT, the control group's for the ATC, and
  sqrt((var_t + var_c) / 2) ("pooled") for the ATE and ATO. Continuous terms use the sample SD (n - 1);
  0/1 terms use sqrt(p(1 - p)) (MatchIt's ``summary``; cobalt's ``binary = "std"``).
* ``var_ratio``: weighted variance treated / control, weighted variance sum(w (x - m)^2) / (1 - sum w^2)
  with weights normalised to sum 1 (= the n - 1 variance for equal weights); empty (NaN) for 0/1 terms.
* ``ecdf_mean`` / ``ecdf_max``: mean and largest |F_t(v) - F_c(v)| of the weighted eCDFs over every
  distinct value v among all units, including units with weight 0; for 0/1 terms both are |p_t - p_c|.

Row names follow MatchIt's ``summary()``: every level of a factor (``sexF`` and ``sexM``), and the
propensity score first as ``distance`` when there is one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._checks import treatment_indicator
from ._design import model_matrix

# |SMD| above which a covariate counts as imbalanced (cobalt's and Stuart's usual 0.1)
SMD_THRESHOLD = 0.1

COLUMNS = [
    f"{stat}_{when}"
    for when in ("before", "after")
    for stat in ("mean_treated", "mean_control", "smd", "var_ratio", "ecdf_mean", "ecdf_max")
]
_POOLED = {"ATE", "ATO"}


def expanded_terms(data: pd.DataFrame, rhs: str, *, what: str = "data") -> pd.DataFrame:
    """The balance terms of ``rhs``: R's model matrix, but with every level of a factor kept (as MatchIt)."""
    return model_matrix(data, rhs, intercept=False, what=what, all_levels=True)


def _is_binary(x: np.ndarray) -> bool:
    if x.min() < 0 or x.max() > 1:
        return False
    return bool(np.all((x == 0) | (x == 1)))


def _group_var(x: np.ndarray, w: np.ndarray) -> float:
    keep = w > 0
    x, w = x[keep], w[keep]
    if len(x) < 2:
        return np.nan
    w = w / w.sum()
    mean = np.sum(w * x)
    return float(np.sum(w * (x - mean) ** 2) / (1.0 - np.sum(w * w)))


def _cdf_at(values: np.ndarray, weights: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Weighted eCDF of ``values`` (weights summing to 1) evaluated at each point of ``at``."""
    order = np.argsort(values)
    cumulative = np.r_[0.0, np.cumsum(weights[order])]
    return cumulative[np.searchsorted(values[order], at, side="right")]


class _Support:
    """Distinct values of a term over all units (zero-weight units included) and how many units are <= each."""

    def __init__(self, x: np.ndarray):
        ordered = np.sort(x)
        last = np.r_[ordered[1:] != ordered[:-1], True]
        self.values = ordered[last]
        self.count_le = np.flatnonzero(last) + 1


def denominators(
    terms: pd.DataFrame, treated: np.ndarray, estimand: str, binary: dict[str, bool] | None = None
) -> pd.Series:
    """SMD denominators from the full unweighted sample (see the module docstring)."""
    out = {}
    for name in terms.columns:
        x = terms[name].to_numpy(dtype=float)
        is_binary = _is_binary(x) if binary is None else binary[name]

        def var(values: np.ndarray, binary: bool = is_binary) -> float:
            if binary:
                p = values.mean()
                return p * (1.0 - p)
            return values.var(ddof=1) if len(values) > 1 else np.nan

        if estimand == "ATT":
            v = var(x[treated])
        elif estimand == "ATC":
            v = var(x[~treated])
        else:
            v = (var(x[treated]) + var(x[~treated])) / 2.0
        out[name] = np.sqrt(v)
    return pd.Series(out, dtype=float)


def _sample_stats(
    x: np.ndarray, treated: np.ndarray, w: np.ndarray | None, denom: float, binary: bool, support
) -> list[float]:
    """The six statistics for one sample; ``w`` None = everyone with weight 1, else rows with weight > 0."""
    xt, xc = x[treated], x[~treated]
    wt = np.ones(len(xt)) if w is None else w[treated]
    wc = np.ones(len(xc)) if w is None else w[~treated]
    if wt.sum() <= 0 or wc.sum() <= 0:
        return [np.nan] * 6
    mean_t = float(np.dot(wt, xt) / wt.sum())
    mean_c = float(np.dot(wc, xc) / wc.sum())
    diff = mean_t - mean_c
    # a term with no spread in the reference group has no SD to scale by: show the raw difference
    smd = diff / denom if denom > np.sqrt(np.finfo(float).eps) else diff
    if binary:
        return [mean_t, mean_c, smd, np.nan, abs(diff), abs(diff)]
    var_c = _group_var(xc, wc)
    ratio = _group_var(xt, wt) / var_c if var_c > 0 else np.nan
    at = support().values
    if w is None:  # equal weights: exact counts
        count_t = np.searchsorted(np.sort(xt), at, side="right")
        gap = np.abs(count_t / len(xt) - (support().count_le - count_t) / len(xc))
    else:
        gap = np.abs(_cdf_at(xt, wt / wt.sum(), at) - _cdf_at(xc, wc / wc.sum(), at))
    return [mean_t, mean_c, smd, ratio, float(gap.mean()), float(gap.max())]


def balance_table(
    terms: pd.DataFrame, treated: np.ndarray, weights: np.ndarray | None, estimand: str = "ATT"
) -> pd.DataFrame:
    """Balance of every column of ``terms`` before (unweighted) and after (``weights``; NaN if None).

    The eCDF statistics after adjustment are taken over the distinct values of all units, including
    units with weight 0 (MatchIt's rule); the other statistics only involve units with positive weight.
    """
    treated = np.asarray(treated, dtype=bool)
    flags = {name: _is_binary(terms[name].to_numpy(dtype=float)) for name in terms.columns}
    denom = denominators(terms, treated, estimand, flags)
    if weights is not None:
        weights = np.asarray(weights, dtype=float)
        kept = np.flatnonzero(weights > 0)
        kept_treated, kept_weights = treated[kept], weights[kept]
    rows = []
    for name in terms.columns:
        x = terms[name].to_numpy(dtype=float)
        binary = flags[name]
        cache: list = []

        def support(x=x, cache=cache):
            if not cache:
                cache.append(_Support(x))
            return cache[0]

        before = _sample_stats(x, treated, None, denom[name], binary, support)
        after = (
            _sample_stats(x[kept], kept_treated, kept_weights, denom[name], binary, support)
            if weights is not None
            else [np.nan] * 6
        )
        rows.append(before + after)
    return pd.DataFrame(rows, index=pd.Index(list(terms.columns), name="term"), columns=COLUMNS)


def std_pair_distance(
    terms: pd.DataFrame, denom: pd.Series, treated_rows: np.ndarray, control_rows: np.ndarray
) -> pd.Series:
    """MatchIt's "Std. Pair Dist.": mean |x_t - x_c| over the given treated-control pairs, / the SMD denominator."""
    if len(treated_rows) == 0:
        return pd.Series(np.nan, index=terms.columns)
    mean_abs = [
        np.abs(terms[name].to_numpy(dtype=float)[treated_rows] - terms[name].to_numpy(dtype=float)[control_rows]).mean()
        for name in terms.columns
    ]
    return pd.Series(mean_abs, index=terms.columns) / denom.replace(0.0, 1.0)


def stratum_pair_distance(
    terms: pd.DataFrame, denom: pd.Series, treated: np.ndarray, subclass: np.ndarray
) -> pd.Series:
    """ "Std. Pair Dist." for strata: mean |x_t - x_c| over every treated-control pair sharing a stratum."""
    x = terms.to_numpy(dtype=float)
    total = np.zeros(x.shape[1])
    n_pairs = 0
    valid = ~pd.isna(subclass)
    for code in pd.unique(subclass[valid]):
        rows = valid & (subclass == code)
        xt, xc = x[rows & treated], x[rows & ~treated]
        n_pairs += len(xt) * len(xc)
        for j in range(x.shape[1]):
            total[j] += _sum_abs_differences(xt[:, j], xc[:, j])
    return pd.Series(total / max(n_pairs, 1), index=terms.columns) / denom.replace(0.0, 1.0)


def _sum_abs_differences(a: np.ndarray, b: np.ndarray) -> float:
    # sum over all (i, j) of |a_i - b_j| in O(n log n), since strata can hold thousands of units
    b = np.sort(b)
    prefix = np.r_[0.0, np.cumsum(b)]
    below = np.searchsorted(b, a, side="right")
    left = a * below - prefix[below]
    right = (prefix[-1] - prefix[below]) - a * (len(b) - below)
    return float(np.sum(left + right))


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size (sum w)^2 / sum w^2 (MatchIt's and cobalt's "ESS")."""
    w = np.asarray(weights, dtype=float)
    if w.sum() <= 0:
        return 0.0
    return float(w.sum() ** 2 / np.sum(w * w))


def balance(
    data: pd.DataFrame, treatment: str, covariates: str | Sequence[str], weights=None, estimand: str = "ATT"
) -> pd.DataFrame:
    """Balance table for any weighted or matched data set (as cobalt's ``bal.tab`` with ``binary = "std"``).

    ``covariates``: a formula right-hand side (``"age + sex"``) or a list of column names; factors are
    shown with every level. ``weights``: a column name or an array (0 = left out); the ``_after`` columns
    use them and are NaN when ``weights`` is None. Returns a DataFrame indexed by term with the columns
    ``mean_treated_before`` ... ``ecdf_max_after`` (see the module docstring for definitions).

    ``data``: the rows to compare; ``treatment``: its 0/1 treatment column; ``estimand``: ``"ATT"``
    (SMDs use the treated group's SD, default), ``"ATE"`` or ``"ATO"`` (pooled SD).

    >>> tab = balance(people, "treated", ["age", "sex"], weights=w)      # doctest: +SKIP
    >>> tab.loc["age", "smd_after"]                                      # doctest: +SKIP
    """
    if estimand not in {"ATT", "ATC", "ATE", "ATO"}:
        raise ValueError(f"estimand must be 'ATT', 'ATC', 'ATE' or 'ATO', not {estimand!r}")
    rhs = covariates if isinstance(covariates, str) else " + ".join(covariates)
    treated = treatment_indicator(data, treatment)
    terms = expanded_terms(data, rhs)
    if isinstance(weights, str):
        if weights not in data.columns:
            raise ValueError(f"balance: weights column {weights!r} is not in the data")
        weights = data[weights].to_numpy(dtype=float)
    if weights is not None:
        weights = np.asarray(weights, dtype=float)
        if weights.shape != (len(data),):
            raise ValueError(f"balance: weights has {weights.size} values for {len(data)} rows")
        bad = ~np.isfinite(weights) | (weights < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"balance: weights must be finite and >= 0; row {data.index[i]!r} has {weights[i]!r}")
    return balance_table(terms, treated, weights, estimand)
