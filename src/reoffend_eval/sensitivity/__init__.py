"""How much hidden bias would it take to change the conclusion?

``e_value`` (VanderWeele & Ding 2017; R's EValue) for a risk, rate, odds or hazard ratio and its
confidence interval; ``rosenbaum_bounds`` (Rosenbaum 2002) for a matched binary outcome.
"""

from .e_value import EValueResult, e_value
from .rosenbaum import RosenbaumResult, rosenbaum_bounds

__all__ = ["EValueResult", "RosenbaumResult", "e_value", "rosenbaum_bounds"]
