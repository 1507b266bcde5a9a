"""Every contract table and column present, typed exactly as the loader types them, and round-tripping."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import reoffend_eval.data as red
from reoffend_eval import synthetic
from reoffend_eval.data.contract import TABLES

STRING = pd.StringDtype("pyarrow")
PROGRAMMES = ("DRIVE", "Up2U", "Turnaround")


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_every_table_and_column_typed_by_the_contract(small, programme):
    data = small[programme]
    for name, table in TABLES.items():
        frame = getattr(data, name)
        assert frame is not None, name
        assert len(frame) > 0, name
        missing = set(table.required_columns) - set(frame.columns)
        assert not missing, (name, missing)
        assert set(frame.columns) <= set(table.column_names), (name, set(frame.columns) - set(table.column_names))
        assert isinstance(frame.index, pd.RangeIndex) and frame.index.start == 1 and frame.index.name == "row"
        for column in frame.columns:
            kind = table.column(column)
            dtype = frame[column].dtype
            if kind.kind in ("id", "text"):
                assert dtype == STRING, (name, column, dtype)
            elif kind.kind == "date":
                assert dtype == np.dtype("datetime64[ns]"), (name, column, dtype)
                values = frame[column].dropna()
                assert (values == values.dt.normalize()).all(), (name, column)
            elif kind.kind == "code":
                assert isinstance(dtype, pd.CategoricalDtype), (name, column)
                assert list(dtype.categories) == list(kind.codes), (name, column)
            elif kind.kind == "bool":
                assert dtype == pd.BooleanDtype(), (name, column)
        for column in table.required_columns:
            if (name, column) not in (("participants", "end_date"), ("offences", "outcome_date")):
                assert frame[column].notna().all(), (name, column)  # only ongoing / unproven are empty


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_loader_types_the_tables_the_same_way(small, programme):
    data = small[programme]
    loaded = red.load(data.tables())
    assert len(loaded.problems) == 0
    for name, frame in data.tables().items():
        assert_frame_equal(getattr(loaded, name), frame, check_exact=True)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
@pytest.mark.parametrize("programme", PROGRAMMES)
def test_round_trip_through_files(small, programme, fmt, tmp_path):
    data = small[programme]
    data.to_folder(tmp_path, format=fmt)
    loaded = red.load(tmp_path)
    assert len(loaded.problems) == 0
    for name, frame in data.tables().items():
        assert_frame_equal(getattr(loaded, name), frame, check_exact=True)


def test_optional_covariates_present(small):
    for programme, data in small.items():
        for column in ("ethnicity", "risk_level", "area"):
            assert column in data.participants and column in data.comparison, (programme, column)
        assert "referral_source" in data.participants
        for column in ("offence_id", "offence_type", "severity", "domestic_abuse"):
            assert column in data.offences
        assert data.participants["programme"].eq(programme).all()
        assert data.comparison["programme"].eq(programme).all()
    assert "trigger" in small["Turnaround"].participants and "trigger" in small["Turnaround"].comparison
    assert "trigger" not in small["DRIVE"].participants


def test_identifiers_unique_and_linked(small):
    for programme, data in small.items():
        people = pd.concat([data.participants["person_id"], data.comparison["person_id"]])
        assert people.is_unique, programme
        known = set(people)
        for name, column in (("offences", "person_id"), ("incidents", "perpetrator_id"), ("custody", "person_id"),
                             ("exits", "person_id"), ("asb", "person_id")):
            assert set(getattr(data, name)[column]) <= known, (programme, name)
        assert data.offences["offence_id"].is_unique and data.incidents["incident_id"].is_unique
        assert data.exits["person_id"].is_unique
        assert data.asb["asb_id"].is_unique


def test_sizes_and_truth_keys(small):
    data = small["DRIVE"]
    assert len(data.participants) == 150 and len(data.comparison) == 1000
    expected = {
        "programme", "seed", "effect", "da_effect", "extract_date", "n_participants", "n_comparison",
        "follow_up_days", "waiting_days", "baseline_offence_rate", "marac_share", "att_risk_treated",
        "att_risk_untreated", "att_risk_difference", "att_risk_ratio", "att_marginal_hr",
        "att_da_rate_treated", "att_da_rate_untreated", "att_da_rate_ratio", "potential_outcomes",
        "asb_effect", "da_offence_effect", "violent_effect",
        *(f"att_{k}_risk_{s}" for k in ("da", "violent") for s in ("treated", "untreated", "difference", "ratio")),
        *(f"att_first_time_entry_{s}" for s in ("treated", "untreated", "difference", "people")),
        *(f"att_police_contact_{s}" for s in ("treated", "untreated", "difference")),
        *(f"att_asb_rate_{s}" for s in ("treated", "untreated", "ratio")),
        *(f"att_any_asb_{s}" for s in ("treated", "untreated", "difference")),
    }
    assert set(data.truth) == expected
    assert data.truth["programme"] == "DRIVE" and data.truth["seed"] == 11
    assert data.truth["effect"] == 0.75 and data.truth["da_effect"] == 0.75
    assert data.truth["extract_date"] == date(2026, 3, 31)


def test_same_seed_same_data_different_seed_different_data():
    first = synthetic.generate("Up2U", n_participants=80, n_comparison=400, seed=5)
    again = synthetic.generate("Up2U", n_participants=80, n_comparison=400, seed=5)
    other = synthetic.generate("Up2U", n_participants=80, n_comparison=400, seed=6)
    for name, frame in first.tables().items():
        assert_frame_equal(getattr(again, name), frame, check_exact=True)
    scalars = {k: v for k, v in first.truth.items() if k != "potential_outcomes"}
    assert scalars == {k: v for k, v in again.truth.items() if k != "potential_outcomes"}
    assert_frame_equal(first.truth["potential_outcomes"], again.truth["potential_outcomes"])
    assert not first.participants.equals(other.participants)
    assert not first.offences.equals(other.offences)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"programme": "DRIVEX"}, "unknown programme"),
        ({"programme": 3}, "unknown programme"),
        ({"n_participants": -1}, "n_participants"),
        ({"n_participants": 0}, "n_participants"),
        ({"n_comparison": -10}, "n_comparison"),
        ({"n_comparison": 2.5}, "n_comparison"),
        ({"effect": 0}, "effect"),
        ({"effect": -0.5}, "effect"),
        ({"effect": float("nan")}, "effect"),
        ({"da_effect": 0.0}, "da_effect"),
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"extract_date": "not a date"}, "extract_date"),
    ],
)
def test_bad_arguments_raise_clear_value_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        synthetic.generate(**{"n_participants": 10, "n_comparison": 20, **kwargs})


def test_programme_name_is_matched_without_regard_to_case():
    data = synthetic.generate(" up2u ", n_participants=10, n_comparison=30, seed=1)
    assert data.truth["programme"] == "Up2U"


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_tiny_cohorts_still_generate_and_round_trip(programme, tmp_path):
    for seed in range(3):
        data = synthetic.generate(programme, n_participants=1, n_comparison=2, seed=seed)
        assert len(data.participants) == 1 and len(data.comparison) == 2
        assert set(data.tables()) == set(TABLES)  # empty event tables are present, with no rows
        folder = tmp_path / str(seed)
        data.to_folder(folder, format="csv")
        loaded = red.load(folder)
        for name, frame in data.tables().items():
            assert_frame_equal(getattr(loaded, name), frame, check_exact=True)
