"""What a programme's run leaves in the scorecard's folder: its tables, report and the record that lets a rerun reuse it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

CACHE_FILE = "strategy_cache.json"


def write_programme(run, folder: Path) -> None:
    """A freshly evaluated programme's tables, report and cache record in ``folder``."""
    from ..report.files import write_outputs  # noqa: PLC0415
    from ..report.html import write_report_files  # noqa: PLC0415

    write_outputs(run.evaluation, folder)
    write_report_files(run.evaluation, folder)
    (folder / CACHE_FILE).write_text(cache_record(run), encoding="utf-8")


def cache_record(run) -> str:
    """What ``strategy_cache.json`` keeps of a run: the key and the public tables the scorecard needs."""
    rows = run.history_rows.copy()
    if "extract_date" in rows:
        rows["extract_date"] = pd.to_datetime(rows["extract_date"]).dt.strftime("%Y-%m-%d")
    if "run_at" in rows:
        rows["run_at"] = pd.to_datetime(rows["run_at"]).dt.strftime("%Y-%m-%dT%H:%M:%S")
    record = {
        "key": run.key,
        "programme": run.programme,
        "config_path": str(run.config_path),
        "targets": json.loads(run.targets.to_json(orient="records")),
        "headlines": list(run.headlines),
        "value_for_money": list(run.value_for_money),
        "starter_words": run.starter_words,
        "extract_date": run.extract_date.isoformat(),
        "provenance": run.provenance,
        "n_warnings": run.n_warnings,
        "history_rows": json.loads(rows.to_json(orient="records")),
    }
    return json.dumps(record, indent=1, default=str)
