"""When a target that is not yet settled becomes measurable, at the programme's recent rate of new starters.

A person counts in the fixed-window measures once the extract covers their
index date + follow-up + waiting period (Justice Data Lab). So the cohort that
can be analysed on a date D is everyone whose index date is on or before
D - (follow-up + waiting). People whose index date is already in the data are
counted as they are; after the extract date, new starters are projected at the
rate of the last twelve months before the extract date (index dates in
``(extract_date - 365 days, extract_date]``). The date a target becomes measurable
is the first D at which that cohort, times the share of the programme group the
comparison design keeps (matching may leave some out), reaches the people needed:

- the Justice Data Lab minimums (60 people in each group; at least 10 people with
  and without the outcome for a rate; 30 people who reoffended for time to
  reoffence), and
- for a target to be settled, the people per group needed to detect the target's
  difference at 80% power (:func:`.verdicts.people_needed`).

The comparison pool is assumed large enough to give a match to each new
participant, as it is in the JDL's national data; when it is not, the date is too early.

>>> when = measurable_date(200, index_dates, dt.date(2026, 3, 31), lag_days=548, rate_per_day=0.2)  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import disclosure as sdc
from .verdicts import MIN_EVENTS_TIME_TO_EVENT, MIN_EXPECTED_COUNT, MIN_PEOPLE, NOT_MEASURABLE, ON_COURSE, Assessment

RATE_WINDOW_DAYS = 365
NEVER = "not at the current rate"
#: a projection further ahead than this is no projection: reported as NEVER
HORIZON_DAYS = 50 * 365
PENDING = (NOT_MEASURABLE, ON_COURSE)


@dataclass(frozen=True)
class StarterRate:
    """New starters (programme index dates) in the twelve months up to the extract date."""

    starters: int
    window_from: dt.date
    window_to: dt.date

    @property
    def per_day(self) -> float:
        return self.starters / RATE_WINDOW_DAYS

    def words(self) -> str:
        """'146 new starters in the twelve months 1 April 2025 to 31 March 2026' (1 to 4 shown as fewer than 5)."""
        shown = sdc.count(self.starters)
        n = "fewer than 5" if shown == sdc.SMALL else f"{shown:,}"
        return f"{n} new starters in the twelve months {_day(self.window_from)} to {_day(self.window_to)}"


def starter_rate(index_dates: pd.Series, extract_date: dt.date) -> StarterRate:
    """The programme's starters in ``(extract_date - 365 days, extract_date]``."""
    dates = pd.to_datetime(pd.Series(index_dates)).dropna()
    end = pd.Timestamp(extract_date)
    start = end - pd.Timedelta(days=RATE_WINDOW_DAYS)
    n = int(((dates > start) & (dates <= end)).sum())
    return StarterRate(n, (start + pd.Timedelta(days=1)).date(), end.date())


def measurable_date(
    required: float,
    index_dates: pd.Series,
    extract_date: dt.date,
    *,
    lag_days: int,
    rate_per_day: float,
    share_kept: float = 1.0,
) -> dt.date | None:
    """The first date the analysable programme group reaches ``required`` people; None if never at this rate.

    ``index_dates`` are the programme group's index dates known at the extract; a
    person becomes analysable ``lag_days`` (follow-up + waiting) after theirs.
    ``share_kept`` is the share of the programme group the comparison design keeps.
    """
    if not math.isfinite(required) or share_kept <= 0:
        return None
    k = max(1, math.ceil(required / share_kept - 1e-9))
    end = pd.Timestamp(extract_date)
    observed = np.sort(pd.to_datetime(pd.Series(index_dates)).dropna().to_numpy())
    observed = observed[observed <= end.to_datetime64()]
    lag = pd.Timedelta(days=lag_days)
    if len(observed) >= k:
        return (pd.Timestamp(observed[k - 1]) + lag).date()
    if rate_per_day <= 0:
        return None
    days_more = math.ceil((k - len(observed)) / rate_per_day - 1e-9)
    if days_more > HORIZON_DAYS:
        return None
    return (end + pd.Timedelta(days=days_more) + lag).date()


def people_required(assessment: Assessment) -> float:
    """People needed in the programme group: the JDL minimums and, when known, the power to detect the target."""
    needed = float(MIN_PEOPLE)
    e = assessment.evidence
    kind = assessment.target.spec.kind
    if e is not None:
        if kind == "proportion":
            for p in (e.treated_value, e.comparator_value):
                if p is not None and np.isfinite(p):
                    smaller = min(p, 1 - p)
                    needed = max(needed, MIN_EXPECTED_COUNT / smaller if smaller > 0 else math.inf)
        if kind == "time" and e.n_treated and e.events_treated is not None:
            share = e.events_treated / e.n_treated
            needed = max(needed, MIN_EVENTS_TIME_TO_EVENT / share if share > 0 else math.inf)
    if assessment.people_needed is not None:
        needed = max(needed, float(assessment.people_needed))
    return needed


def measurable_by(
    assessments: tuple[Assessment, ...], people: pd.DataFrame, extract_date: dt.date, lag_days: int
) -> tuple[list[str], StarterRate]:
    """For each assessment: an ISO date, :data:`NEVER`, or "" (met or not met: nothing to wait for).

    ``people`` is the outcomes table (``treated``, ``index_date``, ``full_follow_up``).
    """
    treated = people[people["treated"] == 1]
    index_dates = pd.to_datetime(treated["index_date"])
    rate = starter_rate(index_dates, extract_date)
    analysable = int(treated["full_follow_up"].fillna(False).astype(bool).sum())
    out = []
    for a in assessments:
        if a.verdict not in PENDING:
            out.append("")
            continue
        share = 1.0
        if a.evidence is not None and analysable > 0 and a.target.comparator == "matched":
            share = min(1.0, a.evidence.n_treated / analysable) or 1.0
        when = measurable_date(
            people_required(a),
            index_dates,
            extract_date,
            lag_days=lag_days,
            rate_per_day=rate.per_day,
            share_kept=share,
        )
        out.append(NEVER if when is None else when.isoformat())
    return out, rate


def measurable_sentence(measurable: str, by: str, extract_date: dt.date | None = None) -> str:
    """'Expected to be measurable by June 2027, after the target date of March 2027.' ('' when nothing pending)."""
    if not measurable:
        return ""
    target_date = dt.date.fromisoformat(str(by)[:10])
    if measurable == NEVER:
        return f"Not expected to become measurable at the current rate of new starters (target date {_month(target_date)})."
    when = dt.date.fromisoformat(measurable)
    if extract_date is not None and when <= extract_date:
        return (
            "The programme already has enough people with a full follow-up to settle this target; "
            f"the target date is {_month(target_date)}."
        )
    if (when.year, when.month) == (target_date.year, target_date.month):
        relation = "the same month as the target date"
    elif when < target_date:
        relation = f"before the target date of {_month(target_date)}"
    else:
        relation = f"after the target date of {_month(target_date)}"
    return f"Expected to be measurable by {_month(when)}, {relation}."


def _month(day: dt.date) -> str:
    return f"{day:%B} {day.year}"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"
