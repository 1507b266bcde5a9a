"""The evidence section for a funding bid: method, headline table, careful wording, caveats, strength."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .tables import public_results, public_targets

MARYLAND = (
    "The Maryland Scientific Methods Scale rates how strongly a study can show cause and effect, from 1 (weakest) to "
    "5 (a randomised trial). Comparing participants' outcomes with those of a matched group of similar people who did "
    "not take part reaches level 3 at most: levels 4 and 5 need random assignment or a natural experiment."
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
    ("reoffending_rate[domestic_abuse]", "risk_difference"): (
        "One-year proven domestic-abuse reoffending rate (difference, percentage points)"
    ),
    ("reoffending_rate[violent]", "risk_difference"): (
        "One-year proven violent reoffending rate (difference, percentage points)"
    ),
    ("first_time_entry_rate", "risk_difference"): (
        "Children entering the youth justice system in a year (difference, percentage points)"
    ),
    ("police_contact_rate", "risk_difference"): "Any police contact in a year (difference, percentage points)",
    ("asb_rate", "risk_difference"): "Any anti-social behaviour incident in a year (difference, percentage points)",
    ("asb_incident_rate", "rate_ratio"): "Anti-social behaviour incidents per person-year (ratio)",
}


def maryland_level(ev) -> tuple[int, str]:
    """The level on the Maryland Scientific Methods Scale this evaluation can claim, and why, in words.

    A matched (or weighted) comparison of participants and non-participants is
    level 3 at most; remaining imbalance or no comparison group lowers it.

    ``ev``: an ``Evaluation`` (``rev.evaluate(...)``).

    >>> level, why = maryland_level(ev)          # doctest: +SKIP
    """
    balance = ev.balance
    if balance is None or balance.empty:
        return 2, (
            "No matched comparison group could be formed, so the results compare groups that may differ "
            "before the programme (level 2 at most)."
        )
    after = balance["smd_after"].drop("distance", errors="ignore").abs() if "smd_after" in balance else pd.Series()
    poor = [str(t) for t, v in after.items() if v > 0.1]
    if len(after) and len(poor) > len(after) / 4:
        return 2, (
            f"After adjustment the groups were still unlike each other on {len(poor)} of {len(after)} characteristics, so the "
            "comparison is weaker than a well-matched one (level 2)."
        )
    adjusted = "matching" if ev.config.comparison.design == "matching" else "weighting"
    how = "matched" if adjusted == "matching" else "weighted to resemble the participants"
    extra = (
        f" Differences larger than 0.1 standard deviations remain on {len(poor)} characteristic(s) after "
        f"{adjusted} (see the balance diagnostics)."
        if poor
        else f" After {adjusted}, every characteristic differs between the groups by 0.1 standard deviations or less."
    )
    return 3, (
        f"The comparison group was {how} on characteristics recorded before the programme: this is level 3, "
        "the highest a comparison of this kind can reach." + extra
    )


_VALUE_UNITS = {
    ("reoffending_rate", "risk_difference"): "%",
    ("reoffending_frequency", "mean_difference"): " per person",
    ("time_to_reoffence", "hazard_ratio"): "% reoffended",
    ("time_to_reoffence", "rmst_difference"): " days",
    ("da_incident_rate", "rate_ratio"): " per person-year",
    ("repeat_marac_rate", "risk_difference"): "%",
    ("reoffending_rate[domestic_abuse]", "risk_difference"): "%",
    ("reoffending_rate[violent]", "risk_difference"): "%",
    ("first_time_entry_rate", "risk_difference"): "%",
    ("police_contact_rate", "risk_difference"): "%",
    ("asb_rate", "risk_difference"): "%",
    ("asb_incident_rate", "rate_ratio"): " per person-year",
}


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _with_unit(value, unit: str) -> str:
    text = _cell(value)
    return text + unit if text and text[-1].isdigit() else text


#: What each programme exists to change (#15): the measures its headline table adds to the JDL ones.
_PROGRAMME_HEADLINES = {
    "DRIVE": ("reoffending_rate[domestic_abuse]",),
    "Up2U": ("reoffending_rate[domestic_abuse]",),
    "Turnaround": ("first_time_entry_rate", "asb_rate", "police_contact_rate"),
}
_JDL_HEADLINES = (
    "reoffending_rate",
    "reoffending_frequency",
    "time_to_reoffence",
    "da_incident_rate",
    "repeat_marac_rate",
)


def headline_table(results: pd.DataFrame, programme: str | None = None) -> pd.DataFrame:
    """Headline measures for the whole cohort, disclosure-controlled, in words.

    With ``programme``, the JDL measures plus what that programme exists to change (proven DA
    reoffending for DRIVE and Up2U; first-time entry, ASB and police contact for Turnaround);
    without, every measure that has words here.
    """
    public = public_results(results)
    main = public[(public["analysis"] == "main") & (public["group"] == "all")]
    wanted = None if programme is None else set(_JDL_HEADLINES) | set(_PROGRAMME_HEADLINES.get(programme, ()))
    rows = []
    for (measure, statistic), words in _MEASURE_WORDS.items():
        if wanted is not None and measure not in wanted:
            continue
        hit = main[(main["measure"] == measure) & (main["statistic"] == statistic)]
        if hit.empty:
            continue
        r = hit.iloc[0]
        rows.append(
            {
                "Measure": words,
                "Programme": _with_unit(r["treated_value"], _VALUE_UNITS[(measure, statistic)]),
                "Comparison": _with_unit(r["comparison_value"], _VALUE_UNITS[(measure, statistic)]),
                "Estimate": _cell(r["estimate"]),
                "95% confidence interval": f"{_cell(r['ci_lower'])} to {_cell(r['ci_upper'])}",
                "People (programme / comparison)": f"{_cell(r['n_treated'])} / {_cell(r['n_comparison'])}",
            }
        )
    return pd.DataFrame(rows)


def method_paragraph(ev) -> str:
    """The method in one paragraph, in words a bid reviewer can follow."""
    c = ev.config
    matching = c.comparison.design == "matching"
    if matching:
        design = f"{c.comparison.ratio}:1 nearest-neighbour propensity-score matching"
        if c.comparison.caliper:
            design += f" (within {c.comparison.caliper} standard deviations of the score)"
    else:
        design = f"inverse-probability weighting on the propensity score ({c.comparison.estimand})"
    uncertainty = (
        "Confidence intervals allow for the matching (clustered by matched set)."
        if matching and not c.comparison.replace
        else "Confidence intervals use robust (sandwich) standard errors."
    )
    index = "the start of the programme" if c.outcomes.index == "start" else "the end of the programme (completers)"
    return (
        f"We compared people who took part in {ev.programme} with similar people who did not, using {design}. The "
        "groups were made alike on age, sex, risk level and offending and domestic-abuse history recorded before "
        f"the programme. Proven reoffending follows the Ministry of Justice Justice Data Lab: an offence committed "
        f"within {c.outcomes.follow_up_days} days of {index} and proven by conviction or caution within a further "
        f"{c.outcomes.waiting_days} days.{_charges_words(c)} Time to a first proven reoffence was analysed with survival methods that "
        f"count everyone, including people not yet followed up for a full year. {uncertainty}"
    )


def _charges_words(c) -> str:
    if not getattr(c.outcomes, "charges_count_as_proven", False):
        return ""
    return (
        " Because court outcomes were missing from the extract, a charge or summons was also counted as proof "
        "(on the charge date); a charge is not proof of guilt, so proven reoffending may be overstated."
    )


@dataclass(frozen=True)
class Block:
    """One piece of the evidence section: a heading, a paragraph, a bullet list or a table."""

    kind: str  # "heading" | "paragraph" | "bullets" | "table"
    content: Any  # str for a heading or paragraph, list[str] for bullets, a DataFrame for a table
    level: int = 2


def _verdict_table(ev) -> pd.DataFrame:
    targets = public_targets(ev.targets)
    marks = {
        "met": "Met",
        "on course": "On course",
        "not met": "Not met",
        "not yet measurable": "Not yet measurable",
        "not measured": "Not measured",
    }
    return pd.DataFrame(
        {
            "Target": targets["id"],
            "What it asks": targets["description"],
            "Verdict": targets["verdict"].map(lambda v: marks.get(v, str(v))),
            "Why": targets["reason"],
        }
    )


def value_for_money_blocks(ev) -> list[Block]:
    """What the programme cost against the harm it avoided, with the costs' sources (none without a costs file)."""
    vfm = getattr(ev, "value_for_money", None)
    if vfm is None:
        return []
    # a bid section is one or two pages: the ratios and the figures' status; the full table, break-even effects,
    # sources and notes on each figure are in the commissioner's report and value_for_money_sources.csv
    if not vfm.outcomes:
        return [Block("heading", "Value for money"), Block("bullets", list(vfm.sentences))]
    return [
        Block("heading", "Value for money"),
        Block(
            "paragraph",
            "£ of harm avoided per £1 spent (95% interval), first year only; the outcomes overlap and are not "
            "added. Sources and break-even: the commissioner's report.",
        ),
        Block("bullets", list(vfm.short_sentences)),
    ]


def evidence_blocks(ev) -> list[Block]:
    """The evidence section as blocks, rendered the same way to Markdown and Word."""
    level, level_words = maryland_level(ev)
    table = headline_table(ev.results, ev.programme)
    blocks = [
        Block("heading", f"Evidence of impact: {ev.programme}", 1),
        Block("heading", "Method"),
        Block("paragraph", method_paragraph(ev)),
        Block("heading", "Headline results"),
    ]
    blocks.append(
        Block("table", table) if len(table) else Block("paragraph", "No headline measure could be estimated yet.")
    )
    if len(ev.targets):
        blocks += [Block("heading", "Strategy targets"), Block("table", _verdict_table(ev))]
    blocks += [
        Block("heading", "What you can say"),
        Block("bullets", list(ev.headlines[:5]) + list(ev.can_say)),
        Block("heading", "What you cannot say"),
        Block("bullets", list(ev.cannot_say)),
    ]
    caveats = [w for w in ev.warnings if not w.startswith("data quality")][:5]
    caveats.append(
        'Counts from 1 to 4 are shown as "<5" and rates resting on them are suppressed; rates are '
        "rounded to whole per cent, frequencies to 2 decimal places, days to whole days."
    )
    if len(ev.warnings) > 5:
        caveats.append(
            f"The full list of {len(ev.warnings)} warnings is in the commissioner's report and evaluation.json."
        )
    blocks += value_for_money_blocks(ev)
    blocks += [
        Block("heading", "Caveats"),
        Block("bullets", caveats),
        Block("heading", "Strength of evidence"),
        Block("paragraph", f"Maryland Scientific Methods Scale: level {level} of 5. {level_words}"),
        Block("paragraph", MARYLAND),
        Block("heading", "Sources of the definitions"),
        Block("bullets", list(SOURCES)),
    ]
    return blocks


def evidence_markdown(ev) -> str:
    """One to two pages of Markdown a bid writer can paste in.

    ``ev``: an ``Evaluation`` (``rev.evaluate(...)``).

    >>> print(evidence_markdown(ev))             # doctest: +SKIP
    """
    lines: list[str] = []
    for block in evidence_blocks(ev):
        if block.kind == "heading":
            lines += ["#" * (block.level + 1) + " " + block.content, ""]
        elif block.kind == "paragraph":
            lines += [block.content, ""]
        elif block.kind == "bullets":
            lines += [f"- {item}" for item in block.content] + [""]
        else:
            lines += [_markdown_table(block.content), ""]
    return "\n".join(lines).rstrip() + "\n"


def _markdown_table(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    body = ["| " + " | ".join(_cell(v).replace("|", "/") for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])
