"""End to end: a county's extract in its own shape, read through a mapping file, gives the same
outcomes as the same data in the contract's shape; only the planted bad rows are set aside."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from .county import MAPPING, make_county

import reoffend_eval as rev
from reoffend_eval.data import inspect_folder


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return make_county(tmp_path_factory.mktemp("county") / "extract")


@pytest.fixture(scope="module")
def checked(county):
    data = rev.load(county.folder, mapping=county.mapping)
    return data, rev.validate(data, extract_date=county.extract_date, programme="DRIVE")


def test_only_the_planted_rows_are_set_aside_with_the_files_own_row_numbers(county, checked):
    _, result = checked
    aside = result.set_aside
    got = {t: sorted(aside.loc[aside["table"] == t, "row"].unique().tolist()) for t in aside["table"].unique()}
    assert got == county.planted
    values = " | ".join(aside["value"])
    assert "Awaiting allocation" in values and "31/02/2024" in values and "Pending court" in values
    # the incident recorded twice is kept, and flagged naming the earlier row
    flagged = result.flagged
    dup = flagged[flagged["rule"].str.startswith("identical rows")]
    assert list(dup["table"]) == ["incidents"] and list(dup["row"]) == [county.duplicate_incident_row]
    assert dup["value"].item() == "2"
    assert result.counts.loc["incidents", "set_aside"] == 0


def test_outcomes_equal_those_of_the_contract_shaped_data(county, checked):
    _, result = checked
    reference = rev.validate(county.reference, extract_date=county.extract_date, programme="DRIVE")
    assert reference.ok
    rules = rev.OutcomeRules(programme="DRIVE", extract_date=county.extract_date)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # both runs warn alike (e.g. short follow-up)
        mine = rev.derive_outcomes(result.clean, rules)
        theirs = rev.derive_outcomes(reference.clean, rules)
    key = ["person_id", "treated"] if "treated" in mine.columns else ["person_id"]
    mine = mine.sort_values(key).reset_index(drop=True)
    theirs = theirs.sort_values(key).reset_index(drop=True)
    assert len(mine) == len(theirs) == 260
    pd.testing.assert_frame_equal(mine, theirs, check_dtype=False, check_categorical=False)
    for measure in ("reoffended", "proven_reoffences"):
        if measure in mine.columns:
            assert mine[measure].sum() == theirs[measure].sum()


def test_recoded_values_are_counted_per_mapping(county, checked):
    data, result = checked
    r = result.recoded
    finished = r[(r["table"] == "participants") & (r["value"] == "Finished programme")]
    n_completed = int((county.reference.participants["exit_reason"] == "completed").sum())
    assert finished["code"].item() == "completed" and finished["rows"].item() == n_completed
    assert finished["by"].item() == "mapping"
    women = r[(r["table"] == "participants") & (r["value"] == "Woman")]
    assert women["rows"].item() == int((county.reference.participants["sex"] == "F").sum())
    assert women["by"].item() == "sex_words"
    flags = r[(r["table"] == "offences") & (r["column"] == "domestic_abuse")]
    assert flags["rows"].sum() == len(county.reference.offences) + 2
    as_json = result.to_dict()["recoded"]
    assert {"table": "participants", "column": "exit_reason", "value": "Finished programme", "code": "completed",
            "rows": n_completed, "by": "mapping"} in as_json


def test_the_same_mapping_as_a_dict(county):
    import tomllib

    data = rev.load(county.folder, mapping=tomllib.loads(MAPPING))
    assert len(data.participants) == len(county.reference.participants) + 1


def test_inspect_drafts_a_mapping_that_gets_most_columns_right(county, tmp_path):
    draft = inspect_folder(county.folder, programme="DRIVE")
    import tomllib

    truth = tomllib.loads(MAPPING)
    # the answer: every contract column the county's files hold, by table
    expected: dict[tuple[str, str], str] = {}
    for table, section in truth.items():
        for contract_column, file_column in section.get("columns", {}).items():
            expected[(table, contract_column)] = file_column
    expected[("participants", "programme")] = "Programme"
    right = sum(
        1 for (table, column), file_column in expected.items()
        if table in draft.tables and draft.tables[table].columns.get(column) == file_column
    )
    fraction = right / len(expected)
    print(f"inspect: {right}/{len(expected)} contract columns right ({fraction:.0%})")
    assert fraction >= 0.8
    p = draft.tables["participants"]
    assert (p.file, p.sheet, p.header_row, p.dayfirst) == ("Case export 2026-03.xlsx", "Clients", 4, True)
    assert draft.tables["offences"].encoding == "cp1252"
    assert draft.tables["comparison"].encoding is None
    assert draft.tables["custody"].file == "custody.parquet"
    assert "exit_reason" in p.unmapped_values
    assert {v for v, _ in p.unmapped_values["exit_reason"]} >= {"Finished programme", "Still open"}
    assert p.code_sets.get("sex") == "sex_words"
    assert "# \"Finished programme\" = \"completed\"  # " in draft.toml
    # the draft is a valid mapping: it loads the extract as it stands
    path = tmp_path / "draft.toml"
    path.write_text(draft.toml, encoding="utf-8")
    rev.data.read_mapping(path)


def test_inspect_cli_writes_the_draft_and_says_what_it_could_not_decide(county, tmp_path):
    from typer.testing import CliRunner

    from reoffend_eval.cli import app

    out = tmp_path / "draft.toml"
    result = CliRunner().invoke(app, ["inspect", str(county.folder), "--programme", "DRIVE", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and "[participants]" in out.read_text(encoding="utf-8")
    assert "participants  Case export 2026-03.xlsx [Clients] (header on row 4" in result.output
    assert "not used" in result.output and "[Notes]" in result.output
    again = CliRunner().invoke(app, ["inspect", str(county.folder), "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    missing = CliRunner().invoke(app, ["inspect", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x.toml")])
    assert missing.exit_code == 2 and "is not a folder" in missing.output


def _csv(folder, name, text, encoding="utf-8"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))


def test_inspect_day_first_month_first_and_cannot_tell(tmp_path):
    header = "Client Ref,Programme,Referral Date,Start Date,End Date,Exit Reason,DOB,Gender\n"
    uk = header + "A1,DRIVE,25/01/2023,30/01/2023,,Still open,01/02/1980,Male\n"
    us = header + "A1,DRIVE,01/25/2023,01/30/2023,,Still open,02/01/1980,Male\n"
    unclear = header + "A1,DRIVE,05/01/2023,06/01/2023,,Still open,01/02/1980,Male\n"
    pool = "person_id,eligible_date,date_of_birth,sex\nC1,2023-01-05,1980-01-01,M\n"
    for name, text, expected in (("uk", uk, True), ("us", us, False), ("unclear", unclear, None)):
        folder = tmp_path / name
        _csv(folder, "clients.csv", text, encoding="cp1252" if name == "uk" else "utf-8")
        _csv(folder, "comparison.csv", pool)
        draft = inspect_folder(folder)
        p = draft.tables["participants"]
        assert p.dayfirst is expected, name
        if expected is None:
            assert any("day-first cannot be told" in u for u in draft.undecided)
    assert inspect_folder(tmp_path / "uk").tables["participants"].encoding is None  # plain ASCII is UTF-8


def test_inspect_detects_windows_1252(tmp_path):
    text = "Client Ref,Programme,Referral Date,Start Date,End Date,Exit Reason,DOB,Gender\n" \
           "A1,DRIVE,2023-01-05,2023-01-06,,Still open – waiting,1980-01-01,Male\n"
    _csv(tmp_path, "clients.csv", text, encoding="cp1252")
    _csv(tmp_path, "comparison.csv", "person_id,eligible_date,date_of_birth,sex\nC1,2023-01-05,1980-01-01,M\n")
    draft = inspect_folder(tmp_path)
    assert draft.tables["participants"].encoding == "cp1252"
    assert '# "Still open – waiting" = "ongoing"  # 1 row; a guess' in draft.toml
