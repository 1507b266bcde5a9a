"""Append a run to a history store: one Parquet file per programme and extract date (a rerun replaces it)."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.history import read_history
from ..evaluate import disclosure as sdc
from ..evaluate._toml import ConfigError
from ..evaluate.history import HEADLINE_STATISTICS, HISTORY_COLUMNS
from .tables import public_results, public_targets


def _number(value) -> float:
    if value is None or value == sdc.SUPPRESSED or value == sdc.SMALL:
        return np.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def history_rows(ev) -> pd.DataFrame:
    """This run's rows for the history store: one per target (kind "target") and headline estimate ("result")."""
    base = {
        "programme": ev.programme,
        "extract_date": _extract_date(ev),
        "run_at": pd.Timestamp(ev.provenance.get("run_at")).tz_localize(None)
        if ev.provenance.get("run_at")
        else pd.Timestamp.now(),
    }
    rows = []
    for t in public_targets(ev.targets).to_dict("records"):
        rows.append(
            {
                **base,
                "kind": "target",
                "id": t["id"],
                "description": t["description"],
                "measure": t["measure"],
                "verdict": t["verdict"],
                "reason": t["reason"],
                "estimate": _number(t["estimate"]),
                "ci_lower": _number(t["ci_lower"]),
                "ci_upper": _number(t["ci_upper"]),
                "measurable_by": t.get("measurable_by", "") or "",
            }
        )
    public = public_results(ev.results)
    for measure, statistic in HEADLINE_STATISTICS:
        found = public[
            (public["measure"] == measure)
            & (public["statistic"] == statistic)
            & (public["analysis"] == "main")
            & (public["group"] == "all")
        ]
        for r in found.to_dict("records"):
            rows.append(
                {
                    **base,
                    "kind": "result",
                    "id": f"{measure}/{statistic}",
                    "measure": measure,
                    "statistic": statistic,
                    "estimate": _number(r["estimate"]),
                    "ci_lower": _number(r["ci_lower"]),
                    "ci_upper": _number(r["ci_upper"]),
                    "n_treated": _number(r["n_treated"]),
                    "n_comparison": _number(r["n_comparison"]),
                }
            )
    frame = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    for column in ("description", "statistic", "verdict", "reason", "measurable_by"):
        frame[column] = frame[column].astype("string")
    for column in ("estimate", "ci_lower", "ci_upper", "n_treated", "n_comparison"):
        frame[column] = frame[column].astype("float64")
    return frame


def _extract_date(ev) -> pd.Timestamp:
    rate = getattr(ev, "starter_rate", None)
    extract = rate.window_to if rate is not None else ev.config.data.extract_date
    if extract is None:
        extract = pd.Timestamp(ev.provenance.get("run_at") or pd.Timestamp.now()).date()
    return pd.Timestamp(extract)


def history_file(folder: Path, programme: str, extract_date) -> Path:
    stem = re.sub(r"[^A-Za-z0-9]+", "_", programme)
    return folder / f"{stem}_{extract_date:%Y-%m-%d}.parquet"


def append_history(ev, path: str | os.PathLike, *, field: str = "--history") -> Path:
    """Record ``ev``'s targets and headline results at ``path``; the same programme and extract date replaces.

    ``field`` names where the path came from, for the error when it cannot be written.
    """
    return append_rows(history_rows(ev), path, field=field)


def append_rows(rows: pd.DataFrame, path: str | os.PathLike, *, field: str = "--history") -> Path:
    """Write one run's history rows (:func:`history_rows`) into the store at ``path``, replacing the same run."""
    folder = Path(path)
    if rows.empty:
        raise ValueError("a run with no targets and no headline estimate has nothing to record")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = history_file(folder, str(rows["programme"].iloc[0]), pd.Timestamp(rows["extract_date"].iloc[0]))
        partial = target.with_name(target.name + ".partial")
        rows.to_parquet(partial, index=False)
        partial.replace(target)  # written whole or not at all: a reader never sees half a run
    except OSError as exc:
        raise ConfigError(
            f"{field} = {str(folder)!r}: the run history cannot be written there ({exc.strerror or exc})"
        ) from None
    return target


def with_history(ev, path: str | os.PathLike, *, field: str = "--history"):
    """Append ``ev`` to the history at ``path`` and return ``ev`` carrying the whole history (for the report)."""
    append_history(ev, path, field=field)
    return dataclasses.replace(ev, history=read_history(path))


def history_target(ev, option: str | os.PathLike | None, config_file: str | os.PathLike | None = None):
    """``(folder, field)`` where this run's history goes: the command-line option, else the config's ``history``."""
    if option is not None:
        return Path(option), "--history"
    if ev.config.history:
        name = Path(config_file).name if config_file is not None else "the evaluation config"
        return ev.config.path(ev.config.history), f"{name}: history"
    return None
