"""The contract's six tables built from the generator's internal arrays (typed by ``tables``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.contract import (
    ASB_TYPES,
    DISPOSALS,
    ETHNICITIES,
    EXIT_REASONS,
    EXIT_TYPES,
    INCIDENT_TYPES,
    OFFENCE_TYPES,
    PROGRAMMES,
    RISK_LEVELS,
    SEVERITIES,
    SEXES,
)
from . import incidents as da
from . import offences as off
from . import tables as tb
from .episodes import NEVER
from .profiles import AREAS
from .sampling import DAYS_PER_YEAR, codes


def _person_columns(profile, pool, people, index_day, person_ids) -> dict:
    dob = index_day[people] - np.round(pool.age_index[people] * DAYS_PER_YEAR).astype(np.int64)
    return {
        "person_id": person_ids(people),
        "date_of_birth": tb.dates(dob),
        "sex": tb.categorical(pool.sex[people], SEXES),
        "ethnicity": tb.categorical(pool.ethnicity[people], ETHNICITIES),
        "risk_level": tb.categorical(pool.risk[people], RISK_LEVELS),
        "area": tb.labels(AREAS, pool.area[people]),
    }


def _trigger(profile, trigger, people) -> dict:
    if trigger is None:
        return {}
    return {"trigger": tb.labels(profile.triggers, trigger[people])}


def participants_table(rng, profile, pool, people, episodes, index_day, person_ids, trigger) -> pd.DataFrame:
    """One row per participant's episode; ``referral_source`` is drawn here (it plays no part in selection)."""
    start = index_day[people]
    ongoing = episodes.end_day == NEVER
    sources, shares = zip(*profile.referral_sources)
    columns = _person_columns(profile, pool, people, index_day, person_ids)
    columns.update(
        programme=tb.categorical(np.full(people.size, PROGRAMMES.index(profile.name)), PROGRAMMES),
        referral_date=tb.dates(start - pool.gap[people]),
        start_date=tb.dates(start),
        end_date=tb.dates(start + np.where(ongoing, 0, episodes.end_day), ongoing),
        exit_reason=tb.categorical(episodes.exit_reason, EXIT_REASONS),
        referral_source=tb.labels(sources, codes(rng, shares, people.size)),
        **_trigger(profile, trigger, people),
    )
    return tb.table("participants", columns)


def comparison_table(profile, pool, people, index_day, person_ids, trigger) -> pd.DataFrame:
    """One row per comparison person, ``eligible_date`` their index date."""
    columns = _person_columns(profile, pool, people, index_day, person_ids)
    columns.update(
        eligible_date=tb.dates(index_day[people]),
        programme=tb.categorical(np.full(people.size, PROGRAMMES.index(profile.name)), PROGRAMMES),
        **_trigger(profile, trigger, people),
    )
    return tb.table("comparison", columns)


def offences_table(pool, rows: off.Offences, index_day, person_ids) -> pd.DataFrame:
    """Every offence before and after the index date, sorted by person and date."""
    base = index_day[rows.owner]
    # a conviction or caution after the extract date is not yet known; after a death it never comes
    died = (pool.exit_reason[rows.owner] == 0) & (rows.outcome_day >= pool.exit_day[rows.owner])
    pending = (rows.outcome_day != off.NO_DATE) & ((rows.outcome_day > pool.horizon[rows.owner]) | died)
    disposal = np.where(pending, off.OTHER, rows.disposal)
    no_outcome = pending | (rows.outcome_day == off.NO_DATE)
    n = rows.owner.size
    return tb.table(
        "offences",
        {
            "person_id": person_ids(rows.owner),
            "offence_date": tb.dates(base + rows.day),
            "outcome_date": tb.dates(base + np.where(no_outcome, 0, rows.outcome_day), no_outcome),
            "disposal": tb.categorical(disposal, DISPOSALS),
            "offence_id": tb.strings(tb.id_strings("O", np.arange(1, n + 1), len(str(n)) + 1)),
            "offence_type": tb.categorical(rows.offence_type, OFFENCE_TYPES),
            "severity": tb.categorical(rows.severity, SEVERITIES),
            "domestic_abuse": tb.booleans(rows.domestic_abuse),
        },
    )


def incidents_table(rows: da.Incidents, index_day, person_ids, n_pool: int) -> pd.DataFrame:
    """DA incidents, crimes and MARAC referrals; victim ids are unique to their perpetrator."""
    # rows are sorted by perpetrator: each run's largest victim number gives the count
    victims_per_person = np.zeros(n_pool, dtype=np.int64)
    if rows.owner.size:
        starts = np.r_[0, np.flatnonzero(rows.owner[1:] != rows.owner[:-1]) + 1]
        victims_per_person[rows.owner[starts]] = np.maximum.reduceat(rows.victim, starts) + 1
    offset = np.r_[0, np.cumsum(victims_per_person)[:-1]]
    victim_number = offset[rows.owner] + rows.victim + 1
    total = int(victims_per_person.sum())
    n = rows.owner.size
    return tb.table(
        "incidents",
        {
            "perpetrator_id": person_ids(rows.owner),
            "victim_id": tb.strings(tb.id_strings("V", victim_number, len(str(total)) + 1)),
            "incident_date": tb.dates(index_day[rows.owner] + rows.day),
            "incident_type": tb.categorical(rows.incident_type, INCIDENT_TYPES),
            "incident_id": tb.strings(tb.id_strings("I", np.arange(1, n + 1), len(str(n)) + 1)),
            "risk_level": tb.categorical(rows.risk, RISK_LEVELS),
        },
    )


def custody_table(pool, sentences, index_day, person_ids) -> pd.DataFrame:
    """Index custody spells and follow-up sentences. A spell still running at the extract date ends on
    it (the extract cannot see a later release; the validation stage requires an end on or before it)."""
    has = (
        (pool.custody_start <= pool.custody_end)
        & (pool.custody_start <= pool.horizon)
        & (pool.custody_start < pool.exit_day)
    )
    index_owner = np.flatnonzero(has)
    owner = np.concatenate([index_owner, sentences.owner])
    start = np.concatenate([pool.custody_start[index_owner], sentences.start]).astype(np.int64)
    end = np.concatenate([pool.custody_end[index_owner], sentences.end]).astype(np.int64)
    end = np.minimum(end, pool.exit_day[owner])  # died in custody
    order = np.lexsort((start, owner))
    owner, start, end = owner[order], start[order], end[order]
    end = np.minimum(end, pool.horizon[owner])
    base = index_day[owner]
    return tb.table(
        "custody",
        {
            "person_id": person_ids(owner),
            "start_date": tb.dates(base + start),
            "end_date": tb.dates(base + end),
        },
    )


def exits_table(pool, index_day, person_ids) -> pd.DataFrame:
    """Deaths and moves away on or before the extract date."""
    owner = np.flatnonzero(pool.exit_day <= pool.horizon)
    return tb.table(
        "exits",
        {
            "person_id": person_ids(owner),
            "date": tb.dates(index_day[owner] + pool.exit_day[owner]),
            "reason": tb.categorical(pool.exit_reason[owner], EXIT_TYPES),
        },
    )


def asb_table(rows, index_day, person_ids) -> pd.DataFrame:
    """ASB incidents and interventions, sorted by person and date, with their own record id."""
    n = rows.owner.size
    return tb.table(
        "asb",
        {
            "person_id": person_ids(rows.owner),
            "date": tb.dates(index_day[rows.owner] + rows.day),
            "type": tb.categorical(rows.type, ASB_TYPES),
            "asb_id": tb.strings(tb.id_strings("A", np.arange(1, n + 1), len(str(n)) + 1)),
        },
    )
