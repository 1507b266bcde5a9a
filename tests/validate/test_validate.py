"""validate(): result shape, nothing lost, contamination, extract date, notebook display."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from reoffend_eval.data import CohortData
from reoffend_eval.errors import ContractError
from reoffend_eval.validate import ValidationError, ValidationResult, validate

from validate_cohort import EXTRACT, good_tables, load


@pytest.fixture(scope="module")
def good():
    return validate(load(good_tables()), extract_date=EXTRACT)


def test_valid_cohort_passes_every_rule(good):
    assert isinstance(good, ValidationResult)
    assert good.ok
    assert good.quarantine.empty
    assert list(good.quarantine.columns) == ["table", "row", "person_id", "rule", "severity", "value"]
    assert list(good.summary.columns) == ["table", "rule", "severity", "rows_failing", "examples"]
    assert (good.summary["rows_failing"] == 0).all()
    assert set(good.summary["severity"]) == {"fatal", "error", "warning"}
    assert list(good.counts.columns) == ["rows_in", "clean", "set_aside", "flagged"]
    assert good.counts.loc["participants", "rows_in"] == 4
    assert good.clean.participants.equals(load(good_tables()).participants)


def test_result_is_frozen_and_shows_itself(good):
    with pytest.raises(AttributeError):
        good.ok = False
    html = good._repr_html_()
    assert "Rows in = clean + set aside" in html and "participants" in html
    assert "ok=True" in repr(good)
    assert good.to_dict()["counts"]["offences"]["rows_in"] == 4


def test_several_defects_each_quarantined_once_with_raw_value():
    t = good_tables()
    t["participants"].loc[0, "start_date"] = "2023-13-45"        # unreadable: raw value shown
    t["participants"].loc[1, "sex"] = " f "                      # padded, lower case: fine
    t["participants"].loc[2, "programme"] = "turnaround"         # lower-case programme: fine
    t["offences"].loc[1, "outcome_date"] = "2023-10-01"          # before its offence
    data = load(t)
    r = validate(data, extract_date=EXTRACT)
    q = r.quarantine
    p = q[q["table"] == "participants"]
    assert list(p["rule"]) == ["value could not be read"]        # not also "start_date missing"
    assert "2023-13-45" in p["value"].iloc[0] and p["person_id"].iloc[0] == "P1"
    assert list(q.loc[q["table"] == "offences", "row"]) == [2]
    assert r.counts.loc["participants", "set_aside"] == 1 and r.counts.loc["offences", "set_aside"] == 1
    assert 1 not in r.clean.participants.index and 2 in r.clean.participants.index
    assert r.clean.problems.empty                               # the unreadable row left with its problem
    row = r.summary[(r.summary.table == "participants") & (r.summary.rule == "value could not be read")]
    assert row["rows_failing"].item() == 1 and "2023-13-45" in row["examples"].item()
    assert not r.ok


def _with_p2_in_comparison():
    t = good_tables()
    extra = pd.DataFrame([{"person_id": "P2", "eligible_date": "2023-03-01", "date_of_birth": "2000-01-01", "sex": "F"}])
    t["comparison"] = pd.concat([t["comparison"], extra], ignore_index=True)   # P2 is in Up2U
    return t


def test_contamination_is_dropped_from_comparison_only():
    t = _with_p2_in_comparison()
    r = validate(load(t), extract_date=EXTRACT)
    assert "P2" in set(r.clean.participants["person_id"])
    assert "P2" not in set(r.clean.comparison["person_id"])
    # analysing DRIVE only: P2 (Up2U) is not contamination of the DRIVE comparison
    r2 = validate(load(t), extract_date=EXTRACT, programme="DRIVE")
    assert r2.quarantine.empty


def test_comparison_programme_column_limits_contamination():
    t = _with_p2_in_comparison()
    t["comparison"]["programme"] = ["DRIVE"] * 4                # P2 took part in Up2U, not DRIVE
    assert validate(load(t), extract_date=EXTRACT).quarantine.empty
    t["comparison"]["programme"] = ["DRIVE", "DRIVE", "DRIVE", "Up2U"]
    q = validate(load(t), extract_date=EXTRACT).quarantine
    assert list(q["rule"]) == ["contamination: also a participant (dropped from the comparison)"]


def test_extract_date_defaults_to_today_and_is_checked():
    data = load(good_tables())
    assert validate(data).extract_date == pd.Timestamp(dt.date.today())
    early = validate(data, extract_date="2023-06-30")
    assert not early.ok
    assert early.quarantine["rule"].str.contains("after the extract date").all()
    with pytest.raises(ValueError, match="extract_date"):
        validate(data, extract_date="not a date")


def test_bad_arguments_are_clear():
    data = load(good_tables())
    with pytest.raises(ValueError, match="programme 'Drive'"):
        validate(data, programme="Drive")
    with pytest.raises(TypeError, match="CohortData"):
        validate(good_tables())


def test_hand_built_frame_with_untyped_dates_is_fatal():
    data = load(good_tables())
    raw = data.participants.assign(start_date=data.participants["start_date"].dt.strftime("%Y-%m-%d").astype(object))
    with pytest.raises(ValidationError, match="participants.*start_date.*datetime64"):
        validate(data.replace(participants=raw), extract_date=EXTRACT)


def test_duplicate_person_rows_keep_the_first_copy():
    t = good_tables()
    t["comparison"] = pd.concat([t["comparison"], t["comparison"].iloc[[0, 0]]], ignore_index=True)
    r = validate(load(t), extract_date=EXTRACT)
    q = r.quarantine[r.quarantine.rule == "duplicate row"]
    assert list(q["row"]) == [4, 5] and list(q["value"]) == ["1", "1"]
    assert list(r.clean.comparison.index) == [1, 2, 3]
    assert set(r.quarantine["table"]) == {"comparison"}


def test_identical_event_rows_are_kept_and_flagged():
    t = good_tables()
    t["custody"] = pd.concat([t["custody"], t["custody"].iloc[[0, 0]]], ignore_index=True)
    r = validate(load(t), extract_date=EXTRACT)
    q = r.quarantine[r.quarantine.rule.str.startswith("identical rows")]
    assert list(q["row"]) == [3, 4] and list(q["value"]) == ["1", "1"] and set(q["severity"]) == {"warning"}
    assert list(r.clean.custody.index) == [1, 2, 3, 4]


_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2026, 12, 31)).map(lambda d: d.isoformat())
_ids = st.sampled_from(["P1", "P2", "P3", "P4", "C1", "C2", "C3", "X9", "", " p1 "])


# no shrinking: each example runs every suite through GX (about a second)
@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(
    offences=st.lists(
        st.tuples(_ids, _dates, st.one_of(st.just(""), _dates), st.sampled_from(["conviction", "caution", "nfa", "Fine", ""])),
        min_size=0, max_size=12,
    ),
    custody=st.lists(st.tuples(_ids, _dates, _dates), min_size=1, max_size=6),
    episode=st.tuples(_dates, _dates, st.one_of(st.just(""), _dates), _dates),
)
def test_rows_in_equal_clean_plus_set_aside(offences, custody, episode):
    t = good_tables()
    t["offences"] = pd.DataFrame(offences, columns=["person_id", "offence_date", "outcome_date", "disposal"]) \
        if offences else t["offences"].iloc[:0][["person_id", "offence_date", "outcome_date", "disposal"]]
    t["custody"] = pd.DataFrame(custody, columns=["person_id", "start_date", "end_date"])
    t["participants"].loc[0, ["referral_date", "start_date", "end_date", "date_of_birth"]] = list(episode)
    t = {k: t[k] for k in ("participants", "comparison", "offences", "custody")}
    try:
        data = load(t)
    except ContractError as exc:
        # a required column whose values are all unreadable is said as such, at load (#14)
        assert "none of them can be read" in str(exc), str(exc)
        return
    try:
        r = validate(data, extract_date=EXTRACT)
    except ValidationError as exc:
        # the one way out without a result: a table that cannot be used at all, said clearly
        assert "empty in every row" in str(exc) or "no rows" in str(exc), str(exc)
        return
    for name, frame in data.tables().items():
        c = r.counts.loc[name]
        assert c.rows_in == len(frame) == c.clean + c.set_aside
        clean = getattr(r.clean, name)
        aside = set(r.set_aside.loc[r.set_aside.table == name, "row"])
        assert set(clean.index) | aside == set(frame.index)
        assert not (set(clean.index) & aside)


def test_record_ids_decide_and_rows_without_one_are_kept_when_identical():
    t = good_tables()
    o = t["offences"]
    o.loc[3] = o.loc[1]                                   # row 4 is row 2 again
    o["offence_id"] = ["O1", None, "O1", None]            # row 3 repeats row 1's id with other values
    r = validate(load(t), extract_date=EXTRACT)
    aside = r.set_aside
    assert aside[["table", "row", "rule"]].values.tolist() == [["offences", 3, "duplicate offence_id"]]
    flagged = r.flagged
    assert flagged[["table", "row", "value"]].values.tolist() == [["offences", 4, "2"]]
    assert list(r.clean.offences.index) == [1, 2, 4]
