"""R-style model formulas shared by matching and the survival models.

``design_matrix`` codes a right-hand side as R's ``model.matrix`` does:
treatment contrasts with the first level as reference, factor columns named
``sexM`` / ``risk_levelhigh``, logical columns ``flagTRUE``, interactions with
``:``. Text and boolean columns are treated as factors (levels sorted ignoring case, as R's
``factor()`` sorts them in an English locale); a pandas Categorical keeps its own level order.
"""

from __future__ import annotations

import re

import formulaic
import pandas as pd

_DUMMY = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\[T\.(.*?)\]")


def split_formula(formula: str) -> tuple[str | None, str]:
    """Split ``"treated ~ age + sex"`` into ``("treated", "age + sex")``; no ``~`` gives ``(None, rhs)``."""
    if "~" not in formula:
        return None, formula.strip()
    lhs, rhs = formula.split("~", 1)
    if not rhs.strip():
        raise ValueError(f"formula {formula!r} has nothing on the right of '~'")
    return lhs.strip() or None, rhs.strip()


def variables(rhs: str) -> list[str]:
    """The data columns a right-hand side uses, in order of first appearance."""
    names = formulaic.Formula(rhs).required_variables
    order = {n: rhs.find(n) for n in names}
    return sorted(names, key=lambda n: order[n])


def design_matrix(data: pd.DataFrame, rhs: str, *, intercept: bool = False, what: str = "data") -> pd.DataFrame:
    """Model matrix of ``rhs`` on ``data``, R-coded, indexed as ``data``.

    ``intercept=False`` drops the intercept column after coding (factors still
    lose their reference level, as in ``coxph``). Missing values in a used
    column raise a ``ValueError`` naming the column and the first row.
    """
    used = variables(rhs)
    missing = [v for v in used if v not in data.columns]
    if missing:
        raise ValueError(
            f"{what}: formula uses column(s) {missing} that are not in the data "
            f"(columns: {', '.join(map(str, data.columns))})"
        )
    frame = pd.DataFrame(index=data.index)
    for name in used:
        column = data[name]
        nulls = column.isna()
        if nulls.any():
            raise ValueError(
                f"{what}: column {name!r} has {int(nulls.sum())} missing value(s) (first at row "
                f"{nulls.idxmax()!r}); fill or drop them before modelling"
            )
        frame[name] = _as_model_column(column)
    matrix = formulaic.model_matrix(rhs, frame, ensure_full_rank=True, na_action="raise")
    matrix = pd.DataFrame(matrix, index=data.index)
    matrix.columns = [_r_name(c) for c in matrix.columns]
    if "Intercept" in matrix.columns:
        if intercept:
            matrix = matrix.rename(columns={"Intercept": "(Intercept)"})
        else:
            matrix = matrix.drop(columns="Intercept")
    return matrix.astype("float64")


def _as_model_column(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.remove_unused_categories()
    if pd.api.types.is_bool_dtype(column.dtype):
        return pd.Series(
            pd.Categorical(column.astype(bool).map({False: "FALSE", True: "TRUE"}), categories=["FALSE", "TRUE"]),
            index=column.index,
        )
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column.astype("float64")
    values = column.astype(str)
    # R's factor() sorts text levels in the locale's order, which ignores case first ("autosomal" < "X-linked")
    levels = sorted(values.unique(), key=lambda level: (level.casefold(), level))
    return pd.Series(pd.Categorical(values, categories=levels), index=column.index)


def _r_name(name: str) -> str:
    return _DUMMY.sub(lambda m: f"{m.group(1)}{m.group(2)}", str(name))
