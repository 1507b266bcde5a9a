"""``weight()``: inverse-probability-of-treatment weights from a logistic propensity score (as WeightIt / cobalt)."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from . import _checks
from ._design import model_matrix
from .balance import balance_table, effective_sample_size, expanded_terms
from .distance import logistic_propensity
from .result import WeightResult, weight_warnings


def _trim(weights: np.ndarray, treated: np.ndarray, estimand: str, at: float) -> np.ndarray:
    # as WeightIt::trim(at = q): weights above their q quantile are set to it; for the ATT the treated
    # weights are all 1 and only the comparison group's are truncated
    q = at if at >= 0.5 else 1.0 - at
    out = weights.copy()
    groups = [~treated] if estimand == "ATT" else [np.ones(len(weights), dtype=bool)]
    for rows in groups:
        cap = np.quantile(weights[rows], q)
        out[rows] = np.minimum(weights[rows], cap)
    return out


def weight(data: pd.DataFrame, formula: str, estimand: str = "ATT", trim: float | None = None) -> WeightResult:
    """Inverse-probability weights with balance diagnostics and effective sample sizes.

    The propensity score ps is a logistic regression of the treatment on the formula's covariates (as R's
    ``glm``). Weights: ATT treated 1, comparison ps / (1 - ps); ATE treated 1 / ps, comparison 1 / (1 - ps);
    ATO (overlap weights) treated 1 - ps, comparison ps. ``trim`` (e.g. 0.99) truncates weights at that
    quantile (the comparison group's only, for the ATT). Balance as cobalt's ``bal.tab`` (SMD denominator:
    treated SD for the ATT, pooled for ATE / ATO, from the unweighted sample).

    ``data``: one row per person; ``formula``: ``"treated ~ covariates"``; ``estimand``: ``"ATT"`` (default),
    ``"ATE"`` or ``"ATO"``.

    >>> w = weight(people, "treated ~ age + sex + prior_offences", estimand="ATE")   # doctest: +SKIP
    >>> w.counts.loc["weighted_ess"]                                                # doctest: +SKIP
    """
    if estimand not in ("ATT", "ATE", "ATO"):
        raise ValueError(f"estimand must be 'ATT', 'ATE' or 'ATO', not {estimand!r}")
    if trim is not None and (not isinstance(trim, numbers.Real) or not 0 < trim < 1 or trim == 0.5):
        raise ValueError(f"trim must be a quantile between 0 and 1 such as 0.99, not {trim!r}")
    treatment, rhs = _checks.parse_formula(formula, data)
    treated = _checks.treatment_indicator(data, treatment)
    _checks.check_groups(treated, treatment)
    _checks.check_reserved(data)
    fit = logistic_propensity(model_matrix(data, rhs, intercept=True, what="weight"), treated)
    if not fit.converged:
        raise ValueError("propensity model did not converge in 25 iterations (perfect separation?)")
    ps = fit.score
    if estimand == "ATT":
        w = np.where(treated, 1.0, ps / (1.0 - ps))
    elif estimand == "ATE":
        w = np.where(treated, 1.0 / ps, 1.0 / (1.0 - ps))
    else:
        w = np.where(treated, 1.0 - ps, ps)
    if trim is not None:
        w = _trim(w, treated, estimand, trim)
    terms = expanded_terms(data, rhs, what="weight")
    terms.insert(0, "distance", ps)
    table = balance_table(terms, treated, w, estimand)
    counts = pd.DataFrame(
        {
            "control": [
                (~treated).sum(),
                effective_sample_size(np.ones((~treated).sum())),
                effective_sample_size(w[~treated]),
            ],
            "treated": [
                treated.sum(),
                effective_sample_size(np.ones(treated.sum())),
                effective_sample_size(w[treated]),
            ],
        },
        index=pd.Index(["all", "all_ess", "weighted_ess"], name="sample"),
    ).astype(float)
    out = data.copy()
    out["weights"] = w
    out["distance"] = ps
    return WeightResult(
        data=out,
        counts=counts,
        balance=table,
        treatment=treatment,
        formula=formula,
        estimand=estimand,
        propensity_coef=fit.coef,
        trim=trim,
        warnings=weight_warnings(table, counts, ps, treated, w),
    )
