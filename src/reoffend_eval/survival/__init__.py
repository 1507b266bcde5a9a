"""Survival analysis matching R's survival and survRM2: Kaplan–Meier, log-rank, Cox, RMST,
recurrent events (Andersen–Gill, PWP) and Fine–Gray.

>>> from reoffend_eval import survival
>>> fit = survival.cox(people, "treated + age", "days_to_first_reoffence", "reoffended")
>>> fit.summary
"""
from .cox import CoxResult, cox
from .kaplan_meier import KaplanMeierResult, kaplan_meier
from .fine_gray import fine_gray, finegray_expand
from .logrank import logrank_test
from .recurrent import andersen_gill, pwp
from .rmst import RmstResult, rmst

__all__ = [
    "CoxResult", "KaplanMeierResult", "RmstResult",
    "andersen_gill", "cox", "fine_gray", "finegray_expand", "kaplan_meier", "logrank_test", "pwp", "rmst",
]
