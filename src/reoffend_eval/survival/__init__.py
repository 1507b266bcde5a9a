"""Survival analysis matching R's survival and survRM2: Kaplan–Meier, log-rank, Cox, RMST,
recurrent events (Andersen–Gill, PWP) and Fine–Gray.

>>> from reoffend_eval import survival
>>> fit = survival.cox(people, "treated + age", "days_to_first_reoffence", "reoffended")
>>> fit.summary
"""
from .cox import CoxResult, cox
from .kaplan_meier import KaplanMeierResult, kaplan_meier
from .rmst import RmstResult, rmst

__all__ = ["CoxResult", "KaplanMeierResult", "RmstResult", "cox", "kaplan_meier", "rmst"]
