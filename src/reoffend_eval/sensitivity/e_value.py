"""E-values (VanderWeele & Ding 2017): how strong unmeasured confounding would have to be to explain an effect away.

The E-value is the minimum strength of association, on the risk-ratio scale, that an unmeasured
confounder would need with both the programme and the outcome (above the measured covariates)
to move the estimate to the null: E = RR + sqrt(RR (RR - 1)) for RR >= 1 (use 1 / RR below 1).
For the confidence interval the limit nearer the null is used; if the interval includes the null
its E-value is 1. Conversions to the risk-ratio scale follow R's EValue package (``evalues.RR``,
``evalues.OR``, ``evalues.HR``):

| measure | rare outcome (< 15%) | common outcome |
| --- | --- | --- |
| RR (also a rate ratio) | RR | RR |
| OR | OR | sqrt(OR) |
| HR | HR | (1 - 0.5^sqrt(HR)) / (1 - 0.5^sqrt(1 / HR)) |
| RD | (p0 + RD) / p0 with ``baseline_risk`` p0 | same |

For RD the point E-value equals EValue's ``evalues.RD`` with ``true = 0`` (its bound reaches 0 at
RR = p1 / p0); the interval limit is converted with p0 held fixed, an approximation
(``evalues.RD`` searches a grid using the 2x2 counts).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import pandas as pd

MEASURES = ("RR", "HR", "OR", "RD")


@dataclass(frozen=True)
class EValueResult:
    """``table``: rows ``estimate`` and ``ci_limit`` (the limit nearer the null), columns ``value``
    (on the measure's scale), ``rr`` (risk-ratio scale used) and ``e_value``."""

    e_value: float
    e_value_ci: float | None
    measure: str
    table: pd.DataFrame
    warnings: tuple[str, ...] = ()

    def _repr_html_(self) -> str:
        parts = [
            "<div><strong>E-value</strong> (VanderWeele &amp; Ding 2017)",
            self.table.to_html(float_format=lambda v: f"{v:.4g}"),
            f"<p>An unmeasured confounder associated with both the programme and the outcome by a risk "
            f"ratio of {self.e_value:.2f} each could explain away the estimate"
            + (
                ""
                if self.e_value_ci is None
                else f"; {self.e_value_ci:.2f} could move the confidence interval to include no effect"
            )
            + ".</p>",
        ]
        if self.warnings:
            parts.append("<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings) + "</ul>")
        return "\n".join(parts + ["</div>"])


def _e(rr: float) -> float:
    if rr < 1:
        rr = 1 / rr
    return rr + math.sqrt(rr * (rr - 1))


def _to_rr(value: float, measure: str, rare: bool, baseline_risk: float | None) -> float:
    if measure == "RR":
        return value
    if measure == "OR":
        return value if rare else math.sqrt(value)
    if measure == "HR":
        return value if rare else (1 - 0.5 ** math.sqrt(value)) / (1 - 0.5 ** math.sqrt(1 / value))
    assert baseline_risk is not None  # e_value checks it for measure="RD"
    return (baseline_risk + value) / baseline_risk


_FROM_TABLE = {
    "risk_ratio": "RR",
    "rate_ratio": "RR",
    "odds_ratio": "OR",
    "hr": "HR",
    "hazard_ratio": "HR",
    "risk_difference": "RD",
    "difference_in_proportions": "RD",
}


def _from_result(result, measure_row: str | None):
    """Estimate, CI and measure from an effect result's tidy table (first row unless named)."""
    table = result.table
    row_name = measure_row or table.index[0]
    if row_name not in _FROM_TABLE:
        raise ValueError(
            f"e_value: no E-value for {row_name!r}; use a risk, rate, odds or hazard ratio or a risk difference"
        )
    row = table.loc[row_name]
    baseline = None
    if _FROM_TABLE[row_name] == "RD":
        baseline = float(result.groups.loc[0, "proportion"])
    return float(row["estimate"]), float(row["ci_lower"]), float(row["ci_upper"]), _FROM_TABLE[row_name], baseline


def e_value(
    estimate,
    ci_lower: float | None = None,
    ci_upper: float | None = None,
    measure: str = "RR",
    *,
    rare: bool = False,
    baseline_risk: float | None = None,
    true: float | None = None,
    measure_row: str | None = None,
) -> EValueResult:
    """E-value of ``estimate`` and of its confidence interval (the limit nearer the null).

    ``measure``: "RR" (risk or rate ratio), "HR", "OR" or "RD" (risk difference, with
    ``baseline_risk`` = the comparison group's risk). ``rare``: outcome under about 15% by the
    end of follow-up (then OR and HR approximate RR directly). ``true``: the value to shift to
    (default: the null, 1 for ratios and 0 for RD). Matches EValue's ``evalues.RR/OR/HR``.
    ``estimate`` may also be an effect result (``rev.effects``): its first row (or ``measure_row``)
    gives the estimate, interval and measure (for a risk difference the comparison group's
    proportion is the baseline risk).

    ``ci_lower``, ``ci_upper``: the confidence limits of ``estimate`` (optional; the E-value of the interval needs one).

    >>> e_value(3.9, 1.8, 8.7).e_value        # VanderWeele & Ding's breastfeeding example: 7.26
    >>> e_value(0.64, 0.54, 0.75, measure="HR").e_value_ci
    """
    if hasattr(estimate, "table"):
        estimate, ci_lower, ci_upper, measure, baseline_risk = _from_result(estimate, measure_row)
    if measure not in MEASURES:
        raise ValueError(f"e_value: measure must be one of {MEASURES}, not {measure!r}")
    warnings: list[str] = []
    if measure == "RD":
        if baseline_risk is None or not 0 < baseline_risk < 1:
            raise ValueError("e_value: measure='RD' needs baseline_risk, the comparison group's risk (0 < p0 < 1)")
        for name, v in [("estimate", estimate), ("ci_lower", ci_lower), ("ci_upper", ci_upper)]:
            if v is not None and not -baseline_risk < v < 1 - baseline_risk:
                raise ValueError(f"e_value: {name} {v} is impossible with baseline_risk {baseline_risk}")
    else:
        for name, v in [("estimate", estimate), ("ci_lower", ci_lower), ("ci_upper", ci_upper)]:
            if v is not None and not v > 0:
                raise ValueError(f"e_value: {name} must be > 0 for a ratio ({measure}); got {v}")
    if ci_lower is not None and ci_upper is not None and not ci_lower <= estimate <= ci_upper:
        raise ValueError(f"e_value: the estimate {estimate} is not inside its interval ({ci_lower}, {ci_upper})")
    if measure in ("OR", "HR") and rare:
        warnings.append(
            f"{measure} treated as a risk ratio because the outcome is rare (< 15%); "
            "for reoffending (often 30%+) use rare=False"
        )

    def rr(v):
        return _to_rr(v, measure, rare, baseline_risk)

    null = 1.0 if true is None or measure == "RD" else rr(true)
    if measure == "RD" and true not in (None, 0):
        null = rr(true)
    point = rr(estimate)

    def shifted(v):  # EValue: with a non-null 'true', the E-value is for the ratio point / true
        return v / null if v / null >= 1 else null / v

    e_point = 1.0 if point == null else _e(shifted(point))
    e_ci, limit = None, None
    if ci_lower is not None or ci_upper is not None:
        if point > null:
            limit = ci_lower
        elif point < null:
            limit = ci_upper
        else:
            limit = ci_lower if ci_lower is not None else ci_upper
        if limit is None:
            raise ValueError(
                f"e_value: give the confidence limit nearer the null ({'ci_lower' if point > null else 'ci_upper'})"
            )
        lim = rr(limit)
        crosses = (point > null and lim <= null) or (point < null and lim >= null) or point == null
        e_ci = 1.0 if crosses else _e(shifted(lim))
    rows = {"estimate": {"value": estimate, "rr": point, "e_value": e_point}}
    if e_ci is not None:
        rows["ci_limit"] = {"value": limit, "rr": rr(limit), "e_value": e_ci}
    table = pd.DataFrame.from_dict(rows, orient="index")
    return EValueResult(e_value=e_point, e_value_ci=e_ci, measure=measure, table=table, warnings=tuple(warnings))
