"""Who is in the analysis, their index dates and how long each is observed.

Shared by :func:`derive_outcomes` and :func:`recurrent_events` so both use one cohort,
one index date and one end of observation per person.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.cohort import CohortData
from ..data.contract import PROGRAMMES, TABLES
from ..errors import ContractError
from ._arrays import NA_DAY, NEVER, day_of, days, group_min, id_lookup, is_in, merge_intervals, person_codes
from .rules import OutcomeRules

#: Censoring reasons, in the order used to break ties on the same day.
CENSOR_REASONS = ("died", "moved_away", "end_of_follow_up", "extract_date")

_PERSON_COLUMNS = ("sex", "ethnicity", "risk_level", "area", "referral_source", "trigger")
_EPISODE_COLUMNS = ("referral_date", "start_date", "end_date", "exit_reason")


@dataclass(frozen=True)
class Cohort:
    """One row per person (``people``) and per-person arrays aligned with it."""

    people: pd.DataFrame  # person columns, RangeIndex, row i = person code i
    programme: str
    extract_day: int
    index_day: np.ndarray  # int64 days since epoch
    observed_days: np.ndarray  # end of time-to-event observation, days after index (0..F)
    censor_code: np.ndarray  # index into CENSOR_REASONS
    custody: tuple[np.ndarray, np.ndarray, np.ndarray]  # merged spells (code, lo, hi], clipped to (0, observed]
    prior_custody: np.ndarray
    lookup: object  # pyarrow array of person_id, position = person code
    warnings: tuple[str, ...]


def _require(table: pd.DataFrame, name: str, columns) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ContractError(
            f"table {name!r}: column(s) {', '.join(map(repr, missing))} missing "
            f"(required: {', '.join(TABLES[name].required_columns)})"
        )


def _choose_programme(participants: pd.DataFrame, rules: OutcomeRules) -> str:
    present = sorted({str(p) for p in participants["programme"].dropna().unique()})
    if rules.programme is not None:
        if rules.programme not in present:
            raise ContractError(
                f"no participants of programme {rules.programme!r} "
                f"(participants hold: {', '.join(present) if present else 'none'})"
            )
        return rules.programme
    if len(present) == 1:
        return present[0]
    if not present:
        raise ContractError("participants: no row has a programme, so there is nothing to analyse")
    raise ContractError(
        f"participants hold more than one programme ({', '.join(present)}); an analysis is of one "
        "programme at a time: choose it with OutcomeRules(programme=...)"
    )


def _first_rows(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    # earliest row per person; ties broken by source row so the choice is reproducible
    ordered = frame.assign(_row=np.arange(len(frame))).sort_values(by + ["_row"], kind="mergesort")
    return ordered.drop_duplicates("person_id", keep="first").drop(columns="_row")


def _na_like(series: pd.Series, n: int) -> pd.Series:
    dtype = series.dtype
    if dtype.kind in "iu":
        dtype = "float64"
    elif dtype.kind == "b":
        dtype = "boolean"
    return pd.Series(index=pd.RangeIndex(n), dtype=dtype)


def _stack(treated: pd.DataFrame, control: pd.DataFrame) -> pd.DataFrame:
    columns = list(dict.fromkeys([*treated.columns, *control.columns]))
    parts = []
    for frame, other in ((treated, control), (control, treated)):
        frame = frame.reset_index(drop=True)
        cols = {}
        for c in columns:
            cols[c] = frame[c] if c in frame.columns else _na_like(other[c], len(frame))
        parts.append(pd.DataFrame(cols))
    nonempty = [p for p in parts if len(p)] or parts[:1]
    return pd.concat(nonempty, ignore_index=True)


def _extra_columns(frame: pd.DataFrame, name: str, notes: list[str]) -> list[str]:
    """Extra (non-contract) covariate columns to carry over; derived names are never overwritten."""
    from .columns import COLUMNS

    contract = set(TABLES[name].column_names)
    derived = {c for c, _, _ in COLUMNS}
    extras = [c for c in frame.columns if c not in contract]
    clash = [c for c in extras if c in derived]
    if clash:
        notes.append(f"{name}: column(s) {', '.join(clash)} not carried over: the names are derived columns")
    return [c for c in extras if c not in derived]


def extract_day_of(data: CohortData, rules: OutcomeRules) -> tuple[int, list[str]]:
    if rules.extract_date is not None:
        return day_of(rules.extract_date), []
    latest = None
    for name, table in data.tables().items():
        for column in TABLES[name].columns:
            if column.kind == "date" and column.name in table.columns and len(table):
                value = table[column.name].max()
                if pd.notna(value) and (latest is None or value > latest):
                    latest = value
    if latest is None:
        raise ContractError(
            "no extract date: OutcomeRules(extract_date=...) was not given and the data hold no dates to take it from"
        )
    latest = pd.Timestamp(latest).normalize()
    return day_of(latest), [
        f"extract date not given: taken as the latest date in the data, {latest.date().isoformat()}. "
        "Pass OutcomeRules(extract_date=...) with the real extract date: too late a date counts "
        "unproven offences as if they had had time to be proven."
    ]


def build_cohort(data: CohortData, rules: OutcomeRules) -> Cohort:
    if not isinstance(data, CohortData):
        raise TypeError(f"expected a CohortData (from rev.load or validation), not {type(data).__name__}")
    notes: list[str] = []
    parts, comp = data.participants, data.comparison
    _require(
        parts,
        "participants",
        ["person_id", "programme", "start_date", "date_of_birth", "sex"]
        + (["end_date", "exit_reason"] if rules.index == "completion" else []),
    )
    _require(comp, "comparison", ["person_id", "eligible_date", "date_of_birth", "sex"])
    programme = _choose_programme(parts, rules)
    extract_day, extract_notes = extract_day_of(data, rules)
    notes += extract_notes

    episodes = parts[parts["programme"] == programme]
    first = _first_rows(episodes, ["start_date"] + (["referral_date"] if "referral_date" in episodes else []))
    later = len(episodes) - len(first)
    if later:
        notes.append(
            f"{later:,} later {programme} episode(s) ignored: a person's first {programme} episode is the index episode"
        )
    missing_start = first["start_date"].isna()
    if missing_start.any():
        row = first.index[missing_start.to_numpy()][0]
        raise ContractError(
            f"participants: {int(missing_start.sum()):,} first {programme} episode(s) have no start_date "
            f"(first at row {row}, person {first.loc[row, 'person_id']!r}); validate the data first"
        )
    if rules.index == "completion":
        completed = (first["exit_reason"] == "completed").fillna(False).to_numpy(bool) & first[
            "end_date"
        ].notna().to_numpy()
        dropped = int((~completed).sum())
        first = first[completed]
        notes.append(
            "per protocol (index = completion): only people who completed their first "
            f"{programme} episode are compared ({dropped:,} non-completers left out). Completers are "
            "selected on what happened after the start, so the effect is likely biased towards "
            "the programme; the intention-to-treat result (index='start') is the fair one."
        )
        if first.empty:
            raise ContractError(f"per protocol: no participant completed their first {programme} episode")
        index_date = first["end_date"]
    else:
        index_date = first["start_date"]

    treated = pd.DataFrame(
        {
            "person_id": first["person_id"].to_numpy(),
            "treated": 1,
            "programme": programme,
            "index_date": index_date.to_numpy(),
        }
    )
    for c in ("date_of_birth", *_PERSON_COLUMNS):
        if c in first.columns:
            treated[c] = first[c].to_numpy()
    for c in _EPISODE_COLUMNS:
        if c in first.columns:
            treated[c] = first[c].to_numpy()
    if "exit_reason" in first.columns:
        treated["completed"] = pd.array((first["exit_reason"] == "completed").to_numpy(), dtype="boolean")
    for c in _extra_columns(first, "participants", notes):
        treated[c] = first[c].to_numpy()
    for c in treated.columns:  # keep categorical dtypes
        if c in first.columns:
            treated[c] = treated[c].astype(first[c].dtype)

    pool = comp
    if "programme" in pool.columns:
        pool = pool[(pool["programme"] == programme).fillna(False).to_numpy(bool) | pool["programme"].isna().to_numpy()]
        other = len(comp) - len(pool)
        if other:
            notes.append(f"{other:,} comparison row(s) of another programme left out")
    kept = len(pool)
    pool = _first_rows(pool, ["eligible_date"])
    if len(pool) < kept:
        notes.append(
            f"{kept - len(pool):,} repeated comparison row(s) ignored: a comparison person's "
            "earliest eligible_date is their index date"
        )
    # every participant of the programme, completer or not, is out of its comparison pool
    in_both = pool["person_id"].isin(set(episodes["person_id"].dropna())).to_numpy(bool)
    if in_both.any():
        notes.append(
            f"{int(in_both.sum()):,} comparison person(s) also took part in {programme}: kept as participants only"
        )
        pool = pool[~in_both]
    if pool["eligible_date"].isna().any():
        row = pool.index[pool["eligible_date"].isna().to_numpy()][0]
        raise ContractError(f"comparison: eligible_date is missing (row {row}); validate the data first")
    control = pd.DataFrame(
        {
            "person_id": pool["person_id"].to_numpy(),
            "treated": 0,
            "programme": programme,
            "index_date": pool["eligible_date"].to_numpy(),
        }
    )
    for c in ("date_of_birth", *_PERSON_COLUMNS):
        if c in pool.columns:
            control[c] = pool[c].astype(pool[c].dtype).to_numpy()
    for c in _extra_columns(pool, "comparison", notes):
        control[c] = pool[c].to_numpy()
    for c in control.columns:
        if c in pool.columns:
            control[c] = control[c].astype(pool[c].dtype)
    if control.empty:
        notes.append(f"no comparison people for {programme}: outcomes are derived for participants only")

    people = _stack(treated, control)
    people["treated"] = people["treated"].astype(np.int64)
    people["programme"] = pd.Categorical(people["programme"], categories=list(PROGRAMMES))
    people["index_date"] = pd.to_datetime(people["index_date"]).astype("datetime64[ns]")
    if people["person_id"].isna().any():
        raise ContractError("a participant or comparison row has no person_id; validate the data first")

    n = len(people)
    index_day = days(people["index_date"])
    late = index_day > extract_day
    if late.any():
        i = int(np.flatnonzero(late)[0])
        raise ContractError(
            f"{int(late.sum()):,} people have an index date after the extract date "
            f"(first: person {people['person_id'].iloc[i]!r}, index date "
            f"{people['index_date'].iloc[i].date().isoformat()}): check OutcomeRules.extract_date"
        )
    lookup = id_lookup(people["person_id"])
    F = rules.follow_up_days

    # exits: a person's earliest death and earliest move away
    died = np.full(n, NEVER, dtype=np.int64)
    moved = np.full(n, NEVER, dtype=np.int64)
    if data.exits is not None and len(data.exits):
        _require(data.exits, "exits", ["person_id", "date", "reason"])
        code = person_codes(data.exits["person_id"], lookup)
        day = days(data.exits["date"])
        ok = (code >= 0) & (day != NA_DAY)
        for target, label in ((died, "died"), (moved, "moved_away")):
            m = ok & is_in(data.exits["reason"], [label])
            target[:] = group_min(code[m], day[m] - index_day[code[m]], n, NEVER)
        before = (died < 0) | (moved < 0)
        if before.any():
            notes.append(
                f"{int(before.sum()):,} people died or moved away before their index date: observed for 0 days"
            )
    ends = np.stack(
        [
            np.maximum(died, 0),
            np.maximum(moved, 0),
            np.full(n, F, dtype=np.int64),
            extract_day - index_day,
        ]
    )
    censor_code = np.argmin(ends, axis=0).astype(np.int64)
    observed = ends[censor_code, np.arange(n)]

    # custody spells as (lo, hi] in days after index: the start day is at liberty (the offence
    # that led to custody is usually committed that day), the release day is in custody
    prior_custody = np.zeros(n, dtype=np.int64)
    custody = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64))
    if data.custody is not None and len(data.custody):
        _require(data.custody, "custody", ["person_id", "start_date", "end_date"])
        code = person_codes(data.custody["person_id"], lookup)
        start = days(data.custody["start_date"])
        end = days(data.custody["end_date"])
        ok = (code >= 0) & (start != NA_DAY)
        code, start, end = code[ok], start[ok], end[ok]
        open_ended = end == NA_DAY
        if open_ended.any():
            notes.append(f"{int(open_ended.sum()):,} custody spell(s) have no end_date: taken as still in custody")
        lo = start - index_day[code]
        hi = np.where(open_ended, NEVER, end - index_day[code])
        before = lo < 0
        if rules.lookback_days is not None:
            before &= hi >= -rules.lookback_days
        prior_custody = np.bincount(code[before], minlength=n).astype(np.int64)
        limit = observed[code]
        custody = merge_intervals(code, np.clip(lo, 0, limit), np.clip(hi, 0, limit))

    return Cohort(
        people=people,
        programme=programme,
        extract_day=extract_day,
        index_day=index_day,
        observed_days=observed,
        censor_code=censor_code,
        custody=custody,
        prior_custody=prior_custody,
        lookup=lookup,
        warnings=tuple(notes),
    )


def custody_days_within(cohort: Cohort, until: np.ndarray) -> np.ndarray:
    """Days in custody in (0, until] per person (``until`` <= observed days)."""
    code, lo, hi = cohort.custody
    n = len(cohort.people)
    if not len(code):
        return np.zeros(n, dtype=np.int64)
    overlap = np.clip(np.minimum(hi, until[code]) - lo, 0, None)
    return np.bincount(code, weights=overlap, minlength=n).round().astype(np.int64)
