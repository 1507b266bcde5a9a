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
    "reoffending_rate": (
        "risk_difference",
        "Difference (percentage points)",
        "one-year proven reoffending, below 0: less",
    ),
    "reoffending_frequency": ("mean_difference", "Difference per person", "proven reoffences, below 0: fewer"),
    "time_to_reoffence": ("hazard_ratio", "Hazard ratio", "reoffending, below 1: slower"),
    "da_incident_rate": ("rate_ratio", "Rate ratio", "domestic-abuse incidents, below 1: fewer"),
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
    statistic, label, what = TREND[measure]
    periods = list(dict.fromkeys(public.sort_values("period_from")["period"]))
    rows = public[(public["measure"] == measure) & (public["statistic"] == statistic)].set_index("period")
    fig, ax = plots._figure(7.0, 3.8)
    xs, ys, lo, hi, missing = [], [], [], [], []
    for i, period in enumerate(periods):
        row = rows.loc[period] if period in rows.index else None
        value = None if row is None else row["estimate"]
        if row is None or value is None or value == sdc.SUPPRESSED or pd.isna(value):
            missing.append(i)
            continue
        xs.append(i)
        ys.append(float(value))
        lo.append(float(value) - float(row["ci_lower"]))
        hi.append(float(row["ci_upper"]) - float(value))
    style = plots.GROUP_STYLE["programme"]
    # points, not a line: a line would run across periods that could not be measured
    ax.errorbar(xs, ys, yerr=[lo, hi], color=style["color"], marker="o", linestyle="none", capsize=4, linewidth=1.5)
    ax.axhline(1.0 if "ratio" in statistic else 0.0, color=plots.GREY, linestyle=":", linewidth=1)
    if missing:
        ax.plot(
            missing,
            [0.02] * len(missing),
            "x",
            color=plots.GREY,
            transform=ax.get_xaxis_transform(),
            label="not measurable yet (too few people or reoffenders, or follow-up not complete)",
        )
        ax.legend(loc="upper right", fontsize=8)
    ax.set_xticks(
        range(len(periods)),
        periods,
        rotation=35 if len(periods) > 6 else 0,
        ha="right" if len(periods) > 6 else "center",
    )
    ax.set_xlim(-0.5, max(len(periods) - 0.5, 0.5))
    ax.set_ylabel(label)
    ax.set_xlabel("Cohort (by index date)")
    ax.set_title(f"{programme} by cohort: {what} (95% intervals)")
    return fig


def close(fig) -> None:
    plt.close(fig)
