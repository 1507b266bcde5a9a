"""The pool of people: covariates, hidden frailties, index dates, and selection into the programme.

Everyone in the pool is either a participant or a comparison person. Who
participates follows a logistic model on observed covariates only (risk level,
prior proven offences, prior DA incidents, age, sex, area), so that a naive
comparison is biased and a correct matched analysis is not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from .profiles import INDEX_CUSTODY_DAYS, Profile
from .sampling import DAYS_PER_YEAR, codes, lognormal_days

OFFENDING_FRAILTY_SD = 0.8
DA_FRAILTY_SD = 0.8
FRAILTY_CORRELATION = 0.5
MAX_REFERRAL_GAP_DAYS = 90


@dataclass
class Pool:
    """Arrays with one element per person of the pool (internal working state)."""

    n: int
    horizon: np.ndarray  # days from the index date to the extract date
    gap: np.ndarray  # days from referral to start (participants)
    age_referral: np.ndarray  # years
    age_index: np.ndarray
    male: np.ndarray
    sex: np.ndarray  # codes into SEXES
    ethnicity: np.ndarray
    area: np.ndarray
    risk: np.ndarray  # 0 standard, 1 medium, 2 high
    offending_frailty: np.ndarray
    da_frailty: np.ndarray
    custody_start: np.ndarray  # index custody spell, days from index (start > end: none)
    custody_end: np.ndarray
    exit_day: np.ndarray  # latent death or move, days from index
    exit_reason: np.ndarray  # 0 died, 1 moved_away


def draw_pool(rng: np.random.Generator, profile: Profile, n: int, span_days: int) -> Pool:
    """Draw ``n`` people's covariates, frailties, index dates, index custody and latent exits."""
    horizon = rng.integers(14, span_days + 1, size=n).astype(np.int32)
    gap = np.minimum(rng.geometric(1 / 21, size=n) - 1, MAX_REFERRAL_GAP_DAYS).astype(np.int32)
    if profile.youth:
        # ages 10-17 at referral and at start, two days inside the bounds so whole-day dates stay inside
        width = profile.max_age - profile.min_age - 4 / DAYS_PER_YEAR
        age_index = profile.min_age + 2 / DAYS_PER_YEAR + width * rng.beta(profile.age_shape, profile.age_scale, size=n)
        room = np.floor((age_index - profile.min_age) * DAYS_PER_YEAR) - 2
        gap = np.clip(gap, 0, room).astype(np.int32)
        age_referral = age_index - gap / DAYS_PER_YEAR
    else:
        age_referral = profile.min_age + 2 / DAYS_PER_YEAR + rng.gamma(profile.age_shape, profile.age_scale, size=n)
        age_referral = np.minimum(age_referral, profile.max_age)
        age_index = age_referral + gap / DAYS_PER_YEAR
    u = rng.random(n)
    other_share = 0.005
    sex = np.where(u < other_share, 2, np.where(u < other_share + profile.male_share, 1, 0)).astype(np.int8)
    male = sex == 1
    ethnicity = codes(rng, (0.07, 0.04, 0.04, 0.82, 0.03), n)
    area = codes(rng, (0.25, 0.25, 0.2, 0.15, 0.15), n)

    e1 = rng.standard_normal(n)
    e2 = FRAILTY_CORRELATION * e1 + np.sqrt(1 - FRAILTY_CORRELATION**2) * rng.standard_normal(n)
    offending_frailty = np.exp(OFFENDING_FRAILTY_SD * e1 - OFFENDING_FRAILTY_SD**2 / 2)
    da_frailty = np.exp(DA_FRAILTY_SD * e2 - DA_FRAILTY_SD**2 / 2)
    # risk assessment: a noisy reading of both propensities, cut at the profile's shares
    a1, a2, noise = (0.6, 0.8, 0.6) if profile.da_programme else (1.0, 0.0, 0.6)
    latent = a1 * e1 + a2 * e2 + noise * rng.standard_normal(n)
    sd = np.sqrt(a1**2 + a2**2 + 2 * a1 * a2 * FRAILTY_CORRELATION + noise**2)
    cuts = sd * ndtri(np.cumsum(profile.risk_shares)[:2])
    risk = np.searchsorted(cuts, latent).astype(np.int8)

    has_spell = rng.random(n) < profile.index_custody_share
    start = rng.integers(-180, 181, size=n).astype(np.int32)
    end = start + lognormal_days(rng, *INDEX_CUSTODY_DAYS, n)
    custody_start = np.where(has_spell, start, 1).astype(np.int32)
    custody_end = np.where(has_spell, end, 0).astype(np.int32)

    death = rng.exponential(DAYS_PER_YEAR / profile.death_rate, size=n)
    move = rng.exponential(DAYS_PER_YEAR / profile.move_rate, size=n)
    exit_day = np.maximum(np.ceil(np.minimum(death, move)), 1)
    exit_day = np.minimum(exit_day, 10**6).astype(np.int64)
    exit_reason = (move < death).astype(np.int8)
    # nobody leaves while in the index custody spell: push such exits to the release day
    in_custody = (exit_day >= custody_start) & (exit_day <= custody_end)
    exit_day = np.where(in_custody, custody_end + 1, exit_day)
    return Pool(
        n=n,
        horizon=horizon,
        gap=gap,
        age_referral=age_referral,
        age_index=age_index,
        male=male,
        sex=sex,
        ethnicity=ethnicity,
        area=area,
        risk=risk,
        offending_frailty=offending_frailty,
        da_frailty=da_frailty,
        custody_start=custody_start,
        custody_end=custody_end,
        exit_day=exit_day,
        exit_reason=exit_reason,
    )


def selection_score(profile: Profile, pool: Pool, prior_proven: np.ndarray, prior_da: np.ndarray) -> np.ndarray:
    """The linear predictor of selection into the programme (observed covariates only)."""
    return (
        np.asarray(profile.select_risk)[pool.risk]
        + profile.select_prior_offences * np.log1p(prior_proven)
        + profile.select_prior_da * np.log1p(prior_da)
        + profile.select_age * (pool.age_index - profile.centre_age)
        + profile.select_male * pool.male
        + np.asarray(profile.select_area)[pool.area]
    )


def select(rng: np.random.Generator, score: np.ndarray, n_selected: int) -> np.ndarray:
    """Boolean mask of the ``n_selected`` people with the largest ``score + logistic noise``.

    A latent-index logit: with ``c`` the threshold that admits exactly
    ``n_selected`` (a quantile of the pool, nearly fixed in a large pool),
    ``P(selected | covariates) = expit(score - c)``, so a logistic propensity
    model on the same covariates is correctly specified.
    """
    keys = score + rng.logistic(size=score.size)
    if n_selected >= score.size:
        chosen = np.arange(score.size)
    else:
        chosen = np.argpartition(-keys, n_selected - 1)[:n_selected]
    mask = np.zeros(score.size, dtype=bool)
    mask[chosen] = True
    return mask
