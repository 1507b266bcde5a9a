"""Anti-social behaviour records (#15): incidents as a Poisson process, and the formal responses to them.

A person's ASB incident rate is ``profile.asb_rate`` times the square root of their relative
offending rate (age, sex, risk, area, offending frailty) over its mean, so ASB and offending go
together and matching on the offending history balances ASB too. Participants' rate after the
index date is multiplied by ``asb_effect`` (thinned by common random numbers, as offences are).
Each incident may bring a formal intervention (a warning, an acceptable behaviour contract, a
community protection notice, a criminal behaviour order, an injunction or other) a few days later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data.contract import ASB_TYPES
from .sampling import codes, events_after

HISTORY_DAYS = 730
INTERVENTION_SHARE = 0.3  # P(an incident brings a formal response)
# shares of the interventions, in ASB_TYPES order after "incident"
INTERVENTION_TYPES = (0.45, 0.15, 0.15, 0.05, 0.05, 0.15)
INCIDENT = ASB_TYPES.index("incident")


@dataclass
class Records:
    """ASB rows (internal): owner is the person's pool position; days are from their index date."""

    owner: np.ndarray
    day: np.ndarray
    type: np.ndarray  # codes into ASB_TYPES

    def take(self, keep: np.ndarray) -> Records:
        return Records(self.owner[keep], self.day[keep], self.type[keep])

    @staticmethod
    def concat(parts: list[Records]) -> Records:
        return Records(*(np.concatenate([getattr(p, k) for p in parts]) for k in ("owner", "day", "type")))


def relative_rate(profile, offending_relative: np.ndarray) -> np.ndarray:
    """ASB incidents per person-year (untreated), one per person of the pool."""
    root = np.sqrt(offending_relative)
    return profile.asb_rate * root / max(float(root.mean()), 1e-12)


def history(rng: np.random.Generator, rate: np.ndarray, age_index: np.ndarray) -> Records:
    """ASB incidents over the two years before the index date (days -730..-1), none before age 8."""
    length = np.clip(np.floor((age_index - 8) * 365.25), 0, HISTORY_DAYS).astype(np.int64)
    owner, day = events_after(rng, rate, length)
    return Records(owner, -day.astype(np.int64), np.full(owner.size, INCIDENT, np.int8))


def interventions(rng: np.random.Generator, incidents: Records) -> Records:
    """Formal responses to some incidents, 1..30 days after them."""
    hit = rng.random(incidents.owner.size) < INTERVENTION_SHARE
    owner = incidents.owner[hit]
    day = incidents.day[hit] + rng.integers(1, 31, size=owner.size)
    kind = (codes(rng, INTERVENTION_TYPES, owner.size) + 1).astype(np.int8)
    return Records(owner, day, kind)
