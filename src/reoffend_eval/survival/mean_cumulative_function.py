"""Mean cumulative function: the mean number of incidents per person by each time, for recurrent events.

For repeat victimisation the question is whether the *stream* of incidents slows: the MCF counts
every incident, not only the first. The estimate is the Nelson–Aalen cumulative hazard of the
counting-process rows, sum over event times of (events / people at risk), with a robust variance
that treats each person's rows together (infinitesimal jackknife by id) — exactly R survival's
``survfit(Surv(start, stop, event) ~ group, id = id)`` ``cumhaz`` and ``std.chaz``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class MeanCumulativeFunctionResult:
    """MCF by group.

    ``table``: one row per distinct stop time (events and censorings) per group: ``time``,
    ``group``, ``n_risk``, ``n_event``, ``mcf`` (mean incidents per person by ``time``), ``se``
    (robust, by person), ``ci_lower``/``ci_upper`` (95%; ``conf_type`` "log": mcf * exp(± z se / mcf),
    which keeps the lower bound positive, or "plain": mcf ± z se).
    """

    table: pd.DataFrame
    start: str
    stop: str
    event: str
    id: str
    group: str | None
    follow_up_end: dict
    conf_type: str = "log"
    conf_level: float = 0.95
    warnings: tuple[str, ...] = ()

    def at(self, times) -> pd.DataFrame:
        """MCF, SE and CI at ``times`` per group (step function; NaN after a group's last follow-up)."""
        times = np.sort(np.unique(np.atleast_1d(np.asarray(times, float))))
        out = []
        for g, curve in self.table.groupby("group", sort=False):
            t = curve["time"].to_numpy()
            for time in times:
                i = int(np.searchsorted(t, time, side="right")) - 1
                if time > self.follow_up_end[g]:
                    vals = dict(mcf=np.nan, se=np.nan, ci_lower=np.nan, ci_upper=np.nan)
                elif i < 0:
                    vals = dict(mcf=0.0, se=0.0, ci_lower=0.0, ci_upper=0.0)
                else:
                    vals = curve.iloc[i][["mcf", "se", "ci_lower", "ci_upper"]].to_dict()
                out.append({"time": time, "group": g, **vals})
        return pd.DataFrame(out)

    def difference(self, times, reference=None) -> pd.DataFrame:
        """Each group's MCF minus the reference group's (default: the first, e.g. comparison 0) at ``times``.

        Columns: time, group, reference, difference, se (sqrt of the sum of the two robust
        variances: groups hold different people), ci_lower, ci_upper (normal), p (two-sided z).
        After matching, pairs are not independent and this SE ignores that (usually conservative
        when matching makes the groups alike).
        """
        at = self.at(times)
        groups = list(dict.fromkeys(self.table["group"]))
        if len(groups) < 2:
            raise ValueError("difference: needs a group column with at least two groups")
        reference = groups[0] if reference is None else reference
        if reference not in groups:
            raise ValueError(f"difference: reference {reference!r} is not one of the groups {groups}")
        z = stats.norm.ppf(0.5 + self.conf_level / 2)
        ref = at[at["group"] == reference].set_index("time")
        rows = []
        for g in groups:
            if g == reference:
                continue
            other = at[at["group"] == g].set_index("time")
            diff = other["mcf"] - ref["mcf"]
            se = np.sqrt(other["se"] ** 2 + ref["se"] ** 2)
            for t in diff.index:
                p = 2 * stats.norm.sf(abs(diff[t] / se[t])) if se[t] > 0 else np.nan
                rows.append(
                    {
                        "time": t,
                        "group": g,
                        "reference": reference,
                        "difference": diff[t],
                        "se": se[t],
                        "ci_lower": diff[t] - z * se[t],
                        "ci_upper": diff[t] + z * se[t],
                        "p": p,
                    }
                )
        return pd.DataFrame(rows)

    def plot(self, ax=None):
        """Step plot of the MCF of each group with its confidence band."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        for g, curve in self.table.groupby("group", sort=False):
            t = np.concatenate([[0.0], curve["time"]])
            label = "all" if self.group is None else f"{self.group} {g}"
            (line,) = ax.step(t, np.concatenate([[0.0], curve["mcf"]]), where="post", label=label)
            ax.fill_between(
                t,
                np.concatenate([[0.0], curve["ci_lower"]]),
                np.concatenate([[0.0], curve["ci_upper"]]),
                step="post",
                alpha=0.15,
                color=line.get_color(),
            )
        ax.set_xlabel(self.stop)
        ax.set_ylabel("mean incidents per person")
        ax.legend()
        return ax

    def _repr_html_(self) -> str:
        last = self.table.groupby("group", sort=False).tail(1)
        parts = [
            "<div><strong>Mean cumulative function</strong> (incidents per person)",
            last.to_html(index=False, float_format=lambda v: f"{v:.4g}"),
        ]
        if self.warnings:
            parts.append("<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings) + "</ul>")
        return "\n".join(parts + ["</div>"])


def _show(value) -> str:
    return repr(value.item() if hasattr(value, "item") else value)


def _check(data, start, stop, event, id, group):
    what = "mean_cumulative_function"
    for name in [start, stop, event, id, group]:
        if name is not None and name not in data.columns:
            raise ValueError(f"{what}: column {name!r} not in the data (columns: {', '.join(map(str, data.columns))})")
    values = {}
    for name in [start, stop, event]:
        v = pd.to_numeric(data[name], errors="coerce")
        if v.isna().any():
            row = v.isna().idxmax()
            raise ValueError(
                f"{what}: column {name!r} must be numeric; row {_show(row)} has {_show(data.at[row, name])}"
            )
        values[name] = v.to_numpy(float)
    bad = ~(values[start] < values[stop])
    if bad.any():
        row = data.index[np.argmax(bad)]
        raise ValueError(
            f"{what}: each row needs {start} < {stop}; row {_show(row)} has "
            f"{_show(data.at[row, start])} and {_show(data.at[row, stop])}"
        )
    bad = ~np.isin(values[event], [0, 1])
    if bad.any():
        row = data.index[np.argmax(bad)]
        raise ValueError(f"{what}: column {event!r} must be 0 or 1; row {_show(row)} has {_show(data.at[row, event])}")
    for name in [id, group]:
        if name is not None and data[name].isna().any():
            raise ValueError(f"{what}: column {name!r} is empty at row {_show(data[name].isna().idxmax())}")
    # overlapping intervals of one person would count their time at risk twice
    person_codes = pd.factorize(data[id])[0]
    order = np.lexsort((values[start], person_codes))
    ids = person_codes[order]
    same = ids[1:] == ids[:-1]
    overlap = same & (values[start][order][1:] < values[stop][order][:-1])
    if overlap.any():
        row = data.index[order[1:][np.argmax(overlap)]]
        raise ValueError(
            f"{what}: person {_show(data.at[row, id])} has overlapping intervals (row {_show(row)}); "
            "each person's (start, stop] intervals must not overlap"
        )
    return values[start], values[stop], values[event]


def _curve(start, stop, event, person):
    """Nelson–Aalen MCF at each distinct stop time, with the robust (by person) variance."""
    times = np.unique(stop)
    stop_sorted = np.sort(stop)
    start_sorted = np.sort(start)
    # at risk at t: start < t <= stop
    n_risk = (len(stop) - np.searchsorted(stop_sorted, times, side="left")) - (
        len(start) - np.searchsorted(start_sorted, times, side="left")
    )
    n_event = np.bincount(np.searchsorted(times, stop[event == 1]), minlength=len(times)).astype(float)
    hazard = np.where(n_risk > 0, n_event / np.maximum(n_risk, 1), 0.0)
    mcf = np.cumsum(hazard)
    # Robust variance (infinitesimal jackknife by person, as survfit's std.chaz): person i's
    # influence is D_i(t) = sum over event times s <= t of [dN_i(s) - Y_i(s) d(s) / n(s)] / n(s),
    # and var(t) = sum_i D_i(t)^2. D_i only moves at event times while i is at risk, so var is
    # updated there: var(s) - var(s-) = sum over the at-risk of (2 D_i(s-) delta_i + delta_i^2).
    # With G(t) = sum_{s <= t} d / n^2, a person at risk in row r has D_i(s-) = C_r - G(s-), where
    # C_r = G(start_r) + (their influence accumulated over earlier rows); sums of C_r over the
    # risk set come from sorted cumulative sums, so the whole curve costs O(n log n).
    g = np.cumsum(np.where(n_risk > 0, n_event / np.maximum(n_risk, 1) ** 2, 0.0))

    def g_at(x):
        i = np.searchsorted(times, x, side="right") - 1
        return np.where(i >= 0, g[np.maximum(i, 0)], 0.0)

    idx_stop = np.searchsorted(times, stop)
    jump = np.where(event == 1, 1.0 / np.maximum(n_risk[idx_stop], 1), 0.0)
    g_start, g_stop = g_at(start), g_at(stop)
    codes = pd.factorize(person)[0]
    order = np.lexsort((start, codes))
    total = (jump - (g_stop - g_start))[order]  # a row's whole contribution once it has ended
    running = np.cumsum(total)
    first = np.r_[True, codes[order][1:] != codes[order][:-1]]
    before_person = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
    earlier = running - total - np.where(before_person > 0, running[before_person - 1], 0.0)
    c = np.empty(len(order))
    c[order] = earlier + g_start[order]

    is_event_time = n_event > 0
    s_ev = times[is_event_time]
    n_ev, d_ev = n_risk[is_event_time].astype(float), n_event[is_event_time]
    g_before = np.r_[0.0, g[is_event_time][:-1]]  # G(s-)
    by_start, by_stop = np.argsort(start, kind="stable"), np.argsort(stop, kind="stable")
    cum_start = np.r_[0.0, np.cumsum(c[by_start])]
    cum_stop = np.r_[0.0, np.cumsum(c[by_stop])]
    c_risk = (
        cum_start[np.searchsorted(start[by_start], s_ev, side="left")]
        - cum_stop[np.searchsorted(stop[by_stop], s_ev, side="left")]
    )
    c_event = np.bincount(np.searchsorted(s_ev, stop[event == 1]), weights=c[event == 1], minlength=len(s_ev))
    h = d_ev / n_ev
    sum_d_risk = c_risk - n_ev * g_before
    sum_d_event = c_event - d_ev * g_before
    step = 2 * (-h / n_ev * sum_d_risk + sum_d_event / n_ev) + ((n_ev - d_ev) * h**2 + d_ev * (1 - h) ** 2) / n_ev**2
    var_event = np.r_[np.maximum(np.cumsum(step), 0.0), 0.0]  # trailing 0: used before any event
    last_event = np.cumsum(is_event_time) - 1
    var = var_event[np.where(last_event >= 0, last_event, -1)]
    return times, n_risk, n_event, mcf, np.sqrt(var)


def mean_cumulative_function(
    data: pd.DataFrame,
    start: str,
    stop: str,
    event: str,
    id: str,
    group: str | None = None,
    *,
    conf_type: str = "log",
    conf_level: float = 0.95,
) -> MeanCumulativeFunctionResult:
    """Mean number of incidents (events) per person by each time, by group, with robust CIs.

    ``data`` has counting-process rows ((``start``, ``stop``] intervals in days, ``event`` 1 if an
    incident ended the interval), one or more per person ``id`` — as ``rev.recurrent_events``
    gives. Matches R: ``survfit(Surv(start, stop, event) ~ group, id = id)``, columns ``cumhaz``
    (our ``mcf``) and ``std.chaz`` (our ``se``).

    ``conf_type``: ``"log"`` (default) or ``"plain"`` confidence intervals, at ``conf_level`` (0.95).

    >>> mcf = mean_cumulative_function(events, "start", "stop", "event", "person_id", group="treated")
    >>> mcf.difference([180, 365]); mcf.plot()
    """
    if conf_type not in ("log", "plain"):
        raise ValueError(f"mean_cumulative_function: conf_type must be 'log' or 'plain', not {conf_type!r}")
    s, e, ev = _check(data, start, stop, event, id, group)
    person = data[id].to_numpy()
    if group is None:
        labels, levels = np.array(["all"] * len(data), dtype=object), ["all"]
    else:
        labels = data[group].to_numpy()
        levels = sorted(pd.unique(labels))
    z = stats.norm.ppf(0.5 + conf_level / 2)
    parts, ends, warnings = [], {}, []
    for level in levels:
        m = labels == level
        times, n_risk, n_event, mcf, se = _curve(s[m], e[m], ev[m], person[m])
        if conf_type == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.exp(z * se / mcf)
            lower = np.where(mcf > 0, mcf / factor, 0.0)
            upper = np.where(mcf > 0, mcf * factor, 0.0)
        else:
            lower, upper = mcf - z * se, mcf + z * se
        parts.append(
            pd.DataFrame(
                {
                    "time": times,
                    "group": level,
                    "n_risk": n_risk,
                    "n_event": n_event,
                    "mcf": mcf,
                    "se": se,
                    "ci_lower": lower,
                    "ci_upper": upper,
                }
            )
        )
        ends[level] = float(e[m].max())
        people = len(pd.unique(person[m]))
        if people < 60:
            warnings.append(
                f"{'' if group is None else f'{group} {level}: '}only {people} people; the MCF is imprecise"
            )
        if n_event.sum() < 30:
            warnings.append(
                f"{'' if group is None else f'{group} {level}: '}only {int(n_event.sum())} incidents "
                "(under 30); the MCF is unreliable"
            )
    table = pd.concat(parts, ignore_index=True)
    return MeanCumulativeFunctionResult(
        table=table,
        start=start,
        stop=stop,
        event=event,
        id=id,
        group=group,
        follow_up_end=ends,
        conf_type=conf_type,
        conf_level=conf_level,
        warnings=tuple(warnings),
    )
