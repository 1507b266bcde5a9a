"""Greedy nearest-neighbour matching, as MatchIt 4.7.2's ``method = "nearest"``.

All units are sorted by the distance (propensity score) with a stable sort, ties in row order. Treated
units are taken in the requested order (``largest``: decreasing score, stable). Without replacement each
treated unit takes the nearest still-available control on its left or right in that sorted order; at an
exactly equal score difference the one MatchIt's alternating walk meets first wins (the left one when its
position distance is no larger). A caliper leaves a treated unit unmatched when no available control is
within it. With ``ratio > 1`` matching goes in rounds, as MatchIt does: every treated unit gets its first
control before any gets its second.

Speed: without replacement the next available control on each side is found with union-find "skip"
pointers, so a match costs nearly O(1) after an O(n log n) sort: never quadratic. With replacement the
``ratio`` nearest on each side are gathered with vectorised numpy.

Matching on Mahalanobis distance (``mahvars`` within a propensity caliper, or ``distance="mahalanobis"``)
searches every available control inside the caliper window (all of them without a caliper), which is
quadratic in the worst case, as it is in MatchIt.
"""

from __future__ import annotations

import numpy as np


def _find(parent: np.ndarray, i: int) -> int:
    root = i
    while (up := int(parent[root])) != root:
        root = up
    while (up := int(parent[i])) != root:  # path compression keeps later look-ups O(1)
        parent[i] = root
        i = up
    return root


def treated_order(distance: np.ndarray | None, treated_rows: np.ndarray, m_order: str, random_state) -> np.ndarray:
    """Positions (into ``treated_rows``) in the order treated units are matched."""
    if m_order == "data" or distance is None:
        return np.arange(len(treated_rows))
    scores = distance[treated_rows]
    if m_order == "largest":
        return np.argsort(-scores, kind="stable")
    if m_order == "smallest":
        return np.argsort(scores, kind="stable")
    if m_order == "random":
        return np.random.default_rng(random_state).permutation(len(treated_rows))
    raise ValueError(f"m_order must be 'largest', 'smallest', 'random' or 'data', not {m_order!r}")


def match_on_score(
    score: np.ndarray,
    is_treated: np.ndarray,
    eligible: np.ndarray,
    order_rows: np.ndarray,
    *,
    ratio: int,
    replace: bool,
    caliper: float | None,
    exact_codes: np.ndarray | None,
) -> np.ndarray:
    """Greedy matching on a scalar score.

    ``order_rows``: treated row positions in matching order. Returns an int array (n_treated_in_order x ratio)
    of matched control row positions, -1 where none, rows aligned with ``order_rows``.
    """
    n = len(score)
    position = np.empty(n, dtype=np.int64)
    sorted_rows = np.argsort(score, kind="stable")
    position[sorted_rows] = np.arange(n)
    result = np.full((len(order_rows), ratio), -1, dtype=np.int64)
    codes = np.zeros(n, dtype=np.int64) if exact_codes is None else exact_codes
    limit = np.inf if caliper is None else float(caliper)
    control_sorted = sorted_rows[(~is_treated[sorted_rows]) & eligible[sorted_rows]]
    for code in np.unique(codes[order_rows]):
        in_group = codes[order_rows] == code
        t_idx = np.flatnonzero(in_group)
        controls = control_sorted[codes[control_sorted] == code]
        if len(controls) == 0:
            continue
        fill = _with_replacement if replace else _without_replacement
        result[t_idx] = fill(score, position, order_rows[t_idx], controls, ratio, limit)
    return result


def _with_replacement(score, position, treated_rows, controls, ratio, limit):
    m = len(controls)
    c_pos = position[controls]
    c_score = score[controls]
    t_pos = position[treated_rows]
    t_score = score[treated_rows]
    split = np.searchsorted(c_pos, t_pos)  # controls left of each treated unit in the sorted order
    steps = np.arange(ratio)
    left = split[:, None] - 1 - steps[None, :]
    right = split[:, None] + steps[None, :]
    cand = np.concatenate([left, right], axis=1)
    valid = (cand >= 0) & (cand < m)
    safe = np.clip(cand, 0, m - 1)
    dist = np.abs(t_score[:, None] - c_score[safe])
    pos_dist = np.abs(c_pos[safe] - t_pos[:, None])
    side = np.concatenate([np.zeros_like(left), np.ones_like(right)], axis=1)
    valid &= dist <= limit
    dist = np.where(valid, dist, np.inf)
    # MatchIt's walk: nearest first; at equal distance the one fewer positions away, left before right
    order = np.lexsort(np.stack([side, pos_dist, dist]), axis=-1)
    chosen = np.take_along_axis(safe, order, axis=1)[:, :ratio]
    ok = np.take_along_axis(valid, order, axis=1)[:, :ratio]
    return np.where(ok, controls[chosen], -1)


def _without_replacement(score, position, treated_rows, controls, ratio, limit):
    m = len(controls)
    # numpy arrays indexed from Python: only the neighbourhood of each treated unit is ever touched,
    # so converting millions of controls to lists would cost more than it saves
    c_pos = position[controls]
    c_score = score[controls]
    t_pos = position[treated_rows]
    splits = np.searchsorted(c_pos, t_pos).tolist()
    t_pos = t_pos.tolist()
    t_score = score[treated_rows].tolist()
    # left[i + 1] -> (shifted) index of the nearest available control at or left of control i; 0 = none.
    # right[i] -> nearest available control at or right of control i; m = none.
    left = np.arange(m + 1)
    right = np.arange(m + 1)
    out = np.full((len(treated_rows), ratio), -1, dtype=np.int64)
    active = list(range(len(treated_rows)))
    for round_ in range(ratio):
        still = []
        for k in active:
            split = splits[k]
            ts = t_score[k]
            li = _find(left, split) - 1
            ri = _find(right, split)
            if ri >= m:
                if li < 0:
                    continue
                j, dj = li, abs(ts - float(c_score[li]))
            elif li < 0:
                j, dj = ri, abs(ts - float(c_score[ri]))
            else:
                dl = abs(ts - float(c_score[li]))
                dr = abs(ts - float(c_score[ri]))
                if dl < dr or (dl == dr and t_pos[k] - int(c_pos[li]) <= int(c_pos[ri]) - t_pos[k]):
                    j, dj = li, dl
                else:
                    j, dj = ri, dr
            if dj > limit:
                continue
            out[k, round_] = j
            left[j + 1] = j
            right[j] = j + 1
            still.append(k)
        active = still
    return np.where(out >= 0, controls[np.clip(out, 0, m - 1)], -1)


def match_on_mahalanobis(
    transformed: np.ndarray,
    score: np.ndarray | None,
    is_treated: np.ndarray,
    eligible: np.ndarray,
    order_rows: np.ndarray,
    *,
    ratio: int,
    replace: bool,
    caliper: float | None,
    exact_codes: np.ndarray | None,
) -> np.ndarray:
    """Greedy matching on Mahalanobis distance, optionally only among controls within a score caliper.

    Among controls at exactly the same smallest distance MatchIt keeps the one its alternating walk
    (outward from the treated unit in the stable order of the first transformed column) reaches last.
    """
    n = transformed.shape[0]
    first = transformed[:, 0]
    position = np.empty(n, dtype=np.int64)
    position[np.argsort(first, kind="stable")] = np.arange(n) + 1  # 1-based, as the walk is described
    available = (~is_treated) & eligible
    codes = np.zeros(n, dtype=np.int64) if exact_codes is None else exact_codes
    use_window = caliper is not None and score is not None
    if caliper is not None and score is not None:
        window_score, window_caliper = score, caliper
        ctrl_sorted = np.flatnonzero(available)[np.argsort(score[available], kind="stable")]
        ctrl_score = score[ctrl_sorted]
        slack = 4 * np.finfo(float).eps * max(1.0, float(np.abs(score).max()))
    result = np.full((len(order_rows), ratio), -1, dtype=np.int64)
    active = list(range(len(order_rows)))
    for round_ in range(ratio):
        still = []
        for k in active:
            t = order_rows[k]
            if use_window:
                lo = np.searchsorted(ctrl_score, window_score[t] - window_caliper - slack, side="left")
                hi = np.searchsorted(ctrl_score, window_score[t] + window_caliper + slack, side="right")
                cand = ctrl_sorted[lo:hi]
                cand = cand[available[cand] & (np.abs(window_score[cand] - window_score[t]) <= window_caliper)]
            else:
                cand = np.flatnonzero(available)
            if exact_codes is not None:
                cand = cand[codes[cand] == codes[t]]
            if replace and round_:
                cand = cand[~np.isin(cand, result[k, :round_])]
            if len(cand) == 0:
                continue
            diff = transformed[cand] - transformed[t]
            dsq = diff[:, 0] * diff[:, 0]
            for col in range(1, diff.shape[1]):
                dsq = dsq + diff[:, col] * diff[:, col]
            tied = cand[dsq == dsq.min()]
            if len(tied) > 1:
                p = position[t]
                step = position[tied] - p
                walk = np.where(step < 0, -step + np.minimum(-step - 1, n - p), step + np.minimum(step, p - 1))
                j = tied[np.argmax(walk)]
            else:
                j = tied[0]
            result[k, round_] = j
            if not replace:
                available[j] = False
            still.append(k)
        active = still
    return result
