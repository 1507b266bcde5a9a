"""The commissioner's report: one self-contained HTML page, readable on a phone and printable.

Everything on the page comes from the public, disclosure-controlled tables in
:mod:`.tables`; the figures are PNGs embedded in the page, the styles are in
it too, and it loads nothing from anywhere else.
"""

from __future__ import annotations

import base64
import html as _html
import io
import json
import re
from dataclasses import asdict
from pathlib import Path

import jinja2
import pandas as pd

from ..evaluate import disclosure as sdc
from ..evaluate.measurable import measurable_sentence
from ..evaluate.periods import cohort_words
from ..evaluate.targets import MEASURES
from . import plots
from . import tables as pt
from .evidence import MARYLAND, SOURCES, headline_table, maryland_level
from .periods import TREND, public_periods, trend_plot

VERDICT_MARKS = {
    "met": ("✓", "Met", "met"),
    "on course": ("→", "On course", "course"),
    "not met": ("✗", "Not met", "notmet"),
    "not yet measurable": ("?", "Not yet measurable", "unknown"),
    "not measured": ("–", "Not measured", "unknown"),
}
STATISTIC_WORDS = {
    "risk_difference": "difference (percentage points)",
    "risk_ratio": "risk ratio",
    "mean_difference": "difference per person",
    "rate_ratio": "rate ratio",
    "hazard_ratio": "hazard ratio",
    "rmst_difference": "difference in days free of reoffending",
    "e_value": "E-value of the estimate",
    "e_value_ci": "E-value of the interval",
    "andersen_gill_hr": "rate ratio of incident days (Andersen-Gill)",
}
VALUE_UNITS = {
    "risk_difference": "%",
    "risk_ratio": "%",
    "hazard_ratio": "% reoffended",
    "rmst_difference": " days",
}


def _figure(fig, alt: str, caption: str) -> dict:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=130)
    return {
        "src": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"),
        "alt": alt,
        "caption": caption,
    }


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def table_html(
    frame: pd.DataFrame, caption: str = "", *, numeric_from: int = 1, css: str = "", stack: bool | None = None
) -> str:
    """An accessible HTML table (caption, column headers with scope), every cell escaped.

    Wide tables (5 columns or more, unless ``stack=False``) turn into one card per
    row on a phone, each cell labelled with its column.
    """
    if stack is None:
        stack = len(frame.columns) >= 5
    css = (css + " stack").strip() if stack else css
    head = "".join(f'<th scope="col">{_html.escape(str(c))}</th>' for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for i, value in enumerate(row):
            cls = ' class="num"' if i >= numeric_from and _looks_numeric(value) else ""
            tag = 'th scope="row"' if i == 0 else "td"
            label = f' data-label="{_html.escape(str(frame.columns[i]))}"'
            cells.append(f"<{tag}{cls}{label}>{_html.escape(_cell(value))}</{tag.split()[0]}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{_html.escape(caption)}</caption>" if caption else ""
    return (
        f'<div class="table-wrap"><table class="{css}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


_NUMBER = re.compile(r"^[<-]?\d[\d,.]*")  # "33%", "-9 (-14 to -5)", "1.09 per person-year", "<5"


def _looks_numeric(value) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and len(value) < 32 and bool(_NUMBER.match(value))


def _interval(r) -> str:
    if r["estimate"] == sdc.SUPPRESSED:
        return "suppressed (fewer than 5 people)"
    if r["estimate"] is None or (isinstance(r["estimate"], float) and pd.isna(r["estimate"])):
        return "–"
    if r["ci_lower"] is None or (isinstance(r["ci_lower"], float) and pd.isna(r["ci_lower"])):
        return _cell(r["estimate"])
    return f"{_cell(r['estimate'])} ({_cell(r['ci_lower'])} to {_cell(r['ci_upper'])})"


def _value(r, column) -> str:
    value = r[column]
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    unit = VALUE_UNITS.get(r["statistic"], "") if value != sdc.SUPPRESSED else ""
    return f"{_cell(value)}{unit}"


def effects_frame(public: pd.DataFrame) -> pd.DataFrame:
    """Public result rows in words: measure, estimate (95% CI), group values, p, people."""
    rows = []
    for _, r in public.iterrows():
        spec = MEASURES.get(r["measure"])
        rows.append(
            {
                "Measure": (spec.label if spec else r["measure"]).capitalize(),
                "Statistic": STATISTIC_WORDS.get(r["statistic"], r["statistic"]),
                "Group": "whole cohort" if r["group"] == "all" else r["group"],
                "Estimate (95% CI)": _interval(r),
                "Programme": _value(r, "treated_value"),
                "Comparison": _value(r, "comparison_value"),
                "p": _cell(r["p"]),
                "People (programme / comparison)": f"{_cell(r['n_treated'])} / {_cell(r['n_comparison'])}",
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Measure",
            "Statistic",
            "Group",
            "Estimate (95% CI)",
            "Programme",
            "Comparison",
            "p",
            "People (programme / comparison)",
        ],
    )


def _select(public: pd.DataFrame, measures=None, statistics=None, analysis="main", group="all") -> pd.DataFrame:
    keep = pd.Series(True, index=public.index)
    if measures is not None:
        keep &= public["measure"].isin(measures)
    if statistics is not None:
        keep &= public["statistic"].isin(statistics)
    if analysis is not None:
        keep &= public["analysis"] == analysis
    if group is not None:
        keep &= public["group"] == group
    return public[keep]


def _main_design(ev):
    design = ev.designs.get("fixed_window") or ev.designs.get("everyone")
    return None if design is None else design.result


def _verdicts(ev) -> list[dict]:
    targets = pt.public_targets(ev.targets)
    out = []
    for _, t in targets.iterrows():
        mark, words, css = VERDICT_MARKS.get(t["verdict"], ("", str(t["verdict"]).capitalize(), "unknown"))
        if t["estimate"] == sdc.SUPPRESSED:
            estimate = "not shown (too few to measure)"
        elif t["estimate"] is None or pd.isna(t["estimate"]):
            estimate = "–"
        else:
            estimate = f"{t['estimate']:.1f} ({t['ci_lower']:.1f} to {t['ci_upper']:.1f})"
        unit = {"percentage_points": " points", "percent": "%", "days": " days", "per_person": " per person"}.get(
            t["threshold_type"], ""
        )
        out.append(
            {
                "id": t["id"],
                "description": t["description"],
                "mark": mark,
                "words": words,
                "css": css,
                "estimate": estimate + (unit if estimate[:1].isdigit() or estimate[:1] == "-" else ""),
                "reason": t["reason"],
                "measurable": measurable_sentence(t.get("measurable_by", "") or "", t["by"], _extract_day(ev)),
                "by": t["by"],
                "threshold": f"{t['direction']} of at least {t['threshold']:g}{unit}"
                if t["threshold"] > 0
                else f"any {t['direction']}",
            }
        )
    return out


def _extract_day(ev):
    rate = getattr(ev, "starter_rate", None)
    return None if rate is None else rate.window_to


def _starter_words(ev) -> str:
    rate = getattr(ev, "starter_rate", None)
    pending = "measurable_by" in ev.targets and (ev.targets["measurable_by"].fillna("") != "").any()
    if rate is None or not pending:
        return ""
    return (
        f"Measurable-by dates assume the programme keeps its recent rate of {rate.words()} (index dates), "
        f"that each person is counted once their {ev.config.outcomes.follow_up_days}-day follow-up and "
        f"{ev.config.outcomes.waiting_days}-day waiting period have passed, and that the comparison group keeps "
        "pace. They are when the Justice Data Lab's minimums are met and, where the target sets a difference, when "
        "there would be enough people to detect it (80% power)."
    )


def _periods(ev) -> dict | None:
    periods = getattr(ev, "periods", None)
    if periods is None or periods.empty:
        return None
    public = public_periods(periods)
    figures = []
    for measure in TREND:
        rows = public[(public["measure"] == measure) & (public["statistic"] == TREND[measure][0])]
        if rows.empty or not (rows["status"] == "measured").any():
            continue
        shown = "; ".join(
            f"{r['period']}: {r['estimate']} ({r['ci_lower']} to {r['ci_upper']})"
            if r["status"] == "measured"
            else f"{r['period']}: not measurable"
            for _, r in rows.iterrows()
        )
        figures.append(
            _figure(
                trend_plot(public, measure, ev.programme),
                f"Trend chart of {MEASURES[measure].label} by cohort period, estimates with 95% intervals: {shown}.",
                f"{MEASURES[measure].label.capitalize()}: the difference between programme and matched comparison "
                "group in each period's cohort, with its 95% confidence interval.",
            )
        )
    columns = ["period", "measure", "statistic", "estimate", "ci_lower", "ci_upper", "n_treated", "n_comparison"]
    table = public.assign(measure=public["measure"].fillna(public["status"]))[columns]
    kind = ev.config.analyses.periods
    return {
        "kind": "financial year" if kind == "year" else "financial quarter",
        "kind_one": "financial year" if kind == "year" else "quarter",
        "figures": figures,
        "table": table_html(table, "Headline measures by cohort period (95% confidence intervals)", numeric_from=3),
    }


def _history(ev) -> dict | None:
    history = getattr(ev, "history", None)
    if history is None or history.empty:
        return None
    from ..evaluate.history import changes

    table = changes(history, ev.programme)
    if table.empty:
        return None
    moved = table[table["change"].str.startswith("was")]
    summary = f"{len(table['extract_date'].unique())} extracts so far. " + (
        "Since the previous extract: " + "; ".join(f"{r.id} {r.change}" for r in moved.itertuples()) + "."
        if len(moved)
        else "No target's verdict changed since the previous extract."
    )
    return {"summary": summary, "table": table_html(table, "Each target's estimate and verdict at each extract")}


def _flow(ev) -> list[dict]:
    flow = pt.public_flow(ev.cohort_flow, ev.results)
    words = {
        "referred": "Referred (in the data)",
        "passed validation": "Passed the data checks",
        "started": "Started",
        "completed": "Completed",
        "in analysis": "In the analysis",
        "full follow-up": "Followed up for a full year",
        "matched": "Matched",
    }
    return [
        {
            "stage": words.get(stage, stage),
            "programme": _cell(row["programme"]),
            "comparison_stage": "Eligible (in the data)" if stage == "referred" else words.get(stage, stage),
            "comparison": _cell(row["comparison"]) if row["comparison"] is not None else "not applicable",
        }
        for stage, row in flow.iterrows()
    ]


def _quality(ev) -> tuple[str, int]:
    quality = pt.public_quality(ev.quality)
    column = next((c for c in quality.columns if c.startswith("rows")), None)
    if column is None:
        return "", 0
    failing = quality[quality[column].map(lambda v: v == sdc.SMALL or (isinstance(v, (int, float)) and v > 0))]
    frame = failing.rename(columns={"table": "Table", "rule": "Check", "severity": "Severity", column: "Rows"})
    frame = frame[[c for c in ("Table", "Check", "Severity", "Rows") if c in frame.columns]]
    return (table_html(frame, "Rows that failed a data check, by reason", numeric_from=3) if len(frame) else ""), len(
        quality
    )


def _balance(ev) -> tuple[str, dict | None, str]:
    balance = pt.public_balance(ev.balance)
    if balance.empty:
        return "", None, ""
    adjusted = "matching" if ev.config.comparison.design == "matching" else "weighting"

    def fixed(column: str) -> list[str]:
        if column not in balance:
            return ["–"] * len(balance)
        shown = ["–" if pd.isna(v) else f"{v:.2f}" for v in balance[column]]
        return ["0.00" if v == "-0.00" else v for v in shown]  # "-0.00" would read as a difference

    frame = pd.DataFrame(
        {
            "Characteristic": ["Propensity score" if t == "distance" else plots._term_words(t) for t in balance.index],
            f"Programme (after {adjusted})": fixed("mean_treated_after"),
            f"Comparison (after {adjusted})": fixed("mean_control_after"),
            "SMD before": fixed("smd_before"),
            "SMD after": fixed("smd_after"),
        }
    )
    after = balance["smd_after"].drop("distance", errors="ignore").abs() if "smd_after" in balance else pd.Series()
    summary = (
        (
            f"After {adjusted}, {int((after <= 0.1).sum())} of {len(after)} characteristics differ by a "
            "standardised mean difference of 0.1 or less (a common rule for good balance)"
        )
        if len(after)
        else ""
    )
    figure = _figure(
        plots.love_plot(balance, after=adjusted),
        f"Love plot: standardised mean difference of each characteristic before {adjusted} (hollow circles) "
        f"and after {adjusted} (filled diamonds). " + summary + ".",
        f"Balance of each characteristic before and after {adjusted}. Values inside the shaded band "
        "(±0.1) show good balance.",
    )
    return (
        table_html(
            frame, "Balance: means (proportions for categories) and standardised mean differences (SMD)", stack=False
        ),
        figure,
        summary,
    )


def _overlap(ev, programme: str) -> dict | None:
    design = _main_design(ev)
    if design is None:
        return None
    data = getattr(design, "all_data", design.data)
    if "distance" not in data.columns or data["distance"].isna().all():
        return None
    treatment = design.treatment
    matched = ev.config.comparison.design == "matching"
    panels = {
        "Everyone before matching" if matched else "Everyone (before weighting)": pt.public_overlap(
            data["distance"], data[treatment]
        )
    }
    if matched and "weights" in data.columns:
        panels["Matched people"] = pt.public_overlap(data["distance"], data[treatment], data["weights"])
    return _figure(
        plots.overlap_plot(panels, programme),
        "Mirrored histograms of the propensity score: programme participants above the line, comparison "
        "people below, before and after matching. Where both groups have bars at the same scores the "
        "groups overlap and can be compared.",
        "Propensity overlap. Bins holding 1 to 4 people of either group are merged with the next bin, "
        "so no bar rests on fewer than 5 people.",
    )


def _km(ev, programme: str) -> tuple[dict | None, str]:
    km = ev.fits.get("kaplan_meier")
    if km is None:
        return None, ""
    curve = pt.public_survival_curve(km.table)
    at_risk = pt.public_numbers_at_risk(km.table)
    at_risk.index = [f"{programme} participants" if i == "programme" else "Comparison group" for i in at_risk.index]
    figure = _figure(
        plots.survival_plot(curve, programme),
        f"Kaplan-Meier curves of the share of people not yet proven to have reoffended over the first year, "
        f"{programme} participants (solid line) and the matched comparison group (dashed line), with shaded 95% "
        "confidence bands.",
        "Share not yet reoffending, with 95% confidence bands. To protect individuals the curves are drawn through "
        "points at least 5 reoffences apart; each ends at its last such point, or where fewer than 5 people remain "
        "at risk.",
    )
    table = table_html(
        at_risk.reset_index().rename(columns={"index": "Group"}),
        "Numbers at risk (people still followed up and not yet reoffended); '<5' and 'suppressed' "
        "protect small numbers",
    )
    return figure, table


def _mcf(ev, programme: str) -> dict | None:
    mcf = ev.fits.get("mcf")
    if mcf is None:
        return None
    curve = pt.public_mean_cumulative(mcf.table)
    return _figure(
        plots.survival_plot(curve, programme, value="mcf"),
        f"Mean cumulative number of domestic-abuse incidents per person over the first year, {programme} participants "
        "(solid line) and the matched comparison group (dashed line), with shaded 95% confidence bands.",
        "Domestic-abuse incidents per person, counted cumulatively (every incident, not just the first). Drawn "
        "through points at least 5 incidents apart; each curve ends at its last such point, or where fewer than 5 "
        "people remain followed up.",
    )


def _forest(public_forest: pd.DataFrame) -> dict | None:
    shown = public_forest[~public_forest["suppressed"] & public_forest["estimate"].notna()]
    if shown.empty:
        return None
    hidden = int(public_forest["suppressed"].sum())
    note = f" {hidden} estimate(s) resting on fewer than 5 people are left out." if hidden else ""
    return _figure(
        plots.forest_plot(public_forest),
        "Forest plot: each effect of the programme with its 95% confidence interval; differences in "
        "percentage points in one panel, ratios in the other; the dotted line marks no difference. Rows: "
        + "; ".join(
            f"{plots.forest_label(r)} {r['estimate']:g} ({r['ci_lower']:g} to {r['ci_upper']:g})"
            for _, r in shown.iterrows()
        )
        + ".",
        "All effects and subgroups. A line that crosses the dotted line means no clear difference." + note,
    )


def _period(ev) -> str:
    design = ev.designs.get("everyone")
    if design is None:
        return ""
    data = getattr(design.result, "all_data", design.result.data)
    period = pt.study_period(data.loc[data[design.result.treatment] == 1, "index_date"])
    extract = ev.config.data.extract_date
    text = f"People who started between {period[0]} and {period[1]}" if period else ""
    if extract:
        text += f"; records up to {extract:%d %B %Y}"
    return text


def _provenance(ev) -> dict:
    p = ev.provenance or {}
    inputs = pd.DataFrame(
        [
            {"Table": name, "File": v.get("file"), "Format": v.get("format"), "SHA-256": v.get("sha256")}
            for name, v in (p.get("inputs") or {}).items()
        ]
    )
    for key, label in (("config", "evaluation config"), ("targets", "targets")):
        if p.get(key):
            inputs = pd.concat(
                [
                    inputs,
                    pd.DataFrame(
                        [{"Table": label, "File": p[key]["file"], "Format": "toml", "SHA-256": p[key]["sha256"]}]
                    ),
                ],
                ignore_index=True,
            )
    versions = {"Python": p.get("python"), **(p.get("library") or {}), **(p.get("dependencies") or {})}
    config = asdict(ev.config)
    config.pop("base_dir", None)
    return {
        "inputs": table_html(inputs, "Input files and their SHA-256 hashes", numeric_from=99, css="hashes", stack=False)
        if len(inputs)
        else "",
        "versions": table_html(
            pd.DataFrame({"Software": list(versions), "Version": list(versions.values())}),
            "Software versions",
            numeric_from=99,
        ),
        "seed": p.get("seed"),
        "run_at": p.get("run_at"),
        "config": json.dumps(config, indent=2, default=str),
    }


def _definitions() -> tuple[str, str]:
    from ..outcomes import column_dictionary

    measures = pd.DataFrame(
        [
            {
                "Measure": name,
                "What it is": spec.label
                + (
                    " (a target may count only some offences: offences = domestic_abuse, violent or a list of "
                    "offence types; results.csv names them measure[offences])"
                    if spec.by_offence
                    else ""
                ),
                "Kind": spec.kind,
                "Targets may use": ", ".join(spec.threshold_types),
                "Programmes": "DRIVE, Up2U" if spec.da_only else "Turnaround" if spec.turnaround_only else "all",
            }
            for name, spec in MEASURES.items()
        ]
    )
    columns = column_dictionary().rename(columns={"name": "Column", "meaning": "Meaning", "unit": "Unit"})
    return (
        table_html(measures, "The measures targets are set on", numeric_from=99),
        table_html(columns, "Every derived column (one row per person in the analysis)", numeric_from=99),
    )


def _sensitivity(public: pd.DataFrame) -> dict:
    e_values = public[public["statistic"].isin(("e_value", "e_value_ci"))]
    e_frame = pd.DataFrame(
        [
            {
                "Measure": MEASURES[r["measure"]].label.capitalize() if r["measure"] in MEASURES else r["measure"],
                "What": STATISTIC_WORDS[r["statistic"]],
                "E-value": _cell(r["estimate"]),
            }
            for _, r in e_values.iterrows()
        ]
    )
    designs = public[
        (public["measure"] == "reoffending_rate")
        & (public["statistic"] == "risk_difference")
        & (((public["analysis"] == "main") & (public["group"] == "all")) | (public["analysis"] == "sensitivity"))
    ]
    designs = effects_frame(designs).drop(columns=["Measure", "Statistic"]).rename(columns={"Group": "Comparison"})
    designs["Comparison"] = designs["Comparison"].replace({"whole cohort": "main analysis (as configured)"})
    completers = public[
        (public["measure"] == "reoffending_rate")
        & (public["statistic"] == "risk_difference")
        & (public["group"].str.startswith("completed") | (public["group"] == "all"))
        & (public["analysis"].isin(("main", "subgroup")))
    ]
    return {
        "e_values": table_html(
            e_frame,
            "E-values: how strongly an unrecorded factor would need to be linked to both "
            "taking part and reoffending to explain the result away",
            numeric_from=2,
        )
        if len(e_frame)
        else "",
        "designs": table_html(designs, "One-year reoffending difference (percentage points) by comparison method")
        if len(designs)
        else "",
        "completers": table_html(
            effects_frame(completers).drop(columns=["Measure", "Statistic"]),
            "One-year reoffending difference (percentage points): everyone, completers and non-completers",
        )
        if len(completers) > 1
        else "",
    }


def _value_for_money(ev) -> dict | None:
    vfm = getattr(ev, "value_for_money", None)
    if vfm is None:
        return None
    table = (
        table_html(vfm.public_table, "What the programme cost against the harm it avoided")
        if len(vfm.public_table)
        else ""
    )
    return {"sentences": list(vfm.sentences), "table": table, "sources": list(vfm.source_lines)}


def _set_aside_rows(ev) -> list[dict]:
    """Rows set aside per table, disclosure-controlled (aggregates; 1 to 4 shown as "<5")."""
    frame = ev.set_aside
    if not len(frame):
        return []
    return [
        {
            "table": r.table,
            "rows_in": pt.sdc.count(r.rows_in),
            "set_aside": pt.sdc.count(r.set_aside),
            "share": f"{r.share_set_aside:.0%}" if r.set_aside >= 5 or r.set_aside == 0 else pt.sdc.SUPPRESSED,
            "reasons": r.main_reasons if r.set_aside else "",
        }
        for r in frame.itertuples()
    ]


def report_context(ev) -> dict:
    """Everything the template shows, built from public tables only."""
    programme = ev.programme
    public = pt.public_results(ev.results)
    quality_table, n_rules = _quality(ev)
    balance_table, love, balance_summary = _balance(ev)
    km_figure, at_risk = _km(ev, programme)
    survival_rows = _select(public, ["time_to_reoffence"], ["hazard_ratio", "rmst_difference"])
    repeat_rows = _select(
        public, ["da_incident_rate", "repeat_marac_rate", "repeat_victimisation", "serial_victimisation"]
    )
    all_effects = public[~public["statistic"].isin(("e_value", "e_value_ci"))]
    headline = headline_table(ev.results, programme)
    level, level_words = maryland_level(ev)
    index_words = (
        "the day they started the programme (everyone who started: intention to treat)"
        if ev.config.outcomes.index == "start"
        else "the day they completed the programme (completers only: per protocol)"
    )
    return {
        "programme": programme,
        "period": _period(ev),
        "index_words": index_words,
        "design_words": _design_words(ev),
        "verdicts": _verdicts(ev),
        "starter_words": _starter_words(ev),
        "cohort_words": cohort_words(ev.config.cohort),
        "periods": _periods(ev),
        "history": _history(ev),
        "headlines": list(ev.headlines[:5]),
        "flow": _flow(ev),
        "quality_table": quality_table,
        "n_rules": n_rules,
        "balance_table": balance_table,
        "balance_summary": balance_summary,
        "love": love,
        "overlap": _overlap(ev, programme),
        "warnings": list(ev.warnings),
        "data_warnings": list(ev.data_warnings),
        "set_aside": _set_aside_rows(ev),
        "headline_table": table_html(headline, "Justice Data Lab headline measures (95% confidence intervals)")
        if len(headline)
        else "",
        "km": km_figure,
        "at_risk": at_risk,
        "survival_table": table_html(effects_frame(survival_rows), "Time to a first proven reoffence")
        if len(survival_rows)
        else "",
        "mcf": _mcf(ev, programme),
        "value_for_money": _value_for_money(ev),
        "repeat_table": table_html(effects_frame(repeat_rows), "Repeat victimisation and repeat MARAC")
        if len(repeat_rows)
        else "",
        "forest": _forest(pt.public_forest(ev.results)),
        "effects_table": table_html(effects_frame(all_effects), "Every estimate (differences in percentage points)"),
        "sensitivity": _sensitivity(public),
        "maryland": MARYLAND,
        "maryland_level": level,
        "maryland_words": level_words,
        "can_say": list(ev.can_say),
        "cannot_say": list(ev.cannot_say),
        "sources": list(SOURCES),
        "definitions": _definitions(),
        "provenance": _provenance(ev),
        "follow_up_days": ev.config.outcomes.follow_up_days,
        "waiting_days": ev.config.outcomes.waiting_days,
        "charges_count_as_proven": getattr(ev.config.outcomes, "charges_count_as_proven", False),
    }


def _design_words(ev) -> str:
    c = ev.config.comparison
    if c.design == "weighting":
        return f"weighting the comparison group by the propensity score ({c.estimand})"
    caliper = f", within {c.caliper} standard deviations of the score" if c.caliper else ""
    exact = f", exactly on {', '.join(c.exact)}" if c.exact else ""
    return f"{c.ratio}:1 nearest-neighbour matching on the propensity score{caliper}{exact}"


def report_html(ev) -> str:
    """The commissioner's report as one self-contained HTML string (template ``templates/report.html.j2``).

    ``ev``: an ``Evaluation`` (``rev.evaluate(...)``).

    >>> page = report_html(ev)                   # doctest: +SKIP
    """
    return render_template("report.html.j2", report_context(ev))


def render_template(name: str, context: dict) -> str:
    """One of the package's Jinja templates rendered (autoescaped; a missing name is an error, not a blank)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reoffend_eval.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(name).render(**context)


def write_report(ev, path) -> Path:
    """Write ``report_html(ev)`` to ``path`` (UTF-8) and return the path.

    ``ev``: an ``Evaluation`` (``rev.evaluate(...)``). ``path``: the HTML file to write.

    >>> write_report(ev, "results/report.html")  # doctest: +SKIP
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_html(ev), encoding="utf-8")
    return path


def write_report_files(ev, folder) -> dict[str, Path]:
    """``report.html``, ``evidence.md`` and ``evidence.docx`` in ``folder``: what the CLI writes with the tables.

    ``ev``: an ``Evaluation`` (``rev.evaluate(...)``). ``folder``: where to write. Returns the paths written, by name.

    >>> write_report_files(ev, "results/")      # doctest: +SKIP
    """
    from .docx import write_docx

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = {"report": write_report(ev, folder / "report.html")}
    evidence = folder / "evidence.md"
    evidence.write_text(ev.to_markdown(), encoding="utf-8")
    written["evidence"] = evidence
    written["evidence_docx"] = write_docx(ev, folder / "evidence.docx")
    return written
