"""Hand-worked cases of what each programme exists to change (#15): proven domestic-abuse and
violent reoffending.

Index date 2023-01-01 (see test_outcomes_edges.py for the day offsets): 2023-04-11 = day 100,
2024-01-01 = day 365, 2024-01-02 = day 366, 2024-07-02 = day 548, 2024-07-03 = day 549.
"""
from __future__ import annotations

import pandas as pd
import pytest

from .cohorts import asb, custody, derive, make, offence, participant, row


def one(offences, **rules):
    return row(derive(make([participant("A")], offences=list(offences)), **rules), "A")


def da(person, committed, proven, disposal="conviction", offence_type="violence"):
    return offence(person, committed, proven, disposal, offence_type=offence_type, domestic_abuse=True)


def test_index_day_domestic_abuse_offence_is_neither_history_nor_outcome():
    r = one([da("A", "2023-01-01", "2023-02-01")])
    assert r["da_reoffended"] == False  # noqa: E712 (False, not NA: full follow-up)
    assert r["n_da_reoffences"] == 0 and r["n_violent_reoffences"] == 0
    assert pd.isna(r["days_to_first_da_reoffence"])
    assert (r["da_reoffence_time"], r["da_reoffence_event"]) == (365, 0)
    assert r["prior_da_offences"] == 0


def test_day_365_is_in_and_day_366_is_out():
    data = make([participant("IN"), participant("OUT")],
                offences=[da("IN", "2024-01-01", "2024-03-01"), da("OUT", "2024-01-02", "2024-03-01")])
    people = derive(data)
    inside, outside = row(people, "IN"), row(people, "OUT")
    assert bool(inside["da_reoffended"]) and inside["days_to_first_da_reoffence"] == 365
    assert bool(inside["violent_reoffended"]) and inside["days_to_first_violent_reoffence"] == 365
    assert (inside["da_reoffence_time"], inside["da_reoffence_event"]) == (365, 1)
    assert not outside["da_reoffended"] and not outside["violent_reoffended"]
    assert (outside["da_reoffence_time"], outside["da_reoffence_event"]) == (365, 0)


def test_proof_on_day_548_is_in_and_on_day_549_is_out():
    data = make([participant("IN"), participant("OUT")],
                offences=[da("IN", "2023-06-01", "2024-07-02"), da("OUT", "2023-06-01", "2024-07-03")])
    people = derive(data)
    assert row(people, "IN")["n_da_reoffences"] == 1 and row(people, "IN")["n_violent_reoffences"] == 1
    assert row(people, "OUT")["n_da_reoffences"] == 0 and row(people, "OUT")["n_violent_reoffences"] == 0
    # the time-to-event outcome counts the same offence (proven within the waiting period) at day 151
    assert (row(people, "IN")["da_reoffence_time"], row(people, "IN")["da_reoffence_event"]) == (151, 1)
    assert row(people, "OUT")["da_reoffence_event"] == 0


@pytest.mark.parametrize("disposal, counted", [("conviction", True), ("caution", True), ("pnd", False),
                                               ("community_resolution", False), ("nfa", False), ("other", False)])
def test_only_convictions_and_cautions_prove_a_da_reoffence(disposal, counted):
    r = one([da("A", "2023-04-11", "2023-05-01", disposal)])
    assert bool(r["da_reoffended"]) is counted and bool(r["violent_reoffended"]) is counted
    assert r["n_da_reoffences"] == int(counted)


def test_penalty_notice_proves_when_pnd_is_not_excluded():
    r = one([da("A", "2023-04-11", "2023-05-01", "pnd")], exclude_pnd=False)
    assert bool(r["da_reoffended"]) and r["n_da_reoffences"] == 1


def test_shoplifting_is_a_reoffence_but_not_a_da_or_violent_one():
    r = one([offence("A", "2023-01-31", "2023-03-01", offence_type="theft", domestic_abuse=False),
             da("A", "2023-04-11", "2023-05-01", offence_type="public_order")])
    assert bool(r["reoffended"]) and r["n_reoffences"] == 2 and r["days_to_first_reoffence"] == 30
    assert bool(r["da_reoffended"]) and r["n_da_reoffences"] == 1 and r["days_to_first_da_reoffence"] == 100
    assert not r["violent_reoffended"] and r["n_violent_reoffences"] == 0
    assert (r["time"], r["event"]) == (30, 1)
    assert (r["da_reoffence_time"], r["da_reoffence_event"]) == (100, 1)
    assert (r["violent_reoffence_time"], r["violent_reoffence_event"]) == (365, 0)


@pytest.mark.parametrize("offence_type, violent", [("violence", True), ("robbery", True), ("sexual", True),
                                                   ("theft", False), ("public_order", False), ("weapons", False)])
def test_violent_means_violence_robbery_or_sexual(offence_type, violent):
    r = one([offence("A", "2023-04-11", "2023-05-01", offence_type=offence_type)])
    assert bool(r["violent_reoffended"]) is violent and r["n_violent_reoffences"] == int(violent)
    assert not r["da_reoffended"]


def test_without_full_follow_up_the_fixed_window_measures_are_na_but_time_to_event_counts():
    # extract on day 547: one day short of full follow-up
    r = one([da("A", "2023-04-11", "2023-05-01")], extract_date="2024-07-01")
    assert pd.isna(r["reoffended"]) and pd.isna(r["da_reoffended"]) and pd.isna(r["violent_reoffended"])
    assert pd.isna(r["n_da_reoffences"]) and pd.isna(r["n_violent_reoffences"])
    assert (r["da_reoffence_time"], r["da_reoffence_event"]) == (100, 1)


def test_offence_proven_after_the_extract_date_is_not_yet_a_reoffence():
    r = one([da("A", "2023-04-11", "2024-06-01")], extract_date="2024-05-01")
    assert (r["da_reoffence_time"], r["da_reoffence_event"]) == (365, 0)


def test_several_da_reoffences_are_counted_and_the_first_is_timed():
    r = one([da("A", "2023-06-01", "2023-07-01"), da("A", "2023-04-11", "2023-08-01"),
             da("A", "2023-12-01", "2024-02-01", "caution")])
    assert r["n_da_reoffences"] == 3 and r["days_to_first_da_reoffence"] == 100


def test_missing_flag_columns_make_the_filtered_measures_na_not_zero():
    rows = [{k: v for k, v in offence("A", "2023-04-11", "2023-05-01").items()
             if k not in ("domestic_abuse", "offence_type")}]
    r = one(rows)
    assert bool(r["reoffended"])
    for c in ("da_reoffended", "n_da_reoffences", "da_reoffence_time", "violent_reoffended",
              "n_violent_reoffences", "violent_reoffence_event"):
        assert pd.isna(r[c]), c


def test_no_offences_table_makes_them_na():
    r = row(derive(make([participant("A")])), "A")
    assert pd.isna(r["da_reoffended"]) and pd.isna(r["n_violent_reoffences"])


# --- anti-social behaviour (index 2023-01-01; 2023-04-11 = day 100)

def one_asb(records, custody_rows=None, **rules):
    data = make([participant("A", programme="Turnaround", dob="2010-01-01")], asb=list(records),
                custody=custody_rows)
    return row(derive(data, **rules), "A")


def test_index_day_asb_record_is_neither_history_nor_outcome():
    r = one_asb([asb("A", "2023-01-01"), asb("A", "2022-12-31")])
    assert r["prior_asb_incidents"] == 1                      # the day before counts, the index day does not
    assert r["any_asb"] == False and r["n_asb_incidents"] == 0  # noqa: E712 (False, not NA)
    assert (r["asb_time"], r["asb_event"]) == (365, 0)


def test_asb_day_365_in_day_366_out():
    inside = one_asb([asb("A", "2024-01-01")])
    outside = one_asb([asb("A", "2024-01-02")])
    assert bool(inside["any_asb"]) and inside["days_to_first_asb_incident"] == 365
    assert (inside["asb_time"], inside["asb_event"]) == (365, 1)
    assert not outside["any_asb"] and outside["n_asb_incidents"] == 0


def test_interventions_are_counted_apart_from_incidents():
    r = one_asb([asb("A", "2023-04-11", "warning"), asb("A", "2023-05-01", "acceptable_behaviour_contract"),
                 asb("A", "2023-06-01", "community_protection_notice"), asb("A", "2023-07-01", "injunction"),
                 asb("A", "2023-08-01", "criminal_behaviour_order"), asb("A", "2023-12-01", "other"),
                 asb("A", "2022-06-01", "warning")])
    assert not r["any_asb"] and r["n_asb_incidents"] == 0 and r["n_asb_interventions"] == 6
    assert r["prior_asb_incidents"] == 0                      # an earlier warning is not a prior incident
    assert r["asb_event"] == 0


def test_asb_needs_only_a_year_of_follow_up():
    # extract on day 365: ASB records need no proof, so the year is enough; day 364 is not
    enough = one_asb([asb("A", "2023-04-11")], extract_date="2024-01-01")
    short = one_asb([asb("A", "2023-04-11")], extract_date="2023-12-31")
    assert bool(enough["any_asb"]) and enough["n_asb_incidents"] == 1
    assert pd.isna(short["any_asb"]) and pd.isna(short["n_asb_incidents"]) and pd.isna(short["n_asb_interventions"])
    assert (short["asb_time"], short["asb_event"]) == (100, 1)   # the time-to-event outcome still counts it


def test_asb_rate_exposure_removes_custody_and_incidents_in_it():
    # custody (2023-04-11, 2023-05-01]: days 101..120 removed; an incident on day 110 is in custody
    r = one_asb([asb("A", "2023-04-21"), asb("A", "2023-06-01"), asb("A", "2023-04-11")],
                custody_rows=[custody("A", "2023-04-11", "2023-05-01")])
    assert r["n_asb_incidents"] == 3 and r["n_asb_incidents_observed"] == 2   # day 110 was in custody
    assert r["asb_days_at_risk"] == 365 - 20


def test_no_asb_table_means_not_measured_never_zero():
    r = row(derive(make([participant("A")])), "A")
    for c in ("any_asb", "n_asb_incidents", "n_asb_interventions", "prior_asb_incidents", "asb_time",
              "n_asb_incidents_observed", "asb_days_at_risk"):
        assert pd.isna(r[c]), c


# --- children and the youth justice system

def child(person_id="A"):
    return participant(person_id, programme="Turnaround", dob="2010-01-01")


def test_first_caution_in_the_window_is_entry_to_the_youth_justice_system():
    data = make([child("CAUTION"), child("CONVICT"), child("NFA"), child("NOTHING"), child("LATE")],
                offences=[offence("CAUTION", "2023-04-11", "2023-05-01", "caution"),
                          offence("CONVICT", "2024-01-01", "2024-07-02", "conviction"),   # day 365, proof day 548
                          offence("NFA", "2023-04-11", None, "nfa"),
                          offence("LATE", "2023-04-11", "2024-07-03", "conviction")])     # proof day 549
    people = derive(data)
    assert bool(row(people, "CAUTION")["entered_youth_justice"])
    assert bool(row(people, "CONVICT")["entered_youth_justice"])
    for who in ("NFA", "NOTHING", "LATE"):
        assert row(people, who)["entered_youth_justice"] == False, who  # noqa: E712 (False, not NA)


def test_child_with_a_prior_caution_is_already_in_the_system():
    data = make([child("PRIOR"), child("UNPROVEN_BEFORE")],
                offences=[offence("PRIOR", "2022-06-01", "2022-07-01", "caution"),
                          offence("PRIOR", "2023-04-11", "2023-05-01", "conviction"),
                          offence("UNPROVEN_BEFORE", "2022-06-01", None, "nfa"),
                          offence("UNPROVEN_BEFORE", "2023-04-11", "2023-05-01", "caution")])
    people = derive(data)
    assert pd.isna(row(people, "PRIOR")["entered_youth_justice"])        # entry is not defined for them
    assert bool(row(people, "PRIOR")["reoffended"])
    assert bool(row(people, "UNPROVEN_BEFORE")["entered_youth_justice"])  # an NFA before is not a proven offence


def test_entry_is_na_without_full_follow_up():
    data = make([child()], offences=[offence("A", "2023-04-11", "2023-05-01", "caution")])
    assert pd.isna(row(derive(data, extract_date="2024-07-01"), "A")["entered_youth_justice"])


@pytest.mark.parametrize("disposal", ["conviction", "caution", "pnd", "community_resolution", "nfa", "other"])
def test_police_contact_is_any_record_whatever_its_disposal(disposal):
    data = make([child("IN"), child("INDEX_DAY"), child("DAY366")],
                offences=[offence("IN", "2023-04-11", None, disposal),
                          offence("INDEX_DAY", "2023-01-01", None, disposal),
                          offence("DAY366", "2024-01-02", None, disposal)])
    people = derive(data)
    assert bool(row(people, "IN")["police_contact"])
    assert not row(people, "INDEX_DAY")["police_contact"] and not row(people, "DAY366")["police_contact"]


def test_police_contact_needs_a_year_of_follow_up_only():
    data = make([child()], offences=[offence("A", "2023-04-11", None, "nfa")])
    assert bool(row(derive(data, extract_date="2024-01-01"), "A")["police_contact"])
    assert pd.isna(row(derive(data, extract_date="2023-12-31"), "A")["police_contact"])
