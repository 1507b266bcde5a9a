"""Binary outcome (e.g. JDL's "reoffended within a year"): risk difference, risk ratio, odds ratio.

Each is the treatment coefficient of a weighted outcome model, R's way:

| measure | R model | test / CI |
| --- | --- | --- |
| risk difference | ``lm(y ~ treated, weights = weights)`` | t with ``df.residual`` (``coeftest``/``coefci``) |
| risk ratio | ``glm(y ~ treated, family = binomial(link = "log"), weights = weights)``, exp(coef) | z |
| odds ratio | ``glm(y ~ treated, family = binomial, weights = weights)``, exp(coef) | z |

with the variance the design implies (see ``_source``). With ``covariates`` the model adds them
(``y ~ treated + age + ...``) and the estimate is the conditional effect of treatment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._estimate import fit_and_test, group_summary, measure_row, size_warnings, variance_words
from ._source import numeric_column, prepare
from .result import EffectResult

_MODELS = {
    "risk_difference": ("gaussian", "identity", False, "lm, identity"),
    "risk_ratio": ("binomial", "log", True, "glm binomial, log link"),
    "odds_ratio": ("binomial", "logit", True, "glm binomial, logit link"),
}


def binary_effects(
    source,
    outcome: str,
    treatment: str | None = None,
    weights: str | None = None,
    cluster: str | list[str] | None = None,
    *,
    measures=("risk_difference", "risk_ratio", "odds_ratio"),
    covariates: str | None = None,
    variance: str | None = None,
) -> EffectResult:
    """Risk difference, risk ratio and odds ratio of programme (1) vs comparison (0) for a 0/1 outcome.

    ``source`` is a match result (``.data`` with ``weights``/``subclass``), a weight result, or a
    DataFrame with ``treatment=``, ``weights=`` and ``cluster=`` column names. ``variance``
    overrides the design's default: ``"cluster"``, ``"HC0"``, ``"HC1"``, ``"HC3"`` or ``"model"``.
    Returns an ``EffectResult`` whose ``.table`` has one row per measure (risk difference in
    proportion points, ratios on their natural scale). Matches R's ``lm``/``glm`` with
    ``sandwich::vcovCL``/``vcovHC`` and ``lmtest::coeftest``/``coefci``.

    ``outcome``: the 0/1 outcome column. ``measures``: any of ``"risk_difference"``, ``"risk_ratio"``,
    ``"odds_ratio"`` (default all three). ``covariates``: extra terms (``"age_at_index + sex"``) for a
    conditional effect.

    >>> r = binary_effects(m, "reoffended")          # m = rev.match(...)
    >>> r.table.loc["risk_difference", ["estimate", "ci_lower", "ci_upper", "p"]]
    """
    what = "binary_effects"
    unknown = [m for m in measures if m not in _MODELS]
    if unknown:
        raise ValueError(f"{what}: unknown measure(s) {unknown}; choose from {list(_MODELS)}")
    prep = prepare(source, [outcome], treatment, weights, cluster, variance, what)
    y = numeric_column(prep.data, outcome, what, binary=True)
    groups = group_summary(prep, y, "proportion")
    warnings = list(size_warnings(prep, float(y.sum()), f"outcome {outcome!r}"))
    rows, coefficients = {}, {}
    for measure in measures:
        family, link, expo, model = _MODELS[measure]
        if expo and ((groups["proportion"] <= 0) | (groups["proportion"] >= 1)).any():
            warnings.append(f"{measure}: a group has no events or only events; the ratio is not estimable")
            rows[measure] = {
                "estimate": np.nan,
                "ci_lower": np.nan,
                "ci_upper": np.nan,
                "p": np.nan,
                "n": len(prep.data),
                "method": model,
                "se": np.nan,
                "statistic": np.nan,
                "df": np.nan,
            }
            continue
        fit, coefs, notes = fit_and_test(
            prep, y, family=family, link=link, covariates=covariates, offset=None, what=f"{what} ({measure})"
        )
        warnings.extend(notes)
        method = f"{model}; {variance_words(prep, family)}; {prep.design}"
        rows[measure] = measure_row(coefs, prep.treatment, exponentiate=expo, n=len(prep.data), method=method)
        coefficients[measure] = coefs
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "measure"
    coef_table = pd.concat(coefficients, names=["measure"]) if coefficients else pd.DataFrame()
    return EffectResult(
        table=table,
        groups=groups,
        coefficients=coef_table,
        variance=variance_words(prep, "gaussian" if "risk_difference" in measures else "binomial"),
        warnings=tuple(dict.fromkeys(warnings)),
    )


def risk_difference(
    source,
    outcome: str,
    treatment: str | None = None,
    weights: str | None = None,
    cluster: str | list[str] | None = None,
    *,
    covariates: str | None = None,
    variance: str | None = None,
) -> EffectResult:
    """Programme minus comparison proportion with the outcome (proportion points), as ``binary_effects``.

    ``source``: a match result (its ``.data`` carries ``weights`` and ``subclass``), a weight
    result, or a DataFrame; with a DataFrame, ``treatment`` names the 0/1 treatment column and
    ``weights`` and ``cluster`` the weight and cluster columns (a result supplies its own).
    ``outcome``: the 0/1 outcome column.
    ``covariates``: extra terms (``"age_at_index + sex"``) for a conditional effect. ``variance``
    overrides the design's default: ``"cluster"``, ``"HC0"``, ``"HC1"``, ``"HC3"`` or ``"model"``.

    >>> risk_difference(m, "reoffended").estimate     # e.g. -0.073: 7.3 points fewer reoffend
    """
    return binary_effects(
        source,
        outcome,
        treatment,
        weights,
        cluster,
        measures=("risk_difference",),
        covariates=covariates,
        variance=variance,
    )


def risk_ratio(
    source,
    outcome: str,
    treatment: str | None = None,
    weights: str | None = None,
    cluster: str | list[str] | None = None,
    *,
    covariates: str | None = None,
    variance: str | None = None,
) -> EffectResult:
    """Programme / comparison proportion (log-binomial glm), as ``binary_effects``.

    ``source``: a match result (its ``.data`` carries ``weights`` and ``subclass``), a weight
    result, or a DataFrame; with a DataFrame, ``treatment`` names the 0/1 treatment column and
    ``weights`` and ``cluster`` the weight and cluster columns (a result supplies its own).
    ``outcome``: the 0/1 outcome column.
    ``covariates``: extra terms (``"age_at_index + sex"``) for a conditional effect. ``variance``
    overrides the design's default: ``"cluster"``, ``"HC0"``, ``"HC1"``, ``"HC3"`` or ``"model"``.

    >>> risk_ratio(m, "reoffended").estimate        # e.g. 0.75: a quarter fewer reoffend
    """
    return binary_effects(
        source, outcome, treatment, weights, cluster, measures=("risk_ratio",), covariates=covariates, variance=variance
    )


def odds_ratio(
    source,
    outcome: str,
    treatment: str | None = None,
    weights: str | None = None,
    cluster: str | list[str] | None = None,
    *,
    covariates: str | None = None,
    variance: str | None = None,
) -> EffectResult:
    """Odds ratio, programme vs comparison (logistic glm), as ``binary_effects``.

    ``source``: a match result (its ``.data`` carries ``weights`` and ``subclass``), a weight
    result, or a DataFrame; with a DataFrame, ``treatment`` names the 0/1 treatment column and
    ``weights`` and ``cluster`` the weight and cluster columns (a result supplies its own).
    ``outcome``: the 0/1 outcome column.
    ``covariates``: extra terms (``"age_at_index + sex"``) for a conditional effect. ``variance``
    overrides the design's default: ``"cluster"``, ``"HC0"``, ``"HC1"``, ``"HC3"`` or ``"model"``.

    >>> odds_ratio(m, "reoffended").table[["estimate", "ci_lower", "ci_upper", "p"]]
    """
    return binary_effects(
        source, outcome, treatment, weights, cluster, measures=("odds_ratio",), covariates=covariates, variance=variance
    )
