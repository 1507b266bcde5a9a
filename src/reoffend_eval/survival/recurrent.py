"""Recurrent events: Andersen–Gill and Prentice–Williams–Peterson (gap time) Cox models.

Both are Cox models on counting-process rows (one row per person per interval between
events) with robust standard errors grouped by person, as R's
``coxph(Surv(start, stop, event) ~ x + cluster(id))``. They reuse :func:`cox`.

>>> ag = rev.survival.andersen_gill(events, "treated + age", "start", "stop", "event", "person_id")
>>> ag.summary.loc["treated", ["hr", "ci_lower", "ci_upper"]]   # rate ratio of repeat incidents
"""

from __future__ import annotations

import pandas as pd

from ._inputs import numeric, require_frame
from .cox import CoxResult, cox


def andersen_gill(
    data: pd.DataFrame, formula: str, start: str, stop: str, event: str, cluster: str, weights=None, ties: str = "efron"
) -> CoxResult:
    """Andersen–Gill model: every event counts, one common baseline hazard, rows at risk on
    (start, stop]; robust SEs grouped by ``cluster`` (the person). Matches R
    ``coxph(Surv(start, stop, event) ~ formula + cluster(id), ties = "efron")``. The HR is a
    ratio of event rates (e.g. repeat incidents per person-day).

    ``data``: counting-process rows as ``rev.recurrent_events`` gives; ``formula``: the right-hand side
    (``"treated + age_at_index"``); ``start``, ``stop``, ``event`` name the interval columns;
    ``weights``: a column of case weights (e.g. matching weights); ``ties``: ``"efron"`` or ``"breslow"``.

    >>> fit = andersen_gill(rows, "treated", "start", "stop", "event", cluster="person_id")
    >>> fit.summary.loc["treated", ["hr", "ci_lower", "ci_upper"]]
    """
    return cox(data, formula, stop, event, weights=weights, cluster=cluster, entry=start, ties=ties)


def pwp(
    data: pd.DataFrame,
    formula: str,
    start: str,
    stop: str,
    event: str,
    cluster: str,
    event_number: str,
    weights=None,
    ties: str = "efron",
    time_scale: str = "gap",
) -> CoxResult:
    """Prentice–Williams–Peterson model: a separate baseline hazard for the 1st, 2nd, ... event
    (strata by ``event_number``), robust SEs by ``cluster``.

    ``time_scale="gap"`` (default) measures time from the previous event, as R
    ``coxph(Surv(stop - start, event) ~ formula + strata(event_number) + cluster(id))``;
    ``"total"`` keeps calendar time from the index date: ``Surv(start, stop, event)``.

    ``data``: counting-process rows as ``rev.recurrent_events`` gives; ``formula``: the right-hand side;
    ``start``, ``stop``, ``event`` and ``event_number`` name its columns; ``weights``: a column of case
    weights; ``ties``: ``"efron"`` or ``"breslow"``.

    >>> fit = pwp(rows, "treated", "start", "stop", "event", "person_id", "event_number")
    >>> fit.summary
    """
    require_frame(data)
    if time_scale == "gap":
        gap = numeric(data, stop, "stop") - numeric(data, start, "start")
        if (gap <= 0).any():
            i = int((gap <= 0).argmax())
            raise ValueError(
                f"stop must be after start; row {data.index[i]!r} has {start} "
                f"{data[start].iloc[i]!r} and {stop} {data[stop].iloc[i]!r}"
            )
        frame = data.assign(_gap_time=gap)
        return cox(frame, formula, "_gap_time", event, weights=weights, cluster=cluster, strata=event_number, ties=ties)
    if time_scale == "total":
        return cox(
            data, formula, stop, event, weights=weights, cluster=cluster, strata=event_number, entry=start, ties=ties
        )
    raise ValueError(f"time_scale must be 'gap' or 'total', got {time_scale!r}")
