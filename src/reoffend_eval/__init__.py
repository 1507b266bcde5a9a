"""reoffend_eval: does a community-safety programme reduce reoffending and repeat victimisation?

The flow, one module per stage: load -> validate -> outcomes -> compare (matching) ->
estimate (effects, survival) -> assess (evaluate) -> report.

>>> import reoffend_eval as rev
>>> data = rev.load("extract/")                                    # doctest: +SKIP
>>> people = rev.derive_outcomes(data, rev.OutcomeRules(programme="DRIVE"))   # doctest: +SKIP
>>> m = rev.match(people, "treated ~ age_at_index + sex + prior_proven_offences", caliper=0.2)  # doctest: +SKIP
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from . import (  # stage packages that are also called: rev.validate(data), rev.evaluate(config)
    effects,
    evaluate,
    report,  # registers the writers behind Evaluation.to_html / to_markdown / to_docx / write
    sensitivity,
    strategy,
    survival,
    synthetic,
    validate,
)
from .data import CohortData, load
from .data.history import read_history
from .errors import ContractError
from .matching import balance, match, weight
from .outcomes import OutcomeRules, column_dictionary, derive_outcomes, recurrent_events

try:
    __version__ = _version("reoffend-eval")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"

__all__ = [
    "CohortData",
    "ContractError",
    "OutcomeRules",
    "balance",
    "column_dictionary",
    "derive_outcomes",
    "effects",
    "evaluate",
    "load",
    "match",
    "read_history",
    "recurrent_events",
    "report",
    "sensitivity",
    "strategy",
    "survival",
    "synthetic",
    "validate",
    "weight",
    "__version__",
]
