"""The evidence section for a funding bid: method, headline table, careful wording, caveats, strength."""
from __future__ import annotations

import pandas as pd

from .tables import public_results, public_targets

MARYLAND = (
    "Level 3 on the Maryland Scientific Methods Scale: outcomes of programme participants are compared with a "
    "matched comparison group of similar people who did not take part. A matched comparison cannot reach levels "
    "4 or 5, which need random assignment or a natural experiment."
)
SOURCES = (
    "Ministry of Justice, Justice Data Lab methodology: proven reoffending within a one-year follow-up period, "
    "proven by conviction or caution within a further six-month waiting period.",
    "SafeLives: a repeat MARAC case is a referral within 12 months of the previous one.",
    "Propensity-score matching as R's MatchIt; Cox models as R's survival; restricted mean survival time as survRM2.",
)

_MEASURE_WORDS = {
    ("reoffending_rate", "risk_difference"): "One-year proven reoffending rate (difference, percentage points)",
    ("reoffending_frequency", "mean_difference"): "Proven reoffences per person in a year (difference)",
    ("time_to_reoffence", "hazard_ratio"): "Hazard of a first proven reoffence (ratio)",
    ("time_to_reoffence", "rmst_difference"): "Days free of proven reoffending in the first year (difference)",
    ("da_incident_rate", "rate_ratio"): "Domestic-abuse incidents per person-year (ratio)",
    ("repeat_marac_rate", "risk_difference"): "Repeat MARAC referral rate (difference, percentage points)",
}


def _cell(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def headline_table(results: pd.DataFrame) -> pd.DataFrame:
    """Headline measures for the whole cohort, disclosure-controlled, in words."""
    public = public_results(results)
    main = public[(public["analysis"] == "main") & (public["group"] == "all")]
    rows = []
    for (measure, statistic), words in _MEASURE_WORDS.items():
        hit = main[(main["measure"] == measure) & (main["statistic"] == statistic)]
        if hit.empty:
            continue
        r = hit.iloc[0]
        rows.append({
            "Measure": words,
            "Programme": _cell(r["treated_value"]),
            "Comparison": _cell(r["comparison_value"]),
            "Estimate": _cell(r["estimate"]),
            "95% confidence interval": f"{_cell(r['ci_lower'])} to {_cell(r['ci_upper'])}",
            "People (programme / comparison)": f"{_cell(r['n_treated'])} / {_cell(r['n_comparison'])}",
        })
    return pd.DataFrame(rows)


def method_paragraph(ev) -> str:
    c = ev.config
    design = (
        f"{c.comparison.ratio}:1 nearest-neighbour propensity-score matching"
        + (f" within a caliper of {c.comparison.caliper} standard deviations of the score" if c.comparison.caliper else "")
        if c.comparison.design == "matching" else f"inverse-probability weighting ({c.comparison.estimand})"
    )
    return (
        f"We compared people who took part in {ev.programme} with similar people who did not, using {design} on "
        "age, sex, risk level and offending and domestic-abuse history recorded before the programme. Proven "
        f"reoffending follows the Ministry of Justice Justice Data Lab: an offence committed within "
        f"{c.outcomes.follow_up_days} days of the start and proven by conviction or caution within a further "
        f"{c.outcomes.waiting_days} days. Time to a first proven reoffence was analysed with survival methods that "
        "count everyone, including people not yet followed up for a full year. Confidence intervals allow for the "
        "matching (clustered by matched set)."
    )


def evidence_markdown(ev) -> str:
    """One to two pages of Markdown a bid writer can paste in."""
    table = headline_table(ev.results)
    targets = public_targets(ev.targets)
    lines = [f"## Evidence of impact: {ev.programme}", "", "### Method", "", method_paragraph(ev), ""]
    lines += ["### Headline results", ""]
    lines += [_markdown_table(table) if len(table) else "No headline measure could be estimated.", ""]
    lines += ["### Strategy targets", "", _markdown_table(targets[["id", "description", "verdict", "reason"]]), ""]
    lines += ["### What you can say", ""] + [f"- {s}" for s in ev.headlines + ev.can_say] + [""]
    lines += ["### What you cannot say", ""] + [f"- {s}" for s in ev.cannot_say] + [""]
    lines += ["### Strength of evidence", "", MARYLAND, ""]
    caveats = list(ev.warnings[:8])
    if caveats:
        lines += ["### Caveats", ""] + [f"- {w}" for w in caveats] + [""]
    lines += ["### Sources of the definitions", ""] + [f"- {s}" for s in SOURCES] + [""]
    lines += ["Counts from 1 to 4 are shown as \"<5\"; rates are rounded to whole per cent."]
    return "\n".join(lines) + "\n"


def _markdown_table(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    body = ["| " + " | ".join(_cell(v).replace("|", "/") for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])
