"""``evaluate``: the whole flow from one config file to verdicts on the strategy's targets."""

from __future__ import annotations

import dataclasses
import os
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..data import CohortData, load
from ..outcomes import OutcomeRules, derive_outcomes, recurrent_events
from ..sensitivity import e_value
from .analyses import DA_PROGRAMMES, run_analyses, wilson_interval, with_offence_lists
from .config import EvaluationConfig, read_config
from .costs import read_costs
from .data_quality import set_aside_summary
from .flow import cohort_flow
from .headlines import CAN_SAY, CANNOT_SAY, headlines
from .measurable import measurable_by
from .periods import estimate_periods, restrict_to_cohort
from .preflight import MEASURE_NEEDS as MEASURE_TABLE
from .preflight import check_comparison_columns, complete_cases, missing_tables, programme_targets, switched_off
from .provenance import provenance
from .result import Evaluation
from .targets import Target, read_targets
from .value_for_money import value_for_money
from .verdicts import MET, NOT_MEASURABLE, NOT_MET, ON_COURSE, Assessment, Evidence, assess, not_measured, people_needed


def evaluate(config: str | os.PathLike | EvaluationConfig) -> Evaluation:
    """Load, validate, derive outcomes, match, estimate and assess, as the config says.

    >>> ev = rev.evaluate("evaluation.toml")        # doctest: +SKIP
    >>> ev.targets[["id", "verdict", "reason"]]      # doctest: +SKIP
    """
    config_path = None
    if not isinstance(config, EvaluationConfig):
        config_path = Path(config)
        config = read_config(config_path)
    where = config_path.name if config_path is not None else "the evaluation config"
    targets_path = config.path(config.targets)
    targets, notes = programme_targets(read_targets(targets_path), config, targets_path.name)
    costs = read_costs(config.path(config.costs)) if config.costs else None  # checked before the long work
    mapping = config.path(config.data.mapping) if config.data.mapping else None
    raw = load(
        config.path(config.data.folder), mapping=mapping, dayfirst=config.data.dayfirst, encoding=config.data.encoding
    )
    check_comparison_columns(config, raw, where)
    extract_date = config.data.extract_date

    from ..validate import ValidationError, validate  # noqa: PLC0415 - validation is the stage after loading
    from ..validate.plausibility import quiet_end  # noqa: PLC0415

    checked = validate(raw, extract_date=extract_date, programme=config.programme)
    if checked.fatal:
        raise ValidationError(
            "no verdicts can be given on this extract: " + "; ".join(checked.fatal) + " (run reoffend-eval validate "
            "on the data folder to see every row set aside and why)"
        )
    clean = checked.clean
    quality = checked.summary
    notes.extend(f"data quality: {w}" for w in getattr(checked, "warnings", ()))
    set_aside, data_warnings, affected = set_aside_summary(checked, config.programme)
    observed_to = extract_date
    quiet = quiet_end(clean, pd.Timestamp(checked.extract_date))
    if quiet is not None:
        # months with no record of any kind are not months in which nothing happened: follow-up ends at the
        # last record, so unobserved time can never count as time without reoffending
        observed_to = quiet.date()
        data_warnings.append(
            f"the extract date {checked.extract_date:%Y-%m-%d} is {(checked.extract_date - quiet).days} days after "
            f"the latest record in any table ({quiet:%Y-%m-%d}); follow-up is taken to end at {quiet:%Y-%m-%d}. "
            "If the extract really does run to its date, nothing was recorded for months: check it"
        )

    rules = OutcomeRules(
        programme=config.programme,
        index=config.outcomes.index,
        follow_up_days=config.outcomes.follow_up_days,
        waiting_days=config.outcomes.waiting_days,
        exclude_pnd=config.outcomes.exclude_pnd,
        charges_count_as_proven=config.outcomes.charges_count_as_proven,
        extract_date=observed_to,
        repeat_marac_days=config.outcomes.repeat_marac_days,
    )
    with warnings.catch_warnings():
        # derive_outcomes also returns its warnings in people.attrs; they go into the result, not the console
        warnings.simplefilter("ignore", UserWarning)
        people = derive_outcomes(clean, rules)
        da_rows = None
        if config.programme in DA_PROGRAMMES and clean.incidents is not None:
            da_rows = recurrent_events(clean, rules, kind="da_incidents")
            people = _with_da_exposure(people, da_rows)
        people = with_offence_lists(people, clean, rules, targets)
    people, da_rows = restrict_to_cohort(people, da_rows, config.cohort)
    notes.extend(people.attrs.get("warnings", ()))
    people, dropped = complete_cases(people, config)
    notes.extend(dropped)
    unavailable = missing_tables(clean)
    analyses = run_analyses(people, _measurable_only(config, unavailable), da_rows=da_rows, targets=targets)
    off = switched_off(config)
    results = analyses.table()
    notes.extend(analyses.warnings)
    for design in analyses.designs.values():
        notes.extend(f"comparison ({design.label}): {w}" for w in design.result.warnings)

    assessments = tuple(
        _assess(t, results, people, config, analyses.reasons, unavailable, off, affected) for t in targets
    )
    targets_table = pd.DataFrame(
        [
            {
                "id": a.target.id,
                "description": a.target.description,
                "measure": a.target.key,
                "comparator": a.target.comparator,
                "direction": a.target.direction,
                "threshold": a.target.threshold,
                "threshold_type": a.target.threshold_type,
                "by": a.target.by.isoformat(),
                "verdict": a.verdict,
                "reason": a.reason,
                "estimate": a.evidence.estimate if a.evidence else np.nan,
                "ci_lower": a.evidence.ci_lower if a.evidence else np.nan,
                "ci_upper": a.evidence.ci_upper if a.evidence else np.nan,
                "people_needed_per_group": a.people_needed if a.people_needed is not None else np.nan,
            }
            for a in assessments
        ],
        columns=[
            "id",
            "description",
            "measure",
            "comparator",
            "direction",
            "threshold",
            "threshold_type",
            "by",
            "verdict",
            "reason",
            "estimate",
            "ci_lower",
            "ci_upper",
            "people_needed_per_group",
        ],
    )
    extract_day = pd.Timestamp(checked.extract_date).date()
    targets_table["measurable_by"], starters = measurable_by(
        assessments, people, extract_day, rules.full_follow_up_days
    )
    main = analyses.designs.get("fixed_window") or analyses.designs.get("everyone")
    balance = main.result.balance if main is not None else pd.DataFrame()
    sensitivity_rows = _e_values(results)
    results = pd.concat([results, sensitivity_rows], ignore_index=True) if len(sensitivity_rows) else results
    return Evaluation(
        config=config,
        cohort_flow=cohort_flow(raw, clean, people, config.programme, analyses.designs),
        quality=quality,
        balance=balance,
        results=results,
        targets=targets_table,
        assessments=assessments,
        headlines=headlines(results, config.programme),
        can_say=CAN_SAY,
        cannot_say=CANNOT_SAY,
        warnings=_redact(tuple(dict.fromkeys(notes)), raw),
        set_aside=set_aside,
        data_warnings=_redact(tuple(data_warnings), raw),
        provenance=provenance(
            raw, config_path, targets_path, config.seed, config.path(config.costs) if config.costs else None
        ),
        designs=analyses.designs,
        fits=analyses.fits,
        value_for_money=value_for_money(results, costs, config.programme, seed=config.seed)
        if costs is not None
        else None,
        starter_rate=starters,
        periods=estimate_periods(people, _measurable_only(config, unavailable), da_rows)
        if config.analyses.periods
        else None,
    )


def _with_da_exposure(people: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Add DA incidents over the whole observed follow-up and the years at liberty (custody removed)."""
    per_person = (
        rows.assign(days=rows["stop"] - rows["start"])
        .groupby("person_id", observed=True)
        .agg(da_incidents_observed=("n_events", "sum"), da_days=("days", "sum"))
    )
    out = people.merge(per_person, left_on="person_id", right_index=True, how="left", validate="many_to_one")
    out["da_incidents_observed"] = out["da_incidents_observed"].fillna(0).astype("int64")
    out["da_years_at_risk"] = out["da_days"].fillna(0).astype("float64") / 365.25
    out.attrs = people.attrs
    return out.drop(columns="da_days")


def _row(results: pd.DataFrame, measure: str, statistic: str) -> pd.Series | None:
    rows = results[
        (results["measure"] == measure)
        & (results["statistic"] == statistic)
        & (results["analysis"] == "main")
        & (results["group"] == "all")
    ]
    return None if rows.empty else rows.iloc[0]


def _measurable_only(config: EvaluationConfig, unavailable: dict[str, str]) -> EvaluationConfig:
    """The config with the analyses switched off whose every measure the extract cannot measure."""
    switches = {
        "reoffending": ("reoffending_rate",),
        "survival": ("time_to_reoffence",),
        "repeat_victimisation": ("da_incident_rate",),
    }
    # typed Any: mypy checks a **dict given to dataclasses.replace against every field, not the ones it names
    off: dict[str, Any] = {
        name: False for name, measures in switches.items() if all(m in unavailable for m in measures)
    }
    return dataclasses.replace(config, analyses=dataclasses.replace(config.analyses, **off)) if off else config


def _assess(
    target: Target,
    results: pd.DataFrame,
    people: pd.DataFrame,
    config: EvaluationConfig,
    reasons: dict[str, str],
    missing: dict[str, str],
    off: dict[str, str],
    affected: dict[str, str],
) -> Assessment:
    """One target's verdict: not measured, not yet measurable (with the reason and people needed), or judged."""
    if target.measure in missing:
        return not_measured(target, missing[target.measure])
    if target.measure in off and target.comparator == "matched":
        return not_measured(target, off[target.measure])
    evidence, why = _evidence(target, results, people, config)
    if evidence is None and target.comparator == "matched":
        why = reasons.get(f"{target.key}:{_statistic(target)}") or reasons.get(target.key) or why
    hint = None
    if evidence is None:
        hint = _people_needed_from_pool(target, people)
    assessment = assess(target, evidence, why, hint)
    damaged = (
        affected.get(MEASURE_TABLE.get(target.measure, ""))
        or affected.get("participants")
        or (affected.get("comparison") if target.comparator == "matched" else None)
    )
    if damaged and assessment.verdict in (MET, ON_COURSE, NOT_MET):
        # a verdict on data mostly set aside would be a verdict on what happened to survive the checks
        return Assessment(
            target,
            NOT_MEASURABLE,
            f"{damaged}: fix the extract and run again",
            assessment.evidence,
            assessment.people_needed,
        )
    return assessment


def _people_needed_from_pool(target: Target, people: pd.DataFrame) -> float | None:
    """People needed per group, from the comparison pool's own rate when no estimate could be made."""
    outcome = target.outcome
    pool = people[people["treated"] == 0]
    if target.spec.kind == "proportion":
        pool = _fixed(pool)
    if outcome not in pool.columns or target.spec.kind == "rate":
        return None
    values = pool[outcome].astype(float).dropna()
    if target.spec.kind == "time":
        values = pool["event"].astype(float).dropna()
    if values.empty:
        return None
    rate = float(values.mean())
    if not np.isfinite(rate) or rate <= 0:
        return None
    probe = Evidence(np.nan, np.nan, np.nan, n_treated=0, n_comparator=len(values), comparator_value=rate)
    return people_needed(target, probe)


def _statistic(target: Target) -> str:
    """The results' statistic a matched-comparator target is judged on."""
    return {
        ("proportion", False): "risk_difference",
        ("proportion", True): "risk_ratio",
        ("count", False): "mean_difference",
        ("count", True): "rate_ratio",
        ("time", False): "rmst_difference",
        ("time", True): "hazard_ratio",
        ("rate", True): "rate_ratio",
    }[(target.spec.kind, target.threshold_type == "percent")]


def _evidence(target: Target, results: pd.DataFrame, people: pd.DataFrame, config: EvaluationConfig):
    """The estimate on the target's scale, or (None, why)."""
    spec = target.spec
    if target.comparator == "benchmark":
        return _benchmark_evidence(target, people)
    if target.comparator == "baseline":
        return _baseline_evidence(target, people)
    relative = target.threshold_type == "percent"
    row = _row(results, target.key, _statistic(target))
    if row is None:
        return None, f"no {spec.label} estimate was made (not enough data, or the analysis is switched off)"
    scale = (lambda v: (v - 1) * 100) if relative else (lambda v: v)
    evidence = Evidence(
        estimate=scale(row["estimate"]),
        ci_lower=scale(row["ci_lower"]),
        ci_upper=scale(row["ci_upper"]),
        n_treated=int(row["n_treated"]),
        n_comparator=int(row["n_comparison"]),
        events_treated=int(row["events_treated"]),
        events_comparator=int(row["events_comparison"]),
        treated_value=row["treated_value"],
        comparator_value=row["comparison_value"],
        method=row["method"],
    )
    return evidence, ""


def _fixed(people: pd.DataFrame) -> pd.DataFrame:
    return people[people["full_follow_up"].fillna(False).astype(bool)]


def _benchmark_evidence(target: Target, people: pd.DataFrame):
    """The programme group's rate against a fixed benchmark (Wilson interval for a proportion)."""
    treated = _fixed(people)
    treated = treated[treated["treated"] == 1]
    outcome = treated[target.outcome].astype(float).dropna() if target.outcome in treated else pd.Series(dtype=float)
    n = len(outcome)
    if n == 0:
        return None, "nobody in the programme group has a full follow-up period yet"
    if target.spec.kind == "proportion":
        value = outcome.mean()
        lo, hi = wilson_interval(outcome.sum(), n)
    else:
        value = outcome.mean()
        se = outcome.std(ddof=1) / np.sqrt(n)
        lo, hi = value - 1.959964 * se, value + 1.959964 * se
    b = target.benchmark
    if target.threshold_type == "percent":
        transform = lambda v: (v / b - 1) * 100  # noqa: E731
    elif target.threshold_type == "percentage_points":
        transform = lambda v: (v - b) * 100  # noqa: E731
    else:
        transform = lambda v: v - b  # noqa: E731
    return Evidence(
        transform(value),
        transform(lo),
        transform(hi),
        n_treated=n,
        n_comparator=None,
        events_treated=int((outcome > 0).sum()),
        treated_value=value,
        comparator_value=b,
        method="programme group against a fixed benchmark (Wilson interval)",
    ), ""


def _baseline_evidence(target: Target, people: pd.DataFrame):
    """Participants now against the same programme's participants in the baseline period (unadjusted)."""
    from ..effects import binary_effects, mean_difference  # noqa: PLC0415

    treated = _fixed(people)
    treated = treated[treated["treated"] == 1].copy()
    index = pd.to_datetime(treated["index_date"])
    start, end = pd.Timestamp(target.baseline_from), pd.Timestamp(target.baseline_to)
    treated["current"] = np.where(index > end, 1, np.where((index >= start) & (index <= end), 0, -1))
    treated = treated[treated["current"] >= 0]
    if treated["current"].nunique() < 2:
        return None, "the programme has no participants with full follow-up in the baseline period or after it"
    outcome = target.outcome
    treated[outcome] = treated[outcome].astype(float)
    if target.spec.kind == "proportion":
        statistic = "risk_ratio" if target.threshold_type == "percent" else "risk_difference"
        result = binary_effects(treated, outcome, treatment="current", measures=(statistic,))
        scale = (lambda v: (v - 1) * 100) if statistic == "risk_ratio" else (lambda v: v * 100)
    else:
        result = mean_difference(treated, outcome, treatment="current")
        scale = lambda v: v  # noqa: E731
    row = result.table.iloc[0]
    groups = result.groups
    value_col = groups.columns[-1]
    return Evidence(
        scale(row["estimate"]),
        scale(row["ci_lower"]),
        scale(row["ci_upper"]),
        n_treated=int(groups.loc[1, "people"]),
        n_comparator=int(groups.loc[0, "people"]),
        events_treated=int((treated.loc[treated["current"] == 1, outcome] > 0).sum()),
        treated_value=float(groups.loc[1, value_col]),
        comparator_value=float(groups.loc[0, value_col]),
        method="current participants against the baseline period's participants (unadjusted)",
    ), ""


def _e_values(results: pd.DataFrame) -> pd.DataFrame:
    """E-values (VanderWeele & Ding) for the headline ratios: how strong hidden confounding would need to be."""
    rows = []
    for measure, statistic, kind in (
        ("reoffending_rate", "risk_ratio", "RR"),
        ("time_to_reoffence", "hazard_ratio", "HR"),
        ("da_incident_rate", "rate_ratio", "RR"),
    ):
        row = _row(results, measure, statistic)
        if row is None or not np.isfinite(row["estimate"]):
            continue
        rare = bool(row["comparison_value"] < 0.15) if kind == "HR" else False
        ev = e_value(row["estimate"], row["ci_lower"], row["ci_upper"], measure=kind, rare=rare)
        for statistic_name, value, words in (
            ("e_value", ev.e_value, "the estimate"),
            ("e_value_ci", ev.e_value_ci, "the confidence limit nearer no effect"),
        ):
            rows.append(
                {
                    "measure": measure,
                    "statistic": statistic_name,
                    "analysis": "sensitivity",
                    "group": "all",
                    "estimate": np.nan if value is None else value,
                    "ci_lower": np.nan,
                    "ci_upper": np.nan,
                    "p": np.nan,
                    "n": row["n"],
                    "n_treated": row["n_treated"],
                    "n_comparison": row["n_comparison"],
                    "treated_value": np.nan,
                    "comparison_value": np.nan,
                    "events_treated": row["events_treated"],
                    "events_comparison": row["events_comparison"],
                    "method": f"E-value (VanderWeele & Ding) of {words} of the {statistic.replace('_', ' ')}",
                }
            )
    return pd.DataFrame(rows)


def _redact(texts: tuple[str, ...], data: CohortData) -> tuple[str, ...]:
    """Warnings with any identifier from the data replaced: no person reaches a report through a message."""
    # look the few words of the messages up in the id columns, rather than collecting millions of ids
    words = {t for text in texts for t in re.findall(r"[A-Za-z0-9_\-]+", text)}
    # short plain numbers ("60 people") are left: as identifiers they single nobody out
    words = {t for t in words if not (t.isdigit() and len(t) < 5)}
    ids: set[str] = set()
    for table in data.tables().values():
        for column in ("person_id", "perpetrator_id", "victim_id"):
            if column in table.columns and words:
                values = table[column].dropna().astype(str)
                ids.update(values[values.isin(words)].unique())
    out = []
    for text in texts:
        for token in ids:
            text = re.sub(rf"(?<![A-Za-z0-9_\-]){re.escape(token)}(?![A-Za-z0-9_\-])", "[id removed]", text)
        out.append(text)
    return tuple(out)
