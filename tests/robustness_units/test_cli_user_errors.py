"""The command line on a user's mistakes: one or two lines, exit 2, no traceback; identifiers kept private."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest
from typer.testing import CliRunner

from reoffend_eval.cli import app

from tests.validate_units_cohort import good_tables

runner = CliRunner()


@pytest.fixture
def extract(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    for name, frame in good_tables().items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


def _no_traceback(result):
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_slashed_extract_date_is_refused_not_guessed(extract):
    result = runner.invoke(app, ["validate", str(extract), "--extract-date", "01/03/2026"])
    assert result.exit_code == 2
    _no_traceback(result)
    assert "never guessed" in result.output and "YYYY-MM-DD" in result.output


def test_quarantine_file_is_private_and_console_hides_ids(extract, tmp_path):
    participants = pd.read_csv(extract / "participants.csv", dtype=str)
    participants = pd.concat([participants, participants.iloc[[0]].assign(sex="Q")], ignore_index=True)
    participants.to_csv(extract / "participants.csv", index=False)
    out = tmp_path / "checks"
    result = runner.invoke(app, ["validate", str(extract), "--extract-date", "2025-03-31", "--out", str(out)])
    assert result.exit_code == 0, result.output
    mode = stat.S_IMODE(os.stat(out / "quarantine.csv").st_mode)
    assert mode == 0o600
    assert "P1" in (out / "quarantine.csv").read_text()  # the analyst's own file names the rows
    assert "duplicate episode" in result.output and "[id]" in result.output and "P1" not in result.output
    shown = runner.invoke(app, ["validate", str(extract), "--extract-date", "2025-03-31", "--out", str(out),
                                "--show-ids"])
    assert "P1" in shown.output


def test_an_unwritable_out_folder_is_refused_before_any_work(extract, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    config = tmp_path / "drive.toml"
    config.write_text('programme = "DRIVE"\ntargets = "t.toml"\n[data]\nfolder = "data"\n'
                      '[comparison]\nformula = "treated ~ sex"\n')
    (tmp_path / "t.toml").write_text(
        '[[target]]\nid = "A"\ndescription = "d"\nprogramme = "DRIVE"\nmeasure = "reoffending_rate"\n'
        'comparator = "matched"\ndirection = "decrease"\nthreshold = 5\nthreshold_type = "percentage_points"\n'
        "by = 2027-03-31\n")
    result = runner.invoke(app, ["evaluate", str(config), "--out", str(blocker / "results")])
    assert result.exit_code == 2
    _no_traceback(result)
    assert "cannot write results" in result.output


def test_a_missing_data_folder_or_config_is_one_line(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "nowhere" in result.output
    _no_traceback(result)
    result = runner.invoke(app, ["evaluate", str(tmp_path / "missing.toml"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "missing.toml" in result.output
    _no_traceback(result)
