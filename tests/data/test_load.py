"""rev.load: every table from every format, typed; every structural problem a clear error."""
import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import reoffend_eval as rev
from reoffend_eval import ContractError
from reoffend_eval.data.contract import TABLES

from .conftest import raw_tables, write_tables


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_every_table_loads_typed_from_each_format(tmp_path, fmt):
    data = rev.load(write_tables(tmp_path, raw_tables(), fmt))
    for name in TABLES:
        assert getattr(data, name) is not None, name
    p = data.participants
    assert p.index.name == "row" and list(p.index) == [1, 2, 3]
    assert p["person_id"].dtype == pd.StringDtype("pyarrow")
    assert p["start_date"].dtype == "datetime64[ns]"
    assert p.loc[2, "start_date"] == pd.Timestamp("2023-02-15")
    assert pd.isna(p.loc[2, "end_date"])
    assert isinstance(p["programme"].dtype, pd.CategoricalDtype)
    # codes are matched regardless of case and surrounding spaces, then spelled canonically
    assert list(p["programme"]) == ["DRIVE", "DRIVE", "Up2U"]
    assert list(p["sex"]) == ["M", "M", "F"]
    assert list(p["exit_reason"]) == ["completed", "ongoing", "ongoing"]
    assert list(p["risk_level"]) == ["high", "high", "medium"]
    assert data.offences["domestic_abuse"].dtype == "boolean"
    assert list(data.offences["domestic_abuse"]) == [True, False, False]
    assert pd.isna(data.offences.loc[3, "outcome_date"])
    assert data.incidents["perpetrator_id"].tolist() == ["P1", "P1"]
    assert list(data.asb["type"]) == ["incident", "warning"]
    assert data.problems.empty
    assert data.sources["participants"].sha256 and len(data.sources["participants"].sha256) == 64


def test_unknown_extra_columns_are_kept_and_numbers_stay_numbers(tmp_path):
    data = rev.load(write_tables(tmp_path, raw_tables(), "csv"))
    assert "gp_registered" in data.participants.columns
    assert data.participants["gp_registered"].tolist() == [1, 0, 1]
    assert data.participants["area"].tolist() == ["North", "South", "East"]


def test_optional_tables_may_be_absent(tmp_path):
    tables = {k: v for k, v in raw_tables().items() if k in ("participants", "comparison")}
    data = rev.load(write_tables(tmp_path, tables, "csv"))
    assert data.offences is None and data.incidents is None and data.custody is None and data.exits is None


def test_load_takes_a_mapping_of_frames_and_paths(tmp_path):
    tables = raw_tables()
    write_tables(tmp_path, {"offences": tables["offences"]}, "parquet")
    data = rev.load(
        {
            "participants": tables["participants"],
            "comparison": tables["comparison"],
            "offences": tmp_path / "offences.parquet",
        }
    )
    assert len(data.participants) == 3 and len(data.offences) == 3
    assert data.sources["participants"].path is None
    assert data.sources["offences"].format == "parquet"


def test_mapping_with_unknown_table_name_is_an_error():
    with pytest.raises(ContractError, match="unknown table name.*'offense'"):
        rev.load({**raw_tables(), "offense": pd.DataFrame()})


def test_missing_required_table(tmp_path):
    tables = raw_tables()
    del tables["comparison"]
    with pytest.raises(ContractError, match="table 'comparison' is missing.*comparison.csv"):
        rev.load(write_tables(tmp_path, tables, "csv"))


def test_missing_required_column_names_file_table_and_column(tmp_path):
    tables = raw_tables()
    tables["offences"] = tables["offences"].rename(columns={"offence_date": "offence_dt"})
    with pytest.raises(ContractError) as err:
        rev.load(write_tables(tmp_path, tables, "csv"))
    message = str(err.value)
    assert "offences.csv" in message and "'offence_date'" in message and "table 'offences'" in message
    assert "offence_dt" in message  # the likely rename is suggested


def test_empty_file(tmp_path):
    write_tables(tmp_path, raw_tables(), "csv")
    (tmp_path / "custody.csv").write_bytes(b"")
    with pytest.raises(ContractError, match="custody.csv: the file is empty"):
        rev.load(tmp_path)


def test_header_only_file_loads_with_zero_rows(tmp_path):
    write_tables(tmp_path, raw_tables(), "csv")
    (tmp_path / "custody.csv").write_text("person_id,start_date,end_date\n")
    data = rev.load(tmp_path)
    assert len(data.custody) == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_duplicated_column(tmp_path, fmt):
    tables = raw_tables()
    frame = tables["custody"]
    tables["custody"] = pd.concat([frame, frame[["end_date"]]], axis=1)
    write_tables(tmp_path, tables, fmt)
    with pytest.raises(ContractError, match=rf"custody.{fmt}: column 'end_date' appears twice \(columns 3 and 4\)"):
        rev.load(tmp_path)


def test_duplicated_column_differing_only_in_case(tmp_path):
    write_tables(tmp_path, raw_tables(), "csv")
    (tmp_path / "exits.csv").write_text("person_id,date,reason,Reason\nC2,2023-09-01,died,died\n")
    with pytest.raises(ContractError, match="exits.csv: column 'reason' appears twice"):
        rev.load(tmp_path)


def test_slashed_dates_are_never_guessed(tmp_path):
    tables = raw_tables()
    tables["comparison"]["eligible_date"] = ["11/01/2023", "01/04/2023"]
    write_tables(tmp_path, tables, "csv")
    with pytest.raises(ContractError) as err:
        rev.load(tmp_path)
    message = str(err.value)
    assert "comparison.csv" in message and "'eligible_date'" in message
    assert "row 1: '11/01/2023'" in message and "dayfirst=True" in message


def test_dayfirst_reads_uk_dates(tmp_path):
    tables = raw_tables()
    tables["comparison"]["eligible_date"] = ["11/01/2023", "2023-04-01"]
    data = rev.load(write_tables(tmp_path, tables, "csv"), dayfirst=True)
    assert data.comparison["eligible_date"].tolist() == [pd.Timestamp("2023-01-11"), pd.Timestamp("2023-04-01")]
    us = rev.load(tmp_path, dayfirst=False)
    assert us.comparison.loc[1, "eligible_date"] == pd.Timestamp("2023-11-01")


def test_legacy_windows_encoding(tmp_path):
    tables = raw_tables()
    tables["participants"]["area"] = ["Ynys Môn", "Penrhyn’s Bay", "East"]
    write_tables(tmp_path, tables, "csv")
    path = tmp_path / "participants.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    with pytest.raises(ContractError, match=r"participants.csv: cannot be read as utf-8 .*line 2.*encoding='cp1252'"):
        rev.load(tmp_path)
    data = rev.load(tmp_path, encoding="cp1252")
    assert data.participants["area"].tolist() == ["Ynys Môn", "Penrhyn’s Bay", "East"]


def test_row_level_problems_keep_the_row_and_the_raw_value(tmp_path):
    tables = raw_tables()
    tables["participants"].loc[1, "start_date"] = "2023-02-30"
    tables["participants"].loc[2, "programme"] = "Drive Plus"
    tables["offences"].loc[0, "disposal"] = "fine"
    tables["offences"].loc[2, "domestic_abuse"] = "maybe"
    data = rev.load(write_tables(tmp_path, tables, "csv"))
    assert len(data.participants) == 3 and len(data.offences) == 3
    assert pd.isna(data.participants.loc[2, "start_date"])
    problems = data.problems.set_index(["table", "row", "column"])
    assert problems.loc[("participants", 2, "start_date"), "value"] == "2023-02-30"
    assert problems.loc[("participants", 3, "programme"), "value"] == "Drive Plus"
    assert "DRIVE, Up2U, Turnaround" in problems.loc[("participants", 3, "programme"), "problem"]
    assert problems.loc[("offences", 1, "disposal"), "value"] == "fine"
    assert problems.loc[("offences", 3, "domestic_abuse"), "value"] == "maybe"
    assert len(data.problems) == 4


def test_two_files_for_one_table(tmp_path):
    write_tables(tmp_path, raw_tables(), "csv")
    write_tables(tmp_path, {"custody": raw_tables()["custody"]}, "parquet")
    with pytest.raises(ContractError, match="table 'custody' has more than one file"):
        rev.load(tmp_path)


def test_not_a_folder(tmp_path):
    with pytest.raises(ContractError, match="is not a folder"):
        rev.load(tmp_path / "nowhere")


def test_round_trip_through_to_folder(tmp_path):
    data = rev.load(write_tables(tmp_path / "in", raw_tables(), "csv"))
    for fmt in ("parquet", "csv"):
        data.to_folder(tmp_path / fmt, format=fmt)
        again = rev.load(tmp_path / fmt)
        for name, table in data.tables().items():
            pd.testing.assert_frame_equal(getattr(again, name), table, check_dtype=True)


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    style=st.sampled_from(["iso", "uk", "us"]),
)
def test_any_date_reads_back_as_written(day, style):
    text = {"iso": day.isoformat(), "uk": day.strftime("%d/%m/%Y"), "us": day.strftime("%m/%d/%Y")}[style]
    tables = raw_tables()
    tables["custody"] = pd.DataFrame({"person_id": ["P2"], "start_date": [text], "end_date": [""]})
    dayfirst = {"iso": None, "uk": True, "us": False}[style]
    data = rev.load(tables, dayfirst=dayfirst)
    assert data.custody.loc[1, "start_date"] == pd.Timestamp(day)
    assert data.problems.empty


@pytest.mark.parametrize("fmt", ["xlsx", "parquet"])
def test_real_date_cells_and_typed_columns_are_read(tmp_path, fmt):
    tables = raw_tables()
    tables["custody"] = pd.DataFrame(
        {
            "person_id": [1234, 77],  # a spreadsheet that turned identifiers into numbers
            "start_date": [dt.datetime(2023, 6, 1), dt.datetime(2023, 1, 2)],
            "end_date": [dt.datetime(2023, 7, 1), pd.NaT],
        }
    )
    data = rev.load(write_tables(tmp_path, tables, fmt))
    custody = data.custody
    assert custody["person_id"].tolist() == ["1234", "77"]
    assert custody["start_date"].tolist() == [pd.Timestamp("2023-06-01"), pd.Timestamp("2023-01-02")]
    assert pd.isna(custody.loc[2, "end_date"])
    assert data.problems.empty
