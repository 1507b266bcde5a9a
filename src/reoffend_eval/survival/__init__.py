"""Survival analysis matching R's survival and survRM2: Kaplan–Meier, log-rank, Cox, RMST,
recurrent events (Andersen–Gill, PWP) and Fine–Gray.

>>> from reoffend_eval import survival
>>> fit = survival.cox(people, "treated + age", "days_to_first_reoffence", "reoffended")
>>> fit.summary
"""
from .cox import CoxResult, cox
from .cumulative_incidence import CumulativeIncidenceResult, cumulative_incidence
from .kaplan_meier import KaplanMeierResult, kaplan_meier
from .mean_cumulative_function import MeanCumulativeFunctionResult, mean_cumulative_function
from .rmst import RmstResult, rmst

__all__ = [
    "CoxResult", "CumulativeIncidenceResult", "KaplanMeierResult", "MeanCumulativeFunctionResult", "RmstResult",
    "cox", "cumulative_incidence", "kaplan_meier", "mean_cumulative_function", "rmst",
]
