"""Smoke test of benchmarks/coverage_study.py: it runs, resumes, and its summary arithmetic is right.

The coverage itself is measured by running the study by hand (200 replications), not here.
"""
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "coverage_study.py"


@pytest.fixture(scope="module")
def study():
    spec = importlib.util.spec_from_file_location("coverage_study", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_replication_gives_every_estimator_with_interval_and_truths(study):
    rows = pd.DataFrame(study.replicate(3, n_participants=150, n_comparison=1500))
    assert list(rows["estimator"]) == list(study.ESTIMATORS)
    assert set(study.COLUMNS) <= set(rows.columns)
    assert (rows["ci_lower"] < rows["estimate"]).all() and (rows["estimate"] < rows["ci_upper"]).all()
    assert (rows["se"] > 0).all()
    for column in ("truth_matched", "truth_all", "truth_generator"):
        assert np.isfinite(rows[column]).all()
    ratios = rows[rows["estimator"] != "risk_difference"]
    assert (ratios[["estimate", "truth_matched", "truth_all"]] > 0).all().all()
    # the interval is estimate +- 1.96 SE on the model's scale (log for ratios; t for the lm risk difference)
    cox = rows.set_index("estimator").loc["cox_hr"]
    assert np.log(cox["ci_upper"] / cox["estimate"]) == pytest.approx(1.959964 * cox["se"], rel=1e-5)
    assert (rows["n_treated"] == rows["n_comparison"]).all()  # 1:1 matching


def test_run_appends_per_replication_and_resumes(study, tmp_path, monkeypatch):
    out = tmp_path / "coverage.csv"
    first = study.run(2, 1, out, 150, 1500)
    assert sorted(first["seed"].unique()) == [1, 2] and len(first) == 2 * len(study.ESTIMATORS)
    assert list(first.columns) == study.COLUMNS

    def no_more(*args, **kwargs):
        raise AssertionError("a replication already in the file was run again")

    monkeypatch.setattr(study, "replicate", no_more)
    again = study.run(2, 1, out, 150, 1500)
    pd.testing.assert_frame_equal(again, first)
    summary = study.summarise(again)
    assert list(summary.index) == list(study.ESTIMATORS)
    for column in ("reps", "truth", "coverage", "relative_bias", "mean_se", "sd_estimates", "meets_criteria"):
        assert column in summary.columns
    text = study.to_markdown(summary, again, None)
    assert "| cox_hr | 2 |" in text


def test_summary_arithmetic_on_a_hand_worked_table(study):
    # risk difference: truths -0.10 and -0.12 (study truth -0.11); intervals cover -0.11 in 3 of 4
    rd = pd.DataFrame({
        "estimator": "risk_difference", "estimate": [-0.10, -0.12, -0.13, -0.05],
        "ci_lower": [-0.15, -0.16, -0.20, -0.09], "ci_upper": [-0.05, -0.08, -0.06, -0.01],
        "se": [0.02, 0.02, 0.04, 0.02], "truth_matched": [-0.10, -0.12, -0.05, -0.17],
        "truth_all": -0.11, "truth_generator": -0.11,
    })
    # hazard ratio: log scale; truth exp(mean(log 0.8, log 0.8)) = 0.8; only the first interval covers it
    hr = pd.DataFrame({
        "estimator": "cox_hr", "estimate": [0.7, 0.9], "ci_lower": [0.6, 0.85], "ci_upper": [0.9, 0.95],
        "se": [0.1, 0.03], "truth_matched": [0.8, 0.8], "truth_all": 0.8, "truth_generator": 0.78,
    })
    s = study.summarise(pd.concat([rd, hr], ignore_index=True))
    r = s.loc["risk_difference"]
    assert r["truth"] == pytest.approx(-0.11)
    assert r["coverage"] == pytest.approx(0.75)
    assert r["coverage_own_truth"] == pytest.approx(0.5)  # own truths -0.05 and -0.17 fall outside
    assert r["relative_bias"] == pytest.approx((-0.10 - (-0.11)) / 0.11)  # mean estimate -0.10
    assert r["mean_se"] == pytest.approx(0.025)
    assert not r["meets_criteria"]
    h = s.loc["cox_hr"]
    assert h["truth"] == pytest.approx(0.8) and h["coverage"] == pytest.approx(0.5)
    assert h["relative_bias"] == pytest.approx(((np.log(0.7) + np.log(0.9)) / 2 - np.log(0.8)) / abs(np.log(0.8)))
    assert h["sd_estimates"] == pytest.approx(np.std(np.log([0.7, 0.9]), ddof=1))
