"""Fit an outcome model and test its coefficients as ``lmtest::coeftest`` / ``coefci`` do."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ._glm import GlmFit, fit_glm, fit_negative_binomial
from ._source import Prepared, design
from ._variance import cluster_vcov, hc_vcov, model_vcov

SMALL_N = 60
FEW_EVENTS = 30


def variance_words(prep: Prepared, family: str) -> str:
    if prep.variance == "cluster":
        by = " + ".join(prep.cluster_names)
        kind = "HC1" if family == "gaussian" else "HC0"
        return f"cluster-robust by {by} (sandwich::vcovCL, {kind}, cadjust)"
    if prep.variance == "model":
        return "model-based (stats::vcov; not robust)"
    return f"robust (sandwich::vcovHC, {prep.variance})"


def fit_and_test(
    prep: Prepared,
    y: np.ndarray,
    *,
    family: str,
    link: str,
    covariates: str | None,
    offset: np.ndarray | None,
    what: str,
) -> tuple[GlmFit, pd.DataFrame, tuple[str, ...]]:
    """Coefficient table (coef, se, statistic, df, p, ci_lower, ci_upper), lm: t(df.residual); glm: z."""
    X, names = design(prep, covariates, what)
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise ValueError(f"{what}: the outcome model's columns {names} are collinear; drop a covariate")
    notes: tuple[str, ...] = ()
    if family == "negative_binomial":
        fit, notes = fit_negative_binomial(X, y, prep.weights, offset)
    else:
        fit = fit_glm(X, y, prep.weights, family=family, link=link, offset=offset)
    if not fit.converged:
        notes = notes + (
            f"{what}: the {family} model did not converge in {fit.iterations} iterations; treat it with care",
        )
    if prep.variance == "cluster":
        vcov = cluster_vcov(fit, prep.clusters)
    elif prep.variance == "model":
        vcov = model_vcov(fit)
    else:
        vcov = hc_vcov(fit, prep.variance)
    se = np.sqrt(np.diag(vcov))
    statistic = fit.coef / se
    if family == "gaussian":
        df = float(fit.df_residual)
        p = 2 * stats.t.sf(np.abs(statistic), df)
        q = stats.t.ppf(0.975, df)
    else:
        df = np.inf
        p = 2 * stats.norm.sf(np.abs(statistic))
        q = stats.norm.ppf(0.975)
    table = pd.DataFrame(
        {
            "coef": fit.coef,
            "se": se,
            "statistic": statistic,
            "df": df,
            "p": p,
            "ci_lower": fit.coef - q * se,
            "ci_upper": fit.coef + q * se,
        },
        index=pd.Index(names, name="term"),
    )
    return fit, table, notes


def measure_row(coefs: pd.DataFrame, term: str, *, exponentiate: bool, n: int, method: str) -> dict:
    row = coefs.loc[term]
    f = np.exp if exponentiate else (lambda v: v)
    return {
        "estimate": float(f(row["coef"])),
        "ci_lower": float(f(row["ci_lower"])),
        "ci_upper": float(f(row["ci_upper"])),
        "p": float(row["p"]),
        "n": n,
        "method": method,
        "se": float(row["se"]),
        "statistic": float(row["statistic"]),
        "df": float(row["df"]),
    }


def group_summary(prep: Prepared, values: np.ndarray, label: str, exposure: np.ndarray | None = None) -> pd.DataFrame:
    t = prep.data[prep.treatment].to_numpy()
    rows = []
    for g in (0, 1):
        m = t == g
        w = prep.weights[m]
        row = {"group": g, "people": int(m.sum()), "sum_weights": float(w.sum())}
        if exposure is None:
            row[label] = float(np.sum(w * values[m]) / w.sum())
        else:
            row["events"] = float(np.sum(w * values[m]))
            row["exposure"] = float(np.sum(w * exposure[m]))
            row[label] = row["events"] / row["exposure"]
        rows.append(row)
    return pd.DataFrame(rows).set_index("group")


def size_warnings(prep: Prepared, events: float | None = None, what: str = "outcome") -> tuple[str, ...]:
    t = prep.data[prep.treatment].to_numpy()
    out = []
    n1, n0 = int((t == 1).sum()), int((t == 0).sum())
    if min(n1, n0) < SMALL_N:
        out.append(
            f"small sample: {n1} programme and {n0} comparison people (under {SMALL_N} in a group); "
            "the Justice Data Lab would not report this comparison"
        )
    if events is not None and events < FEW_EVENTS:
        out.append(f"few events: {events:g} people with the {what} (under {FEW_EVENTS}); estimates are unreliable")
    if prep.variance == "cluster":
        g = len(pd.unique(prep.clusters[0]))
        if g < 30:
            out.append(
                f"only {g} clusters in {prep.cluster_names[0]!r}: cluster-robust errors are unreliable with so few"
            )
    return tuple(out)
