"""``match()``: one entry point dispatching to nearest-neighbour, exact and coarsened exact matching (as MatchIt's ``matchit``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._formula import variables
from . import _checks
from ._design import model_matrix
from ._weights import pair_subclass, pair_weights, stratum_weights
from .balance import (
    balance_table,
    denominators,
    effective_sample_size,
    expanded_terms,
    std_pair_distance,
    stratum_pair_distance,
)
from .cem import cem_strata
from .distance import logistic_propensity, mahalanobis_transform
from .exact import exact_strata
from .nearest import match_on_mahalanobis, match_on_score, treated_order
from .result import MatchResult, match_warnings

_METHODS = ("nearest", "exact", "cem")
_PS_NAMES = ("logit", "glm")


def _as_rhs(value: str | Sequence[str], what: str) -> str:
    if isinstance(value, str):
        return value.split("~", 1)[-1].strip()
    if isinstance(value, Sequence) and value and all(isinstance(v, str) for v in value):
        return " + ".join(value)
    raise ValueError(f"{what} must be a column name, a list of column names or a formula like '~ sex', not {value!r}")


def _check_options(method, distance, ratio, replace, caliper, estimand, discard, m_order, data):
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, not {method!r}")
    if not isinstance(ratio, (int, np.integer)) or isinstance(ratio, bool) or ratio < 1:
        raise ValueError(f"ratio must be a whole number >= 1 (controls per treated unit), not {ratio!r}")
    if caliper is not None and (not np.isscalar(caliper) or not np.isfinite(caliper) or caliper <= 0):
        raise ValueError(
            f"caliper must be a positive number (in SDs of the distance when std_caliper=True), not {caliper!r}"
        )
    if discard not in ("none", "treated", "control", "both"):
        raise ValueError(f"discard must be 'none', 'treated', 'control' or 'both', not {discard!r}")
    if m_order not in ("largest", "smallest", "random", "data"):
        raise ValueError(f"m_order must be 'largest', 'smallest', 'random' or 'data', not {m_order!r}")
    if not isinstance(replace, (bool, np.bool_)):
        raise ValueError(f"replace must be True or False, not {replace!r}")
    if method == "nearest" and estimand != "ATT":
        raise ValueError(f"method='nearest' supports estimand='ATT' only, not {estimand!r}")
    if method != "nearest" and estimand not in ("ATT", "ATC", "ATE"):
        raise ValueError(f"estimand must be 'ATT', 'ATC' or 'ATE', not {estimand!r}")
    if not isinstance(distance, str):
        raise ValueError(f"distance must be 'logit', 'mahalanobis' or the name of a score column, not {distance!r}")
    if distance not in _PS_NAMES + ("mahalanobis",) and distance not in data.columns:
        raise ValueError(f"distance {distance!r} is neither 'logit', 'mahalanobis' nor a column of the data")
    if distance == "mahalanobis" and caliper is not None:
        raise ValueError(
            "a caliper needs a propensity score: use distance='logit' with mahvars=... for "
            "Mahalanobis matching within a propensity caliper"
        )


def _user_score(data: pd.DataFrame, column: str) -> np.ndarray:
    values = data[column]
    if not pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        raise ValueError(f"distance column {column!r} must be numeric (a propensity score), not {values.dtype}")
    bad = values.isna() | ~np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))
    if bad.any():
        raise ValueError(f"distance column {column!r} has a missing or infinite value at row {bad.idxmax()!r}")
    return values.to_numpy(dtype=float)


def _discarded(score: np.ndarray | None, treated: np.ndarray, discard: str) -> np.ndarray:
    out = np.zeros(len(treated), dtype=bool)
    if discard == "none":
        return out
    if score is None:
        raise ValueError(
            "discard needs a propensity score; it cannot be used with distance='mahalanobis' or method='exact'/'cem'"
        )
    t, c = score[treated], score[~treated]
    if discard in ("treated", "both"):
        out |= treated & ((score < c.min()) | (score > c.max()))
    if discard in ("control", "both"):
        out |= ~treated & ((score < t.min()) | (score > t.max()))
    return out


def match(
    data: pd.DataFrame,
    formula: str,
    *,
    method: str = "nearest",
    distance: str = "logit",
    ratio: int = 1,
    replace: bool = False,
    caliper: float | None = None,
    std_caliper: bool = True,
    exact: str | Sequence[str] | None = None,
    mahvars: str | Sequence[str] | None = None,
    discard: str = "none",
    m_order: str = "largest",
    estimand: str = "ATT",
    random_state: int | None = None,
) -> MatchResult:
    """Build a matched comparison group, as R's ``MatchIt::matchit`` 4.7.2 with the same defaults.

    ``formula`` names the treatment (0/1 or bool) and the covariates: ``"treated ~ age + sex + prior_offences"``;
    text, bool and categorical columns are dummy-coded as R's ``model.matrix`` (give risk levels as a pandas
    Categorical to fix the reference level). Methods:

    * ``"nearest"`` (default): greedy nearest neighbour on ``distance`` = ``"logit"`` (logistic propensity
      score, as ``distance = "glm"``), a column holding your own score, or ``"mahalanobis"`` (on the formula's
      covariates). ``ratio`` controls per treated unit, ``replace``, ``caliper`` (in SDs of the score when
      ``std_caliper``, SD with n - 1 over all non-discarded units; else in score units), ``exact`` (columns that
      must agree), ``mahvars`` (match on Mahalanobis distance of these columns inside the caliper),
      ``discard`` (drop units outside the other group's score range: ``"treated"``, ``"control"``, ``"both"``),
      ``m_order`` (``"largest"`` score first, ``"smallest"``, ``"random"`` seeded by ``random_state``, ``"data"``;
      with no score, ``"largest"``/``"smallest"`` fall back to data order as MatchIt's default does).
    * ``"exact"``: strata = distinct combinations of all formula variables.
    * ``"cem"``: coarsened exact matching, numeric covariates in Sturges bins (MatchIt's default cutpoints).

    Returns a :class:`MatchResult`: matched rows with ``weights``/``subclass``/``distance``, the match matrix,
    counts with effective sample sizes, the balance table and honest warnings.

    ``data``: one row per person (as ``rev.derive_outcomes`` gives). ``method``: ``"nearest"`` (default),
    ``"exact"`` or ``"cem"``, as below. ``estimand``: ``"ATT"`` (the only one nearest-neighbour matching
    estimates, as MatchIt's default).

    >>> m = match(people, "treated ~ age + sex + prior_offences", caliper=0.2)   # doctest: +SKIP
    >>> m.balance[["smd_before", "smd_after"]]                                  # doctest: +SKIP
    """
    treatment, rhs = _checks.parse_formula(formula, data)
    treated = _checks.treatment_indicator(data, treatment)
    _checks.check_groups(treated, treatment)
    _checks.check_reserved(data)
    _checks.check_index(data)
    _check_options(method, distance, ratio, replace, caliper, estimand, discard, m_order, data)
    if method != "nearest" and (
        exact is not None or mahvars is not None or caliper is not None or ratio != 1 or replace
    ):
        raise ValueError(f"method={method!r} takes no ratio, replace, caliper, exact or mahvars options")
    if mahvars is not None and distance == "mahalanobis":
        raise ValueError(
            "mahvars needs a propensity score distance; with distance='mahalanobis' list the "
            "variables in the formula instead"
        )
    n = len(data)
    terms = expanded_terms(data, rhs, what="match")

    score = None
    coef = None
    if method == "nearest" and distance in _PS_NAMES:
        fit = logistic_propensity(model_matrix(data, rhs, intercept=True, what="match"), treated)
        if not fit.converged:
            raise ValueError(
                "propensity model did not converge in 25 iterations (perfect separation?): "
                "check covariates that predict treatment exactly"
            )
        score, coef = fit.score, fit.coef
    elif method == "nearest" and distance != "mahalanobis":
        if distance in variables(rhs) or distance == treatment:
            raise ValueError(f"distance column {distance!r} is also in the formula")
        score = _user_score(data, distance)

    discarded = _discarded(score, treated, discard)
    eligible = ~discarded
    caliper_value = None
    match_matrix = None
    pairs = None
    if method == "nearest":
        if caliper is not None:
            if score is None:
                raise ValueError("caliper needs a score distance")
            caliper_value = float(caliper) * float(np.std(score[eligible], ddof=1)) if std_caliper else float(caliper)
        codes = None
        if exact is not None:
            codes = exact_strata(data, _as_rhs(exact, "exact"))
        treated_rows = np.flatnonzero(treated & eligible)
        order = treated_rows[treated_order(score, treated_rows, m_order, random_state)]
        if mahvars is not None or distance == "mahalanobis":
            mah_rhs = _as_rhs(mahvars, "mahvars") if mahvars is not None and distance != "mahalanobis" else rhs
            x = model_matrix(data, mah_rhs, intercept=False, what="mahvars").to_numpy(dtype=float)
            transformed = mahalanobis_transform(x, treated, eligible)
            found = match_on_mahalanobis(
                transformed,
                score,
                treated,
                eligible,
                order,
                ratio=ratio,
                replace=replace,
                caliper=caliper_value,
                exact_codes=codes,
            )
        else:
            assert score is not None  # every distance but "mahalanobis" gives a score
            found = match_on_score(
                score, treated, eligible, order, ratio=ratio, replace=replace, caliper=caliper_value, exact_codes=codes
            )
        weights = pair_weights(found, order, n, treated)
        subclass = np.full(n, np.nan) if replace else pair_subclass(found, order, n)
        all_treated = np.flatnonzero(treated)
        slots = np.full((len(all_treated), ratio), -1, dtype=np.int64)
        slots[np.searchsorted(all_treated, order)] = found
        labels = data.index.to_numpy()
        match_matrix = pd.DataFrame(
            {
                f"control_{k + 1}": pd.array([labels[j] if j >= 0 else pd.NA for j in slots[:, k]], dtype=object)
                for k in range(ratio)
            },
            index=data.index[all_treated],
        )
        has = found >= 0
        pairs = (np.repeat(order, ratio).reshape(found.shape)[has], found[has])
    else:
        strata = exact_strata(data, rhs) if method == "exact" else cem_strata(data, rhs, eligible)[0]
        weights, subclass = stratum_weights(strata, treated, eligible, estimand)

    if score is not None:
        terms.insert(0, "distance", score)
    table = balance_table(terms, treated, weights, estimand)
    denom = denominators(terms, treated, estimand)
    if pairs is not None:
        table["std_pair_dist"] = std_pair_distance(terms, denom, *pairs)
    else:
        table["std_pair_dist"] = stratum_pair_distance(terms, denom, treated, subclass)

    matched = weights > 0
    counts = pd.DataFrame(
        {
            "control": [
                (~treated).sum(),
                effective_sample_size(np.ones((~treated).sum())),
                (matched & ~treated).sum(),
                effective_sample_size(weights[~treated]),
                (~matched & ~treated & eligible).sum(),
                (discarded & ~treated).sum(),
            ],
            "treated": [
                treated.sum(),
                effective_sample_size(np.ones(treated.sum())),
                (matched & treated).sum(),
                effective_sample_size(weights[treated]),
                (~matched & treated & eligible).sum(),
                (discarded & treated).sum(),
            ],
        },
        index=pd.Index(["all", "all_ess", "matched", "matched_ess", "unmatched", "discarded"], name="sample"),
    ).astype(float)

    all_data = data.copy()
    all_data["weights"] = weights
    none = np.isnan(subclass)
    all_data["subclass"] = pd.arrays.IntegerArray(np.where(none, 0, subclass).astype("int64"), none)
    all_data["distance"] = score if score is not None else np.nan
    all_data["discarded"] = discarded
    matched_data = all_data.loc[matched].drop(columns="discarded")
    on_what = "Mahalanobis distance" if distance == "mahalanobis" or mahvars is not None else "the propensity score"
    description = {
        "nearest": f"{ratio}:1 nearest neighbour {'with' if replace else 'without'} replacement on {on_what}",
        "exact": "exact matching",
        "cem": "coarsened exact matching",
    }[method]
    return MatchResult(
        data=matched_data,
        all_data=all_data,
        match_matrix=match_matrix,
        counts=counts,
        balance=table,
        treatment=treatment,
        formula=formula,
        method=method,
        estimand=estimand,
        replace=bool(replace),
        ratio=int(ratio),
        distance=distance if method == "nearest" else None,
        caliper=caliper_value,
        propensity_coef=coef,
        description=description,
        warnings=match_warnings(table, counts, score, treated, estimand),
    )
