"""True effects among the participants, from their treated and untreated potential outcomes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .offences import FOLLOW_UP_DAYS, WAITING_DAYS, Offences
from .sampling import first_per_person


def first_proven_day(offences: Offences, kept: np.ndarray, people: np.ndarray, n_pool: int) -> np.ndarray:
    """Per person in ``people``: day of the first offence committed in days 1..365 and proven by
    conviction or caution by day 365 + 183 (0 where none), among offences ``kept``."""
    counted = (
        kept
        & (offences.day >= 1)
        & (offences.day <= FOLLOW_UP_DAYS)
        & (offences.outcome_day <= FOLLOW_UP_DAYS + WAITING_DAYS)
    )
    first = first_per_person(offences.owner[counted], offences.day[counted], n_pool, fill=0x7FFFFFFF)
    first = first[people]
    return np.where(first <= FOLLOW_UP_DAYS, first, 0)


def marginal_hr(untreated_day: np.ndarray, treated_day: np.ndarray) -> float:
    """Cox hazard ratio (Efron ties) of the treated against the untreated potential outcomes,
    each person once in each world, censored at 365 days.

    The same estimate as R's ``coxph(Surv(days, event) ~ treated, ties = "efron")``
    or lifelines' ``CoxPHFitter``, for the one binary covariate, by Newton's
    method on the partial likelihood (no heavy import). NaN when either world
    has no events (the estimate would be 0 or infinite).
    """
    days = np.concatenate([untreated_day, treated_day]).astype(np.int64)
    treated = np.r_[np.zeros(untreated_day.size, bool), np.ones(treated_day.size, bool)]
    event = days > 0
    if not event[treated].any() or not event[~treated].any():
        return float("nan")
    time = np.where(event, days, FOLLOW_UP_DAYS)
    # counts at each distinct event time: events (all, treated) and people at risk (all, treated)
    times = np.unique(time[event])

    def at_or_after(values):
        return values.size - np.searchsorted(np.sort(values), times, side="left")

    at_risk, at_risk_treated = at_or_after(time), at_or_after(time[treated])
    events = np.bincount(np.searchsorted(times, time[event]), minlength=times.size)
    events_treated = np.bincount(np.searchsorted(times, time[event & treated]), minlength=times.size)
    # Efron: the j-th tied event (k = 0..d-1) removes k/d of the tied events' weight from the risk set
    row = np.repeat(np.arange(times.size), events)
    k_over_d = (np.arange(row.size) - np.repeat(np.cumsum(events) - events, events)) / events[row]
    beta = 0.0
    for _ in range(50):
        w = np.exp(beta)
        risk = (at_risk - at_risk_treated)[row] + at_risk_treated[row] * w
        tied = (events - events_treated)[row] + events_treated[row] * w
        slope = (at_risk_treated[row] - k_over_d * events_treated[row]) * w
        share = slope / (risk - k_over_d * tied)
        score = events_treated.sum() - share.sum()
        information = np.sum(share - share**2)
        step = score / information
        beta += step
        if abs(step) < 1e-12:
            break
    return float(np.exp(beta))


def truth_table(
    untreated_day: np.ndarray, treated_day: np.ndarray, da_untreated: np.ndarray, da_treated: np.ndarray
) -> dict:
    """The treated-population (ATT) quantities stored in ``CohortData.truth`` (see ``generate``)."""
    risk_treated = float(np.mean(treated_day > 0))
    risk_untreated = float(np.mean(untreated_day > 0))
    da_t, da_u = float(np.mean(da_treated)), float(np.mean(da_untreated))
    return {
        "att_risk_treated": risk_treated,
        "att_risk_untreated": risk_untreated,
        "att_risk_difference": risk_treated - risk_untreated,
        "att_risk_ratio": risk_treated / risk_untreated if risk_untreated > 0 else float("nan"),
        "att_marginal_hr": marginal_hr(untreated_day, treated_day),
        "att_da_rate_treated": da_t,
        "att_da_rate_untreated": da_u,
        "att_da_rate_ratio": da_t / da_u if da_u > 0 else float("nan"),
    }


def potential_outcomes(
    person_id, untreated_day: np.ndarray, treated_day: np.ndarray, da_untreated: np.ndarray, da_treated: np.ndarray
) -> pd.DataFrame:
    """One row per participant: both potential outcomes, so the truth can be computed for any subset
    (for example the treated people a caliper kept)."""
    return pd.DataFrame(
        {
            "person_id": person_id,
            "reoffended_untreated": untreated_day > 0,
            "reoffended_treated": treated_day > 0,
            "days_to_first_reoffence_untreated": np.where(untreated_day > 0, untreated_day, np.nan),
            "days_to_first_reoffence_treated": np.where(treated_day > 0, treated_day, np.nan),
            "da_incidents_untreated": np.asarray(da_untreated, dtype=np.int64),
            "da_incidents_treated": np.asarray(da_treated, dtype=np.int64),
        }
    )
