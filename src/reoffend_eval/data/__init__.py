"""Load stage: the data contract and its typed tables."""

from .cohort import CohortData, Source
from .contract import TABLES
from .load import load

__all__ = ["CohortData", "Source", "TABLES", "load"]
