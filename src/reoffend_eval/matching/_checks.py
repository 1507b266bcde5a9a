"""Input checks shared by ``match``, ``weight`` and ``balance``: errors name the column, row and value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._formula import split_formula, variables

RESERVED = ("weights", "subclass", "distance")


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def treatment_indicator(data: pd.DataFrame, treatment: str) -> np.ndarray:
    """The treatment column as a bool array; it must be 0/1 or bool, with no missing values."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    if treatment not in data.columns:
        raise ValueError(
            f"treatment column {treatment!r} is not in the data (columns: {', '.join(map(str, data.columns))})"
        )
    column = data[treatment]
    missing = column.isna()
    if missing.any():
        raise ValueError(
            f"treatment column {treatment!r} has {int(missing.sum())} missing value(s) "
            f"(first at row {missing.idxmax()!r})"
        )
    if pd.api.types.is_bool_dtype(column.dtype):
        return column.to_numpy(dtype=bool)
    if not pd.api.types.is_numeric_dtype(column.dtype):
        bad = column.index[~column.isin([0, 1, True, False])][0] if (~column.isin([0, 1])).any() else column.index[0]
        raise ValueError(
            f"treatment column {treatment!r} must hold 0/1 or True/False; row {bad!r} has {_plain(column.loc[bad])!r}"
        )
    values = column.to_numpy(dtype=float)
    bad = ~np.isin(values, (0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"treatment column {treatment!r} must hold 0/1 or True/False; "
            f"row {data.index[i]!r} has {_plain(column.iloc[i])!r}"
        )
    return values == 1.0


def check_groups(treated: np.ndarray, treatment: str) -> None:
    """Both groups must be present."""
    if treated.all():
        raise ValueError(f"treatment column {treatment!r}: there are no control units (every row is 1/True)")
    if not treated.any():
        raise ValueError(f"treatment column {treatment!r}: there are no treated units (every row is 0/False)")


def parse_formula(formula: str, data: pd.DataFrame) -> tuple[str, str]:
    """Split ``"treated ~ age + sex"`` into treatment and right-hand side, checking both exist."""
    if not isinstance(formula, str):
        raise TypeError(f"formula must be a string like 'treated ~ age + sex', not {type(formula).__name__}")
    treatment, rhs = split_formula(formula)
    if treatment is None:
        raise ValueError(f"formula {formula!r} needs the treatment on the left: 'treated ~ age + sex'")
    if treatment in variables(rhs):
        raise ValueError(f"formula {formula!r}: the treatment {treatment!r} cannot also be a covariate")
    return treatment, rhs


def check_index(data: pd.DataFrame) -> None:
    """Row labels identify matched units (match matrix, subclasses), so they must be unique."""
    if not data.index.is_unique:
        repeated = data.index[data.index.duplicated()][0]
        raise ValueError(
            f"data: row label {repeated!r} appears more than once; give every row a unique "
            "index (e.g. data.reset_index(drop=True)) so matched units can be identified"
        )


def check_reserved(data: pd.DataFrame) -> None:
    """The result adds ``weights``, ``subclass`` and ``distance`` columns; they must not exist already."""
    clash = [c for c in RESERVED if c in data.columns]
    if clash:
        raise ValueError(
            f"data already has column(s) {clash}, which the result adds (as MatchIt's match.data); rename them first"
        )
