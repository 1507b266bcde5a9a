"""The asb table (#15): read, checked and quarantined like the other event tables."""
from __future__ import annotations

import pandas as pd

from reoffend_eval.data.contract import ASB_TYPES, TABLES
from reoffend_eval.validate import validate
from reoffend_eval.validate.suites import load_suites

from validate_cohort import EXTRACT, good_tables, load


def asb_rows():
    return pd.DataFrame({
        "person_id": ["P3", "P3", "C1", "P1"],
        "date": ["2023-04-01", "2023-06-01", "2023-07-01", "2024-01-01"],
        "type": ["incident", "community_protection_notice", "incident", "warning"],
    })


def with_asb(asb):
    t = good_tables()
    t["asb"] = asb
    return t


def test_contract_and_suite_know_the_asb_table():
    assert TABLES["asb"].required_columns == ("person_id", "date", "type")
    assert TABLES["asb"].column("asb_id").required is False
    assert TABLES["asb"].column("type").codes == ASB_TYPES
    suite = load_suites()["asb"]
    assert suite.table == "asb"
    rules = {r.rule for r in suite.rules}
    assert {"type not a known code", "date after the extract date", "duplicate asb_id",
            "orphan: person in neither participants nor comparison"} <= rules


def test_valid_asb_table_passes_and_codes_are_read_without_regard_to_case():
    asb = asb_rows()
    asb.loc[1, "type"] = " Community_Protection_Notice "
    data = load(with_asb(asb))
    assert list(data.asb["type"]) == ["incident", "community_protection_notice", "incident", "warning"]
    r = validate(data, extract_date=EXTRACT)
    assert r.ok and r.quarantine.empty
    assert r.counts.loc["asb", "rows_in"] == 4 and r.counts.loc["asb", "clean"] == 4


def test_bad_asb_rows_are_quarantined_naming_table_row_rule_and_value():
    asb = pd.concat([asb_rows(), pd.DataFrame({
        "person_id": ["P1", "P2", "NOBODY", "P4"],
        "date": ["2023-05-01", "2023-13-01", "2023-05-01", "2025-04-01"],
        "type": ["dispersal_order", "incident", "incident", "incident"],
    })], ignore_index=True)
    r = validate(load(with_asb(asb)), extract_date=EXTRACT)
    q = r.quarantine[r.quarantine["table"] == "asb"].set_index("row")
    assert sorted(q.index) == [5, 6, 7, 8]                       # the four good rows are kept
    assert q.loc[5, "rule"] == "value could not be read" and "dispersal_order" in q.loc[5, "value"]
    assert "type" in q.loc[5, "value"]
    assert q.loc[6, "rule"] == "value could not be read" and "2023-13-01" in q.loc[6, "value"]
    assert q.loc[7, "rule"].startswith("orphan") and "NOBODY" in q.loc[7, "value"]
    assert q.loc[8, "rule"] == "date after the extract date" and "2025-04-01" in q.loc[8, "value"]
    assert r.counts.loc["asb", "rows_in"] == 8
    assert r.counts.loc["asb", "clean"] + r.counts.loc["asb", "set_aside"] == 8
    assert len(r.clean.asb) == 4


def test_repeated_asb_id_is_quarantined():
    asb = asb_rows()
    asb["asb_id"] = ["A1", "A2", "A3", "A1"]
    r = validate(load(with_asb(asb)), extract_date=EXTRACT)
    q = r.quarantine[r.quarantine["table"] == "asb"]
    assert "duplicate asb_id" in set(q["rule"])


def test_no_asb_table_is_fine():
    r = validate(load(good_tables()), extract_date=EXTRACT)
    assert r.ok and r.clean.asb is None
