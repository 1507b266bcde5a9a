"""Checks before the long work, and what was set aside reaching the verdicts (issue 13, items 1-4)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from reoffend_eval.evaluate import ConfigError, EvaluationConfig
from reoffend_eval.evaluate.config import ComparisonConfig, DataConfig
from reoffend_eval.evaluate.data_quality import set_aside_summary
from reoffend_eval.evaluate.preflight import (
    check_comparison_columns,
    complete_cases,
    missing_tables,
    programme_targets,
    switched_off,
)
from reoffend_eval.evaluate.targets import Target
from reoffend_eval.validate import plausibility

from tests.validate_units_cohort import good_data  # noqa: F401  (imported for the fixture below)


def _config(formula="treated ~ age_at_index + sex", exact=()):
    return EvaluationConfig(
        programme="DRIVE", data=DataConfig(folder="data"),
        comparison=ComparisonConfig(formula=formula, exact=tuple(exact)), targets="t.toml",
    )


def _target(programme, id_="T1"):
    return Target(id=id_, description="d", programme=programme, measure="reoffending_rate", comparator="matched",
                  direction="decrease", threshold=5, threshold_type="percentage_points", by=dt.date(2027, 3, 31))


def test_targets_all_for_another_programme_are_an_error_naming_them():
    with pytest.raises(ConfigError, match=r"none of its 2 targets is for DRIVE .*Up2U"):
        programme_targets((_target("Up2U"), _target("Up2U", "T2")), _config(), "targets.toml")


def test_targets_of_other_programmes_are_named_not_dropped_silently():
    mine, notes = programme_targets((_target("DRIVE"), _target("Up2U", "U1")), _config(), "targets.toml")
    assert [t.id for t in mine] == ["T1"]
    assert notes and "U1" in notes[0] and "not assessed" in notes[0]


def test_formula_and_exact_columns_checked_before_the_long_work(good_data):  # noqa: F811
    with pytest.raises(ConfigError, match=r"formula names 'age_at_indx'.*did you mean 'age_at_index'"):
        check_comparison_columns(_config("treated ~ age_at_indx + sex"), good_data, "drive.toml")
    with pytest.raises(ConfigError, match=r"exact names 'gender'"):
        check_comparison_columns(_config(exact=["gender"]), good_data, "drive.toml")
    with pytest.raises(ConfigError, match=r"cannot be read"):
        check_comparison_columns(_config("treated ~ age_at_index + + ("), good_data, "drive.toml")
    check_comparison_columns(_config("treated ~ age_at_index + sex + prior_da_incidents"), good_data, "drive.toml")


def test_a_term_counted_from_a_missing_table_is_a_clear_error(good_data):  # noqa: F811
    no_incidents = good_data.replace(incidents=None)
    with pytest.raises(ConfigError, match=r"'prior_da_incidents'.*incidents table.*no incidents file"):
        check_comparison_columns(_config("treated ~ sex + prior_da_incidents"), no_incidents, "drive.toml")
    assert missing_tables(no_incidents)["da_incident_rate"] == "not measured: the extract has no incidents table"
    assert "reoffending_rate" not in missing_tables(no_incidents)


def test_switched_off_analyses_are_named():
    config = _config()
    off = switched_off(dataclasses.replace(config, analyses=dataclasses.replace(config.analyses, survival=False)))
    assert set(off) == {"time_to_reoffence"} and "survival = false" in off["time_to_reoffence"]


def test_people_missing_a_matching_variable_are_counted_and_left_out():
    people = pd.DataFrame({
        "treated": [1, 1, 1, 0, 0, 0],
        "age_at_index": [30.0, None, 40.0, 35.0, 33.0, None],
        "sex": ["M", "M", None, "F", "M", "M"],
    })
    kept, notes = complete_cases(people, _config())
    assert len(kept) == 3
    assert "3 people (2 participants, 67% of them)" in notes[0]
    assert "age_at_index (2)" in notes[0] and "sex (1)" in notes[0]


class _Checked:
    def __init__(self, counts, quarantine):
        self.counts, self.quarantine = counts, quarantine


def _checked(offences_out: int, offences_in: int = 100):
    counts = pd.DataFrame(
        {"rows_in": [50, offences_in], "clean": [50, offences_in - offences_out], "set_aside": [0, offences_out],
         "flagged": [0, 0]}, index=pd.Index(["participants", "offences"], name="table"))
    quarantine = pd.DataFrame({
        "table": ["offences"] * offences_out, "row": range(offences_out), "person_id": "x",
        "rule": "value could not be read", "severity": "error", "value": "2023-13-45"})
    return _Checked(counts, quarantine)


def test_set_aside_shares_warn_and_withhold_verdicts_at_their_thresholds():
    table, notes, damaged = set_aside_summary(_checked(4), "DRIVE")
    assert notes == [] and damaged == {}
    assert table.set_index("table").loc["offences", "main_reasons"] == "value could not be read (<5)"
    table, notes, damaged = set_aside_summary(_checked(5), "DRIVE")
    assert len(notes) == 1 and "5 of 100 offences rows (5%)" in notes[0] and damaged == {}
    table, notes, damaged = set_aside_summary(_checked(70), "DRIVE")
    assert "offences" in damaged and "70%" in damaged["offences"]


def test_emptied_tables_and_mostly_set_aside_participants_are_fatal():
    counts = pd.DataFrame(
        {"rows_in": [10, 20, 0], "clean": [4, 0, 0], "set_aside": [6, 20, 0], "flagged": [0, 0, 0]},
        index=pd.Index(["participants", "offences", "custody"], name="table"))
    problems = plausibility.emptied_tables(counts)
    assert any("'offences': every one of its 20 rows" in p for p in problems)
    assert any("'participants': 6 of 10 rows (60%)" in p for p in problems)
    assert not any("custody" in p for p in problems)


def test_ids_read_as_numbers_are_recognised(good_data):  # noqa: F811
    offences = good_data.offences.copy()
    people = good_data.participants["person_id"].astype(str)
    assert plausibility.number_like_ids(good_data) == []
    padded = good_data.replace(
        participants=good_data.participants.assign(person_id=["0000731", *people.iloc[1:]]),
        offences=offences.assign(person_id=["731.0", *offences["person_id"].iloc[1:]]),
    )
    notes = plausibility.number_like_ids(padded)
    assert len(notes) == 1 and "1 offences rows" in notes[0] and "read as numbers" in notes[0]
    assert "731" not in notes[0]  # the message reaches consoles: it quotes no identifier


def test_an_extract_date_long_after_every_record_is_questioned(good_data):  # noqa: F811
    # the last record is a custody spell ending 2024-07-01: 62 days before is fine, 90+ days is questioned
    assert plausibility.latest_record_warning(good_data, pd.Timestamp("2024-09-01")) == []
    notes = plausibility.latest_record_warning(good_data, pd.Timestamp("2026-03-31"))
    assert len(notes) == 1 and "2024-07-01, 638 days before" in notes[0] and "looks unobserved" in notes[0]


def test_a_formula_must_model_treated(good_data):  # noqa: F811
    with pytest.raises(ConfigError, match=r"must model 'treated'.*not 'reoffended'"):
        check_comparison_columns(_config("reoffended ~ age_at_index + sex"), good_data, "drive.toml")


def test_follow_up_ends_at_the_latest_record_only_after_a_long_silence(good_data):  # noqa: F811
    assert plausibility.quiet_end(good_data, pd.Timestamp("2024-09-29")) is None  # 90 days: still believable
    assert plausibility.quiet_end(good_data, pd.Timestamp("2024-09-30")) == pd.Timestamp("2024-07-01")
