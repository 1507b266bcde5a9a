"""Plain-English sentences about the results, worded as the Justice Data Lab words them.

Each sentence is built from one row of the tidy results table (columns
``measure``, ``statistic``, ``estimate``, ``ci_lower``, ``ci_upper``, ``p``)
and says how sure we are. A difference whose interval includes no change is
never described as an effect.
"""

from __future__ import annotations

import math

import pandas as pd

PROGRAMME_GROUP = {
    "DRIVE": "people supported by DRIVE",
    "Up2U": "people supported by Up2U",
    "Turnaround": "children supported by Turnaround",
}


def _significant(row) -> bool:
    return bool(row["p"] < 0.05) if not pd.isna(row["p"]) else not (row["ci_lower"] <= 0 <= row["ci_upper"])


def _significance_words(row) -> str:
    return (
        " This difference is statistically significant."
        if _significant(row)
        else " This is not statistically significant."
    )


def _round(x: float) -> int:
    return int(math.floor(abs(x) + 0.5))


def _range_words(lo: float, hi: float, fewer: str, more: str) -> str:
    """'between 3 and 9 fewer' / 'between 2 fewer and 4 more' for a difference interval."""
    if hi < 0:
        return f"between {_round(hi)} and {_round(lo)} {fewer}"
    if lo > 0:
        return f"between {_round(lo)} and {_round(hi)} {more}"
    return f"between {_round(lo)} {fewer} and {_round(hi)} {more}"


#: Who the people are, in the plural noun a sentence uses ("children" for Turnaround).
PEOPLE = {"DRIVE": "people", "Up2U": "people", "Turnaround": "children"}


def _people(programme: str) -> str:
    return PEOPLE.get(programme, "people")


def reoffending_rate(row, programme: str, what: str = "a proven reoffence") -> str:
    """JDL: 'For every 100 people ..., between A and B fewer people committed a proven reoffence ...'."""
    who = PROGRAMME_GROUP.get(programme, "participants")
    people = _people(programme)
    lo, hi = row["ci_lower"], row["ci_upper"]  # percentage points = people per 100
    sentence = (
        f"For every 100 typical {who}, {_range_words(lo, hi, 'fewer', 'more')} {people} committed {what} "
        f"within a one-year period than in a similar group of {people} who did not take part."
    )
    if _significant(row):
        return sentence + " This difference is statistically significant."
    return sentence + (
        " This is not statistically significant: the analysis cannot yet say whether the programme changed "
        "reoffending, and more people would need to be analysed."
    )


def share_sentence(row, programme: str, did: str, measure_words: str) -> str:
    """'For every 100 children supported by Turnaround, between A and B fewer entered the youth justice system ...'."""
    who = PROGRAMME_GROUP.get(programme, "participants")
    people = _people(programme)
    lo, hi = row["ci_lower"], row["ci_upper"]
    sentence = (
        f"For every 100 {who}, {_range_words(lo, hi, 'fewer', 'more')} {did} within a year than in a similar "
        f"group of {people} who did not take part."
    )
    if _significant(row):
        return sentence + " This difference is statistically significant."
    return sentence + (
        f" This is not statistically significant: the analysis cannot yet say whether the programme changed "
        f"{measure_words}."
    )


def reoffending_frequency(row, programme: str) -> str:
    who = PROGRAMME_GROUP.get(programme, "participants")
    lo, hi = row["ci_lower"] * 100, row["ci_upper"] * 100
    sentence = (
        f"For every 100 typical {who}, {_range_words(lo, hi, 'fewer', 'more')} proven reoffences were committed "
        "within a one-year period than by a similar group of people who did not take part."
    )
    return sentence + _significance_words(row)


def days_free(row, programme: str) -> str:
    who = PROGRAMME_GROUP.get(programme, "participants")
    lo, hi = row["ci_lower"], row["ci_upper"]
    sentence = (
        f"Over the first year, {who} spent on average {_range_words(lo, hi, 'fewer', 'more')} days free of "
        "proven reoffending than similar people who did not take part."
    )
    return sentence + _significance_words(row)


def ratio_change(row, what: str, programme: str | None = None) -> str:
    """'X% fewer/more ...' from a ratio (rate or hazard ratio) and its interval."""
    lo, hi = (1 - row["ci_upper"]) * 100, (1 - row["ci_lower"]) * 100  # % reduction interval
    if lo > 0:
        words = f"between {_round(lo)}% and {_round(hi)}% fewer {what}"
    elif hi < 0:
        words = f"between {_round(hi)}% and {_round(lo)}% more {what}"
    else:
        words = f"somewhere between {_round(hi)}% fewer and {_round(lo)}% more {what}"
    people = _people(programme) if programme else "people"
    who = "the children supported" if people == "children" else "participants"
    sentence = f"Compared with similar {people}, {who} had {words}."
    return sentence + _significance_words(row)


def headlines(results: pd.DataFrame, programme: str) -> tuple[str, ...]:
    """Three to five headline sentences from the whole-cohort rows of the results table."""
    overall = results[results["group"] == "all"]
    builders = [
        ("reoffending_rate", "risk_difference", lambda r: reoffending_rate(r, programme)),
        ("reoffending_frequency", "mean_difference", lambda r: reoffending_frequency(r, programme)),
        ("time_to_reoffence", "rmst_difference", lambda r: days_free(r, programme)),
        (
            "da_incident_rate",
            "rate_ratio",
            lambda r: ratio_change(r, "domestic-abuse incidents per person-year", programme),
        ),
        ("repeat_marac_rate", "risk_difference", None),
        (
            "first_time_entry_rate",
            "risk_difference",
            lambda r: share_sentence(
                r, programme, "entered the youth justice system (a first caution or conviction)", "entry to it"
            ),
        ),
        (
            "reoffending_rate[domestic_abuse]",
            "risk_difference",
            lambda r: reoffending_rate(r, programme, "a proven domestic-abuse reoffence"),
        ),
        (
            "asb_rate",
            "risk_difference",
            lambda r: share_sentence(
                r,
                programme,
                f"{_people(programme)} were involved in an anti-social behaviour incident",
                "anti-social behaviour",
            ),
        ),
        (
            "asb_incident_rate",
            "rate_ratio",
            lambda r: ratio_change(r, "anti-social behaviour incidents per person-year", programme),
        ),
        (
            "police_contact_rate",
            "risk_difference",
            lambda r: share_sentence(
                r, programme, f"{_people(programme)} came to police attention (any offence record)", "police contact"
            ),
        ),
    ]
    # what each programme exists to change comes early: at most five sentences are kept
    if programme == "Turnaround":
        first = ("first_time_entry_rate", "asb_rate")
        builders = [b for b in builders if b[0] in first] + [b for b in builders if b[0] not in first]
    else:
        da = [b for b in builders if b[0] == "reoffending_rate[domestic_abuse]"]
        rest = [b for b in builders if b[0] != "reoffending_rate[domestic_abuse]"]
        builders = rest[:1] + da + rest[1:]
    sentences = []
    for measure, statistic, build in builders:
        rows = overall[(overall["measure"] == measure) & (overall["statistic"] == statistic)]
        if build is None or rows.empty or rows.iloc[0][["estimate", "ci_lower", "ci_upper"]].isna().any():
            continue
        sentences.append(build(rows.iloc[0]))
    return tuple(sentences[:5])


CAN_SAY = (
    "The programme group's outcomes are compared with those of similar people who did not take part, matched on "
    "age, sex, risk and offending history recorded before the programme began.",
    "Where a difference is statistically significant, it is unlikely to be down to chance alone.",
)
CANNOT_SAY = (
    "The comparison cannot rule out differences between the groups that the data do not record "
    "(motivation, family support, the reasons people were referred).",
    "A result that is not statistically significant does not show that the programme has no effect: it means "
    "the evidence is not yet strong enough to tell.",
    "Proven reoffending counts offences that were detected and proven by conviction or caution; it is not all "
    "offending.",
)
