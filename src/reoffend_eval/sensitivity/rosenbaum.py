"""Rosenbaum bounds for a matched comparison of a binary outcome (e.g. reoffended within a year).

Matching removes bias from what was measured; an unmeasured difference u could still make
people more or less likely to join the programme. Rosenbaum's model lets the odds of treatment
within a matched set differ by up to a factor Gamma between two people. For each Gamma we give
the largest (``p_upper``) and smallest (``p_lower``) one-sided p-value of the test that the
programme reduces the outcome, and the Gamma at which the result stops being significant.

Test and bounds (Rosenbaum 2002, *Observational Studies*, §4.3-4.4; Gastwirth, Krieger &
Rosenbaum 2000): the statistic T is the number of programme participants *without* the outcome.
In a set of n people of whom c are without the outcome, the participant is one of those c with
probability between c / (c + Gamma (n - c)) and Gamma c / (Gamma c + n - c) (the extremes are
reached with u equal to the outcome itself, so the bounds are sharp). Sets are independent, so
T's null distribution is a sum of Bernoulli variables, computed exactly (no normal approximation).

* 1:1 pairs: concordant pairs are fixed and T is McNemar's: the number of discordant pairs in
  which only the comparison person reoffended, Binomial(D, Gamma / (1 + Gamma)) for the upper
  bound — exactly rbounds' ``binarysens``.
* k:1 (one participant and k >= 1 comparisons per set, k may vary): the same, set by set.
* Sets with several participants (full matching, CEM, exact strata) and matching with
  replacement (no matched sets) are refused with a clear message.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

DEFAULT_GAMMAS = (1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.8, 2.0, 2.5, 3.0)


@dataclass(frozen=True)
class RosenbaumResult:
    """``table``: gamma, p_upper, p_lower. ``gamma_critical``: the smallest Gamma at which p_upper
    reaches ``alpha`` (1.0 if the result is not significant even without hidden bias; inf if never)."""

    table: pd.DataFrame
    gamma_critical: float
    alpha: float
    statistic: int  # participants without the outcome
    n_sets: int
    n_informative: int  # sets whose outcome varies (discordant pairs for 1:1)
    design: str
    warnings: tuple[str, ...] = ()

    def _repr_html_(self) -> str:
        parts = [
            "<div><strong>Rosenbaum bounds</strong> (binary outcome, matched sets)",
            self.table.to_html(index=False, float_format=lambda v: f"{v:.4g}"),
            f"<p>{html.escape(self.summary())}</p>",
        ]
        if self.warnings:
            parts.append("<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings) + "</ul>")
        return "\n".join(parts + ["</div>"])

    def summary(self) -> str:
        if self.gamma_critical <= 1.0:
            return f"Not significant at the {self.alpha:g} level even with no hidden bias (Gamma = 1)."
        if math.isinf(self.gamma_critical):
            return "Significant for every Gamma examined."
        return (
            f"The result stays significant at the {self.alpha:g} level unless an unmeasured factor changes "
            f"the odds of joining the programme by a factor of {self.gamma_critical:.2f} or more."
        )


def _tail(probabilities: np.ndarray, shift: int, observed: int) -> float:
    """P(shift + sum of independent Bernoulli(p) >= observed), exact.

    Sets of the same size and outcome count share p, so the sum is a convolution of a few
    binomials (for 1:1 pairs a single Binomial(D, p)).
    """
    k = observed - shift
    if k <= 0:
        return 1.0
    if k > len(probabilities):
        return 0.0
    values, counts = np.unique(probabilities, return_counts=True)
    if len(values) == 1:  # one binomial: use its survival function, accurate far into the tail
        return float(stats.binom.sf(k - 1, counts[0], values[0]))
    dist = np.array([1.0])
    for p, m in zip(values, counts):
        dist = np.convolve(dist, stats.binom.pmf(np.arange(m + 1), m, p))
    return float(min(1.0, max(0.0, dist[k:].sum())))


def _sets(source, outcome, treatment, matched_set, alternative):
    what = "rosenbaum_bounds"
    if hasattr(source, "data") and hasattr(source, "treatment"):
        if bool(getattr(source, "replace", False)):
            raise ValueError(
                f"{what}: matching with replacement has no matched sets (a comparison person can be in "
                "several); Rosenbaum bounds need matching without replacement"
            )
        data, treatment = source.data, treatment or source.treatment
    elif isinstance(source, pd.DataFrame):
        data = source
    else:
        raise TypeError(f"{what}: expected a match result or a DataFrame, not {type(source).__name__}")
    if treatment is None:
        raise ValueError(f"{what}: say which column holds the treatment (treatment=...)")
    missing = [c for c in (outcome, treatment, matched_set) if c not in data.columns]
    if missing:
        raise ValueError(f"{what}: column(s) {missing} not in the data (columns: {', '.join(map(str, data.columns))})")
    data = data[data[matched_set].notna()]
    if "weights" in data.columns:
        data = data[data["weights"] > 0]
    y = pd.to_numeric(data[outcome], errors="coerce")
    bad = ~y.isin([0, 1])
    if bad.any():
        row = bad.idxmax()
        raise ValueError(f"{what}: column {outcome!r} must be 0 or 1; row {row!r} has {data.at[row, outcome]!r}")
    t = pd.to_numeric(data[treatment], errors="coerce")
    if not t.isin([0, 1]).all():
        row = (~t.isin([0, 1])).idxmax()
        raise ValueError(
            f"{what}: treatment column {treatment!r} must be 0/1; row {row!r} has {data.at[row, treatment]!r}"
        )
    good = (1 - y) if alternative == "less" else y  # the outcome a beneficial programme would show
    frame = pd.DataFrame({"set": data[matched_set].to_numpy(), "t": t.to_numpy(int), "good": good.to_numpy(int)})
    per_set = frame.groupby("set").agg(n=("t", "size"), treated=("t", "sum"), good=("good", "sum"))
    several = per_set[per_set.treated != 1]
    if len(several):
        raise ValueError(
            f"{what}: matched set {several.index[0]!r} has {int(several.treated.iloc[0])} participants; "
            "these bounds need exactly one participant per set (1:1 or k:1 matching without replacement)"
        )
    treated_good = int(frame.loc[frame.t == 1, "good"].sum())
    return per_set, treated_good


def rosenbaum_bounds(
    match_result,
    outcome: str,
    gammas=DEFAULT_GAMMAS,
    *,
    treatment: str | None = None,
    matched_set: str = "subclass",
    alpha: float = 0.05,
    alternative: str = "less",
) -> RosenbaumResult:
    """Bounds on the one-sided p-value under hidden bias Gamma, for a matched binary outcome.

    ``match_result``: a match result (its ``.data`` with ``subclass``) or a DataFrame with
    ``treatment=`` and ``matched_set=`` columns. ``alternative="less"``: the programme lowers the
    outcome (fewer reoffend); "greater" for an outcome it should raise. Returns a
    ``RosenbaumResult`` (table of gamma, p_upper, p_lower; ``gamma_critical``). For 1:1 pairs this
    equals rbounds' ``binarysens`` (McNemar's test on the discordant pairs).

    ``gammas``: the values of Gamma (odds of treatment between two matched people who look alike) to
    report; ``alpha``: the significance level for ``gamma_critical``, the Gamma at which the upper
    p-value first exceeds it.

    >>> rosenbaum_bounds(m, "reoffended").gamma_critical
    """
    if alternative not in ("less", "greater"):
        raise ValueError(f"rosenbaum_bounds: alternative must be 'less' or 'greater', not {alternative!r}")
    gammas = np.asarray(sorted(set(float(g) for g in gammas)))
    if (gammas < 1).any():
        raise ValueError("rosenbaum_bounds: every gamma must be >= 1")
    per_set, observed = _sets(match_result, outcome, treatment, matched_set, alternative)
    n, c = per_set["n"].to_numpy(float), per_set["good"].to_numpy(float)
    informative = (c > 0) & (c < n)
    shift = int((c == n).sum())  # sets where everyone had the good outcome: the participant did too
    n_i, c_i = n[informative], c[informative]

    def p_upper(g):
        return _tail(g * c_i / (g * c_i + n_i - c_i), shift, observed)

    def p_lower(g):
        return _tail(c_i / (c_i + g * (n_i - c_i)), shift, observed)

    table = pd.DataFrame(
        {"gamma": gammas, "p_upper": [p_upper(g) for g in gammas], "p_lower": [p_lower(g) for g in gammas]}
    )
    if p_upper(1.0) >= alpha:
        critical = 1.0
    elif p_upper(1e6) < alpha:
        critical = math.inf
    else:
        hi = 2.0
        while p_upper(hi) < alpha:
            hi *= 2
        critical = float(optimize.brentq(lambda g: p_upper(g) - alpha, 1.0, hi, xtol=1e-10))
    ratio = per_set["n"].max() - 1
    design = (
        "1:1 pairs (McNemar)" if (per_set["n"] == 2).all() else f"one participant and up to {ratio} comparisons per set"
    )
    warnings = []
    if informative.sum() < 20:
        warnings.append(
            f"only {int(informative.sum())} matched sets have differing outcomes; the bounds rest on very few"
        )
    return RosenbaumResult(
        table=table,
        gamma_critical=critical,
        alpha=alpha,
        statistic=observed,
        n_sets=len(per_set),
        n_informative=int(informative.sum()),
        design=design,
        warnings=tuple(warnings),
    )
