"""Compare: matched comparison groups and inverse-probability weights with balance diagnostics.

As R's MatchIt 4.7.2 and cobalt 4.5.5, with their defaults, tested against their outputs.

>>> from reoffend_eval.matching import match, weight, balance
>>> m = match(people, "treated ~ age + sex + prior_offences", caliper=0.2)   # doctest: +SKIP
>>> m.balance, m.counts, m.plot_balance()                                   # doctest: +SKIP
>>> m.to_lifelines("days_to_first_reoffence", "reoffended").cox()           # doctest: +SKIP
"""

from .balance import balance
from .handoff import LifelinesHandoff, StatsmodelsHandoff, to_lifelines, to_statsmodels
from .matchit import match
from .result import MatchResult, Summary, WeightResult
from .weighting import weight

__all__ = [
    "LifelinesHandoff",
    "MatchResult",
    "StatsmodelsHandoff",
    "Summary",
    "WeightResult",
    "balance",
    "match",
    "to_lifelines",
    "to_statsmodels",
    "weight",
]
