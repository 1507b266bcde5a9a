"""The evaluation config (TOML): every field checked, unknown fields are errors.

Example (``reoffend_eval/examples/drive.toml`` is a complete one)::

    programme = "DRIVE"
    targets = "targets.toml"          # relative to this file
    seed = 20261126
    history = "history"               # optional: record each run here (reoffend-eval evaluate, rev.strategy)

    [data]
    folder = "data"                   # relative to this file
    extract_date = 2026-03-31

    [outcomes]
    index = "start"                   # start (intention to treat) | completion (per protocol)

    [comparison]
    design = "matching"               # matching | weighting
    formula = "treated ~ age_at_index + sex + risk_level + prior_proven_offences"
    caliper = 0.2

    [analyses]
    subgroups = ["completed", "risk_level"]
    periods = "year"                  # optional: headline measures per financial year (or "quarter")

    [cohort]                          # optional: only people with index dates in this range (both groups)
    index_from = 2023-04-01
    index_to = 2025-03-31
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .._dates import parse_date
from ._toml import ConfigError, build, read_toml

SUBGROUPS = ("completed", "risk_level", "sex", "area")


@dataclass(frozen=True)
class DataConfig:
    """Where the extract is and how to read it."""

    folder: str
    mapping: str | None = None  # a mapping file (relative to this config) for files in the county's own shape
    dayfirst: bool | None = None
    encoding: str | None = None
    extract_date: dt.date | None = None


@dataclass(frozen=True)
class OutcomesConfig:
    """How outcomes are measured (Justice Data Lab defaults)."""

    index: Literal["start", "completion"] = "start"
    follow_up_days: int = 365
    waiting_days: int = 183
    exclude_pnd: bool = True
    charges_count_as_proven: bool = False
    repeat_marac_days: int = 365

    def __post_init__(self):
        for name in ("follow_up_days", "waiting_days", "repeat_marac_days"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be a positive number of days, got {getattr(self, name)}")


@dataclass(frozen=True)
class ComparisonConfig:
    """How the comparison group is built: MatchIt-style matching, or inverse-probability weighting."""

    formula: str
    design: Literal["matching", "weighting"] = "matching"
    method: Literal["nearest", "exact", "cem"] = "nearest"
    ratio: int = 1
    replace: bool = False
    caliper: float | None = 0.2
    std_caliper: bool = True
    exact: tuple[str, ...] = ()
    discard: Literal["none", "treated", "control", "both"] = "none"
    estimand: Literal["ATT", "ATE", "ATO"] = "ATT"

    def __post_init__(self):
        if "~" not in self.formula:
            raise ValueError(f"formula {self.formula!r} needs a '~' (e.g. 'treated ~ age_at_index + sex')")
        if self.ratio < 1:
            raise ValueError(f"ratio must be 1 or more, got {self.ratio}")
        if self.caliper is not None and self.caliper <= 0:
            raise ValueError(f"caliper must be positive, got {self.caliper}")
        if self.design == "matching" and self.estimand != "ATT":
            raise ValueError("matching estimates the ATT; use design = 'weighting' for ATE or ATO")


@dataclass(frozen=True)
class AnalysesConfig:
    """Which analyses to run."""

    reoffending: bool = True
    survival: bool = True
    rmst_tau: int = 365
    repeat_victimisation: bool = True
    sensitivity: bool = True
    subgroups: tuple[str, ...] = ("completed", "risk_level")
    periods: Literal["year", "quarter"] | None = None  # headline measures per financial year / quarter cohort

    def __post_init__(self):
        unknown = [s for s in self.subgroups if s not in SUBGROUPS]
        if unknown:
            raise ValueError(f"subgroup {unknown[0]!r} is not one of {', '.join(SUBGROUPS)}")
        if self.rmst_tau <= 0:
            raise ValueError(f"rmst_tau must be a positive number of days, got {self.rmst_tau}")


@dataclass(frozen=True)
class CohortConfig:
    """Which index dates are in the evaluation (both groups; inclusive)."""

    index_from: dt.date | None = None
    index_to: dt.date | None = None

    def __post_init__(self):
        if self.index_from is not None and self.index_to is not None and self.index_from > self.index_to:
            raise ValueError(
                f"index_from ({self.index_from}) is after index_to ({self.index_to}); "
                "give the earliest index date first"
            )


@dataclass(frozen=True)
class EvaluationConfig:
    """A whole evaluation: programme, data, outcomes, comparison design, analyses, targets."""

    programme: Literal["DRIVE", "Up2U", "Turnaround"]
    data: DataConfig
    comparison: ComparisonConfig
    targets: str
    outcomes: OutcomesConfig = field(default_factory=OutcomesConfig)
    analyses: AnalysesConfig = field(default_factory=AnalysesConfig)
    cohort: CohortConfig = field(default_factory=CohortConfig)
    seed: int = 1
    costs: str | None = None
    history: str | None = None  # a run-history folder (relative to this file): see evaluate.history
    base_dir: str = field(default=".", compare=False)

    def path(self, relative: str) -> Path:
        """A path from the config, resolved against the config file's folder."""
        p = Path(relative)
        return p if p.is_absolute() else Path(self.base_dir) / p


def with_extract_date(config: EvaluationConfig, value) -> EvaluationConfig:
    """The config with its extract date replaced (``reoffend-eval evaluate --extract-date``); ISO dates only."""
    data = dataclasses.replace(config.data, extract_date=parse_date(value, "--extract-date"))
    return dataclasses.replace(config, data=data)


def read_config(path: str | os.PathLike) -> EvaluationConfig:
    """Read and check an evaluation config; errors name the file and the field.

    ``path``: the config file (TOML); the paths inside it are relative to its folder.

    >>> config = read_config("drive.toml")               # doctest: +SKIP
    >>> config.programme, config.comparison.formula       # doctest: +SKIP
    """
    path = Path(path)
    raw = read_toml(path)
    if "base_dir" in raw:
        raise ConfigError(f"{path.name}: unknown field 'base_dir'")
    config = build(EvaluationConfig, raw, path.name)
    return EvaluationConfig(**{**config.__dict__, "base_dir": str(path.resolve().parent)})
