"""reoffend_eval: does a community-safety programme reduce reoffending and repeat victimisation?

The flow (see the README): load -> validate -> outcomes -> compare -> estimate -> assess -> report.

>>> import reoffend_eval as rev
>>> data = rev.synthetic.generate(programme="DRIVE", n_participants=500, n_comparison=5000, seed=1)
>>> data.participants.shape[0]
500
"""
from importlib.metadata import PackageNotFoundError, version as _version


from .data import CohortData, load
from .errors import ContractError

try:
    __version__ = _version("reoffend-eval")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"

__all__ = ["CohortData", "ContractError", "load", "__version__"]
