"""Strategy targets: one entry per target of the Reducing Reoffending Strategy, read from TOML.

A targets file holds ``[[target]]`` tables::

    [[target]]
    id = "RR1"
    description = "DRIVE participants reoffend less than similar people who did not take part"
    programme = "DRIVE"
    measure = "reoffending_rate"        # see MEASURES
    comparator = "matched"              # matched | benchmark | baseline
    direction = "decrease"              # decrease | increase
    threshold = 5                       # how far past the comparator the programme must be
    threshold_type = "percentage_points"  # percentage_points | percent | days | per_person
    by = 2027-03-31                     # when it should be met
    offences = "domestic_abuse"         # reoffending measures only: "all" (default), "domestic_abuse",
                                        # "violent" or a list of offence types, e.g. ["burglary", "theft"]
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Literal

from ..data.contract import OFFENCE_TYPES, PROGRAMMES
from ..outcomes.derive import filtered_names
from ._toml import ConfigError, build, read_toml

Measure = Literal[
    "reoffending_rate",
    "reoffending_frequency",
    "time_to_reoffence",
    "da_incident_rate",
    "repeat_marac_rate",
    "repeat_victimisation",
    "serial_victimisation",
    "asb_rate",
    "asb_incident_rate",
    "first_time_entry_rate",
    "police_contact_rate",
]
ThresholdType = Literal["percentage_points", "percent", "days", "per_person"]


@dataclass(frozen=True)
class MeasureSpec:
    """What a measure is, in words, and which threshold types it admits."""

    label: str
    outcome: str
    kind: Literal["proportion", "count", "time", "rate"]
    threshold_types: tuple[str, ...]
    da_only: bool = False
    turnaround_only: bool = False
    by_offence: bool = False  # takes the ``offences`` field (reoffending measures)


MEASURES: dict[str, MeasureSpec] = {
    "reoffending_rate": MeasureSpec(
        "one-year proven reoffending rate",
        "reoffended",
        "proportion",
        ("percentage_points", "percent"),
        by_offence=True,
    ),
    "reoffending_frequency": MeasureSpec(
        "proven reoffences per person in a year", "n_reoffences", "count", ("per_person", "percent"), by_offence=True
    ),
    "time_to_reoffence": MeasureSpec(
        "time to first proven reoffence", "time", "time", ("days", "percent"), by_offence=True
    ),
    "da_incident_rate": MeasureSpec(
        "domestic-abuse incidents per person-year", "n_da_incidents", "rate", ("percent",), da_only=True
    ),
    "repeat_marac_rate": MeasureSpec(
        "repeat MARAC referral rate", "repeat_marac", "proportion", ("percentage_points", "percent"), da_only=True
    ),
    "repeat_victimisation": MeasureSpec(
        "share with an incident against a victim harmed before",
        "any_repeat_victim",
        "proportion",
        ("percentage_points", "percent"),
        da_only=True,
    ),
    "serial_victimisation": MeasureSpec(
        "share with an incident against a new victim",
        "any_serial_victim",
        "proportion",
        ("percentage_points", "percent"),
        da_only=True,
    ),
    "asb_rate": MeasureSpec(
        "share with an anti-social behaviour incident in a year",
        "any_asb",
        "proportion",
        ("percentage_points", "percent"),
    ),
    "asb_incident_rate": MeasureSpec(
        "anti-social behaviour incidents per person-year", "n_asb_incidents", "rate", ("percent",)
    ),
    "first_time_entry_rate": MeasureSpec(
        "share of children entering the youth justice system (a first caution or conviction) in a year",
        "entered_youth_justice",
        "proportion",
        ("percentage_points", "percent"),
        turnaround_only=True,
    ),
    "police_contact_rate": MeasureSpec(
        "share with any police contact (an offence record, whatever its outcome) in a year",
        "police_contact",
        "proportion",
        ("percentage_points", "percent"),
    ),
}
"""The measures a target may name, with their words, outcome column, kind and allowed threshold types."""

OFFENCE_SETS = ("all", "domestic_abuse", "violent")
#: Column-name prefix of the offence-filtered outcomes derive_outcomes makes for each named set.
OFFENCE_PREFIX = {"domestic_abuse": "da", "violent": "violent"}
#: Words for each named set ("proven domestic-abuse reoffending").
OFFENCE_WORDS = {"all": "", "domestic_abuse": "domestic-abuse", "violent": "violent"}


def offences_label(offences: str | tuple[str, ...]) -> str:
    """The offences a reoffending measure counts, as a short key: 'domestic_abuse', 'burglary+theft'."""
    return offences if isinstance(offences, str) else "+".join(sorted(offences))


def measure_key(measure: str, offences: str | tuple[str, ...] = "all") -> str:
    """The name a measure has in results.csv: 'reoffending_rate', 'reoffending_rate[domestic_abuse]'."""
    label = offences_label(offences)
    return measure if label == "all" else f"{measure}[{label}]"


def outcome_column(outcome: str, offences: str | tuple[str, ...] = "all") -> str:
    """The derived column of a reoffending outcome restricted to some offences.

    Named sets use derive_outcomes' columns (``reoffended`` -> ``da_reoffended``); a list of types
    uses the columns evaluate adds for it (``reoffended[burglary+theft]``).
    """
    label = offences_label(offences)
    if label == "all":
        return outcome
    if label in OFFENCE_PREFIX:
        return filtered_names(OFFENCE_PREFIX[label])[outcome]
    return f"{outcome}[{label}]"


@dataclass(frozen=True)
class Target:
    """One strategy target.

    ``threshold`` is how far past the comparator the programme must be, in
    ``threshold_type`` units: percentage points or days or offences per person
    (absolute), or ``percent`` (relative: 10 means a 10% lower rate, hazard or
    frequency than the comparator). ``benchmark`` is the fixed comparator value
    (a proportion as 0.27, or a frequency) for ``comparator = "benchmark"``;
    ``baseline_from`` / ``baseline_to`` bound the same programme's baseline
    period (index dates) for ``comparator = "baseline"``.
    """

    id: str
    description: str
    programme: str
    measure: Measure
    comparator: Literal["matched", "benchmark", "baseline"]
    direction: Literal["decrease", "increase"]
    threshold: float
    threshold_type: ThresholdType
    by: dt.date
    benchmark: float | None = None
    benchmark_source: str | None = None
    baseline_from: dt.date | None = None
    baseline_to: dt.date | None = None
    offences: str | tuple[str, ...] = "all"

    def __post_init__(self):
        if self.programme not in PROGRAMMES:
            raise ValueError(f"programme {self.programme!r} is not one of {', '.join(PROGRAMMES)}")
        spec = MEASURES[self.measure]
        if self.threshold_type not in spec.threshold_types:
            raise ValueError(
                f"measure {self.measure!r} takes threshold_type {' or '.join(map(repr, spec.threshold_types))}, "
                f"not {self.threshold_type!r}"
            )
        if self.threshold < 0:
            raise ValueError(f"threshold must be 0 or more (the direction says which way), got {self.threshold}")
        if self.comparator == "benchmark":
            if self.benchmark is None:
                raise ValueError("comparator 'benchmark' needs a 'benchmark' value (e.g. 0.27 for 27%)")
            if spec.kind == "proportion" and not 0 <= self.benchmark <= 1:
                raise ValueError(f"benchmark for a rate is a proportion between 0 and 1, got {self.benchmark}")
            if spec.kind in ("time", "rate"):
                raise ValueError(f"measure {self.measure!r} can only be compared with the matched group or a baseline")
        elif self.benchmark is not None:
            raise ValueError("'benchmark' is only used with comparator = 'benchmark'")
        if self.comparator == "baseline":
            if self.baseline_from is None or self.baseline_to is None:
                raise ValueError("comparator 'baseline' needs 'baseline_from' and 'baseline_to' dates")
            if self.baseline_from > self.baseline_to:
                raise ValueError("baseline_from is after baseline_to")
        if spec.da_only and self.programme == "Turnaround":
            raise ValueError(f"measure {self.measure!r} is for the domestic-abuse programmes (DRIVE, Up2U)")
        if spec.turnaround_only and self.programme != "Turnaround":
            raise ValueError(f"measure {self.measure!r} is for Turnaround (children entering the youth justice system)")
        if isinstance(self.offences, str):
            if self.offences not in OFFENCE_SETS:
                raise ValueError(
                    f"offences {self.offences!r} is not allowed; expected 'all', 'domestic_abuse', 'violent' "
                    f"or a list of offence types ({', '.join(OFFENCE_TYPES)})"
                )
        else:
            types = tuple(self.offences)
            unknown = [t for t in types if t not in OFFENCE_TYPES]
            if not types or unknown:
                raise ValueError(
                    f"offences lists unknown offence type(s) {unknown or '(none given)'}; "
                    f"expected from {', '.join(OFFENCE_TYPES)}"
                )
            object.__setattr__(self, "offences", tuple(sorted(set(types))))
        if offences_label(self.offences) != "all" and not spec.by_offence:
            raise ValueError(
                f"'offences' applies to the reoffending measures (reoffending_rate, reoffending_frequency, "
                f"time_to_reoffence), not to {self.measure!r}"
            )

    @property
    def spec(self) -> MeasureSpec:
        return MEASURES[self.measure]

    @property
    def key(self) -> str:
        """The measure's name in results.csv (with the offences it counts, when not all)."""
        return measure_key(self.measure, self.offences)

    @property
    def outcome(self) -> str:
        """The derived column the target is about."""
        return outcome_column(self.spec.outcome, self.offences)


def read_targets(path: str | os.PathLike) -> tuple[Target, ...]:
    """Read and check a targets file; every problem names the file, the target and the field.

    ``path``: the targets file (TOML), one ``[[target]]`` table per target.

    >>> targets = read_targets("drive_targets.toml")     # doctest: +SKIP
    >>> [t.id for t in targets]                           # doctest: +SKIP
    ['RR1', 'RR2', 'DA1', 'DA2', 'RR3']
    """
    raw = read_toml(path)
    name = os.path.basename(os.fspath(path))
    extra = [k for k in raw if k != "target"]
    if extra:
        raise ConfigError(f"{name}: unknown top-level field {extra[0]!r}; write each target as a [[target]] table")
    entries = raw.get("target", [])
    if not entries:
        raise ConfigError(f"{name}: no [[target]] tables found")
    targets = tuple(
        build(Target, entry, f"{name}: target {entry.get('id', i + 1)!r}") for i, entry in enumerate(entries)
    )
    ids = [t.id for t in targets]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ConfigError(f"{name}: target id {duplicated[0]!r} is used more than once")
    return targets
