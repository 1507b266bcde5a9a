"""Offences and incidents as int64 day arrays relative to each person's index date."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data.cohort import CohortData
from ._arrays import NA_DAY, days, is_in, person_codes, string_codes
from ._cohort import Cohort, _require
from .rules import OutcomeRules


@dataclass(frozen=True)
class Offences:
    code: np.ndarray  # person code
    day: np.ndarray  # offence day after the index date (negative = before)
    proof_day: np.ndarray  # proof day after the index date, NA_DAY if not proven
    proven_by_extract: np.ndarray  # proving disposal, proof date present and on or before the extract date
    violent: np.ndarray | None
    domestic_abuse: np.ndarray | None


@dataclass(frozen=True)
class Incidents:
    code: np.ndarray  # perpetrator code
    victim: np.ndarray  # victim code, -1 when unknown
    day: np.ndarray  # incident day after the index date
    is_incident: np.ndarray  # incident or crime (not a MARAC referral)
    is_marac: np.ndarray


@dataclass(frozen=True)
class AsbRecords:
    code: np.ndarray  # person code
    day: np.ndarray  # record day after the index date
    is_incident: np.ndarray  # an ASB incident (every other type is a formal intervention)


def offences_of(data: CohortData, cohort: Cohort, rules: OutcomeRules) -> Offences | None:
    table = data.offences
    if table is None:
        return None
    _require(table, "offences", ["person_id", "offence_date", "outcome_date", "disposal"])
    code = person_codes(table["person_id"], cohort.lookup)
    offence = days(table["offence_date"])
    keep = (code >= 0) & (offence != NA_DAY)
    code, offence = code[keep], offence[keep]
    outcome = days(table["outcome_date"])[keep]
    proving = is_in(table["disposal"], rules.proving_disposals)[keep]
    index = cohort.index_day[code]
    has_proof = outcome != NA_DAY
    proven = proving & has_proof & (outcome <= cohort.extract_day)
    violent = da = None
    if "offence_type" in table.columns:
        violent = is_in(table["offence_type"], rules.violent_types)[keep]
    if "domestic_abuse" in table.columns:
        da = table["domestic_abuse"].fillna(False).to_numpy(dtype=bool)[keep]
    return Offences(
        code=code,
        day=offence - index,
        proof_day=np.where(has_proof, outcome - index, NA_DAY),
        proven_by_extract=proven,
        violent=violent,
        domestic_abuse=da,
    )


def incidents_of(data: CohortData, cohort: Cohort) -> Incidents | None:
    table = data.incidents
    if table is None:
        return None
    _require(table, "incidents", ["perpetrator_id", "victim_id", "incident_date", "incident_type"])
    code = person_codes(table["perpetrator_id"], cohort.lookup)
    day = days(table["incident_date"])
    keep = (code >= 0) & (day != NA_DAY) & (day <= cohort.extract_day)
    victim = string_codes(table["victim_id"])[keep]
    code = code[keep]
    return Incidents(
        code=code,
        victim=victim,
        day=day[keep] - cohort.index_day[code],
        is_incident=is_in(table["incident_type"], ["incident", "crime"])[keep],
        is_marac=is_in(table["incident_type"], ["marac_referral"])[keep],
    )


def asb_of(data: CohortData, cohort: Cohort) -> AsbRecords | None:
    table = getattr(data, "asb", None)
    if table is None:
        return None
    _require(table, "asb", ["person_id", "date", "type"])
    code = person_codes(table["person_id"], cohort.lookup)
    day = days(table["date"])
    keep = (code >= 0) & (day != NA_DAY) & (day <= cohort.extract_day)
    known_type = table["type"].notna().to_numpy(dtype=bool)[keep]
    code = code[keep]
    incident = is_in(table["type"], ["incident"])[keep]
    return AsbRecords(
        code=code[known_type],
        day=(day[keep] - cohort.index_day[code])[known_type],
        is_incident=incident[known_type],
    )


def reoffence_mask(off: Offences, rules: OutcomeRules) -> np.ndarray:
    """Proven reoffences in the fixed window: committed on days 1..F, proven by day F + W."""
    return (
        off.proven_by_extract
        & (off.day >= 1)
        & (off.day <= rules.follow_up_days)
        & (off.proof_day <= rules.full_follow_up_days)
    )


def counted_reoffences(off: Offences, cohort: Cohort, rules: OutcomeRules) -> np.ndarray:
    """Reoffences that are time-to-event events: as above and committed by the end of observation."""
    return reoffence_mask(off, rules) & (off.day <= cohort.observed_days[off.code])


def counted_incidents(inc: Incidents, cohort: Cohort) -> np.ndarray:
    """DA incidents (incident or crime) on days 1..end of observation."""
    return inc.is_incident & (inc.day >= 1) & (inc.day <= cohort.observed_days[inc.code])
