"""derive_outcomes: one analysis row per person, the Justice Data Lab way."""

from __future__ import annotations

import warnings as _warnings

import numpy as np
import pandas as pd

from ..data.cohort import CohortData
from ._arrays import NA_DAY, NEVER, days, group_count, group_min, is_in, person_codes
from ._cohort import CENSOR_REASONS, Cohort, build_cohort, custody_days_within
from ._events import (
    AsbRecords,
    Incidents,
    Offences,
    asb_of,
    counted_incidents,
    counted_reoffences,
    incidents_of,
    offences_of,
    reoffence_mask,
)
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
    asb = asb_of(data, cohort)
    if asb is not None:
        prior_asb = (asb.day < 0) & asb.is_incident
        if L is not None:
            prior_asb &= asb.day >= -L
        cols["prior_asb_incidents"] = group_count(asb.code[prior_asb], n)
    else:
        cols["prior_asb_incidents"] = _missing_ints(n)
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
        counted = counted_reoffences(off, cohort, rules)
        main = _reoffending(off, fixed, counted, cohort, full)
        cols["reoffended"] = main["reoffended"]
        cols["n_reoffences"] = main["n_reoffences"]
        cols["days_to_first_reoffence"] = main["days_to_first_reoffence"]
        time = main["time"]
        event = main["event"] == 1
        cols["time"] = time
        cols["event"] = main["event"]
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

    # --- what each programme exists to change: proven DA and violent reoffending (#15)
    for prefix, flag, source in (
        ("da", None if off is None else off.domestic_abuse, "domestic_abuse"),
        ("violent", None if off is None else off.violent, "offence_type"),
    ):
        if off is not None and flag is None:
            notes.append(f"offences has no {source} column: {prefix} reoffending outcomes are missing (NA)")
        cols.update(_filtered_reoffending(off, flag, prefix, cohort, rules, full))

    # --- children and the youth justice system (Turnaround), any programme
    cols.update(_youth_justice(off, cohort, rules, full, full_da, cols["reoffended"], notes))

    # --- domestic abuse outcomes (DRIVE, Up2U)
    cols["full_da_follow_up"] = full_da
    cols.update(_da_outcomes(inc, cohort, rules, full_da, notes))

    # --- anti-social behaviour (every programme)
    cols.update(_asb_outcomes(asb, cohort, rules, full_da, notes))

    out = pd.DataFrame(cols)
    out = out[ordered(out.columns)]
    out.attrs["warnings"] = tuple(notes)
    out.attrs["rules"] = rules
    return out, cohort, off, inc


REOFFENDING_PARTS = ("reoffended", "n_reoffences", "days_to_first_reoffence", "time", "event")


def _reoffending(off: Offences, fixed: np.ndarray, counted: np.ndarray, cohort: Cohort, full: np.ndarray) -> dict:
    """The JDL reoffending outcomes of the offences selected by ``fixed`` / ``counted`` masks."""
    n = len(cohort.people)
    count = group_count(off.code[fixed], n)
    first_fixed = group_min(off.code[fixed], off.day[fixed], n, NEVER)
    first_event = group_min(off.code[counted], off.day[counted], n, NEVER)
    observed = cohort.observed_days
    event = first_event <= observed
    return {
        "reoffended": _bools(count > 0, full),
        "n_reoffences": _ints(count, full),
        "days_to_first_reoffence": _ints(first_fixed, full & (count > 0)),
        "time": np.where(event, first_event, observed),
        "event": event.astype(np.int64),
    }


def filtered_names(prefix: str) -> dict[str, str]:
    """Column names of the reoffending outcomes restricted to some offences (``da`` -> ``da_reoffended`` ...)."""
    return {
        "reoffended": f"{prefix}_reoffended",
        "n_reoffences": f"n_{prefix}_reoffences",
        "days_to_first_reoffence": f"days_to_first_{prefix}_reoffence",
        "time": f"{prefix}_reoffence_time",
        "event": f"{prefix}_reoffence_event",
    }


def _filtered_reoffending(
    off: Offences | None, flag: np.ndarray | None, prefix: str, cohort: Cohort, rules: OutcomeRules, full: np.ndarray
) -> dict[str, object]:
    """Reoffending outcomes counting only the offences ``flag`` marks; all NA when it cannot be known."""
    n = len(cohort.people)
    names = filtered_names(prefix)
    if off is None or flag is None:
        return {name: (_missing_bools(n) if part == "reoffended" else _missing_ints(n)) for part, name in names.items()}
    fixed = reoffence_mask(off, rules) & flag
    counted = counted_reoffences(off, cohort, rules) & flag
    return {names[part]: value for part, value in _reoffending(off, fixed, counted, cohort, full).items()}


def reoffending_by_offence(
    data: CohortData, rules: OutcomeRules | None, offence_types: tuple[str, ...] | list[str]
) -> pd.DataFrame:
    """The JDL reoffending outcomes counting only offences whose ``offence_type`` is in ``offence_types``.

    ``data`` and ``rules`` are as for :func:`derive_outcomes`.

    One row per person in :func:`derive_outcomes`' order: ``person_id``, ``reoffended``,
    ``n_reoffences``, ``days_to_first_reoffence``, ``time``, ``event`` with exactly the rules of
    the columns of those names (window, waiting period, PND, full follow-up; NA where they are NA).
    Every column is NA when the offences table or its ``offence_type`` column is missing.

    >>> import reoffend_eval as rev
    >>> data = rev.synthetic.generate("DRIVE", n_participants=50, n_comparison=200, seed=1)
    >>> rules = rev.OutcomeRules(programme="DRIVE", extract_date=data.truth["extract_date"])
    >>> acquisitive = rev.outcomes.reoffending_by_offence(data, rules, ["burglary", "theft"])  # doctest: +SKIP
    >>> list(acquisitive.columns)                                                             # doctest: +SKIP
    ['person_id', 'reoffended', 'n_reoffences', 'days_to_first_reoffence', 'time', 'event']
    """
    from ..data.contract import OFFENCE_TYPES

    rules = rules if rules is not None else OutcomeRules()
    types = list(offence_types)
    unknown = [t for t in types if t not in OFFENCE_TYPES]
    if not types or unknown:
        raise ValueError(
            f"offence types {unknown or '(none given)'} not known; expected from {', '.join(OFFENCE_TYPES)}"
        )
    cohort = build_cohort(data, rules)
    off = offences_of(data, cohort, rules)
    flag = None
    if off is not None and data.offences is not None and "offence_type" in data.offences.columns:
        table = data.offences
        code = person_codes(table["person_id"], cohort.lookup)
        keep = (code >= 0) & (days(table["offence_date"]) != NA_DAY)
        flag = is_in(table["offence_type"], types)[keep]
    full = (cohort.extract_day - cohort.index_day) >= rules.full_follow_up_days
    columns = _filtered_reoffending(off, flag, "x", cohort, rules, full)
    out = pd.DataFrame({"person_id": cohort.people["person_id"]})
    for part, name in filtered_names("x").items():
        out[part] = columns[name]
    return out


def _youth_justice(
    off: Offences | None,
    cohort: Cohort,
    rules: OutcomeRules,
    full: np.ndarray,
    full_da: np.ndarray,
    reoffended,
    notes: list[str],
) -> dict[str, object]:
    """entered_youth_justice (first caution or conviction in the window) and police_contact (any record)."""
    n = len(cohort.people)
    if off is None:
        return {"entered_youth_justice": _missing_bools(n), "police_contact": _missing_bools(n)}
    # already in the system: an offence committed before the index date and proven by it (whatever the look-back)
    known = off.proven_by_extract & (off.proof_day <= 0) & (off.day < 0)
    already = group_count(off.code[known], n) > 0
    reoffended = np.asarray(pd.array(reoffended, dtype="boolean").fillna(False), dtype=bool)
    entered = _bools(reoffended, full & ~already)
    if already.any() and cohort.programme == "Turnaround":
        notes.append(
            f"{int(already.sum()):,} people had a proven offence before their index date (already in the youth "
            "justice system): entered_youth_justice is NA for them"
        )
    window = (off.day >= 1) & (off.day <= rules.follow_up_days)
    contact = group_count(off.code[window], n) > 0
    return {"entered_youth_justice": entered, "police_contact": _bools(contact, full_da)}


ASB_COLUMNS = (
    "any_asb",
    "n_asb_incidents",
    "n_asb_interventions",
    "days_to_first_asb_incident",
    "asb_time",
    "asb_event",
    "n_asb_incidents_observed",
    "asb_days_at_risk",
)


def _asb_outcomes(
    asb: AsbRecords | None, cohort: Cohort, rules: OutcomeRules, full_da: np.ndarray, notes: list[str]
) -> dict[str, object]:
    """ASB incidents and interventions in the window; time to the first incident; incidents over the
    whole observed follow-up at liberty and the days at liberty (for a rate per person-year)."""
    n = len(cohort.people)
    if asb is None:
        notes.append("no asb table: anti-social behaviour history and outcomes are not measured (NA)")
        return {c: (_missing_bools(n) if c == "any_asb" else _missing_ints(n)) for c in ASB_COLUMNS}
    F = rules.follow_up_days
    window = (asb.day >= 1) & (asb.day <= F)
    incidents = window & asb.is_incident
    count = group_count(asb.code[incidents], n)
    first_day = group_min(asb.code[incidents], asb.day[incidents], n, NEVER)
    observed = cohort.observed_days
    counted = asb.is_incident & (asb.day >= 1) & (asb.day <= observed[asb.code])
    first_event = group_min(asb.code[counted], asb.day[counted], n, NEVER)
    event = first_event <= observed
    at_liberty = counted & ~_in_custody(cohort, asb.code, asb.day)
    return {
        "any_asb": _bools(count > 0, full_da),
        "n_asb_incidents": _ints(count, full_da),
        "n_asb_interventions": _ints(group_count(asb.code[window & ~asb.is_incident], n), full_da),
        "days_to_first_asb_incident": _ints(first_day, full_da & (count > 0)),
        "asb_time": np.where(event, first_event, observed),
        "asb_event": event.astype(np.int64),
        "n_asb_incidents_observed": group_count(asb.code[at_liberty], n),
        "asb_days_at_risk": observed - custody_days_within(cohort, observed),
    }


def _in_custody(cohort: Cohort, code: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Whether each event day falls in a custody spell (lo, hi] of its person."""
    c, lo, hi = cohort.custody
    if not len(c) or not len(code):
        return np.zeros(len(code), dtype=bool)
    span = np.int64(max(int(hi.max()), int(day.max()), 0) + 2)
    keys = c * span + lo  # merged spells are sorted by person then start and do not overlap
    event_keys = code * span + np.clip(day, -1, None)
    at = np.searchsorted(keys, event_keys, side="left") - 1
    ok = at >= 0
    at = np.clip(at, 0, None)
    return ok & (c[at] == code) & (lo[at] < day) & (day <= hi[at])


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
