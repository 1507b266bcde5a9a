"""Statistical disclosure control and rounding, applied before anything leaves the library.

- counts from 1 to 4 are shown as "<5" (primary suppression);
- where suppressed cells add up with shown cells to a shown total, the next
  smallest cell is suppressed too (secondary suppression), so the total cannot
  give the hidden count away;
- in a flow of nested counts (referred, started, completed ...) a drop of 1 to
  4 people between two stages would reveal a small group: the later count is
  suppressed, or the earlier one when the later is published elsewhere in the
  same evaluation (a count is either hidden everywhere it can be read or shown:
  a suppression another published figure undoes is not applied);
- a rate or mean built on a suppressed count is suppressed;
- rounding as the Justice Data Lab rounds: rates to whole per cent,
  frequencies to 2 decimal places, days to whole days.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

SMALL = "<5"
SUPPRESSED = "suppressed"
MIN_SHOWN = 5


def is_small(n) -> bool:
    """True for a count from 1 to 4 (zero is not disclosive)."""
    try:
        value = float(n)
    except (TypeError, ValueError):
        return False
    return not np.isnan(value) and 0 < value < MIN_SHOWN


def count(n) -> object:
    """One count as shown: an int, or "<5" for 1 to 4."""
    if n is None or (isinstance(n, float) and np.isnan(n)):
        return None
    return SMALL if is_small(n) else int(round(float(n)))


def protect_parts(parts: pd.Series, total: float | None = None) -> pd.Series:
    """Counts that add up to a shown ``total`` (categories of one group), primary and secondary suppressed.

    If exactly one cell is hidden and the total is shown, the smallest other
    non-zero cell is hidden too.
    """
    values = pd.to_numeric(parts, errors="coerce")
    hidden = values.map(is_small).astype(bool)
    if total is not None and hidden.sum() == 1:
        others = values[~hidden & (values > 0)]
        if len(others):
            hidden[others.idxmin()] = True
    return pd.Series(
        [SMALL if h and is_small(v) else SUPPRESSED if h else int(v) for v, h in zip(values, hidden)],
        index=parts.index,
        dtype=object,
        name=parts.name,
    )


def protect_flow(counts: pd.Series, published: Iterable[float] = ()) -> pd.Series:
    """Nested counts in order (each a subset of an earlier one): small counts and small differences hidden.

    A shown count whose difference from any earlier shown count is 1 to 4 would reveal a
    small group (comparing with every earlier count, not only the one before, since the
    stages need not be a single chain). One of the two is then hidden: the later one,
    unless its value is ``published`` elsewhere in the same evaluation (for the cohort flow,
    the group's counts in the results table) -- hiding it there would protect nobody and
    hide the count readers most need -- in which case the earlier one is hidden instead.
    When both are published elsewhere the difference is public whatever this table does,
    so both are shown: a suppression another published figure undoes is not applied.
    """
    values = pd.to_numeric(counts, errors="coerce").to_numpy(dtype=float)
    pinned = {float(v) for v in published if v is not None and not (isinstance(v, float) and np.isnan(v))}
    hidden = [bool(np.isnan(v) or is_small(v)) for v in values]
    suppressed = [False] * len(values)
    accepted: set[tuple[int, int]] = set()
    changed = True
    while changed:
        changed = False
        for i, later in enumerate(values):
            if hidden[i]:
                continue
            for j in range(i):
                if hidden[j] or (j, i) in accepted or not is_small(values[j] - later):
                    continue
                if later not in pinned:
                    hidden[i] = suppressed[i] = True
                elif values[j] not in pinned:
                    hidden[j] = suppressed[j] = True
                else:
                    accepted.add((j, i))
                    continue
                changed = True
                break
            if changed:
                break
    shown: list[object] = [
        None if np.isnan(v) else SMALL if is_small(v) else SUPPRESSED if s else int(v)
        for v, s in zip(values, suppressed)
    ]
    return pd.Series(shown, index=counts.index, dtype=object, name=counts.name)


def rate_percent(value: float | None, based_on: float | None = None) -> object:
    """A proportion as a whole percentage; suppressed where its count is 1 to 4."""
    if based_on is not None and is_small(based_on):
        return SUPPRESSED
    if value is None or np.isnan(value):
        return None
    return int(np.floor(value * 100 + 0.5))


def frequency(value: float | None, based_on: float | None = None) -> object:
    """A frequency (per person) to 2 decimal places; suppressed where its count is 1 to 4."""
    if based_on is not None and is_small(based_on):
        return SUPPRESSED
    if value is None or np.isnan(value):
        return None
    return float(np.floor(value * 100 + 0.5) / 100)


def days(value: float | None, based_on: float | None = None) -> object:
    """A number of days, whole; suppressed where its count is 1 to 4."""
    if based_on is not None and is_small(based_on):
        return SUPPRESSED
    if value is None or np.isnan(value):
        return None
    return int(np.floor(value + 0.5))
