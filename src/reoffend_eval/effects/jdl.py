"""The Justice Data Lab's headline comparison: two proportions, their t-test, and the people needed.

The JDL compares the one-year proven reoffending rates of the treatment and matched comparison
groups with a two-sample t-test and says how many people a treatment group would need for a
difference of the observed size to be detectable. Here:

* difference = p1 - p0 (programme minus comparison), with Welch's two-sample t-test and its 95% CI,
  exactly R's ``t.test(y1, y0)`` when the weights are all 1. With weights, each group's weighted
  mean and its weighted variance (sum w (y - m)^2 / sum w, times n_eff / (n_eff - 1)) are used
  with the effective size n_eff = (sum w)^2 / sum w^2 in place of n (reduces to ``t.test``).
* people needed = per group, for 80% power at 5% two-sided, R's
  ``power.prop.test(p1 = p0, p2 = p1, power = 0.8, sig.level = 0.05)$n``, solved in closed form
  (R finds the same root numerically with ``uniroot``; they agree to about 1e-10).

This ignores the matched-set structure (as the JDL's test does); the model-based estimators in
``binary.py`` do not, and are the ones to quote for inference.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from ._estimate import group_summary, size_warnings
from ._source import numeric_column, prepare
from .result import EffectResult


def people_needed(p0: float, p1: float, power: float = 0.8, alpha: float = 0.05) -> float:
    """People per group to detect p1 vs p0 (two-sided), as R's ``power.prop.test(...)$n`` (not rounded up).

    ``p0``, ``p1``: the comparison and programme proportions (0.30 and 0.25 for 30% and 25%);
    ``power`` and two-sided ``alpha`` as R's. Infinite when ``p0 == p1``.

    >>> round(people_needed(0.30, 0.25))            # power.prop.test(p1 = 0.30, p2 = 0.25, power = 0.8)$n
    1251
    """
    if p0 == p1:
        return math.inf
    za = stats.norm.isf(alpha / 2)
    zb = stats.norm.ppf(power)
    a = za * math.sqrt((p0 + p1) * (1 - (p0 + p1) / 2))
    b = zb * math.sqrt(p0 * (1 - p0) + p1 * (1 - p1))
    return ((a + b) / (p1 - p0)) ** 2


def _group_moments(y: np.ndarray, w: np.ndarray) -> tuple[float, float, float]:
    mean = float(np.sum(w * y) / w.sum())
    n_eff = float(w.sum() ** 2 / np.sum(w**2))
    var = float(np.sum(w * (y - mean) ** 2) / w.sum()) * n_eff / (n_eff - 1)
    return mean, var, n_eff


def jdl_comparison(
    source,
    outcome: str,
    treatment: str | None = None,
    weights: str | None = None,
    *,
    power: float = 0.8,
    alpha: float = 0.05,
) -> EffectResult:
    """Difference in the proportion reoffending (programme minus comparison) with the JDL's t-test.

    Returns an ``EffectResult``: ``table`` row ``difference_in_proportions`` (estimate, 95% CI,
    p, n, method, t, df) and ``extra`` with ``people_needed_per_group`` (people in each group
    needed to detect the observed difference with ``power`` at two-sided ``alpha``) and
    ``detectable`` (whether both groups already have that many).

    ``source``: a match result (its ``.data`` carries ``weights`` and ``subclass``), a weight
    result, or a DataFrame; with a DataFrame, ``treatment`` names the 0/1 treatment column and
    ``weights`` the weight column (a result supplies its own).
    ``outcome``: the 0/1 outcome column (e.g. ``reoffended``).

    >>> jdl_comparison(m, "reoffended").extra["people_needed_per_group"]
    """
    what = "jdl_comparison"
    prep = prepare(source, [outcome], treatment, weights, None, "HC0", what)
    y = numeric_column(prep.data, outcome, what, binary=True)
    t = prep.data[prep.treatment].to_numpy()
    m1, v1, n1 = _group_moments(y[t == 1], prep.weights[t == 1])
    m0, v0, n0 = _group_moments(y[t == 0], prep.weights[t == 0])
    a, b = v1 / n1, v0 / n0
    se = math.sqrt(a + b)
    df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n0 - 1))
    diff = m1 - m0
    tval = diff / se
    q = stats.t.ppf(1 - alpha / 2, df)
    needed = people_needed(m0, m1, power, alpha)
    table = pd.DataFrame(
        [
            {
                "estimate": diff,
                "ci_lower": diff - q * se,
                "ci_upper": diff + q * se,
                "p": float(2 * stats.t.sf(abs(tval), df)),
                "n": len(prep.data),
                "method": "Welch two-sample t-test of proportions (JDL style; ignores matched sets)",
                "se": se,
                "statistic": tval,
                "df": df,
            }
        ],
        index=pd.Index(["difference_in_proportions"], name="measure"),
    )
    groups = group_summary(prep, y, "proportion")
    groups["effective_n"] = [n0, n1]
    warnings = list(size_warnings(prep, float(y.sum()), f"outcome {outcome!r}"))
    detectable = bool(min(n0, n1) >= needed)
    if not detectable and math.isfinite(needed):
        warnings.append(
            f"a difference this size needs about {math.ceil(needed)} people per group to be detected "
            f"with {power:.0%} power; this comparison has {n1:.0f} and {n0:.0f} (effective)"
        )
    coefs = table[["estimate", "se", "statistic", "df", "p", "ci_lower", "ci_upper"]]
    return EffectResult(
        table=table,
        groups=groups,
        coefficients=coefs,
        variance="Welch t-test (unequal variances)",
        extra={"people_needed_per_group": needed, "detectable": detectable, "power": power, "alpha": alpha},
        warnings=tuple(warnings),
    )
