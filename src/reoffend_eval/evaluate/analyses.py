"""Run the estimates an evaluation needs and gather them in one tidy results table.

Fixed-window measures (JDL: one-year proven reoffending, frequency, repeat MARAC)
use only people whose extract covers index + follow-up + waiting period, and
the comparison group is matched within them, as the Justice Data Lab does;
time-to-event and rate measures use everybody, matched separately.
"""

from __future__ import annotations

import dataclasses
import re
import warnings as _warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .. import effects, survival
from ..matching import MatchResult, WeightResult, match, weight
from .config import ComparisonConfig, EvaluationConfig
from .targets import measure_key, offences_label, outcome_column

RESULT_COLUMNS = [
    "measure",
    "statistic",
    "analysis",
    "group",
    "estimate",
    "ci_lower",
    "ci_upper",
    "p",
    "n",
    "n_treated",
    "n_comparison",
    "treated_value",
    "comparison_value",
    "events_treated",
    "events_comparison",
    "method",
]
DA_PROGRAMMES = ("DRIVE", "Up2U")
FIXED_WINDOW_MEASURES = (
    "reoffending_rate",
    "reoffending_frequency",
    "repeat_marac_rate",
    "repeat_victimisation",
    "serial_victimisation",
)
EVERYONE_MEASURES = ("time_to_reoffence", "da_incident_rate")
#: what too few or too degenerate data raise inside an estimator (a small or separated cohort, no variance)
DEGENERATE = (ValueError, ZeroDivisionError, FloatingPointError, np.linalg.LinAlgError)


def _plain(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:1].lower() + text[1:] if text else text


@dataclass(frozen=True)
class Design:
    """A comparison design on one sample: the match or weight result and what it is for."""

    name: str
    result: MatchResult | WeightResult
    sample: str

    @property
    def label(self) -> str:
        """Which design and sample, in words: 'matching, people with full follow-up'."""
        kind = "weighting" if not hasattr(self.result, "replace") else "matching"
        role = " (sensitivity)" if self.name.startswith("sensitivity") else ""
        return f"{kind}{role}, {self.sample}"


@dataclass
class Analyses:
    """What the estimation step produced (mutable only while it is being built)."""

    rows: list[dict] = field(default_factory=list)
    designs: dict[str, Design] = field(default_factory=dict)
    fits: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: why a measure has no estimate, in plain words (the verdict's reason): measure -> reason
    reasons: dict[str, str] = field(default_factory=dict)

    def cannot(self, measures: tuple[str, ...], reason: str) -> None:
        """Record that ``measures`` could not be estimated, and why (the first reason given stands)."""
        for measure in measures:
            self.reasons.setdefault(measure, reason)
        self.warnings.append(f"{', '.join(measures)}: not estimated: {reason}")

    def attempt(self, measures: tuple[str, ...], what: str, estimate, *args, **kwargs):
        """Run one estimation step; data too few or too degenerate for it becomes a reason, not a crash."""
        try:
            return estimate(*args, **kwargs)
        except DEGENERATE as exc:
            self.cannot(measures, f"{what} could not be estimated on these data ({_plain(exc)})")
            return None

    def table(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=RESULT_COLUMNS)
        return frame


def build_design(people: pd.DataFrame, comparison: ComparisonConfig, design: str | None = None):
    """Match (MatchIt defaults) or weight people as the config says."""
    kind = design or comparison.design
    if kind == "weighting":
        return weight(people, comparison.formula, estimand=comparison.estimand)
    nearest = comparison.method == "nearest"
    return match(
        people,
        comparison.formula,
        method=comparison.method,
        ratio=comparison.ratio,
        replace=comparison.replace,
        caliper=comparison.caliper if nearest else None,
        std_caliper=comparison.std_caliper,
        exact=list(comparison.exact) if nearest and comparison.exact else None,
        discard=comparison.discard,
        estimand=comparison.estimand,
    )


def _group_values(result, column: str = "proportion") -> tuple[float, float, int, int]:
    groups = result.groups
    value = column if column in groups.columns else groups.columns[-1]
    return (
        float(groups.loc[1, value]),
        float(groups.loc[0, value]),
        int(groups.loc[1, "people"]),
        int(groups.loc[0, "people"]),
    )


def _events(data: pd.DataFrame, treatment: str, outcome: str) -> tuple[int, int]:
    positive = data[outcome].astype(float) > 0
    return int(positive[data[treatment] == 1].sum()), int(positive[data[treatment] == 0].sum())


def _effect_rows(
    analyses: Analyses,
    measure: str,
    result,
    *,
    analysis: str,
    group: str,
    scale: dict[str, float],
    design_data: pd.DataFrame,
    treatment: str,
    outcome: str,
    value_column: str = "proportion",
) -> None:
    treated_value, comparison_value, n_t, n_c = _group_values(result, value_column)
    events_t, events_c = _events(design_data, treatment, outcome)
    for statistic, row in result.table.iterrows():
        factor = scale.get(statistic, 1.0)
        analyses.rows.append(
            {
                "measure": measure,
                "statistic": statistic,
                "analysis": analysis,
                "group": group,
                "estimate": row["estimate"] * factor,
                "ci_lower": row["ci_lower"] * factor,
                "ci_upper": row["ci_upper"] * factor,
                "p": row["p"],
                "n": int(row["n"]),
                "n_treated": n_t,
                "n_comparison": n_c,
                "treated_value": treated_value,
                "comparison_value": comparison_value,
                "events_treated": events_t,
                "events_comparison": events_c,
                "method": row["method"],
            }
        )
    analyses.warnings.extend(f"{measure} ({group}): {w}" for w in result.warnings)


def _matched_rows(result) -> pd.DataFrame:
    data = result.data
    return data[data["weights"] > 0]


def _fixed_window_measures(analyses: Analyses, source, programme: str, *, analysis: str, group: str) -> None:
    data = _matched_rows(source)
    treatment = source.treatment
    binary = effects.binary_effects(source, "reoffended", measures=("risk_difference", "risk_ratio"))
    _effect_rows(
        analyses,
        "reoffending_rate",
        binary,
        analysis=analysis,
        group=group,
        scale={"risk_difference": 100.0},
        design_data=data,
        treatment=treatment,
        outcome="reoffended",
    )
    if analysis != "main":
        return
    frequency = effects.mean_difference(source, "n_reoffences")
    _effect_rows(
        analyses,
        "reoffending_frequency",
        frequency,
        analysis=analysis,
        group=group,
        scale={},
        design_data=data,
        treatment=treatment,
        outcome="n_reoffences",
        value_column="mean",
    )
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        ratio = effects.rate_ratio(source, "n_reoffences", "_one_year", family="negative_binomial")
    _effect_rows(
        analyses,
        "reoffending_frequency",
        ratio,
        analysis=analysis,
        group=group,
        scale={},
        design_data=data,
        treatment=treatment,
        outcome="n_reoffences",
        value_column="rate",
    )
    if programme in DA_PROGRAMMES and data["repeat_marac"].notna().all():
        for measure, outcome in (
            ("repeat_marac_rate", "repeat_marac"),
            ("repeat_victimisation", "any_repeat_victim"),
            ("serial_victimisation", "any_serial_victim"),
        ):
            if data[outcome].astype(float).sum() == 0:
                continue
            result = effects.binary_effects(source, outcome, measures=("risk_difference", "risk_ratio"))
            _effect_rows(
                analyses,
                measure,
                result,
                analysis=analysis,
                group=group,
                scale={"risk_difference": 100.0},
                design_data=data,
                treatment=treatment,
                outcome=outcome,
            )


def _time_measures(
    analyses: Analyses,
    source,
    config: EvaluationConfig,
    *,
    group: str,
    measure: str = "time_to_reoffence",
    time: str = "time",
    event: str = "event",
    rmst: bool = True,
) -> None:
    data = _matched_rows(source).copy()
    main = measure == "time_to_reoffence"
    if time != "time":
        data = data.drop(columns=["time", "event"], errors="ignore").rename(columns={time: "time", event: "event"})
        data["time"] = data["time"].astype("int64")
        data["event"] = data["event"].astype("int64")
    treatment = source.treatment
    cluster = "subclass" if "subclass" in data.columns and data["subclass"].notna().all() else None
    robust_cluster = cluster
    if cluster is None:
        data["_row"] = np.arange(len(data))
        robust_cluster = "_row"
    n_t, n_c = int((data[treatment] == 1).sum()), int((data[treatment] == 0).sum())
    events_t, events_c = _events(data, treatment, "event")
    design_words = "cluster-robust by matched set" if cluster else "robust (sandwich)"
    fit = survival.cox(data, treatment, "time", "event", weights="weights", cluster=robust_cluster)
    if main:
        analyses.fits["cox"] = fit
    analyses.warnings.extend(f"{measure}: {w}" for w in fit.warnings)
    row = fit.summary.loc[treatment]
    analyses.rows.append(
        {
            "measure": measure,
            "statistic": "hazard_ratio",
            "analysis": "main",
            "group": group,
            "estimate": row["hr"],
            "ci_lower": row["ci_lower"],
            "ci_upper": row["ci_upper"],
            "p": row["p"],
            "n": n_t + n_c,
            "n_treated": n_t,
            "n_comparison": n_c,
            "treated_value": events_t / max(n_t, 1),
            "comparison_value": events_c / max(n_c, 1),
            "events_treated": events_t,
            "events_comparison": events_c,
            "method": f"Cox proportional hazards (Efron ties), weighted, {design_words}",
        }
    )
    tau = config.analyses.rmst_tau
    if rmst and data["time"].max() >= tau:
        restricted = survival.rmst(
            data,
            "time",
            "event",
            treatment,
            tau,
            weights="weights",
            cluster=cluster,
            random_state=config.seed,
            n_boot=500,
        )
        if main:
            analyses.fits["rmst"] = restricted
        diff = restricted.difference
        analyses.rows.append(
            {
                "measure": measure,
                "statistic": "rmst_difference",
                "analysis": "main",
                "group": group,
                "estimate": diff["estimate"],
                "ci_lower": diff["ci_lower"],
                "ci_upper": diff["ci_upper"],
                "p": diff["p"],
                "n": n_t + n_c,
                "n_treated": n_t,
                "n_comparison": n_c,
                "treated_value": float(restricted.table.loc[1, "rmst"]),
                "comparison_value": float(restricted.table.loc[0, "rmst"]),
                "events_treated": events_t,
                "events_comparison": events_c,
                "method": f"restricted mean survival time to day {tau} (weighted Kaplan-Meier; cluster bootstrap)",
            }
        )
    elif rmst:
        analyses.reasons[f"{measure}:rmst_difference"] = (
            f"rmst_tau ({tau} days) is beyond the longest follow-up so far ({int(data['time'].max())} days): "
            "restricted mean time cannot be estimated to that day yet"
        )
    if main:
        analyses.fits["kaplan_meier"] = survival.kaplan_meier(data, "time", "event", group=treatment, weights="weights")


def _rate_measures(
    analyses: Analyses,
    source,
    *,
    group: str,
    measure: str = "da_incident_rate",
    count: str = "da_incidents_observed",
    years: str = "da_years_at_risk",
    what: str = "domestic-abuse incidents",
) -> None:
    """Incidents per person-year at liberty (custody removed), everyone followed up, negative binomial."""
    data = _matched_rows(source)
    if count not in data.columns or data[count].isna().any() or data[count].sum() == 0:
        analyses.warnings.append(f"{measure}: no {what} recorded after the index date")
        return
    at_risk = data[data[years] > 0]
    if len(at_risk) < len(data):
        analyses.warnings.append(
            f"{measure}: {len(data) - len(at_risk):,} matched people had no time at risk (index on the "
            "extract date, or in custody throughout) and add nothing to the rate"
        )
    subset = dataclasses.replace(source, data=at_risk)
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        result = effects.rate_ratio(subset, count, years, family="negative_binomial")
    _effect_rows(
        analyses,
        measure,
        result,
        analysis="main",
        group=group,
        scale={},
        design_data=at_risk,
        treatment=source.treatment,
        outcome=count,
        value_column="rate",
    )


def _subgroups(analyses: Analyses, fixed, config: EvaluationConfig) -> None:
    data = fixed.data
    if getattr(fixed, "replace", True) or "subclass" not in data.columns:
        if config.analyses.subgroups:
            analyses.warnings.append("subgroups are estimated only with matching without replacement")
        return
    treated = data[data[fixed.treatment] == 1]
    for variable in config.analyses.subgroups:
        if variable not in treated.columns:
            analyses.warnings.append(f"subgroup {variable!r}: no such column in the analysis rows")
            continue
        for level, members in treated.groupby(variable, observed=True, dropna=True)[["subclass"]]:
            subset = data[data["subclass"].isin(members["subclass"])]
            label = f"{variable}: {_level_words(variable, level)}"
            part = _Subset(subset, fixed.treatment)
            try:
                _fixed_window_measures(analyses, part, config.programme, analysis="subgroup", group=label)
            except DEGENERATE as exc:
                analyses.warnings.append(f"subgroup {label}: not estimated ({exc})")


def _level_words(variable: str, level) -> str:
    if variable == "completed":
        return "completed" if bool(level) else "did not complete"
    return str(level)


@dataclass(frozen=True)
class _Subset:
    """A part of a matched sample (whole matched sets), offered to the effect estimators like a match result."""

    data: pd.DataFrame
    treatment: str
    replace: bool = False
    estimand: str = "ATT"
    ratio: int = 1
    method: str = "nearest"


def _recurrent_measures(analyses: Analyses, source, da_rows: pd.DataFrame) -> None:
    """Mean cumulative number of DA incidents per person over follow-up, matched groups (R survfit with id)."""
    matched = _matched_rows(source)
    rows = da_rows[da_rows["person_id"].isin(matched["person_id"])]
    if rows.empty or rows["event"].sum() == 0:
        return
    analyses.fits["mcf"] = survival.mean_cumulative_function(
        rows, "start", "stop", "event", "person_id", group="treated"
    )
    # Andersen-Gill: every incident day counts; robust errors by matched set (pairs are not independent either)
    sets = matched.set_index("person_id")["subclass"] if "subclass" in matched.columns else None
    if sets is not None and sets.notna().all():
        rows = rows.assign(_cluster=rows["person_id"].map(sets).astype("int64"))
        words = "cluster-robust by matched set"
    else:
        rows = rows.assign(_cluster=rows["person_id"])
        words = "robust by person"
    fit = survival.andersen_gill(rows, "treated", "start", "stop", "event", cluster="_cluster")
    analyses.fits["andersen_gill"] = fit
    row = fit.summary.loc["treated"]
    n_t = int(matched["treated"].eq(1).sum())
    n_c = int(matched["treated"].eq(0).sum())
    events = rows.groupby("treated")["event"].sum()
    analyses.rows.append(
        {
            "measure": "da_incident_rate",
            "statistic": "andersen_gill_hr",
            "analysis": "main",
            "group": "all",
            "estimate": row["hr"],
            "ci_lower": row["ci_lower"],
            "ci_upper": row["ci_upper"],
            "p": row["p"],
            "n": n_t + n_c,
            "n_treated": n_t,
            "n_comparison": n_c,
            "treated_value": np.nan,
            "comparison_value": np.nan,
            "events_treated": int(events.get(1, 0)),
            "events_comparison": int(events.get(0, 0)),
            "method": f"Andersen-Gill model of incident days (Efron ties), custody removed, {words}",
        }
    )


def run_analyses(
    people: pd.DataFrame, config: EvaluationConfig, da_rows: pd.DataFrame | None = None, targets: tuple = ()
) -> Analyses:
    """Every estimate the config asks for, in one :class:`Analyses`.

    Data too few or too degenerate for a step (nobody left in a group, no overlap, nothing within the caliper,
    perfect separation) leave that step's measures without an estimate and with a reason in ``reasons``.

    Besides the JDL headline measures: what each programme exists to change (#15) where the data
    allow it (proven domestic-abuse and violent reoffending, anti-social behaviour, police contact and,
    for Turnaround, first-time entry to the youth justice system), and any offence-filtered
    reoffending measure the ``targets`` ask for, matched exactly as the main measures.
    """
    analyses = Analyses()
    people = _with_helpers(people)
    fixed_people = people[people["full_follow_up"].fillna(False).astype(bool)]
    if config.analyses.reoffending:
        fixed = _design(analyses, fixed_people, config, FIXED_WINDOW_MEASURES, "people with full follow-up")
        if fixed is not None:
            analyses.designs["fixed_window"] = Design("fixed_window", fixed, "people with full follow-up")
            analyses.attempt(
                FIXED_WINDOW_MEASURES,
                "the fixed-window comparison",
                _fixed_window_measures,
                analyses,
                fixed,
                config.programme,
                analysis="main",
                group="all",
            )
            analyses.attempt((), "subgroups", _subgroups, analyses, fixed, config)
    asb = "n_asb_incidents_observed" in people.columns and bool(people["n_asb_incidents_observed"].notna().all())
    wanted = (
        config.analyses.survival,
        config.analyses.repeat_victimisation and config.programme in DA_PROGRAMMES,
        asb,  # the ASB incident rate, as the DA one, compares everyone
    )
    everyone = _design(analyses, people, config, EVERYONE_MEASURES, "everyone") if any(wanted) else None
    if everyone is not None:
        analyses.designs["everyone"] = Design("everyone", everyone, "everyone")
        if config.analyses.survival:
            analyses.attempt(
                ("time_to_reoffence",), "time to reoffence", _time_measures, analyses, everyone, config, group="all"
            )
        if wanted[1]:
            analyses.attempt(
                ("da_incident_rate",),
                "the domestic-abuse incident rate",
                _rate_measures,
                analyses,
                everyone,
                group="all",
            )
            if da_rows is not None:
                analyses.attempt((), "recurrent DA incidents", _recurrent_measures, analyses, everyone, da_rows)
    if config.analyses.sensitivity and config.analyses.reoffending and "fixed_window" in analyses.designs:
        analyses.attempt((), "the sensitivity analysis", _sensitivity, analyses, fixed_people, config)
    _programme_measures(analyses, fixed_people, everyone, config, targets)
    return analyses


#: Outcome columns of #15 that are true/false (estimated as proportions, so made float).
_BINARY_OUTCOMES = ("any_asb", "police_contact", "entered_youth_justice")


def wanted_offence_sets(targets: tuple) -> list:
    """The offence sets (beyond 'all') to estimate reoffending for: the named two, then any target's lists."""
    sets: list = ["domestic_abuse", "violent"]
    for t in targets:
        offences = getattr(t, "offences", "all")
        if offences != "all" and offences not in sets:
            sets.append(offences)
    return sets


def with_offence_lists(people: pd.DataFrame, data, rules, targets: tuple) -> pd.DataFrame:
    """Add the reoffending outcomes of each list of offence types a target names (``reoffended[burglary+theft]``)."""
    from ..outcomes import reoffending_by_offence  # noqa: PLC0415

    out = people
    for offences in wanted_offence_sets(targets):
        if isinstance(offences, str):
            continue
        extra = reoffending_by_offence(data, rules, offences)
        if not extra["person_id"].equals(people["person_id"]):  # same cohort, same order: a cheap guard
            raise ValueError("offence-filtered outcomes do not line up with the analysis rows")
        out = out.assign(**{outcome_column(c, offences): extra[c].array for c in extra.columns if c != "person_id"})
    out.attrs = people.attrs
    return out


def _programme_measures(analyses: Analyses, fixed_people: pd.DataFrame, everyone, config: EvaluationConfig, targets):
    """What each programme exists to change (#15), where the data allow it; 'not measured' said otherwise."""
    fixed = analyses.designs.get("fixed_window")
    fixed_source = fixed.result if fixed is not None else None
    asked = {(t.measure, offences_label(t.offences)): t for t in targets}
    if config.analyses.reoffending and fixed_source is not None:
        for offences in wanted_offence_sets(targets):
            label = offences_label(offences)
            outcome = outcome_column("reoffended", offences)
            if outcome not in fixed_people.columns or fixed_people[outcome].isna().all():
                why = (
                    "not measured: the offences table does not say "
                    f"{'which offences were domestic abuse' if label == 'domestic_abuse' else 'offence types'}"
                )
                for base in ("reoffending_rate", "reoffending_frequency", "time_to_reoffence"):
                    analyses.reasons.setdefault(measure_key(base, offences), why)
                analyses.warnings.append(f"{measure_key('reoffending_rate', offences)}: {why}")
                continue
            _try(
                analyses,
                measure_key("reoffending_rate", offences),
                _binary_measure,
                analyses,
                fixed_source,
                measure_key("reoffending_rate", offences),
                outcome,
            )
            _try(
                analyses,
                measure_key("reoffending_frequency", offences),
                _frequency_measure,
                analyses,
                fixed_source,
                measure_key("reoffending_frequency", offences),
                outcome_column("n_reoffences", offences),
            )
            target = asked.get(("time_to_reoffence", label))
            if target is not None and config.analyses.survival and label != "all" and everyone is not None:
                _try(
                    analyses,
                    target.key,
                    _time_measures,
                    analyses,
                    everyone,
                    config,
                    group="all",
                    measure=target.key,
                    time=outcome_column("time", offences),
                    event=outcome_column("event", offences),
                    rmst=target.threshold_type == "days",
                )
    if fixed_source is not None:
        for measure, outcome, what in (
            ("asb_rate", "any_asb", "anti-social behaviour (no asb table)"),
            ("police_contact_rate", "police_contact", "police contact (no offences table)"),
        ):
            if outcome not in fixed_people.columns or fixed_people[outcome].isna().all():
                analyses.warnings.append(f"{measure}: not measured: the data hold no record of {what}")
                continue
            _try(analyses, measure, _binary_measure, analyses, fixed_source, measure, outcome)
    asb = "n_asb_incidents_observed" in fixed_people.columns and fixed_people["n_asb_incidents_observed"].notna().all()
    if asb and everyone is not None:
        _try(
            analyses,
            "asb_incident_rate",
            _rate_measures,
            analyses,
            everyone,
            group="all",
            measure="asb_incident_rate",
            count="n_asb_incidents_observed",
            years="asb_years_at_risk",
            what="anti-social behaviour incidents",
        )
    elif not asb:
        analyses.warnings.append("asb_incident_rate: not measured: the data hold no asb table")
    if config.programme == "Turnaround" and config.analyses.reoffending:
        _first_time_entry(analyses, fixed_people, config)


def _try(analyses: Analyses, measure: str, fn, /, *args, **kwargs) -> None:
    """Estimate one #15 measure; data too few or too degenerate for it become a reason, not a crash."""
    # through a closure: fn's own keywords (what=, measure=) must not meet attempt's parameters
    analyses.attempt((measure,), measure, lambda: fn(*args, **kwargs))


def _binary_measure(analyses: Analyses, source, measure: str, outcome: str) -> None:
    data = _matched_rows(source)
    if data[outcome].isna().any():
        analyses.cannot((measure,), f"{outcome} is missing for some matched people")
        return
    if data[outcome].astype(float).sum() == 0:
        analyses.cannot((measure,), f"nobody in the matched groups had the outcome ({outcome})")
        return
    result = effects.binary_effects(source, outcome, measures=("risk_difference", "risk_ratio"))
    _effect_rows(
        analyses,
        measure,
        result,
        analysis="main",
        group="all",
        scale={"risk_difference": 100.0},
        design_data=data,
        treatment=source.treatment,
        outcome=outcome,
    )


def _frequency_measure(analyses: Analyses, source, measure: str, outcome: str) -> None:
    data = _matched_rows(source)
    if data[outcome].isna().any() or data[outcome].astype(float).sum() == 0:
        return
    common = dict(analysis="main", group="all", scale={}, design_data=data, treatment=source.treatment, outcome=outcome)
    _effect_rows(analyses, measure, effects.mean_difference(source, outcome), value_column="mean", **common)
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        ratio = effects.rate_ratio(source, outcome, "_one_year", family="negative_binomial")
    _effect_rows(analyses, measure, ratio, value_column="rate", **common)


def _without_constant_terms(comparison: ComparisonConfig, data: pd.DataFrame) -> tuple[ComparisonConfig, list[str]]:
    """The comparison config with the formula's plain-column terms that take one value in ``data`` left out."""
    left, _, right = comparison.formula.partition("~")
    terms = [t.strip() for t in right.split("+") if t.strip()]

    def constant(term: str) -> bool:
        # a term ('prior_proven_offences', 'np.log1p(prior_proven_offences)') all of whose columns take one value
        names = [w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", term) if w in data.columns]
        return bool(names) and all(data[w].nunique(dropna=False) <= 1 for w in names)

    dropped = [t for t in terms if constant(t)]
    kept = [t for t in terms if t not in dropped]
    if not dropped or not kept:
        return comparison, []
    return dataclasses.replace(comparison, formula=f"{left.strip()} ~ {' + '.join(kept)}"), dropped


def _first_time_entry(analyses: Analyses, fixed_people: pd.DataFrame, config: EvaluationConfig) -> None:
    """Children with no proven offence before the index date, matched as the main measures, entering the system."""
    if "entered_youth_justice" not in fixed_people.columns:
        return
    eligible = fixed_people[fixed_people["entered_youth_justice"].notna()]
    already = len(fixed_people) - len(eligible)
    if already:
        analyses.warnings.append(
            f"first_time_entry_rate: {already:,} children with full follow-up already had a proven offence "
            "before the index date (already in the youth justice system) and are left out of this measure"
        )
    # with no prior proven offence, the offending-history covariates are constant (all 0): left out of the model
    comparison, dropped = _without_constant_terms(config.comparison, eligible)
    if dropped:
        analyses.warnings.append(
            f"first_time_entry_rate: {', '.join(dropped)} take one value among children with no prior proven "
            "offence and are left out of the propensity model for this measure"
        )
    sample = "children with full follow-up and no proven offence before the index date"
    design = _design(
        analyses, eligible, dataclasses.replace(config, comparison=comparison), ("first_time_entry_rate",), sample
    )
    if design is None:
        return
    analyses.designs["first_time_entry"] = Design(
        "first_time_entry", design, "children with full follow-up and no proven offence before the index date"
    )
    _try(
        analyses,
        "first_time_entry_rate",
        _binary_measure,
        analyses,
        design,
        "first_time_entry_rate",
        "entered_youth_justice",
    )


#: fewer than this many people in a group and no comparison is attempted (the JDL reports none under 60)
MIN_TO_ATTEMPT = 2


def _design(analyses: Analyses, people: pd.DataFrame, config: EvaluationConfig, measures, sample: str):
    """The comparison design on ``people``, or None with the reason recorded for ``measures``."""
    n_treated = int((people["treated"] == 1).sum())
    n_control = int((people["treated"] == 0).sum())
    programme = config.programme
    if n_treated < MIN_TO_ATTEMPT:
        analyses.cannot(measures, f"{_few(n_treated)} {programme} participants among {sample}")
        return None
    if n_control < MIN_TO_ATTEMPT:
        analyses.cannot(measures, f"{_few(n_control)} comparison people among {sample}")
        return None
    exact = [c for c in config.comparison.exact if c in people.columns]
    if exact and config.comparison.design == "matching":
        keys = people[exact].astype(str).agg("|".join, axis=1)
        shared = set(keys[people["treated"] == 1]) & set(keys[people["treated"] == 0])
        if not shared:
            analyses.cannot(
                measures,
                f"no comparison person shares the exact-matching value(s) ({', '.join(exact)}) of any participant "
                f"among {sample}",
            )
            return None
    result = analyses.attempt(measures, f"the comparison group ({sample})", build_design, people, config.comparison)
    if result is None:
        return None
    data = result.data
    matched_treated = int(((data[result.treatment] == 1) & (data["weights"] > 0)).sum())
    matched_control = int(((data[result.treatment] == 0) & (data["weights"] > 0)).sum())
    if matched_treated == 0 or matched_control == 0:
        why = (
            f"no participant has a comparison person within the caliper ({config.comparison.caliper:g} SD of the "
            "propensity score)"
            if config.comparison.caliper and config.comparison.method == "nearest"
            else "no participant could be matched"
        )
        analyses.cannot(measures, f"{why} among {sample}")
        return None
    return result


def _few(n: int) -> str:
    return "no" if n == 0 else ("fewer than 5" if n < 5 else f"only {n}")


def _with_helpers(people: pd.DataFrame) -> pd.DataFrame:
    out = people.copy()
    out["years_at_risk"] = out["days_at_risk"].astype(float) / 365.25
    out["_one_year"] = 1.0
    if "n_repeat_victim" in out.columns:
        out["any_repeat_victim"] = (
            (out["n_repeat_victim"].astype(float) > 0).astype(float).where(out["n_repeat_victim"].notna())
        )
        out["any_serial_victim"] = (
            (out["n_serial_victim"].astype(float) > 0).astype(float).where(out["n_serial_victim"].notna())
        )
    for column in ("reoffended", "repeat_marac", *_BINARY_OUTCOMES):
        if column in out.columns:
            out[column] = out[column].astype("float64")
    for column in out.columns:  # offence-filtered reoffending: da_reoffended, reoffended[burglary+theft] ...
        if column.endswith("_reoffended") or column.startswith("reoffended["):
            out[column] = out[column].astype("float64")
    if "asb_days_at_risk" in out.columns:
        out["asb_years_at_risk"] = out["asb_days_at_risk"].astype(float) / 365.25
    return out


def _sensitivity(analyses: Analyses, fixed_people: pd.DataFrame, config: EvaluationConfig) -> None:
    other = "weighting" if config.comparison.design == "matching" else "matching"
    try:
        alternative = build_design(fixed_people, config.comparison, design=other)
        result = effects.risk_difference(alternative, "reoffended")
    except ValueError as exc:
        analyses.warnings.append(f"sensitivity ({other}) not estimated: {exc}")
        return
    analyses.designs[f"sensitivity_{other}"] = Design(f"sensitivity_{other}", alternative, "people with full follow-up")
    _effect_rows(
        analyses,
        "reoffending_rate",
        result,
        analysis="sensitivity",
        group=f"comparison by {other}",
        scale={"risk_difference": 100.0},
        design_data=alternative.data,
        treatment=alternative.treatment,
        outcome="reoffended",
    )


def wilson_interval(successes: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (used against a fixed benchmark)."""
    if n == 0:
        return float("nan"), float("nan")
    z = stats.norm.ppf(0.5 + level / 2)
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half
