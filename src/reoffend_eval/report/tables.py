"""The evaluation's tables as they may leave the library: small counts suppressed, JDL rounding.

Every file, page and document the report stage writes is built from these
tables, never from person-level rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..evaluate import disclosure as sdc
from ..evaluate.targets import MEASURES

COUNT_COLUMNS = ("n", "n_treated", "n_comparison", "events_treated", "events_comparison")


def _kind(measure: str) -> str:
    # 'reoffending_rate[domestic_abuse]' is a reoffending_rate counting some offences: the same kind
    spec = MEASURES.get(str(measure).split("[", 1)[0])
    return spec.kind if spec else "other"


def _round_effect(statistic: str, kind: str, value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if statistic in (
        "risk_ratio",
        "odds_ratio",
        "rate_ratio",
        "hazard_ratio",
        "andersen_gill_hr",
        "e_value",
        "e_value_ci",
    ):
        return round(float(value), 2)
    if statistic == "risk_difference":
        return int(np.floor(float(value) + 0.5))  # percentage points, whole as the JDL shows them
    if statistic == "rmst_difference":
        return sdc.days(float(value))
    return sdc.frequency(float(value))


def _round_value(kind: str, statistic: str, value, based_on):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if statistic == "rmst_difference":
        return sdc.days(value, based_on)
    if kind == "proportion" or statistic == "hazard_ratio":
        return sdc.rate_percent(value, based_on)
    return sdc.frequency(value, based_on)


def _p(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return "<0.001" if value < 0.001 else round(float(value), 3)


GROUP_COUNTS = ("n_treated", "n_comparison", "events_treated", "events_comparison")


def hidden_counts(results: pd.DataFrame) -> pd.DataFrame:
    """Which counts of the results table are hidden (True), by row and count column.

    Primary: counts of 1 to 4. Within a row, ``n`` is the sum of the groups' people, so it
    is hidden with either of them, and, since 1:1 matching makes them equal, so is the other.
    Across the rows of one subgroup analysis (e.g. ``risk_level: standard / medium / high``)
    whose counts add up to the main analysis's, one hidden part would be the total minus the
    shown parts: the smallest other non-zero part is hidden too (secondary suppression).
    """
    present = [c for c in COUNT_COLUMNS if c in results.columns]
    hidden = pd.DataFrame({c: [sdc.is_small(v) for v in results[c]] for c in present}, index=results.index, dtype=bool)
    if "analysis" in results.columns and "group" in results.columns:
        main = results[(results["analysis"] == "main") & (results["group"] == "all")]
        parts = results[results["analysis"] == "subgroup"]
        family = parts["group"].astype(str).str.split(":").str[0]
        for (measure, statistic, _), rows in parts.groupby([parts["measure"], parts["statistic"], family]):
            total = main[(main["measure"] == measure) & (main["statistic"] == statistic)]
            if total.empty:
                continue
            for column in (c for c in GROUP_COUNTS if c in present):
                values = pd.to_numeric(rows[column], errors="coerce")
                whole = pd.to_numeric(total[column], errors="coerce").iloc[0]
                if values.isna().any() or pd.isna(whole) or abs(values.sum() - whole) > 1e-9:
                    continue  # the parts do not add up to the total: nothing can be subtracted out
                small = hidden.loc[rows.index, column]
                if small.sum() == 1:
                    others = values[~small & (values > 0)]
                    if len(others):
                        hidden.loc[others.idxmin(), column] = True
    if "n_treated" in present and "n_comparison" in present:
        either = hidden["n_treated"] | hidden["n_comparison"]
        hidden["n_treated"] |= either
        hidden["n_comparison"] |= either
        if "n" in present:
            hidden["n"] |= either
    return hidden


def _hidden_count(value, hidden: bool):
    if value is None or pd.isna(value):
        return None
    if sdc.is_small(value):
        return sdc.SMALL
    return sdc.SUPPRESSED if hidden else sdc.count(value)


def public_results(results: pd.DataFrame) -> pd.DataFrame:
    """The results table, rounded as the JDL rounds, with counts 1-4 and what rests on them suppressed.

    ``treated_value`` / ``comparison_value`` are whole per cent for rates (and the
    share reoffending for hazard ratios), 2 dp for frequencies, whole days for RMST.
    Which counts are hidden is :func:`hidden_counts` (with secondary suppression across
    subgroups); a row with any hidden count shows no estimate, and a group's value is
    hidden with its people or its events.
    """
    hidden = hidden_counts(results)
    rows = []
    for index, r in results.iterrows():
        if r["statistic"] == "hazard_ratio":
            # shown beside a hazard ratio: the share of each group seen to reoffend (events / people); the
            # estimation table's comparison_value for this row is the pooled share both groups together
            r = r.copy()
            r["treated_value"] = _share(r["events_treated"], r["n_treated"])
            r["comparison_value"] = _share(r["events_comparison"], r["n_comparison"])
        kind = _kind(r["measure"])
        hid = hidden.loc[index]
        small = bool(hid.any())
        out = {"measure": r["measure"], "statistic": r["statistic"], "analysis": r["analysis"], "group": r["group"]}
        for column in ("estimate", "ci_lower", "ci_upper"):
            out[column] = sdc.SUPPRESSED if small else _round_effect(r["statistic"], kind, r[column])
        out["p"] = sdc.SUPPRESSED if small else _p(r["p"])
        for column in COUNT_COLUMNS:
            out[column] = _hidden_count(r[column], bool(hid.get(column, False)))
        for side in ("treated", "comparison"):
            value = _round_value(kind, r["statistic"], r[f"{side}_value"], r[f"events_{side}"])
            if hid.get(f"events_{side}", False) or hid.get(f"n_{side}", False):
                value = None if value is None else sdc.SUPPRESSED
            out[f"{side}_value"] = value
        out["method"] = r["method"]
        rows.append(out)
    return pd.DataFrame(rows, columns=list(results.columns))


def _share(events, people) -> float:
    try:
        return float(events) / float(people) if float(people) > 0 else float("nan")
    except (TypeError, ValueError):
        return float("nan")


def published_counts(results: pd.DataFrame) -> dict[str, set[int]]:
    """The people counts of each group the public results table shows (``programme``: n_treated, ``comparison``)."""
    public = public_results(results)
    out: dict[str, set[int]] = {}
    for group, column in (("programme", "n_treated"), ("comparison", "n_comparison")):
        out[group] = {int(v) for v in public[column] if isinstance(v, (int, float, np.integer)) and not pd.isna(v)}
    return out


def public_flow(flow: pd.DataFrame, results: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cohort flow with small counts and small drops between stages hidden, per group.

    With the evaluation's ``results``, a stage count the results table shows anyway (the
    matched numbers) is never hidden here: the small drop is protected by hiding the
    earlier stage instead, or, when that too is shown elsewhere, not at all (it is public).
    """
    published = published_counts(results) if results is not None else {}
    return pd.DataFrame(
        {
            column: sdc.protect_flow(flow[column].astype("float64"), published.get(column, ()))
            for column in flow.columns
        },
        index=flow.index,
    )


def public_quality(quality: pd.DataFrame) -> pd.DataFrame:
    """The validation summary without example values (they may be identifiers), counts protected."""
    keep = [c for c in quality.columns if c not in ("examples", "example_values", "values")]
    out = quality[keep].copy()
    for column in out.columns:
        if column.startswith("rows") or column in ("failing", "count"):
            out[column] = out[column].map(sdc.count)
    return out


def public_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """Targets with estimates to 1 dp; a "not yet measurable" target's estimate is not shown.

    Too few people or events is exactly when an estimate could rest on 1 to 4
    people, and the Justice Data Lab does not publish such estimates either.
    """
    out = targets.copy()
    unmeasurable = out["verdict"].isin(("not yet measurable", "not measured"))
    for column in ("estimate", "ci_lower", "ci_upper"):
        out[column] = [
            sdc.SUPPRESSED if hide else (None if pd.isna(v) else round(float(v), 1))
            for v, hide in zip(out[column], unmeasurable)
        ]
    out["people_needed_per_group"] = out["people_needed_per_group"].map(
        lambda v: None if pd.isna(v) or not np.isfinite(v) else int(np.ceil(v))
    )
    return out


def public_balance(balance: pd.DataFrame) -> pd.DataFrame:
    """Balance statistics are means, proportions and standardised differences of groups: rounded to 3 dp."""
    return balance.round(3)


# --- curves and distributions: pooled so that no step, bar or count rests on 1 to 4 people ---------------

GROUP_WORDS = {1: "programme", 0: "comparison"}


def _pooled_steps(table: pd.DataFrame, value: str, lower: str, upper: str) -> pd.DataFrame:
    """One group's step curve pooled so every step carries 5 or more events; cut where under 5 are at risk.

    A step of a Kaplan-Meier or cumulative curve made by 1 to 4 events would tell
    a reader when those few people offended; pooling consecutive event times until
    5 or more events have accrued (a common rule for publishing survival curves)
    shows the same curve at a coarser time grid. The tail after the last full pool,
    and everything from the first time fewer than 5 people remain at risk, is left out.
    """
    origin = 0.0 if value == "mcf" else 1.0  # curves start at no incidents / nobody reoffended
    rows = [
        {
            "time": 0.0,
            value: origin,
            "ci_lower": origin,
            "ci_upper": origin,
            "n_risk": float(table["n_risk"].iloc[0]),
            "events": 0.0,
        }
    ]
    pooled = 0.0
    risk_at_pool_start = float(table["n_risk"].iloc[0])
    for r in table.itertuples(index=False):
        if r.n_risk < sdc.MIN_SHOWN:
            break
        pooled += float(r.n_event)
        if pooled >= sdc.MIN_SHOWN:
            rows.append(
                {
                    "time": float(r.time),
                    value: float(getattr(r, value)),
                    "ci_lower": float(getattr(r, lower)),
                    "ci_upper": float(getattr(r, upper)),
                    "n_risk": risk_at_pool_start,
                    "events": pooled,
                }
            )
            pooled = 0.0
            risk_at_pool_start = float(r.n_risk) - float(r.n_event)
    return pd.DataFrame(rows)


def _public_curve(table: pd.DataFrame, value: str) -> pd.DataFrame:
    """A curve per group (column ``value``), pooled to steps of 5 or more events, cut where under 5 remain."""
    columns = ["group", "time", value, "ci_lower", "ci_upper", "n_risk", "events"]
    parts = []
    for code, words in GROUP_WORDS.items():
        part = table[table["group"] == code].sort_values("time")
        if len(part):
            parts.append(_pooled_steps(part, value, "ci_lower", "ci_upper").assign(group=words))
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)
    return out[columns].round({value: 4, "ci_lower": 4, "ci_upper": 4})


def public_survival_curve(km_table: pd.DataFrame) -> pd.DataFrame:
    """Kaplan-Meier curves (share not yet reoffended) per group, pooled to steps of 5 or more events.

    Columns: group (programme / comparison), time (days), survival, ci_lower,
    ci_upper, n_risk (at risk at the start of the pooled step), events (in it).
    """
    return _public_curve(km_table, "survival")


def public_mean_cumulative(mcf_table: pd.DataFrame) -> pd.DataFrame:
    """Mean cumulative incidents per person per group, pooled to steps of 5 or more incidents.

    Columns: group, time (days), mcf, ci_lower, ci_upper, n_risk, events.
    """
    return _public_curve(mcf_table, "mcf")


def public_numbers_at_risk(km_table: pd.DataFrame, times=(0, 90, 180, 270, 365)) -> pd.DataFrame:
    """People still at risk at each time, per group (rows programme / comparison, columns "day 0" ...).

    The counts fall over time; a fall of 1 to 4 between two shown times would
    reveal a handful of people, so those counts are hidden as in the cohort flow.
    """
    rows = {}
    for code, words in GROUP_WORDS.items():
        part = km_table[km_table["group"] == code].sort_values("time")
        if part.empty:
            continue
        values = []
        for t in times:
            later = part[part["time"] >= t]
            # at risk at time t: those at risk at the first recorded time on or after t
            values.append(float(later["n_risk"].iloc[0]) if len(later) else 0.0)
        rows[words] = sdc.protect_flow(pd.Series(np.round(values), index=[f"day {t}" for t in times]))
    return pd.DataFrame(rows).T


def _merge_small_bins(counts: np.ndarray) -> list[tuple[int, int]]:
    """Runs of adjacent bins (start, stop) so that no run holds 1 to 4 people of any group."""
    runs: list[list[int]] = []
    start = 0
    total = np.zeros(counts.shape[1])
    for i in range(counts.shape[0]):
        total = total + counts[i]
        if not any(0 < t < sdc.MIN_SHOWN for t in total):
            runs.append([start, i + 1])
            start, total = i + 1, np.zeros(counts.shape[1])
    if start < counts.shape[0]:
        runs.append([start, counts.shape[0]])

    def small(run) -> bool:
        return any(0 < t < sdc.MIN_SHOWN for t in counts[run[0] : run[1]].sum(axis=0))

    # a small remainder at the top joins the runs below it until it is no longer small
    while len(runs) > 1 and small(runs[-1]):
        last = runs.pop()
        runs[-1][1] = last[1]
    return [(start, stop) for start, stop in runs]


def public_overlap(
    scores: pd.Series, treated: pd.Series, weights: pd.Series | None = None, bins: int = 20
) -> pd.DataFrame:
    """Propensity scores as binned counts per group, adjacent bins merged until none holds 1 to 4 people.

    ``scores`` are the propensity scores (0-1), ``treated`` 1/0, ``weights``
    (optional) 0 for people left out by matching. Returns one row per merged bin:
    bin_lower, bin_upper, programme, comparison (counts; "<5" only if the whole
    group has fewer than 5 people), programme_density, comparison_density
    (share of the group per unit of score, for plotting).
    """
    keep = np.ones(len(scores), dtype=bool) if weights is None else np.asarray(weights, dtype=float) > 0
    s = np.clip(np.asarray(scores, dtype=float)[keep], 0, 1)
    t = np.asarray(treated, dtype=float)[keep]
    edges = np.linspace(0, 1, bins + 1)
    counts = np.column_stack([np.histogram(s[t == code], edges)[0] for code in (1, 0)])
    out = []
    for a, b in _merge_small_bins(counts):
        row = {"bin_lower": round(edges[a], 3), "bin_upper": round(edges[b], 3)}
        width = edges[b] - edges[a]
        for j, words in enumerate(("programme", "comparison")):
            n = counts[a:b, j].sum()
            group_total = counts[:, j].sum()
            row[words] = sdc.count(n)
            row[f"{words}_density"] = None if sdc.is_small(n) or group_total == 0 else float(n / group_total / width)
        out.append(row)
    return pd.DataFrame(out)


# --- the forest plot's rows, the study period ------------------------------------------------------------

RATIO_STATISTICS = ("risk_ratio", "rate_ratio", "hazard_ratio")


def public_forest(results: pd.DataFrame) -> pd.DataFrame:
    """Effects for a forest plot: differences (percentage points) and ratios, with intervals, 2 dp.

    Rows resting on a count of 1 to 4 keep ``suppressed = True`` and no numbers.
    Columns: measure, statistic, analysis, group, estimate, ci_lower, ci_upper, suppressed.
    """
    hidden = hidden_counts(results).any(axis=1)  # the same rows the public results table hides
    wanted = results[results["statistic"].isin(("risk_difference",) + RATIO_STATISTICS)]
    rows = []
    for index, r in wanted.iterrows():
        small = bool(hidden.loc[index])
        values = {
            c: (None if small or pd.isna(r[c]) else round(float(r[c]), 2)) for c in ("estimate", "ci_lower", "ci_upper")
        }
        rows.append(
            {
                "measure": r["measure"],
                "statistic": r["statistic"],
                "analysis": r["analysis"],
                "group": r["group"],
                **values,
                "suppressed": bool(small),
            }
        )
    return pd.DataFrame(
        rows, columns=["measure", "statistic", "analysis", "group", "estimate", "ci_lower", "ci_upper", "suppressed"]
    )


def study_period(index_dates: pd.Series) -> tuple[str, str] | None:
    """First and last month of the programme group's index dates ("March 2023"), months only."""
    dates = pd.to_datetime(pd.Series(index_dates)).dropna()
    if dates.empty:
        return None
    return dates.min().strftime("%B %Y"), dates.max().strftime("%B %Y")


def public_set_aside(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows set aside per table: counts 1 to 4 as "<5", and the share hidden where it would reveal them."""
    out = frame.copy()
    small = out["set_aside"].map(sdc.is_small)
    out["share_set_aside"] = [
        sdc.SUPPRESSED if hide else round(float(v), 4) for v, hide in zip(out["share_set_aside"], small)
    ]
    for column in ("rows_in", "set_aside"):
        out[column] = out[column].map(sdc.count)
    return out
