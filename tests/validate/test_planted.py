"""A mid-sized extract with planted defects: every defect lands on its row with its rule, nothing else is
quarantined, and the whole quarantine, summary and counts are those the suites gave before validation was
made faster (fixtures written by main at ff948fd, the code and suites before the speed work; rewritten when
issue 14 changed the duplicate rules on purpose: a repeated record id keeps its first row).

Set REWRITE_PLANTED_FIXTURES=1 to write the fixtures again after a deliberate change of the rules."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from reoffend_eval.validate import validate

from planted_extract import EXTRACT, planted_tables
from validate_cohort import load

FIXTURES = Path(__file__).parent / "fixtures"


def _canon(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), "").astype(str).reset_index(drop=True)


@pytest.fixture(scope="module")
def extract():
    tables, planted = planted_tables()
    return load(tables), planted


@pytest.mark.parametrize("programme", [None, "Up2U"])
def test_planted_defects_quarantined_exactly_as_before(extract, programme):
    data, planted = extract
    r = validate(data, extract_date=EXTRACT, programme=programme)
    got = set(zip(r.quarantine["table"], r.quarantine["row"].astype(int), r.quarantine["rule"]))
    # P40 is a DRIVE/Up2U/Turnaround participant; analysing another programme it is not contamination
    expected = set(planted)
    tag = programme or "all"
    if programme is not None:
        own = data.participants.loc[data.participants["person_id"] == "P40", "programme"].astype(str).tolist()
        if programme not in own:
            expected.discard(("comparison", len(data.comparison), "contamination: also a participant (dropped from the comparison)"))
    if programme == "Up2U":
        # the comparison pool meets Up2U's age rule at eligible_date: born after it (rows 7, 8) or aged 14 (P40)
        rule = "comparison pool: Up2U eligibility: under 16 at eligible_date"
        expected |= {("comparison", r, rule) for r in (7, 8, len(data.comparison))}
    assert got == expected
    if os.environ.get("REWRITE_PLANTED_FIXTURES"):
        _canon(r.quarantine).to_csv(FIXTURES / f"planted_quarantine_{tag}.csv", index=False)
        _canon(r.summary).to_csv(FIXTURES / f"planted_summary_{tag}.csv", index=False)
        r.counts.to_csv(FIXTURES / f"planted_counts_{tag}.csv")
    before_q = pd.read_csv(FIXTURES / f"planted_quarantine_{tag}.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(_canon(r.quarantine), before_q)
    before_s = pd.read_csv(FIXTURES / f"planted_summary_{tag}.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(_canon(r.summary), before_s)
    before_c = pd.read_csv(FIXTURES / f"planted_counts_{tag}.csv", index_col="table")
    pd.testing.assert_frame_equal(r.counts, before_c, check_dtype=False)
    # the clean data are the rows in minus the rows set aside, table by table
    for name, frame in data.tables().items():
        aside = set(r.set_aside.loc[r.set_aside["table"] == name, "row"])
        assert list(r.clean.tables()[name].index) == [i for i in frame.index if i not in aside]
