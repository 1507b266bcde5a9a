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
    each person once in each arm, censored at 365 days (lifelines' CoxPHFitter)."""
    from lifelines import CoxPHFitter

    n = untreated_day.size
    days = np.concatenate([untreated_day, treated_day])
    frame = pd.DataFrame(
        {
            "days": np.where(days > 0, days, FOLLOW_UP_DAYS).astype(float),
            "event": (days > 0).astype(int),
            "treated": np.r_[np.zeros(n), np.ones(n)],
        }
    )
    if frame["event"].sum() == 0:
        return float("nan")
    fit = CoxPHFitter().fit(frame, duration_col="days", event_col="event")
    return float(np.exp(fit.params_["treated"]))


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
