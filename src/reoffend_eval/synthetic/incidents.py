"""Domestic-abuse incidents and MARAC referrals, with repeat (same victim) and serial (new victim) abuse.

Each person has DA incidents as a Poisson process at a rate that depends on
age, risk level and a hidden DA frailty, the same before and after the index
date (times ``da_effect`` for participants after it). Incidents follow one
another with the same victim until, with probability ``new_victim_share`` per
incident, a new victim appears (serial abuse). An incident rated high risk is
referred to MARAC with a probability calibrated so that the comparison
group's repeat MARAC rate (a referral for the same victim within 365 days of
the previous one, SafeLives) is near the profile's target.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from .people import Pool
from .profiles import CRIME_SHARE, INCIDENT_MEDIUM, MARAC_DELAY_DAYS, Profile
from .sampling import DAYS_PER_YEAR, cumsum_within_owner, events_after, in_spell, owner_day_order, rank_within_owner

INCIDENT, CRIME, MARAC = 0, 1, 2


@dataclass
class Incidents:
    """Incident rows (internal): owner is the perpetrator's position in the pool; days from their index."""

    owner: np.ndarray
    day: np.ndarray
    victim: np.ndarray  # 0, 1, 2 ... within the perpetrator
    incident_type: np.ndarray
    risk: np.ndarray

    def take(self, keep: np.ndarray) -> "Incidents":
        return Incidents(**{k: v[keep] for k, v in self.__dict__.items()})


def relative_da_rate(profile: Profile, pool: Pool) -> np.ndarray:
    """DA incidents per year before any programme effect."""
    return (
        profile.da_rate
        * np.exp(
            profile.da_outcome_age * (pool.age_index - profile.centre_age)
            + np.asarray(profile.da_outcome_risk)[pool.risk]
        )
        * pool.da_frailty
    )


def prior_incidents(rng: np.random.Generator, profile: Profile, pool: Pool, rate: np.ndarray):
    """(owner, day) of DA incidents in the history window before the index date, outside custody."""
    adult_from = 16.0 if profile.da_programme else 10.0
    years = np.clip(np.minimum(profile.da_history_years, pool.age_index - adult_from), 0, None)
    length = np.floor(years * DAYS_PER_YEAR)
    owner, day = events_after(rng, rate, length)
    day = -day
    keep = ~in_spell(owner, day, pool.custody_start, pool.custody_end)
    return owner[keep], day[keep]


def prior_da_count(owner: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(owner, minlength=n)


def describe(rng: np.random.Generator, profile: Profile, pool: Pool, owner, day, marac_share: float) -> Incidents:
    """Victims, types and risk of incidents (sorted by owner and day), plus their MARAC referrals."""
    order = owner_day_order(owner, day)
    owner, day = owner[order], day[order]
    new_victim = rng.random(owner.size) < profile.new_victim_share
    new_victim[rank_within_owner(owner) == 0] = False
    victim = cumsum_within_owner(owner, new_victim.astype(np.int64))
    incident_type = np.where(rng.random(owner.size) < CRIME_SHARE, CRIME, INCIDENT).astype(np.int8)
    person_risk = pool.risk[owner]
    high = np.asarray(profile.high_risk_incident)[person_risk]
    medium = (1 - high) * np.asarray(INCIDENT_MEDIUM)[person_risk]
    u = rng.random(owner.size)
    risk = np.where(u < high, 2, np.where(u < high + medium, 1, 0)).astype(np.int8)
    referred = (risk == 2) & (rng.random(owner.size) < marac_share)
    delay = rng.geometric(1 / MARAC_DELAY_DAYS, size=int(referred.sum())) - 1
    marac = Incidents(
        owner[referred], day[referred] + delay, victim[referred],
        np.full(int(referred.sum()), MARAC, dtype=np.int8), np.full(int(referred.sum()), 2, dtype=np.int8),
    )
    rows = Incidents(owner, day, victim, incident_type, risk)
    both = Incidents(**{k: np.concatenate([rows.__dict__[k], marac.__dict__[k]]) for k in rows.__dict__})
    return both.take(owner_day_order(both.owner, both.day, both.incident_type))


def calibrate_marac(profile: Profile, pool: Pool, rate: np.ndarray, people: np.ndarray) -> float:
    """Share of high-risk incidents referred to MARAC giving the target repeat MARAC rate.

    A referral is a repeat when the same victim had one in the 365 days
    before. Looking back from a referral whose own incident is not with a new
    victim (probability ``1 - s``), each earlier incident (``mu`` a year) ends
    the search when it was referred (``q``: a repeat, since it is with this
    victim even if it began the relationship) or began the relationship
    (``s``: no repeat). So the chance is
    ``(1 - s) q / (q + s - q s) (1 - exp(-mu (q + s - q s)))``, averaged over
    people weighted by their referral rate ``mu q``.
    """
    if profile.target_repeat_marac is None:
        return 0.3
    high = np.asarray(profile.high_risk_incident)[pool.risk[people]]
    mu = rate[people]
    s = profile.new_victim_share

    def repeat_rate(share):
        q = high * share
        stop = q + s - q * s
        chance = (1 - s) * q / stop * -np.expm1(-mu * stop)
        return np.sum(mu * q * chance) / np.sum(mu * q)

    target = profile.target_repeat_marac
    if repeat_rate(1.0) <= target:
        return 1.0
    return float(brentq(lambda x: repeat_rate(x) - target, 1e-6, 1.0, xtol=1e-10))
