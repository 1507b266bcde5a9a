"""Cox proportional-hazards model as R survival's ``coxph``.

>>> import reoffend_eval as rev
>>> fit = rev.survival.cox(people, "treated + age + prior_offences", "days_to_first_reoffence",
...                        "reoffended", weights="weight", cluster="subclass")
>>> fit.summary.loc["treated", ["hr", "ci_lower", "ci_upper", "p"]]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import formulaic
import numpy as np
import pandas as pd
from scipy import stats

from .. import _formula
from . import _cox_engine as engine
from ._concordance import concordance as _concordance
from ._inputs import codes, event_indicator, few_events_warning, html_table, numeric, require_frame, strata_codes
from .ph_test import zph_table

Z975 = stats.norm.ppf(0.975)


@dataclass(frozen=True)
class CoxResult:
    """A fitted Cox model.

    ``summary`` (indexed by term): coef, hr, se (model-based), robust_se (NaN when not
    robust), z, p, ci_lower, ci_upper (95% CI of the HR). z, p and the CI use the
    robust SE when the fit is robust, as R's ``summary(coxph(...))`` does.
    """

    summary: pd.DataFrame
    loglik: float
    loglik_null: float
    concordance: float
    concordance_se: float
    n: int
    n_events: float
    vcov: pd.DataFrame  # robust when robust, else model-based
    vcov_naive: pd.DataFrame
    robust: bool
    ties: str
    iterations: int
    converged: bool
    strata: tuple[str, ...] = ()
    cluster: str | None = None
    warnings: tuple[str, ...] = ()
    concordance_counts: pd.Series = field(default=None, repr=False)
    # the fit's internals, always given by cox(); keyword-only so they can follow the defaulted fields
    _data: engine.CoxData = field(repr=False, kw_only=True)
    _fit: engine.EngineFit = field(repr=False, kw_only=True)
    _terms: dict = field(repr=False, kw_only=True)

    @property
    def lr_test(self) -> pd.Series:
        """Likelihood-ratio test against the null model: chisq, df, p."""
        chisq = 2 * (self.loglik - self.loglik_null)
        df = len(self.summary)
        return pd.Series({"chisq": chisq, "df": df, "p": stats.chi2.sf(chisq, df)})

    def ph_test(self, transform: str = "km") -> pd.DataFrame:
        """Proportional-hazards test as R's ``cox.zph(fit, transform, terms = TRUE, global = TRUE)$table``.

        Index: each term, then GLOBAL; columns chisq, df, p. ``transform``: "km" (default),
        "identity", "rank" or "log". p < 0.05 suggests the hazard ratio changes over time.
        """
        return zph_table(
            self._data, self._fit.bin_score, self._fit.bin_info, list(self.summary.index), self._terms, transform
        )

    def baseline_hazard(self) -> pd.DataFrame:
        """Cumulative baseline hazard at covariates all 0, per event time (and stratum), as
        R's ``basehaz(fit, centered = FALSE)`` restricted to event times."""
        t, s, h = engine.baseline_cumhaz(self._data, self._fit.beta, self.ties == "efron")
        out = pd.DataFrame({"time": t, "cumhaz": h})
        if self.strata:
            out.insert(0, "stratum", s)
        return out

    def _repr_html_(self) -> str:
        se_note = (
            f"robust (sandwich) SEs{' clustered by ' + self.cluster if self.cluster else ''}"
            if self.robust
            else "model-based SEs"
        )
        note = (
            f"n = {self.n}, events = {self.n_events:g}, ties = {self.ties}, {se_note}; "
            f"concordance = {self.concordance:.3f}; log-likelihood = {self.loglik:.3f}"
        )
        return html_table("Cox proportional-hazards model", self.summary, self.warnings, note)

    def plot(self, ax=None):
        """Forest plot of hazard ratios with 95% CIs (log scale)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 0.5 + 0.4 * len(self.summary)))
        s = self.summary
        y = np.arange(len(s))[::-1]
        ax.errorbar(s["hr"], y, xerr=[s["hr"] - s["ci_lower"], s["ci_upper"] - s["hr"]], fmt="o", capsize=3)
        ax.axvline(1.0, color="grey", linestyle="--", linewidth=1)
        ax.set_xscale("log")
        ax.set_yticks(y)
        ax.set_yticklabels(s.index)
        ax.set_xlabel("hazard ratio (95% CI)")
        return ax


def term_columns(rhs: str, columns: list[str]) -> dict[str, list[int]]:
    """Which design-matrix columns belong to which formula term (for per-term tests)."""
    terms = [t for t in formulaic.Formula(rhs) if str(t) != "1"]
    out: dict[str, list[int]] = {}
    ti = 0
    for ci, col in enumerate(columns):
        parts = col.split(":")
        placed = False
        for tj in range(ti, len(terms)):
            factors = [str(f) for f in terms[tj].factors]
            if len(factors) == len(parts) and all(p == f or p.startswith(f) for p, f in zip(parts, factors)):
                out.setdefault(str(terms[tj]), []).append(ci)
                ti = tj
                placed = True
                break
        if not placed:
            out.setdefault(col, []).append(ci)
    return out


def design(data: pd.DataFrame, formula: str) -> tuple[pd.DataFrame, dict[str, list[int]]]:
    lhs, rhs = _formula.split_formula(formula)
    if lhs is not None:
        raise ValueError(
            f"formula {formula!r}: give only the right-hand side (e.g. 'treated + age'); "
            "the outcome is named by duration= and event="
        )
    names = _formula.variables(rhs)
    plain = [t.strip() for t in rhs.split("+")]
    if (
        plain == names
        and all(
            pd.api.types.is_numeric_dtype(data[c]) and not pd.api.types.is_bool_dtype(data[c])
            for c in names
            if c in data.columns
        )
        and all(c in data.columns for c in names)
    ):
        # Fast path for numeric main effects (same coding as design_matrix, without formulaic's cost).
        for c in names:
            if data[c].isna().any():
                return _via_formula(data, rhs)
        x = data[names].astype("float64")
        return x, {c: [i] for i, c in enumerate(names)}
    return _via_formula(data, rhs)


def _via_formula(data, rhs):
    x = _formula.design_matrix(data, rhs, intercept=False)
    return x, term_columns(rhs, list(x.columns))


def cox(
    data: pd.DataFrame,
    formula: str,
    duration: str,
    event: str,
    weights=None,
    cluster=None,
    strata=None,
    ties: str = "efron",
    entry: str | None = None,
    robust: bool | None = None,
) -> CoxResult:
    """Fit a Cox model; matches R ``coxph(Surv(duration, event) ~ formula, ties = ties, ...)``.

    Parameters
    ----------
    data : one row per person (or per interval with ``entry``).
    formula : right-hand side, e.g. ``"treated + age + sex"`` (factors coded as R's model.matrix).
    duration, event : column names; time in days (or any unit), event 1/0.
    weights : column name (or array) of case weights, as ``coxph(weights = )``.
    cluster : column name: robust SEs grouped by it (``+ cluster(id)``), e.g. the matched set.
    strata : column name(s): separate baseline hazards (``+ strata(x)``).
    ties : "efron" (R's default) or "breslow".
    entry : column name of entry (start) times: rows are (entry, duration] intervals,
        at risk at t when entry < t <= duration (``Surv(entry, duration, event)``).
    robust : sandwich SEs; default True when weights or cluster are given (never naive after
        weighting), as ``coxph(robust = TRUE)``; each row its own cluster unless ``cluster``.

    Returns a :class:`CoxResult`.

    >>> fit = cox(m.data, "treated", "time", "event", weights="weights", cluster="subclass")
    >>> fit.summary[["hr", "ci_lower", "ci_upper", "p"]]; fit.ph_test()
    """
    require_frame(data)
    if ties not in ("efron", "breslow"):
        raise ValueError(f"ties must be 'efron' or 'breslow', got {ties!r}")
    if len(data) == 0:
        raise ValueError("data has no rows")
    x, terms = design(data, formula)
    stop = numeric(data, duration, "duration", nonnegative=True)
    ev = event_indicator(data, event)
    start = None
    if entry is not None:
        start = numeric(data, entry, "entry")
        bad = start >= stop
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(
                f"entry must be before duration: row {data.index[i]!r} has entry {start[i]!r} >= {duration} {stop[i]!r}"
            )
    w = None if weights is None else numeric(data, weights, "weights", positive=True)
    st, strata_names = strata_codes(data, strata)
    cl = None
    if cluster is not None:
        cl, _ = codes(data, cluster, "cluster")
    if robust is None:
        robust = weights is not None or cluster is not None
    efron = ties == "efron"

    d = engine.prepare(x.to_numpy(), stop, ev, start=start, weights=w, strata=st)
    f = engine.fit(d, efron)
    names = list(x.columns)
    se = np.sqrt(np.diag(f.vcov))
    if robust:
        v = engine.robust_vcov(d, f.beta, f.vcov, efron, cl)
        rse = np.sqrt(np.diag(v))
        use = rse
    else:
        v = f.vcov
        rse = np.full(len(names), np.nan)
        use = se
    z = f.beta / use
    with np.errstate(over="ignore"):  # an infinite coefficient gives an infinite HR; it is flagged below
        hr, hr_lo, hr_hi = np.exp(f.beta), np.exp(f.beta - Z975 * use), np.exp(f.beta + Z975 * use)
    summary = pd.DataFrame(
        {
            "coef": f.beta,
            "hr": hr,
            "se": se,
            "robust_se": rse,
            "z": z,
            "p": 2 * stats.norm.sf(np.abs(z)),
            "ci_lower": hr_lo,
            "ci_upper": hr_hi,
        },
        index=pd.Index(names, name="term"),
    )
    # column by column, so that rows with equal covariates get bit-identical predictors
    # (a BLAS matrix product can differ in the last bit between rows and break R's tied_x)
    lp = np.zeros(len(data))
    for j in range(d.x.shape[1]):
        lp += x.iloc[:, j].to_numpy() * f.beta[j]
    conc = _concordance(d, lp, cl)
    n_events = float(ev.sum())
    warnings = list(few_events_warning(n_events))
    if not f.converged:
        warnings.append(
            f"the model did not converge in {f.iterations} Newton-Raphson iterations; "
            "a coefficient may be infinite (e.g. no events in one group)"
        )
    else:
        # R's check: the Newton step still left is not small relative to the coefficient
        left = np.abs(f.vcov @ f.bin_score.sum(axis=0))
        infinite = [nm for nm, step, b in zip(names, left, f.beta) if step > 1e-9 and step > 1e-9**0.5 * abs(b)]
        if infinite:
            warnings.append(
                "the log-likelihood converged before coefficient(s) "
                + ", ".join(infinite)
                + ": they may be infinite (e.g. no events in one group); do not trust their HR or CI"
            )
    if weights is not None and not robust:
        warnings.append("weights with model-based (naive) SEs: these understate uncertainty; use robust=True")
    result = CoxResult(
        summary=summary,
        loglik=f.loglik,
        loglik_null=f.loglik_null,
        concordance=conc.concordance,
        concordance_se=conc.std,
        n=len(data),
        n_events=n_events,
        vcov=pd.DataFrame(v, index=names, columns=names),
        vcov_naive=pd.DataFrame(f.vcov, index=names, columns=names),
        robust=bool(robust),
        ties=ties,
        iterations=f.iterations,
        converged=f.converged,
        strata=tuple(strata_names),
        cluster=cluster if isinstance(cluster, str) else None,
        warnings=tuple(warnings),
        concordance_counts=pd.Series(
            {
                "concordant": conc.concordant,
                "discordant": conc.discordant,
                "tied_x": conc.tied_x,
                "tied_y": conc.tied_y,
                "tied_xy": conc.tied_xy,
            }
        ),
        _data=d,
        _fit=f,
        _terms=terms,
    )
    if n_events > len(names):
        try:
            ph = result.ph_test("km")
        except np.linalg.LinAlgError:
            return result
        failing = ph.index[ph["p"] < 0.05].tolist()
        if failing:
            object.__setattr__(
                result,
                "warnings",
                result.warnings
                + (
                    "proportional-hazards test (cox.zph, km transform) fails (p < 0.05) for: "
                    + ", ".join(failing)
                    + "; a single hazard ratio may mislead (consider RMST or strata)",
                ),
            )
    return result
