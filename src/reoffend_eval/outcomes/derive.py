"""derive_outcomes: one analysis row per person, the Justice Data Lab way."""
from __future__ import annotations

import warnings as _warnings

import numpy as np
import pandas as pd

from ..data.cohort import CohortData
from ._arrays import NEVER, group_count, group_min
from ._cohort import CENSOR_REASONS, Cohort, build_cohort, custody_days_within
from ._events import counted_incidents, counted_reoffences, incidents_of, offences_of, reoffence_mask
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
    issued as Python warnings. ``result.attrs["rules"]`` holds the rules used.

    >>> import reoffend_eval as rev
    >>> people = rev.derive_outcomes(data, rev.OutcomeRules(programme="DRIVE",
    ...                              extract_date="2025-03-31"))    # doctest: +SKIP
    >>> people.groupby("treated")["reoffended"].mean()               # doctest: +SKIP
    """
    out, _, _, _ = derive_with_events(data, rules)
    for note in out.attrs["warnings"]:
        _warnings.warn(note, UserWarning, stacklevel=2)
    return out


def derive_with_events(data: CohortData, rules: OutcomeRules | None):
    """derive_outcomes without issuing warnings; also returns the cohort and event arrays."""
    rules = rules if rules is not None else OutcomeRules()
    if not isinstance(rules, OutcomeRules):
        raise TypeError(f"rules must be an OutcomeRules, not {type(rules).__name__}")
    cohort = build_cohort(data, rules)
    notes = list(cohort.warnings)
    people = cohort.people
    n = len(people)
    F, W = rules.follow_up_days, rules.full_follow_up_days
    since_index = cohort.extract_day - cohort.index_day
    full = since_index >= W
    full_da = since_index >= F
    out = people[["person_id", "treated", "programme", "index_date"]].copy()

    dob = people["date_of_birth"]
    out["age_at_index"] = ((people["index_date"] - dob).dt.days / DAYS_PER_YEAR).astype("float64")
    before_birthday = (people["index_date"].dt.month * 100 + people["index_date"].dt.day) < (
        dob.dt.month * 100 + dob.dt.day
    )
    whole = people["index_date"].dt.year - dob.dt.year - before_birthday.astype("int64")
    out["age_at_index_whole"] = whole.astype("Int64").where(dob.notna(), pd.NA)
    rest = [c for c in people.columns if c not in out.columns and c != "date_of_birth"]
    for c in rest:
        out[c] = people[c]
    out["date_of_birth"] = dob

    # --- offences: history and reoffending
    off = offences_of(data, cohort, rules)
    if off is None:
        notes.append("no offences table: prior offences and all reoffending outcomes are missing (NA)")
    L = rules.lookback_days
    if off is not None:
        proven_by_index = off.proven_by_extract & (off.proof_day <= 0)
        prior = proven_by_index & (off.day < 0)
        if L is not None:
            prior &= off.day >= -L
        out["prior_proven_offences"] = group_count(off.code[prior], n)
        for col, flag in (("prior_violent_offences", off.violent), ("prior_da_offences", off.domestic_abuse)):
            if flag is None:
                out[col] = pd.array([pd.NA] * n, dtype="Int64")
                source = "offence_type" if col == "prior_violent_offences" else "domestic_abuse"
                notes.append(f"offences has no {source} column: {col} is missing (NA)")
            else:
                out[col] = group_count(off.code[prior & flag], n)
        first = group_min(off.code[prior], off.day[prior], n, 1)
        out["years_since_first_offence"] = np.where(first <= 0, -first / DAYS_PER_YEAR, 0.0)
    else:
        for col in ("prior_proven_offences", "prior_violent_offences", "prior_da_offences"):
            out[col] = pd.array([pd.NA] * n, dtype="Int64")
        out["years_since_first_offence"] = np.nan

    inc = incidents_of(data, cohort)
    if inc is not None:
        prior_inc = inc.day < 0
        if L is not None:
            prior_inc &= inc.day >= -L
        out["prior_da_incidents"] = group_count(inc.code[prior_inc & inc.is_incident], n)
        out["prior_marac_referrals"] = group_count(inc.code[prior_inc & inc.is_marac], n)
    else:
        out["prior_da_incidents"] = pd.array([pd.NA] * n, dtype="Int64")
        out["prior_marac_referrals"] = pd.array([pd.NA] * n, dtype="Int64")
    out["prior_custody"] = cohort.prior_custody

    # --- fixed-window reoffending (JDL headline measures)
    out["full_follow_up"] = full
    if off is not None:
        fixed = reoffence_mask(off, rules)
        count = group_count(off.code[fixed], n)
        first_fixed = group_min(off.code[fixed], off.day[fixed], n, NEVER)
        out["reoffended"] = pd.array(count > 0, dtype="boolean")
        out["n_reoffences"] = pd.array(count, dtype="Int64")
        out["days_to_first_reoffence"] = pd.array(np.where(count > 0, first_fixed, 0), dtype="Int64")
        out.loc[count == 0, "days_to_first_reoffence"] = pd.NA
        for col in ("reoffended", "n_reoffences", "days_to_first_reoffence"):
            out.loc[~full, col] = pd.NA
    else:
        out["reoffended"] = pd.array([pd.NA] * n, dtype="boolean")
        out["n_reoffences"] = pd.array([pd.NA] * n, dtype="Int64")
        out["days_to_first_reoffence"] = pd.array([pd.NA] * n, dtype="Int64")
    short = int((~full).sum())
    if short:
        notes.append(
            f"{short:,} of {n:,} people ({int((~full & (out['treated'].to_numpy() == 1)).sum()):,} "
            f"participants) have less than {W} days between index and extract date: left out of the "
            "fixed-window measures (reoffended, n_reoffences, days_to_first_reoffence are NA); they "
            "still count in the time-to-event outcome"
        )

    # --- time to first proven reoffence, censored
    observed = cohort.observed_days
    if off is not None:
        counted = counted_reoffences(off, cohort, rules)
        first_event = group_min(off.code[counted], off.day[counted], n, NEVER)
        event = first_event <= observed
        time = np.where(event, first_event, observed)
        out["time"] = time.astype(np.int64)
        out["event"] = event.astype(np.int64)
        reason = pd.Categorical.from_codes(cohort.censor_code, categories=list(CENSOR_REASONS))
        out["censor_reason"] = pd.Series(reason).where(~event)
        in_wait = (since_index >= F) & (since_index < W)
        if in_wait.any():
            notes.append(
                f"{int(in_wait.sum()):,} people's extract date falls in the waiting period: offences "
                "late in their follow-up may not yet be proven, so their time-to-event outcome may miss events"
            )
    else:
        time = observed
        out["time"] = pd.array([pd.NA] * n, dtype="Int64")
        out["event"] = pd.array([pd.NA] * n, dtype="Int64")
        out["censor_reason"] = pd.Categorical([None] * n, categories=list(CENSOR_REASONS))
    out["observed_days"] = observed.astype(np.int64)
    custody_in_time = custody_days_within(cohort, np.asarray(time, dtype=np.int64))
    out["days_in_custody"] = custody_in_time
    out["days_at_risk"] = np.asarray(time, dtype=np.int64) - custody_in_time
    if data.custody is None:
        notes.append("no custody table: days_at_risk equals time (no custody removed)")
    if data.exits is None:
        notes.append("no exits table: nobody is censored for death or moving away")

    # --- domestic abuse outcomes (DRIVE, Up2U)
    out["full_da_follow_up"] = full_da
    _da_outcomes(out, inc, cohort, rules, full_da, notes)
    out = out[ordered(out.columns)]

    out.attrs["warnings"] = tuple(notes)
    out.attrs["rules"] = rules
    return out, cohort, off, inc


def _da_outcomes(out, inc, cohort: Cohort, rules: OutcomeRules, full_da: np.ndarray, notes: list[str]) -> None:
    n = len(out)
    F = rules.follow_up_days
    int_cols = ("n_da_incidents", "n_repeat_victim", "n_serial_victim", "days_to_first_da_incident",
                "n_marac_referrals")
    bool_cols = ("any_da_incident", "repeat_marac")
    if inc is None:
        for c in bool_cols:
            out[c] = pd.array([pd.NA] * n, dtype="boolean")
        for c in int_cols:
            out[c] = pd.array([pd.NA] * n, dtype="Int64")
        out["da_time"] = pd.array([pd.NA] * n, dtype="Int64")
        out["da_event"] = pd.array([pd.NA] * n, dtype="Int64")
        notes.append("no incidents table: domestic-abuse history and outcomes are missing (NA)")
        return
    window = inc.is_incident & (inc.day >= 1) & (inc.day <= F)
    # a victim is 'harmed before' when any earlier-dated record (incident, crime or MARAC
    # referral, before or after the index date) links them to this perpetrator
    known = inc.victim >= 0
    pair_first = np.full(len(inc.code), NEVER, dtype=np.int64)
    if known.any():
        n_victims = np.int64(inc.victim.max() + 1)
        key = inc.code[known] * n_victims + inc.victim[known]
        first_seen = pd.Series(inc.day[known]).groupby(key).transform("min").to_numpy()
        pair_first[known] = first_seen
    repeat = window & known & (pair_first < inc.day)
    serial = window & known & (pair_first == inc.day)
    count = group_count(inc.code[window], n)
    first_day = group_min(inc.code[window], inc.day[window], n, NEVER)
    out["any_da_incident"] = pd.array(count > 0, dtype="boolean")
    out["n_da_incidents"] = pd.array(count, dtype="Int64")
    out["n_repeat_victim"] = pd.array(group_count(inc.code[repeat], n), dtype="Int64")
    out["n_serial_victim"] = pd.array(group_count(inc.code[serial], n), dtype="Int64")
    out["days_to_first_da_incident"] = pd.array(np.where(count > 0, first_day, 0), dtype="Int64")
    out.loc[count == 0, "days_to_first_da_incident"] = pd.NA
    unknown = int((window & ~known).sum())
    if unknown:
        notes.append(
            f"{unknown:,} follow-up incident(s) have no victim_id: counted in n_da_incidents but "
            "neither as repeat nor serial victim"
        )

    # repeat MARAC (SafeLives): a referral in the window within repeat_marac_days after the
    # perpetrator's previous referral; same-day referrals are one case
    marac = inc.is_marac
    code, day = inc.code[marac], inc.day[marac]
    out["n_marac_referrals"] = pd.array(group_count(code[(day >= 1) & (day <= F)], n), dtype="Int64")
    repeat_marac = np.zeros(n, dtype=bool)
    if len(code):
        order = np.lexsort((day, code))
        code, day = code[order], day[order]
        distinct = np.ones(len(code), dtype=bool)
        distinct[1:] = (code[1:] != code[:-1]) | (day[1:] != day[:-1])
        code, day = code[distinct], day[distinct]
        gap = np.full(len(code), NEVER, dtype=np.int64)
        same = code[1:] == code[:-1]
        gap[1:] = np.where(same, day[1:] - day[:-1], NEVER)
        hit = (day >= 1) & (day <= F) & (gap <= rules.repeat_marac_days)
        repeat_marac[code[hit]] = True
    out["repeat_marac"] = pd.array(repeat_marac, dtype="boolean")
    for c in (*bool_cols, *int_cols):
        out.loc[~full_da, c] = pd.NA

    observed = cohort.observed_days
    counted = counted_incidents(inc, cohort)
    first_event = group_min(inc.code[counted], inc.day[counted], n, NEVER)
    event = first_event <= observed
    out["da_time"] = np.where(event, first_event, observed).astype(np.int64)
    out["da_event"] = event.astype(np.int64)
