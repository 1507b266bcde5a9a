"""Sandwich variances as R's ``sandwich`` package computes them (version 3.0-2).

* ``cluster``: ``vcovCL(fit, cluster = ~ a [+ b])`` with its defaults ``cadjust = TRUE``
  (G / (G - 1) per clustering) and ``type = "HC1"`` for ``lm`` ((n - 1) / (n - k)),
  ``type = "HC0"`` for ``glm`` / ``glm.nb``; several columns give multiway clustering
  (inclusion-exclusion over the intersections, as vcovCL).
* ``HC0`` / ``HC1`` / ``HC3``: ``vcovHC(fit, type = ...)``.
* ``model``: ``vcov(fit)`` (the naive one; for comparison only).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from ._glm import GlmFit


def _cluster_codes(columns: list[np.ndarray]) -> np.ndarray:
    """One integer code per distinct combination of the given cluster columns."""
    codes = pd.factorize(columns[0])[0].astype(np.int64)
    for column in columns[1:]:
        nxt, uniques = pd.factorize(column)
        codes = pd.factorize(codes * len(uniques) + nxt)[0].astype(np.int64)
    return codes


def cluster_vcov(fit: GlmFit, clusters: list[np.ndarray], type: str | None = None) -> np.ndarray:
    """sandwich::vcovCL, HC0/HC1 types, any number of cluster variables."""
    if type is None:
        type = "HC1" if fit.family == "gaussian" else "HC0"
    ef = fit.scores
    n, k = ef.shape
    meat = np.zeros((k, k))
    p = len(clusters)
    for size in range(1, p + 1):
        sign = (-1) ** (size + 1)
        for combo in combinations(range(p), size):
            codes = _cluster_codes([clusters[i] for i in combo])
            g = int(codes.max()) + 1
            if g < 2:
                raise ValueError("a cluster-robust variance needs at least two clusters (matched sets); there is one")
            summed = np.zeros((g, k))
            np.add.at(summed, codes, ef)
            meat += sign * g / (g - 1) * (summed.T @ summed)
    if type == "HC1":
        meat *= (n - 1) / (n - k)
    elif type != "HC0":
        raise ValueError(f"cluster variance type must be 'HC0' or 'HC1', not {type!r}")
    bread = _bread(fit)
    return bread @ meat @ bread


def _bread(fit: GlmFit) -> np.ndarray:
    """(X'WX)^-1, times the dispersion for gaussian (lm) fits as sandwich's bread/estfun pair implies."""
    return fit.unscaled_cov


def hc_vcov(fit: GlmFit, type: str = "HC3") -> np.ndarray:
    """sandwich::vcovHC (HC0, HC1, HC3)."""
    res = fit.score_residuals
    n, k = fit.X.shape
    if type == "HC0":
        omega = res**2
    elif type == "HC1":
        omega = res**2 * n / (n - k)
    elif type == "HC3":
        h = fit.hat_values()
        omega = res**2 / (1 - h) ** 2
    else:
        raise ValueError(f"variance type must be one of 'HC0', 'HC1', 'HC3', not {type!r}")
    meat = (fit.X * omega[:, None]).T @ fit.X
    bread = _bread(fit)
    return bread @ meat @ bread


def model_vcov(fit: GlmFit) -> np.ndarray:
    """stats::vcov: sigma^2 (X'WX)^-1 for lm; (X'WX)^-1 for binomial, poisson, negative binomial."""
    if fit.family == "gaussian":
        sigma2 = np.sum(fit.weights * (fit.y - fit.mu) ** 2) / fit.df_residual
        return sigma2 * fit.unscaled_cov
    return fit.unscaled_cov
