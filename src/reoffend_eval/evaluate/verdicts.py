"""Judge each strategy target: met, on course, not met, or not yet measurable."""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import power
from .targets import Target

MET = "met"
ON_COURSE = "on course"
NOT_MET = "not met"
NOT_MEASURABLE = "not yet measurable"
#: the extract or the config cannot measure the target at all (a missing optional table, an analysis switched off)
NOT_MEASURED = "not measured"
VERDICTS = (MET, ON_COURSE, NOT_MET, NOT_MEASURABLE, NOT_MEASURED)
"""The verdicts a target can get, in the order the report lists them."""

#: Justice Data Lab minimums (fewer and the JDL does not report the measure).
MIN_PEOPLE = 60
MIN_EVENTS_TIME_TO_EVENT = 30
MIN_EXPECTED_COUNT = 10


@dataclass(frozen=True)
class Evidence:
    """The numbers a target is judged on, on the target's scale.

    ``estimate`` and its interval are the programme minus the comparator, in
    percentage points, days or offences per person for absolute thresholds,
    and the relative change in % (ratio minus 1, times 100) for ``percent``
    thresholds. ``comparator_value`` is the comparator's rate (a proportion,
    mean count or event share) used for the JDL rules and the power figures.
    """

    estimate: float
    ci_lower: float
    ci_upper: float
    n_treated: int
    n_comparator: int | None
    events_treated: int | None = None
    events_comparator: int | None = None
    treated_value: float | None = None
    comparator_value: float | None = None
    method: str = ""


@dataclass(frozen=True)
class Assessment:
    target: Target
    verdict: str
    reason: str
    evidence: Evidence | None
    people_needed: float | None = None


def not_measured(target: Target, why: str) -> Assessment:
    """The verdict for a target this extract or config cannot measure at all, with the reason."""
    return Assessment(target, NOT_MEASURED, why, None)


def assess(
    target: Target, evidence: Evidence | None, why_missing: str = "", people_needed_hint: float | None = None
) -> Assessment:
    """The verdict for one target and the reason, in plain words.

    met: the confidence interval lies wholly past the threshold; on course: the
    estimate passes it but the interval does not yet; not met: the interval
    lies wholly on the wrong side, or the estimate falls short while the
    interval still reaches the threshold (the reason then says the evidence
    cannot yet rule the target out, and how many people would settle it);
    not yet measurable: too few people or events by the Justice Data Lab's
    rules (with the number needed).

    ``target``: a ``Target``; ``evidence``: the numbers it is judged on, or None when no estimate could
    be made, with ``why_missing`` saying why (and ``people_needed_hint``, people per group that would
    make it measurable, when known).

    >>> import datetime as dt
    >>> t = Target("RR1", "Five points fewer reoffend", "DRIVE", "reoffending_rate", "matched", "decrease", 5,
    ...            "percentage_points", dt.date(2027, 3, 31))
    >>> ev = Evidence(-9.0, -13.0, -5.5, n_treated=700, n_comparator=700, events_treated=140, events_comparator=203)
    >>> assess(t, ev).verdict
    'met'
    """
    if evidence is None:
        reason = (why_missing or "no estimate could be made") + _needed_words(people_needed_hint)
        return Assessment(target, NOT_MEASURABLE, reason, None, people_needed_hint)
    short = _too_few(target, evidence)
    needed = people_needed(target, evidence)
    if short:
        return Assessment(target, NOT_MEASURABLE, short + _needed_words(needed), evidence, needed)
    if any(math.isnan(v) for v in (evidence.estimate, evidence.ci_lower, evidence.ci_upper)):
        return Assessment(target, NOT_MEASURABLE, "the estimate could not be computed", evidence, needed)
    goal = -target.threshold if target.direction == "decrease" else target.threshold

    def past(value: float) -> bool:
        # "any decrease" (threshold 0) needs a difference below zero: no difference is no decrease
        if target.threshold == 0:
            return value < 0 if target.direction == "decrease" else value > 0
        return value <= goal if target.direction == "decrease" else value >= goal

    unit = _unit(target)
    interval = f"{_fmt(evidence.estimate)}{unit} (95% CI {_fmt(evidence.ci_lower)} to {_fmt(evidence.ci_upper)}{unit})"
    wanted = (
        f"a {target.direction} of at least {_fmt(target.threshold)}{unit}"
        if target.threshold > 0
        else f"any {target.direction}"
    ) + _against(target)
    lower, upper = sorted((evidence.ci_lower, evidence.ci_upper))
    inner, outer = (upper, lower) if target.direction == "decrease" else (lower, upper)
    if past(inner):
        return Assessment(target, MET, f"the whole interval shows {wanted}: {interval}", evidence, needed)
    if past(evidence.estimate):
        return Assessment(
            target,
            ON_COURSE,
            f"the estimate passes the threshold ({wanted}) but the interval does not yet rule out less: {interval}"
            + _needed_words(needed),
            evidence,
            needed,
        )
    if not past(outer):
        return Assessment(target, NOT_MET, f"the whole interval falls short of {wanted}: {interval}", evidence, needed)
    return Assessment(
        target,
        NOT_MET,
        f"on present evidence: the estimate falls short of {wanted}, though the interval still reaches it, so "
        f"more data could change this: {interval}" + _needed_words(needed),
        evidence,
        needed,
    )


def _against(target: Target) -> str:
    if target.comparator == "benchmark":
        value = f"{target.benchmark:.0%}" if target.spec.kind == "proportion" else f"{target.benchmark:g}"
        return f" against the benchmark of {value}"
    if target.comparator == "baseline":
        return f" against the baseline period ({target.baseline_from} to {target.baseline_to})"
    return " against the matched group"


def _too_few(target: Target, e: Evidence) -> str:
    if e.n_treated < MIN_PEOPLE:
        return f"fewer than {MIN_PEOPLE} people in the programme group ({_count(e.n_treated)})"
    if target.comparator != "benchmark" and e.n_comparator is not None and e.n_comparator < MIN_PEOPLE:
        return f"fewer than {MIN_PEOPLE} people in the comparison group ({_count(e.n_comparator)})"
    kind = target.spec.kind
    if kind == "time" and (e.events_treated or 0) < MIN_EVENTS_TIME_TO_EVENT:
        return (
            f"fewer than {MIN_EVENTS_TIME_TO_EVENT} people in the programme group reoffended "
            f"({_count(e.events_treated or 0)}), too few for time-to-reoffence estimates"
        )
    if kind == "proportion":
        for label, n, p in (
            ("programme", e.n_treated, e.treated_value),
            ("comparison", e.n_comparator, e.comparator_value),
        ):
            if n is None or p is None:
                continue
            if n * p < MIN_EXPECTED_COUNT or n * (1 - p) < MIN_EXPECTED_COUNT:
                return (
                    f"too few people with (or without) the outcome in the {label} group for a reliable rate "
                    f"(n x p under {MIN_EXPECTED_COUNT})"
                )
    return ""


def people_needed(target: Target, e: Evidence) -> float | None:
    """About how many people per group would detect the target's threshold at 80% power (None if unknown)."""
    kind = target.spec.kind
    p0 = e.comparator_value
    if p0 is None:
        return None
    size = target.threshold if target.threshold > 0 else abs(e.estimate)
    if kind == "proportion":
        delta = size / 100 if target.threshold_type == "percentage_points" else p0 * size / 100
        p1 = min(max(p0 - delta if target.direction == "decrease" else p0 + delta, 1e-9), 1 - 1e-9)
        if target.comparator == "benchmark":
            return power.n_one_sample_proportion(p0, p1)
        return power.n_per_group_proportions(p0, p1)
    if kind in ("count", "rate") and target.threshold_type == "percent":
        ratio = 1 - size / 100 if target.direction == "decrease" else 1 + size / 100
        return power.n_per_group_rates(p0, ratio)
    if kind == "time" and target.threshold_type == "percent":
        hr = 1 - size / 100 if target.direction == "decrease" else 1 + size / 100
        events = power.events_for_hazard_ratio(hr)
        return events / (2 * p0) if p0 > 0 else None
    return None


def _needed_words(needed: float | None) -> str:
    if needed is None or not math.isfinite(needed):
        return ""
    return f"; about {_round_up(needed):,} people in each group would be needed to detect the target difference"


def _round_up(n: float) -> int:
    step = 10 if n < 1000 else 100
    return int(math.ceil(n / step) * step)


def _unit(target: Target) -> str:
    return {"percentage_points": " percentage points", "percent": "%", "days": " days", "per_person": " per person"}[
        target.threshold_type
    ]


def _fmt(value: float) -> str:
    return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"


def _count(n: int) -> str:
    return "fewer than 5" if 0 < n < 5 else f"{n}"
