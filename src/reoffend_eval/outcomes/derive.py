"""derive_outcomes: one analysis row per person, the Justice Data Lab way."""

from __future__ import annotations

import warnings as _warnings

import numpy as np
import pandas as pd

from ..data.cohort import CohortData
from ._arrays import NEVER, days, group_count, group_min
from ._cohort import CENSOR_REASONS, Cohort, build_cohort, custody_days_within
from ._events import Incidents, counted_incidents, counted_reoffences, incidents_of, offences_of, reoffence_mask
from .columns import ordered
from .rules import OutcomeRules

DAYS_PER_YEAR = 365.25


def derive_outcomes(data: CohortData, rules: OutcomeRules | None = None) -> pd.DataFrame:
    """One row per person: index date, history covariates and outcomes of one programme.

    Rows are the programme's participants (``treated`` = 1, first episode of the programme)
    and the comparison pool (``treated`` = 0), with a plain RangeIndex and ``person_id`` as
    a column. Every column is described in :func:`column_dictionary` (name, meaning, unit).

    Follows the Ministry of Justice Justice Data Lab: a proven reoffence is committed on
    days 1..365 after the index date (an offence on the index date belongs to the index
    event) and proven by conviction or caution by day 365 + 183 and by the extract date.
    The fixed-window measures (``reoffended``, ``n_reoffences``, ``days_to_first_reoffence``)
    are missing (NA) for people whose extract does not cover index + 365 + 183
    (``full_follow_up`` False). The time-to-event outcome (``time``, ``event``,
    ``censor_reason``) is defined for everyone; ``time`` is in calendar days and
    ``days_at_risk`` is the same span less days in custody.

    Honest flags (extract date guessed, per-protocol bias, people without full follow-up,
    tables missing) are in ``result.attrs["warnings"]`` (a tuple of str) and are also
    issued as Python ``UserWarning``s. ``result.attrs["rules"]`` holds the rules used.

    >>> import reoffend_eval as rev
    >>> people = rev.derive_outcomes(data, rev.OutcomeRules(programme="DRIVE",
    ...                              extract_date="2025-03-31"))    # doctest: +SKIP
    >>> people.groupby("treated")["reoffended"].mean()               # doctest: +SKIP
    """
    out, _, _, _ = derive_with_events(data, rules)
    for note in out.attrs["warnings"]:
        _warnings.warn(note, UserWarning, stacklevel=2)
    return out


def _ints(values, valid=None) -> pd.arrays.IntegerArray:
    values = np.asarray(values, dtype=np.int64)
    mask = np.zeros(len(values), bool) if valid is None else ~np.asarray(valid, bool)
    return pd.arrays.IntegerArray(np.where(mask, 0, values), mask)


def _bools(values, valid=None) -> pd.arrays.BooleanArray:
    values = np.asarray(values, dtype=bool)
    mask = np.zeros(len(values), bool) if valid is None else ~np.asarray(valid, bool)
    return pd.arrays.BooleanArray(values & ~mask, mask)


def _missing_ints(n: int) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, bool))


def _missing_bools(n: int) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool))


#: Said wherever results are shown when a charge counts as proof (it is not proof of guilt).
CHARGES_NOTE = (
    "charges and summonses (disposal 'charged') are counted as proven offences, on the charge date "
    "(charges_count_as_proven = true): a charge is not proof of guilt, so reoffending may be overstated"
)


def derive_with_events(data: CohortData, rules: OutcomeRules | None):
    """derive_outcomes without issuing warnings; also returns the cohort and event arrays."""
    rules = rules if rules is not None else OutcomeRules()
    if not isinstance(rules, OutcomeRules):
        raise TypeError(f"rules must be an OutcomeRules, not {type(rules).__name__}")
    cohort = build_cohort(data, rules)
    notes = list(cohort.warnings)
    if rules.charges_count_as_proven:
        notes.append(CHARGES_NOTE)
    people = cohort.people
    n = len(people)
    F, W = rules.follow_up_days, rules.full_follow_up_days
    since_index = cohort.extract_day - cohort.index_day
    full = since_index >= W
    full_da = since_index >= F
    cols: dict[str, object] = {c: people[c] for c in people.columns}

    index_date, dob = people["index_date"], people["date_of_birth"]
    born = days(dob)
    has_dob = dob.notna().to_numpy()
    cols["age_at_index"] = np.where(has_dob, (cohort.index_day - born) / DAYS_PER_YEAR, np.nan)
    # completed years: a birthday not yet reached this year takes one off (29 February counts from 1 March)
    before_birthday = (index_date.dt.month * 100 + index_date.dt.day) < (dob.dt.month * 100 + dob.dt.day)
    whole = (index_date.dt.year - dob.dt.year - before_birthday.astype("int64")).fillna(0).to_numpy()
    cols["age_at_index_whole"] = _ints(whole, has_dob)

    # --- offences: history and reoffending
    off = offences_of(data, cohort, rules)
    L = rules.lookback_days
    if off is not None:
        # history is what was known at the index date: committed before it and proven by it
        prior = off.proven_by_extract & (off.proof_day <= 0) & (off.day < 0)
        if L is not None:
            prior &= off.day >= -L
        cols["prior_proven_offences"] = group_count(off.code[prior], n)
        for col, flag, source in (
            ("prior_violent_offences", off.violent, "offence_type"),
            ("prior_da_offences", off.domestic_abuse, "domestic_abuse"),
        ):
            if flag is None:
                cols[col] = _missing_ints(n)
                notes.append(f"offences has no {source} column: {col} is missing (NA)")
            else:
                cols[col] = group_count(off.code[prior & flag], n)
        first = group_min(off.code[prior], off.day[prior], n, 1)
        cols["years_since_first_offence"] = np.where(first <= 0, -first / DAYS_PER_YEAR, 0.0)
    else:
        notes.append("no offences table: prior offences and all reoffending outcomes are missing (NA)")
        for col in ("prior_proven_offences", "prior_violent_offences", "prior_da_offences"):
            cols[col] = _missing_ints(n)
        cols["years_since_first_offence"] = np.full(n, np.nan)

    inc = incidents_of(data, cohort)
    if inc is not None:
        prior_inc = inc.day < 0
        if L is not None:
            prior_inc &= inc.day >= -L
        cols["prior_da_incidents"] = group_count(inc.code[prior_inc & inc.is_incident], n)
        cols["prior_marac_referrals"] = group_count(inc.code[prior_inc & inc.is_marac], n)
    else:
        cols["prior_da_incidents"] = _missing_ints(n)
        cols["prior_marac_referrals"] = _missing_ints(n)
    cols["prior_custody"] = cohort.prior_custody

    # --- fixed-window reoffending (JDL headline measures)
    cols["full_follow_up"] = full
    observed = cohort.observed_days
    if off is not None:
        fixed = reoffence_mask(off, rules)
        count = group_count(off.code[fixed], n)
        first_fixed = group_min(off.code[fixed], off.day[fixed], n, NEVER)
        cols["reoffended"] = _bools(count > 0, full)
        cols["n_reoffences"] = _ints(count, full)
        cols["days_to_first_reoffence"] = _ints(first_fixed, full & (count > 0))

        # time to first proven reoffence, censored
        counted = counted_reoffences(off, cohort, rules)
        first_event = group_min(off.code[counted], off.day[counted], n, NEVER)
        event = first_event <= observed
        time = np.where(event, first_event, observed)
        cols["time"] = time
        cols["event"] = event.astype(np.int64)
        codes = np.where(event, -1, cohort.censor_code)
        cols["censor_reason"] = pd.Categorical.from_codes(codes, categories=list(CENSOR_REASONS))
        in_wait = (since_index >= F) & (since_index < W)
        if in_wait.any():
            notes.append(
                f"{int(in_wait.sum()):,} people's extract date falls in the waiting period: offences "
                "late in their follow-up may not yet be proven, so their time-to-event outcome may miss events"
            )
    else:
        time = observed
        for col in ("reoffended",):
            cols[col] = _missing_bools(n)
        for col in ("n_reoffences", "days_to_first_reoffence", "time", "event"):
            cols[col] = _missing_ints(n)
        cols["censor_reason"] = pd.Categorical.from_codes(np.full(n, -1), categories=list(CENSOR_REASONS))
    short = ~full
    if short.any():
        treated_short = int((short & (people["treated"].to_numpy() == 1)).sum())
        notes.append(
            f"{int(short.sum()):,} of {n:,} people ({treated_short:,} participants) have less than {W} days "
            "between index and extract date: left out of the fixed-window measures (reoffended, "
            "n_reoffences, days_to_first_reoffence are NA); they still count in the time-to-event outcome"
        )
    cols["observed_days"] = observed
    in_custody = custody_days_within(cohort, np.asarray(time, dtype=np.int64))
    cols["days_in_custody"] = in_custody
    cols["days_at_risk"] = np.asarray(time, dtype=np.int64) - in_custody
    if data.custody is None:
        notes.append("no custody table: days_at_risk equals time (no custody removed)")
    if data.exits is None:
        notes.append("no exits table: nobody is censored for death or moving away")

    # --- domestic abuse outcomes (DRIVE, Up2U)
    cols["full_da_follow_up"] = full_da
    cols.update(_da_outcomes(inc, cohort, rules, full_da, notes))

    out = pd.DataFrame(cols)
    out = out[ordered(out.columns)]
    out.attrs["warnings"] = tuple(notes)
    out.attrs["rules"] = rules
    return out, cohort, off, inc


def _da_outcomes(
    inc: Incidents | None, cohort: Cohort, rules: OutcomeRules, full_da: np.ndarray, notes: list[str]
) -> dict[str, object]:
    n = len(cohort.people)
    F = rules.follow_up_days
    if inc is None:
        notes.append("no incidents table: domestic-abuse history and outcomes are missing (NA)")
        return {
            "any_da_incident": _missing_bools(n),
            "n_da_incidents": _missing_ints(n),
            "n_repeat_victim": _missing_ints(n),
            "n_serial_victim": _missing_ints(n),
            "days_to_first_da_incident": _missing_ints(n),
            "n_marac_referrals": _missing_ints(n),
            "repeat_marac": _missing_bools(n),
            "da_time": _missing_ints(n),
            "da_event": _missing_ints(n),
        }
    cols: dict[str, object] = {}
    window = inc.is_incident & (inc.day >= 1) & (inc.day <= F)
    # a victim is 'harmed before' when an earlier-dated record (incident, crime or MARAC
    # referral, before or after the index date) links them to this perpetrator
    known = inc.victim >= 0
    pair_first = np.full(len(inc.code), NEVER, dtype=np.int64)
    if known.any():
        n_victims = np.int64(inc.victim.max() + 1)
        key = inc.code[known] * n_victims + inc.victim[known]
        pair_first[known] = pd.Series(inc.day[known]).groupby(key).transform("min").to_numpy()
    repeat = window & known & (pair_first < inc.day)
    serial = window & known & (pair_first == inc.day)
    count = group_count(inc.code[window], n)
    first_day = group_min(inc.code[window], inc.day[window], n, NEVER)
    cols["any_da_incident"] = _bools(count > 0, full_da)
    cols["n_da_incidents"] = _ints(count, full_da)
    cols["n_repeat_victim"] = _ints(group_count(inc.code[repeat], n), full_da)
    cols["n_serial_victim"] = _ints(group_count(inc.code[serial], n), full_da)
    cols["days_to_first_da_incident"] = _ints(first_day, full_da & (count > 0))
    unknown = int((window & ~known).sum())
    if unknown:
        notes.append(
            f"{unknown:,} follow-up incident(s) have no victim_id: counted in n_da_incidents but "
            "neither as repeat nor serial victim"
        )

    # repeat MARAC (SafeLives): a referral in the window within repeat_marac_days after the
    # perpetrator's previous referral; same-day referrals are one case
    code, day = inc.code[inc.is_marac], inc.day[inc.is_marac]
    cols["n_marac_referrals"] = _ints(group_count(code[(day >= 1) & (day <= F)], n), full_da)
    repeat_marac = np.zeros(n, dtype=bool)
    if len(code):
        order = np.lexsort((day, code))
        code, day = code[order], day[order]
        distinct = np.ones(len(code), dtype=bool)
        distinct[1:] = (code[1:] != code[:-1]) | (day[1:] != day[:-1])
        code, day = code[distinct], day[distinct]
        gap = np.full(len(code), NEVER, dtype=np.int64)
        gap[1:] = np.where(code[1:] == code[:-1], day[1:] - day[:-1], NEVER)
        hit = (day >= 1) & (day <= F) & (gap <= rules.repeat_marac_days)
        repeat_marac[code[hit]] = True
    cols["repeat_marac"] = _bools(repeat_marac, full_da)

    observed = cohort.observed_days
    counted = counted_incidents(inc, cohort)
    first_event = group_min(inc.code[counted], inc.day[counted], n, NEVER)
    event = first_event <= observed
    cols["da_time"] = np.where(event, first_event, observed)
    cols["da_event"] = event.astype(np.int64)
    return cols
