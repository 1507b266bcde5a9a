"""Effect estimates after matching or weighting, with the uncertainty the design implies.

Binary outcome: ``risk_difference``, ``risk_ratio``, ``odds_ratio`` (or all three with
``binary_effects``); frequency: ``mean_difference``; counts over time at risk: ``rate_ratio``
(negative binomial or Poisson, log offset); the JDL's headline test: ``jdl_comparison``.
Each takes a match result, a weight result or a DataFrame and returns an ``EffectResult``.
"""

from .binary import binary_effects, odds_ratio, risk_difference, risk_ratio
from .frequency import mean_difference
from .jdl import jdl_comparison, people_needed
from .rate import rate_ratio
from .result import EffectResult

__all__ = [
    "EffectResult",
    "binary_effects",
    "jdl_comparison",
    "mean_difference",
    "odds_ratio",
    "people_needed",
    "rate_ratio",
    "risk_difference",
    "risk_ratio",
]
