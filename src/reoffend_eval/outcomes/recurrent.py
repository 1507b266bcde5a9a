"""recurrent_events: counting-process rows for Andersen–Gill models and the MCF."""

from __future__ import annotations

import warnings as _warnings

import numpy as np
import pandas as pd

from ..data.cohort import CohortData
from ._events import counted_incidents, counted_reoffences
from .derive import derive_with_events
from .rules import OutcomeRules

KINDS = ("reoffences", "da_incidents")

# person columns end where derive_outcomes' outcome columns begin
_OUTCOME_START = "full_follow_up"


def recurrent_events(data: CohortData, rules: OutcomeRules | None = None, kind: str = "reoffences") -> pd.DataFrame:
    """Counting-process rows ``(start, stop]`` per person, custody removed from the risk set.

    ``kind`` is ``"reoffences"`` (proven offences committed after the index date, proven
    within the waiting period and by the extract date, as ``derive_outcomes``' ``event``) or
    ``"da_incidents"`` (domestic-abuse incidents and crimes with the person as perpetrator).

    Each person is observed from day 0 (the index date) to ``observed_days`` (day 365, death,
    moving away or the extract date, whichever first), on the calendar-day scale. Custody
    spells are cut out: a spell covers the days after its start up to and including its
    release day, so a person is not at risk in ``(start_day, release_day]``. Intervals are
    split at each event day: ``start < stop``, the event is at ``stop``, and one person's
    intervals never overlap. Several events on one day make one row with ``event`` = 1 and
    ``n_events`` = their number (an Andersen–Gill model counts the day once; a mean
    cumulative function can count ``n_events``). Events committed while in custody are not
    in any interval (counted in the warnings). People with no time at risk have no rows.

    Columns: ``person_id``, ``treated``, ``programme``, ``index_date``, the person covariates
    of :func:`derive_outcomes` (age, sex, history), then ``start``, ``stop``, ``event``,
    ``n_events``, ``event_number`` (see ``column_dictionary()``). Warnings are in
    ``result.attrs["warnings"]``. The intervals equal those R's ``survival::tmerge`` builds
    with custody as a time-dependent covariate and custody intervals dropped (tested against
    it), the layout ``survival::coxph(Surv(start, stop, event) ~ treated + cluster(person_id))``
    expects.

    ``data``: the validated tables (``checked.clean``); ``rules``: an ``OutcomeRules`` (default
    ``OutcomeRules()``: JDL windows, extract date taken from the data with a warning).

    >>> rows = rev.recurrent_events(data, rev.OutcomeRules(programme="DRIVE",
    ...                             extract_date="2025-03-31"), kind="da_incidents")  # doctest: +SKIP
    >>> rows.groupby("treated")["n_events"].sum()                                   # doctest: +SKIP
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be 'reoffences' or 'da_incidents', not {kind!r}")
    people, cohort, off, inc = derive_with_events(data, rules)
    rules = people.attrs["rules"]
    notes = list(people.attrs["warnings"])
    n = len(people)
    if kind == "reoffences":
        if off is None:
            raise ValueError("recurrent reoffences need the offences table, and the data have none")
        m = counted_reoffences(off, cohort, rules)
        code, day = off.code[m], off.day[m]
    else:
        if inc is None:
            raise ValueError("recurrent DA incidents need the incidents table, and the data have none")
        m = counted_incidents(inc, cohort)
        code, day = inc.code[m], inc.day[m]
    span = np.int64(rules.follow_up_days + 2)

    # distinct event days per person, with how many events fell on each
    event_key, n_on_day = np.unique(code * span + day, return_counts=True)
    ev_code, ev_day = event_key // span, event_key % span

    # at-risk segments: (0, C] less the merged custody spells (lo, hi]
    c_code, c_lo, c_hi = cohort.custody
    observed = cohort.observed_days
    everyone = np.arange(n, dtype=np.int64)
    seg_code_a = np.concatenate([everyone, c_code])
    seg_start = np.concatenate([np.zeros(n, np.int64), c_hi])
    seg_stop = np.concatenate([c_lo, observed])
    order_a = np.lexsort((seg_start, seg_code_a))
    order_b = np.lexsort((seg_stop, np.concatenate([c_code, everyone])))
    seg_code, seg_start, seg_stop = seg_code_a[order_a], seg_start[order_a], seg_stop[order_b]
    keep = seg_stop > seg_start
    seg_code, seg_start, seg_stop = seg_code[keep], seg_start[keep], seg_stop[keep]

    # which segment each event day falls in; days in custody fall in none
    seg_key = seg_code * span + seg_start
    j = np.searchsorted(seg_key, ev_code * span + ev_day, side="left") - 1
    inside = j >= 0
    j_safe = np.where(inside, j, 0)
    inside &= (seg_code[j_safe] == ev_code) & (ev_day <= seg_stop[j_safe]) if len(seg_code) else np.zeros(len(j), bool)
    in_custody = int(n_on_day[~inside].sum())
    if in_custody:
        notes.append(
            f"{in_custody:,} {kind.replace('_', ' ')} committed while in custody are outside the risk set "
            "and not in the rows (they do count in derive_outcomes' calendar-time event)"
        )
    ev_seg, ev_day, n_on_day = j[inside], ev_day[inside], n_on_day[inside]

    # cut points within each segment: its start, its event days, its stop (unless an event day)
    n_seg = len(seg_code)
    seg_ids = np.arange(n_seg, dtype=np.int64)
    last_event = np.full(n_seg, -1, dtype=np.int64)
    np.maximum.at(last_event, ev_seg, ev_day)
    tail = last_event < seg_stop
    point_seg = np.concatenate([seg_ids, ev_seg, seg_ids[tail]])
    point_t = np.concatenate([seg_start, ev_day, seg_stop[tail]])
    point_n = np.concatenate([np.zeros(n_seg, np.int64), n_on_day, np.zeros(int(tail.sum()), np.int64)])
    point_first = np.concatenate([np.ones(n_seg, bool), np.zeros(len(ev_seg) + int(tail.sum()), bool)])
    order = np.lexsort((point_t, point_seg))
    point_seg, point_t, point_n, point_first = point_seg[order], point_t[order], point_n[order], point_first[order]
    row = ~point_first
    start = np.empty(len(point_t), dtype=np.int64)
    start[1:] = point_t[:-1]
    start = start[row]
    stop = point_t[row]
    n_events = point_n[row]
    person = seg_code[point_seg[row]]
    event = (n_events > 0).astype(np.int64)

    # event_number = 1 + events before this row, within person
    cumulative = np.cumsum(event)
    first_row = np.ones(len(person), dtype=bool)
    first_row[1:] = person[1:] != person[:-1]
    base = np.repeat((cumulative - event)[first_row], np.diff(np.append(np.flatnonzero(first_row), len(person))))
    event_number = cumulative - event - base + 1

    none_at_risk = n - len(np.unique(person))
    if none_at_risk:
        notes.append(
            f"{none_at_risk:,} people have no time at risk (observed 0 days or in custody throughout): no rows"
        )

    covariates = [
        c
        for c in people.columns[: list(people.columns).index(_OUTCOME_START)]
        if c not in ("referral_date", "start_date", "end_date", "date_of_birth")
    ]
    out = people[covariates].iloc[person].reset_index(drop=True)
    out["start"] = start
    out["stop"] = stop
    out["event"] = event
    out["n_events"] = n_events
    out["event_number"] = event_number
    out.attrs["warnings"] = tuple(notes)
    out.attrs["rules"] = rules
    out.attrs["kind"] = kind
    for note in notes:
        _warnings.warn(note, UserWarning, stacklevel=2)
    return out
