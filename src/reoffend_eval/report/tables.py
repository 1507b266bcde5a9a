"""The evaluation's tables as they may leave the library: small counts suppressed, JDL rounding.

Every file, page and document the report stage writes is built from these
tables, never from person-level rows.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..evaluate import disclosure as sdc
from ..evaluate.targets import MEASURES

COUNT_COLUMNS = ("n", "n_treated", "n_comparison", "events_treated", "events_comparison")


def _kind(measure: str) -> str:
    spec = MEASURES.get(measure)
    return spec.kind if spec else "other"


def _round_effect(statistic: str, kind: str, value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if statistic in ("risk_ratio", "odds_ratio", "rate_ratio", "hazard_ratio", "e_value", "e_value_ci"):
        return round(float(value), 2)
    if statistic == "risk_difference":
        return int(np.floor(float(value) + 0.5))  # percentage points, whole as the JDL shows them
    if statistic == "rmst_difference":
        return sdc.days(float(value))
    return sdc.frequency(float(value))


def _round_value(kind: str, statistic: str, value, based_on):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if statistic == "rmst_difference":
        return sdc.days(value, based_on)
    if kind == "proportion" or statistic == "hazard_ratio":
        return sdc.rate_percent(value, based_on)
    return sdc.frequency(value, based_on)


def _p(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return "<0.001" if value < 0.001 else round(float(value), 3)


def public_results(results: pd.DataFrame) -> pd.DataFrame:
    """The results table, rounded as the JDL rounds, with counts 1-4 and what rests on them suppressed.

    ``treated_value`` / ``comparison_value`` are whole per cent for rates (and the
    share reoffending for hazard ratios), 2 dp for frequencies, whole days for RMST.
    """
    rows = []
    for _, r in results.iterrows():
        kind = _kind(r["measure"])
        small = any(sdc.is_small(r[c]) for c in COUNT_COLUMNS if c in r and pd.notna(r[c]))
        out = {"measure": r["measure"], "statistic": r["statistic"], "analysis": r["analysis"], "group": r["group"]}
        for column in ("estimate", "ci_lower", "ci_upper"):
            out[column] = sdc.SUPPRESSED if small else _round_effect(r["statistic"], kind, r[column])
        out["p"] = sdc.SUPPRESSED if small else _p(r["p"])
        for column in COUNT_COLUMNS:
            out[column] = sdc.count(r[column]) if pd.notna(r[column]) else None
        out["treated_value"] = _round_value(kind, r["statistic"], r["treated_value"], r["events_treated"])
        out["comparison_value"] = _round_value(kind, r["statistic"], r["comparison_value"], r["events_comparison"])
        out["method"] = r["method"]
        rows.append(out)
    return pd.DataFrame(rows, columns=list(results.columns))


def public_flow(flow: pd.DataFrame) -> pd.DataFrame:
    """Cohort flow with small counts and small drops between stages hidden, per group."""
    return pd.DataFrame({column: sdc.protect_flow(flow[column].astype("float64")) for column in flow.columns},
                        index=flow.index)


def public_quality(quality: pd.DataFrame) -> pd.DataFrame:
    """The validation summary without example values (they may be identifiers), counts protected."""
    keep = [c for c in quality.columns if c not in ("examples", "example_values", "values")]
    out = quality[keep].copy()
    for column in out.columns:
        if column.startswith("rows") or column in ("failing", "count"):
            out[column] = out[column].map(sdc.count)
    return out


def public_targets(targets: pd.DataFrame) -> pd.DataFrame:
    out = targets.copy()
    for column in ("estimate", "ci_lower", "ci_upper"):
        out[column] = out[column].map(lambda v: None if pd.isna(v) else round(float(v), 1))
    out["people_needed_per_group"] = out["people_needed_per_group"].map(
        lambda v: None if pd.isna(v) or not np.isfinite(v) else int(np.ceil(v)))
    return out


def public_balance(balance: pd.DataFrame) -> pd.DataFrame:
    """Balance statistics are means, proportions and standardised differences of groups: rounded to 3 dp."""
    return balance.round(3)
