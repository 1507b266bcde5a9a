"""The costs file (TOML): what the programme cost and what each avoided outcome is worth.

Every figure names its ``source`` and ``price_year``; ``uplift`` (default 1) turns it
into today's prices (e.g. 1.27 from the GDP deflator between the price year and now).
Unknown fields, a missing source or price year, and negative or zero costs are errors
naming the file and the field, as in the evaluation config. An outcome whose unit cost
is not given is not valued: the value-for-money result asks for it by name.

Example (``reoffend_eval/examples/costs.toml`` is the shipped one)::

    [programme]
    cost_per_participant = 2400       # or: total_cost = 480000 with participants = 200
    source = "County commissioning budget, DRIVE contract 2025/26"
    price_year = "2025/26"

    [proven_reoffence]
    cost = 9000
    source = "Home Office Research Report 99 (Heeks et al. 2018), Table E1"
    price_year = "2015/16"
    uplift = 1.25

    [da_incident]        # per domestic-abuse incident
    [repeat_marac_case]  # per repeat MARAC case

How far a figure can be trusted is said with ``status``:

- ``"read"`` (the default): the figure was read in the publisher's own text.
- ``"second-hand"``: it was seen only where another publication quotes it; ``quoted_by``
  must say who (e.g. ``"South Wales Echo, 2 August 2019"``). The report, the evidence and
  the output files then say in words that the figure was not read in the original and must
  be checked there before a bid relies on it.
- ``"illustrative"``: not a real figure at all (the shipped example's programme cost); the
  outputs say so, and that it must be replaced.

``note`` (optional) says what the figure is and is not (e.g. "per victim, not per incident").

Instead of one ``[proven_reoffence]`` cost, ``[offence_type.<type>]`` tables give a
cost and the ``share`` of proven reoffences of that type (shares sum to 1); the cost
per proven reoffence is then the share-weighted average.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..data.contract import OFFENCE_TYPES
from ._toml import ConfigError, build, read_toml

OUTCOMES = ("proven_reoffence", "da_incident", "repeat_marac_case")


def _check_source(source: str, price_year: str) -> None:
    if not str(price_year).strip():
        raise ValueError("'price_year' is empty: say which year's prices the figure is in (e.g. '2015/16')")
    if not source.strip():
        raise ValueError("'source' is empty: say where the figure comes from (report, table, page)")


STATUSES = ("read", "second-hand", "illustrative")


def _check_status(status: str, quoted_by: str | None) -> None:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
    if status == "second-hand" and not (quoted_by or "").strip():
        raise ValueError(
            "status 'second-hand' needs 'quoted_by': who quotes the figure (publication and date), "
            "so a reader can trace it and check it in the original"
        )
    if status != "second-hand" and quoted_by is not None:
        raise ValueError(
            "'quoted_by' is only for status = \"second-hand\" (a figure seen only where another quotes it)"
        )


def caveat(status: str, quoted_by: str | None) -> str:
    """The words every output uses for a figure's status ("" for a figure read in the source)."""
    if status == "second-hand":
        return (
            f"second-hand figure: not read in the original but as quoted by {quoted_by}; "
            "check it in the original before a bid relies on it"
        )
    if status == "illustrative":
        return "illustrative figure, not a real cost: replace it with your own before relying on any result"
    return ""


def _check_positive(name: str, value: float | None) -> None:
    if value is not None and not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive amount, got {value}")


@dataclass(frozen=True)
class UnitCost:
    """What one avoided outcome is worth, in pounds at ``price_year`` prices, times ``uplift`` for today."""

    cost: float
    source: str
    price_year: str | int
    uplift: float = 1.0
    table: str | None = None
    status: Literal["read", "second-hand", "illustrative"] = "read"
    quoted_by: str | None = None
    note: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "price_year", str(self.price_year))  # 2016 and "2016/17" are both fine
        _check_positive("cost", self.cost)
        _check_positive("uplift", self.uplift)
        _check_source(self.source, self.price_year)
        _check_status(self.status, self.quoted_by)

    @property
    def caveat(self) -> str:
        """What a reader must know about the figure's status, in words ("" when read in the source)."""
        return caveat(self.status, self.quoted_by)

    @property
    def today(self) -> float:
        """The cost in today's prices (``cost * uplift``)."""
        return self.cost * self.uplift


@dataclass(frozen=True)
class OffenceTypeCost(UnitCost):
    """Cost of one proven reoffence of a type, and the share of proven reoffences of that type."""

    share: float = math.nan

    def __post_init__(self):
        super().__post_init__()
        if not (0 < self.share <= 1):
            raise ValueError(f"share must be a proportion above 0 and at most 1 (e.g. 0.35), got {self.share}")


@dataclass(frozen=True)
class ProgrammeCost:
    """What the programme cost: per participant, or a total for the period with the participants it paid for."""

    source: str
    price_year: str | int
    cost_per_participant: float | None = None
    total_cost: float | None = None
    participants: int | None = None
    uplift: float = 1.0
    status: Literal["read", "second-hand", "illustrative"] = "read"
    quoted_by: str | None = None
    note: str | None = None

    @property
    def caveat(self) -> str:
        """What a reader must know about the figure's status, in words ("" when read in the source)."""
        return caveat(self.status, self.quoted_by)

    def __post_init__(self):
        object.__setattr__(self, "price_year", str(self.price_year))
        _check_source(self.source, self.price_year)
        _check_status(self.status, self.quoted_by)
        _check_positive("cost_per_participant", self.cost_per_participant)
        _check_positive("total_cost", self.total_cost)
        _check_positive("uplift", self.uplift)
        if (self.cost_per_participant is None) == (self.total_cost is None):
            raise ValueError("give exactly one of 'cost_per_participant' or 'total_cost'")
        if self.total_cost is not None and self.participants is None:
            raise ValueError("'total_cost' needs 'participants': the number of people the total paid for")
        if self.participants is not None:
            if self.total_cost is None:
                raise ValueError("'participants' is only used with 'total_cost'")
            _check_positive("participants", self.participants)

    @property
    def per_participant(self) -> float:
        """Cost per participant in today's prices."""
        if self.cost_per_participant is not None:
            return self.cost_per_participant * self.uplift
        assert self.total_cost is not None and self.participants is not None  # __post_init__ requires them
        return self.total_cost / self.participants * self.uplift


@dataclass(frozen=True)
class Costs:
    """A checked costs file. Any part may be missing; value for money then asks for it by name."""

    programme: ProgrammeCost | None = None
    proven_reoffence: UnitCost | None = None
    da_incident: UnitCost | None = None
    repeat_marac_case: UnitCost | None = None
    offence_type: dict[str, OffenceTypeCost] = field(default_factory=dict)
    file: str = "costs.toml"

    def __post_init__(self):
        if self.offence_type:
            if self.proven_reoffence is not None:
                raise ValueError("give either [proven_reoffence] or [offence_type.*] tables, not both")
            total = sum(c.share for c in self.offence_type.values())
            if abs(total - 1) > 1e-6:
                raise ValueError(f"offence_type shares must add up to 1, they add up to {total:g}")

    def unit_cost(self, outcome: str) -> float | None:
        """Today's cost of one avoided ``outcome`` (one of OUTCOMES), or None when the file does not give it."""
        if outcome == "proven_reoffence" and self.offence_type:
            return sum(c.share * c.today for c in self.offence_type.values())
        item = getattr(self, outcome)
        return None if item is None else item.today

    def items(self, outcome: str) -> list[UnitCost | ProgrammeCost]:
        """The figures behind one outcome's value (``"programme"`` or one of OUTCOMES)."""
        if outcome == "programme":
            return [] if self.programme is None else [self.programme]
        if outcome == "proven_reoffence" and self.offence_type:
            return list(self.offence_type.values())
        item = getattr(self, outcome)
        return [] if item is None else [item]

    def caveats(self, outcome: str) -> list[str]:
        """The status caveats of the figures behind ``outcome`` (empty when every figure was read in its source)."""
        return list(dict.fromkeys(c for c in (i.caveat for i in self.items(outcome)) if c))

    def sources(self) -> list[dict]:
        """One row per figure: what it is, the amount, its source, table, price year, status, who quotes it, note."""
        named: list[tuple[str, UnitCost | ProgrammeCost]] = []
        if self.programme is not None:
            named.append(("programme", self.programme))
        named += [(n, getattr(self, n)) for n in OUTCOMES if getattr(self, n) is not None]
        named += [(f"offence_type.{k}", v) for k, v in self.offence_type.items()]
        rows = []
        for name, item in named:
            if isinstance(item, ProgrammeCost):
                amount = item.cost_per_participant if item.cost_per_participant is not None else item.total_cost
                table = None
            else:
                amount, table = item.cost, item.table
            rows.append(
                {
                    "item": name,
                    "cost": amount,
                    "uplift": item.uplift,
                    "source": item.source,
                    "table": table,
                    "price_year": item.price_year,
                    "status": item.status,
                    "quoted_by": item.quoted_by,
                    "note": item.note,
                }
            )
        return rows


def read_costs(path: str | os.PathLike) -> Costs:
    """Read and check a costs file; every problem names the file and the field.

    ``path``: the costs file (TOML).

    >>> costs = read_costs("costs.toml")                 # doctest: +SKIP
    >>> costs.unit_cost("proven_reoffence")              # doctest: +SKIP
    """
    name = Path(path).name
    raw = dict(read_toml(path))
    if "file" in raw:
        raise ConfigError(f"{name}: unknown field 'file'")
    by_type = raw.pop("offence_type", {})
    if not isinstance(by_type, dict):
        raise ConfigError(f"{name}: offence_type: write each type as an [offence_type.<type>] table")
    types = {}
    for kind, values in by_type.items():
        if kind not in OFFENCE_TYPES:
            raise ConfigError(
                f"{name}: offence_type.{kind}: {kind!r} is not an offence type of the data contract "
                f"({', '.join(OFFENCE_TYPES)})"
            )
        if isinstance(values, dict) and "share" not in values:
            raise ConfigError(f"{name}: offence_type.{kind}: required field 'share' is missing")
        types[kind] = build(OffenceTypeCost, values, f"{name}: offence_type.{kind}")
    costs = build(Costs, raw, name)
    try:
        return Costs(**{**costs.__dict__, "offence_type": types, "file": name})
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from None
