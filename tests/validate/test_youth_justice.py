"""Turnaround eligibility (#15): a child with a proven offence before referral is warned about, not set aside."""
from __future__ import annotations

import pandas as pd

from reoffend_eval.validate import validate

from validate_cohort import EXTRACT, good_tables, load

RULE = "Turnaround: already in the youth justice system"


def with_child_offences(rows):
    t = good_tables()
    extra = pd.DataFrame(rows, columns=["person_id", "offence_date", "outcome_date", "disposal", "offence_type"])
    t["offences"] = pd.concat([t["offences"], extra], ignore_index=True)
    return t


def test_child_cautioned_before_referral_is_flagged_and_kept():
    # P3 (Turnaround) was referred on 2023-03-01
    t = with_child_offences([["P3", "2022-06-01", "2022-08-01", "caution", "theft"]])
    r = validate(load(t), extract_date=EXTRACT)
    q = r.quarantine[r.quarantine["rule"].str.startswith(RULE)]
    assert list(q["table"]) == ["participants"] and list(q["person_id"]) == ["P3"]
    assert list(q["severity"]) == ["warning"] and "proven_offences_before_referral=1" in q["value"].iloc[0]
    assert "P3" in set(r.clean.participants["person_id"])          # kept
    assert r.counts.loc["participants", "flagged"] == 1 and r.counts.loc["participants", "set_aside"] == 0


def test_no_warning_for_unproven_or_later_proven_offences_nor_for_adults():
    t = with_child_offences([
        ["P3", "2022-06-01", "", "nfa", "theft"],                    # never proven
        ["P3", "2023-02-01", "2023-03-02", "caution", "theft"],      # proven the day after referral
        ["P3", "2022-06-01", "2022-08-01", "pnd", "public_order"],   # a penalty notice is not a caution
    ])
    r = validate(load(t), extract_date=EXTRACT)
    assert not r.quarantine["rule"].str.startswith(RULE).any()
    # P1 (DRIVE) has a conviction before referral: the Turnaround rule does not apply to DRIVE
    assert r.ok


def test_proven_on_the_referral_date_is_already_in_the_system():
    t = with_child_offences([["P3", "2023-02-28", "2023-03-01", "conviction", "theft"]])
    r = validate(load(t), extract_date=EXTRACT)
    assert r.quarantine["rule"].str.startswith(RULE).sum() == 1
