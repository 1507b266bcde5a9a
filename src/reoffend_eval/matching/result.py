"""Result objects of ``match()`` and ``weight()``: frozen, tidy DataFrames, notebook display, plots, warnings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

import numpy as np
import pandas as pd

from . import handoff
from .balance import SMD_THRESHOLD

MIN_TREATED = 60
MAX_LOST_SHARE = 0.10

_BALANCE_SHOWN = [
    "mean_treated_before",
    "mean_control_before",
    "smd_before",
    "mean_treated_after",
    "mean_control_after",
    "smd_after",
    "var_ratio_after",
    "ecdf_max_after",
]


def _overlap_warning(score: np.ndarray | None, treated: np.ndarray) -> list[str]:
    if score is None:
        return []
    c = score[~treated]
    outside = int(np.sum(treated & ((score < c.min()) | (score > c.max()))))
    if outside:
        return [
            f"poor overlap: {outside} treated unit(s) have a propensity score outside the range of the "
            f"comparison group's ({c.min():.3g} to {c.max():.3g}); consider discard='treated' or a caliper"
        ]
    return []


def _smd_warning(balance: pd.DataFrame) -> list[str]:
    over = balance.index[balance["smd_after"].abs() > SMD_THRESHOLD].tolist()
    if not over:
        return []
    return [f"imbalance remains: |SMD| after adjustment exceeds {SMD_THRESHOLD} for {', '.join(map(str, over))}"]


def match_warnings(balance: pd.DataFrame, counts: pd.DataFrame, score, treated, estimand: str) -> tuple[str, ...]:
    """Honest flags for a matching result (see :class:`MatchResult`)."""
    out = _smd_warning(balance)
    n_treated = counts.loc["all", "treated"]
    matched = counts.loc["matched", "treated"]
    if matched < MIN_TREATED:
        out.append(
            f"only {int(matched)} treated unit(s) are matched (fewer than {MIN_TREATED}): "
            "estimates will be imprecise and small-sample rules apply"
        )
    lost = n_treated - matched
    if estimand == "ATT" and lost > MAX_LOST_SHARE * n_treated:
        out.append(
            f"{int(lost)} of {int(n_treated)} treated units ({lost / n_treated:.0%}) are unmatched or "
            "discarded: the estimate no longer describes all participants (the estimand has changed)"
        )
    out += _overlap_warning(score, treated)
    return tuple(out)


def weight_warnings(balance: pd.DataFrame, counts: pd.DataFrame, score, treated, weights) -> tuple[str, ...]:
    """Honest flags for a weighting result (see :class:`WeightResult`)."""
    out = _smd_warning(balance)
    ess_t = counts.loc["weighted_ess", "treated"]
    if ess_t < MIN_TREATED:
        out.append(
            f"the treated group's effective sample size is {ess_t:.1f} (fewer than {MIN_TREATED}): "
            "estimates will be imprecise"
        )
    out += _overlap_warning(score, treated)
    for group, name in ((treated, "treated"), (~treated, "comparison")):
        w = weights[group]
        if w.sum() > 0 and w.max() > 0.1 * w.sum():
            out.append(
                f"poor overlap: one {name} unit carries {w.max() / w.sum():.0%} of its group's weight; "
                "consider trimming (trim=0.99) or matching instead"
            )
    return tuple(out)


@dataclass(frozen=True)
class Summary:
    """What ``summary()`` returns: a title, the counts and balance tables, and the warnings; prints as text."""

    title: str
    counts: pd.DataFrame
    balance: pd.DataFrame
    warnings: tuple[str, ...]

    def __str__(self) -> str:
        shown = self.balance[[c for c in _BALANCE_SHOWN if c in self.balance.columns]]
        lines = [
            self.title,
            "",
            "Sample sizes:",
            self.counts.round(1).to_string(),
            "",
            "Balance (SMD = standardised mean difference; every statistic is in .balance):",
            shown.round(4).to_string(),
        ]
        if self.warnings:
            lines += ["", "Warnings:"] + [f"  - {w}" for w in self.warnings]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        parts = [
            f"<h4>{escape(self.title)}</h4>",
            "<p><b>Sample sizes</b></p>",
            self.counts.round(1).to_html(),
            "<p><b>Balance</b> (SMD = standardised mean difference)</p>",
            self.balance.round(4).to_html(na_rep=""),
        ]
        if self.warnings:
            parts.append(
                "<p><b>Warnings</b></p><ul>" + "".join(f"<li>{escape(w)}</li>" for w in self.warnings) + "</ul>"
            )
        return "\n".join(parts)


@dataclass(frozen=True)
class MatchResult:
    """A matched comparison group (as MatchIt's ``matchit`` object plus ``match.data`` and ``summary``).

    ``data``: matched rows only, every original column plus ``weights``, ``subclass`` (matched set or stratum;
    <NA> when matching with replacement, as MatchIt) and ``distance`` (propensity score; NaN if none).
    ``all_data``: every row, the same columns (weight 0 = not matched) plus ``discarded``.
    ``match_matrix``: one row per treated unit (index labels), one column per slot (``control_1`` ...), holding the
    matched controls' index labels, <NA> where none (None for exact / CEM, which match strata, not pairs).
    ``counts``: rows all, all_ess, matched, matched_ess, unmatched, discarded; columns control, treated.
    ``balance``: by term, ``*_before`` / ``*_after`` statistics (see ``reoffend_eval.matching.balance``) and
    ``std_pair_dist`` (MatchIt's Std. Pair Dist.). ``caliper`` is on the distance scale.
    ``warnings``: |SMD| after > 0.1; fewer than 60 treated matched; > 10% of treated unmatched or discarded;
    treated scores outside the comparison range.
    """

    data: pd.DataFrame
    all_data: pd.DataFrame
    match_matrix: pd.DataFrame | None
    counts: pd.DataFrame
    balance: pd.DataFrame
    treatment: str
    formula: str
    method: str
    estimand: str
    replace: bool
    ratio: int
    distance: str | None
    caliper: float | None
    propensity_coef: pd.Series | None
    description: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> Summary:
        """Counts and balance in one printable table (as ``summary(m, un = TRUE)``)."""
        title = f"Matching: {self.description}; {self.formula}; estimand {self.estimand}"
        if self.caliper is not None:
            title += f"; caliper {self.caliper:.4g} on the distance scale"
        return Summary(title, self.counts, self.balance, self.warnings)

    def _repr_html_(self) -> str:
        shown = self.balance[[c for c in _BALANCE_SHOWN if c in self.balance.columns]]
        return Summary(self.summary().title, self.counts, shown, self.warnings)._repr_html_()

    def plot_balance(self, ax=None):
        """Love plot: |SMD| before and after matching per term, with the 0.1 threshold."""
        from .plots import love_plot

        return love_plot(self.balance, ax=ax, after_label="matched")

    def plot_distance(self, ax=None):
        """Propensity score distributions of treated and comparison units, all and matched."""
        from .plots import distance_plot

        return distance_plot(self.all_data, self.treatment, ax=ax, after_label="matched")

    def plot(self, ax=None):
        """Same as :meth:`plot_balance`."""
        return self.plot_balance(ax=ax)

    def to_lifelines(self, duration: str, event: str, covariates: Sequence[str] = ()) -> handoff.LifelinesHandoff:
        """The matched rows ready for lifelines, weights and cluster named (``.cox()``, ``.kaplan_meier()``)."""
        return handoff.to_lifelines(self, duration, event, covariates)

    def to_statsmodels(
        self, outcome: str, covariates: Sequence[str] = (), exposure: str | None = None
    ) -> handoff.StatsmodelsHandoff:
        """The matched rows ready for statsmodels' formula API, weights and cluster named (``.glm()``)."""
        return handoff.to_statsmodels(self, outcome, covariates, exposure)


@dataclass(frozen=True)
class WeightResult:
    """Inverse-probability weights (as WeightIt / cobalt ``bal.tab``).

    ``data``: every row with ``weights`` and ``distance`` (the propensity score). ``balance``: as
    :class:`MatchResult` (``_after`` = weighted). ``counts``: rows all, all_ess, weighted_ess; columns control,
    treated. ``trim``: the quantile at which weights were truncated, if any.
    """

    data: pd.DataFrame
    counts: pd.DataFrame
    balance: pd.DataFrame
    treatment: str
    formula: str
    estimand: str
    propensity_coef: pd.Series
    trim: float | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def all_data(self) -> pd.DataFrame:
        """Every row with its weight (the same as ``data``; for code that handles both result types)."""
        return self.data

    def summary(self) -> Summary:
        """Counts and balance in one printable table."""
        title = f"Inverse-probability weighting; {self.formula}; estimand {self.estimand}"
        if self.trim is not None:
            title += f"; weights truncated at the {self.trim:g} quantile"
        return Summary(title, self.counts, self.balance, self.warnings)

    def _repr_html_(self) -> str:
        shown = self.balance[[c for c in _BALANCE_SHOWN if c in self.balance.columns]]
        return Summary(self.summary().title, self.counts, shown, self.warnings)._repr_html_()

    def plot_balance(self, ax=None):
        """Love plot: |SMD| before and after weighting per term, with the 0.1 threshold."""
        from .plots import love_plot

        return love_plot(self.balance, ax=ax, after_label="weighted")

    def plot_distance(self, ax=None):
        """Propensity score distributions of treated and comparison units, unweighted and weighted."""
        from .plots import distance_plot

        return distance_plot(self.data, self.treatment, ax=ax, after_label="weighted")

    def plot(self, ax=None):
        """Same as :meth:`plot_balance`."""
        return self.plot_balance(ax=ax)

    def to_lifelines(self, duration: str, event: str, covariates: Sequence[str] = ()) -> handoff.LifelinesHandoff:
        """The matched rows ready for lifelines, weights and cluster named (``.cox()``, ``.kaplan_meier()``)."""
        return handoff.to_lifelines(self, duration, event, covariates)

    def to_statsmodels(
        self, outcome: str, covariates: Sequence[str] = (), exposure: str | None = None
    ) -> handoff.StatsmodelsHandoff:
        """The matched rows ready for statsmodels' formula API, weights and cluster named (``.glm()``)."""
        return handoff.to_statsmodels(self, outcome, covariates, exposure)
