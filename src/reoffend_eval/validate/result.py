"""The result of :func:`validate`: what was checked, what was set aside, what is clean."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from ..data import CohortData
from ..data.cohort import empty_recoded

QUARANTINE_COLUMNS = ("table", "row", "person_id", "rule", "severity", "value")
SUMMARY_COLUMNS = ("table", "rule", "severity", "rows_failing", "examples")
COUNT_COLUMNS = ("rows_in", "clean", "set_aside", "flagged")


@dataclass(frozen=True)
class ValidationResult:
    """What :func:`validate` found.

    ``ok`` is True when no row was set aside (warnings may remain: see
    ``quarantine``). ``summary`` has one row per rule checked: table, rule,
    severity, rows_failing and a few example values. ``quarantine`` lists every
    failing row: table, row (source row number), person_id, rule, severity
    (``error`` = set aside, ``warning`` = kept but flagged) and the value seen.
    ``clean`` is the data without the rows set aside. ``counts`` has, per table,
    rows_in = clean + set_aside, and how many clean rows are flagged.
    ``recoded`` says what a mapping file translated (table, column, value as
    written, contract code, rows, by: ``mapping`` or a built-in code set), so
    an analyst can see what was recoded.
    """

    ok: bool
    summary: pd.DataFrame
    quarantine: pd.DataFrame
    clean: CohortData
    counts: pd.DataFrame
    extract_date: pd.Timestamp
    programme: str | None = None
    warnings: tuple[str, ...] = ()
    #: problems found after the checks that leave the data unusable (a table emptied, participants mostly
    #: set aside): ``evaluate`` refuses to give verdicts, the command line exits 2 after writing the quarantine
    fatal: tuple[str, ...] = ()
    recoded: pd.DataFrame = field(default_factory=empty_recoded)

    @property
    def set_aside(self) -> pd.DataFrame:
        """The quarantine rows of rows set aside (severity ``error``)."""
        return self.quarantine[self.quarantine["severity"] == "error"]

    @property
    def flagged(self) -> pd.DataFrame:
        """The quarantine rows of warnings (rows kept but flagged)."""
        return self.quarantine[self.quarantine["severity"] == "warning"]

    def to_dict(self) -> dict:
        """A JSON-ready account: counts, summary and warnings (no row-level values)."""
        return {
            "ok": self.ok,
            "extract_date": self.extract_date.strftime("%Y-%m-%d"),
            "programme": self.programme,
            "counts": {t: {k: int(v) for k, v in row.items()} for t, row in self.counts.iterrows()},
            "summary": [
                {"table": r.table, "rule": r.rule, "severity": r.severity, "rows_failing": int(r.rows_failing)}
                for r in self.summary.itertuples()
            ],
            "warnings": list(self.warnings),
            "fatal": list(self.fatal),
            "recoded": [
                {
                    "table": r.table,
                    "column": r.column,
                    "value": r.value,
                    "code": r.code,
                    "rows": int(r.rows),
                    "by": r.by,
                }
                for r in self.recoded.itertuples()
            ],
        }

    def __repr__(self) -> str:
        n_err = int((self.quarantine["severity"] == "error").sum())
        n_warn = int((self.quarantine["severity"] == "warning").sum())
        return (
            f"ValidationResult(ok={self.ok}, set aside {int(self.counts['set_aside'].sum()):,} rows "
            f"({n_err:,} errors), {n_warn:,} warnings, extract date {self.extract_date:%Y-%m-%d})"
        )

    def _repr_html_(self) -> str:
        status = (
            "<span style='color:#1a7f37'>OK: no rows set aside</span>"
            if self.ok
            else "<span style='color:#b42318'>rows set aside: see quarantine</span>"
        )
        counts = self.counts.reset_index().to_html(index=False, border=0)
        failing = self.summary[self.summary["rows_failing"] > 0]
        summary = failing.to_html(index=False, border=0) if len(failing) else "<p>Every rule passed.</p>"
        recoded = (
            f"<h4>Values recoded by the mapping</h4>{self.recoded.to_html(index=False, border=0)}"
            if len(self.recoded)
            else ""
        )
        notes = "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings)
        notes = f"<ul>{notes}</ul>" if notes else ""
        return (
            f"<div><strong>Validation</strong> (extract date {self.extract_date:%Y-%m-%d}"
            f"{', programme ' + html.escape(self.programme) if self.programme else ''}): {status}"
            f"<h4>Rows in = clean + set aside</h4>{counts}<h4>Rules failing</h4>{summary}{recoded}{notes}</div>"
        )
