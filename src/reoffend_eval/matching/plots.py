"""Balance plots: a Love plot of |SMD| and the propensity-score overlap plot (as cobalt's ``love.plot`` / ``bal.plot``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .balance import SMD_THRESHOLD


def _axes(ax, height: float = 4.0):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6.0, height))
    return ax


def love_plot(balance: pd.DataFrame, ax=None, after_label: str = "adjusted"):
    """|SMD| per term before (open circles) and after (filled) adjustment; dashed line at 0.1. Returns the axes."""
    terms = list(balance.index)
    ax = _axes(ax, height=max(3.0, 0.3 * len(terms) + 1.0))
    y = np.arange(len(terms))[::-1]
    ax.scatter(balance["smd_before"].abs(), y, facecolors="none", edgecolors="tab:gray", label="all")
    ax.scatter(balance["smd_after"].abs(), y, color="tab:blue", label=after_label)
    ax.axvline(SMD_THRESHOLD, linestyle="--", color="tab:red", linewidth=1)
    ax.set_yticks(y)
    ax.set_yticklabels(terms)
    ax.set_xlabel("absolute standardised mean difference")
    ax.legend(loc="lower right")
    return ax


def distance_plot(rows: pd.DataFrame, treatment: str, ax=None, after_label: str = "adjusted"):
    """Histograms of the propensity score by group, all units (outline) and weighted (filled). Returns the axes."""
    ax = _axes(ax)
    score = rows["distance"].to_numpy(dtype=float)
    if np.all(np.isnan(score)):
        ax.text(
            0.5, 0.5, "no propensity score (exact / CEM / Mahalanobis matching)", ha="center", transform=ax.transAxes
        )
        return ax
    treated = rows[treatment].astype(bool).to_numpy()
    weights = rows["weights"].to_numpy(dtype=float)
    bins = np.linspace(np.nanmin(score), np.nanmax(score), 31)
    for group, colour, name in ((treated, "tab:orange", "treated"), (~treated, "tab:blue", "comparison")):
        ax.hist(score[group], bins=bins, density=True, histtype="step", color=colour, label=f"{name}, all")
        if weights[group].sum() > 0:
            ax.hist(
                score[group],
                bins=bins,
                weights=weights[group],
                density=True,
                alpha=0.35,
                color=colour,
                label=f"{name}, {after_label}",
            )
    ax.set_xlabel("propensity score")
    ax.set_ylabel("density")
    ax.legend()
    return ax
