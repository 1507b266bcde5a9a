"""Turn what the caller passes (a match result, a weight result or a DataFrame) into model inputs.

Match and weight results are taken by duck typing (``.data`` and ``.treatment``; a match
result also has ``.replace``), so this stage does not import the matching stage's classes.
The variance the design implies is chosen here:

| source | default variance |
| --- | --- |
| matched without replacement (``replace`` False, ``subclass`` present) | cluster by ``subclass`` (``vcovCL``) |
| matched with replacement | ``HC3`` (``vcovHC``), as MatchIt's documentation advises |
| weights (IPTW) | ``HC0`` (``vcovHC(type = "HC0")``; ignores estimation of the propensity score) |
| DataFrame with ``cluster=`` | cluster by that column (or columns: multiway) |
| DataFrame with ``weights=`` only | ``HC0`` |
| DataFrame with neither | ``HC3`` |
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._formula import design_matrix

VARIANCES = ("cluster", "HC0", "HC1", "HC3", "model")


@dataclass(frozen=True)
class Prepared:
    data: pd.DataFrame  # rows used (weight > 0), original index kept
    treatment: str
    weights: np.ndarray
    clusters: list[np.ndarray]
    cluster_names: tuple[str, ...]
    variance: str
    design: str  # words for the method column


def _show(value) -> str:
    """A cell value as people would write it (no numpy wrapper in the message)."""
    return repr(value.item() if hasattr(value, "item") else value)


def _is_result(source) -> bool:
    return hasattr(source, "data") and hasattr(source, "treatment") and isinstance(source.data, pd.DataFrame)


def prepare(
    source,
    columns: list[str],
    treatment: str | None,
    weights: str | None,
    cluster: str | list[str] | None,
    variance: str | None,
    what: str,
) -> Prepared:
    """Check the columns and choose the variance; rows with weight 0 are dropped (as ``match.data``)."""
    kind = "data"
    if _is_result(source):
        data = source.data
        treatment = treatment or source.treatment
        if weights is None and "weights" in data.columns:
            weights = "weights"
        if hasattr(source, "replace"):
            kind = "matched_with_replacement" if bool(source.replace) else "matched"
            if cluster is None and kind == "matched" and "subclass" in data.columns and data["subclass"].notna().any():
                cluster = "subclass"
        else:
            kind = "weighted"
    elif isinstance(source, pd.DataFrame):
        data = source
    else:
        raise TypeError(
            f"{what}: expected a match result, a weight result or a pandas DataFrame, not {type(source).__name__}"
        )
    if treatment is None:
        raise ValueError(f"{what}: say which column holds the treatment (treatment=...), 0 = comparison, 1 = programme")
    cluster_names = () if cluster is None else ((cluster,) if isinstance(cluster, str) else tuple(cluster))
    needed = [treatment, *columns, *([weights] if weights else []), *cluster_names]
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise ValueError(f"{what}: column(s) {missing} not in the data (columns: {', '.join(map(str, data.columns))})")

    if weights is not None:
        w = pd.to_numeric(data[weights], errors="coerce")
        bad = w.isna() | (w < 0) | ~np.isfinite(w.fillna(0))
        if bad.any():
            row = bad.idxmax()
            raise ValueError(
                f"{what}: column {weights!r} must hold finite weights >= 0; row {_show(row)} has {_show(data.at[row, weights])}"
            )
        keep = w > 0
        data = data.loc[keep]
        w = w[keep].to_numpy(float)
    else:
        w = np.ones(len(data))
    if len(data) == 0:
        raise ValueError(f"{what}: no rows with a positive weight")

    t = data[treatment]
    ok = t.isin([0, 1, True, False]) & t.notna()
    if not ok.all():
        row = (~ok).idxmax()
        raise ValueError(
            f"{what}: treatment column {treatment!r} must be 0/1; row {_show(row)} has {_show(t.loc[row])}"
        )
    for c in cluster_names:
        nulls = data[c].isna()
        if nulls.any():
            raise ValueError(f"{what}: cluster column {c!r} is empty at row {_show(nulls.idxmax())}")
    data = data.assign(**{treatment: t.astype(int)})
    if data[treatment].nunique() < 2:
        raise ValueError(f"{what}: both programme (1) and comparison (0) rows are needed in {treatment!r}")

    if variance is None:
        if cluster_names:
            variance = "cluster"
        elif kind == "matched_with_replacement":
            variance = "HC3"
        elif kind == "weighted" or (kind == "data" and weights is not None):
            variance = "HC0"
        else:
            variance = "HC3"
    if variance not in VARIANCES:
        raise ValueError(f"{what}: variance must be one of {VARIANCES}, not {variance!r}")
    if variance == "cluster" and not cluster_names:
        raise ValueError(f"{what}: variance='cluster' needs cluster= (e.g. the matched set 'subclass')")
    design = {
        "matched": "matched without replacement",
        "matched_with_replacement": "matched with replacement",
        "weighted": "weighted",
        "data": "weighted" if weights is not None else "unweighted",
    }[kind]
    return Prepared(
        data=data,
        treatment=treatment,
        weights=w,
        clusters=[data[c].to_numpy() for c in cluster_names],
        cluster_names=cluster_names,
        variance=variance,
        design=design,
    )


def design(prep: Prepared, covariates: str | None, what: str) -> tuple[np.ndarray, list[str]]:
    """Model matrix: intercept, treatment, then any covariates (R-coded)."""
    cols = [np.ones(len(prep.data)), prep.data[prep.treatment].to_numpy(float)]
    names = ["(Intercept)", prep.treatment]
    if covariates:
        extra = design_matrix(prep.data, covariates, intercept=False, what=what)
        cols.extend(extra[c].to_numpy(float) for c in extra.columns)
        names.extend(extra.columns)
    return np.column_stack(cols), names


def numeric_column(
    data: pd.DataFrame,
    column: str,
    what: str,
    *,
    binary: bool = False,
    nonnegative: bool = False,
    positive: bool = False,
) -> np.ndarray:
    """A clean float column, or a ValueError naming the first bad row and value."""
    values = pd.to_numeric(data[column], errors="coerce")
    bad = values.isna()
    rule = "a number"
    if binary:
        bad |= ~values.isin([0, 1])
        rule = "0 or 1"
    elif positive:
        bad |= ~(values > 0)
        rule = "a number > 0"
    elif nonnegative:
        bad |= ~(values >= 0)
        rule = "a number >= 0"
    if bad.any():
        row = bad.idxmax()
        raise ValueError(
            f"{what}: column {column!r} must be {rule}; row {_show(row)} has {_show(data.at[row, column])}"
        )
    return values.to_numpy(float)
