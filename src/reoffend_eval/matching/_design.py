"""Model matrices for matching: a fast path for plain additive formulas, else the shared formula helper.

``reoffend_eval._formula.design_matrix`` (formulaic) takes several seconds on two million rows; a formula
that is just column names joined by ``+`` is coded here directly with the same R conventions (first level
the reference, ``sexM`` / ``flagTRUE`` names, text levels sorted) and the same error messages. Anything
else (interactions, transformations) goes to the shared helper. A test checks both give identical matrices.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from .._formula import _as_model_column, design_matrix

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def _plain_terms(rhs: str, data: pd.DataFrame) -> list[str] | None:
    terms = [t.strip() for t in rhs.split("+")]
    if not terms or any(not _NAME.match(t) for t in terms) or len(set(terms)) != len(terms):
        return None
    if any(t not in data.columns for t in terms):
        return None  # let the shared helper word the error
    return terms


def model_matrix(data: pd.DataFrame, rhs: str, *, intercept: bool, what: str, all_levels: bool = False) -> pd.DataFrame:
    """R-coded model matrix of ``rhs``; ``all_levels`` keeps every factor level (MatchIt's balance rows)."""
    terms = _plain_terms(rhs, data)
    if terms is None:
        matrix = design_matrix(data, rhs, intercept=intercept, what=what)
        return _add_reference_levels(matrix, data, rhs) if all_levels else matrix
    names: list[str] = []
    parts: list[tuple[str, Any]] = []  # (kind, payload) per output column, filled below in one array
    if intercept:
        names.append("(Intercept)")
        parts.append(("ones", None))
    for name in terms:
        column = data[name]
        nulls = column.isna()
        if nulls.any():
            raise ValueError(
                f"{what}: column {name!r} has {int(nulls.sum())} missing value(s) (first at row "
                f"{nulls.idxmax()!r}); fill or drop them before modelling"
            )
        if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
            names.append(name)
            parts.append(("numeric", column))
            continue
        levels, codes = _levels_and_codes(column)
        if len(levels) < 2:
            return design_matrix(data, rhs, intercept=intercept, what=what)
        for k, level in enumerate(levels):
            if k == 0 and not all_levels:
                continue
            names.append(f"{name}{level}")
            parts.append(("level", (codes, k)))
    # one column-major float block: pandas wraps it without copying and to_numpy() gives it back as a view
    out = np.empty((len(data), len(names)), order="F")
    for j, (kind, payload) in enumerate(parts):
        if kind == "ones":
            out[:, j] = 1.0
        elif kind == "numeric":
            out[:, j] = payload.to_numpy(dtype="float64")
        else:
            codes, k = payload
            np.equal(codes, k, out=out[:, j], casting="unsafe")
    return pd.DataFrame(out, index=data.index, columns=names, copy=False)


def _levels_and_codes(column: pd.Series) -> tuple[list, np.ndarray]:
    """Factor levels and integer codes, as ``_formula._as_model_column`` defines them (without its slow paths)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        used = np.bincount(codes[codes >= 0], minlength=len(column.cat.categories)) > 0
        renumber = np.cumsum(used) - 1
        return list(column.cat.categories[used]), renumber[codes]
    if pd.api.types.is_bool_dtype(column.dtype):
        return ["FALSE", "TRUE"], column.to_numpy(dtype=bool).astype(np.int8)
    coded = _as_model_column(column)
    return list(coded.cat.categories), coded.cat.codes.to_numpy()


def _add_reference_levels(matrix: pd.DataFrame, data: pd.DataFrame, rhs: str) -> pd.DataFrame:
    from .._formula import variables

    matrix = matrix.copy()
    for name in variables(rhs):
        column = data[name]
        if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
            continue
        levels = list(_as_model_column(column).cat.categories)
        names = [f"{name}{level}" for level in levels]
        present = [n for n in names[1:] if n in matrix.columns]
        if len(levels) < 2 or len(present) != len(levels) - 1 or names[0] in matrix.columns:
            continue  # the factor appears only inside an interaction: keep R's coding
        at = list(matrix.columns).index(present[0])
        matrix.insert(at, names[0], 1.0 - matrix[present].sum(axis=1))
    return matrix
