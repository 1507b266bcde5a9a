"""Custody spells, exits (deaths and moves away) and participants' programme episodes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data.contract import EXIT_REASONS
from .offences import CONVICTION, Offences
from .people import Pool
from .profiles import Profile

NEVER = np.iinfo(np.int32).max


@dataclass
class Spells:
    """Custody spells (internal): owner, start and end days from the owner's index date."""

    owner: np.ndarray
    start: np.ndarray
    end: np.ndarray


def sentence_spells(pool: Pool, offences: Offences) -> Spells:
    """At most one custodial sentence per person, after their first conviction in follow-up that brings one.

    The spell starts on the conviction date. Sentences that would overlap the
    person's index custody spell are left out (one spell at a time).
    """
    convicted = (
        (offences.disposal == CONVICTION) & (offences.day > 0) & (offences.outcome_day <= pool.horizon[offences.owner])
    )
    custodial = convicted & offences.custodial
    owner = offences.owner[custodial]
    start = offences.outcome_day[custodial].astype(np.int64)
    served = offences.sentence_days[custodial]
    order = np.lexsort((start, owner))
    owner, start, served = owner[order], start[order], served[order]
    first = np.r_[True, owner[1:] != owner[:-1]] if owner.size else np.zeros(0, dtype=bool)
    owner, start = owner[first], start[first]
    end = start + served[first]
    overlaps = (start <= pool.custody_end[owner]) & (end >= pool.custody_start[owner])
    keep = ~overlaps & (start < pool.exit_day[owner])
    return Spells(owner[keep], start[keep], end[keep])


def spell_by_person(spells: Spells, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each person's sentence spell as (start, end) arrays; start NEVER (> end) where there is none."""
    start = np.full(n, NEVER, dtype=np.int64)
    end = np.zeros(n, dtype=np.int64)
    start[spells.owner] = spells.start
    end[spells.owner] = spells.end
    return start, end


@dataclass
class Episodes:
    """Participants' episodes (internal), one per participant in pool order."""

    end_day: np.ndarray  # days from start; NEVER while ongoing
    exit_reason: np.ndarray  # codes into EXIT_REASONS


def programme_episodes(
    rng: np.random.Generator, profile: Profile, pool: Pool, participants: np.ndarray, sentence_start: np.ndarray
) -> Episodes:
    """How each participant's episode ends: completed, disengaged, other, or cut short by death,
    a move, or custody (whichever comes first); ``ongoing`` if the end is after the extract date."""
    n = participants.size
    planned = np.maximum(np.round(profile.programme_days * np.exp(0.25 * rng.standard_normal(n))), 7)
    u = rng.random(n)
    early = np.ceil(rng.random(n) * planned)
    own_end = np.where(u < profile.disengage_share + profile.other_exit_share, early, planned)
    own_reason = np.where(
        u < profile.disengage_share,
        EXIT_REASONS.index("disengaged"),
        np.where(
            u < profile.disengage_share + profile.other_exit_share,
            EXIT_REASONS.index("other"),
            EXIT_REASONS.index("completed"),
        ),
    )
    exit_day = pool.exit_day[participants]
    exit_code = np.where(
        pool.exit_reason[participants] == 0, EXIT_REASONS.index("died"), EXIT_REASONS.index("moved_away")
    )
    index_start = pool.custody_start[participants]
    has_index_later = (index_start >= 1) & (index_start <= pool.custody_end[participants])
    custody_day = np.minimum(np.where(has_index_later, index_start, NEVER), sentence_start[participants])
    candidates = np.stack([own_end, exit_day, custody_day]).astype(np.int64)
    which = np.argmin(candidates, axis=0)
    end_day = candidates[which, np.arange(n)]
    reason = np.choose(which, [own_reason, exit_code, np.full(n, EXIT_REASONS.index("custody"))])
    ongoing = end_day > pool.horizon[participants]
    return Episodes(
        end_day=np.where(ongoing, NEVER, end_day),
        exit_reason=np.where(ongoing, EXIT_REASONS.index("ongoing"), reason).astype(np.int8),
    )
