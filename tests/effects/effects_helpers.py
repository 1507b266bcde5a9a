"""Stand-ins for the matching stage's results (duck typed), shared by the effect tests."""
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class FakeMatch:
    """Stands in for the matching stage's MatchResult (duck typed: data, treatment, replace)."""
    data: pd.DataFrame
    treatment: str
    estimand: str = "ATT"
    replace: bool = False
    ratio: int = 1


@dataclass(frozen=True)
class FakeWeights:
    data: pd.DataFrame
    treatment: str
    estimand: str = "ATT"


def match_data(rows, spec, replace=False):
    """What MatchIt's match.data gives: matched rows with weights and subclass columns."""
    m = rows[rows[f"w_{spec}"] > 0]
    data = m[["id", "treated", "reoffended"]].assign(weights=m[f"w_{spec}"])
    if f"s_{spec}" in m:
        data = data.assign(subclass=m[f"s_{spec}"])
    return FakeMatch(data=data, treatment="treated", replace=replace, ratio=2 if replace else 1)
