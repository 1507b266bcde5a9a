"""What validation set aside, as the verdicts need it: counts per table and the reasons, aggregates only."""

from __future__ import annotations

import pandas as pd

from . import disclosure

#: a share of a table's rows set aside worth a prominent warning beside the verdicts
NOTABLE_SHARE = 0.05
#: a share past which verdicts on measures counted from that table are withheld ("not yet measurable")
DAMAGING_SHARE = 0.20
SET_ASIDE_COLUMNS = ["table", "rows_in", "set_aside", "share_set_aside", "main_reasons"]


def set_aside_summary(checked, programme: str) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """``(table, warnings, damaged)``: rows set aside per table with the chief reasons; a warning for each table
    that lost at least 5% of its rows; and, for each table that lost 20% or more, the reason verdicts that
    rest on it are withheld.
    """
    counts = checked.counts
    errors = checked.quarantine[checked.quarantine["severity"] == "error"]
    # a row failing several rules is set aside once; its first rule names it
    first = errors.drop_duplicates(["table", "row"])
    rows, notes, damaged = [], [], {}
    for table, row in counts.iterrows():
        n_in, n_out = int(row["rows_in"]), int(row["set_aside"])
        share = n_out / n_in if n_in else 0.0
        reasons = first.loc[first["table"] == table, "rule"].value_counts().head(3)
        words = "; ".join(f"{rule} ({_count(n)})" for rule, n in reasons.items())
        rows.append(
            {"table": table, "rows_in": n_in, "set_aside": n_out, "share_set_aside": share, "main_reasons": words}
        )
        if n_out and share >= NOTABLE_SHARE:
            notes.append(
                f"{_count(n_out)} of {_count(n_in)} {table} rows ({share:.0%}) were set aside by validation, chiefly: {words}. "
                f"Results that use the {table} table rest on the rest only"
            )
        if n_out and share >= DAMAGING_SHARE:
            damaged[table] = (
                f"{share:.0%} of the {table} rows were set aside by validation (chiefly {reasons.index[0]}), "
                "too many for a verdict"
            )
    return pd.DataFrame(rows, columns=SET_ASIDE_COLUMNS), notes, damaged


def _count(n: int) -> str:
    shown = disclosure.count(n)
    return shown if isinstance(shown, str) else f"{shown:,}"
