"""CohortData: the contract's tables, typed, with where they came from."""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from .contract import TABLES

PROBLEM_COLUMNS = ("table", "row", "column", "value", "problem")


def empty_problems() -> pd.DataFrame:
    """An empty problems table with the right columns."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "object") for c in PROBLEM_COLUMNS})


RECODED_COLUMNS = ("table", "column", "value", "code", "rows", "by")


def empty_recoded() -> pd.DataFrame:
    """An empty table of recoded values with the right columns."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "rows" else "object") for c in RECODED_COLUMNS})


@dataclass(frozen=True)
class Source:
    """Where one table came from: its file and the file's SHA-256 (None for a DataFrame)."""

    table: str
    path: str | None
    sha256: str | None
    format: str

    @property
    def label(self) -> str:
        return Path(self.path).name if self.path else f"{self.table} (DataFrame)"


@dataclass(frozen=True)
class CohortData:
    """The data contract's tables, typed. Absent optional tables are ``None``.

    ``problems`` lists the row-level values the loader could not type (an
    unparseable date, an unknown code): table, row, column, the raw value and
    the problem. ``sources`` holds each table's :class:`Source` (and the
    mapping file's, under ``"mapping"``, when one was used). Each table's index is the data row number in its source
    (1 = first row under the header; a table read through a mapping keeps the
    file's own row numbers). ``recoded`` counts the values a mapping translated:
    table, column, the value as written, the contract code, how many rows, and
    ``by`` (``mapping`` or the built-in code set). ``truth`` holds the true
    effects of a synthetic cohort (``None`` for real data).
    """

    participants: pd.DataFrame
    comparison: pd.DataFrame
    offences: pd.DataFrame | None = None
    incidents: pd.DataFrame | None = None
    custody: pd.DataFrame | None = None
    exits: pd.DataFrame | None = None
    asb: pd.DataFrame | None = None
    problems: pd.DataFrame = field(default_factory=empty_problems)
    sources: dict[str, Source] = field(default_factory=dict)
    truth: dict | None = None
    recoded: pd.DataFrame = field(default_factory=empty_recoded)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables present, by name, in contract order."""
        return {name: getattr(self, name) for name in TABLES if getattr(self, name) is not None}

    def replace(self, **changes) -> CohortData:
        """A copy with some fields changed (tables are not copied)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return CohortData(**values)

    @property
    def row_counts(self) -> pd.Series:
        """Rows per table (absent tables left out)."""
        return pd.Series({name: len(t) for name, t in self.tables().items()}, name="rows")

    def to_folder(self, folder: str | os.PathLike, format: str = "parquet") -> dict[str, Path]:
        """Write one file per table (``participants.parquet`` ...), readable by :func:`load`.

        ``format`` is ``"parquet"`` or ``"csv"``. Returns the paths written.
        """
        if format not in ("parquet", "csv"):
            raise ValueError(f"format must be 'parquet' or 'csv', not {format!r}")
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        written = {}
        for name, table in self.tables().items():
            path = out / f"{name}.{format}"
            for other in ("parquet", "csv", "xlsx"):
                stale = out / f"{name}.{other}"
                if other != format and stale.exists():
                    stale.unlink()
            frame = table.reset_index(drop=True)
            if format == "parquet":
                frame.to_parquet(path, index=False)
            else:
                frame.to_csv(path, index=False, date_format="%Y-%m-%d")
            written[name] = path
        return written

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v:,}" for k, v in self.row_counts.items())
        flag = f", {len(self.problems):,} problem values" if len(self.problems) else ""
        return f"CohortData({counts}{flag})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td style='text-align:right'>{n:,}</td>"
            f"<td>{html.escape(self.sources[name].label) if name in self.sources else ''}</td></tr>"
            for name, n in self.row_counts.items()
        )
        note = (
            f"<p>{len(self.problems):,} values could not be read and await validation.</p>"
            if len(self.problems)
            else ""
        )
        return (
            "<div><strong>CohortData</strong><table><thead><tr><th>table</th><th>rows</th>"
            f"<th>source</th></tr></thead><tbody>{rows}</tbody></table>{note}</div>"
        )
