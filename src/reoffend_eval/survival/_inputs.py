"""Checks on survival inputs that name the column, row and value when something is wrong."""

from __future__ import annotations

import numpy as np
import pandas as pd

FEW_EVENTS = 30


def require_frame(data, what: str = "data") -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(data).__name__}")
    return data


def column(data: pd.DataFrame, name, role: str) -> pd.Series:
    """The column ``name`` (or an array-like of the data's length) with no missing values."""
    if isinstance(name, str):
        if name not in data.columns:
            raise ValueError(
                f"{role} column {name!r} is not in the data (columns: {', '.join(map(str, data.columns))})"
            )
        values = data[name]
        label = name
    else:
        values = pd.Series(np.asarray(name), index=data.index) if len(name) == len(data) else None
        if values is None:
            raise ValueError(f"{role} has length {len(name)} but the data has {len(data)} rows")
        label = role
    nulls = values.isna()
    if nulls.any():
        raise ValueError(
            f"{role} column {label!r} has {int(nulls.sum())} missing value(s), first at row {nulls.idxmax()!r}; "
            "drop or fill them first"
        )
    return values


def numeric(data, name, role: str, *, positive: bool = False, nonnegative: bool = False) -> np.ndarray:
    values = column(data, name, role)
    label = name if isinstance(name, str) else role
    try:
        arr = pd.to_numeric(values, errors="raise").to_numpy(dtype=float)
    except (ValueError, TypeError):
        bad = pd.to_numeric(values, errors="coerce").isna()
        row = bad.idxmax()
        raise ValueError(f"{role} column {label!r} must be numeric; row {row!r} has {values[row]!r}") from None
    bad = ~np.isfinite(arr)
    if positive:
        bad |= arr <= 0
    if nonnegative:
        bad |= arr < 0
    if bad.any():
        i = int(np.argmax(bad))
        need = "positive" if positive else "non-negative" if nonnegative else "finite"
        raise ValueError(f"{role} column {label!r} must be {need} and finite; row {data.index[i]!r} has {arr[i]!r}")
    return arr


def event_indicator(data, name) -> np.ndarray:
    values = column(data, name, "event")
    label = name if isinstance(name, str) else "event"
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype=bool)
    arr = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isin(arr, (0.0, 1.0))
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"event column {label!r} must be 0/1 (or True/False); row {data.index[i]!r} has {values.iloc[i]!r}"
        )
    return arr == 1.0


def codes(data, name, role: str) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and their labels (sorted as R's factor() sorts)."""
    values = column(data, name, role)
    c, labels = pd.factorize(values, sort=True)
    return c.astype(np.int64), pd.Index(labels)


def strata_codes(data, strata) -> tuple[np.ndarray | None, list[str]]:
    if strata is None:
        return None, []
    names = [strata] if isinstance(strata, str) else list(strata)
    cols = [column(data, s, "strata") for s in names]
    frame = pd.concat(cols, axis=1) if len(cols) > 1 else cols[0]
    if len(cols) > 1:
        c = frame.groupby(names, sort=True).ngroup().to_numpy()
    else:
        c = pd.factorize(frame, sort=True)[0]
    return c.astype(np.int64), names


def few_events_warning(n_events: float) -> tuple[str, ...]:
    if n_events < FEW_EVENTS:
        return (
            f"only {n_events:g} events (fewer than {FEW_EVENTS}): as the Justice Data Lab advises, "
            "time-to-first-event estimates from so few reoffenders are unreliable",
        )
    return ()


def html_table(title: str, frame: pd.DataFrame, warnings=(), note: str = "") -> str:
    parts = [f"<h4>{title}</h4>"]
    if note:
        parts.append(f"<p>{note}</p>")
    parts.append(frame.to_html(float_format=lambda v: f"{v:.4g}"))
    if warnings:
        parts.append("<ul>" + "".join(f"<li><b>Warning:</b> {w}</li>" for w in warnings) + "</ul>")
    return "\n".join(parts)
