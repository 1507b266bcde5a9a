"""Cox partial-likelihood engine shared by ``cox``, ``andersen_gill``, ``pwp`` and ``fine_gray``.

Reproduces R survival's ``coxph`` (``coxfit6`` / ``agfit4``): Efron or Breslow ties,
case weights, strata, counting-process rows (start, stop] and the Lin–Wei robust
(sandwich) variance from dfbeta score residuals, computed as R does.

Everything is vectorised over *event bins*: the distinct (stratum, event time) pairs.
A row is at risk in bin k when start < t_k <= stop in the same stratum, so its
contributions go in at the bin of its stop time and out at the bin of its start time,
and a reverse cumulative sum over bins gives the risk-set sums. Efron's tied-event
terms (j/d for j = 0..d-1) reduce to five per-bin scalars (sums of 1/D, f/D, 1/D²,
f/D², f²/D² over the d terms), so no per-event matrices are ever formed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CoxData:
    """Sorted-free, validated model input (all float64 / int arrays of length n)."""

    x: np.ndarray  # (n, p) covariates, centred
    means: np.ndarray  # (p,) the centring values (weighted means, as coxph)
    stop: np.ndarray
    start: np.ndarray | None
    event: np.ndarray  # bool
    weights: np.ndarray
    strata: np.ndarray  # int codes 0..S-1
    # bins
    n_bins: int
    bin_stop: np.ndarray  # index (+1; 0 = no bin) of the last event bin with time <= stop
    bin_start: np.ndarray  # index (+1) of the last event bin with time <= start (or stratum's floor)
    bin_event: np.ndarray  # for event rows: their bin (0-based), others -1
    bin_time: np.ndarray  # (K,) time of each bin
    bin_stratum: np.ndarray  # (K,) stratum of each bin
    has_entry: bool
    seg_stop: _Segments
    seg_start: _Segments | None  # None when every row enters at its stratum's start
    seg_event: _Segments
    event_wx: np.ndarray  # (K, p) sum of w x over each bin's events (does not depend on beta)


@dataclass(frozen=True)
class _Segments:
    """Rows sorted by a bin index, with [1, x] copied in that order, for per-bin sums.

    Each Newton step needs, per bin, sum v, sum v x and sum v x x' over the bin's rows;
    with the rows sorted these are one small matrix product per bin (or ``reduceat``
    when there are very many bins). A reusable buffer avoids fresh n x p allocations.
    """

    order: np.ndarray
    bins: np.ndarray  # the distinct bin index of each non-empty segment
    starts: np.ndarray  # segment boundaries in the sorted order (len = segments + 1)
    xa: np.ndarray  # [1, x] of the rows in sorted order
    buffer: np.ndarray

    @classmethod
    def build(cls, bin_index: np.ndarray, x: np.ndarray, rows: np.ndarray | None = None) -> _Segments:
        idx = bin_index if rows is None else bin_index[rows]
        order = argsort_small(idx)
        if rows is not None:
            order = rows[order]
        sorted_bins = bin_index[order]
        change = np.flatnonzero(np.diff(sorted_bins)) + 1
        starts = np.concatenate([[0], change, [order.size]]).astype(np.int64)
        bins = sorted_bins[starts[:-1]] if order.size else np.zeros(0, dtype=np.int64)
        xa = np.empty((order.size, x.shape[1] + 1))
        xa[:, 0] = 1.0
        np.take(x, order, axis=0, out=xa[:, 1:])
        return cls(order, bins, starts, xa, np.empty_like(xa))

    def sums(self, row_values: np.ndarray, size: int, second: bool):
        """Per-bin sum of v, v*x and (optionally) v*x*x' for per-row values v."""
        q = self.xa.shape[1]
        p = q - 1
        s0 = np.zeros(size)
        s1 = np.zeros((size, p))
        s2 = np.zeros((size, p, p)) if second else None
        if self.order.size == 0:
            return s0, s1, s2
        v = row_values[self.order]
        buf = self.buffer
        np.multiply(self.xa, v[:, None], out=buf)
        st = self.starts
        if s2 is not None and self.bins.size <= 5000:
            full = np.empty((self.bins.size, q, q))
            for k in range(self.bins.size):
                a, e = st[k], st[k + 1]
                np.dot(self.xa[a:e].T, buf[a:e], out=full[k])
            s0[self.bins] = full[:, 0, 0]
            s1[self.bins] = full[:, 0, 1:]
            s2[self.bins] = full[:, 1:, 1:]
            return s0, s1, s2
        first = np.add.reduceat(buf, st[:-1], axis=0)
        s0[self.bins] = first[:, 0]
        s1[self.bins] = first[:, 1:]
        if s2 is not None:
            for i in range(p):
                prod = self.xa[:, 1 + i :] * buf[:, 1 + i : i + 2]
                block = np.add.reduceat(prod, st[:-1], axis=0)
                s2[self.bins, i, i:] = block
                s2[self.bins, i:, i] = block
        return s0, s1, s2


def argsort_small(a: np.ndarray) -> np.ndarray:
    """Stable argsort; radix sort (O(n)) when the values fit in 16 bits, as bin indices usually do."""
    if a.size and -32768 <= a.min() and a.max() < 32767:
        return a.astype(np.int16).argsort(kind="stable")
    return a.argsort(kind="stable")


def _dense_rank(values: np.ndarray, extra: np.ndarray | None = None):
    """Sorted distinct values of ``values`` (and ``extra``) and the rank of each value.

    Whole-number times in a modest range (days) use a lookup table instead of sorting.
    """
    both = values if extra is None else np.concatenate([values, extra])
    if both.size:
        lo, hi = both.min(), both.max()
        if hi - lo <= 5_000_000 and np.all(both == np.floor(both)):
            offset = both.astype(np.int64) - int(lo)
            present = np.zeros(int(hi - lo) + 1, dtype=bool)
            present[offset] = True
            lookup = np.cumsum(present) - 1
            distinct = np.flatnonzero(present) + lo
            ranks = lookup[offset]
            return distinct.astype(float), ranks[: values.size], (ranks[values.size :] if extra is not None else None)
    distinct, inverse = np.unique(both, return_inverse=True)
    return distinct, inverse[: values.size], (inverse[values.size :] if extra is not None else None)


def prepare(x, stop, event, *, start=None, weights=None, strata=None) -> CoxData:
    """Build the bin structure once; it does not depend on the coefficients."""
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    n = x.shape[0]
    stop = np.asarray(stop, dtype=float)
    event = np.asarray(event).astype(bool)
    weights = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    strata = np.zeros(n, dtype=np.int64) if strata is None else np.asarray(strata, dtype=np.int64)
    has_entry = start is not None
    start_arr = np.asarray(start, dtype=float) if has_entry else None

    # Centre as coxph does (weighted means); the fit is invariant, exp() stays finite.
    means = (weights @ x) / weights.sum() if n else np.zeros(x.shape[1])
    xc = x - means

    # Dense ranks of every time so (stratum, time) becomes one exact integer key.
    all_times, stop_rank, start_rank = _dense_rank(stop, start_arr)
    n_t = all_times.size + 1
    n_strata = int(strata.max()) + 1 if n else 1
    key_stop = strata * n_t + stop_rank
    if n_strata * n_t <= 20_000_000:
        # lookup table over all (stratum, time) keys: bins without any binary search
        is_event_key = np.zeros(n_strata * n_t, dtype=bool)
        is_event_key[key_stop[event]] = True
        event_keys = np.flatnonzero(is_event_key)
        upto = np.cumsum(is_event_key)  # number of event keys <= key
        floor_by_stratum = (
            np.concatenate([[0], upto[np.arange(1, n_strata) * n_t - 1]]) if n_strata > 1 else np.zeros(1, np.int64)
        )
        floor = floor_by_stratum[strata]
        bin_stop = np.maximum(upto[key_stop], floor)
        bin_start = np.maximum(upto[strata * n_t + start_rank], floor) if has_entry else floor
    else:
        event_keys = np.unique(key_stop[event])
        floor = np.searchsorted(event_keys, strata * n_t, side="left")  # first bin of the row's stratum
        bin_stop = np.maximum(np.searchsorted(event_keys, key_stop, side="right"), floor)
        if has_entry:
            bin_start = np.maximum(np.searchsorted(event_keys, strata * n_t + start_rank, side="right"), floor)
        else:
            bin_start = floor
    k = event_keys.size
    bin_time = all_times[event_keys % n_t] if k else np.zeros(0)
    bin_stratum = event_keys // n_t
    bin_event = np.where(event, bin_stop - 1, -1)
    seg_start = None if (not has_entry and not np.any(bin_start)) else _Segments.build(bin_start, xc)
    seg_event = _Segments.build(bin_event, xc, np.flatnonzero(event))
    return CoxData(
        x=xc,
        means=means,
        stop=stop,
        start=start_arr,
        event=event,
        weights=weights,
        strata=strata,
        n_bins=k,
        bin_stop=bin_stop,
        bin_start=bin_start,
        bin_event=bin_event,
        bin_time=bin_time,
        bin_stratum=bin_stratum,
        has_entry=has_entry,
        seg_stop=_Segments.build(bin_stop, xc),
        seg_start=seg_start,
        seg_event=seg_event,
        event_wx=seg_event.sums(weights, k, False)[1],
    )


@dataclass
class BinStats:
    """Per-bin sums at one coefficient vector."""

    wr: np.ndarray  # per row w * exp(eta)
    eta: np.ndarray
    r0: np.ndarray  # (K,)
    r1: np.ndarray  # (K, p)
    e0: np.ndarray
    e1: np.ndarray
    n_dead: np.ndarray  # (K,) counts
    mean_wt: np.ndarray  # (K,) weight per tied-event term
    a: np.ndarray  # sum_j 1/D_j
    b: np.ndarray  # sum_j f_j/D_j
    c: np.ndarray  # sum_j 1/D_j^2
    f: np.ndarray  # sum_j f_j/D_j^2
    g: np.ndarray  # sum_j f_j^2/D_j^2
    log_d: np.ndarray  # sum_j log D_j


def _risk_sums(d: CoxData, wr: np.ndarray, second: bool):
    """Risk-set sums R0 (K,), R1 (K, p), R2 (K, p, p): rows with bin_start < k+1 <= bin_stop."""
    size = d.n_bins + 1
    a0, a1, a2 = d.seg_stop.sums(wr, size, second)
    if d.seg_start is not None:
        b0, b1, b2 = d.seg_start.sums(wr, size, second)
        a0, a1 = a0 - b0, a1 - b1
        if second:
            a2 = a2 - b2
    r0 = np.cumsum(a0[::-1])[::-1][1:]
    r1 = np.cumsum(a1[::-1], axis=0)[::-1][1:]
    r2 = np.cumsum(a2[::-1], axis=0)[::-1][1:] if second else None
    return r0, r1, r2


def bin_stats(d: CoxData, beta: np.ndarray, efron: bool, second: bool = True):
    """Risk-set sums and Efron scalars at ``beta``; with ``second`` also the p x p sums."""
    x, w = d.x, d.weights
    k = d.n_bins
    eta = x @ beta
    wr = w * np.exp(eta)
    r0, r1, r2 = _risk_sums(d, wr, second)
    e0, e1, e2 = d.seg_event.sums(wr, k, second)
    ev = d.event
    be = d.bin_event[ev]
    n_dead = np.bincount(be, minlength=k).astype(float)
    w_dead = np.bincount(be, weights=w[ev], minlength=k)
    mean_wt = w_dead / n_dead

    # One entry per tied-event term: bin, and fraction j/d (0 for Breslow).
    counts = n_dead.astype(np.int64)
    term_bin = np.repeat(np.arange(k), counts)
    first = np.cumsum(counts) - counts
    j = np.arange(term_bin.size) - np.repeat(first, counts)
    frac = j / np.repeat(n_dead, counts) if efron else np.zeros(term_bin.size)
    dd = r0[term_bin] - frac * e0[term_bin]
    inv = 1.0 / dd
    inv2 = inv * inv
    stats = BinStats(
        wr=wr,
        eta=eta,
        r0=r0,
        r1=r1,
        e0=e0,
        e1=e1,
        n_dead=n_dead,
        mean_wt=mean_wt,
        a=np.bincount(term_bin, inv, k),
        b=np.bincount(term_bin, frac * inv, k),
        c=np.bincount(term_bin, inv2, k),
        f=np.bincount(term_bin, frac * inv2, k),
        g=np.bincount(term_bin, frac * frac * inv2, k),
        log_d=np.bincount(term_bin, np.log(dd), k),
    )
    return stats, r2, e2


def per_bin_score_info(s: BinStats, r2, e2, d: CoxData):
    """Score (K, p) and information (K, p, p) contributions of each bin."""
    sx = d.event_wx
    mw = s.mean_wt
    score = sx - mw[:, None] * (s.r1 * s.a[:, None] - s.e1 * s.b[:, None])
    outer_rr = s.r1[:, :, None] * s.r1[:, None, :]
    outer_re = s.r1[:, :, None] * s.e1[:, None, :]
    outer_ee = s.e1[:, :, None] * s.e1[:, None, :]
    info = mw[:, None, None] * (
        r2 * s.a[:, None, None]
        - e2 * s.b[:, None, None]
        - (
            outer_rr * s.c[:, None, None]
            - (outer_re + outer_re.transpose(0, 2, 1)) * s.f[:, None, None]
            + outer_ee * s.g[:, None, None]
        )
    )
    return score, info


def loglik_score_info(d: CoxData, beta: np.ndarray, efron: bool):
    s, r2, e2 = bin_stats(d, beta, efron)
    ev = d.event
    loglik = float(np.sum(d.weights[ev] * s.eta[ev]) - np.sum(s.mean_wt * s.log_d))
    score, info = per_bin_score_info(s, r2, e2, d)
    return loglik, score, info, s


@dataclass(frozen=True)
class EngineFit:
    beta: np.ndarray  # on the original (uncentred) scale; same as centred
    loglik_null: float
    loglik: float
    iterations: int
    converged: bool
    information: np.ndarray
    vcov: np.ndarray  # naive: inverse information
    score_at_null: np.ndarray
    info_at_null: np.ndarray
    bin_score: np.ndarray  # (K, p) per event bin at beta (for cox.zph)
    bin_info: np.ndarray  # (K, p, p)


def fit(d: CoxData, efron: bool = True, *, max_iter: int = 20, eps: float = 1e-9, init=None) -> EngineFit:
    """Newton–Raphson with step halving, as R's ``coxfit6``/``agfit4``.

    Convergence: |1 - loglik_old / loglik_new| <= eps (R's default 1e-9) and not halving.
    """
    p = d.x.shape[1]
    beta = np.zeros(p) if init is None else np.asarray(init, dtype=float).copy()
    ll0, bs, bi, _ = loglik_score_info(d, beta, efron)
    u, imat = bs.sum(axis=0), bi.sum(axis=0)
    ll_null = ll0 if init is None else loglik_score_info(d, np.zeros(p), efron)[0]
    u_null, i_null = u, imat
    if p == 0:
        return EngineFit(beta, ll0, ll0, 0, True, imat, imat, u, imat, bs, bi)
    step = _solve(imat, u)
    newbeta = beta + step
    loglik_old = ll0
    halving = False
    converged = False
    it = 0
    for it in range(1, max_iter + 1):
        newlk, bs, bi, _ = loglik_score_info(d, newbeta, efron)
        u, imat = bs.sum(axis=0), bi.sum(axis=0)
        if abs(1 - loglik_old / newlk) <= eps and not halving:
            converged = True
            beta = newbeta
            loglik_old = newlk
            break
        if it == max_iter:
            break
        if newlk < loglik_old:
            halving = True
            newbeta = (newbeta + beta) / 2
        else:
            halving = False
            loglik_old = newlk
            beta = newbeta
            newbeta = newbeta + _solve(imat, u)
    if not converged:
        # R reports the last accepted point when it runs out of iterations.
        beta = newbeta
        loglik_old, bs, bi, _ = loglik_score_info(d, beta, efron)
        imat = bi.sum(axis=0)
    vcov = _inverse(imat)
    return EngineFit(beta, ll_null, loglik_old, it, converged, imat, vcov, u_null, i_null, bs, bi)


def _solve(imat, u):
    try:
        return np.linalg.solve(imat, u)
    except np.linalg.LinAlgError as exc:
        raise ValueError(
            "the Cox model's information matrix is singular: a covariate is constant or "
            "collinear with others (within strata)"
        ) from exc


def _inverse(imat):
    try:
        return np.linalg.inv(imat)
    except np.linalg.LinAlgError as exc:
        raise ValueError("the Cox model's information matrix is singular") from exc


def score_residuals(d: CoxData, beta: np.ndarray, efron: bool, weighted: bool = False) -> np.ndarray:
    """Per-row score residuals as R's ``residuals(fit, type = "score")`` (times the weights if ``weighted``).

    For Efron ties an event row's own-time term uses the mean of the d tied x-bars and
    its risk weight down-weighted by (1 - j/d) in term j, so that sum_i w_i U_i is the score.
    """
    s, _, _ = bin_stats(d, beta, efron, second=False)
    mw = s.mean_wt
    h = mw * s.a
    hx = mw[:, None] * (s.r1 * s.c[:, None] - s.e1 * s.f[:, None])
    h_own = mw * (s.a - s.b)
    hx_own = mw[:, None] * (s.r1 * (s.c - s.f)[:, None] - s.e1 * (s.f - s.g)[:, None])
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_x = (s.r1 * s.a[:, None] - s.e1 * s.b[:, None]) / s.n_dead[:, None]
    cum_h = np.concatenate([[0.0], np.cumsum(h)])
    cum_hx = np.vstack([np.zeros((1, hx.shape[1])), np.cumsum(hx, axis=0)])
    ev = np.flatnonzero(d.event)
    be = d.bin_event[ev]
    big_h = cum_h[d.bin_stop]
    resid = cum_hx[d.bin_stop]  # becomes the residual, in place
    if d.seg_start is not None:
        big_h -= cum_h[d.bin_start]
        resid -= cum_hx[d.bin_start]
    big_h[ev] += h_own[be] - h[be]
    resid[ev] += hx_own[be] - hx[be]
    # resid = r * (HX - x H), then + (x - mean) at an event
    scale = np.exp(s.eta)
    if weighted:
        scale *= d.weights
    resid -= d.x * big_h[:, None]
    resid *= scale[:, None]
    own = d.x[ev] - mean_x[be]
    resid[ev] += own * d.weights[ev][:, None] if weighted else own
    return resid


def robust_vcov(d: CoxData, beta: np.ndarray, vcov: np.ndarray, efron: bool, cluster_codes=None) -> np.ndarray:
    """Sandwich variance as R's ``coxph(robust = TRUE)`` / ``cluster()``: D'D with D = dfbeta summed by cluster."""
    u = score_residuals(d, beta, efron, weighted=True)
    if cluster_codes is not None:
        n_cl = int(cluster_codes.max()) + 1 if cluster_codes.size else 0
        u = np.column_stack([np.bincount(cluster_codes, weights=u[:, j], minlength=n_cl) for j in range(u.shape[1])])
    dfb = u @ vcov
    return dfb.T @ dfb


def baseline_cumhaz(d: CoxData, beta: np.ndarray, efron: bool):
    """Cumulative baseline hazard at covariates 0 (``basehaz(fit, centered = FALSE)``), per bin."""
    s, _, _ = bin_stats(d, beta, efron, second=False)
    h = s.mean_wt * s.a * np.exp(-(d.means @ beta))
    out = np.empty_like(h)
    for st in np.unique(d.bin_stratum):
        m = d.bin_stratum == st
        out[m] = np.cumsum(h[m])
    return d.bin_time, d.bin_stratum, out
