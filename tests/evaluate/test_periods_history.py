"""Cohorts by period, [cohort] ranges, measurable_by in a real run, and the run history."""
import dataclasses
import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import reoffend_eval as rev
from reoffend_eval import synthetic
from reoffend_eval.cli import app
from reoffend_eval.evaluate import ConfigError, evaluate, read_config
from reoffend_eval.evaluate.history import changes
from reoffend_eval.evaluate.measurable import NEVER
from reoffend_eval.evaluate.periods import financial_year, period_bounds
from reoffend_eval.examples import write_example
from reoffend_eval.report.history import append_history, with_history

FY_2023 = (dt.date(2023, 4, 1), dt.date(2024, 3, 31))


def test_financial_years_and_quarters():
    assert financial_year(dt.date(2024, 3, 31)) == 2023 and financial_year(dt.date(2024, 4, 1)) == 2024
    assert period_bounds("year", dt.date(2023, 5, 2), dt.date(2024, 4, 1)) == [
        ("2023-24", dt.date(2023, 4, 1), dt.date(2024, 3, 31)),
        ("2024-25", dt.date(2024, 4, 1), dt.date(2025, 3, 31)),
    ]
    quarters = period_bounds("quarter", dt.date(2024, 1, 15), dt.date(2024, 7, 1))
    assert quarters == [
        ("2023-24 Q4", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("2024-25 Q1", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        ("2024-25 Q2", dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
    ]
    with pytest.raises(ValueError, match="'year' or 'quarter'"):
        period_bounds("month", dt.date(2024, 1, 1), dt.date(2024, 2, 1))


@given(
    first=st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
    span=st.integers(0, 2000),
    kind=st.sampled_from(["year", "quarter"]),
    probe=st.integers(0, 2000),
)
def test_periods_tile_the_range_without_gaps_or_overlaps(first, span, kind, probe):
    last = first + dt.timedelta(days=span)
    bounds = period_bounds(kind, first, last)
    assert bounds[0][1] <= first and bounds[-1][2] >= last
    for (_, _, end), (_, start, _) in zip(bounds, bounds[1:]):
        assert start == end + dt.timedelta(days=1)
    day = first + dt.timedelta(days=min(probe, span))
    assert sum(start <= day <= end for _, start, end in bounds) == 1


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("periods")
    data = synthetic.generate(programme="DRIVE", n_participants=900, n_comparison=5000, seed=4, effect=0.6)
    data.to_folder(folder / "data")
    config = write_example("DRIVE", folder, extract_date=data.truth["extract_date"])
    text = config.read_text()
    (folder / "by_year.toml").write_text(text + 'periods = "year"\n')
    (folder / "fy2023.toml").write_text(
        text + f"\n[cohort]\nindex_from = {FY_2023[0].isoformat()}\nindex_to = {FY_2023[1].isoformat()}\n"
    )
    return folder


def _quiet(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(path)


@pytest.fixture(scope="module")
def by_year(folder):
    return _quiet(folder / "by_year.toml")


@pytest.fixture(scope="module")
def fy2023(folder):
    return _quiet(folder / "fy2023.toml")


def test_a_period_equals_the_evaluation_restricted_to_it_by_hand(by_year, fy2023):
    periods = by_year.periods
    assert list(dict.fromkeys(periods["period"])) == ["2023-24", "2024-25", "2025-26"]
    ours = periods[(periods["period"] == "2023-24") & (periods["status"] == "measured")]
    assert {"reoffending_rate", "time_to_reoffence", "da_incident_rate"} <= set(ours["measure"])
    theirs = fy2023.results[(fy2023.results["analysis"] == "main") & (fy2023.results["group"] == "all")]
    merged = ours.merge(theirs, on=["measure", "statistic"], suffixes=("", "_by_hand"), validate="one_to_one")
    assert len(merged) == len(ours)
    for column in ("estimate", "ci_lower", "ci_upper", "n_treated", "n_comparison"):
        np.testing.assert_allclose(merged[column].astype(float), merged[f"{column}_by_hand"].astype(float))
    # the whole cohort differs from the first year's alone
    whole = by_year.results.set_index(["measure", "statistic", "analysis", "group"])
    assert whole.loc[("reoffending_rate", "risk_difference", "main", "all"), "n_treated"] > merged["n_treated"].max()


def test_the_restricted_cohort_holds_only_its_index_dates_in_both_groups(fy2023):
    data = fy2023.designs["everyone"].result
    frame = getattr(data, "all_data", data.data)
    index = pd.to_datetime(frame["index_date"])
    assert index.min() >= pd.Timestamp(FY_2023[0]) and index.max() <= pd.Timestamp(FY_2023[1])
    assert set(frame["treated"]) == {0, 1}
    html = fy2023.to_html()
    assert "Only people with an index date from 1 April 2023 to 31 March 2024" in html


def test_a_period_without_full_follow_up_has_no_fixed_window_estimate(by_year):
    last = by_year.periods[by_year.periods["period"] == "2025-26"]
    assert "reoffending_rate" not in set(last["measure"].dropna())
    assert (last.loc[last["measure"] == "time_to_reoffence", "status"] == "measured").all()


def test_periods_are_written_and_drawn(by_year, tmp_path):
    written = by_year.write(tmp_path)
    table = pd.read_csv(written["periods"])
    assert {"measure", "statistic", "period", "estimate", "ci_lower", "ci_upper", "n_treated", "n_comparison"} <= set(
        table.columns
    )
    html = by_year.to_html()
    assert "By cohort: financial year" in html and "Trend chart of one-year proven reoffending rate" in html


def test_measurable_by_in_a_real_run(by_year):
    targets = by_year.targets
    pending = targets["verdict"].isin(["on course", "not yet measurable"])
    assert (targets.loc[~pending, "measurable_by"] == "").all()
    for value in targets.loc[pending, "measurable_by"]:
        assert value == NEVER or dt.date.fromisoformat(value)
    rate = by_year.starter_rate
    assert rate.window_to == dt.date(2026, 3, 31) and rate.starters > 0


def test_history_round_trip_replaces_a_rerun_of_the_same_extract(by_year, tmp_path):
    store = tmp_path / "history"
    first = by_year
    later_rate = dataclasses.replace(first.starter_rate, window_to=dt.date(2026, 6, 30))
    moved = first.targets.copy()
    moved.loc[0, "verdict"] = "met" if moved.loc[0, "verdict"] != "met" else "not met"
    second = dataclasses.replace(first, starter_rate=later_rate, targets=moved)
    append_history(first, store)
    append_history(second, store)
    append_history(second, store)  # the same programme and extract date again: replaces, never duplicates
    history = rev.read_history(store)
    assert sorted(history["extract_date"].dt.date.unique()) == [dt.date(2026, 3, 31), dt.date(2026, 6, 30)]
    targets = history[history["kind"] == "target"]
    assert len(targets) == 2 * len(first.targets)
    back = targets[targets["extract_date"] == pd.Timestamp("2026-03-31")].set_index("id")
    assert list(back.loc[first.targets["id"], "verdict"]) == list(first.targets["verdict"])
    headline = history[(history["kind"] == "result") & (history["id"] == "reoffending_rate/risk_difference")]
    assert len(headline) == 2
    what = changes(history, "DRIVE")
    row = what[(what["extract_date"] == "2026-06-30") & (what["id"] == moved.loc[0, "id"])].iloc[0]
    assert row["change"] == f"was {first.targets.loc[0, 'verdict']}, now {moved.loc[0, 'verdict']}"
    shown = with_history(second, store)
    assert "Over the extracts so far" in shown.to_html() and row["change"] in shown.to_html()


def test_config_mistakes_name_the_file_and_field(folder, tmp_path):
    text = (folder / "drive.toml").read_text()
    bad = tmp_path / "bad_period.toml"
    bad.write_text(text + 'periods = "month"\n')
    with pytest.raises(ConfigError, match=r"bad_period.toml.*analyses.periods.*'month'"):
        read_config(bad)
    backwards = tmp_path / "backwards.toml"
    backwards.write_text(text + "\n[cohort]\nindex_from = 2025-01-01\nindex_to = 2024-01-01\n")
    with pytest.raises(ConfigError, match=r"backwards.toml.*cohort.*index_from .* is after index_to"):
        read_config(backwards)


def test_cli_history_and_its_errors(folder, tmp_path):
    runner = CliRunner()
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    result = runner.invoke(
        app, ["evaluate", str(folder / "fy2023.toml"), "--out", str(tmp_path / "out"), "--history", str(blocker / "h")]
    )
    assert result.exit_code == 2, result.output
    assert "--history" in result.output and "cannot be written" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["evaluate", str(folder / "missing.toml"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "missing.toml" in result.output and "Traceback" not in result.output
