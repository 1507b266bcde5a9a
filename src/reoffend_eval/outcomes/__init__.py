"""Outcomes stage: one analysis row per person, the Justice Data Lab way.

- :class:`OutcomeRules` — how outcomes are measured (JDL defaults).
- :func:`derive_outcomes` — history covariates, fixed-window and time-to-event outcomes,
  days at risk, domestic-abuse outcomes; one row per person.
- :func:`recurrent_events` — counting-process rows for Andersen–Gill models and the MCF.
- :data:`COLUMNS` / :func:`column_dictionary` — every derived column: name, meaning, unit.

Decisions where the definitions leave room (also in the column dictionary):

- One programme at a time (``OutcomeRules.programme``; may be left out when the data hold
  one). A person's first episode of it (earliest ``start_date``) is the index episode; later
  episodes are ignored with a note. Comparison rows with a ``programme`` column serve only
  that programme (empty = any); a comparison person's earliest ``eligible_date`` is their
  index date; anyone who took part in the programme is never a comparison person.
- ``treated`` is the integer 0/1 (as MatchIt's ``treat``); the index is a RangeIndex.
- Days are whole calendar days after the index date (day 0 = index date). Window: days
  1..365; proof by day 365 + 183 and by the extract date; ``full_follow_up`` when the extract
  date is at least index + 548 days.
- ``time`` is calendar days (the JDL and survival convention: custody does not stop the
  clock). ``days_at_risk`` = ``time`` less custody days, for an at-liberty clock. A custody
  spell covers (start_date, end_date]: the start day is at liberty, the release day is not.
  ``recurrent_events`` removes the same days from the risk set.
- History is what was known at the index date: offences committed before it and proven by
  it. ``years_since_first_offence`` is 0 with no prior proven offence. Ages are fractional
  years (days / 365.25) in ``age_at_index`` and completed years in ``age_at_index_whole``.
- A DA incident is an incidents row of type incident or crime; MARAC referrals are counted
  apart. Fixed-window DA measures need the extract to cover index + 365 only
  (``full_da_follow_up``): incidents need no proof.
- Missing event tables never turn into zeros: no offences table makes the reoffending
  columns NA; no incidents table the DA columns. No custody / exits table means none.
"""

from .columns import COLUMNS, RECURRENT_COLUMNS, column_dictionary
from .derive import derive_outcomes, reoffending_by_offence
from .recurrent import recurrent_events
from .rules import OutcomeRules

__all__ = [
    "COLUMNS",
    "RECURRENT_COLUMNS",
    "OutcomeRules",
    "column_dictionary",
    "derive_outcomes",
    "recurrent_events",
    "reoffending_by_offence",
]
