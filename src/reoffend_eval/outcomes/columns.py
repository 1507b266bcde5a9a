"""The column dictionary of derive_outcomes and recurrent_events: name, meaning, unit.

One place the report, the notebooks and analysts quote. Columns carried over from the
input (``sex``, ``ethnicity``, ``risk_level``, ``area``, ``referral_source``, ``trigger`` and
any extra covariate of participants / comparison) keep their contract meaning.
"""

from __future__ import annotations

import pandas as pd

#: (name, meaning, unit) of every column derive_outcomes makes, in output order.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("person_id", "Person identifier (one row per person).", "text"),
    ("treated", "1 = participant of the programme (first episode), 0 = comparison pool.", "0/1 integer"),
    ("programme", "The programme analysed (comparison rows carry the programme they are compared with).", "code"),
    (
        "index_date",
        "Participants: start_date of their first episode of the programme (intention to treat) "
        "or its end_date if completed (per protocol). Comparison: eligible_date.",
        "date",
    ),
    (
        "age_at_index",
        "Age on the index date: (index_date - date_of_birth) in days / 365.25. A Turnaround "
        "child who turns 18 during follow-up keeps their age at index and stays in.",
        "years (fractional)",
    ),
    (
        "age_at_index_whole",
        "Age on the index date in completed years (birthday on 29 February counts from 1 March in other years).",
        "years (whole)",
    ),
    ("sex", "As in the input (F / M / X).", "code"),
    ("referral_date", "Participants: referral date of the index episode; NA for comparison.", "date"),
    ("start_date", "Participants: start of the index episode; NA for comparison.", "date"),
    ("end_date", "Participants: end of the index episode (NA while ongoing); NA for comparison.", "date"),
    ("exit_reason", "Participants: how the index episode ended; NA for comparison.", "code"),
    ("completed", "Participants: index episode completed (exit_reason = completed); NA for comparison.", "true/false"),
    ("date_of_birth", "As in the input.", "date"),
    (
        "prior_proven_offences",
        "Offences committed before the index date (within the look-back) and proven "
        "(conviction or caution) on or before it.",
        "count",
    ),
    (
        "prior_violent_offences",
        "Of prior_proven_offences, those of a violent type (OutcomeRules.violent_types: "
        "violence, sexual, robbery by default). NA if offences has no offence_type.",
        "count",
    ),
    (
        "prior_da_offences",
        "Of prior_proven_offences, those flagged domestic_abuse. NA if offences has no domestic_abuse column.",
        "count",
    ),
    (
        "prior_da_incidents",
        "Domestic-abuse incidents and crimes (not MARAC referrals) with this person as "
        "perpetrator before the index date (within the look-back).",
        "count",
    ),
    (
        "prior_marac_referrals",
        "MARAC referrals with this person as perpetrator before the index date (within the look-back).",
        "count",
    ),
    (
        "prior_asb_incidents",
        "Anti-social behaviour incidents (asb records of type incident) of this person before the index date "
        "(within the look-back); a record on the index date is neither history nor outcome. NA without an asb "
        "table.",
        "count",
    ),
    (
        "prior_custody",
        "Custody spells that started before the index date (and, with a look-back, ended "
        "within it); a spell spanning the index date counts.",
        "count",
    ),
    (
        "years_since_first_offence",
        "From the first prior proven offence to the index date; 0 when there is none.",
        "years (days / 365.25)",
    ),
    (
        "full_follow_up",
        "The extract date is at least index + follow-up + waiting period (365 + 183 days): the "
        "fixed-window measures are defined.",
        "true/false",
    ),
    (
        "reoffended",
        "At least one proven reoffence: committed on days 1..365 after the index date (an offence on "
        "the index date is the index event) and proven by conviction or caution by day 365 + 183. NA without "
        "full follow-up.",
        "true/false",
    ),
    ("n_reoffences", "Number of proven reoffences (as reoffended). NA without full follow-up.", "count"),
    (
        "days_to_first_reoffence",
        "Days from the index date to the first proven reoffence, for reoffenders; NA "
        "for non-reoffenders and without full follow-up.",
        "days",
    ),
    (
        "time",
        "Calendar days from the index date to the day the first proven reoffence was committed (event) or "
        "to censoring: the first of day 365, death, moving away or the extract date (an offence committed on the "
        "censoring day itself is an event). Offences proven within the "
        "waiting period and by the extract date count. Custody does not stop this clock (see days_at_risk).",
        "days",
    ),
    ("event", "1 = time ends with a proven reoffence, 0 = censored.", "0/1 integer"),
    (
        "censor_reason",
        "Why follow-up ended without an event: end_of_follow_up, extract_date, died, moved_away "
        "(on a tie: died, moved_away, end_of_follow_up, extract_date). NA when event = 1.",
        "code",
    ),
    (
        "observed_days",
        "Days from the index date to the end of observation (day 365, death, moving away or "
        "the extract date, whichever first), whether or not an event came first.",
        "days",
    ),
    (
        "days_in_custody",
        "Days in custody within (0, time]: a spell from start_date to end_date covers the days "
        "after its start up to and including its end (the start day is at liberty); overlapping spells count "
        "once; a spell without end_date runs on.",
        "days",
    ),
    (
        "days_at_risk",
        "time less days_in_custody: the time at risk of reoffending. Use with event for an "
        "at-liberty clock; use time for calendar time.",
        "days",
    ),
    (
        "da_reoffended",
        "At least one proven reoffence flagged domestic_abuse: the same JDL window, waiting period, PND rule and "
        "full-follow-up rule as reoffended. NA where reoffended is NA, and when offences has no domestic_abuse column.",
        "true/false",
    ),
    ("n_da_reoffences", "Number of proven reoffences flagged domestic_abuse (as da_reoffended).", "count"),
    (
        "days_to_first_da_reoffence",
        "Days from the index date to the first proven reoffence flagged domestic_abuse, for those with one; NA otherwise "
        "(as days_to_first_reoffence).",
        "days",
    ),
    (
        "da_reoffence_time",
        "Calendar days to the first proven reoffence flagged domestic_abuse or censoring (as time, same censoring).",
        "days",
    ),
    ("da_reoffence_event", "1 = da_reoffence_time ends with such a reoffence, 0 = censored.", "0/1 integer"),
    (
        "violent_reoffended",
        "At least one proven reoffence of a violent type (OutcomeRules.violent_types: violence, sexual, robbery by default): the same JDL window, waiting period, PND rule and "
        "full-follow-up rule as reoffended. NA where reoffended is NA, and when offences has no offence_type column.",
        "true/false",
    ),
    (
        "n_violent_reoffences",
        "Number of proven reoffences of a violent type (OutcomeRules.violent_types: violence, sexual, robbery by default) (as violent_reoffended).",
        "count",
    ),
    (
        "days_to_first_violent_reoffence",
        "Days from the index date to the first proven reoffence of a violent type (OutcomeRules.violent_types: violence, sexual, robbery by default), for those with one; NA otherwise "
        "(as days_to_first_reoffence).",
        "days",
    ),
    (
        "violent_reoffence_time",
        "Calendar days to the first proven reoffence of a violent type (OutcomeRules.violent_types: violence, sexual, robbery by default) or censoring (as time, same censoring).",
        "days",
    ),
    ("violent_reoffence_event", "1 = violent_reoffence_time ends with such a reoffence, 0 = censored.", "0/1 integer"),
    (
        "entered_youth_justice",
        "Entry to the youth justice system (Turnaround): a first proven offence (conviction or caution), "
        "committed on days 1..365 and proven as for reoffended, for someone with no proven offence before the "
        "index date (whatever the look-back). NA for people already in the system (a proven offence before the "
        "index date) and where reoffended is NA.",
        "true/false",
    ),
    (
        "police_contact",
        "Any offence record naming the person, committed on days 1..365 after the index date, whatever its "
        "disposal (NFA, community resolution and penalty notices included) and whether or not proven. NA "
        "without full_da_follow_up (records need no proof) or offences table.",
        "true/false",
    ),
    (
        "full_da_follow_up",
        "The extract date is at least index + follow-up (365 days): incidents need no "
        "waiting period, so the fixed-window DA measures are defined.",
        "true/false",
    ),
    (
        "any_da_incident",
        "At least one domestic-abuse incident or crime with this person as perpetrator on days "
        "1..365 after the index date. NA without full DA follow-up or incidents table.",
        "true/false",
    ),
    ("n_da_incidents", "Number of such incidents (records of type incident or crime).", "count"),
    (
        "n_repeat_victim",
        "Of n_da_incidents, those against a victim harmed before: the victim appears in an "
        "earlier-dated record (incident, crime or MARAC referral) with this perpetrator, before or after the index "
        "date. Same-day records are not 'earlier'.",
        "count",
    ),
    (
        "n_serial_victim",
        "Of n_da_incidents, those against a new victim (no earlier-dated record with this "
        "perpetrator). An incident without victim_id is neither repeat nor serial.",
        "count",
    ),
    (
        "days_to_first_da_incident",
        "Days from the index date to the first DA incident in the window; NA when none.",
        "days",
    ),
    ("n_marac_referrals", "MARAC referrals of this perpetrator on days 1..365 after the index date.", "count"),
    (
        "repeat_marac",
        "A MARAC referral on days 1..365 that comes 1..365 days after the perpetrator's previous "
        "referral (which may be before the index date): a repeat MARAC case (SafeLives). Same-day referrals are "
        "one case.",
        "true/false",
    ),
    ("da_time", "Calendar days to the first DA incident or censoring (as time, same censoring).", "days"),
    ("da_event", "1 = da_time ends with a DA incident, 0 = censored.", "0/1 integer"),
    (
        "any_asb",
        "At least one anti-social behaviour incident (asb type incident) on days 1..365 after the index date. "
        "NA without full_da_follow_up (records need no proof) and without an asb table (not measured, never 0).",
        "true/false",
    ),
    ("n_asb_incidents", "Number of ASB incidents on days 1..365 (as any_asb).", "count"),
    (
        "n_asb_interventions",
        "Formal ASB responses on days 1..365: every asb type but incident (warning, acceptable behaviour "
        "contract, community protection notice, criminal behaviour order, injunction, other). NA as any_asb.",
        "count",
    ),
    ("days_to_first_asb_incident", "Days from the index date to the first ASB incident in the window.", "days"),
    ("asb_time", "Calendar days to the first ASB incident or censoring (as time, same censoring).", "days"),
    ("asb_event", "1 = asb_time ends with an ASB incident, 0 = censored.", "0/1 integer"),
    (
        "n_asb_incidents_observed",
        "ASB incidents on days 1..observed_days while at liberty (not in custody): the numerator of the ASB "
        "incident rate (as the DA incident rate's).",
        "count",
    ),
    (
        "asb_days_at_risk",
        "observed_days less days in custody within them: the exposure of the ASB incident rate.",
        "days",
    ),
)
"""Every column ``derive_outcomes`` gives, as (name, meaning, unit); ``column_dictionary()`` shows them as a table."""

#: Columns of recurrent_events (besides the person covariates carried over).
RECURRENT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("start", "Start of the interval, days after the index date (exclusive).", "days"),
    ("stop", "End of the interval, days after the index date (inclusive); an event is at stop.", "days"),
    ("event", "1 = an event (offence committed / incident) on day stop.", "0/1 integer"),
    (
        "n_events",
        "Events on day stop (several on one day are one row: the Andersen-Gill model counts the "
        "day once, the mean cumulative function counts n_events).",
        "count",
    ),
    (
        "event_number",
        "1 + number of event days before this interval (the PWP stratum); for an event row, the "
        "ordinal of its event day.",
        "count",
    ),
)
"""The interval columns ``recurrent_events`` adds, as (name, meaning, unit)."""

_CARRIED = ("ethnicity", "risk_level", "area", "referral_source", "trigger")


def column_dictionary() -> pd.DataFrame:
    """The derived columns as a table: name, meaning, unit (one row each).

    >>> from reoffend_eval.outcomes import column_dictionary
    >>> column_dictionary().set_index("name").loc["days_at_risk", "unit"]
    'days'
    """
    rows = list(COLUMNS) + [(name, f"recurrent_events: {meaning}", unit) for name, meaning, unit in RECURRENT_COLUMNS]
    return pd.DataFrame(rows, columns=["name", "meaning", "unit"])


def ordered(columns) -> list[str]:
    """Output order: the dictionary's order, carried-over covariates after sex."""
    known = [name for name, _, _ in COLUMNS]
    present = set(columns)
    head = [c for c in known[: known.index("sex") + 1] if c in present]
    carried = [c for c in _CARRIED if c in present]
    extra = [c for c in columns if c not in known and c not in _CARRIED]
    tail = [c for c in known[known.index("sex") + 1 :] if c in present]
    return head + carried + extra + tail
