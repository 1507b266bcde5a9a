"""Vectorised sampling helpers: events per person, codes from probability tables, per-person sums."""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

DAYS_PER_YEAR = 365.25


def codes_given(rng: np.random.Generator, table: np.ndarray, given: np.ndarray) -> np.ndarray:
    """A code for each element of ``given``, drawn from row ``given`` of the probability ``table``.

    One ``searchsorted`` over the rows' cumulative probabilities laid end to
    end (row g shifted by g), so any number of rows costs one pass.
    """
    rows, k = table.shape
    cumulative = np.cumsum(table, axis=1)[:, :-1]
    flat = (cumulative + np.arange(rows)[:, None]).reshape(-1)
    given = np.asarray(given, dtype=np.int64)
    found = np.searchsorted(flat, given + rng.random(given.size), side="left")
    return np.clip(found - given * (k - 1), 0, k - 1).astype(np.int8)


def codes(rng: np.random.Generator, shares, size: int) -> np.ndarray:
    """``size`` codes 0..k-1 drawn with probabilities ``shares``."""
    shares = np.asarray(shares, dtype=float)
    return rng.choice(len(shares), size=size, p=shares / shares.sum()).astype(np.int8)


def events_after(rng: np.random.Generator, rate_per_year: np.ndarray, length_days: np.ndarray):
    """A Poisson process per person on days 1..length: (owner, day), sorted by owner then day.

    Event times are continuous and rounded up to whole days, so no event falls
    on day 0 (the index date itself).
    """
    expected = rate_per_year * length_days / DAYS_PER_YEAR
    counts = rng.poisson(expected)
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    day = np.maximum(np.ceil(rng.random(owner.size) * length_days[owner]), 1).astype(np.int32)
    key = np.sort((owner << 32) | day.astype(np.int64))
    return key >> 32, (key & 0xFFFFFFFF).astype(np.int32)


def owner_day_order(owner: np.ndarray, day: np.ndarray, tie: np.ndarray | None = None) -> np.ndarray:
    """Indices sorting rows by owner, then day (days may be negative), then ``tie`` (0..3)."""
    key = (np.asarray(owner, dtype=np.int64) << 34) + ((np.asarray(day, dtype=np.int64) + (1 << 31)) << 2)
    if tie is not None:
        key += np.asarray(tie, dtype=np.int64)
    return np.argsort(key, kind="stable")


def first_per_person(owner: np.ndarray, day: np.ndarray, n: int, fill: int) -> np.ndarray:
    """Smallest ``day`` per owner (``fill`` where the owner has none)."""
    out = np.full(n, fill, dtype=np.int64)
    np.minimum.at(out, owner, day)
    return out


def rank_within_owner(owner: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal ``owner`` values (rows sorted by owner)."""
    if owner.size == 0:
        return np.zeros(0, dtype=np.int64)
    position = np.arange(owner.size)
    starts = np.r_[0, np.flatnonzero(owner[1:] != owner[:-1]) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, owner.size]))
    return position - run_start


def cumsum_within_owner(owner: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Running sum of ``values`` within each run of equal ``owner`` (rows sorted by owner)."""
    total = np.cumsum(values)
    if owner.size == 0:
        return total
    starts = np.r_[0, np.flatnonzero(owner[1:] != owner[:-1]) + 1]
    before = np.r_[0, total[:-1]][starts]
    return total - np.repeat(before, np.diff(np.r_[starts, owner.size]))


def lognormal_days(rng: np.random.Generator, median: float, sigma: float, size: int) -> np.ndarray:
    """Whole days (at least 1) from a lognormal with this median and log-sd."""
    return np.maximum(np.ceil(median * np.exp(sigma * rng.standard_normal(size))), 1).astype(np.int32)


def lognormal_cdf(days, median: float, sigma: float) -> np.ndarray:
    """P(lognormal delay <= days); 0 for days <= 0."""
    days = np.asarray(days, dtype=float)
    with np.errstate(divide="ignore"):
        z = (np.log(np.where(days > 0, days, 1e-300)) - np.log(median)) / sigma
    return np.where(days > 0, ndtr(z), 0.0)


def in_spell(owner: np.ndarray, day: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Whether ``day`` lies in its owner's spell [start, end] (spells with start > end are none)."""
    return (day >= start[owner]) & (day <= end[owner])
