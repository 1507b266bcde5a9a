"""Who each programme takes and how they offend: the parameters of the synthetic cohorts.

One :class:`Profile` per programme. Rates are per year; log-linear effects are
on the log scale (0 = no effect). The numbers are plausible, not estimates
from any real cohort: they make the data realistic enough to test the
statistics, and the two calibrated quantities (comparison one-year proven
reoffending, repeat MARAC rate) are hit by calibration, not by these values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data.contract import DISPOSALS, OFFENCE_TYPES, SEVERITIES

AREAS = ("North", "South", "East", "West", "City")


@dataclass(frozen=True)
class Profile:
    """Parameters of one programme's synthetic cohort (see module docstring)."""

    name: str
    da_programme: bool
    # ages at referral: min_age + Gamma(shape, scale) for adults, min_age + width * Beta(a, b) for children
    min_age: float
    max_age: float
    age_shape: float
    age_scale: float
    youth: bool
    male_share: float
    risk_shares: tuple[float, float, float]  # standard, medium, high in the whole pool
    # history
    has_prior_share: float
    prior_offence_rate: float  # offences per year of criminal career at frailty 1
    onset_age_shape: float
    onset_age_scale: float
    da_rate: float  # DA incidents per year at frailty 1 (before and after the index date)
    da_history_years: float
    high_risk_incident: tuple[float, float, float]  # P(incident rated high) by person's risk level
    new_victim_share: float  # P(an incident is with a new victim), which makes serial abuse
    # selection: weights exp(linear predictor) on observed covariates only
    select_risk: tuple[float, float, float]
    select_prior_offences: float  # per log(1 + prior proven offences)
    select_prior_da: float  # per log(1 + prior DA incidents)
    select_age: float  # per year from centre_age
    select_male: float
    select_area: tuple[float, ...]
    # follow-up outcome (log rate ratios; the baseline is calibrated)
    centre_age: float
    outcome_age: float
    outcome_male: float
    outcome_risk: tuple[float, float, float]
    outcome_area: tuple[float, ...]
    da_outcome_age: float
    da_outcome_risk: tuple[float, float, float]
    target_one_year: float  # comparison one-year proven reoffending (JDL definition)
    target_repeat_marac: float | None
    # episodes, custody, exits
    programme_days: float  # median planned length
    disengage_share: float
    other_exit_share: float
    index_custody_share: float
    death_rate: float
    move_rate: float
    type_shares: tuple[float, ...]
    referral_sources: tuple[tuple[str, float], ...]
    triggers: tuple[str, ...] = ()
    # anti-social behaviour (#15): incidents per person-year at average relative offending rate
    asb_rate: float = 0.3


# P(severity | offence type), rows in OFFENCE_TYPES order, columns indictable, either_way, summary
SEVERITY_BY_TYPE = np.array(
    [
        [0.15, 0.45, 0.40],  # violence
        [0.60, 0.40, 0.00],  # sexual
        [1.00, 0.00, 0.00],  # robbery
        [0.05, 0.60, 0.35],  # theft
        [0.30, 0.70, 0.00],  # burglary
        [0.05, 0.45, 0.50],  # criminal_damage
        [0.05, 0.35, 0.60],  # public_order
        [0.15, 0.60, 0.25],  # drugs
        [0.20, 0.80, 0.00],  # weapons
        [0.20, 0.80, 0.00],  # fraud
        [0.00, 0.10, 0.90],  # motoring
        [0.00, 0.30, 0.70],  # breach
        [0.05, 0.35, 0.60],  # other
    ]
)

# P(disposal | severity), columns in DISPOSALS order:
# conviction, caution, pnd, community_resolution, nfa, other
DISPOSAL_BY_SEVERITY_ADULT = np.array(
    [
        [0.72, 0.04, 0.00, 0.00, 0.19, 0.05],
        [0.50, 0.12, 0.03, 0.05, 0.22, 0.08],
        [0.36, 0.12, 0.12, 0.12, 0.20, 0.08],
    ]
)
DISPOSAL_BY_SEVERITY_YOUTH = np.array(
    [
        [0.55, 0.15, 0.00, 0.03, 0.21, 0.06],
        [0.32, 0.24, 0.00, 0.16, 0.21, 0.07],
        [0.18, 0.24, 0.04, 0.28, 0.19, 0.07],
    ]
)

# P(domestic_abuse | offence type) in a DA programme's cohort; children's cohorts use a tenth of it
DA_BY_TYPE = np.array([0.60, 0.30, 0.02, 0.05, 0.03, 0.50, 0.30, 0.02, 0.10, 0.05, 0.01, 0.60, 0.20])

# proof delays in days (offence to conviction or caution): lognormal median, log-sd
CONVICTION_DELAY = (75.0, 0.9)
CAUTION_DELAY = (14.0, 0.8)

# custody sentence after a conviction in follow-up, by severity; time served lognormal (median days, log-sd)
CUSTODY_BY_SEVERITY = np.array([0.45, 0.20, 0.04])
SENTENCE_DAYS = (120.0, 0.7)
INDEX_CUSTODY_DAYS = (90.0, 0.6)

# of an incident not rated high: P(medium), by the person's risk level (the rest are standard)
INCIDENT_MEDIUM = (0.30, 0.50, 0.60)
CRIME_SHARE = 0.4  # DA incidents recorded as crimes
MARAC_DELAY_DAYS = 10.0  # mean days from a high-risk incident to the MARAC referral

_DA_TYPES = (0.34, 0.02, 0.01, 0.10, 0.03, 0.09, 0.10, 0.07, 0.03, 0.02, 0.07, 0.10, 0.02)
_YOUTH_TYPES = (0.26, 0.01, 0.04, 0.24, 0.03, 0.15, 0.10, 0.08, 0.05, 0.01, 0.01, 0.01, 0.01)

PROFILES: dict[str, Profile] = {
    "DRIVE": Profile(
        name="DRIVE",
        da_programme=True,
        min_age=18.0,
        max_age=75.0,
        age_shape=3.0,
        age_scale=6.0,
        youth=False,
        male_share=0.86,
        risk_shares=(0.35, 0.35, 0.30),
        has_prior_share=0.9,
        prior_offence_rate=0.25,
        onset_age_shape=2.0,
        onset_age_scale=4.0,
        da_rate=0.7,
        da_history_years=3.0,
        high_risk_incident=(0.08, 0.25, 0.50),
        new_victim_share=0.15,
        select_risk=(0.0, 0.8, 1.8),
        select_prior_offences=0.3,
        select_prior_da=0.6,
        select_age=-0.02,
        select_male=0.4,
        select_area=(0.3, 0.0, -0.2, 0.1, -0.3),
        centre_age=35.0,
        outcome_age=-0.025,
        outcome_male=0.3,
        outcome_risk=(0.0, 0.15, 0.3),
        outcome_area=(0.1, 0.0, -0.05, 0.05, 0.15),
        da_outcome_age=-0.02,
        da_outcome_risk=(0.0, 0.2, 0.4),
        target_one_year=0.27,
        target_repeat_marac=0.32,
        programme_days=300.0,
        disengage_share=0.25,
        other_exit_share=0.03,
        index_custody_share=0.06,
        death_rate=0.010,
        move_rate=0.03,
        type_shares=_DA_TYPES,
        referral_sources=(
            ("marac", 0.45),
            ("police", 0.25),
            ("probation", 0.15),
            ("children_social_care", 0.10),
            ("other", 0.05),
        ),
        asb_rate=0.15,
    ),
    "Up2U": Profile(
        name="Up2U",
        da_programme=True,
        min_age=16.0,
        max_age=75.0,
        age_shape=2.5,
        age_scale=8.0,
        youth=False,
        male_share=0.78,
        risk_shares=(0.50, 0.35, 0.15),
        has_prior_share=0.7,
        prior_offence_rate=0.2,
        onset_age_shape=2.0,
        onset_age_scale=5.0,
        da_rate=0.5,
        da_history_years=3.0,
        high_risk_incident=(0.08, 0.25, 0.50),
        new_victim_share=0.15,
        select_risk=(0.0, 1.0, -0.8),
        select_prior_offences=-0.5,
        select_prior_da=0.6,
        select_age=0.01,
        select_male=0.0,
        select_area=(0.0, 0.3, 0.2, -0.3, -0.2),
        centre_age=35.0,
        outcome_age=-0.025,
        outcome_male=0.3,
        outcome_risk=(0.0, 0.15, 0.3),
        outcome_area=(0.1, 0.0, -0.05, 0.05, 0.15),
        da_outcome_age=-0.02,
        da_outcome_risk=(0.0, 0.2, 0.4),
        target_one_year=0.27,
        target_repeat_marac=0.32,
        programme_days=180.0,
        disengage_share=0.30,
        other_exit_share=0.03,
        index_custody_share=0.03,
        death_rate=0.006,
        move_rate=0.03,
        type_shares=_DA_TYPES,
        referral_sources=(
            ("police", 0.35),
            ("children_social_care", 0.25),
            ("probation", 0.15),
            ("self", 0.10),
            ("health", 0.10),
            ("other", 0.05),
        ),
        asb_rate=0.3,
    ),
    "Turnaround": Profile(
        name="Turnaround",
        da_programme=False,
        min_age=10.0,
        max_age=18.0,
        age_shape=2.5,
        age_scale=1.5,
        youth=True,
        male_share=0.78,
        risk_shares=(0.55, 0.33, 0.12),
        has_prior_share=0.3,
        prior_offence_rate=0.4,
        onset_age_shape=1.0,
        onset_age_scale=1.0,
        da_rate=0.01,
        da_history_years=2.0,
        high_risk_incident=(0.05, 0.15, 0.30),
        new_victim_share=0.1,
        select_risk=(0.0, 0.6, 1.0),
        select_prior_offences=0.6,
        select_prior_da=0.0,
        select_age=-0.15,
        select_male=0.2,
        select_area=(0.2, -0.2, 0.0, 0.3, -0.3),
        centre_age=14.0,
        outcome_age=0.05,
        outcome_male=0.4,
        outcome_risk=(0.0, 0.2, 0.4),
        outcome_area=(0.1, 0.0, -0.05, 0.05, 0.15),
        da_outcome_age=0.0,
        da_outcome_risk=(0.0, 0.2, 0.4),
        target_one_year=0.32,
        target_repeat_marac=None,
        programme_days=200.0,
        disengage_share=0.15,
        other_exit_share=0.03,
        index_custody_share=0.005,
        death_rate=0.0005,
        move_rate=0.03,
        type_shares=_YOUTH_TYPES,
        referral_sources=(
            ("police", 0.80),
            ("youth_justice_service", 0.10),
            ("school", 0.05),
            ("children_social_care", 0.05),
        ),
        triggers=(
            "community_resolution",
            "no_further_action",
            "released_under_investigation",
            "pre_charge_bail",
            "outcome_22",
            "voluntary_attendance",
        ),
        asb_rate=1.0,
    ),
}
"""Each programme's synthetic-cohort parameters (a ``Profile``), by programme name."""

# Turnaround qualifying trigger, by risk level (standard, medium, high): rows sum to 1
TRIGGER_BY_RISK = np.array(
    [
        [0.30, 0.30, 0.15, 0.05, 0.10, 0.10],
        [0.25, 0.25, 0.20, 0.10, 0.10, 0.10],
        [0.20, 0.20, 0.25, 0.15, 0.10, 0.10],
    ]
)

assert SEVERITY_BY_TYPE.shape == (len(OFFENCE_TYPES), len(SEVERITIES))
# 'charged' (the last code) is never drawn: synthetic offences end in a final outcome
assert DISPOSAL_BY_SEVERITY_ADULT.shape == (len(SEVERITIES), DISPOSALS.index("charged"))
assert np.allclose(SEVERITY_BY_TYPE.sum(1), 1) and np.allclose(DISPOSAL_BY_SEVERITY_ADULT.sum(1), 1)
assert np.allclose(DISPOSAL_BY_SEVERITY_YOUTH.sum(1), 1) and np.allclose(TRIGGER_BY_RISK.sum(1), 1)
assert all(abs(sum(p.type_shares) - 1) < 1e-9 for p in PROFILES.values())
