"""Assess stage: run the whole flow from a config and judge each strategy target.

Call it as a function: ``rev.evaluate("evaluation.toml")`` is :func:`evaluate`.

- :func:`evaluate` — config file in, :class:`Evaluation` out.
- :func:`read_config`, :func:`read_targets` — the TOML files, strictly checked.
- :mod:`disclosure` — suppression of small counts and JDL rounding.
"""

from .._callable import make_callable
from ._toml import ConfigError
from .config import EvaluationConfig, read_config
from .costs import Costs, read_costs
from .result import Evaluation
from .run import evaluate
from .targets import MEASURES, Target, read_targets
from .value_for_money import ValueForMoney, value_for_money, value_for_money_sentences
from .verdicts import VERDICTS, Assessment, Evidence, assess

make_callable(__name__, evaluate)

__all__ = [
    "MEASURES",
    "VERDICTS",
    "Assessment",
    "ConfigError",
    "Costs",
    "Evaluation",
    "EvaluationConfig",
    "Evidence",
    "Target",
    "ValueForMoney",
    "assess",
    "evaluate",
    "read_config",
    "read_costs",
    "read_targets",
    "value_for_money",
    "value_for_money_sentences",
]
