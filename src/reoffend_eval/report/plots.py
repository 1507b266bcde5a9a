"""The report's figures, drawn only from public (disclosure-controlled) tables.

Colours are the Okabe-Ito palette, safe for the common forms of colour
blindness; every figure also tells the groups apart by line style or marker and
labels them in words, so nothing rests on colour alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import matplotlib
import matplotlib.lines
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

# Figures are made as matplotlib Figure objects, not through pyplot: they need no screen
# and no backend, so importing the report stage never switches a notebook's backend.

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

BLUE, ORANGE, VERMILLION, GREEN, SKY, GREY = "#0072B2", "#E69F00", "#D55E00", "#009E73", "#56B4E9", "#555555"
GROUP_STYLE = {
    "programme": {"color": BLUE, "linestyle": "-", "marker": "o"},
    "comparison": {"color": ORANGE, "linestyle": "--", "marker": "s"},
}

_RC: dict[RcKeyType, Any] = {
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "figure.dpi": 100,
}


def _figure(width: float = 7.0, height: float = 4.0):
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.subplots()
    return fig, ax


def _group_label(group: str, programme: str) -> str:
    return f"{programme} participants" if group == "programme" else "Matched comparison group"


def survival_plot(
    curve: pd.DataFrame, programme: str, *, value: str = "survival", ylabel: str | None = None, title: str | None = None
):
    """Curves with 95% confidence bands per group, from ``public_survival_curve`` or ``public_mean_cumulative``.

    The public curves hold only points 5 or more events apart; they are joined by
    straight lines, since a step drawn at the end of a pooled stretch would suggest
    nothing happened before it.
    """
    with matplotlib.rc_context(_RC):
        fig, ax = _figure()
        for group, part in curve.groupby("group", sort=False):
            style = GROUP_STYLE[group]
            label = _group_label(group, programme)
            ax.plot(
                part["time"], part[value], color=style["color"], linestyle=style["linestyle"], linewidth=2, label=label
            )
            ax.fill_between(
                part["time"],
                part["ci_lower"],
                part["ci_upper"],
                color=style["color"],
                alpha=0.18,
                linewidth=0,
                hatch=None if group == "programme" else "///",
            )
            last = part.iloc[-1]
            ax.annotate(
                label.split(" ")[0] if group == "programme" else "Comparison",
                (last["time"], last[value]),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                color=style["color"],
                fontsize=9,
            )
        ax.set_xlabel("Days since the start of the programme (comparison: since eligible)")
        if value == "survival":
            ax.set_ylabel(ylabel or "Share not yet reoffending")
            ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
            low = float(np.nanmin(curve["ci_lower"])) if len(curve) else 0
            ax.set_ylim(max(0.0, np.floor(low * 10) / 10 - 0.05), 1.005)
        else:
            ax.set_ylabel(ylabel or "Incidents per person (cumulative)")
            ax.set_ylim(bottom=0)
        ax.set_xlim(0, max(365.0, float(curve["time"].max()) if len(curve) else 365.0) * 1.08)
        if title:
            ax.set_title(title, loc="left")
        ax.legend(loc="lower left" if value == "survival" else "upper left")
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    return fig


def love_plot(balance: pd.DataFrame, threshold: float = 0.1, after: str = "matching"):
    """Standardised mean differences before (hollow circles) and after matching or weighting (filled diamonds)."""
    terms = [t for t in balance.index if t != "distance"]
    frame = balance.loc[terms]
    with matplotlib.rc_context(_RC):
        fig, ax = _figure(7.5, 0.32 * len(terms) + 1.4)
        y = np.arange(len(terms))[::-1]
        ax.axvspan(-threshold, threshold, color="#eeeeee", zorder=0)
        ax.axvline(0, color=GREY, linewidth=0.8)
        if "smd_before" in frame:
            ax.scatter(
                frame["smd_before"],
                y,
                facecolors="white",
                edgecolors=ORANGE,
                marker="o",
                s=36,
                linewidths=1.6,
                label=f"Before {after}",
                zorder=3,
            )
        if "smd_after" in frame:
            ax.scatter(frame["smd_after"], y, color=BLUE, marker="D", s=30, label=f"After {after}", zorder=4)
        ax.set_yticks(y, [_term_words(t) for t in terms])
        ax.set_xlabel(f"Standardised mean difference (programme minus comparison); shaded: within ±{threshold}")
        ax.legend(loc="lower right", bbox_to_anchor=(1, 1.0), ncol=2)
    return fig


def _term_words(term: str) -> str:
    words = {
        "age_at_index": "Age at start",
        "prior_proven_offences": "Prior proven offences",
        "prior_violent_offences": "Prior violent offences",
        "prior_da_incidents": "Prior DA incidents",
        "years_since_first_offence": "Years since first offence",
        "prior_marac_referrals": "Prior MARAC referrals",
        "prior_da_offences": "Prior DA offences",
        "prior_custody": "Prior custody",
    }
    if term in words:
        return words[term]
    for prefix, label in (
        ("sex", "Sex"),
        ("risk_level", "Risk"),
        ("area", "Area"),
        ("ethnicity", "Ethnicity"),
        ("trigger", "Trigger"),
        ("referral_source", "Referral source"),
    ):
        if term.startswith(prefix) and len(term) > len(prefix):
            return f"{label}: {term[len(prefix) :]}"
    return term.replace("_", " ")


def overlap_plot(panels: dict[str, pd.DataFrame], programme: str):
    """Propensity scores per group as mirrored histograms (programme up, comparison down), one panel each."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(7.5, 3.6), layout="constrained")
        axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)
        for ax, (title, table) in zip(axes[0], panels.items()):
            left = table["bin_lower"].to_numpy(float)
            width = (table["bin_upper"] - table["bin_lower"]).to_numpy(float)
            up = pd.to_numeric(table["programme_density"], errors="coerce").fillna(0).to_numpy()
            down = pd.to_numeric(table["comparison_density"], errors="coerce").fillna(0).to_numpy()
            ax.bar(
                left,
                up,
                width=width,
                align="edge",
                color=BLUE,
                edgecolor="white",
                label=f"{programme} participants (above the line)",
            )
            ax.bar(
                left,
                -down,
                width=width,
                align="edge",
                color=ORANGE,
                edgecolor="white",
                hatch="///",
                label="Comparison (below the line)",
            )
            ax.axhline(0, color=GREY, linewidth=0.8)
            ax.set_title(title, loc="left")
            ax.set_xlabel("Propensity score (chance of taking part)")
            ax.set_xlim(0, 1)
        axes[0][0].set_ylabel("Share of group per unit of score")
        axes[0][0].yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{abs(v):g}"))
        handles, labels = axes[0][0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncol=2)
    return fig


_STAT_WORDS = {
    "risk_difference": "difference",
    "risk_ratio": "risk ratio",
    "rate_ratio": "rate ratio",
    "hazard_ratio": "hazard ratio",
}
_MEASURE_SHORT = {
    "reoffending_rate": "Reoffending",
    "reoffending_frequency": "Reoffences per person",
    "time_to_reoffence": "Time to reoffence",
    "da_incident_rate": "DA incidents per year",
    "repeat_marac_rate": "Repeat MARAC",
    "repeat_victimisation": "Repeat victim",
    "serial_victimisation": "New victim",
    "reoffending_rate[domestic_abuse]": "DA reoffending",
    "reoffending_rate[violent]": "Violent reoffending",
    "asb_rate": "Any ASB incident",
    "asb_incident_rate": "ASB incidents per year",
    "first_time_entry_rate": "Entered youth justice",
    "police_contact_rate": "Police contact",
}


def forest_label(row) -> str:
    label = (
        f"{_MEASURE_SHORT.get(row['measure'], row['measure'])}, {_STAT_WORDS.get(row['statistic'], row['statistic'])}"
    )
    if row["group"] != "all":
        label += f" ({str(row['group']).replace('_', ' ')})"
    return label


def forest_plot(forest: pd.DataFrame):
    """Every effect with its 95% interval: differences (percentage points) left, ratios (log scale) right."""
    shown = forest[~forest["suppressed"] & forest["estimate"].notna()]
    differences = shown[shown["statistic"] == "risk_difference"]
    ratios = shown[shown["statistic"] != "risk_difference"]
    panels = [
        (p, t)
        for p, t in ((differences, "Differences (percentage points)"), (ratios, "Ratios (1 = no difference)"))
        if len(p)
    ]
    rows = [max(len(p), 1) for p, _ in panels] or [1]
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8.0, 0.32 * sum(rows) + 1.25 * len(rows) + 0.5), layout="constrained")
        axes = fig.subplots(len(rows), 1, squeeze=False, gridspec_kw={"height_ratios": rows})
        for ax, (part, title) in zip(axes[:, 0], panels):
            y = np.arange(len(part))[::-1]
            is_ratio = title.startswith("Ratios")
            marker = np.where(part["analysis"] == "main", "D", np.where(part["analysis"] == "subgroup", "o", "s"))
            colors = {"main": BLUE, "subgroup": GREEN, "sensitivity": VERMILLION}
            for yi, (_, r), m in zip(y, part.iterrows(), marker):
                ax.plot([r["ci_lower"], r["ci_upper"]], [yi, yi], color=colors.get(r["analysis"], GREY), linewidth=1.8)
                ax.plot(r["estimate"], yi, marker=m, color=colors.get(r["analysis"], GREY), markersize=6)
            ax.axvline(1 if is_ratio else 0, color=GREY, linewidth=0.9, linestyle=":")
            if is_ratio:
                ax.set_xscale("log")
                low, high = float(part["ci_lower"].min()), float(part["ci_upper"].max())
                grid = (
                    (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 2)
                    if high / max(low, 1e-9) < 4
                    else (0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10)
                )
                ticks = [t for t in grid if low / 1.1 <= t <= high * 1.1] or [1]
                ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
                ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
            ax.set_yticks(y, [forest_label(r) for _, r in part.iterrows()])
            ax.set_title(title, loc="left", fontsize=10)
            ax.set_ylim(-0.6, len(part) - 0.4)
            ax.set_xlabel("Estimate and 95% confidence interval\n← fewer in the programme group   |   more →")
        legend = [
            matplotlib.lines.Line2D([], [], color=c, marker=m, label=w)
            for c, m, w in (
                (BLUE, "D", "whole cohort (diamond)"),
                (GREEN, "o", "subgroup (circle)"),
                (VERMILLION, "s", "sensitivity (square)"),
            )
        ]
        fig.legend(handles=legend, loc="outside lower center", ncol=3)
    return fig
