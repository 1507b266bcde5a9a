"""The commonest row expectations, computed as Great Expectations' pandas engine computes them, without GX.

GX spends most of its time on 10 million rows copying: every expectation gets its own copy of the
frame, filtered by a boolean mask, before the one comparison that matters. For the expectation
types and arguments below, this module applies the very pandas operation GX's metric applies
(``column.isin(value_set)``, ``min_value <= column``, ``column_A >= column_B``,
``~column.duplicated(keep=False)``, ``column.isnull()``) to the same rows GX would look at (nulls
set aside where GX sets them aside, ``ignore_row_if`` as GX reads it), straight on the frame.
Anything else - another type, ``mostly``, a row condition, a bound of another kind, a
parameter that is not given - returns ``None`` and is left to GX, so a rule added to a suite is
always checked, by this path or by GX. ``tests/validate/test_native.py`` holds the two paths
to the same answers.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Callable

import numpy as np
import pandas as pd

from .suites import Rule

_PAIR_DOMAIN = ("either_value_is_missing", "both_values_are_missing", "neither")


def failing_rows(frame: pd.DataFrame, rule: Rule, parameters: dict) -> np.ndarray | None:
    """The index values (source row numbers) of the rows failing ``rule``; ``None``: leave it to GX."""
    kwargs = {}
    for key, value in rule.kwargs.items():
        if isinstance(value, dict):
            if set(value) != {"$PARAMETER"} or value["$PARAMETER"] not in parameters:
                return None
            value = parameters[value["$PARAMETER"]]
        kwargs[key] = value
    handler = _HANDLERS.get(rule.type)
    if handler is None or not set(kwargs) <= _ALLOWED[rule.type] or not set(rule.columns) <= set(frame.columns):
        return None
    try:
        mask = handler(frame, **kwargs)
    except (TypeError, ValueError):
        return None  # GX raises on these too, with its own message: let it
    if mask is None:
        return None
    return frame.index[np.asarray(mask, dtype=bool)].to_numpy(dtype="int64")


def _not_null(frame, *, column):
    return frame[column].isnull().to_numpy()


def _null(frame, *, column):
    return (~frame[column].isnull()).to_numpy()


def _in_set(frame, *, column, value_set):
    if not isinstance(value_set, (list, tuple, set)):
        return None
    values = frame[column]
    present = values.notnull().to_numpy()
    return _on_present(present, lambda v: ~np.asarray(v.isin(value_set), dtype=bool), values)


def _on_present(present: np.ndarray, fails, *columns: pd.Series) -> np.ndarray:
    """``fails`` on the rows where ``present`` (the rows GX looks at), False elsewhere. ``fails`` is
    row by row here (a comparison, ``isin``), so it runs on whole columns and is masked after: the
    same answer on those rows without copying them out first."""
    return present & np.asarray(fails(*columns), dtype=bool)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _between(frame, *, column, min_value=None, max_value=None, strict_min=None, strict_max=None):
    values = frame[column]
    bounds = [b for b in (min_value, max_value) if b is not None]
    if not bounds:
        return None
    if values.dtype in (np.dtype("int64"), np.dtype("float64")):
        if not all(_is_number(b) for b in bounds):
            return None
    elif values.dtype == np.dtype("datetime64[ns]"):
        if not all(isinstance(b, (pd.Timestamp, dt.datetime)) and getattr(b, "tzinfo", None) is None for b in bounds):
            return None
    else:
        return None  # GX compares value by value here: leave it to GX
    if min_value is not None and max_value is not None and min_value > max_value:
        return None

    def fails(v):
        if min_value is None:
            ok = v < max_value if strict_max else v <= max_value
        elif max_value is None:
            ok = min_value < v if strict_min else min_value <= v
        else:
            low = min_value < v if strict_min else min_value <= v
            high = v < max_value if strict_max else v <= max_value
            ok = low & high
        return ~np.asarray(ok, dtype=bool)

    return _on_present(values.notnull().to_numpy(), fails, values)


def _a_greater_than_b(frame, *, column_A, column_B, ignore_row_if, or_equal=None):
    if ignore_row_if not in _PAIR_DOMAIN:
        return None
    a, b = frame[column_A], frame[column_B]
    if ignore_row_if == "either_value_is_missing":
        domain = (a.notnull() & b.notnull()).to_numpy()
    elif ignore_row_if == "both_values_are_missing":
        domain = (a.notnull() | b.notnull()).to_numpy()
    else:
        domain = np.ones(len(a), dtype=bool)
    return _on_present(domain, lambda x, y: ~np.asarray(x >= y if or_equal else x > y, dtype=bool), a, b)


def _unique(frame, *, column):
    values = frame[column]
    present = values.notnull().to_numpy()
    # not row by row: which rows repeat depends on the rows looked at, so only those present
    out = np.zeros(len(values), dtype=bool)
    out[present] = np.asarray(values[present].duplicated(keep=False), dtype=bool)
    return out


_HANDLERS: dict[str, Callable[..., np.ndarray | None]] = {
    "expect_column_values_to_not_be_null": _not_null,
    "expect_column_values_to_be_null": _null,
    "expect_column_values_to_be_in_set": _in_set,
    "expect_column_values_to_be_between": _between,
    "expect_column_pair_values_a_to_be_greater_than_b": _a_greater_than_b,
    "expect_column_values_to_be_unique": _unique,
}
_ALLOWED = {
    "expect_column_values_to_not_be_null": {"column"},
    "expect_column_values_to_be_null": {"column"},
    "expect_column_values_to_be_in_set": {"column", "value_set"},
    "expect_column_values_to_be_between": {"column", "min_value", "max_value", "strict_min", "strict_max"},
    "expect_column_pair_values_a_to_be_greater_than_b": {"column_A", "column_B", "or_equal", "ignore_row_if"},
    "expect_column_values_to_be_unique": {"column"},
}
