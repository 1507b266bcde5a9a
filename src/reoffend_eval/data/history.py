"""Read a run-history store: a folder of Parquet files, one per programme and extract date."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..errors import ContractError


def read_history(path: str | os.PathLike) -> pd.DataFrame:
    """Every run recorded at ``path`` as one DataFrame (``programme``, ``extract_date``, ``run_at``, ``kind``, ...).

    One row per target (``kind == "target"``) and headline estimate (``"result"``) of each run, sorted by
    programme, extract date and id.

    >>> history = rev.read_history("history/")            # doctest: +SKIP
    >>> history[history.kind == "target"][["extract_date", "id", "verdict"]]  # doctest: +SKIP
    """
    folder = Path(path)
    if not folder.exists():
        raise ContractError(f"{folder}: no run history here (the folder does not exist)")
    if not folder.is_dir():
        raise ContractError(f"{folder}: a run history is a folder of Parquet files, not a file")
    files = sorted(folder.glob("*.parquet"))
    if not files:
        return pd.DataFrame(columns=["programme", "extract_date", "run_at", "kind", "id"])
    parts = []
    for file in files:
        try:
            parts.append(pd.read_parquet(file))
        except Exception as exc:  # noqa: BLE001 - any unreadable file is named, never a traceback
            raise ContractError(f"{file}: not a readable run-history file ({exc})") from None
    frame = pd.concat(parts, ignore_index=True)
    frame["extract_date"] = pd.to_datetime(frame["extract_date"])
    return frame.sort_values(["programme", "extract_date", "kind", "id"], kind="stable").reset_index(drop=True)
