"""Every rule of the mapping file, every built-in code set entry, header rows, sheets, globs, dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from typer.testing import CliRunner

import reoffend_eval as rev
from reoffend_eval.cli import app
from reoffend_eval.data.codesets import CODE_SETS, HOME_OFFICE_OUTCOME, SEX_WORDS, YES_NO
from reoffend_eval.errors import ContractError

from .conftest import raw_tables


def _folder(tmp_path, **changes):
    tmp_path.mkdir(parents=True, exist_ok=True)
    tables = raw_tables()
    tables.update(changes)
    for name, frame in tables.items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
    return tmp_path


def _workbook(path, sheets: dict[str, list[list]]):
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)


# ------------------------------------------------------------------ built-in code sets


HOME_OFFICE = {
    "1": "charged", "1A": "charged", "2": "caution", "3": "caution", "4": "other", "5": "nfa", "6": "pnd",
    "7": "other", "8": "community_resolution", "9": "nfa", "10": "nfa", "11": "nfa", "12": "nfa", "13": "nfa",
    "14": "nfa", "15": "nfa", "16": "nfa", "17": "nfa", "18": "nfa", "20": "nfa", "21": "nfa", "22": "other",
}


@pytest.mark.parametrize("number,code", HOME_OFFICE.items())
def test_every_home_office_outcome(number, code):
    assert HOME_OFFICE_OUTCOME.lookup(number) == code
    assert HOME_OFFICE_OUTCOME.lookup(f" Outcome {number.lower()} ") == code


def test_home_office_set_holds_exactly_the_framework_numbers():
    numbers = {k for k in HOME_OFFICE_OUTCOME.entries if not k.startswith(("outcome", "oc"))}
    assert numbers == {k.casefold() for k in HOME_OFFICE}
    assert HOME_OFFICE_OUTCOME.lookup("19") is None and HOME_OFFICE_OUTCOME.lookup("23") is None


SEX = {"M": "M", "male": "M", "Man": "M", "boy": "M", "1": "M", "F": "F", "Female": "F", "WOMAN": "F", "girl": "F",
       "2": "F", "X": "X", "u": "X", "Other": "X", "unknown": "X", "Not known": "X", "not stated": "X",
       "not recorded": "X", "Prefer not to say": "X", "indeterminate": "X", "intersex": "X", "non-binary": "X",
       "nonbinary": "X", "0": "X", "9": "X"}


@pytest.mark.parametrize("word,code", SEX.items())
def test_every_sex_word(word, code):
    assert SEX_WORDS.lookup(word) == code


def test_sex_words_has_no_entry_untested():
    assert set(SEX_WORDS.entries) == {w.casefold() for w in SEX}


YES_NO_WORDS = {"Y": True, "yes": True, "TRUE": True, "t": True, "1": True, "1.0": True,
                "N": False, "No": False, "false": False, "f": False, "0": False, "0.0": False}


@pytest.mark.parametrize("word,flag", YES_NO_WORDS.items())
def test_every_yes_no_word(word, flag):
    assert YES_NO.lookup(word) is flag


def test_yes_no_has_no_entry_untested():
    assert set(YES_NO.entries) == {w.casefold() for w in YES_NO_WORDS}
    assert set(CODE_SETS) == {"home_office_outcome", "sex_words", "yes_no"}


def test_home_office_codes_load_and_charged_is_not_proven_by_default(tmp_path):
    offences = raw_tables()["offences"].assign(disposal=["1", "3", "15"], outcome_date=["2023-06-01", "2022-03-01", ""])
    folder = _folder(tmp_path, offences=offences)
    data = rev.load(folder, mapping={"offences": {"codes": {"disposal": "home_office_outcome"}}})
    assert list(data.offences["disposal"].astype(str)) == ["charged", "caution", "nfa"]
    assert rev.OutcomeRules().proving_disposals == ("conviction", "caution")
    assert "charged" in rev.OutcomeRules(charges_count_as_proven=True).proving_disposals
    checked = rev.validate(data, extract_date="2025-03-31")
    assert checked.set_aside.empty


# ------------------------------------------------------------------ mapping rules


def test_columns_are_renamed_and_values_recoded_ignoring_case_and_spaces(tmp_path):
    p = raw_tables()["participants"].rename(columns={"person_id": "Client Ref", "exit_reason": "Case Outcome"})
    p["Case Outcome"] = ["  finished PROGRAMME ", "Still open", "ongoing"]
    folder = _folder(tmp_path, participants=p)
    mapping = {"participants": {"columns": {"person_id": " client ref", "exit_reason": "Case Outcome"},
                                "codes": {"exit_reason": {"Finished programme": "Completed", "still open": "ongoing"}}}}
    data = rev.load(folder, mapping=mapping)
    assert list(data.participants["person_id"]) == ["P1", "P2", "P3"]
    assert list(data.participants["exit_reason"].astype(str)) == ["completed", "ongoing", "ongoing"]
    r = data.recoded
    assert r[["value", "code", "rows"]].values.tolist() == [["finished PROGRAMME", "completed", 1],
                                                            ["Still open", "ongoing", 1]]
    # a contract code already in the file is read, not counted as recoded; rows are the file's own (header = 1)
    assert list(data.participants.index) == [2, 3, 4]


def test_a_value_neither_mapped_nor_a_code_is_quarantined_with_the_files_row(tmp_path):
    p = raw_tables()["participants"]
    p["exit_reason"] = ["Finished programme", "Awaiting", "ongoing"]
    folder = _folder(tmp_path, participants=p)
    data = rev.load(folder, mapping={"participants": {"codes": {"exit_reason": {"Finished programme": "completed"}}}})
    probs = data.problems
    assert probs[["table", "row", "column", "value"]].values.tolist() == [["participants", 3, "exit_reason", "Awaiting"]]


def test_bool_codes(tmp_path):
    o = raw_tables()["offences"].assign(domestic_abuse=["DA", "not DA", "DA"])
    folder = _folder(tmp_path, offences=o)
    data = rev.load(folder, mapping={"offences": {"codes": {"domestic_abuse": {"DA": True, "not da": "false"}}}})
    assert list(data.offences["domestic_abuse"]) == [True, False, True]


def test_a_table_without_a_section_keeps_its_own_names_and_rows(tmp_path):
    folder = _folder(tmp_path)
    data = rev.load(folder, mapping={"offences": {"codes": {"disposal": {"Convicted": "conviction"}}}})
    assert list(data.participants.index) == [1, 2, 3]


# ------------------------------------------------------------------ files, sheets, header rows


def test_glob_matching_none_or_two_files_is_a_clear_error(tmp_path):
    folder = _folder(tmp_path)
    with pytest.raises(ContractError, match=r"\[participants\] file = 'Case\*\.xlsx' matches no file.*files there"):
        rev.load(folder, mapping={"participants": {"file": "Case*.xlsx"}})
    (folder / "Case A.csv").write_text("x\n1\n")
    (folder / "Case B.csv").write_text("x\n1\n")
    with pytest.raises(ContractError, match=r"matches 2 files.*Case A\.csv, Case B\.csv.*exactly one"):
        rev.load(folder, mapping={"participants": {"file": "Case*.csv"}})


def test_sheet_and_header_row(tmp_path):
    folder = _folder(tmp_path)
    (folder / "participants.csv").unlink()
    p = raw_tables()["participants"]
    rows = [["Title of the export"], ["Printed 01/04/2025"], [], list(p.columns)] + p.values.tolist()
    _workbook(folder / "Cases.xlsx", {"Notes": [["read me"]], "Clients": rows})
    mapping = {"participants": {"file": "Cases.xlsx", "sheet": "clients", "header_row": 4}}
    data = rev.load(folder, mapping=mapping)
    assert list(data.participants["person_id"]) == ["P1", "P2", "P3"]
    assert list(data.participants.index) == [5, 6, 7]  # the rows Excel shows
    with pytest.raises(ContractError, match=r"no sheet 'Clientz' \(did you mean 'Clients'\?\).*'Notes', 'Clients'"):
        rev.load(folder, mapping={"participants": {"file": "Cases.xlsx", "sheet": "Clientz", "header_row": 4}})
    with pytest.raises(ContractError, match=r"header_row = 40 is past the end of sheet 'Clients'"):
        rev.load(folder, mapping={"participants": {"file": "Cases.xlsx", "sheet": "Clients", "header_row": 40}})
    with pytest.raises(ContractError, match=r"header row 1\): column 2 has values but no name"):
        rev.load(folder, mapping={"participants": {"file": "Cases.xlsx", "sheet": "Clients"}})


def test_csv_header_row_and_encoding(tmp_path):
    folder = _folder(tmp_path)
    text = "Police extract \u2013 offences\n\n" + raw_tables()["offences"].assign(
        offence_type=["violence", "theft", "criminal_damage"]).to_csv(index=False)
    (folder / "offences.csv").write_bytes(text.encode("cp1252"))
    with pytest.raises(ContractError, match="cannot be read as utf-8"):
        rev.load(folder, mapping={"offences": {"header_row": 3}})
    data = rev.load(folder, mapping={"offences": {"header_row": 3, "encoding": "cp1252"}})
    assert list(data.offences.index) == [4, 5, 6]
    with pytest.raises(ContractError, match="header_row = 30 is past the end"):
        rev.load(folder, mapping={"offences": {"header_row": 30, "encoding": "cp1252"}})


# ------------------------------------------------------------------ mistakes in a mapping


MISTAKES = [
    ({"participant": {}}, r"\[participant\] is not a table.*did you mean 'participants'"),
    ({"participants": {"colums": {}}}, r"unknown key 'colums' \(did you mean 'columns'\?\)"),
    ({"participants": {"columns": {"start_dat": "Start"}}}, r"columns.start_dat is not a column.*did you mean 'start_date'"),
    ({"participants": {"columns": {"start_date": "Intervention Start"}}}, r"no such column.*'start_date'"),
    ({"participants": {"codes": {"exit_reason": {"Finished": "complete"}}}},
     r"'complete' is not a code of participants.exit_reason \(did you mean 'completed'\?\)"),
    ({"participants": {"codes": {"sex": "sex_word"}}}, r"not a built-in code set \(did you mean 'sex_words'\?\)"),
    ({"participants": {"codes": {"sex": "home_office_outcome"}}}, r"is for disposal, not participants.sex"),
    ({"participants": {"codes": {"start_date": {"x": "y"}}}}, r"codes.start_date is a date column, not a code column"),
    ({"participants": {"header_row": 0}}, r"header_row must be a whole number >= 1"),
    ({"participants": {"encoding": "klingon"}}, r"encoding 'klingon' is not a known text encoding"),
    ({"participants": {"sheet": "Clients"}}, r"sheet = 'Clients' is for Excel workbooks"),
    ({"participants": {"columns": {"person_id": "A", "victim": "A"}}}, r"columns.victim is not a column"),
    ({"participants": {"columns": {"person_id": "area", "referral_source": "Area"}}}, r"both name the file's column"),
    ({"participants": {"codes": {"exit_reason": {"A": "completed", "a": "ongoing"}}}}, r"same value.*different codes"),
]


@pytest.mark.parametrize("mapping,message", MISTAKES)
def test_every_mistake_is_one_clear_error(tmp_path, mapping, message):
    folder = _folder(tmp_path)
    with pytest.raises(ContractError, match=message):
        rev.load(folder, mapping=mapping)


@pytest.mark.parametrize(
    "text,message",
    [
        ("[participants\nfile = 1", "not valid TOML"),
        ('[offenses]\nfile = "x.csv"', r"did you mean 'offences'"),
        ('[participants]\ncolumns = { start_dat = "x" }', r"did you mean 'start_date'"),
        ('[participants]\ncolumns = { start_date = "Intervention Start" }', "no such column"),
        ('[participants.codes.exit_reason]\n"Finished" = "done"', "not a code of participants.exit_reason"),
        ('[participants]\nfile = "Case*.xlsx"', "matches no file"),
        ('[participants]\nheader_row = 99', "past the end"),
        ('[participants]\nsheet = "Clients"', "is for Excel workbooks"),
    ],
)
def test_every_mistake_through_the_cli_is_one_line_and_exit_2(tmp_path, text, message):
    folder = _folder(tmp_path / "data")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(folder), "--mapping", str(mapping), "--extract-date",
                                      "2025-03-31"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    import re

    assert re.search(message, result.output), result.output


def test_cli_validate_reports_recoded_values(tmp_path):
    p = raw_tables()["participants"]
    p["sex"] = ["Man", "man", "Woman"]
    folder = _folder(tmp_path / "data", participants=p)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[participants.codes]\nsex = "sex_words"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(folder), "--mapping", str(mapping), "--extract-date",
                                      "2025-03-31", "--out", str(tmp_path / "v")])
    assert result.exit_code == 0, result.output
    assert "'Man' -> M (2 rows; sex_words)" in result.output
    import json

    doc = json.loads((tmp_path / "v" / "validation.json").read_text())
    assert {"table": "participants", "column": "sex", "value": "Woman", "code": "F", "rows": 1,
            "by": "sex_words"} in doc["recoded"]


def test_mapping_file_missing_and_relative_to_the_folder(tmp_path):
    folder = _folder(tmp_path)
    with pytest.raises(ContractError, match="mapping file 'nope.toml' not found"):
        rev.load(folder, mapping="nope.toml")
    (folder / "m.toml").write_text('[participants.codes]\nsex = "sex_words"\n')
    assert len(rev.load(folder, mapping="m.toml").participants) == 3


def test_file_key_with_tables_given_directly_is_an_error():
    with pytest.raises(ContractError, match="pass the folder, or leave 'file' out"):
        rev.load(raw_tables(), mapping={"participants": {"file": "x.csv"}})


# ------------------------------------------------------------------ dates mean one thing


def test_unpadded_iso_dates_and_midnight_timestamps_are_read(tmp_path):
    o = raw_tables()["offences"].assign(offence_date=["2023-1-5", "2022-01-05T00:00:00", "2023-06-01 00:00:00"])
    data = rev.load(_folder(tmp_path, offences=o))
    assert list(data.offences["offence_date"]) == [pd.Timestamp("2023-01-05"), pd.Timestamp("2022-01-05"),
                                                   pd.Timestamp("2023-06-01")]
    assert data.problems.empty


def test_slashed_dates_are_never_guessed(tmp_path):
    o = raw_tables()["offences"].assign(offence_date=["05/01/2023", "2022-01-05", "2023-06-01"])
    with pytest.raises(ContractError, match="never guessed"):
        rev.load(_folder(tmp_path, offences=o))


def test_present_but_unreadable_is_reported_as_unreadable_not_empty(tmp_path):
    o = raw_tables()["offences"].assign(offence_date=["2023-13-45", "yesterday", "soon"])
    with pytest.raises(ContractError, match=r"offence_date.*has values but none of them can be read.*row 1: "
                                            r"'2023-13-45'"):
        rev.load(_folder(tmp_path, offences=o))
    o = raw_tables()["offences"].assign(offence_date=["2023-13-45", "2022-01-05", "2023-06-01"])
    data = rev.load(_folder(tmp_path, offences=o))
    checked = rev.validate(data, extract_date="2025-03-31")
    q = checked.set_aside
    assert q["rule"].tolist() == ["value could not be read"] and "2023-13-45" in q["value"].item()


def test_excel_date_cells_are_read(tmp_path):
    folder = _folder(tmp_path)
    (folder / "custody.csv").unlink()
    _workbook(folder / "custody.xlsx", {"custody": [["person_id", "start_date", "end_date"],
                                                    ["P2", dt.datetime(2023, 6, 1), dt.date(2023, 7, 1)]]})
    data = rev.load(folder)
    assert list(data.custody["start_date"]) == [pd.Timestamp("2023-06-01")]
    assert list(data.custody["end_date"]) == [pd.Timestamp("2023-07-01")]


def test_a_section_for_a_table_with_no_file_is_an_error(tmp_path):
    folder = _folder(tmp_path)
    (folder / "offences.csv").rename(folder / "offences_2025.csv")
    with pytest.raises(ContractError, match=r"\[offences\] describes a table that is not in folder.*file ="):
        rev.load(folder, mapping={"offences": {"codes": {"disposal": "home_office_outcome"}}})
    data = rev.load(folder, mapping={"offences": {"file": "offences_*.csv"}})
    assert len(data.offences) == 3


def test_a_missing_required_column_says_how_to_map_it(tmp_path):
    p = raw_tables()["participants"].rename(columns={"start_date": "Intervention Start"})
    folder = _folder(tmp_path, participants=p)
    with pytest.raises(ContractError, match=r"'start_date'.*missing.*reoffend-eval inspect drafts one"):
        rev.load(folder)
    with pytest.raises(ContractError, match=r"'start_date'.*missing.*\[participants\] columns = \{ start_date = "):
        rev.load(folder, mapping={"participants": {"codes": {"sex": "sex_words"}}})


def test_dataframes_and_parquet_through_a_mapping_keep_row_1_for_the_first_record(tmp_path):
    tables = raw_tables()
    tables["participants"] = tables["participants"].rename(columns={"person_id": "Client Ref"})
    mapping = {"participants": {"columns": {"person_id": "Client Ref"}}}
    assert list(rev.load(tables, mapping=mapping).participants.index) == [1, 2, 3]
    folder = _folder(tmp_path)
    (folder / "participants.csv").unlink()
    tables["participants"].to_parquet(folder / "participants.parquet", index=False)
    assert list(rev.load(folder, mapping=mapping).participants.index) == [1, 2, 3]


def test_the_mapping_files_hash_is_kept_for_provenance(tmp_path):
    import hashlib

    folder = _folder(tmp_path)
    path = folder / "m.toml"
    path.write_text('[participants.codes]\nsex = "sex_words"\n')
    data = rev.load(folder, mapping=path)
    assert data.sources["mapping"].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "mapping" not in rev.load(folder, mapping={"participants": {}}).sources

_SPELLINGS = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: f"{d.isoformat()}T00:00:00",
    lambda d: f"{d.isoformat()} 00:00:00",
    lambda d: f"{d.year}-{d.month}-{d.day} 00:00",
]


@settings(max_examples=60, deadline=None)
@given(days=st.lists(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)), min_size=1,
                     max_size=6),
       spelling=st.lists(st.integers(0, len(_SPELLINGS) - 1), min_size=6, max_size=6))
def test_every_iso_spelling_of_a_date_reads_as_that_date(days, spelling):
    from reoffend_eval.data.contract import TABLES
    from reoffend_eval.data.load import coerce_table

    raw = pd.DataFrame({"person_id": ["P"] * len(days), "start_date": [_SPELLINGS[s](d) for d, s in
                                                                       zip(days, spelling)],
                        "end_date": [None] * len(days)}, dtype=object)
    typed, problems = coerce_table(TABLES["custody"], raw, "custody.csv")
    assert problems.empty
    assert list(typed["start_date"]) == [pd.Timestamp(d) for d in days]


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)), st.booleans())
def test_slashed_dates_read_only_as_the_caller_says(day, dayfirst):
    from reoffend_eval.data.contract import TABLES
    from reoffend_eval.data.load import coerce_table

    text = day.strftime("%d/%m/%Y") if dayfirst else day.strftime("%m/%d/%Y")
    raw = pd.DataFrame({"person_id": ["P"], "start_date": [text], "end_date": [None]}, dtype=object)
    with pytest.raises(ContractError, match="never guessed"):
        coerce_table(TABLES["custody"], raw, "custody.csv")
    typed, _ = coerce_table(TABLES["custody"], raw, "custody.csv", dayfirst=dayfirst)
    assert typed["start_date"].iloc[0] == pd.Timestamp(day)
