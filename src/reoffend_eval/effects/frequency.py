"""Frequency (JDL: proven reoffences per person): difference in weighted means."""

from __future__ import annotations

import pandas as pd

from ._estimate import fit_and_test, group_summary, measure_row, size_warnings, variance_words
from ._source import numeric_column, prepare
from .result import EffectResult


def mean_difference(
    source,
    outcome: str,
    treatment: str | None = None,
    weights: str | None = None,
    cluster: str | list[str] | None = None,
    *,
    covariates: str | None = None,
    variance: str | None = None,
) -> EffectResult:
    """Programme minus comparison mean of ``outcome`` (e.g. proven reoffences per person).

    The treatment coefficient of ``lm(outcome ~ treated, weights = weights)`` with the design's
    robust variance and a t test on ``df.residual`` (R: ``lmtest::coeftest``/``coefci`` with
    ``sandwich::vcovCL`` or ``vcovHC``). Units: those of ``outcome`` per person.

    ``source``: a match result (its ``.data`` carries ``weights`` and ``subclass``), a weight
    result, or a DataFrame; with a DataFrame, ``treatment`` names the 0/1 treatment column and
    ``weights`` and ``cluster`` the weight and cluster columns (a result supplies its own).
    ``covariates``: extra terms (``"age_at_index + sex"``) for a conditional effect. ``variance``
    overrides the design's default: ``"cluster"``, ``"HC0"``, ``"HC1"``, ``"HC3"`` or ``"model"``.

    >>> mean_difference(m, "proven_reoffences").table
    """
    what = "mean_difference"
    prep = prepare(source, [outcome], treatment, weights, cluster, variance, what)
    y = numeric_column(prep.data, outcome, what)
    groups = group_summary(prep, y, "mean")
    fit, coefs, notes = fit_and_test(
        prep, y, family="gaussian", link="identity", covariates=covariates, offset=None, what=what
    )
    method = f"lm, identity; {variance_words(prep, 'gaussian')}; {prep.design}"
    row = measure_row(coefs, prep.treatment, exponentiate=False, n=len(prep.data), method=method)
    table = pd.DataFrame([row], index=pd.Index(["mean_difference"], name="measure"))
    return EffectResult(
        table=table,
        groups=groups,
        coefficients=coefs,
        variance=variance_words(prep, "gaussian"),
        warnings=size_warnings(prep) + notes,
    )
