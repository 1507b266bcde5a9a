"""Offences before and after the index date, with types, severities, disposals and proof delays.

After the index date each person offends as a Poisson process with rate
``baseline * exp(covariate effects) * frailty``, times ``effect`` for
participants. Each offence is independently given a type, a severity, a
disposal and (for convictions and cautions) a proof delay, none of which
depend on the person, so the hazard of a first *proven* reoffence is the
offending rate thinned by a proof probability that is the same for everyone:
the hazard ratio of proven reoffending is exactly ``effect``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from ..data.contract import DISPOSALS
from .people import Pool
from .profiles import (
    CAUTION_DELAY,
    CONVICTION_DELAY,
    CUSTODY_BY_SEVERITY,
    DA_BY_TYPE,
    DISPOSAL_BY_SEVERITY_ADULT,
    DISPOSAL_BY_SEVERITY_YOUTH,
    SENTENCE_DAYS,
    SEVERITY_BY_TYPE,
    Profile,
)
from .sampling import DAYS_PER_YEAR, codes, codes_given, events_after, in_spell, lognormal_cdf, lognormal_days

CONVICTION = DISPOSALS.index("conviction")
CAUTION = DISPOSALS.index("caution")
OTHER = DISPOSALS.index("other")
NO_DATE = np.iinfo(np.int32).max  # sentinel for "no outcome date"

FOLLOW_UP_DAYS = 365
WAITING_DAYS = 183
DEFAULT_BASELINE = 0.5  # offences per year, used only when calibration is impossible


@dataclass
class Offences:
    """Offence rows (internal): owner is the person's position in the pool; days are from their index."""

    owner: np.ndarray
    day: np.ndarray
    offence_type: np.ndarray
    severity: np.ndarray
    disposal: np.ndarray
    outcome_day: np.ndarray  # NO_DATE unless conviction or caution
    domestic_abuse: np.ndarray
    custodial: np.ndarray  # whether a conviction for it would bring a custodial sentence
    sentence_days: np.ndarray  # time served if so

    def take(self, keep: np.ndarray) -> Offences:
        return Offences(**{k: v[keep] for k, v in self.__dict__.items()})

    @staticmethod
    def concat(parts: list[Offences]) -> Offences:
        return Offences(**{k: np.concatenate([p.__dict__[k] for p in parts]) for k in parts[0].__dict__})


def disposal_table(profile: Profile) -> np.ndarray:
    return DISPOSAL_BY_SEVERITY_YOUTH if profile.youth else DISPOSAL_BY_SEVERITY_ADULT


def describe(
    rng: np.random.Generator, profile: Profile, owner: np.ndarray, day: np.ndarray, follow_up: bool = False
) -> Offences:
    """Give each offence a type, severity, disposal, proof date and DA flag (and, in follow-up,
    whether a conviction would bring custody and for how long)."""
    n = owner.size
    offence_type = codes(rng, profile.type_shares, n)
    severity = codes_given(rng, SEVERITY_BY_TYPE, offence_type)
    disposal = codes_given(rng, disposal_table(profile), severity)
    proven = (disposal == CONVICTION) | (disposal == CAUTION)
    is_conviction = disposal == CONVICTION
    median = np.where(is_conviction, CONVICTION_DELAY[0], CAUTION_DELAY[0])
    sigma = np.where(is_conviction, CONVICTION_DELAY[1], CAUTION_DELAY[1])
    delay = np.maximum(np.ceil(median * np.exp(sigma * rng.standard_normal(n))), 1)
    outcome_day = np.where(proven, day + delay, NO_DATE).astype(np.int32)
    da_share = DA_BY_TYPE if profile.da_programme else DA_BY_TYPE / 10
    domestic_abuse = rng.random(n) < da_share[offence_type]
    if follow_up:
        # drawn now, with the offence, so that thinning other people's offences never shifts these draws
        custodial = rng.random(n) < CUSTODY_BY_SEVERITY[severity]
        sentence_days = lognormal_days(rng, *SENTENCE_DAYS, n)
    else:
        custodial, sentence_days = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int32)
    return Offences(
        owner,
        day.astype(np.int32),
        offence_type,
        severity,
        disposal,
        outcome_day,
        domestic_abuse,
        custodial,
        sentence_days,
    )


def proof_shares(profile: Profile) -> tuple[float, float]:
    """P(conviction), P(caution) of any one offence under this profile."""
    by_type = np.asarray(profile.type_shares) @ SEVERITY_BY_TYPE @ disposal_table(profile)
    return float(by_type[CONVICTION]), float(by_type[CAUTION])


def prior_offences(rng: np.random.Generator, profile: Profile, pool: Pool) -> Offences:
    """Criminal history before the index date: a first offence at onset, then a Poisson process."""
    n = pool.n
    if profile.youth:
        onset_age = profile.min_age + rng.random(n) * (pool.age_index - profile.min_age)
    else:
        onset_age = 12 + rng.gamma(profile.onset_age_shape, profile.onset_age_scale, n)
    career_days = np.floor((pool.age_index - onset_age) * DAYS_PER_YEAR).astype(np.int64)
    has_prior = (rng.random(n) < profile.has_prior_share) & (career_days >= 30)
    career_days = np.where(has_prior, career_days, 0)
    rate = profile.prior_offence_rate * pool.offending_frailty * np.exp(0.3 * pool.male)
    extra = np.where(has_prior, rng.poisson(rate * career_days / DAYS_PER_YEAR), 0)
    counts = has_prior + extra
    owner = np.repeat(np.arange(n, dtype=np.int64), counts)
    # the first of each person's offences is at onset; the rest fall uniformly after it
    first = np.r_[0, np.cumsum(counts)[:-1]][has_prior]
    span = career_days[owner]
    day = -np.maximum(np.ceil(rng.random(owner.size) * span), 1).astype(np.int64)
    day[first] = -career_days[has_prior]
    offences = describe(rng, profile, owner, day)
    return offences.take(~in_spell(owner, offences.day, pool.custody_start, pool.custody_end))


def prior_proven_count(offences: Offences, n: int) -> np.ndarray:
    """Per person: offences committed before the index date and proven (conviction or caution) on or
    before it — the outcome stage's ``prior_proven_offences``."""
    proven = offences.outcome_day <= 0
    return np.bincount(offences.owner[proven], minlength=n)


def outcome_rate(profile: Profile, pool: Pool) -> np.ndarray:
    """Relative offending rate after the index date (before the calibrated baseline and effect)."""
    return (
        np.exp(
            profile.outcome_age * (pool.age_index - profile.centre_age)
            + profile.outcome_male * pool.male
            + np.asarray(profile.outcome_risk)[pool.risk]
            + np.asarray(profile.outcome_area)[pool.area]
        )
        * pool.offending_frailty
    )


def calibrate_baseline(profile: Profile, pool: Pool, relative_rate: np.ndarray, people: np.ndarray) -> float:
    """Baseline offences per year giving ``profile.target_one_year`` among ``people`` (untreated).

    Under the model, the number of offences committed in days 1..365 (outside
    custody, before an exit) that are proven by conviction or caution within
    365 + 183 days of the index date is Poisson with mean
    ``baseline * relative_rate * K / 365.25``, where ``K`` sums over those days
    the chance that an offence on that day is proven in time. The baseline is
    solved so the expected share with at least one such offence hits the target.
    """
    p_conviction, p_caution = proof_shares(profile)
    longest = FOLLOW_UP_DAYS + WAITING_DAYS
    # in_time[m] = P(proven within m days of the offence); total[m + 1] = sum of in_time[0..m]
    delays = np.arange(longest + 1)
    in_time = p_conviction * lognormal_cdf(delays, *CONVICTION_DELAY) + p_caution * lognormal_cdf(
        delays, *CAUTION_DELAY
    )
    total = np.r_[0.0, np.cumsum(in_time)]

    def proven_in_time(first, last, limit):
        """Sum over offence days first..last of P(proof by day limit), zero where last < first."""
        high = np.clip(limit - first, -1, longest)
        low = np.clip(limit - last - 1, -1, longest)
        return np.where(last >= first, total[high + 1] - total[low + 1], 0.0)

    exit_day = pool.exit_day[people]
    died = pool.exit_reason[people] == 0
    last = np.minimum(FOLLOW_UP_DAYS, exit_day - 1)
    # proofs must come by day 365 + 183, and before a death
    limit = np.where(died, np.minimum(longest, exit_day - 1), longest)
    k = proven_in_time(1, last, limit)
    k = k - proven_in_time(np.maximum(pool.custody_start[people], 1), np.minimum(pool.custody_end[people], last), limit)
    exposure = relative_rate[people] * k / DAYS_PER_YEAR
    target = profile.target_one_year

    def gap(log_baseline):
        return np.mean(-np.expm1(-np.exp(log_baseline) * exposure)) - target

    if not gap(-15.0) < 0 < gap(8.0):
        return DEFAULT_BASELINE  # a tiny comparison group with no time at risk cannot calibrate it
    return float(np.exp(brentq(gap, -15.0, 8.0, xtol=1e-10)))


def follow_up_offences(
    rng: np.random.Generator, profile: Profile, rate: np.ndarray, length: np.ndarray, people: np.ndarray
) -> tuple[Offences, np.ndarray]:
    """Offences after the index date for ``people`` (pool positions), at ``rate`` per year over days
    1..length, and a uniform per offence.

    The uniform is the common random number that thins the process into the
    treated and untreated potential outcomes.
    """
    owner, day = events_after(rng, rate[people], length[people])
    offences = describe(rng, profile, people[owner], day, follow_up=True)
    return offences, rng.random(owner.size)
