"""The synthetic cohorts look like the programmes' real data (issue 2's list), checked on the tables."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reoffend_eval import synthetic

from .synthetic_measures import index_dates

YEAR = 365.25


def ages(frame: pd.DataFrame, column: str) -> pd.Series:
    return (frame[column] - frame["date_of_birth"]).dt.days / YEAR


@pytest.mark.parametrize("programme, low, high", [("DRIVE", 18, 100), ("Up2U", 16, 100), ("Turnaround", 10, 18)])
def test_ages_fit_the_programme(small, programme, low, high):
    data = small[programme]
    p, c = data.participants, data.comparison
    for age in (ages(p, "referral_date"), ages(p, "start_date"), ages(c, "eligible_date")):
        assert age.min() >= low and age.max() < high, (programme, age.min(), age.max())
    if programme == "Turnaround":
        assert ages(p, "referral_date").median() > 12


def test_drive_is_mostly_men_and_high_risk(small):
    p, c = small["DRIVE"].participants, small["DRIVE"].comparison
    assert 0.8 < p["sex"].eq("M").mean() <= 0.98
    assert p["risk_level"].eq("high").mean() > c["risk_level"].eq("high").mean() + 0.15


@pytest.mark.parametrize("programme", ["DRIVE", "Up2U", "Turnaround"])
def test_episodes_are_ordered_and_ongoing_ones_open(small, programme):
    p = small[programme].participants
    assert (p["referral_date"] <= p["start_date"]).all()
    ended = p["end_date"].notna()
    assert (p.loc[ended, "start_date"] <= p.loc[ended, "end_date"]).all()
    assert (p["exit_reason"].eq("ongoing") == ~ended).all()
    assert {"completed", "disengaged", "ongoing"} <= set(p["exit_reason"].astype(str))


def test_exit_reasons_match_exits_and_custody():
    data = synthetic.generate("DRIVE", n_participants=1500, n_comparison=2000, seed=4)
    p = data.participants
    exits = data.exits.set_index("person_id")
    for reason in ("died", "moved_away"):
        rows = p[p["exit_reason"] == reason]
        assert len(rows) > 0, reason
        assert (exits.loc[rows["person_id"], "reason"].astype(str).to_numpy() == reason).all()
        assert (exits.loc[rows["person_id"], "date"].to_numpy() == rows["end_date"].to_numpy()).all()
    rows = p[p["exit_reason"] == "custody"]
    assert len(rows) > 0
    spells = data.custody.merge(rows[["person_id", "end_date"]], on="person_id", suffixes=("", "_episode"))
    assert set(spells.loc[spells["start_date"] == spells["end_date_episode"], "person_id"]) == set(rows["person_id"])


def test_index_dates_spread_so_some_lack_full_follow_up(small):
    data = small["DRIVE"]
    extract = pd.Timestamp(data.truth["extract_date"])
    index = pd.concat([index_dates(data, "participants"), index_dates(data, "comparison")])
    assert index.min() >= extract - pd.Timedelta(days=3 * 366) and index.max() <= extract
    full = index + pd.Timedelta(days=548) <= extract
    assert 0.3 < full.mean() < 0.7


@pytest.mark.parametrize("programme", ["DRIVE", "Up2U", "Turnaround"])
def test_offences_have_disposals_and_proof_delays(small, programme):
    o = small[programme].offences
    proving = o["disposal"].isin(["conviction", "caution"])
    assert (o["outcome_date"].notna() == proving).all()
    delay = (o["outcome_date"] - o["offence_date"]).dt.days
    assert (delay[proving] >= 1).all()
    assert delay[proving].median() < 120  # most proven within months
    assert (delay[proving] > 183).mean() > 0.03  # some after the waiting period
    for code in ("pnd", "nfa", "other", "community_resolution", "conviction", "caution"):
        assert o["disposal"].eq(code).any(), code
    assert set(o["severity"].astype(str)) == {"indictable", "either_way", "summary"}


def test_domestic_abuse_offences_common_in_da_programmes(small):
    assert small["DRIVE"].offences["domestic_abuse"].mean() > 0.2
    assert small["Up2U"].offences["domestic_abuse"].mean() > 0.2
    assert small["Turnaround"].offences["domestic_abuse"].mean() < 0.05


def _after_index(data, table, person_column, date_column):
    index = pd.concat([index_dates(data, "participants"), index_dates(data, "comparison")])
    frame = getattr(data, table)
    return frame[date_column] > frame[person_column].map(index)


def test_custody_spans_and_follows_the_index_and_nobody_offends_inside(small):
    data = small["DRIVE"]
    index = pd.concat([index_dates(data, "participants"), index_dates(data, "comparison")])
    c = data.custody
    at = c["person_id"].map(index)
    extract = pd.Timestamp(data.truth["extract_date"])
    assert c["end_date"].notna().all() and (c["end_date"] <= extract).all()
    assert (c["end_date"] >= c["start_date"]).all()
    assert ((c["start_date"] < at) & (c["end_date"] > at)).any()  # spans the index
    assert (c["start_date"] > at).any()  # starts in follow-up
    spells = c
    inside = data.offences.merge(spells, on="person_id")
    assert not inside["offence_date"].between(inside["start_date"], inside["end_date"]).any()
    inside = data.incidents[data.incidents["incident_type"] != "marac_referral"].merge(
        spells, left_on="perpetrator_id", right_on="person_id")
    assert not inside["incident_date"].between(inside["start_date"], inside["end_date"]).any()


def test_nothing_happens_after_an_exit(small):
    for programme, data in small.items():
        exits = data.exits.set_index("person_id")["date"]
        assert {"died", "moved_away"} <= set(data.exits["reason"].astype(str)), programme
        o = data.offences
        assert not (o["offence_date"] >= o["person_id"].map(exits)).any()
        i = data.incidents
        assert not (i["incident_date"] >= i["perpetrator_id"].map(exits)).any()


def test_repeat_and_serial_victims_and_marac_referrals(small):
    data = small["DRIVE"]
    i = data.incidents
    index = pd.concat([index_dates(data, "participants"), index_dates(data, "comparison")])
    before = i[i["incident_date"] <= i["perpetrator_id"].map(index)]
    after = i[(i["incident_date"] > i["perpetrator_id"].map(index)) & (i["incident_type"] != "marac_referral")]
    known = set(zip(before["perpetrator_id"], before["victim_id"]))
    same = np.array([pair in known for pair in zip(after["perpetrator_id"], after["victim_id"])])
    assert 0.3 < same.mean() < 0.95  # repeat victims, and serial ones
    per_perpetrator = i.groupby("perpetrator_id")["victim_id"].nunique()
    assert (per_perpetrator > 1).any()
    assert i["incident_type"].eq("marac_referral").any() and i["incident_type"].eq("crime").any()
    assert (i.loc[i["incident_type"] == "marac_referral", "risk_level"] == "high").all()
    victims = i.groupby("victim_id")["perpetrator_id"].nunique()
    assert (victims == 1).all()  # a victim id belongs to one perpetrator


def test_turnaround_incidents_sparse(small):
    people = 150 + 1000
    assert 0 < len(small["Turnaround"].incidents) / people < 0.2
    assert len(small["DRIVE"].incidents) / people > 1


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    extract=st.dates(min_value=date(2005, 1, 1), max_value=date(2040, 12, 31)),
    seed=st.integers(min_value=0, max_value=2**31),
    programme=st.sampled_from(["DRIVE", "Up2U", "Turnaround"]),
    start_years=st.floats(min_value=0.5, max_value=5),
)
def test_dates_stay_inside_the_extract_and_the_start_window(extract, seed, programme, start_years):
    data = synthetic.generate(programme, n_participants=15, n_comparison=40, seed=seed,
                              extract_date=extract, start_years=start_years)
    limit = pd.Timestamp(extract)
    earliest = limit - pd.Timedelta(days=int(np.ceil(start_years * YEAR)))
    p, c = data.participants, data.comparison
    assert p["start_date"].between(earliest, limit - pd.Timedelta(days=14)).all()
    assert c["eligible_date"].between(earliest, limit - pd.Timedelta(days=14)).all()
    assert (p["referral_date"] <= p["start_date"]).all()
    assert (p["end_date"].dropna() <= limit).all()
    for table, columns in (("offences", ("offence_date", "outcome_date")), ("incidents", ("incident_date",)),
                           ("custody", ("start_date", "end_date")), ("exits", ("date",))):
        frame = getattr(data, table)
        for column in columns:
            assert (frame[column].dropna() <= limit).all(), (table, column)
    o = data.offences
    assert (o["outcome_date"].dropna() >= o.loc[o["outcome_date"].notna(), "offence_date"]).all()
    if programme == "Turnaround":
        assert ages(p, "referral_date").between(10, 18, inclusive="left").all()
