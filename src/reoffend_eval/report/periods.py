"""Cohorts by period as they may leave the library, and the trend chart (estimates with 95% intervals)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ..evaluate import disclosure as sdc  # noqa: E402
from ..evaluate.analyses import RESULT_COLUMNS  # noqa: E402
from . import plots  # noqa: E402
from .tables import public_results  # noqa: E402

#: the statistic drawn for each measure, and its axis label
TREND = {
    "reoffending_rate": ("risk_difference", "Difference in one-year proven reoffending (percentage points)"),
    "reoffending_frequency": ("mean_difference", "Difference in proven reoffences per person"),
    "time_to_reoffence": ("hazard_ratio", "Hazard ratio of reoffending (below 1: fewer)"),
    "da_incident_rate": ("rate_ratio", "Rate ratio of domestic-abuse incidents (below 1: fewer)"),
}


def public_periods(periods: pd.DataFrame) -> pd.DataFrame:
    """``periods`` rounded as the JDL rounds, counts 1-4 and what rests on them suppressed."""
    if periods is None or periods.empty:
        return pd.DataFrame(columns=["period", "period_from", "period_to", "status", *RESULT_COLUMNS])
    measured = periods[periods["measure"].notna()].reset_index(drop=True)
    public = public_results(measured[RESULT_COLUMNS]) if len(measured) else pd.DataFrame(columns=RESULT_COLUMNS)
    head = measured[["period", "period_from", "period_to", "status"]].reset_index(drop=True)
    out = pd.concat([head, public.reset_index(drop=True)], axis=1)
    unmeasured = periods[periods["measure"].isna()][["period", "period_from", "period_to", "status"]]
    out = pd.concat([out, unmeasured], ignore_index=True) if len(unmeasured) else out
    return out.sort_values(["period_from", "measure"], na_position="last", kind="stable").reset_index(drop=True)


def trend_plot(public: pd.DataFrame, measure: str, programme: str):
    """Each period's estimate with its 95% interval; periods not measurable are marked on the axis."""
    statistic, label = TREND[measure]
    periods = list(dict.fromkeys(public.sort_values("period_from")["period"]))
    rows = public[(public["measure"] == measure) & (public["statistic"] == statistic)].set_index("period")
    fig, ax = plots._figure(7.0, 3.6)
    xs, ys, lo, hi, missing = [], [], [], [], []
    for i, period in enumerate(periods):
        row = rows.loc[period] if period in rows.index else None
        value = None if row is None else row["estimate"]
        if value is None or value == sdc.SUPPRESSED or pd.isna(value):
            missing.append(i)
            continue
        xs.append(i)
        ys.append(float(value))
        lo.append(float(value) - float(row["ci_lower"]))
        hi.append(float(row["ci_upper"]) - float(value))
    style = plots.GROUP_STYLE["programme"]
    ax.errorbar(xs, ys, yerr=[lo, hi], color=style["color"], marker="o", linestyle="-", capsize=4, linewidth=1.5)
    ax.axhline(1.0 if "ratio" in statistic else 0.0, color=plots.GREY, linestyle=":", linewidth=1)
    for i in missing:
        ax.annotate(
            "not\nmeasurable",
            (i, 0),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="bottom",
            fontsize=8,
            color=plots.GREY,
        )
    ax.set_xticks(range(len(periods)), periods, rotation=30 if len(periods) > 6 else 0)
    ax.set_xlim(-0.5, max(len(periods) - 0.5, 0.5))
    ax.set_ylabel(label)
    ax.set_xlabel("Cohort (by index date)")
    ax.set_title(f"{programme}: the effect in each period's cohort, with 95% confidence intervals")
    return fig


def close(fig) -> None:
    plt.close(fig)
