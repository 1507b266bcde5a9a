"""Load stage: the data contract and its typed tables."""

from .codesets import CODE_SETS
from .cohort import CohortData, Source
from .contract import TABLES
from .inspect import InspectResult, inspect_folder
from .load import load
from .mapping import ExtractMapping, read_mapping

__all__ = [
    "CODE_SETS",
    "CohortData",
    "ExtractMapping",
    "InspectResult",
    "Source",
    "TABLES",
    "inspect_folder",
    "load",
    "read_mapping",
]
