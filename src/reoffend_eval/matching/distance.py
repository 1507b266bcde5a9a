"""Distances used for matching: the logistic propensity score and the Mahalanobis transform.

``logistic_propensity`` fits a logistic regression exactly as R's ``glm(family = binomial)``
(``glm.fit``: same starting values, IRLS steps, convergence rule ``|dev - dev_old| / (|dev| + 0.1) < 1e-8``
and at most 25 iterations), so the scores MatchIt stores in ``m$distance`` are reproduced to rounding
(1e-14 on the reference cohort).
It is a hand-written IRLS in numpy rather than statsmodels' GLM because it follows R's iterates and stops
at the same iteration (so coefficients agree far beyond statsmodels' own convergence tolerance) and is
much faster on millions of rows: each step solves the normal equations of centred, scaled columns (well
conditioned, so as accurate as R's QR here) accumulated in cache-sized row blocks.

``mahalanobis_transform`` returns covariates rotated so that Euclidean distance between rows equals
the Mahalanobis distance with MatchIt's covariance: the pooled within-group covariance of the
(standardised) covariates, as ``MatchIt:::transform_covariates(method = "mahalanobis")``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

_EPS = np.finfo(float).eps
_BLOCK = 65_536
_THRESH = 30.0  # R's binomial link clamps eta at +-30 (family.c: THRESH, MTHRESH)


@dataclass(frozen=True)
class PropensityFit:
    """A fitted logistic propensity model: ``coef`` (named like R's ``coef(glm)``) and ``score`` per row."""

    coef: pd.Series
    score: np.ndarray
    iterations: int
    converged: bool
    deviance: float


def _inv_logit(eta: np.ndarray) -> np.ndarray:
    # same arithmetic as R's C logit_linkinv: exp(eta) / (1 + exp(eta)), with eta clamped at +-30
    tmp = np.exp(eta)
    extreme = np.abs(eta) > _THRESH
    if extreme.any():
        tmp[extreme] = np.where(eta[extreme] < 0, _EPS, 1.0 / _EPS)
    return tmp / (1.0 + tmp)


def _mu_eta(eta: np.ndarray) -> np.ndarray:
    e = np.exp(eta)
    out = e / ((1.0 + e) * (1.0 + e))
    extreme = np.abs(eta) > _THRESH
    if extreme.any():
        out[extreme] = _EPS
    return out


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    with np.errstate(divide="ignore"):
        return float(-2.0 * np.sum(np.log(np.where(y == 1, mu, 1.0 - mu))))


def _linear_predictor(x: np.ndarray, beta: np.ndarray) -> np.ndarray:
    # accumulate column by column, as R's reference BLAS dgemv does, so rows with identical
    # covariates get bit-identical scores (exact ties must stay exact ties)
    eta = np.zeros(x.shape[0])
    term = np.empty(x.shape[0])
    for j in range(x.shape[1]):
        np.multiply(x[:, j], beta[j], out=term)
        eta += term
    return eta


def _irls(
    xs: np.ndarray, y: np.ndarray, eta: np.ndarray, mu: np.ndarray, max_iter: int, epsilon: float, names
) -> tuple[np.ndarray, int, bool]:
    """glm.fit's IRLS loop on the standardised columns; returns the coefficients, iterations, convergence."""
    dev_old = _deviance(y, mu)
    k = xs.shape[1]
    gamma = np.zeros(xs.shape[1])
    for iterations in range(1, max_iter + 1):
        mu_eta = _mu_eta(eta)
        variance = mu * (1.0 - mu)
        z = eta + (y - mu) / mu_eta
        w = np.sqrt(mu_eta * mu_eta / variance)
        zw = z * w
        gram = np.zeros((k, k))
        rhs = np.zeros(k)
        # weighted cross-products in row blocks that stay in cache: less memory traffic on millions of rows
        for start in range(0, len(y), _BLOCK):
            block = xs[start : start + _BLOCK] * w[start : start + _BLOCK, None]
            gram += block.T @ block
            rhs += block.T @ zw[start : start + _BLOCK]
        try:
            factor = np.linalg.cholesky(gram)
        except np.linalg.LinAlgError:
            factor = None
        if factor is None or np.min(np.diag(factor)) < 1e-7 * np.max(np.diag(factor)):
            raise ValueError(
                f"propensity model: the covariates ({', '.join(names)}) are collinear or a level has no "
                "variation; drop or merge the offending term"
            )
        gamma = np.linalg.solve(factor.T, np.linalg.solve(factor, rhs))
        eta = xs @ gamma
        mu = _inv_logit(eta)
        dev = _deviance(y, mu)
        if abs(dev - dev_old) / (abs(dev) + 0.1) < epsilon:
            return gamma, iterations, True
        dev_old = dev
    return gamma, max_iter, False


def logistic_propensity(
    design: pd.DataFrame, treated: np.ndarray, *, max_iter: int = 25, epsilon: float = 1e-8
) -> PropensityFit:
    """Fit ``treated ~ design`` by logistic regression as R's ``glm.fit`` does.

    ``design`` must hold the intercept column (``design_matrix(..., intercept=True)``). Raises ``ValueError``
    naming the covariates when they are collinear.
    Returns coefficients and fitted probabilities (the propensity score, as MatchIt's ``distance``).

    >>> X = pd.DataFrame({"(Intercept)": 1.0, "age": [20, 30, 40, 50.0]})
    >>> fit = logistic_propensity(X, np.array([1, 0, 1, 0]))
    >>> fit.score.shape
    (4,)
    """
    x = np.asfortranarray(design.to_numpy(dtype=float))  # column-major: every column op is contiguous
    y = np.asarray(treated, dtype=float)
    # Each IRLS step is solved on centred and scaled columns (a reparametrisation when there is an
    # intercept), where the normal equations are well conditioned: as accurate as R's QR here and ~10x
    # faster on millions of rows. The reported scores use the original columns.
    first = x[0]
    constant = np.array([np.all(x[:, j] == first[j]) for j in range(x.shape[1])])
    has_intercept = bool(np.any(constant & (first != 0)))
    centre = np.array([0.0 if constant[j] or not has_intercept else x[:, j].mean() for j in range(x.shape[1])])
    scale = np.array([1.0 if constant[j] else x[:, j].std() for j in range(x.shape[1])])
    xs = np.asfortranarray((x - centre) / scale)
    intercept = int(np.flatnonzero(constant & (first != 0))[0]) if has_intercept else None

    def original_scale(gamma: np.ndarray) -> np.ndarray:
        beta = gamma / scale
        if intercept is not None:
            beta[intercept] = (gamma[intercept] - np.sum(beta * centre)) / first[intercept]
        return beta

    mu = (y + 0.5) / 2.0  # glm.fit's mustart for binomial
    eta = np.log(mu / (1.0 - mu))
    gamma, iterations, converged = _irls(xs, y, eta, mu, max_iter, epsilon, design.columns)
    beta = original_scale(gamma)
    # the reported scores use X @ beta accumulated as R does, so identical rows get identical scores
    mu = _inv_logit(_linear_predictor(x, beta))
    dev = _deviance(y, mu)
    return PropensityFit(
        coef=pd.Series(beta, index=list(design.columns), name="coef"),
        score=mu,
        iterations=iterations,
        converged=converged,
        deviance=dev,
    )


def pooled_within_covariance(x: np.ndarray, treated: np.ndarray) -> np.ndarray:
    """Pooled within-group covariance: each group centred on its own mean, cross-products summed, / (n - 2)."""
    centred = x.copy()
    for group in (True, False):
        rows = treated == group
        centred[rows] -= x[rows].mean(axis=0)
    return centred.T @ centred / (x.shape[0] - 2)


def _pivoted_cholesky(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Upper ``U``, pivot ``perm`` with ``U.T @ U == a[perm][:, perm]``: R's ``chol(pivot = TRUE)`` (LAPACK dpstrf)."""
    n = a.shape[0]
    perm = np.arange(n)
    upper = np.zeros((n, n))
    for j in range(n):
        remaining = np.array([a[perm[i], perm[i]] - np.sum(upper[:j, i] ** 2) for i in range(j, n)])
        q = j + int(np.argmax(remaining))
        if remaining[q - j] <= 0:
            break
        perm[[j, q]] = perm[[q, j]]
        upper[:j, [j, q]] = upper[:j, [q, j]]
        upper[j, j] = np.sqrt(a[perm[j], perm[j]] - np.sum(upper[:j, j] ** 2))
        for i in range(j + 1, n):
            upper[j, i] = (a[perm[j], perm[i]] - np.sum(upper[:j, j] * upper[:j, i])) / upper[j, j]
    return upper, perm


def mahalanobis_transform(x: np.ndarray, treated: np.ndarray, eligible: np.ndarray | None = None) -> np.ndarray:
    """Rows rotated so Euclidean distance = Mahalanobis distance (pooled within-group covariance).

    As ``MatchIt:::transform_covariates(method = "mahalanobis")``: the columns are standardised over all rows
    (``scale``), the pooled within-group covariance ``S`` of the eligible rows is inverted and the rows are
    multiplied by the transposed, un-pivoted pivoted Cholesky factor of ``S^-1`` (``mahalanobize``). The
    exact rotation matters only for breaking exact ties the way MatchIt does (its scan order follows the
    first transformed column). Columns with no variation are dropped, as MatchIt does.
    """
    x = np.asarray(x, dtype=float)
    eligible = np.ones(len(x), dtype=bool) if eligible is None else eligible
    spread = x.max(axis=0) - x.min(axis=0)
    x = x[:, spread >= np.sqrt(_EPS)]
    if x.shape[1] == 0:
        raise ValueError("mahalanobis distance: every covariate is constant; nothing to match on")
    # R's scale(): colMeans and sum(v^2) accumulate in long double; then (x - mean) / sd in double
    centre = (x.astype(np.longdouble).sum(axis=0) / x.shape[0]).astype(float)
    centred = x - centre
    sd = np.sqrt((centred**2).astype(np.longdouble).sum(axis=0).astype(float) / (x.shape[0] - 1))
    scaled = centred / sd
    cov = pooled_within_covariance(scaled[eligible], treated[eligible])
    if np.linalg.det(cov) > 1e-8:
        inverse = np.linalg.inv(cov)
    else:
        inverse = np.linalg.pinv(cov)
    upper, perm = _pivoted_cholesky(inverse)
    unpivoted = np.zeros_like(upper)
    unpivoted[:, perm] = upper
    out = np.zeros_like(scaled)
    for k in range(out.shape[1]):  # accumulate in R's (reference BLAS) order: exact ties stay exact
        for j in range(scaled.shape[1]):
            out[:, k] = out[:, k] + scaled[:, j] * unpivoted[k, j]
    return out
