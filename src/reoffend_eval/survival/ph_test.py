"""Proportional-hazards test as R survival (>= 3.0) ``cox.zph(fit, terms = TRUE, global = TRUE)``.

The test is the score test, at the fitted coefficients, of adding x * g(t) for each
term, where g is the transformed event time centred at its mean over the events.
Because g is constant within an event time, the extended model's score and
information are weighted sums of the per-event-time score and information of the
fitted Cox model, which the engine already has.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ._cox_engine import CoxData

TRANSFORMS = ("km", "identity", "rank", "log")


def _left_km(d: CoxData) -> tuple[np.ndarray, np.ndarray]:
    """Unweighted, unstratified Kaplan–Meier over (start, stop] (as cox.zph's survfitKM): times and S."""
    times = np.unique(d.stop[d.event])
    idx_stop = np.searchsorted(times, d.stop, "right")  # number of event times <= stop
    at = np.bincount(idx_stop, minlength=times.size + 1).astype(float)
    if d.start is not None:
        idx_start = np.searchsorted(times, d.start, "right")
        at -= np.bincount(idx_start, minlength=times.size + 1)
    n_risk = np.cumsum(at[::-1])[::-1][1:]
    deaths = np.bincount(np.searchsorted(times, d.stop[d.event]), minlength=times.size).astype(float)
    return times, np.cumprod(1 - deaths / n_risk)


def transformed_times(d: CoxData, transform: str) -> np.ndarray:
    """g(t) for every row's stop time, before centring."""
    times = d.stop
    if transform == "identity":
        return times.copy()
    if transform == "log":
        return np.log(times)
    if transform == "rank":
        return stats.rankdata(times)
    if transform == "km":
        km_times, surv = _left_km(d)
        # S just before t (R: findInterval(..., left.open = TRUE))
        idx = np.searchsorted(km_times, times, "left")
        return 1.0 - np.concatenate([[1.0], surv])[idx]
    raise ValueError(f"transform must be one of {TRANSFORMS}, got {transform!r}")


def zph_table(
    d: CoxData,
    bin_score: np.ndarray,
    bin_info: np.ndarray,
    names: list[str],
    term_slices: dict[str, list[int]],
    transform: str = "km",
) -> pd.DataFrame:
    """chisq, df, p per term and GLOBAL, as ``cox.zph(...)$table``."""
    g_rows = transformed_times(d, transform)
    g_rows = g_rows - g_rows[d.event].mean()
    # every event row in a bin has the same stop time, hence the same g
    g = np.zeros(d.n_bins)
    g[d.bin_event[d.event]] = g_rows[d.event]
    p = len(names)
    u_g = g @ bin_score
    i_bb = bin_info.sum(axis=0)
    i_bg = np.einsum("k,kij->ij", g, bin_info)
    i_gg = np.einsum("k,kij->ij", g * g, bin_info)
    full = np.block([[i_bb, i_bg], [i_bg.T, i_gg]])
    rows = []
    for term, cols in term_slices.items():
        keep = list(range(p)) + [p + c for c in cols]
        u = np.concatenate([np.zeros(p), u_g[cols]])
        chisq = float(u @ np.linalg.solve(full[np.ix_(keep, keep)], u))
        rows.append((term, chisq, len(cols)))
    u = np.concatenate([np.zeros(p), u_g])
    rows.append(("GLOBAL", float(u @ np.linalg.solve(full, u)), p))
    table = pd.DataFrame(rows, columns=["term", "chisq", "df"]).set_index("term")
    table["p"] = stats.chi2.sf(table["chisq"], table["df"])
    table.index.name = None
    return table
