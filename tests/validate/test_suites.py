"""The suite files: readable, free of GX ids, and checked when loaded."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reoffend_eval.data.contract import TABLES
from reoffend_eval.validate import ValidationError, load_suites, validate
from reoffend_eval.validate.suites import suites_folder

from validate_cohort import EXTRACT, good_tables, load


def test_one_suite_per_table_and_per_programme():
    suites = load_suites()
    assert {s.table for s in suites.values() if s.programme is None} == set(TABLES)
    assert {s.programme for s in suites.values() if s.programme} == {"DRIVE", "Up2U", "Turnaround"}


def test_suite_files_have_no_ids_or_version_stamps():
    for path in suites_folder().glob("*.json"):
        text = path.read_text()
        doc = json.loads(text)
        assert '"id"' not in text and "great_expectations_version" not in text, path.name
        for e in doc["expectations"]:
            assert e["meta"]["severity"] in ("fatal", "error", "warning")
            assert e["meta"]["rule"]


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "suites"
    shutil.copytree(suites_folder(), folder)
    return folder


def test_unknown_expectation_type_fails_clearly(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "custody.json"
    doc = json.loads(path.read_text())
    doc["expectations"].append({"type": "expect_column_values_to_be_frobbed", "kwargs": {"column": "person_id"},
                                "meta": {"rule": "frob", "severity": "error"}})
    path.write_text(json.dumps(doc))
    with pytest.raises(ValidationError, match=r"custody.json.*lists 22 expectations.*kept only 21.*frobbed"):
        load_suites(folder)


def test_bad_severity_and_bad_json_fail_clearly(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "exits.json"
    doc = json.loads(path.read_text())
    doc["expectations"][0]["meta"]["severity"] = "bad"
    path.write_text(json.dumps(doc))
    with pytest.raises(ValidationError, match="exits.json.*severity"):
        load_suites(folder)
    path.write_text("{not json")
    with pytest.raises(ValidationError, match="exits.json.*not readable JSON"):
        load_suites(folder)


def test_a_service_can_change_an_age_range(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "programme_Turnaround.json"
    doc = json.loads(path.read_text())
    doc["expectations"][0]["kwargs"]["min_value"] = 14        # the child is 12 at referral
    path.write_text(json.dumps(doc, indent=2))
    data = load(good_tables())
    assert validate(data, extract_date=EXTRACT).ok
    r = validate(data, extract_date=EXTRACT, suites=folder)
    assert list(r.quarantine["person_id"]) == ["P3"]
    assert "age_at_referral=12" in r.quarantine["value"].item()


def test_a_service_can_make_a_rule_a_warning(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "offences.json"
    doc = json.loads(path.read_text())
    for e in doc["expectations"]:
        if e["meta"]["rule"].startswith("orphan"):
            e["meta"]["severity"] = "warning"
    path.write_text(json.dumps(doc, indent=2))
    t = good_tables()
    t["offences"].loc[0, "person_id"] = "Z1"
    r = validate(load(t), extract_date=EXTRACT, suites=folder)
    assert r.ok and r.counts.loc["offences", "flagged"] == 1 and r.counts.loc["offences", "clean"] == 4


def test_every_event_table_keeps_identical_rows_and_sets_aside_repeated_ids():
    """#14: any event table (an ASB table too, when added) keeps identical rows and flags them;
    with its record id a repeated id is set aside, the first kept; people stay errors."""
    from reoffend_eval.data.contract import EVENT_IDS, EVENT_TABLES

    assert {"offences", "incidents", "custody"} <= set(EVENT_TABLES)
    suites = {s.table: s for s in load_suites().values() if s.programme is None}
    for table in TABLES:
        suite = suites[table]
        identical = [r for r in suite.rules if r.columns == ("copy_of_row",)]
        assert len(identical) == 1, table
        if table in EVENT_TABLES:
            assert identical[0].severity == "warning" and identical[0].rule.startswith("identical rows"), table
        else:
            assert identical[0].severity == "error" and identical[0].rule == "duplicate row", table
        record_id = EVENT_IDS.get(table)
        if record_id:
            assert TABLES[table].column(record_id) is not None
            assert suite.derived_columns["copy_of_row"].get("unless_present") == record_id
            spec = suite.derived_columns["copy_of_id"]
            assert spec == {"kind": "copy_of_earlier_row", "columns": [record_id], "skip_missing": True}
            rule = [r for r in suite.rules if r.columns == ("copy_of_id",)]
            assert len(rule) == 1 and rule[0].severity == "error" and rule[0].rule == f"duplicate {record_id}"
            assert not any(r.type == "expect_column_values_to_be_unique" for r in suite.rules)
