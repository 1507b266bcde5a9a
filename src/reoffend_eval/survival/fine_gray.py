"""Fine–Gray subdistribution-hazard regression, via R survival's ``finegray`` expansion.

People who have a competing event (custody, death) at T stay in the risk set after T
with a weight G(t-)/G(T-), G being the Kaplan–Meier curve of the censoring times
(events before censorings at tied times); then a weighted Cox model with Breslow
ties is fitted, whose coefficients are those of cmprsk's ``crr``.

>>> fg = rev.survival.fine_gray(people, "treated + age", "days", "event_type", cause=1)
>>> fg.summary.loc["treated", ["hr", "ci_lower", "ci_upper"]]   # subdistribution HR
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

from . import _cox_engine as engine
from ._inputs import column, numeric, require_frame
from .cox import Z975, CoxResult, cox


def _censoring_km(time: np.ndarray, censored: np.ndarray, tied_events_at_risk: bool):
    """Kaplan–Meier of the censoring times: the distinct censoring times c and G just after each.

    ``tied_events_at_risk``: whether people with an event at c count in the censoring risk
    set at c. cmprsk's ``crr`` (plain ``survfit`` of the censoring indicator) counts them;
    survival's ``finegray`` moves events just before censorings, so it does not.
    """
    ctimes = np.unique(time[censored])
    sorted_time = np.sort(time)
    n_cens = np.bincount(np.searchsorted(ctimes, time[censored]), minlength=ctimes.size)
    if tied_events_at_risk:
        n_risk = time.size - np.searchsorted(sorted_time, ctimes, "left")
    else:
        n_risk = time.size - np.searchsorted(sorted_time, ctimes, "right") + n_cens
    g_after = np.cumprod(1.0 - n_cens / n_risk)
    return ctimes, g_after


def _g_minus(t, ctimes, g_after):
    """G(t-): product over censoring times strictly before t."""
    idx = np.searchsorted(ctimes, t, "left")
    return np.concatenate([[1.0], g_after])[idx]


def finegray_expand(
    data: pd.DataFrame, duration: str, event_type: str, cause=1, weights=None, censoring: str = "crr"
) -> pd.DataFrame:
    """Counting-process data for the Fine–Gray model: the columns of ``data`` plus fg_start,
    fg_stop, fg_status (1 = the cause of interest), fg_weight and fg_id (the source row).

    ``censoring="finegray"`` reproduces R's ``finegray(Surv(time, factor(status)) ~ ., etype = cause)``
    exactly; ``"crr"`` (default) computes the censoring curve as cmprsk's ``crr`` does
    (the two differ only when events and censorings share a time).

    ``duration``: the time column; ``event_type``: 0 censored, 1, 2, ... causes; ``cause``: the cause
    of interest; ``weights``: a column of case weights carried into ``fg_weight``.

    >>> rows = finegray_expand(people, "days", "cause", cause=1)
    >>> rows[["fg_start", "fg_stop", "fg_status", "fg_weight"]].head()
    """
    if censoring not in ("crr", "finegray"):
        raise ValueError(f"censoring must be 'crr' or 'finegray', got {censoring!r}")
    require_frame(data)
    time = numeric(data, duration, "duration", nonnegative=True)
    status = column(data, event_type, "event_type").to_numpy()
    if not np.isin(cause, status):
        raise ValueError(f"event_type column {event_type!r} has no rows with the cause {cause!r}")
    censored = status == 0
    competing = ~censored & (status != cause)
    w = np.ones(len(data)) if weights is None else numeric(data, weights, "weights", positive=True)
    ctimes, g_after = _censoring_km(time, censored, tied_events_at_risk=censoring == "crr")
    max_time = float(time.max())
    zero = 0.0 if time.min() > 0 else 2 * time.min() - 1

    base = data.copy()
    base["fg_id"] = np.arange(len(data))
    base["fg_start"] = zero
    base["fg_stop"] = time
    base["fg_status"] = (status == cause).astype(int)
    base["fg_weight"] = w
    pieces = [base]
    idx = np.flatnonzero(competing)
    if idx.size:
        t_i = time[idx]
        g_i = _g_minus(t_i, ctimes, g_after)
        # after T_i the weight changes at each later censoring time; intervals end there and at max_time
        first_c = np.searchsorted(ctimes, t_i, "right")  # first censoring time > T_i
        counts = ctimes.size - first_c + 1  # intervals: (T_i, c_first], ..., (c_last, max]
        ends_all = np.concatenate([ctimes, [max_time]])
        rep = np.repeat(np.arange(idx.size), counts)
        offset = np.arange(rep.size) - np.repeat(np.cumsum(counts) - counts, counts)
        pos = first_c[rep] + offset  # index into ends_all
        stop = ends_all[pos]
        start = np.where(offset == 0, t_i[rep], ends_all[np.maximum(pos - 1, 0)])
        # weight on (start, stop]: G(t-) for t in it = G just after the censoring time at 'start'
        g_interval = np.where(offset == 0, _g_minus(stop, ctimes, g_after), np.concatenate([[1.0], g_after])[pos])
        keep = stop > start
        rows = idx[rep][keep]
        extra = data.iloc[rows].copy()
        extra["fg_id"] = rows
        extra["fg_start"] = start[keep]
        extra["fg_stop"] = stop[keep]
        extra["fg_status"] = 0
        extra["fg_weight"] = w[rows] * g_interval[keep] / g_i[rep][keep]
        pieces.append(extra)
    out = pd.concat(pieces, ignore_index=True)
    return out[out["fg_weight"] > 0].reset_index(drop=True)


def fine_gray(
    data: pd.DataFrame,
    formula: str,
    duration: str,
    event_type: str,
    cause=1,
    weights=None,
    ties: str = "breslow",
    censoring: str = "crr",
) -> CoxResult:
    """Fine–Gray model for ``cause`` (``event_type``: 0 censored, 1, 2, ... causes).

    Coefficients match cmprsk ``crr(ftime, fstatus, cov1, failcode = cause)`` (and R's
    ``coxph(Surv(fgstart, fgstop, fgstatus) ~ x, weights = fgwt, data = finegray(...), ties = "breslow")``).
    ``ties="breslow"`` is the default because crr's estimating equations treat ties that way;
    with Efron the coefficients move by ~2e-4 relative on tied data. ``se`` is the
    model-based SE of the weighted fit; ``robust_se`` the sandwich grouped by person (used
    for the CI and p), which is close to, but not identical with, crr's variance.
    ``censoring``: "crr" (default) or "finegray" (R survival's finegray), see :func:`finegray_expand`.

    Without case weights, with ``censoring="crr"`` and Breslow ties, ``robust_se`` (and ``vcov``) is
    crr's own variance: the sandwich plus Fine & Gray's (1999) term for the estimated censoring
    curve, matching ``sqrt(diag(crr(...)$var))``. Otherwise it is the grouped sandwich.

    ``data``: one row per person; ``formula``: the right-hand side (``"treated + age_at_index"``);
    ``duration``: the time column (days); ``weights``: a column of case weights.

    >>> fit = fine_gray(people, "treated", "days", "cause", cause=1)
    >>> fit.summary[["hr", "ci_lower", "ci_upper", "p"]]   # subdistribution hazard ratio
    """
    expanded = finegray_expand(data, duration, event_type, cause, weights, censoring)
    fit = cox(
        expanded, formula, "fg_stop", "fg_status", weights="fg_weight", cluster="fg_id", entry="fg_start", ties=ties
    )
    fit = replace(fit, n=len(data))  # people, as crr's n (the expanded data have more rows)
    if weights is not None or censoring != "crr" or ties != "breslow":
        return fit
    time = numeric(data, duration, "duration", nonnegative=True)
    status = column(data, event_type, "event_type").to_numpy()
    vcov = _crr_vcov(fit, expanded["fg_id"].to_numpy(), time, status, cause)
    se = np.sqrt(np.diag(vcov))
    s = fit.summary.copy()
    s["robust_se"] = se
    s["z"] = s["coef"] / se
    s["p"] = 2 * stats.norm.sf(np.abs(s["z"]))
    s["ci_lower"] = np.exp(s["coef"] - Z975 * se)
    s["ci_upper"] = np.exp(s["coef"] + Z975 * se)
    names = list(s.index)
    return replace(fit, summary=s, vcov=pd.DataFrame(vcov, index=names, columns=names))


def _crr_vcov(fit: CoxResult, source_row: np.ndarray, time: np.ndarray, status: np.ndarray, cause) -> np.ndarray:
    """crr's variance: I^-1 [sum_i (eta_i + psi_i)(eta_i + psi_i)'] I^-1.

    eta_i is person i's score residual (summed over their expanded rows); psi_i carries the
    uncertainty of the censoring curve G: psi_i = sum_u q(u)/R(u) dM^c_i(u), with R(u) the
    number still under observation at u, M^c the censoring martingale and
    q(u) = sum over people with a competing event before u of exp(lp_i)/G(T_i-) times
    sum over events s >= u of (x_i - xbar(s)) G(s-) dLambda(s).
    """
    d, f = fit._data, fit._fit
    beta = f.beta
    n = time.size
    resid = engine.score_residuals(d, beta, efron=False, weighted=True)
    eta = np.column_stack([np.bincount(source_row, resid[:, j], minlength=n) for j in range(resid.shape[1])])

    censored = status == 0
    competing = ~censored & (status != cause)
    ctimes, g_after = _censoring_km(time, censored, tied_events_at_risk=True)
    if ctimes.size == 0:
        return f.vcov @ (eta.T @ eta) @ f.vcov
    s, _, _ = engine.bin_stats(d, beta, efron=False, second=False)
    d_lambda = s.mean_wt * s.a  # hazard increments on the centred scale
    xbar = s.r1 / s.r0[:, None]  # centred
    g_fail = _g_minus(d.bin_time, ctimes, g_after)
    step = g_fail * d_lambda
    # suffix sums over event times s >= u
    a_suffix = np.concatenate([np.cumsum(step[::-1])[::-1], [0.0]])
    b_suffix = np.vstack([np.cumsum((step[:, None] * xbar)[::-1], axis=0)[::-1], np.zeros((1, xbar.shape[1]))])
    first_fail = np.searchsorted(d.bin_time, ctimes, "left")
    a_u, b_u = a_suffix[first_fail], b_suffix[first_fail]
    # prefix sums over people with a competing event before u
    comp_idx = np.flatnonzero(competing)
    order = np.argsort(time[comp_idx], kind="stable")
    comp_idx = comp_idx[order]
    first_rows = np.zeros(n, dtype=np.int64)
    first_rows[source_row[::-1]] = np.arange(source_row.size)[::-1]  # a row of each person in the expanded data
    x_person = d.x[first_rows]  # centred covariates per person
    lp = x_person @ beta
    wgt = np.exp(lp[comp_idx]) / _g_minus(time[comp_idx], ctimes, g_after)
    c0 = np.concatenate([[0.0], np.cumsum(wgt)])
    c1 = np.vstack([np.zeros((1, beta.size)), np.cumsum(x_person[comp_idx] * wgt[:, None], axis=0)])
    before = np.searchsorted(time[comp_idx], ctimes, "left")
    q = c1[before] * a_u[:, None] - c0[before][:, None] * b_u
    at_risk = n - np.searchsorted(np.sort(time), ctimes, "left")
    n_cens = np.bincount(np.searchsorted(ctimes, time[censored]), minlength=ctimes.size)
    psi = np.zeros_like(eta)
    cens_idx = np.flatnonzero(censored)
    psi[cens_idx] += (q / at_risk[:, None])[np.searchsorted(ctimes, time[cens_idx])]
    comp_term = np.vstack([np.zeros((1, beta.size)), np.cumsum(q * (n_cens / at_risk**2)[:, None], axis=0)])
    psi -= comp_term[np.searchsorted(ctimes, time, "right")]
    total = eta + psi
    return f.vcov @ (total.T @ total) @ f.vcov
