"""reoffend-eval validate DIR: summary, quarantine.csv, validation.json, exit codes."""
from __future__ import annotations

import json

import pandas as pd
from typer.testing import CliRunner

from reoffend_eval.cli import app

from validate_cohort import EXTRACT, good_tables


def _write(folder, tables):
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


def test_validate_writes_outputs_and_exits_by_severity(tmp_path):
    t = good_tables()
    t["offences"].loc[0, "person_id"] = "Z1"
    folder = _write(tmp_path / "extract", t)
    runner = CliRunner()
    args = ["validate", str(folder), "--extract-date", EXTRACT, "--out", str(tmp_path / "out")]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "orphan" in res.output and "offences" in res.output
    q = pd.read_csv(tmp_path / "out" / "quarantine.csv")
    assert list(q["row"]) == [1] and list(q["value"]) == ["Z1"]
    report = json.loads((tmp_path / "out" / "validation.json").read_text())
    assert report["counts"]["offences"] == {"rows_in": 4, "clean": 3, "set_aside": 1, "flagged": 0}
    strict = runner.invoke(app, args + ["--strict"])
    assert strict.exit_code == 1


def test_validate_fatal_exits_2_with_message(tmp_path):
    t = good_tables()
    t["participants"] = t["participants"].drop(columns="sex")
    folder = _write(tmp_path / "extract", t)
    res = CliRunner().invoke(app, ["validate", str(folder), "--extract-date", EXTRACT])
    assert res.exit_code == 2
    assert "sex" in res.output and "Traceback" not in res.output


def test_validate_dayfirst_reads_uk_dates(tmp_path):
    t = good_tables()
    t["exits"].loc[0, "date"] = "05/05/2024"
    folder = _write(tmp_path / "extract", t)
    runner = CliRunner()
    assert runner.invoke(app, ["validate", str(folder), "--extract-date", EXTRACT]).exit_code == 2
    res = runner.invoke(app, ["validate", str(folder), "--extract-date", EXTRACT, "--dayfirst", "--strict"])
    assert res.exit_code == 0, res.output
    assert (folder / "validation" / "quarantine.csv").exists()
