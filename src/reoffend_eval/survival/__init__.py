"""Survival analysis matching R's survival and survRM2: Kaplan–Meier, log-rank, Cox, RMST,
recurrent events (Andersen–Gill, PWP) and Fine–Gray.

>>> from reoffend_eval import survival
>>> fit = survival.cox(people, "treated + age", "days_to_first_reoffence", "reoffended")
>>> fit.summary
"""

from .cox import CoxResult, cox
from .cumulative_incidence import CumulativeIncidenceResult, cumulative_incidence
from .fine_gray import fine_gray, finegray_expand
from .kaplan_meier import KaplanMeierResult, kaplan_meier
from .logrank import logrank_test
from .mean_cumulative_function import MeanCumulativeFunctionResult, mean_cumulative_function
from .recurrent import andersen_gill, pwp
from .rmst import RmstResult, rmst

__all__ = [
    "CoxResult",
    "CumulativeIncidenceResult",
    "KaplanMeierResult",
    "MeanCumulativeFunctionResult",
    "RmstResult",
    "andersen_gill",
    "cox",
    "cumulative_incidence",
    "fine_gray",
    "finegray_expand",
    "kaplan_meier",
    "logrank_test",
    "mean_cumulative_function",
    "pwp",
    "rmst",
]
