"""Strategy stage: one scorecard across the programmes of the Reducing Reoffending Strategy.

Call it as a function: ``rev.strategy("strategy.toml")`` is :func:`strategy`. It runs
(or reuses, when nothing changed) each programme's evaluation and gathers every
target with its verdict, estimate, trend since the last extract and measurable-by date.
It comes after the report stage: it writes each programme's report beside the scorecard.
"""

from .._callable import make_callable
from .config import StrategyConfig, read_strategy
from .result import ProgrammeRun, Strategy
from .run import input_key, strategy

make_callable(__name__, strategy)

__all__ = ["ProgrammeRun", "Strategy", "StrategyConfig", "input_key", "read_strategy", "strategy"]
