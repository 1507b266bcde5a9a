"""Cohorts by period: the headline measures for each financial year's (or quarter's) cohort, matched within it.

The Justice Data Lab reports cohorts by the period people started. Here both
groups are cut by index date (participants' start, the comparison group's
eligible date), the comparison design is rebuilt inside each period, and each
period is estimated exactly as a whole evaluation restricted to that period
(``[cohort] index_from / index_to``) would be; the same rules apply (fewer
than 60 people in either group: not measurable, no estimate shown).

Financial years run 1 April to 31 March ("2024-25"); quarters are the
financial year's (Q1 April-June, ..., Q4 January-March: "2024-25 Q1").
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd

from .analyses import RESULT_COLUMNS, run_analyses
from .config import CohortConfig, EvaluationConfig
from .verdicts import MIN_EVENTS_TIME_TO_EVENT, MIN_PEOPLE

PERIOD_MEASURES = (
    "reoffending_rate",
    "reoffending_frequency",
    "time_to_reoffence",
    "da_incident_rate",
    "repeat_marac_rate",
)
PERIOD_COLUMNS = ["period", "period_from", "period_to", "status", *RESULT_COLUMNS]
MEASURED = "measured"


def financial_year(day: dt.date) -> int:
    """The financial year a date falls in, by the year it starts (1 April 2024 to 31 March 2025 is 2024)."""
    return day.year if day.month >= 4 else day.year - 1


def period_bounds(kind: str, first: dt.date, last: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """``(label, first day, last day)`` of every financial year or quarter from ``first`` to ``last``."""
    if kind not in ("year", "quarter"):
        raise ValueError(f"periods must be 'year' or 'quarter', not {kind!r}")
    out = []
    for fy in range(financial_year(first), financial_year(last) + 1):
        label = f"{fy}-{(fy + 1) % 100:02d}"
        if kind == "year":
            out.append((label, dt.date(fy, 4, 1), dt.date(fy + 1, 3, 31)))
            continue
        for q, (year, month) in enumerate(((fy, 4), (fy, 7), (fy, 10), (fy + 1, 1)), start=1):
            start = dt.date(year, month, 1)
            end = (pd.Timestamp(start) + pd.offsets.QuarterEnd(startingMonth=3)).date()
            if end >= first and start <= last:
                out.append((f"{label} Q{q}", start, end))
    return out


def restrict_to_cohort(
    people: pd.DataFrame, da_rows: pd.DataFrame | None, cohort: CohortConfig
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """People (both groups) whose index date is within ``cohort``'s range, and their recurrent-event rows."""
    if cohort.index_from is None and cohort.index_to is None:
        return people, da_rows
    index = pd.to_datetime(people["index_date"])
    keep = pd.Series(True, index=people.index)
    if cohort.index_from is not None:
        keep &= index >= pd.Timestamp(cohort.index_from)
    if cohort.index_to is not None:
        keep &= index <= pd.Timestamp(cohort.index_to)
    out = people[keep.to_numpy()].copy()
    out.attrs = people.attrs
    if da_rows is not None:
        da_rows = da_rows[da_rows["person_id"].isin(out["person_id"])]
    return out, da_rows


def cohort_words(cohort: CohortConfig) -> str:
    """'Only people with an index date from 1 April 2023 to 31 March 2025 (both groups).' or ''."""
    if cohort.index_from is None and cohort.index_to is None:
        return ""
    parts = []
    if cohort.index_from is not None:
        parts.append(f"from {_day(cohort.index_from)}")
    if cohort.index_to is not None:
        parts.append(f"to {_day(cohort.index_to)}")
    return (
        f"Only people with an index date {' '.join(parts)} are included, in both the programme and the comparison "
        "group (the config's [cohort] range)."
    )


def period_config(config: EvaluationConfig, start: dt.date, end: dt.date) -> EvaluationConfig:
    """The config restricted by hand to one period: what each period's estimate must equal."""
    return dataclasses.replace(config, cohort=CohortConfig(index_from=start, index_to=end))


def estimate_periods(
    people: pd.DataFrame, config: EvaluationConfig, da_rows: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per period, measure and statistic (columns :data:`PERIOD_COLUMNS`); empty if no periods asked.

    ``status`` is "measured", or why not (then the estimate is empty).
    """
    kind = config.analyses.periods
    treated = people[people["treated"] == 1]
    if kind is None or treated.empty:
        return pd.DataFrame(columns=PERIOD_COLUMNS)
    index = pd.to_datetime(treated["index_date"])
    # subgroups and sensitivity analyses are not wanted per period and do not change the main rows
    quick = dataclasses.replace(config.analyses, subgroups=(), sensitivity=False)
    rows = []
    for label, start, end in period_bounds(kind, index.min().date(), index.max().date()):
        cut, cut_da = restrict_to_cohort(people, da_rows, CohortConfig(start, end))
        base = {"period": label, "period_from": start.isoformat(), "period_to": end.isoformat()}
        n_programme = int((cut["treated"] == 1).sum())
        if n_programme < MIN_PEOPLE or int((cut["treated"] == 0).sum()) < MIN_PEOPLE:
            rows.append({**base, "status": f"not measurable: fewer than {MIN_PEOPLE} people in a group"})
            continue
        try:
            found = run_analyses(
                cut, dataclasses.replace(period_config(config, start, end), analyses=quick), da_rows=cut_da
            ).table()
        except (ValueError, np.linalg.LinAlgError) as exc:
            rows.append({**base, "status": f"not measurable: {exc}"})
            continue
        found = found[(found["analysis"] == "main") & (found["group"] == "all")]
        found = found[found["measure"].isin(PERIOD_MEASURES)]
        if found.empty:
            rows.append({**base, "status": "not measurable: no headline measure could be estimated"})
        for record in found.to_dict("records"):
            status = MEASURED
            if record["n_treated"] < MIN_PEOPLE or record["n_comparison"] < MIN_PEOPLE:
                status = f"not measurable: fewer than {MIN_PEOPLE} people in a group"
            elif record["measure"] == "time_to_reoffence" and record["events_treated"] < MIN_EVENTS_TIME_TO_EVENT:
                status = (
                    f"not measurable: fewer than {MIN_EVENTS_TIME_TO_EVENT} people in the programme group reoffended"
                )
            if status != MEASURED:
                record.update(estimate=np.nan, ci_lower=np.nan, ci_upper=np.nan, p=np.nan)
            rows.append({**base, "status": status, **record})
    frame = pd.DataFrame(rows, columns=PERIOD_COLUMNS)
    frame["group"] = frame["group"].fillna("all")
    frame["analysis"] = frame["analysis"].fillna("period")
    return frame


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"
