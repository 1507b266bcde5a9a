"""The history of runs: each run's targets and headline results as rows, and what changed between extracts.

A history store (a folder of Parquet files, one per programme and extract date)
is written by :func:`reoffend_eval.report.history.append_history` (which builds
the rows) and read by :func:`reoffend_eval.read_history`; this module names the
columns and compares runs.
Everything in it is aggregate and disclosure-controlled: estimates as the report
rounds them, counts 1 to 4 left empty, no estimate for a target not yet measurable.
"""

from __future__ import annotations

import pandas as pd

HISTORY_COLUMNS = [
    "programme",
    "extract_date",
    "run_at",
    "kind",
    "id",
    "description",
    "measure",
    "statistic",
    "verdict",
    "reason",
    "estimate",
    "ci_lower",
    "ci_upper",
    "measurable_by",
    "n_treated",
    "n_comparison",
]
HEADLINE_STATISTICS = (
    ("reoffending_rate", "risk_difference"),
    ("reoffending_frequency", "mean_difference"),
    ("time_to_reoffence", "hazard_ratio"),
    ("time_to_reoffence", "rmst_difference"),
    ("da_incident_rate", "rate_ratio"),
    ("repeat_marac_rate", "risk_difference"),
)


def changes(history: pd.DataFrame, programme: str) -> pd.DataFrame:
    """Each target of ``programme`` at each extract, with what changed since the previous extract.

    ``change`` is "first extract", "was on course, now met", or "unchanged".
    """
    columns = ["extract_date", "id", "verdict", "estimate", "ci_lower", "ci_upper", "change"]
    rows = history[(history["programme"] == programme) & (history["kind"] == "target")]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.sort_values(["id", "extract_date"], kind="stable")
    out = []
    for _, group in rows.groupby("id", sort=False):
        previous = None
        for r in group.itertuples():
            if previous is None:
                change = "first extract"
            elif previous != r.verdict:
                change = f"was {previous}, now {r.verdict}"
            else:
                change = "unchanged"
            previous = r.verdict
            out.append(
                {
                    "extract_date": pd.Timestamp(r.extract_date).date().isoformat(),
                    "id": r.id,
                    "verdict": r.verdict,
                    "estimate": r.estimate,
                    "ci_lower": r.ci_lower,
                    "ci_upper": r.ci_upper,
                    "change": change,
                }
            )
    return pd.DataFrame(out, columns=columns).sort_values(["extract_date", "id"], kind="stable").reset_index(drop=True)


def latest_changes(history: pd.DataFrame, programme: str) -> dict[str, str]:
    """Target id -> what changed at the latest extract ("" when there is no earlier extract)."""
    table = changes(history, programme)
    if table.empty:
        return {}
    last = table[table["extract_date"] == table["extract_date"].max()]
    return {r.id: ("" if r.change == "first extract" else r.change) for r in last.itertuples()}
