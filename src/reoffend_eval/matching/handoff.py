"""Hand-offs: a matched or weighted comparison's data ready for lifelines and statsmodels.

The library's own estimators are written for parity with R (MatchIt, survival, sandwich) and
stay the reference. An analyst who wants to continue in lifelines or statsmodels gets the
matched rows in one call, with the weights and the cluster columns named, so nothing about
the design is lost on the way (a naive, unweighted, unclustered refit is the usual mistake).

- weights: the matching or inverse-probability weights (``weights`` of ``match.data``).
- cluster: the matched set (``subclass``) when matching without replacement, as MatchIt's
  guidance and our estimators cluster; otherwise each person is their own cluster
  (``unit``: robust errors), since a comparison person matched more than once must not be
  treated as independent copies.

Neither library is imported until a ``fit`` method is called: both are optional
(``pip install "reoffend-eval[handoff]"``).

>>> h = m.to_lifelines("days_to_first_reoffence", "reoffended")     # doctest: +SKIP
>>> h.cox().summary                      # lifelines CoxPHFitter, weighted, clustered by matched set
>>> s = m.to_statsmodels("reoffended")                                # doctest: +SKIP
>>> s.glm("binomial").summary()          # statsmodels GLM, var_weights, cluster-robust errors
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

INSTALL = 'pip install "reoffend-eval[handoff]"'


def _require(module: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"{module.split('.')[0]} is needed for this hand-off: {INSTALL}") from None


def _design_columns(result) -> tuple[pd.DataFrame, str]:
    """The result's rows with positive weight, and the name of the cluster column added to them."""
    data = result.data
    data = data[data["weights"] > 0]
    subclass = data["subclass"] if "subclass" in data.columns else None
    if subclass is not None and subclass.notna().all() and not getattr(result, "replace", False):
        return data.assign(subclass=pd.factorize(subclass)[0].astype(int)), "subclass"
    person = data["person_id"] if "person_id" in data.columns else pd.Series(data.index, index=data.index)
    return data.assign(unit=pd.factorize(person)[0].astype(int)), "unit"


def _select(result, needed: Sequence[str], where: str) -> tuple[pd.DataFrame, str, tuple[str, ...]]:
    data, cluster = _design_columns(result)
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise KeyError(
            f"{where}: column(s) {', '.join(map(repr, missing))} are not in the matched data "
            f"(columns: {', '.join(map(str, data.columns))})"
        )
    columns = list(dict.fromkeys([*needed, result.treatment, "weights", cluster]))
    frame = data[columns]
    complete = frame.notna().all(axis=1)
    notes: tuple[str, ...] = ()
    if not complete.all():
        notes = (f"{where}: {int((~complete).sum())} row(s) with a missing value in {', '.join(needed)} left out",)
    frame = frame[complete].reset_index(drop=True)
    return frame.astype({result.treatment: int}), cluster, notes


@dataclass(frozen=True)
class LifelinesHandoff:
    """Matched rows for lifelines: ``data`` has duration, event (0/1), treatment, covariates, weights, cluster.

    ``fit_kwargs`` are the column names lifelines' fitters take; :meth:`cox` and
    :meth:`kaplan_meier` fit with them.
    """

    data: pd.DataFrame
    duration_col: str
    event_col: str
    treatment: str
    weights_col: str = "weights"
    cluster_col: str = "subclass"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def fit_kwargs(self) -> dict[str, Any]:
        """``CoxPHFitter().fit(h.data, **h.fit_kwargs)``: weights, cluster and robust errors named."""
        return {
            "duration_col": self.duration_col,
            "event_col": self.event_col,
            "weights_col": self.weights_col,
            "cluster_col": self.cluster_col,
            "robust": True,
        }

    def cox(self, formula: str | None = None, **kwargs: Any):
        """A fitted lifelines ``CoxPHFitter`` (Efron ties) on ``formula`` (default: the treatment alone)."""
        lifelines = _require("lifelines")
        fitter = lifelines.CoxPHFitter(**kwargs)
        return fitter.fit(self.data, formula=formula or self.treatment, **self.fit_kwargs)

    def kaplan_meier(self) -> dict[int, Any]:
        """A weighted lifelines ``KaplanMeierFitter`` per group ({1: programme, 0: comparison})."""
        lifelines = _require("lifelines")
        out = {}
        for code, label in ((1, "programme"), (0, "comparison")):
            part = self.data[self.data[self.treatment] == code]
            out[code] = lifelines.KaplanMeierFitter().fit(
                part[self.duration_col], part[self.event_col], weights=part[self.weights_col], label=label
            )
        return out


_FAMILIES = {
    "binomial": "Binomial",
    "poisson": "Poisson",
    "gaussian": "Gaussian",
    "negative_binomial": "NegativeBinomial",
}
_LINKS = {"logit": "Logit", "log": "Log", "identity": "Identity"}


@dataclass(frozen=True)
class StatsmodelsHandoff:
    """Matched rows for statsmodels' formula API: ``formula``, ``data``, the weights and cluster columns named.

    :meth:`glm` fits ``smf.glm(formula, data, family, var_weights=weights, offset=log(exposure))``
    with cluster-robust errors by ``cluster_col`` (R's ``glm(weights = )`` prior weights are
    statsmodels' ``var_weights``). The point estimates agree with ours; statsmodels warns that
    cluster-robust errors are not fully supported with ``var_weights``, so for intervals use
    ``rev.effects`` (R's ``sandwich::vcovCL``).
    """

    data: pd.DataFrame
    formula: str
    outcome: str
    treatment: str
    exposure_col: str | None = None
    weights_col: str = "weights"
    cluster_col: str = "subclass"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def glm(self, family: str = "binomial", link: str | None = None, *, alpha: float = 1.0, formula: str | None = None):
        """A fitted statsmodels GLM (results object), cluster-robust by ``cluster_col``.

        ``family``: binomial (logit link unless ``link="log"`` for a risk ratio), poisson,
        gaussian or negative_binomial (with dispersion ``alpha`` fixed: statsmodels' GLM does
        not estimate it; ``alpha = 1 / theta`` of ``rate_ratio(...).extra["theta"]``).
        """
        sm = _require("statsmodels.api")
        smf = _require("statsmodels.formula.api")
        if family not in _FAMILIES:
            raise ValueError(f"family must be one of {', '.join(_FAMILIES)}, not {family!r}")
        if link is not None and link not in _LINKS:
            raise ValueError(f"link must be one of {', '.join(_LINKS)}, not {link!r}")
        options = {"link": getattr(sm.families.links, _LINKS[link])()} if link else {}
        if family == "negative_binomial":
            options["alpha"] = alpha
        fam = getattr(sm.families, _FAMILIES[family])(**options)
        offset = np.log(self.data[self.exposure_col].to_numpy(float)) if self.exposure_col else None
        model = smf.glm(
            formula or self.formula,
            self.data,
            family=fam,
            var_weights=self.data[self.weights_col].to_numpy(float),
            offset=offset,
        )
        return model.fit(cov_type="cluster", cov_kwds={"groups": self.data[self.cluster_col].to_numpy()})


def to_lifelines(result, duration: str, event: str, covariates: Sequence[str] = ()) -> LifelinesHandoff:
    """A match or weight result's rows ready for lifelines fitters (see :class:`LifelinesHandoff`).

    ``result`` is a :class:`MatchResult` or :class:`WeightResult`; ``duration`` and ``event`` name the
    time-to-event columns (days, 0/1); ``covariates`` are carried along for adjusted models. The weights and
    the cluster column (matched set, or the person with replacement) are named in ``fit_kwargs``.

    >>> h = to_lifelines(m, "days_to_first_reoffence", "reoffended")   # doctest: +SKIP
    >>> CoxPHFitter().fit(h.data, formula="treated", **h.fit_kwargs)   # doctest: +SKIP
    """
    frame, cluster, notes = _select(result, [duration, event, *covariates], "to_lifelines")
    frame = frame.astype({event: int, duration: float})
    return LifelinesHandoff(frame, duration, event, result.treatment, cluster_col=cluster, notes=notes)


def to_statsmodels(
    result, outcome: str, covariates: Sequence[str] = (), exposure: str | None = None
) -> StatsmodelsHandoff:
    """A match or weight result's rows ready for statsmodels' formula API (see :class:`StatsmodelsHandoff`).

    ``result`` is a :class:`MatchResult` or :class:`WeightResult`; ``outcome`` the column modelled;
    ``covariates`` are added to the formula, which is ``outcome ~ treatment (+ covariates)``; ``exposure``
    (time at risk) becomes the offset of a rate model.

    >>> s = to_statsmodels(m, "reoffences", exposure="days_at_risk")   # doctest: +SKIP
    >>> s.glm("poisson").params                                        # doctest: +SKIP
    """
    needed = [outcome, *covariates] + ([exposure] if exposure else [])
    frame, cluster, notes = _select(result, needed, "to_statsmodels")
    frame = frame.astype({outcome: float})
    formula = " + ".join([f"{outcome} ~ {result.treatment}", *covariates])
    return StatsmodelsHandoff(frame, formula, outcome, result.treatment, exposure, cluster_col=cluster, notes=notes)
