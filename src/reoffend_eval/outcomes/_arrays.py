"""Small vectorised helpers: dates as whole days, person codes, per-person reductions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Sentinel for a missing day (NaT) in int64 day arrays.
NA_DAY = np.iinfo(np.int64).min
#: A day later than any real one, for "never" (no death, custody still going on).
NEVER = np.int64(10**9)


def days(values: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 as int64; ``NA_DAY`` where the date is missing."""
    if not pd.api.types.is_datetime64_any_dtype(values.dtype):
        values = pd.to_datetime(values.astype(object), errors="coerce")
    if getattr(values.dtype, "tz", None) is not None:
        values = values.dt.tz_localize(None)
    return values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def day_of(stamp: pd.Timestamp) -> int:
    return int(np.datetime64(stamp.normalize().to_datetime64(), "D").astype(np.int64))


def to_dates(day_array: np.ndarray) -> np.ndarray:
    """int64 days back to datetime64[ns] (NaT for ``NA_DAY``)."""
    out = day_array.astype("datetime64[D]").astype("datetime64[ns]")
    out[day_array == NA_DAY] = np.datetime64("NaT")
    return out


def _arrow_strings(ids: pd.Series) -> pa.Array:
    if not isinstance(ids.dtype, pd.StringDtype) or ids.dtype.storage != "pyarrow":
        ids = ids.astype(object).map(lambda v: None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))
        ids = ids.astype(pd.StringDtype("pyarrow"))
    arr = pa.array(ids)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def person_codes(ids: pd.Series, lookup: pa.Array) -> np.ndarray:
    """Position of each id in ``lookup`` (int64), -1 for ids not in it or missing."""
    found = pc.index_in(_arrow_strings(ids), value_set=lookup)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def id_lookup(ids: pd.Series) -> pa.Array:
    return _arrow_strings(ids)


def group_min(codes: np.ndarray, values: np.ndarray, n: int, empty: int | np.integer) -> np.ndarray:
    """Minimum of ``values`` per code 0..n-1 (``empty`` where a code has none)."""
    out = np.full(n, empty, dtype=np.int64)
    if len(codes):
        np.minimum.at(out, codes, values)
    return out


def group_count(codes: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(codes, minlength=n).astype(np.int64)


def merge_intervals(codes: np.ndarray, lo: np.ndarray, hi: np.ndarray):
    """Union of half-open day intervals (lo, hi] per person; returns sorted (codes, lo, hi).

    Intervals with ``hi <= lo`` are dropped. Overlapping or touching intervals of the
    same person merge into one.
    """
    keep = hi > lo
    codes, lo, hi = codes[keep], lo[keep], hi[keep]
    if not len(codes):
        return codes, lo, hi
    order = np.lexsort((lo, codes))
    codes, lo, hi = codes[order], lo[order], hi[order]
    # running max of hi within person: offset each person's values so one accumulate works
    base = hi.min()
    span = np.int64(hi.max() - base + 1)
    running = np.maximum.accumulate(codes * span + (hi - base))
    prev_max = np.empty_like(running)
    prev_max[0] = -1
    prev_max[1:] = running[:-1]
    same_person = np.zeros(len(codes), dtype=bool)
    same_person[1:] = codes[1:] == codes[:-1]
    prev_hi = prev_max - codes * span + base
    new_block = ~same_person | (lo > prev_hi)
    starts = np.flatnonzero(new_block)
    return codes[starts], lo[starts], np.maximum.reduceat(hi, starts)


def is_in(values: pd.Series, wanted) -> np.ndarray:
    """Boolean array: value is one of ``wanted`` (works on the category codes when it can)."""
    wanted = list(wanted)
    if isinstance(values.dtype, pd.CategoricalDtype):
        positions = [i for i, c in enumerate(values.cat.categories) if c in wanted]
        return np.isin(values.cat.codes.to_numpy(), np.asarray(positions, dtype=np.int64))
    return values.isin(wanted).fillna(False).to_numpy(dtype=bool)


def string_codes(values: pd.Series) -> np.ndarray:
    """An int64 code per distinct string (-1 where missing), computed in Arrow."""
    encoded = pc.dictionary_encode(_arrow_strings(values))
    return encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
