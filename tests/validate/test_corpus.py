"""The broken-input corpus: each case breaks one thing in a valid cohort.

Each must end in a clear fatal message (a ContractError naming the table and
column) or in quarantine/warning rows naming the right rule, for the right
rows; never a traceback, never a lost row.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd
import pytest

from reoffend_eval.errors import ContractError
from reoffend_eval.validate import ValidationError, validate

from validate_cohort import EXTRACT, good_tables, load


@dataclass(frozen=True)
class Case:
    name: str
    breaks: Callable[[dict], None]
    table: str = ""
    rule: str = ""
    severity: str = "error"
    rows: tuple[int, ...] = ()
    value: str | None = None          # text the quarantine value must contain
    fatal: tuple[str, ...] = ()       # words the fatal message must contain
    load_options: dict | None = None
    programme: str | None = None
    also: tuple[str, ...] = ()        # rules that follow from the same defect
    accepted: bool = False            # the contract reads it as meant: nothing quarantined


def _set(table, column, row, value):
    def f(t):
        t[table].loc[row - 1, column] = value
    return f


def _append(table, **values):
    def f(t):
        frame = t[table]
        row = {c: values.get(c, frame[c].iloc[0]) for c in frame.columns}
        t[table] = pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
    return f


def _drop(table, column):
    def f(t):
        t[table] = t[table].drop(columns=column)
    return f


def _all(table, column, value):
    def f(t):
        t[table][column] = value
    return f


def _empty(table):
    def f(t):
        t[table] = t[table].iloc[:0]
    return f


def _long_episode(t):
    p = t["participants"]
    p.loc[3, ["referral_date", "start_date", "end_date"]] = ["2021-01-01", "2021-01-05", "2024-12-01"]


def _many_offences(t):
    dates = pd.date_range("2024-01-01", periods=52, freq="D").strftime("%Y-%m-%d")
    extra = pd.DataFrame({"person_id": "P4", "offence_date": dates, "outcome_date": "", "disposal": "nfa",
                          "offence_type": "theft"})
    t["offences"] = pd.concat([t["offences"], extra], ignore_index=True)


CASES = [
    # structure: fatal
    Case("required column missing", _drop("participants", "start_date"), fatal=("participants", "start_date")),
    Case("required column missing in an event table", _drop("offences", "disposal"), fatal=("offences", "disposal")),
    Case("participants with zero rows", _empty("participants"), fatal=("participants", "no rows")),
    Case("comparison with zero rows", _empty("comparison"), fatal=("comparison", "no rows")),
    Case("all-null required column", _all("participants", "sex", None), fatal=("participants", "sex", "empty in every row")),
    Case("all-null date column", _all("comparison", "eligible_date", None), fatal=("comparison", "eligible_date")),
    Case("slashed dates without dayfirst", _set("participants", "start_date", 2, "15/02/2023"),
         fatal=("start_date", "dayfirst")),
    # identifiers, dates, codes
    Case("missing person_id", _set("offences", "person_id", 2, None), "offences", "person_id missing", rows=(2,)),
    Case("missing referral_date", _set("participants", "referral_date", 3, None), "participants",
         "referral_date missing", rows=(3,)),
    Case("missing disposal", _set("offences", "disposal", 1, None), "offences", "disposal missing", rows=(1,)),
    Case("unknown code", _set("participants", "sex", 2, "Female"), "participants", "value could not be read",
         rows=(2,), value="Female"),
    Case("unknown disposal", _set("offences", "disposal", 3, "fine"), "offences", "value could not be read",
         rows=(3,), value="fine"),
    Case("bad date", _set("participants", "start_date", 1, "2023-02-30"), "participants",
         "value could not be read", rows=(1,), value="2023-02-30"),
    Case("bad date in custody", _set("custody", "end_date", 2, "soon"), "custody", "value could not be read",
         rows=(2,), value="soon"),
    Case("mixed date formats (dayfirst)", _set("comparison", "eligible_date", 2, "2023.02.20"), "comparison",
         "value could not be read", rows=(2,), value="2023.02.20", load_options={"dayfirst": True}),
    Case("bad boolean", _all("offences", "domestic_abuse", "yes") if False else
         (lambda t: t["offences"].__setitem__("domestic_abuse", ["yes", "no", "maybe", "true"])),
         "offences", "value could not be read", rows=(3,), value="maybe"),
    # duplicates and keys
    # identical event rows may be two real events: kept, flagged naming the earlier row (#14)
    Case("identical offence rows", _append("offences"), "offences",
         "identical rows: two records, or one record twice? give offence_id to decide", severity="warning",
         rows=(5,), value="1"),
    Case("identical incident rows", _append("incidents"), "incidents",
         "identical rows: two records, or one record twice? give incident_id to decide", severity="warning",
         rows=(3,), value="1"),
    Case("identical custody rows", _append("custody"), "custody",
         "identical rows: two records of one spell, or one record twice?", severity="warning", rows=(3,),
         value="1", also=("custody spells overlap",)),
    Case("identical offence rows with an offence_id", lambda t: (
        t["offences"].__setitem__("offence_id", ["O1", "O2", "O3", "O4"]), _append("offences")(t)),
         "offences", "duplicate offence_id", rows=(5,)),
    Case("duplicate participant row", _append("participants"), "participants", "duplicate row", rows=(5,)),
    Case("duplicate comparison row", _append("comparison"), "comparison", "duplicate row", rows=(4,)),
    Case("duplicate episode key", _append("participants", person_id="P1", programme="DRIVE", start_date="2023-01-20",
                                          exit_reason="disengaged"),
         "participants", "duplicate episode: same person, programme and start_date", rows=(1, 5)),
    Case("duplicate comparison person", _append("comparison", person_id="C1", eligible_date="2023-03-01"),
         "comparison", "duplicate person in the comparison pool", rows=(1, 4)),
    Case("duplicate offence_id", lambda t: t["offences"].__setitem__("offence_id", ["O1", "O2", "O2", "O4"]),
         "offences", "duplicate offence_id", rows=(3,)),
    Case("duplicate incident_id", lambda t: t["incidents"].__setitem__("incident_id", ["I1", "I1"]),
         "incidents", "duplicate incident_id", rows=(2,)),
    # date order
    Case("start before referral", _set("participants", "start_date", 2, "2023-01-01"), "participants",
         "start_date before referral_date", rows=(2,)),
    Case("end before start", _set("participants", "end_date", 1, "2023-01-01"), "participants",
         "end_date before start_date", rows=(1,), value="2023-01-01"),
    Case("outcome before offence", _set("offences", "outcome_date", 1, "2022-04-01"), "offences",
         "outcome_date before offence_date", rows=(1,)),
    Case("custody spell still running (no end_date)", _set("custody", "end_date", 1, None), "custody",
         "end_date missing: spell taken as still in custody", severity="warning", rows=(1,)),
    Case("custody end before start", _set("custody", "end_date", 1, "2024-01-01"), "custody",
         "end_date before start_date", rows=(1,)),
    Case("offence after extract date", _set("offences", "offence_date", 3, "2025-06-01"), "offences",
         "offence_date after the extract date", rows=(3,), value="2025-06-01"),
    Case("birth after extract date", _set("comparison", "date_of_birth", 3, "2026-01-01"), "comparison",
         "date_of_birth after the extract date", rows=(3,), also=("eligible_date before date_of_birth",)),
    Case("referral before birth", _set("participants", "referral_date", 4, "1970-01-01"), "participants",
         "referral_date before date_of_birth", rows=(4,),
         also=("DRIVE eligibility: under 18 at referral (adults only)",)),
    Case("offence before birth", _set("offences", "offence_date", 3, "1975-01-01"), "offences",
         "offence_date before the person's date_of_birth", rows=(3,)),
    Case("exit before birth", _set("exits", "date", 1, "1960-01-01"), "exits",
         "date before the person's date_of_birth", rows=(1,)),
    # eligibility
    Case("Turnaround too old", _set("participants", "date_of_birth", 3, "2000-01-01"), "participants",
         "Turnaround eligibility: not aged 10-17 at referral", rows=(3,), value="age_at_referral=23"),
    Case("Turnaround too young", _set("participants", "date_of_birth", 3, "2014-01-01"), "participants",
         "Turnaround eligibility: not aged 10-17 at referral", rows=(3,)),
    Case("Up2U under 16", _set("participants", "date_of_birth", 2, "2008-01-01"), "participants",
         "Up2U eligibility: under 16 at referral", rows=(2,)),
    Case("DRIVE child", _set("participants", "date_of_birth", 1, "2006-01-11"), "participants",
         "DRIVE eligibility: under 18 at referral (adults only)", rows=(1,)),
    # cross-table
    Case("orphan offence", _set("offences", "person_id", 2, "Z9"), "offences",
         "orphan: person in neither participants nor comparison", rows=(2,), value="Z9"),
    Case("orphan incident", _set("incidents", "perpetrator_id", 1, "Z9"), "incidents",
         "orphan: person in neither participants nor comparison", rows=(1,)),
    Case("orphan custody", _set("custody", "person_id", 1, "Z9"), "custody",
         "orphan: person in neither participants nor comparison", rows=(1,)),
    Case("contamination", _set("comparison", "person_id", 2, "P2"), "comparison",
         "contamination: also a participant (dropped from the comparison)", rows=(2,), value="P2"),
    # warnings
    Case("overlapping custody", _set("custody", "start_date", 2, "2024-02-15"), "custody", "custody spells overlap",
         "warning", rows=(1, 2)),
    Case("episode over three years", _long_episode, "participants",
         "episode longer than three years", "warning", rows=(4,), value="episode_days=1426"),
    Case("more than 50 offences in a year", _many_offences, "offences", "implausibly many offences in a year",
         "warning", rows=(54, 55, 56)),  # row k holds k-3 offences in 365 days
    Case("event table with zero rows", _empty("exits"), "exits"),
    # read as meant by the contract (codes ignore case and surrounding spaces; ids are stripped)
    Case("whitespace-padded codes", _set("offences", "disposal", 2, "  caution "), "offences", accepted=True),
    Case("lower-case programme name", _set("participants", "programme", 1, "drive"), "participants", accepted=True),
    Case("whitespace-padded person id", _set("offences", "person_id", 1, " P1 "), "offences", accepted=True),
]


def _run(case: Case):
    tables = good_tables()
    case.breaks(tables)
    # only the tables the defect touches: GX takes about 20 ms per expectation
    keep = {"participants", "comparison", case.table} | ({"exits"} if "exits" in case.name else set())
    tables = {k: v for k, v in tables.items() if k in keep or (case.fatal and k in case.fatal)}
    data = load(tables, **(case.load_options or {}))
    return data, validate(data, extract_date=EXTRACT, programme=case.programme)


def test_corpus_is_big_enough():
    assert len(CASES) >= 30


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_input(case: Case):
    if case.fatal:
        with pytest.raises(ContractError) as info:
            _run(case)
        message = str(info.value)
        for word in case.fatal:
            assert word in message, message
        assert "Traceback" not in message
        return
    data, result = _run(case)
    # nothing lost: every row is clean or set aside
    for name, row in result.counts.iterrows():
        assert row.rows_in == len(getattr(data, name))
        assert row.rows_in == row.clean + row.set_aside
        assert len(getattr(result.clean, name)) == row.clean
    q = result.quarantine
    if case.accepted:
        assert q.empty and result.ok, q.to_string()
        return
    if case.name == "event table with zero rows":
        assert any("'exits' has no rows" in w for w in result.warnings)
        assert len(q) == 0 and result.ok
        return
    hits = q[(q["table"] == case.table) & (q["rule"] == case.rule)]
    if case.name == "episode over three years":
        hits = hits  # end 2024-12-01 minus start 2023-04-05 is under 3 years: lengthen below
    assert set(hits["severity"]) <= {case.severity}
    if case.rows:
        assert sorted(hits["row"]) == sorted(case.rows), q.to_string()
    if case.value is not None:
        assert hits["value"].str.contains(case.value, regex=False).all(), hits.to_string()
    # the one defect is the only thing reported
    others = q[~((q["table"] == case.table) & q["rule"].isin((case.rule, *case.also)))]
    assert others.empty, others.to_string()
    aside = set(result.set_aside.loc[result.set_aside["table"] == case.table, "row"])
    assert aside == (set(case.rows) if case.severity == "error" else set())
    assert result.ok == (case.severity != "error")
    assert len(hits) > 0
