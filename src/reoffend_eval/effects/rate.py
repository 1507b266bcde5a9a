"""Rate ratio of counts with a log time-at-risk offset (negative binomial or Poisson)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._estimate import fit_and_test, group_summary, measure_row, size_warnings, variance_words
from ._source import numeric_column, prepare
from .result import EffectResult

_FAMILIES = {"negative_binomial": "MASS::glm.nb, log link", "poisson": "glm poisson, log link"}


def rate_ratio(
    source,
    count: str,
    exposure: str,
    treatment: str | None = None,
    weights: str | None = None,
    cluster: str | list[str] | None = None,
    *,
    family: str = "negative_binomial",
    covariates: str | None = None,
    variance: str | None = None,
) -> EffectResult:
    """Programme / comparison rate of ``count`` per unit of ``exposure`` (time at risk).

    R equivalent: ``MASS::glm.nb(count ~ treated + offset(log(exposure)), weights = weights)``
    (``family="negative_binomial"``, the default) or ``glm(..., family = poisson)``, with
    ``sandwich::vcovCL`` (HC0, cadjust) / ``vcovHC`` and z tests (``lmtest::coeftest``).
    The negative-binomial dispersion theta is estimated by maximum likelihood exactly as
    ``glm.nb`` does (alternating ``glm.fit`` and ``theta.ml``); it is reported in
    ``extra["theta"]`` (with ``extra["theta_se"]``) and, as in sandwich, held fixed in the
    robust variance. Exposure must be > 0 (people with no time at risk cannot be modelled:
    drop them first). ``groups`` gives weighted events, exposure and crude rates.

    ``source``: a match result (its ``.data`` carries ``weights`` and ``subclass``), a weight
    result, or a DataFrame; with a DataFrame, ``treatment`` names the 0/1 treatment column and
    ``weights`` and ``cluster`` the weight and cluster columns (a result supplies its own).
    ``count``: the event count column; ``exposure``: the time at risk (e.g. ``days_at_risk``).
    ``family``: ``"negative_binomial"`` (default) or ``"poisson"``.
    ``covariates``: extra terms (``"age_at_index + sex"``) for a conditional effect. ``variance``
    overrides the design's default: ``"cluster"``, ``"HC0"``, ``"HC1"``, ``"HC3"`` or ``"model"``.

    >>> rate_ratio(m, "reoffences", "days_at_risk").estimate   # e.g. 0.8: 20% fewer per day at risk
    """
    what = "rate_ratio"
    if family not in _FAMILIES:
        raise ValueError(f"{what}: family must be one of {list(_FAMILIES)}, not {family!r}")
    prep = prepare(source, [count, exposure], treatment, weights, cluster, variance, what)
    y = numeric_column(prep.data, count, what, nonnegative=True)
    t = numeric_column(prep.data, exposure, what, positive=True)
    groups = group_summary(prep, y, "rate", exposure=t)
    fit, coefs, notes = fit_and_test(
        prep, y, family=family, link="log", covariates=covariates, offset=np.log(t), what=what
    )
    method = f"{_FAMILIES[family]}, offset log({exposure}); {variance_words(prep, family)}; {prep.design}"
    row = measure_row(coefs, prep.treatment, exponentiate=True, n=len(prep.data), method=method)
    table = pd.DataFrame([row], index=pd.Index(["rate_ratio"], name="measure"))
    people_with_events = float((y > 0).sum())
    extra = {"theta": fit.theta, "theta_se": fit.theta_se} if family == "negative_binomial" else {}
    return EffectResult(
        table=table,
        groups=groups,
        coefficients=coefs,
        variance=variance_words(prep, family),
        extra=extra,
        warnings=size_warnings(prep, people_with_events, f"count {count!r} > 0") + notes,
    )
