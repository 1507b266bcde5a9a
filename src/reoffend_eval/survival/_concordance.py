"""Harrell's concordance of a Cox model as R survival's ``concordancefit`` (timewt = "n").

A pair is comparable when one row has an event at t and the other is at risk at t
(start < t <= stop, same stratum) without an event at t. Concordant: the row with
the event has the larger linear predictor. C = (concordant + tied_x / 2) /
(concordant + discordant + tied_x), pairs weighted by w_i * w_j. The standard error
is R's infinitesimal-jackknife one (``fit$concordance["std"]``).

Counting uses a Fenwick tree over the ranks of (stratum, linear predictor), updated
vectorised per event bin, so the work is O(n log n) with one Python step per bin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._cox_engine import CoxData, argsort_small

DENSE_CELLS = 4_000_000  # below this many (bin x rank) cells, use dense cumulative tables


class _Fenwick:
    """Binary indexed tree over ranks 1..size, updated and queried for many ranks at once."""

    def __init__(self, size: int):
        self.levels = max(int(size).bit_length(), 1)
        self.cap = 1 << self.levels  # updates climb to here at most; queries never read it
        self.tree = np.zeros(self.cap + 1)
        self.total = 0.0

    def add(self, idx: np.ndarray, values: np.ndarray) -> None:
        i = idx.astype(np.int64)
        v = np.asarray(values, dtype=float)
        self.total += float(v.sum())
        for _ in range(self.levels + 1):
            np.add.at(self.tree, i, v)
            nxt = np.minimum(i + (i & -i), self.cap)
            keep = nxt < self.cap
            if not keep.all():
                i, v = nxt[keep], v[keep]
                if i.size == 0:
                    return
            else:
                i = nxt

    def prefix(self, idx: np.ndarray) -> np.ndarray:
        i = idx.astype(np.int64)
        out = np.zeros(i.size)
        for _ in range(self.levels):
            out += self.tree[i]  # tree[0] is always 0
            i = i & (i - 1)
        return out


@dataclass(frozen=True)
class Concordance:
    concordance: float
    std: float
    concordant: float
    discordant: float
    tied_x: float
    tied_y: float
    tied_xy: float


def concordance(d: CoxData, eta: np.ndarray, cluster_codes: np.ndarray | None = None) -> Concordance:
    n = eta.size
    w = d.weights
    # ranks of (stratum, eta); equal eta in a stratum share a rank
    order = np.lexsort((eta, d.strata))
    s_sorted, e_sorted = d.strata[order], eta[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (s_sorted[1:] != s_sorted[:-1]) | (e_sorted[1:] != e_sorted[:-1])
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.cumsum(new)  # 1-based
    m = int(rank.max()) if n else 0
    strat_lo = np.full(int(d.strata.max()) + 1 if n else 1, m + 1, dtype=np.int64)
    strat_hi = np.zeros_like(strat_lo)
    np.minimum.at(strat_lo, d.strata, rank)
    np.maximum.at(strat_hi, d.strata, rank)
    lo, hi = strat_lo[d.strata], strat_hi[d.strata]

    one_stratum = strat_lo.size == 1

    def bounds(tree, rows):
        """Tree weight below the row's stratum and up to its top (the whole tree with one stratum)."""
        if one_stratum:
            return 0.0, tree.total
        return tree.prefix(lo[rows] - 1), tree.prefix(hi[rows])

    ev = d.event
    k_bins = d.n_bins
    dead_idx = np.flatnonzero(ev)
    dead_bin = d.bin_event[dead_idx]
    ever = d.bin_stop > d.bin_start  # at risk in at least one bin

    # tied events among themselves (same bin): pairs i<j counted once; per-row sums both ways
    key = dead_bin.astype(np.int64) * (m + 2) + rank[dead_idx]
    so = np.argsort(key, kind="stable")
    ks, ws = key[so], w[dead_idx][so]
    cw = np.concatenate([[0.0], np.cumsum(ws)])
    bin_lo = dead_bin[so].astype(np.int64) * (m + 2)
    below = cw[np.searchsorted(ks, ks, "left")] - cw[np.searchsorted(ks, bin_lo, "left")]
    same = cw[np.searchsorted(ks, ks, "right")] - cw[np.searchsorted(ks, ks, "left")] - ws
    above = cw[np.searchsorted(ks, bin_lo + m + 2, "left")] - cw[np.searchsorted(ks, ks, "right")]
    dead_below, dead_same, dead_above = (np.empty_like(below) for _ in range(3))
    dead_below[so], dead_same[so], dead_above[so] = below, same, above
    wd = w[dead_idx]
    tied_xy_total = max(0.0, 0.5 * float(np.sum(wd * dead_same)))
    # R's tied.y excludes pairs also tied on x (those are tied.xy)
    tied_y_total = 0.5 * float(np.sum(wd * (dead_below + dead_above)))

    q_stop = np.where(ev, d.bin_stop - 2, d.bin_stop - 1)  # an event row does not compare with its own time
    compares = np.where(ev, d.bin_stop - 1 > d.bin_start, ever)
    q_stop = np.where(compares, q_stop, -1)
    q_start = np.where(compares, d.bin_start - 1, -1)
    if (k_bins + 1) * (m + 1) <= DENSE_CELLS:
        # small data: cumulative (bin x rank) tables instead of a tree walked bin by bin
        rows_at = np.flatnonzero(ever)
        table = np.zeros((k_bins + 1, m + 1))
        np.add.at(table, (d.bin_start[rows_at], rank[rows_at]), w[rows_at])
        np.add.at(table, (d.bin_stop[rows_at], rank[rows_at]), -w[rows_at])
        table = np.cumsum(np.cumsum(table, axis=0), axis=1)  # [k, r]: at risk in bin k with rank <= r
        kb = dead_bin
        rk = rank[dead_idx]
        p_lo = table[kb, lo[dead_idx] - 1]
        p_below = table[kb, rk - 1]
        p_at = table[kb, rk]
        p_hi = table[kb, hi[dead_idx]]
        infl_c = np.zeros(n)
        infl_d = np.zeros(n)
        infl_t = np.zeros(n)
        infl_c[dead_idx] = p_below - p_lo - dead_below
        infl_t[dead_idx] = p_at - p_below - dead_same - wd
        infl_d[dead_idx] = p_hi - p_at - dead_above
        deaths = np.zeros((k_bins + 1, m + 1))
        np.add.at(deaths, (dead_bin + 1, rank[dead_idx]), wd)
        deaths = np.cumsum(np.cumsum(deaths, axis=0), axis=1)  # [k+1, r]: events in bins <= k, rank <= r

        def counts(q):
            row = q + 1
            return (deaths[row, lo - 1], deaths[row, rank - 1], deaths[row, rank], deaths[row, hi])

        s_lo, s_below, s_at, s_hi = counts(q_stop)
        b_lo, b_below, b_at, b_hi = counts(q_start)
        comp_d = (s_below - s_lo) - (b_below - b_lo)
        comp_t = (s_at - s_below) - (b_at - b_below)
        comp_c = (s_hi - s_at) - (b_hi - b_at)
        conc = float(np.sum(w * infl_c))
        disc = float(np.sum(w * infl_d))
        tied_x = float(np.sum(w * infl_t))
    else:
        # pass 1: each event row against everyone at risk at its time
        infl_c = np.zeros(n)
        infl_d = np.zeros(n)
        infl_t = np.zeros(n)
        tree = _Fenwick(m)
        add_at = np.where(ever, d.bin_stop - 1, -1)
        rem_at = np.where(ever, d.bin_start - 1, -1)
        add_order = argsort_small(add_at)
        add_sorted = add_at[add_order]
        rem_order = argsort_small(rem_at)
        rem_sorted = rem_at[rem_order]
        dead_order = argsort_small(dead_bin)
        dead_sorted_bin = dead_bin[dead_order]
        grid = np.arange(k_bins + 1)
        add_b = np.searchsorted(add_sorted, grid)
        rem_b = np.searchsorted(rem_sorted, grid)
        dead_b = np.searchsorted(dead_sorted_bin, grid)
        for k in range(k_bins - 1, -1, -1):
            a0, a1 = add_b[k], add_b[k + 1]
            if a1 > a0:
                rows = add_order[a0:a1]
                tree.add(rank[rows], w[rows])
            r0_, r1_ = rem_b[k], rem_b[k + 1]
            if r1_ > r0_:
                rows = rem_order[r0_:r1_]
                tree.add(rank[rows], -w[rows])
            d0, d1 = dead_b[k], dead_b[k + 1]
            if d1 == d0:
                continue
            pos = dead_order[d0:d1]
            rows = dead_idx[pos]
            rk = rank[rows]
            p_lo, p_hi = bounds(tree, rows)
            p_below = tree.prefix(rk - 1)
            p_at = tree.prefix(rk)
            infl_c[rows] = p_below - p_lo - dead_below[pos]
            infl_t[rows] = p_at - p_below - dead_same[pos] - w[rows]
            infl_d[rows] = p_hi - p_at - dead_above[pos]
        conc = float(np.sum(w * infl_c))
        disc = float(np.sum(w * infl_d))
        tied_x = float(np.sum(w * infl_t))

        # pass 2: each row as the comparator of the events it was at risk for
        tree = _Fenwick(m)
        qs_order = argsort_small(q_stop)
        qs_sorted = q_stop[qs_order]
        qb_order = argsort_small(q_start)
        qb_sorted = q_start[qb_order]
        comp_c = np.zeros(n)  # events with larger eta than this row (concordant pairs)
        comp_d = np.zeros(n)
        comp_t = np.zeros(n)

        def query(rows, sign):
            rk = rank[rows]
            p_lo, p_hi = bounds(tree, rows)
            p_below = tree.prefix(rk - 1)
            p_at = tree.prefix(rk)
            comp_d[rows] += sign * (p_below - p_lo)
            comp_t[rows] += sign * (p_at - p_below)
            comp_c[rows] += sign * (p_hi - p_at)

        qs_b = np.searchsorted(qs_sorted, grid)
        qb_b = np.searchsorted(qb_sorted, grid)
        for k in range(k_bins):
            d0, d1 = dead_b[k], dead_b[k + 1]
            if d1 > d0:
                rows = dead_idx[dead_order[d0:d1]]
                tree.add(rank[rows], w[rows])
            a0, a1 = qs_b[k], qs_b[k + 1]
            if a1 > a0:
                query(qs_order[a0:a1], 1.0)
            b0, b1 = qb_b[k], qb_b[k + 1]
            if b1 > b0:
                query(qb_order[b0:b1], -1.0)

    inf_c = infl_c + comp_c
    inf_d = infl_d + comp_d
    inf_t = infl_t + comp_t
    npair = conc + disc + tied_x
    if npair <= 0:
        return Concordance(float("nan"), float("nan"), conc, disc, tied_x, tied_y_total, tied_xy_total)
    somer = (conc - disc) / npair
    dfbeta = w * ((inf_c - inf_d) / npair - (somer / npair) * (inf_c + inf_d + inf_t))
    if cluster_codes is not None:
        dfbeta = np.bincount(cluster_codes, weights=dfbeta)
    var = float(np.sum(dfbeta**2)) / 4
    return Concordance((somer + 1) / 2, var**0.5, conc, disc, tied_x, tied_y_total, tied_xy_total)
