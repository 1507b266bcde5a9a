"""Log-rank test: R survival's ``survdiff`` (rho = 0), and a weighted version.

Unweighted: observed and expected events per group and the hypergeometric variance,
chisq on G - 1 df, exactly as ``survdiff``. ``survdiff`` takes no weights; with case
weights (matching or IPT weights) we use the *robust score test* of the weighted Cox
model on group indicators at beta = 0 with Breslow ties, which is R's
``coxph(Surv(t, e) ~ factor(g), weights = w, ties = "breslow", robust = TRUE)$rscore``
(score = weighted observed minus expected; sandwich variance, so it stays valid for
estimated weights and clustered rows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from . import _cox_engine as engine


def logrank_test(time, event, group_codes, weights=None, cluster_codes=None) -> pd.Series:
    """chisq, df, p; ``.attrs``: "method", "table" (n, observed, expected by group code), "var".

    The low-level test behind ``kaplan_meier(...).logrank``: arrays, not column names. ``time``
    and ``event`` (1/0) per row; ``group_codes``: integer group 0, 1, ... per row; ``weights``: case
    weights (the robust score test when given); ``cluster_codes``: integer cluster per row for
    the robust variance.

    >>> t = logrank_test(people["time"], people["event"], people["treated"])
    >>> t["chisq"], t["p"]
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    g = np.asarray(group_codes, dtype=np.int64)
    n_groups = int(g.max()) + 1
    w = np.ones(time.size) if weights is None else np.asarray(weights, dtype=float)

    times, inv = np.unique(time, return_inverse=True)
    k = times.size
    n_risk_g = np.zeros((k, n_groups))
    d_g = np.zeros((k, n_groups))
    for j in range(n_groups):
        m = g == j
        n_risk_g[:, j] = np.cumsum(np.bincount(inv[m], weights=w[m], minlength=k)[::-1])[::-1]
        d_g[:, j] = np.bincount(inv[m], weights=(w * event)[m], minlength=k)
    n_risk = n_risk_g.sum(axis=1)
    d = d_g.sum(axis=1)
    use = d > 0
    share = n_risk_g[use] / n_risk[use, None]
    observed = d_g.sum(axis=0)
    expected = (d[use, None] * share).sum(axis=0)
    table = pd.DataFrame({"n": [w[g == j].sum() for j in range(n_groups)], "observed": observed, "expected": expected})

    if weights is None and cluster_codes is None:
        nr, dd = n_risk[use], d[use]
        factor = np.where(nr > 1, dd * (nr - dd) / np.maximum(nr - 1, 1), 0.0)
        # hypergeometric covariance: d (n - d) / (n - 1) * p_i (delta_ij - p_j)
        var = np.einsum("k,ki->i", factor, share) * np.eye(n_groups) - np.einsum("k,ki,kj->ij", factor, share, share)
        diff = (observed - expected)[:-1] if n_groups > 1 else observed - expected
        v = var[:-1, :-1]
        chisq = float(diff @ np.linalg.solve(v, diff))
        method = "log-rank (survdiff, rho = 0)"
    else:
        # group indicators (treatment coding), Cox score and sandwich at beta = 0, Breslow ties
        x = np.zeros((time.size, n_groups - 1))
        for j in range(1, n_groups):
            x[:, j - 1] = g == j
        d_ = engine.prepare(x, time, event, weights=w)
        beta0 = np.zeros(n_groups - 1)
        _, bs, _, _ = engine.loglik_score_info(d_, beta0, efron=False)
        u = bs.sum(axis=0)
        resid = engine.score_residuals(d_, beta0, efron=False) * w[:, None]
        if cluster_codes is not None:
            resid = np.column_stack([np.bincount(cluster_codes, weights=resid[:, j]) for j in range(resid.shape[1])])
        chisq = float(u @ np.linalg.solve(resid.T @ resid, u))
        var = None
        method = (
            "weighted log-rank: robust score test of the weighted Cox model on group "
            "(R: coxph(..., weights, ties = 'breslow', robust = TRUE)$rscore)"
        )
    df = n_groups - 1
    out = pd.Series({"chisq": chisq, "df": float(df), "p": float(stats.chi2.sf(chisq, df))}, name="log-rank")
    out.attrs["method"] = method
    out.attrs["table"] = table
    out.attrs["var"] = var
    return out
