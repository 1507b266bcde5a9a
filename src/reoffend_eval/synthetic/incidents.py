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

    def take(self, keep: np.ndarray) -> Incidents:
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


@dataclass
class Draws:
    """Incident rows before victims are numbered, with every random attribute drawn at creation
    (so that thinning other people's incidents never shifts these draws)."""

    owner: np.ndarray
    day: np.ndarray
    new_victim: np.ndarray
    incident_type: np.ndarray
    risk: np.ndarray
    referral_chance: np.ndarray  # referred to MARAC if rated high and this is below the MARAC share
    marac_delay: np.ndarray

    def take(self, keep: np.ndarray) -> Draws:
        return Draws(**{k: v[keep] for k, v in self.__dict__.items()})

    @staticmethod
    def concat(parts: list[Draws]) -> Draws:
        return Draws(**{k: np.concatenate([p.__dict__[k] for p in parts]) for k in parts[0].__dict__})


def draw(rng: np.random.Generator, profile: Profile, pool: Pool, owner: np.ndarray, day: np.ndarray) -> Draws:
    """Type, risk, new-victim flag and MARAC chances of incidents (owner, day)."""
    n = owner.size
    new_victim = rng.random(n) < profile.new_victim_share
    incident_type = np.where(rng.random(n) < CRIME_SHARE, CRIME, INCIDENT).astype(np.int8)
    person_risk = pool.risk[owner]
    high = np.asarray(profile.high_risk_incident)[person_risk]
    medium = (1 - high) * np.asarray(INCIDENT_MEDIUM)[person_risk]
    u = rng.random(n)
    risk = np.where(u < high, 2, np.where(u < high + medium, 1, 0)).astype(np.int8)
    referral_chance = rng.random(n).astype(np.float32)
    marac_delay = (rng.geometric(1 / MARAC_DELAY_DAYS, size=n) - 1).astype(np.int32)
    return Draws(owner, day, new_victim, incident_type, risk, referral_chance, marac_delay)


def assemble(draws: Draws, marac_share: float) -> Incidents:
    """Number each perpetrator's victims in date order and add the MARAC referrals; sorted rows."""
    draws = draws.take(owner_day_order(draws.owner, draws.day))
    owner, day = draws.owner, draws.day
    new_victim = draws.new_victim.copy()
    new_victim[rank_within_owner(owner) == 0] = False
    victim = cumsum_within_owner(owner, new_victim.astype(np.int64))
    referred = (draws.risk == 2) & (draws.referral_chance < marac_share)
    k = int(referred.sum())
    parts = [
        Incidents(owner, day, victim, draws.incident_type, draws.risk),
        Incidents(
            owner[referred],
            day[referred] + draws.marac_delay[referred],
            victim[referred],
            np.full(k, MARAC, dtype=np.int8),
            np.full(k, 2, dtype=np.int8),
        ),
    ]
    both = Incidents(**{key: np.concatenate([p.__dict__[key] for p in parts]) for key in parts[0].__dict__})
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
    if not np.sum(mu * high) > 0:
        return 0.3  # nobody in the comparison group has DA incidents: nothing to calibrate
    if repeat_rate(1.0) <= target:
        return 1.0
    return float(brentq(lambda x: repeat_rate(x) - target, 1e-6, 1.0, xtol=1e-10))
