"""The frozen result every effect estimator returns."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

TABLE_COLUMNS = ["estimate", "ci_lower", "ci_upper", "p", "n", "method"]


@dataclass(frozen=True)
class EffectResult:
    """An effect estimate with the uncertainty the design implies.

    ``table``: one row per measure (index ``measure``) with ``estimate``, ``ci_lower``,
    ``ci_upper`` (95%), ``p`` (two-sided), ``n`` (people used), ``method`` (model and
    variance in words), plus ``se`` (of the coefficient: difference scale, or log scale for
    ratios), ``statistic`` (t or z) and ``df`` (inf for z).
    ``groups``: per group (comparison 0, programme 1) the people, their summed weights and
    the weighted outcome (proportion, mean or rate).
    ``coefficients``: the whole outcome model (R's ``coeftest`` table).
    """

    table: pd.DataFrame
    groups: pd.DataFrame
    coefficients: pd.DataFrame
    variance: str
    extra: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def _row(self):
        return self.table.iloc[0]

    @property
    def estimate(self) -> float:
        return float(self._row()["estimate"])

    @property
    def ci_lower(self) -> float:
        return float(self._row()["ci_lower"])

    @property
    def ci_upper(self) -> float:
        return float(self._row()["ci_upper"])

    @property
    def p(self) -> float:
        return float(self._row()["p"])

    def __getitem__(self, measure: str) -> pd.Series:
        return self.table.loc[measure]

    def _repr_html_(self) -> str:
        parts = [
            "<div><strong>Effect estimate</strong>",
            self.table[TABLE_COLUMNS].to_html(float_format=lambda v: f"{v:.4g}"),
            self.groups.to_html(float_format=lambda v: f"{v:.4g}"),
            f"<p>Variance: {html.escape(self.variance)}</p>",
        ]
        if self.warnings:
            parts.append("<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings) + "</ul>")
        parts.append("</div>")
        return "\n".join(parts)

    def __repr__(self) -> str:
        lines = [self.table[TABLE_COLUMNS].to_string()]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)
