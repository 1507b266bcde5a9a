"""Restricted mean survival time (RMST) by group, as survRM2's ``rmst2`` (unadjusted).

RMST(tau) is the area under the Kaplan–Meier curve up to tau: the mean number of days,
out of the first tau, lived without the event. RMTL = tau - RMST (days lost).

>>> r = rev.survival.rmst(people, "days_to_first_reoffence", "reoffended", "treated", tau=365)
>>> r.difference        # treated minus comparison, in days: estimate, ci_lower, ci_upper, p
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ._inputs import codes, event_indicator, few_events_warning, html_table, numeric, require_frame


def _rmst_one(time, event, w, tau):
    """Area under the (weighted) KM curve to tau and survRM2's variance (unweighted meaning)."""
    times, inv = np.unique(time, return_inverse=True)
    n_event = np.bincount(inv, weights=w * event, minlength=times.size)
    n_risk = np.cumsum(np.bincount(inv, weights=w, minlength=times.size)[::-1])[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(1.0 - n_event / n_risk)
    keep = times <= tau
    wk_time = np.concatenate([times[keep], [tau]])
    areas = np.diff(np.concatenate([[0.0], wk_time])) * np.concatenate([[1.0], surv[keep]])
    rmst = float(areas.sum())
    nr, ne = n_risk[keep], n_event[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        wk_var = np.where(nr - ne == 0, 0.0, ne / (nr * (nr - ne)))
    wk_var = np.concatenate([wk_var, [0.0]])
    var = float(np.sum(np.cumsum(areas[1:][::-1]) ** 2 * wk_var[::-1][1:]))
    return rmst, var


@dataclass(frozen=True)
class RmstResult:
    """RMST per group and between-group contrasts.

    ``table`` (one row per group): n, events, rmst, se, ci_lower, ci_upper, rmtl,
    rmtl_ci_lower, rmtl_ci_upper (days). ``difference``: RMST of the second group minus
    the first (survRM2's arm 1 - arm 0): estimate, ci_lower, ci_upper, p. ``ratio`` and
    ``rmtl_ratio``: ratios with CIs and p on the log scale. ``method`` says whether the
    SEs are survRM2's analytic ones or a cluster bootstrap.
    """

    table: pd.DataFrame
    difference: pd.Series
    ratio: pd.Series
    rmtl_ratio: pd.Series
    tau: float
    method: str
    n_boot: int | None = None
    warnings: tuple[str, ...] = ()

    def _repr_html_(self) -> str:
        contrasts = pd.DataFrame(
            {"RMST difference": self.difference, "RMST ratio": self.ratio, "RMTL ratio": self.rmtl_ratio}
        ).T
        return html_table(f"Restricted mean survival time to {self.tau:g}", self.table, (), self.method) + html_table(
            "Contrasts", contrasts, self.warnings
        )

    def plot(self, ax=None):
        """RMST per group with 95% CIs."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5, 3))
        t = self.table
        y = np.arange(len(t))
        ax.errorbar(t["rmst"], y, xerr=[t["rmst"] - t["ci_lower"], t["ci_upper"] - t["rmst"]], fmt="o", capsize=3)
        ax.set_yticks(y)
        ax.set_yticklabels([str(g) for g in t.index])
        ax.set_xlabel(f"restricted mean event-free time to {self.tau:g} (95% CI)")
        return ax


def _contrasts(r1, r0, se1, se0, tau, z):
    diff = r1 - r0
    se_d = np.hypot(se1, se0)
    out = {
        "difference": pd.Series(
            {
                "estimate": diff,
                "ci_lower": diff - z * se_d,
                "ci_upper": diff + z * se_d,
                "p": 2 * stats.norm.sf(abs(diff / se_d)),
                "se": se_d,
            }
        )
    }
    for name, a, b in (("ratio", r1, r0), ("rmtl_ratio", tau - r1, tau - r0)):
        log_r = np.log(a / b)
        se_l = np.sqrt(se1**2 / a**2 + se0**2 / b**2)
        out[name] = pd.Series(
            {
                "estimate": np.exp(log_r),
                "ci_lower": np.exp(log_r - z * se_l),
                "ci_upper": np.exp(log_r + z * se_l),
                "p": 2 * stats.norm.sf(abs(log_r / se_l)),
                "se_log": se_l,
            }
        )
    return out


def rmst(
    data: pd.DataFrame,
    duration: str,
    event: str,
    group: str,
    tau: float,
    weights=None,
    cluster=None,
    n_boot: int = 1000,
    random_state=None,
    conf_level: float = 0.95,
) -> RmstResult:
    """RMST to ``tau`` by a two-level ``group``, as ``survRM2::rmst2(time, status, arm, tau)``.

    Without weights or cluster: survRM2's analytic (Greenwood-type) SEs, normal CIs, and
    for the ratios the delta method on the log scale. With ``weights`` (matching/IPT weights)
    or ``cluster`` (matched set): weighted Kaplan–Meier areas and SEs from a bootstrap that
    resamples clusters (rows when no cluster), ``n_boot`` times, seeded by ``random_state``;
    CIs and p-values are normal with the bootstrap SE (log scale for ratios).

    ``data``: one row per person; ``duration`` (days) and ``event`` (1/0) name its columns, ``group``
    the two-level group column and ``tau`` the horizon (days). ``conf_level``: 0.95 by default.

    >>> r = rmst(m.data, "time", "event", "treated", tau=365, weights="weights", cluster="subclass")
    >>> r.difference        # days gained without reoffending in the first year: estimate, CI, p
    """
    require_frame(data)
    time = numeric(data, duration, "duration", nonnegative=True)
    ev = event_indicator(data, event).astype(float)
    g, labels = codes(data, group, "group")
    if len(labels) != 2:
        raise ValueError(f"group column {group!r} must have exactly 2 values, found {list(labels)}")
    tau = float(tau)
    w = np.ones(len(data)) if weights is None else numeric(data, weights, "weights", positive=True)
    for j, lab in enumerate(labels):
        tmax = time[g == j].max()
        if tau > tmax:
            raise ValueError(
                f"tau = {tau:g} is beyond the longest follow-up in group {lab!r} ({tmax:g}); "
                "as survRM2, tau must not exceed the smallest of the groups' largest times"
            )
    z = stats.norm.ppf(1 - (1 - conf_level) / 2)
    est = [_rmst_one(time[g == j], ev[g == j], w[g == j], tau) for j in range(2)]
    bootstrap = weights is not None or cluster is not None
    if not bootstrap:
        se = [np.sqrt(v) for _, v in est]
        method = "analytic SEs as survRM2::rmst2 (normal CIs; ratios on the log scale)"
        n_boot_used = None
    else:
        cl = np.arange(len(data)) if cluster is None else codes(data, cluster, "cluster")[0]
        n_cl = int(cl.max()) + 1
        rng = np.random.default_rng(random_state)
        reps = np.empty((n_boot, 2))
        for b in range(n_boot):
            mult = np.bincount(rng.integers(0, n_cl, n_cl), minlength=n_cl)[cl]
            wb = w * mult
            for j in range(2):
                m = (g == j) & (mult > 0)
                reps[b, j] = _rmst_one(time[m], ev[m], wb[m], tau)[0] if m.any() else np.nan
        reps = reps[~np.isnan(reps).any(axis=1)]
        se = list(reps.std(axis=0, ddof=1))
        method = (
            f"cluster bootstrap ({len(reps)} resamples of "
            f"{'clusters ' + repr(cluster) if cluster is not None else 'rows'}; weighted Kaplan–Meier; "
            "normal CIs with bootstrap SEs, ratios on the log scale)"
        )
        n_boot_used = len(reps)
        diff_se = float(np.std(reps[:, 1] - reps[:, 0], ddof=1))
        ratio_se = float(np.std(np.log(reps[:, 1] / reps[:, 0]), ddof=1))
        rmtl_se = float(np.std(np.log((tau - reps[:, 1]) / (tau - reps[:, 0])), ddof=1))
    rows = []
    for j, lab in enumerate(labels):
        r, s_ = est[j][0], se[j]
        m = g == j
        rows.append(
            {
                "group": lab,
                "n": float(w[m].sum()),
                "events": float((w[m] * ev[m]).sum()),
                "rmst": r,
                "se": s_,
                "ci_lower": r - z * s_,
                "ci_upper": r + z * s_,
                "rmtl": tau - r,
                "rmtl_ci_lower": tau - r - z * s_,
                "rmtl_ci_upper": tau - r + z * s_,
            }
        )
    table = pd.DataFrame(rows).set_index("group")
    c = _contrasts(est[1][0], est[0][0], se[1], se[0], tau, z)
    if bootstrap:
        # the bootstrap sees the joint variation (clusters hold both groups), so use it directly
        for name, s_ in (("difference", diff_se), ("ratio", ratio_se), ("rmtl_ratio", rmtl_se)):
            s = c[name]
            if name == "difference":
                est_ = s["estimate"]
                c[name] = pd.Series(
                    {
                        "estimate": est_,
                        "ci_lower": est_ - z * s_,
                        "ci_upper": est_ + z * s_,
                        "p": 2 * stats.norm.sf(abs(est_ / s_)),
                        "se": s_,
                    }
                )
            else:
                lr = np.log(s["estimate"])
                c[name] = pd.Series(
                    {
                        "estimate": s["estimate"],
                        "ci_lower": np.exp(lr - z * s_),
                        "ci_upper": np.exp(lr + z * s_),
                        "p": 2 * stats.norm.sf(abs(lr / s_)),
                        "se_log": s_,
                    }
                )
    warnings = few_events_warning(float(ev.sum()))
    return RmstResult(table, c["difference"], c["ratio"], c["rmtl_ratio"], tau, method, n_boot_used, warnings)
