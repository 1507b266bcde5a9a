"""Sample sizes and minimum detectable effects at 80% power, 5% two-sided (normal approximations).

These are the rough numbers a commissioner needs ("about N more people"), not a
design calculation: they ignore the design effect of matching.
"""

from __future__ import annotations

import math

from scipy import stats

ALPHA = 0.05
POWER = 0.80


def _z() -> float:
    return stats.norm.ppf(1 - ALPHA / 2) + stats.norm.ppf(POWER)


def n_per_group_proportions(p0: float, p1: float) -> float:
    """People per group to tell proportion ``p1`` from ``p0`` (two independent groups)."""
    delta = abs(p1 - p0)
    if delta == 0:
        return math.inf
    return _z() ** 2 * (p0 * (1 - p0) + p1 * (1 - p1)) / delta**2


def n_one_sample_proportion(p0: float, p1: float) -> float:
    """People to tell a group's proportion ``p1`` from a fixed benchmark ``p0``."""
    delta = abs(p1 - p0)
    if delta == 0:
        return math.inf
    return _z() ** 2 * p1 * (1 - p1) / delta**2


def mde_proportions(p0: float, n1: float, n2: float | None = None) -> float:
    """Smallest difference in proportions (absolute) detectable with n1 and n2 people (n2=None: benchmark)."""
    if n1 <= 0:
        return math.inf
    variance = p0 * (1 - p0) * (1 / n1 + (1 / n2 if n2 else 0))
    return _z() * math.sqrt(variance)


def events_for_hazard_ratio(hr: float, share_treated: float = 0.5) -> float:
    """Events needed to detect hazard ratio ``hr`` (Schoenfeld)."""
    if hr <= 0 or hr == 1:
        return math.inf
    return _z() ** 2 / (share_treated * (1 - share_treated) * math.log(hr) ** 2)


def n_per_group_rates(mean0: float, ratio: float) -> float:
    """People per group to detect rate ratio ``ratio`` when the comparator averages ``mean0`` events (Poisson)."""
    if ratio <= 0 or ratio == 1 or mean0 <= 0:
        return math.inf
    return _z() ** 2 * (1 / mean0 + 1 / (mean0 * ratio)) / math.log(ratio) ** 2
