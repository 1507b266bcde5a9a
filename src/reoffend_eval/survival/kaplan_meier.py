"""Kaplan–Meier survival curves as R survival's ``survfit(Surv(time, event) ~ group)``.

>>> km = rev.survival.kaplan_meier(people, "days_to_first_reoffence", "reoffended", group="treated")
>>> km.at([90, 180, 365])      # as summary(fit, times = ..., extend = TRUE)
>>> km.logrank                  # chisq, df, p
>>> km.plot()
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ._inputs import codes, event_indicator, few_events_warning, html_table, numeric, require_frame
from .logrank import logrank_test

CONF_TYPES = ("log", "log-log", "plain")


def _clustered_var_log(inv, event, w, greenwood, c, cluster, n_times):
    """Infinitesimal-jackknife variance of log S summed within clusters (R: survfit(cluster = )).

    Cluster c's influence at time k is A(k) * W_c(k) + F_c(k): W_c the weight of its rows
    still at risk after k, F_c the fixed influence of its rows that ended by k. The sum of
    squares over clusters is kept as three running totals while rows move from W to F.
    """
    codes, cl = np.unique(cluster, return_inverse=True)
    w_later = np.bincount(cl, weights=w, minlength=codes.size)
    f_fixed = np.zeros(codes.size)
    s_ww, s_wf, s_ff = float(np.sum(w_later**2)), 0.0, 0.0
    order = np.argsort(inv, kind="stable")
    bounds = np.searchsorted(inv[order], np.arange(n_times + 1))
    fixed_value = w * (greenwood[inv] - event * c[inv])
    out = np.empty(n_times)
    for k in range(n_times):
        rows = order[bounds[k] : bounds[k + 1]]
        if rows.size:
            touched, pos = np.unique(cl[rows], return_inverse=True)
            old_w, old_f = w_later[touched], f_fixed[touched]
            new_w = old_w - np.bincount(pos, weights=w[rows], minlength=touched.size)
            new_f = old_f + np.bincount(pos, weights=fixed_value[rows], minlength=touched.size)
            s_ww += float(np.sum(new_w**2 - old_w**2))
            s_wf += float(np.sum(new_w * new_f - old_w * old_f))
            s_ff += float(np.sum(new_f**2 - old_f**2))
            w_later[touched], f_fixed[touched] = new_w, new_f
        a = greenwood[k]
        out[k] = a * a * s_ww + 2 * a * s_wf + s_ff
    return np.maximum(out, 0.0)


def _curve(time: np.ndarray, event: np.ndarray, w: np.ndarray, cluster: np.ndarray | None = None) -> pd.DataFrame:
    """One curve at every distinct time (events or censorings).

    Variance as R's survfit: Greenwood with (weighted) counts; with non-integer weights or a
    cluster R switches to the infinitesimal-jackknife (robust) variance, and so do we.
    """
    times, inv = np.unique(time, return_inverse=True)
    n_event = np.bincount(inv, weights=w * event, minlength=times.size)
    n_all = np.bincount(inv, weights=w, minlength=times.size)
    n_risk = np.cumsum(n_all[::-1])[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(1.0 - n_event / n_risk)
        # R adds nothing once everyone at risk has had the event
        term = np.where(n_risk > n_event, n_event / (n_risk * (n_risk - n_event)), 0.0)
    greenwood = np.cumsum(term)
    if cluster is not None:
        with np.errstate(divide="ignore"):
            c = np.where(n_risk > n_event, 1.0 / (n_risk - n_event), 0.0)
        var_log = _clustered_var_log(inv, event, w, greenwood, c, cluster, times.size)
    elif np.any(w != np.floor(w)):
        # influence of row i on log S(t): A(min(t, T_i)) - event_i [T_i <= t] / (n - d)(T_i)
        with np.errstate(divide="ignore"):
            c = np.where(n_risk > n_event, 1.0 / (n_risk - n_event), 0.0)
        w2 = w * w
        own = np.bincount(inv, weights=w2 * (greenwood[inv] - event * c[inv]) ** 2, minlength=times.size)
        later = w2.sum() - np.cumsum(np.bincount(inv, weights=w2, minlength=times.size))
        var_log = np.cumsum(own) + greenwood**2 * later
    else:
        var_log = greenwood
    return pd.DataFrame(
        {
            "time": times,
            "n_risk": n_risk,
            "n_event": n_event,
            "n_censor": n_all - n_event,
            "survival": surv,
            "std_err_log": np.sqrt(var_log),
        }
    )


def confidence_limits(surv, se_log, conf_type: str, conf_level: float):
    """R's survfit confidence limits from S and the SE of log S."""
    z = stats.norm.ppf(1 - (1 - conf_level) / 2)
    surv = np.asarray(surv, dtype=float)
    se2 = z * np.asarray(se_log, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "log":
            xx = np.where(surv == 0, np.nan, surv)
            lower = np.exp(np.log(xx) - se2)
            upper = np.minimum(np.exp(np.log(xx) + se2), 1.0)
        elif conf_type == "log-log":
            xx = np.where((surv == 0) | (surv == 1), np.nan, surv)
            t3 = np.log(-np.log(xx))
            lower = np.exp(-np.exp(t3 - se2 / np.log(xx)))
            upper = np.exp(-np.exp(t3 + se2 / np.log(xx)))
        elif conf_type == "plain":
            half = se2 * surv
            lower = np.maximum(surv - half, 0.0)
            upper = np.minimum(surv + half, 1.0)
        else:
            raise ValueError(f"conf_type must be one of {CONF_TYPES}, got {conf_type!r}")
    return lower, upper


def _quantile_time(times, values, p=0.5):
    """First time the curve drops to p or below; the midpoint rule when it sits exactly at p (as R)."""
    tol = np.sqrt(np.finfo(float).eps)
    values = np.asarray(values, dtype=float)
    below = np.flatnonzero(values <= p + tol)
    if below.size == 0 or np.isnan(values[below[0]]):
        return np.nan
    i = below[0]
    if abs(values[i] - p) < tol:
        later = np.flatnonzero(values < p - tol)
        if later.size == 0:
            return np.nan
        return (times[i] + times[later[0]]) / 2
    return float(times[i])


@dataclass(frozen=True)
class KaplanMeierResult:
    """Kaplan–Meier estimates.

    ``table``: one row per group and distinct time: time, n_risk, n_event, n_censor
    (weighted counts when weights are given), survival, std_err (Greenwood SE of S, as
    ``summary.survfit`` prints), ci_lower, ci_upper, and group. ``median``: per group, the
    median time and its CI. ``logrank``: chisq, df, p (None without groups).
    """

    table: pd.DataFrame
    median: pd.DataFrame
    logrank: pd.Series | None
    conf_type: str
    conf_level: float
    group: str | None
    weighted: bool
    warnings: tuple[str, ...] = ()

    def at(self, times) -> pd.DataFrame:
        """Survival at chosen times, as R's ``summary(fit, times = times, extend = TRUE)``.

        n_risk is the number at risk at each time; n_event and n_censor count the events
        and censorings since the previous listed time.
        """
        times = np.sort(np.atleast_1d(np.asarray(times, dtype=float)))
        rows = []
        for g, tab in self._groups():
            t = tab["time"].to_numpy()
            idx = np.searchsorted(t, times, "right") - 1  # last time <= requested
            nxt = np.searchsorted(t, times, "left")  # first time >= requested
            cum_e = np.concatenate([[0.0], np.cumsum(tab["n_event"].to_numpy())])
            cum_c = np.concatenate([[0.0], np.cumsum(tab["n_censor"].to_numpy())])
            for j, tt in enumerate(times):
                before = idx[j] < 0
                r = tab.iloc[idx[j]] if not before else None
                n_risk = tab["n_risk"].iloc[nxt[j]] if nxt[j] < len(tab) else 0.0
                prev = idx[j - 1] + 1 if j else 0
                rows.append(
                    {
                        "time": tt,
                        "n_risk": n_risk,
                        "n_event": cum_e[idx[j] + 1] - cum_e[prev],
                        "n_censor": cum_c[idx[j] + 1] - cum_c[prev],
                        "survival": 1.0 if r is None else r["survival"],
                        "std_err": 0.0 if r is None else r["std_err"],
                        "ci_lower": 1.0 if r is None else r["ci_lower"],
                        "ci_upper": 1.0 if r is None else r["ci_upper"],
                        **({"group": g} if self.group is not None else {}),
                    }
                )
        out = pd.DataFrame(rows)
        if self.group is not None:
            out = out[["group"] + [c for c in out.columns if c != "group"]]
        return out

    def _groups(self):
        if self.group is None:
            yield None, self.table
        else:
            for g, tab in self.table.groupby("group", sort=False):
                yield g, tab.reset_index(drop=True)

    def _repr_html_(self) -> str:
        parts = [
            html_table(
                f"Kaplan–Meier ({self.conf_type} CI)",
                self.median,
                self.warnings,
                "median time to event (NaN: survival never fell to 0.5)",
            )
        ]
        if self.logrank is not None:
            parts.append(self.logrank.to_frame("log-rank").T.to_html(float_format=lambda v: f"{v:.4g}"))
        return "\n".join(parts)

    def plot(self, ax=None, at_risk: bool = True):
        """Step curves with shaded confidence bands and a numbers-at-risk table beneath."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.5))
        curves = list(self._groups())
        for g, tab in curves:
            t = np.concatenate([[0.0], tab["time"].to_numpy()])
            s = np.concatenate([[1.0], tab["survival"].to_numpy()])
            lo = np.concatenate([[1.0], tab["ci_lower"].to_numpy()])
            hi = np.concatenate([[1.0], tab["ci_upper"].to_numpy()])
            label = "all" if g is None else f"{self.group} = {g}"
            (line,) = ax.step(t, s, where="post", label=label)
            ax.fill_between(t, lo, hi, step="post", alpha=0.2, color=line.get_color())
        ax.set_ylim(0, 1.02)
        ax.set_xlim(left=0)
        ax.set_xlabel("time")
        ax.set_ylabel("survival (no event)")
        ax.legend(loc="lower left")
        if at_risk:
            import matplotlib.transforms as mtransforms

            lo_x, hi_x = ax.get_xlim()
            ticks = [x for x in ax.get_xticks() if lo_x <= x <= hi_x]
            at = self.at(ticks)
            blend = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
            base = -0.28
            ax.text(0, base + 0.08, "number at risk", transform=ax.transAxes, fontsize=8, ha="left")
            for row, (g, _) in enumerate(curves):
                counts = at if g is None else at[at["group"] == g]
                y = base - 0.07 * row
                ax.text(-0.06, y, "all" if g is None else str(g), transform=ax.transAxes, fontsize=8, ha="right")
                for x, n in zip(ticks, counts["n_risk"]):
                    ax.text(x, y, f"{n:.0f}", transform=blend, fontsize=8, ha="center")
            ax.figure.subplots_adjust(bottom=0.3 + 0.05 * len(curves))
        return ax


def kaplan_meier(
    data: pd.DataFrame,
    duration: str,
    event: str,
    group: str | None = None,
    weights=None,
    conf_type: str = "log",
    conf_level: float = 0.95,
    cluster: str | None = None,
) -> KaplanMeierResult:
    """Kaplan–Meier curves (by group) with Greenwood CIs and a log-rank test.

    Matches R ``survfit(Surv(duration, event) ~ group, weights = w, conf.type = conf_type)``,
    including its switch to the robust (infinitesimal-jackknife) variance when weights are
    not whole numbers;
    the log-rank test matches ``survdiff`` without weights. With weights (or ``cluster``, e.g.
    the matched set), ``logrank`` is the robust score test of the weighted Cox model on the
    group, grouped by ``cluster`` when given (see ``logrank_test``). With ``cluster`` (e.g. the
    matched set) the curves' standard errors are R's robust ones grouped by cluster, as
    ``survfit(..., cluster = )``.

    ``data``: one row per person; ``duration`` (days) and ``event`` (1/0) name its columns, ``group``
    the column that splits the curves. ``weights``: a column name (or array) of case weights.
    ``conf_type``: ``"log"`` (R's default), ``"log-log"`` or ``"plain"``; ``conf_level``: 0.95 by default.

    >>> km = kaplan_meier(m.data, "time", "event", group="treated", weights="weights", cluster="subclass")
    >>> km.at([90, 180, 365]); km.logrank; km.plot()
    """
    require_frame(data)
    if conf_type not in CONF_TYPES:
        raise ValueError(f"conf_type must be one of {CONF_TYPES}, got {conf_type!r}")
    time = numeric(data, duration, "duration", nonnegative=True)
    ev = event_indicator(data, event).astype(float)
    w = np.ones(len(data)) if weights is None else numeric(data, weights, "weights", positive=True)
    if group is None:
        gcodes, labels = np.zeros(len(data), dtype=np.int64), pd.Index([None])
    else:
        gcodes, labels = codes(data, group, "group")
    cl = None if cluster is None else codes(data, cluster, "cluster")[0]
    tables, medians = [], []
    for i, lab in enumerate(labels):
        m = gcodes == i
        tab = _curve(time[m], ev[m], w[m], None if cl is None else cl[m])
        tab["std_err"] = tab["survival"] * tab["std_err_log"]
        tab["ci_lower"], tab["ci_upper"] = confidence_limits(tab["survival"], tab["std_err_log"], conf_type, conf_level)
        t = tab["time"].to_numpy()
        medians.append(
            {
                "group": lab,
                "n": float(w[m].sum()),
                "events": float((w[m] * ev[m]).sum()),
                "median": _quantile_time(t, tab["survival"]),
                "ci_lower": _quantile_time(t, tab["ci_lower"]),
                "ci_upper": _quantile_time(t, tab["ci_upper"]),
            }
        )
        if group is not None:
            tab.insert(0, "group", lab)
        tables.append(tab)
    table = pd.concat(tables, ignore_index=True)
    table = table[
        [
            c
            for c in [
                "group",
                "time",
                "n_risk",
                "n_event",
                "n_censor",
                "survival",
                "std_err",
                "ci_lower",
                "ci_upper",
                "std_err_log",
            ]
            if c in table.columns
        ]
    ]
    median = pd.DataFrame(medians)
    if group is None:
        median = median.drop(columns="group")
    else:
        median = median.set_index("group")
    lr = None
    if group is not None and len(labels) > 1:
        lr = logrank_test(time, ev.astype(bool), gcodes, None if weights is None else w, cl)
        lr.attrs["table"].index = pd.Index(labels, name="group")
    warnings = few_events_warning(float(ev.sum()))
    return KaplanMeierResult(
        table,
        median,
        lr,
        conf_type,
        conf_level,
        group if isinstance(group, str) or group is None else "group",
        weights is not None,
        warnings,
    )
