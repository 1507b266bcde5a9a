"""Write an evaluation's outputs to a folder: tables as CSV and Parquet, the whole result as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .tables import (
    public_balance,
    public_flow,
    public_quality,
    public_results,
    public_set_aside,
    public_targets,
)


def public_tables(ev) -> dict[str, pd.DataFrame]:
    """Every table that may leave the library, disclosure-controlled.

    ``ev``: an ``Evaluation`` (``rev.evaluate(...)``). Counts from 1 to 4 are shown as ``<5``; no person identifier.

    >>> tables = public_tables(ev)              # doctest: +SKIP
    >>> tables["results"]                        # doctest: +SKIP
    """
    tables = {
        "results": public_results(ev.results),
        "targets": public_targets(ev.targets),
        "balance": public_balance(ev.balance).reset_index().rename(columns={"index": "term"}),
        "cohort_flow": public_flow(ev.cohort_flow, ev.results).reset_index(),
        "quality": public_quality(ev.quality),
    }
    if len(ev.set_aside):
        tables["set_aside"] = public_set_aside(ev.set_aside)
    if ev.value_for_money is not None:
        # machine-readable: tidy numbers (pounds and ratios to 2 dp); the worded table is the report's only
        vfm = ev.value_for_money
        numbers = ["estimate", "ci_lower", "ci_upper"]
        tables["value_for_money"] = vfm.table.assign(**{c: vfm.table[c].astype(float).round(2) for c in numbers})
        tables["value_for_money_sources"] = vfm.sources
    if getattr(ev, "periods", None) is not None:
        from .periods import public_periods

        tables["periods"] = public_periods(ev.periods)
    return tables


def _jsonable(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def write_outputs(ev, folder) -> dict[str, Path]:
    """``results``, ``targets``, ``balance``, ``cohort_flow``, ``quality`` (.csv and .parquet) and ``evaluation.json``.

    ``ev``: an ``Evaluation`` (``rev.evaluate(...)``). ``folder``: where to write (created if missing).
    Returns the paths written, by name.

    >>> written = write_outputs(ev, "results/")  # doctest: +SKIP
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    tables = public_tables(ev)
    for name, table in tables.items():
        csv_path, parquet_path = out / f"{name}.csv", out / f"{name}.parquet"
        table.to_csv(csv_path, index=False)
        table.astype({c: "string" for c in table.columns if table[c].dtype == object}).to_parquet(
            parquet_path, index=False
        )
        written[name] = csv_path
        written[f"{name}_parquet"] = parquet_path
    document = {
        "programme": ev.programme,
        "headlines": list(ev.headlines),
        "what_you_can_say": list(ev.can_say),
        "what_you_cannot_say": list(ev.cannot_say),
        "warnings": list(ev.warnings),
        "value_for_money_sentences": list(ev.value_for_money.sentences) if ev.value_for_money is not None else None,
        "provenance": ev.provenance,
        "config": _config_dict(ev.config),
        **{name: _jsonable(table) for name, table in tables.items()},
    }
    path = out / "evaluation.json"
    path.write_text(json.dumps(document, indent=2, default=str))
    written["evaluation"] = path
    return written


def _config_dict(config) -> dict:
    from dataclasses import asdict

    values = asdict(config)
    values.pop("base_dir", None)
    return values
