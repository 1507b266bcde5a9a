"""Outcome measures computed from the tables, written from the definitions in shared/DESIGN.md
(not taken from the generator), so the tests check the generator against the definitions."""
from __future__ import annotations

import numpy as np
import pandas as pd

FOLLOW_UP = pd.Timedelta(days=365)
WAITING = pd.Timedelta(days=183)


def index_dates(data, group: str) -> pd.Series:
    """Index date by person_id: start_date for participants, eligible_date for the comparison group."""
    people = getattr(data, group)
    column = "start_date" if group == "participants" else "eligible_date"
    return pd.Series(people[column].to_numpy(), index=people["person_id"].to_numpy())


def one_year_proven(data, group: str, extract) -> tuple[float, int]:
    """Justice Data Lab one-year proven reoffending among those with full follow-up.

    An offence committed in (index, index + 365 days], proven by conviction or
    caution by index + 365 + 183 days; penalty notices excluded (they never
    prove). People count only if the extract covers index + 365 + 183 days.
    """
    index = index_dates(data, group)
    full = index[index + FOLLOW_UP + WAITING <= pd.Timestamp(extract)]
    offences = data.offences[data.offences["person_id"].isin(full.index)]
    at = offences["person_id"].map(full)
    hit = (
        (offences["offence_date"] > at)
        & (offences["offence_date"] <= at + FOLLOW_UP)
        & offences["disposal"].isin(["conviction", "caution"])
        & (offences["outcome_date"] <= at + FOLLOW_UP + WAITING)
    )
    return offences.loc[hit, "person_id"].nunique() / len(full), len(full)


def repeat_marac_rate(data, group: str) -> tuple[float, int]:
    """Share of MARAC referrals after the index date that follow a referral for the same victim
    within the previous 365 days (SafeLives repeat MARAC case)."""
    index = index_dates(data, group)
    referrals = data.incidents[
        (data.incidents["incident_type"] == "marac_referral") & data.incidents["perpetrator_id"].isin(index.index)
    ].sort_values(["victim_id", "incident_date"], kind="stable")
    previous = referrals.groupby("victim_id")["incident_date"].shift()
    after = referrals["incident_date"] > referrals["perpetrator_id"].map(index)
    repeat = (referrals["incident_date"] - previous).dt.days <= 365
    return float(repeat[after].mean()), int(after.sum())


def prior_counts(data, group: str) -> pd.DataFrame:
    """Per person: prior proven offences (committed before the index date, proven on or before it)
    and prior DA incidents (incident or crime rows before it)."""
    index = index_dates(data, group)
    offences = data.offences
    at = offences["person_id"].map(index)
    proven = offences["disposal"].isin(["conviction", "caution"]) & (offences["offence_date"] < at) & (
        offences["outcome_date"] <= at
    )
    incidents = data.incidents
    da = incidents["incident_type"].isin(["incident", "crime"]) & (
        incidents["incident_date"] < incidents["perpetrator_id"].map(index)
    )
    return pd.DataFrame(
        {
            "prior_offences": offences[proven].groupby("person_id").size().reindex(index.index, fill_value=0),
            "prior_da": incidents[da].groupby("perpetrator_id").size().reindex(index.index, fill_value=0),
        }
    )


def smd(treated: pd.Series, control: pd.Series) -> float:
    """Standardised mean difference with the pooled SD."""
    treated, control = treated.astype(float), control.astype(float)
    return float((treated.mean() - control.mean()) / np.sqrt((treated.var() + control.var()) / 2))
