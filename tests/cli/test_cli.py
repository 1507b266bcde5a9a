"""The command line as a user runs it: synth, demo, evaluate."""
import pandas as pd
from typer.testing import CliRunner

import reoffend_eval as rev
from reoffend_eval.cli import app

runner = CliRunner()


def test_synth_writes_every_table_and_load_reads_it_back(tmp_path):
    result = runner.invoke(app, ["synth", "--programme", "Up2U", "--out", str(tmp_path), "--n-participants", "50",
                                 "--n-comparison", "300", "--format", "csv"])
    assert result.exit_code == 0, result.output
    for name in ("participants", "comparison", "offences", "incidents", "custody", "exits"):
        assert (tmp_path / f"{name}.csv").exists()
    data = rev.load(tmp_path)
    assert len(data.participants) == 50 and set(data.participants["programme"]) == {"Up2U"}


def test_synth_rejects_an_unknown_programme(tmp_path):
    result = runner.invoke(app, ["synth", "--programme", "Drive Plus", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "Drive Plus" in result.output


def test_demo_runs_end_to_end(tmp_path):
    out = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--out", str(out), "--n-participants", "400", "--n-comparison", "4000"])
    assert result.exit_code == 0, result.output
    assert "strategy targets" in result.output and "Truth for checking" in result.output
    assert (out / "data" / "participants.parquet").exists()
    assert (out / "drive.toml").exists() and (out / "drive_targets.toml").exists()
    targets = pd.read_csv(out / "results" / "targets.csv")
    assert len(targets) == 6 and targets["verdict"].notna().all()
    for name in ("report.html", "evidence.md", "evidence.docx", "evaluation.json"):
        assert (out / "results" / name).exists(), name
    # value for money computes end to end from the shipped costs, saying which figures are second-hand
    evidence = (out / "results" / "evidence.md").read_text()
    assert "Value for money" in evidence and "Value for money" in (out / "results" / "report.html").read_text()
    assert "not read in the original" in evidence and "South Wales Echo" in evidence
    vfm = pd.read_csv(out / "results" / "value_for_money.csv")
    ratios = vfm[vfm["quantity"] == "benefit_cost_ratio"]
    assert len(ratios) == 3 and ratios[["estimate", "ci_lower", "ci_upper"]].notna().all().all()


def test_evaluate_reports_a_bad_config_clearly(tmp_path):
    config = tmp_path / "evaluation.toml"
    config.write_text('programme = "DRIVE"\ntargets = "t.toml"\n[data]\nfolder = "data"\n[comparison]\nformula = "treated ~ age_at_index"\ncalliper = 0.1\n')
    result = runner.invoke(app, ["evaluate", str(config), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "unknown field 'calliper'" in result.output and "did you mean 'caliper'" in result.output
