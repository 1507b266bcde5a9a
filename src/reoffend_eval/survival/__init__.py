"""Survival analysis matching R's survival and survRM2: Kaplan–Meier, log-rank, Cox, RMST,
recurrent events (Andersen–Gill, PWP) and Fine–Gray.

>>> from reoffend_eval import survival
>>> fit = survival.cox(people, "treated + age", "days_to_first_reoffence", "reoffended")
>>> fit.summary
"""
from .cox import CoxResult, cox

__all__ = ["CoxResult", "cox"]
