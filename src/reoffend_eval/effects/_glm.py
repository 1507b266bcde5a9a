"""Weighted linear and generalised linear models, fitted as R's ``lm`` / ``glm.fit`` / ``MASS::glm.nb``.

Only what the effect estimators need: identity (gaussian), logit / log (binomial),
log (poisson, negative binomial), prior weights, an offset. The iterations follow
R's ``glm.fit`` step by step (same starting values, same convergence rule) and the
negative binomial follows ``MASS::glm.nb``'s alternation between the regression and
``theta.ml``, so that coefficients and theta agree with R to many digits rather than
only at the (flat) optimum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

_EPS = 1e-8  # glm.control()$epsilon
_MAXIT = 25  # glm.control()$maxit


@dataclass(frozen=True)
class GlmFit:
    """What the sandwich estimators need from a fitted model."""

    coef: np.ndarray
    X: np.ndarray
    y: np.ndarray
    weights: np.ndarray  # prior (case) weights
    mu: np.ndarray
    working_weights: np.ndarray  # w * mu_eta^2 / V(mu): R's weights(fit, "working")
    score_residuals: np.ndarray  # working residual * working weight: rows of estfun / X
    family: str
    link: str
    converged: bool
    iterations: int
    theta: float | None = None
    theta_se: float | None = None

    @property
    def n(self) -> int:
        return int(self.X.shape[0])

    @property
    def k(self) -> int:
        return int(self.X.shape[1])

    @property
    def df_residual(self) -> int:
        return self.n - self.k

    @property
    def unscaled_cov(self) -> np.ndarray:
        """(X' W X)^-1 with working weights: summary.glm's cov.unscaled."""
        xw = self.X * self.working_weights[:, None]
        return np.linalg.inv(self.X.T @ xw)

    @property
    def scores(self) -> np.ndarray:
        """sandwich::estfun: one row per observation."""
        return self.score_residuals[:, None] * self.X

    def hat_values(self) -> np.ndarray:
        """Diagonal of the weighted hat matrix (R's hatvalues)."""
        a = self.unscaled_cov
        return self.working_weights * np.einsum("ij,jk,ik->i", self.X, a, self.X)


# ---- links and variance functions -------------------------------------------------------------


def _linkinv(link: str, eta: np.ndarray) -> np.ndarray:
    if link == "identity":
        return eta
    if link == "log":
        return np.exp(eta)
    if link == "logit":
        return special.expit(eta)
    raise ValueError(f"unknown link {link!r}")


def _linkfun(link: str, mu: np.ndarray) -> np.ndarray:
    if link == "identity":
        return mu
    if link == "log":
        return np.log(mu)
    if link == "logit":
        return np.log(mu / (1 - mu))
    raise ValueError(f"unknown link {link!r}")


def _mu_eta(link: str, eta: np.ndarray) -> np.ndarray:
    if link == "identity":
        return np.ones_like(eta)
    if link == "log":
        return np.maximum(np.exp(eta), np.finfo(float).eps)
    if link == "logit":
        # binomial()$mu.eta: pmax(exp(eta) / (1 + exp(eta))^2, .Machine$double.eps)
        p = special.expit(eta)
        return np.maximum(p * (1 - p), np.finfo(float).eps)
    raise ValueError(f"unknown link {link!r}")


def _variance(family: str, mu: np.ndarray, theta: float | None) -> np.ndarray:
    if family == "gaussian":
        return np.ones_like(mu)
    if family == "binomial":
        return mu * (1 - mu)
    if family == "poisson":
        return mu
    if family == "negative_binomial":
        return mu + mu**2 / theta
    raise ValueError(f"unknown family {family!r}")


def _xlogy_ratio(y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """y * log(y / mu) with 0 at y == 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return special.xlogy(y, y / mu)


def _deviance(family: str, y, mu, w, theta) -> float:
    if family == "gaussian":
        return float(np.sum(w * (y - mu) ** 2))
    if family == "binomial":
        return float(np.sum(2 * w * (_xlogy_ratio(y, mu) + _xlogy_ratio(1 - y, 1 - mu))))
    if family == "poisson":
        return float(np.sum(2 * w * (_xlogy_ratio(y, mu) - (y - mu))))
    if family == "negative_binomial":
        return float(
            np.sum(2 * w * (y * np.log(np.maximum(1, y) / mu) - (y + theta) * np.log((y + theta) / (mu + theta))))
        )
    raise ValueError(f"unknown family {family!r}")


# ---- fitting ------------------------------------------------------------------------------


def _wls(X, z, w):
    """Weighted least squares by the normal equations (the design is small and well conditioned:
    an intercept, the 0/1 treatment and a few covariates), solved with a Cholesky factor."""
    xw = X * w[:, None]
    return np.linalg.solve(X.T @ xw, xw.T @ z)


def _irls(X, y, w, offset, family, link, eta, theta=None):
    """R's glm.fit loop from a starting linear predictor.

    Returns (coef, eta, converged, iterations, working weights of the last iteration). Like
    glm.fit, the working weights kept are those the last least-squares step used (computed
    at the previous iterate): they are what R's summary() and sandwich use.
    """
    mu = _linkinv(link, eta)
    ww = None
    dev_old = _deviance(family, y, mu, w, theta)
    coef = None
    converged = False
    it = 0
    for it in range(1, _MAXIT + 1):
        mu_eta = _mu_eta(link, eta)
        var = _variance(family, mu, theta)
        z = (eta - offset) + (y - mu) / mu_eta
        ww = w * mu_eta**2 / var
        coef = _wls(X, z, ww)
        eta = X @ coef + offset
        mu = _linkinv(link, eta)
        dev = _deviance(family, y, mu, w, theta)
        if abs(dev - dev_old) / (abs(dev) + 0.1) < _EPS:
            converged = True
            break
        dev_old = dev
    return coef, eta, converged, it, ww


def _start_eta(family, link, y, w):
    if family == "binomial":
        mustart = (w * y + 0.5) / (w + 1)
    elif family in ("poisson", "negative_binomial"):
        mustart = y + 0.1
    else:
        mustart = y.astype(float)
    return _linkfun(link, mustart)


def _finish(X, y, w, offset, family, link, coef, converged, it, working, theta=None, theta_se=None) -> GlmFit:
    eta = X @ coef + offset
    mu = _linkinv(link, eta)
    score_res = (y - mu) / _mu_eta(link, eta) * working
    return GlmFit(
        coef=coef,
        X=X,
        y=y,
        weights=w,
        mu=mu,
        working_weights=working,
        score_residuals=score_res,
        family=family,
        link=link,
        converged=converged,
        iterations=it,
        theta=theta,
        theta_se=theta_se,
    )


def fit_glm(X, y, weights, *, family: str, link: str, offset=None) -> GlmFit:
    """Fit by weighted least squares (gaussian) or IRLS as ``glm.fit``."""
    X = np.asarray(X, float)
    y = np.asarray(y, float)
    w = np.asarray(weights, float)
    offset = np.zeros_like(y) if offset is None else np.asarray(offset, float)
    if family == "gaussian":
        coef = _wls(X, y - offset, w)
        return _finish(X, y, w, offset, family, link, coef, True, 1, w)
    eta = _start_eta(family, link, y, w)
    coef, eta, converged, it, ww = _irls(X, y, w, offset, family, link, eta)
    return _finish(X, y, w, offset, family, link, coef, converged, it, ww)


def _theta_ml(y, mu, w, limit=_MAXIT):
    """MASS::theta.ml: Newton steps on the weighted NB score for theta."""
    n = w.sum()
    # digamma / trigamma of (theta + y) are needed only at the distinct counts (few): weight them
    values, inverse = np.unique(y, return_inverse=True)
    weight_of_value = np.bincount(inverse, weights=w, minlength=len(values))

    def score(th):
        return (
            np.dot(weight_of_value, special.digamma(th + values))
            - n * special.digamma(th)
            + n * (np.log(th) + 1)
            - np.sum(w * (np.log(th + mu) + (y + th) / (mu + th)))
        )

    def info(th):
        return (
            -np.dot(weight_of_value, special.polygamma(1, th + values))
            + n * special.polygamma(1, th)
            - n / th
            + np.sum(w * (2 / (mu + th) - (y + th) / (mu + th) ** 2))
        )

    t0 = n / np.sum(w * (y / mu - 1) ** 2)
    it, delta, i = 0, 1.0, np.nan
    eps = np.finfo(float).eps ** 0.25
    while True:
        it += 1
        if not (it < limit and abs(delta) > eps):
            break
        t0 = abs(t0)
        i = info(t0)
        delta = score(t0) / i
        t0 = t0 + delta
    warn = None
    if t0 < 0:
        t0, warn = 0.0, "theta estimate truncated at zero"
    if it == limit:
        warn = "theta iteration limit reached"
    return float(t0), float(np.sqrt(1 / i)), warn


def _nb_loglik(th, mu, y, w):
    return float(
        np.sum(
            w
            * (
                special.gammaln(th + y)
                - special.gammaln(th)
                - special.gammaln(y + 1)
                + th * np.log(th)
                + y * np.log(mu + (y == 0))
                - (th + y) * np.log(th + mu)
            )
        )
    )


def fit_negative_binomial(X, y, weights, offset=None) -> tuple[GlmFit, tuple[str, ...]]:
    """MASS::glm.nb (log link): Poisson start, then alternate glm.fit and theta.ml as glm.nb does."""
    X = np.asarray(X, float)
    y = np.asarray(y, float)
    w = np.asarray(weights, float)
    offset = np.zeros_like(y) if offset is None else np.asarray(offset, float)
    notes: list[str] = []
    eta = _start_eta("poisson", "log", y, w)
    coef, eta, converged, it, ww = _irls(X, y, w, offset, "poisson", "log", eta)
    mu = np.exp(eta)
    th, th_se, warn = _theta_ml(y, mu, w)
    d1 = np.sqrt(2 * max(1, X.shape[0] - X.shape[1]))
    d2 = delta = 1.0
    lm = _nb_loglik(th, mu, y, w)
    lm0 = lm + 2 * d1
    outer = 0
    while True:
        outer += 1
        if not (outer <= _MAXIT and (abs(lm0 - lm) / d1 + abs(delta) / d2) > _EPS):
            break
        coef, eta_new, converged, it, ww = _irls(X, y, w, offset, "negative_binomial", "log", np.log(mu), theta=th)
        t0 = th
        # glm.nb estimates theta at the previous fitted values, then updates them
        th, th_se, warn = _theta_ml(y, mu, w)
        mu = np.exp(eta_new)
        delta = t0 - th
        lm0 = lm
        lm = _nb_loglik(th, mu, y, w)
    if outer > _MAXIT:
        notes.append("negative binomial: alternation limit reached (glm.nb would warn too)")
        converged = False
    if warn:
        notes.append(f"negative binomial: {warn}")
    return _finish(
        X, y, w, offset, "negative_binomial", "log", coef, converged, it, ww, theta=th, theta_se=th_se
    ), tuple(notes)
