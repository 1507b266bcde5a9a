"""Typed columns and tables, exactly as ``reoffend_eval.data.load`` types them.

Identifiers and text are ``string[pyarrow]``, dates ``datetime64[ns]`` at
midnight, codes pandas Categoricals with the contract's categories in contract
order, booleans ``boolean``; each table's index is a RangeIndex from 1 named
``row``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..data.contract import TABLES

_FOUR_DIGITS = np.frombuffer("".join(f"{i:04d}" for i in range(10_000)).encode("ascii"), dtype=np.uint32)


def id_strings(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` (1-3 characters) + ``numbers`` zero-padded to at least ``width`` digits, as an
    Arrow large_string array; the total length is rounded up to a multiple of 4.

    Built straight into Arrow's buffers, four characters at a time from lookup
    tables: many times faster than formatting millions of strings.
    """
    if not 1 <= len(prefix) <= 3:
        raise ValueError("identifier prefixes have 1 to 3 characters")
    numbers = np.asarray(numbers, dtype=np.int64)
    chunks = -(-(len(prefix) + width) // 4)
    lead_digits = 4 - len(prefix)
    limit = 10 ** (lead_digits + 4 * (chunks - 1))
    if numbers.size and (numbers.min() < 0 or numbers.max() >= min(limit, 2**32)):
        raise ValueError(f"identifiers must be whole numbers from 0 to {min(limit, 2**32) - 1}")
    lead = np.frombuffer(
        "".join(f"{prefix}{i:0{lead_digits}d}" for i in range(10**lead_digits)).encode("ascii"), dtype=np.uint32
    )
    words = np.empty((numbers.size, chunks), dtype=np.uint32)
    rest = numbers.astype(np.uint32)
    for chunk in range(chunks - 1, 0, -1):
        rest, low = np.divmod(rest, np.uint32(10_000))
        words[:, chunk] = _FOUR_DIGITS[low]
    words[:, 0] = lead[rest]
    size = 4 * chunks
    offsets = np.arange(0, (numbers.size + 1) * size, size, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(
        numbers.size, pa.py_buffer(offsets), pa.py_buffer(words.reshape(-1).view(np.uint8))
    )


def strings(values: pa.Array, positions: np.ndarray | None = None) -> pd.arrays.ArrowStringArray:
    """A pandas ``string[pyarrow]`` array of ``values`` (taken at ``positions`` if given)."""
    if positions is not None:
        values = pc.take(values, pa.array(np.asarray(positions, dtype=np.int64)))
    if values.type != pa.large_string():
        values = pc.cast(values, pa.large_string())
    return pd.arrays.ArrowStringArray(values)


def labels(choices, codes: np.ndarray) -> pd.arrays.ArrowStringArray:
    """Text labels ``choices[codes]`` as ``string[pyarrow]``."""
    return strings(pa.array(list(choices), type=pa.string()), codes)


def dates(base: np.ndarray, missing: np.ndarray | None = None) -> np.ndarray:
    """``datetime64[ns]`` from whole days since 1970-01-01 (NaT where ``missing``)."""
    out = np.asarray(base, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]")
    if missing is not None:
        out[missing] = np.datetime64("NaT")
    return out


def categorical(codes: np.ndarray, categories) -> pd.Categorical:
    """A Categorical with the contract's ``categories`` in contract order (code -1 is missing)."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int16), categories=list(categories))


def booleans(values: np.ndarray) -> pd.arrays.BooleanArray:
    return pd.array(np.asarray(values, dtype=bool), dtype="boolean")


def table(name: str, columns: dict) -> pd.DataFrame:
    """A contract table from typed column arrays, in contract column order, index ``row`` from 1."""
    contract = TABLES[name].column_names
    unknown = set(columns) - set(contract)
    assert not unknown, f"not in the contract for {name}: {unknown}"
    ordered = {c: columns[c] for c in contract if c in columns}
    n = len(next(iter(ordered.values())))
    return pd.DataFrame(ordered, index=pd.RangeIndex(1, n + 1, name="row"))
