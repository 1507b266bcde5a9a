"""Matching weights and subclasses from matched sets or strata, as MatchIt computes them."""

from __future__ import annotations

import numpy as np
import pandas as pd


def pair_weights(matches: np.ndarray, treated_rows: np.ndarray, n: int, is_treated: np.ndarray) -> np.ndarray:
    """Weights from a matrix of matched control rows (one row per treated unit, -1 = empty slot).

    Matched treated units get 1. Each control gets, summed over the treated units it is matched to,
    1 / (number of controls matched to that treated unit); control weights are then rescaled to sum to the
    number of distinct matched controls (MatchIt's rule; without replacement and 1:1 every weight is 1).
    """
    weights = np.zeros(n)
    found = matches >= 0
    per_treated = found.sum(axis=1)
    weights[treated_rows[per_treated > 0]] = 1.0
    share = np.repeat(1.0 / np.maximum(per_treated, 1), matches.shape[1]).reshape(matches.shape)
    np.add.at(weights, matches[found], share[found])
    control = (~is_treated) & (weights > 0)
    if control.any():
        weights[control] *= control.sum() / weights[control].sum()
    return weights


def pair_subclass(matches: np.ndarray, treated_rows: np.ndarray, n: int) -> np.ndarray:
    """Subclass per row (float, NaN = none): matched set number, treated units numbered in data order."""
    subclass = np.full(n, np.nan)
    has = (matches >= 0).any(axis=1)
    order = np.argsort(treated_rows[has], kind="stable")
    rows = treated_rows[has][order]
    sets = matches[has][order]
    numbers = np.arange(1, len(rows) + 1, dtype=float)
    subclass[rows] = numbers
    for slot in range(sets.shape[1]):
        ok = sets[:, slot] >= 0
        subclass[sets[ok, slot]] = numbers[ok]
    return subclass


def stratum_weights(
    strata: np.ndarray, is_treated: np.ndarray, eligible: np.ndarray, estimand: str
) -> tuple[np.ndarray, np.ndarray]:
    """Weights and subclass numbers from strata (exact / CEM), as MatchIt's subclass weights.

    Strata holding at least one treated and one control unit are kept. ATT: treated 1, controls
    n_treated_s / n_control_s; ATC the mirror image; ATE: n_s / n_group_s for both. The weights of a group
    that is not the focal one are rescaled to sum to its number of matched units. Subclasses are numbered
    in order of first appearance among matched controls (then treated) in data order, as MatchIt numbers them.
    """
    n = len(strata)
    frame = pd.DataFrame({"s": strata, "t": is_treated, "ok": eligible})
    frame = frame[frame["ok"]]
    n_t = frame[frame["t"]].groupby("s").size()
    n_c = frame[~frame["t"]].groupby("s").size()
    both = n_t.index.intersection(n_c.index)
    matched = eligible & pd.Series(strata).isin(both).to_numpy()
    weights = np.zeros(n)
    s_rows = strata[matched]
    t_rows = is_treated[matched]
    nt = n_t.reindex(s_rows).to_numpy(dtype=float)
    nc = n_c.reindex(s_rows).to_numpy(dtype=float)
    if estimand == "ATT":
        w = np.where(t_rows, 1.0, nt / nc)
    elif estimand == "ATC":
        w = np.where(t_rows, nc / nt, 1.0)
    else:
        w = np.where(t_rows, (nt + nc) / nt, (nt + nc) / nc)
    weights[matched] = w
    for group in (True, False):
        if (estimand == "ATT" and group) or (estimand == "ATC" and not group):
            continue
        rows = matched & (is_treated == group)
        if rows.any():
            weights[rows] *= rows.sum() / weights[rows].sum()
    order = np.r_[np.flatnonzero(matched & ~is_treated), np.flatnonzero(matched & is_treated)]
    numbers: dict[object, int] = {}  # stratum -> 1-based subclass, in order of first appearance
    for s in strata[order]:
        if s not in numbers:
            numbers[s] = len(numbers) + 1
    subclass = np.full(n, np.nan)
    subclass[matched] = pd.Series(strata[matched]).map(numbers).to_numpy(dtype=float)
    return weights, subclass
