"""Outcomes stage: one analysis row per person, the Justice Data Lab way.

- :class:`OutcomeRules` — how outcomes are measured (JDL defaults).
- :func:`derive_outcomes` — history covariates, fixed-window and time-to-event outcomes,
  days at risk, domestic-abuse outcomes; one row per person.
- :func:`recurrent_events` — counting-process rows for Andersen–Gill models and the MCF.
- :data:`COLUMNS` / :func:`column_dictionary` — every derived column: name, meaning, unit.
"""
from .columns import COLUMNS, RECURRENT_COLUMNS, column_dictionary
from .derive import derive_outcomes
from .recurrent import recurrent_events
from .rules import OutcomeRules

__all__ = ["COLUMNS", "RECURRENT_COLUMNS", "OutcomeRules", "column_dictionary", "derive_outcomes",
           "recurrent_events"]
