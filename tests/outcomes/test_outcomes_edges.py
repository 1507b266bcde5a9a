"""Hand-worked edge cases of derive_outcomes (Justice Data Lab definitions).

Index date 2023-01-01 unless stated; 2023 has 365 days, 2024 is a leap year. Day offsets
used below, worked out by hand from month lengths (Jan 31, Feb 28, Mar 31, Apr 30, May 31,
Jun 30, Jul 31, ...):
  2023-01-31 = 30        2023-03-01 = 31+28 = 59     2023-03-31 = 59+30 = 89
  2023-04-11 = 90+10 = 100                            2023-05-01 = 90+30 = 120
  2023-06-01 = 120+31 = 151                           2023-07-01 = 151+30 = 181
  2023-08-01 = 181+31 = 212                           2023-12-01 = 365-31 = 334
  2024-01-01 = 365 (last day of follow-up)            2024-01-02 = 366 (first day out)
  2024-07-02 = 365+183 = 548 (Jan 31+Feb 29+Mar 31+Apr 30+May 31+Jun 30 = 182 -> Jul 1; +1)
  2024-07-03 = 549 (first day after the waiting period)
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reoffend_eval.outcomes import OutcomeRules, derive_outcomes

from .cohorts import EXTRACT, control, custody, derive, exit_, incident, make, offence, participant, recurrent, row


def one(offences=(), custody_rows=None, exits=None, **rules):
    data = make([participant("A")], offences=list(offences), custody=custody_rows, exits=exits)
    return row(derive(data, **rules), "A")


def test_offence_on_the_index_date_is_the_index_event_not_a_reoffence():
    r = one([offence("A", "2023-01-01", "2023-02-01")])
    assert not r["reoffended"]          # False, not NA: full follow-up
    assert r["n_reoffences"] == 0
    assert pd.isna(r["days_to_first_reoffence"])
    assert (r["time"], r["event"], r["censor_reason"]) == (365, 0, "end_of_follow_up")
    # nor is it history: history is strictly before the index date
    assert r["prior_proven_offences"] == 0
    assert r["years_since_first_offence"] == 0.0


def test_offence_on_day_365_is_in():
    r = one([offence("A", "2024-01-01", "2024-03-01")])      # day 365, proven day 425 <= 548
    assert bool(r["reoffended"]) and r["n_reoffences"] == 1
    assert r["days_to_first_reoffence"] == 365
    assert (r["time"], r["event"]) == (365, 1)
    assert pd.isna(r["censor_reason"])


def test_offence_on_day_366_is_out():
    r = one([offence("A", "2024-01-02", "2024-03-01")])      # day 366
    assert not r["reoffended"] and r["n_reoffences"] == 0
    assert (r["time"], r["event"], r["censor_reason"]) == (365, 0, "end_of_follow_up")


def test_proof_on_last_day_of_waiting_period_is_in_and_day_after_is_out():
    data = make([participant("IN"), participant("OUT")],
                offences=[offence("IN", "2023-06-01", "2024-07-02"),     # committed day 151, proven day 548
                          offence("OUT", "2023-06-01", "2024-07-03")])   # proven day 549
    people = derive(data)
    inside, outside = row(people, "IN"), row(people, "OUT")
    assert bool(inside["reoffended"]) and inside["days_to_first_reoffence"] == 151
    assert (inside["time"], inside["event"]) == (151, 1)
    assert not outside["reoffended"] and outside["n_reoffences"] == 0
    assert (outside["time"], outside["event"]) == (365, 0)


def test_never_proven_and_non_proving_disposals_do_not_count():
    r = one([offence("A", "2023-03-01", None, "nfa"),
             offence("A", "2023-03-01", None, "conviction"),          # no outcome date: not proven
             offence("A", "2023-04-01", "2023-05-01", "community_resolution"),
             offence("A", "2023-04-01", "2023-05-01", "other")])
    assert not r["reoffended"] and r["n_reoffences"] == 0 and r["event"] == 0


def test_penalty_notice_excluded_by_default_and_counted_on_request():
    data = make([participant("A")], offences=[offence("A", "2023-03-01", "2023-03-15", "pnd")])
    default = row(derive(data), "A")
    assert not default["reoffended"] and default["event"] == 0
    counted = row(derive(data, exclude_pnd=False), "A")
    assert bool(counted["reoffended"]) and counted["days_to_first_reoffence"] == 59   # 2023-03-01
    assert (counted["time"], counted["event"]) == (59, 1)


def test_caution_proves_and_counts_every_reoffence():
    r = one([offence("A", "2023-03-01", "2023-03-02", "caution"),
             offence("A", "2023-06-01", "2023-09-01"),
             offence("A", "2023-06-01", "2023-09-01")])
    assert r["n_reoffences"] == 3 and r["days_to_first_reoffence"] == 59 and r["time"] == 59


def test_custody_spanning_the_index_date():
    # spell 2022-12-01 .. 2023-01-31 = days (-31, 30]: within follow-up it covers days 1..30
    r = one(custody_rows=[custody("A", "2022-12-01", "2023-01-31")])
    assert r["prior_custody"] == 1                      # it started before the index date
    assert (r["time"], r["days_in_custody"], r["days_at_risk"]) == (365, 30, 335)   # 365 - 30


def test_custody_inside_the_window():
    # 2023-03-01 .. 2023-03-31 = days (59, 89]: 30 days
    r = one(custody_rows=[custody("A", "2023-03-01", "2023-03-31")])
    assert r["prior_custody"] == 0
    assert (r["time"], r["days_in_custody"], r["days_at_risk"]) == (365, 30, 335)


def test_custody_running_past_the_end_of_follow_up():
    # 2023-12-01 .. 2024-02-01 = days (334, 396], clipped to (334, 365]: 31 days
    r = one(custody_rows=[custody("A", "2023-12-01", "2024-02-01")])
    assert (r["time"], r["days_in_custody"], r["days_at_risk"]) == (365, 31, 334)


def test_custody_before_an_event_and_overlapping_spells_count_once():
    # spells (59, 89] and (79, 99] overlap: union (59, 99] = 40 days; event on day 151
    r = one([offence("A", "2023-06-01", "2023-07-01")],
            custody_rows=[custody("A", "2023-03-01", "2023-03-31"), custody("A", "2023-03-21", "2023-04-10")])
    assert (r["time"], r["event"], r["days_in_custody"], r["days_at_risk"]) == (151, 1, 40, 111)  # 151 - 40


def test_two_separate_custody_spells_both_count():
    # (59, 89] = 30 days and 2023-05-01 .. 2023-06-01 = (120, 151] = 31 days: 61 in all
    r = one(custody_rows=[custody("A", "2023-03-01", "2023-03-31"), custody("A", "2023-05-01", "2023-06-01")])
    assert (r["time"], r["days_in_custody"], r["days_at_risk"]) == (365, 61, 304)   # 365 - 61


def test_custody_after_the_event_is_not_removed():
    # the clock stops at the event on day 59; custody from day 120 is after it
    r = one([offence("A", "2023-03-01", "2023-04-01")], custody_rows=[custody("A", "2023-05-01", "2023-06-01")])
    assert (r["time"], r["days_in_custody"], r["days_at_risk"]) == (59, 0, 59)


def test_death_inside_the_window_censors():
    # died 2023-04-11 = day 100; a later offence cannot exist, an earlier one is an event
    r = one(exits=[exit_("A", "2023-04-11", "died")])
    assert (r["time"], r["event"], r["censor_reason"], r["days_at_risk"]) == (100, 0, "died", 100)
    assert bool(r["full_follow_up"]) and not r["reoffended"]      # JDL: the fixed window keeps them
    r = one([offence("A", "2023-03-01", "2023-04-01")], exits=[exit_("A", "2023-04-11", "died")])
    assert (r["time"], r["event"]) == (59, 1)


def test_moving_away_censors_the_clock_but_not_the_fixed_window():
    # moved 2023-04-11 (day 100); an offence on day 151 is still a proven reoffence in the
    # JDL fixed window (national records), but after censoring in time to event
    r = one([offence("A", "2023-06-01", "2023-07-01")], exits=[exit_("A", "2023-04-11", "moved_away")])
    assert (r["time"], r["event"], r["censor_reason"]) == (100, 0, "moved_away")
    assert bool(r["reoffended"]) and r["n_reoffences"] == 1


def test_extract_date_inside_the_window():
    # extract 2023-07-01 = day 181 < 548: no fixed-window measures
    data = make([participant("EV"), participant("LATE"), participant("NONE")],
                offences=[offence("EV", "2023-05-01", "2023-06-15"),      # day 120, proven before extract
                          offence("LATE", "2023-05-01", "2023-08-01")])   # proven after the extract date
    people = derive(data, extract_date="2023-07-01")
    for pid in ("EV", "LATE", "NONE"):
        r = row(people, pid)
        assert not r["full_follow_up"]
        assert pd.isna(r["reoffended"]) and pd.isna(r["n_reoffences"]) and pd.isna(r["days_to_first_reoffence"])
        assert r["observed_days"] == 181
    assert (row(people, "EV")["time"], row(people, "EV")["event"]) == (120, 1)
    assert (row(people, "LATE")["time"], row(people, "LATE")["event"], row(people, "LATE")["censor_reason"]) == (
        181, 0, "extract_date")
    assert not row(people, "NONE")["full_da_follow_up"]
    assert any("fixed-window" in w for w in people.attrs["warnings"])


def test_extract_date_exactly_at_full_follow_up_is_enough():
    # index + 548 = 2024-07-02: full; one day earlier is not
    data = make([participant("A")])
    assert bool(row(derive(data, extract_date="2024-07-02"), "A")["full_follow_up"])
    assert not row(derive(data, extract_date="2024-07-01"), "A")["full_follow_up"]


def test_person_with_no_events_at_all():
    data = make([participant("A")], offences=[], incidents=[], custody=[], exits=[])
    r = row(derive(data), "A")
    expected = {"prior_proven_offences": 0, "prior_violent_offences": 0, "prior_da_offences": 0,
                "prior_da_incidents": 0, "prior_marac_referrals": 0, "prior_custody": 0,
                "years_since_first_offence": 0.0, "n_reoffences": 0, "time": 365, "event": 0,
                "days_at_risk": 365, "days_in_custody": 0, "n_da_incidents": 0, "n_repeat_victim": 0,
                "n_serial_victim": 0, "n_marac_referrals": 0, "da_time": 365, "da_event": 0}
    assert {k: r[k] for k in expected} == expected
    assert not r["reoffended"] and not r["any_da_incident"] and not r["repeat_marac"]
    assert r["censor_reason"] == "end_of_follow_up"


def test_two_programmes_for_one_person():
    data = make([participant("A", "2023-01-01", "DRIVE"), participant("A", "2023-06-01", "Up2U"),
                 participant("A", "2023-09-01", "DRIVE"), participant("B", "2023-02-01", "Up2U")],
                [control("C1", programme="DRIVE"), control("C2", programme="Up2U"), control("C3")],
                offences=[offence("A", "2023-03-01", "2023-04-01")])
    with pytest.raises(ValueError, match="more than one programme.*OutcomeRules\\(programme"):
        derive_outcomes(data, OutcomeRules(extract_date=EXTRACT))
    drive = derive(data, programme="DRIVE")
    assert sorted(drive["person_id"]) == ["A", "C1", "C3"]         # C2 is Up2U's pool; C3 serves any
    a = row(drive, "A")
    assert a["index_date"] == pd.Timestamp("2023-01-01")           # first DRIVE episode
    assert (a["time"], a["event"]) == (59, 1)                       # 2023-03-01
    assert any("later DRIVE episode" in w for w in drive.attrs["warnings"])
    up2u = derive(data, programme="up2u")                          # codes match without regard to case
    assert sorted(up2u["person_id"]) == ["A", "B", "C2", "C3"]
    a = row(up2u, "A")
    assert a["index_date"] == pd.Timestamp("2023-06-01")
    # the offence of 2023-03-01 is history for the Up2U episode (proven 2023-04-01, before it)
    assert a["prior_proven_offences"] == 1 and a["event"] == 0
    assert (up2u["programme"] == "Up2U").all()


def test_turnaround_child_turning_18_during_follow_up_still_counts():
    # born 2005-06-01, starts 2023-01-01: 17 years to 2022-06-01 (leap days 2008, 2012, 2016,
    # 2020: 17*365 + 4 = 6209 days) + 214 days to 2023-01-01 = 6423 days; 6423 / 365.25 = 17.5852...
    # Turns 18 on 2023-06-01; offence 2023-08-01 (day 212) at 18 still counts.
    data = make([participant("T", programme="Turnaround", dob="2005-06-01")],
                offences=[offence("T", "2023-08-01", "2023-09-01")])
    r = row(derive(data), "T")
    assert r["age_at_index"] == pytest.approx(6423 / 365.25)
    assert r["age_at_index_whole"] == 17
    assert bool(r["reoffended"]) and r["days_to_first_reoffence"] == 212 and r["event"] == 1


def test_age_in_whole_years_on_the_birthday_and_the_day_before():
    data = make([participant("ON", dob="2000-01-01"), participant("BEFORE", dob="2000-01-02"),
                 participant("LEAP", dob="2004-02-29", start="2023-02-28"),
                 participant("LEAP2", dob="2004-02-29", start="2023-03-01")])
    people = derive(data)
    assert row(people, "ON")["age_at_index_whole"] == 23
    assert row(people, "BEFORE")["age_at_index_whole"] == 22
    assert row(people, "LEAP")["age_at_index_whole"] == 18     # 29 Feb birthday counts from 1 March
    assert row(people, "LEAP2")["age_at_index_whole"] == 19


def test_history_covariates():
    data = make([participant("A")], offences=[
        offence("A", "2019-01-01", "2019-02-01", offence_type="violence", domestic_abuse=True),
        offence("A", "2022-06-01", "2022-07-01", offence_type="robbery"),
        offence("A", "2022-06-01", "2022-07-01", offence_type="theft", domestic_abuse=True),
        offence("A", "2022-11-01", "2023-02-01", offence_type="violence"),   # proven after index: not history
        offence("A", "2022-11-01", None, "nfa"),
        offence("A", "2022-12-01", "2022-12-02", "pnd"),
    ], incidents=[incident("A", "V1", "2022-01-01"), incident("A", "V1", "2022-02-01", "crime"),
                  incident("A", "V2", "2022-03-01", "marac_referral"), incident("A", "V1", "2023-01-01")],
        custody=[custody("A", "2020-01-01", "2020-03-01"), custody("A", "2022-01-01", "2022-02-01")])
    r = row(derive(data), "A")
    assert (r["prior_proven_offences"], r["prior_violent_offences"], r["prior_da_offences"]) == (3, 2, 2)
    # first prior proven offence 2019-01-01: 4 years to 2023-01-01 with one leap day (2020) = 1461 days
    assert r["years_since_first_offence"] == pytest.approx(1461 / 365.25)
    assert (r["prior_da_incidents"], r["prior_marac_referrals"], r["prior_custody"]) == (2, 1, 2)
    # a 365-day look-back keeps 2022-06-01 (day -214) and later, not 2019 or 2020-2021
    r = row(derive(data, lookback_days=365), "A")
    assert (r["prior_proven_offences"], r["prior_violent_offences"], r["prior_da_offences"]) == (2, 1, 1)
    # first within the look-back: 2022-06-01, 214 days before the index date
    assert r["years_since_first_offence"] == pytest.approx(214 / 365.25)
    assert (r["prior_da_incidents"], r["prior_marac_referrals"], r["prior_custody"]) == (2, 1, 1)


def test_domestic_abuse_outcomes_repeat_and_serial_victims():
    data = make([participant("A")], incidents=[
        incident("A", "V1", "2022-06-01"),            # before the index: V1 harmed before
        incident("A", "V4", "2023-01-01"),            # index date: not in the window, but V4 now seen
        incident("A", "V1", "2023-03-01"),            # day 59: repeat (V1 seen 2022-06-01)
        incident("A", "V2", "2023-04-01", "crime"),   # day 90: serial (new victim)
        incident("A", "V2", "2023-05-01"),            # day 120: repeat (V2 seen on day 90)
        incident("A", "V3", "2023-06-01"),            # day 151: serial
        incident("A", "V3", "2023-06-01"),            # same day: not 'earlier', serial too
        incident("A", "V4", "2023-07-01"),            # day 181: repeat (seen on the index date)
        incident("A", "V5", "2024-01-02"),            # day 366: out
        incident("B", "V1", "2023-02-01"),            # another perpetrator: B's first contact with V1
    ])
    people = derive(data.replace(participants=make([participant("A"), participant("B")]).participants))
    a, b = row(people, "A"), row(people, "B")
    assert bool(a["any_da_incident"])
    assert (a["n_da_incidents"], a["n_repeat_victim"], a["n_serial_victim"]) == (6, 3, 3)
    assert a["days_to_first_da_incident"] == 59
    assert (a["da_time"], a["da_event"]) == (59, 1)
    assert a["prior_da_incidents"] == 1
    assert (b["n_da_incidents"], b["n_repeat_victim"], b["n_serial_victim"]) == (1, 0, 1)
    assert b["days_to_first_da_incident"] == 31


def test_repeat_marac_within_12_months():
    data = make([participant(p) for p in ("R", "FAR", "SAME", "END", "NONE", "GAP365", "GAP366")], incidents=[
        # GAP365: 2022-03-01 -> 2023-03-01 is 365 days (2022 not leap): within 12 months
        incident("GAP365", "V", "2022-03-01", "marac_referral"), incident("GAP365", "V", "2023-03-01", "marac_referral"),
        # GAP366: 2022-02-28 -> 2023-03-01 is 366 days: not a repeat
        incident("GAP366", "V", "2022-02-28", "marac_referral"), incident("GAP366", "V", "2023-03-01", "marac_referral"),
        # R: previous referral 2022-06-01, next 2023-03-01: gap 214 + 59 = 273 <= 365 -> repeat
        incident("R", "V", "2022-06-01", "marac_referral"), incident("R", "V", "2023-03-01", "marac_referral"),
        # FAR: 2021-01-01 -> 2023-03-01 is 730 + 59 = 789 days; the same-day second referral is the same case
        incident("FAR", "V", "2021-01-01", "marac_referral"), incident("FAR", "V", "2023-03-01", "marac_referral"),
        incident("FAR", "W", "2023-03-01", "marac_referral"),
        # SAME: two referrals on one day only: one case
        incident("SAME", "V", "2023-03-01", "marac_referral"), incident("SAME", "W", "2023-03-01", "marac_referral"),
        # END: 2023-03-01 then 2024-01-01 (day 365, in): gap 365 - 59 = 306 -> repeat
        incident("END", "V", "2023-03-01", "marac_referral"), incident("END", "V", "2024-01-01", "marac_referral"),
    ])
    people = derive(data)
    got = {p: (bool(row(people, p)["repeat_marac"]), row(people, p)["n_marac_referrals"])
           for p in ("R", "FAR", "SAME", "END", "NONE", "GAP365", "GAP366")}
    assert got == {"R": (True, 1), "FAR": (False, 2), "SAME": (False, 2), "END": (True, 2), "NONE": (False, 0),
                   "GAP365": (True, 1), "GAP366": (False, 1)}
    # a shorter window: R's gap of 273 days is then too long
    assert not row(derive(data, repeat_marac_days=200), "R")["repeat_marac"]
    # MARAC referrals are not incidents
    assert row(people, "R")["n_da_incidents"] == 0 and row(people, "R")["prior_marac_referrals"] == 1


def test_comparison_index_is_eligible_date_and_treated_is_int():
    data = make([participant("A")], [control("C", "2023-02-01")],
                offences=[offence("C", "2023-03-01", "2023-04-01")])
    people = derive(data)
    assert people["treated"].dtype == np.int64 and list(people["treated"]) == [1, 0]
    assert isinstance(people.index, pd.RangeIndex)
    c = row(people, "C")
    assert c["index_date"] == pd.Timestamp("2023-02-01")
    assert (c["time"], c["event"]) == (28, 1)                     # 2023-02-01 -> 2023-03-01 = 28 days
    assert pd.isna(c["completed"]) and c["programme"] == "DRIVE"


def test_per_protocol_index_is_completion_and_warns_about_bias():
    data = make([participant("DONE", end="2023-07-01", exit_reason="completed"),
                 participant("LEFT", end="2023-03-01", exit_reason="disengaged")],
                [control("C")], offences=[offence("DONE", "2023-03-01", "2023-04-01"),
                                          offence("DONE", "2023-09-01", "2023-10-01")])
    people = derive(data, index="completion")
    assert sorted(people["person_id"]) == ["C", "DONE"]
    done = row(people, "DONE")
    # index 2023-07-01: the March offence is before it (history), September is day 62 (Jul 31 + Aug 31)
    assert done["index_date"] == pd.Timestamp("2023-07-01")
    assert done["prior_proven_offences"] == 1 and (done["time"], done["event"]) == (62, 1)
    assert any("biased" in w for w in people.attrs["warnings"])
    with pytest.warns(UserWarning, match="per protocol"):
        derive_outcomes(data, OutcomeRules(index="completion", extract_date=EXTRACT))


def test_comparison_person_who_also_took_part_is_a_participant_only():
    data = make([participant("A")], [control("A", "2022-01-01"), control("C"), control("C", "2023-05-01")])
    people = derive(data)
    assert list(people["person_id"]) == ["A", "C"] and list(people["treated"]) == [1, 0]
    assert row(people, "C")["index_date"] == pd.Timestamp(INDEX := "2023-01-01")   # earliest eligible_date
    assert any("also took part" in w for w in people.attrs["warnings"])


def test_per_protocol_non_completer_is_not_a_comparison_person():
    data = make([participant("DONE", end="2023-07-01", exit_reason="completed"),
                 participant("LEFT", end="2023-03-01", exit_reason="disengaged")],
                [control("LEFT", "2022-06-01"), control("C")])
    people = derive(data, index="completion")
    assert sorted(people["person_id"]) == ["C", "DONE"]


def test_extra_column_named_like_a_derived_one_is_not_carried():
    data = make([participant("A", time=5, score=1)], offences=[])
    people = derive(data)
    assert row(people, "A")["time"] == 365 and row(people, "A")["score"] == 1
    assert any("time not carried over" in w for w in people.attrs["warnings"])


def test_extract_date_taken_from_the_data_with_a_warning():
    data = make([participant("A")], offences=[offence("A", "2023-03-01", "2024-09-30")])
    with pytest.warns(UserWarning, match="extract date not given.*2024-09-30"):
        people = derive_outcomes(data, OutcomeRules())
    assert bool(row(people, "A")["full_follow_up"])      # 2024-09-30 >= 2024-07-02


def test_clear_errors():
    data = make([participant("A")])
    with pytest.raises(ValueError, match="no participants of programme 'Up2U'.*DRIVE"):
        derive_outcomes(data, OutcomeRules(programme="Up2U", extract_date=EXTRACT))
    with pytest.raises(ValueError, match="index date after the extract date.*'A'"):
        derive_outcomes(data, OutcomeRules(extract_date="2022-12-31"))
    with pytest.raises(ValueError, match="not a programme"):
        OutcomeRules(programme="Drive2")
    with pytest.raises(ValueError, match="index must be 'start'"):
        OutcomeRules(index="end")
    with pytest.raises(ValueError, match="extract_date"):
        OutcomeRules(extract_date="31/12/2024x")
    with pytest.raises(TypeError, match="CohortData"):
        derive_outcomes(data.participants, OutcomeRules(extract_date=EXTRACT))


def test_missing_tables_give_na_not_zero():
    people = derive(make([participant("A")]))
    r = row(people, "A")
    assert pd.isna(r["reoffended"]) and pd.isna(r["time"]) and pd.isna(r["n_da_incidents"])
    assert pd.isna(r["prior_proven_offences"]) and pd.isna(r["prior_da_incidents"])
    notes = " ".join(people.attrs["warnings"])
    assert "no offences table" in notes and "no incidents table" in notes


def test_inputs_are_not_mutated_and_extra_covariates_are_carried():
    data = make([participant("A", risk_level="high", area="North", score=3)],
                [control("C", risk_level="low".replace("low", "standard"), area="South", score=5)],
                offences=[offence("A", "2023-03-01", "2023-04-01")])
    before = {name: t.copy() for name, t in data.tables().items()}
    people = derive(data)
    for name, t in data.tables().items():
        pd.testing.assert_frame_equal(t, before[name])
    assert list(people["risk_level"].astype(str)) == ["high", "standard"]
    assert list(people["area"]) == ["North", "South"] and list(people["score"]) == [3, 5]


def test_column_dictionary_documents_every_column_and_keeps_the_issue_names():
    from reoffend_eval.outcomes import column_dictionary

    required = ["person_id", "treated", "programme", "index_date", "age_at_index", "prior_proven_offences",
                "prior_violent_offences", "prior_da_offences", "prior_da_incidents", "prior_marac_referrals",
                "prior_custody", "years_since_first_offence", "full_follow_up", "reoffended", "n_reoffences",
                "days_to_first_reoffence", "time", "event", "censor_reason", "days_at_risk", "any_da_incident",
                "n_da_incidents", "n_repeat_victim", "n_serial_victim", "days_to_first_da_incident",
                "repeat_marac"]
    table = column_dictionary()
    assert list(table.columns) == ["name", "meaning", "unit"]
    assert table["meaning"].str.len().min() > 10 and table["unit"].str.len().min() > 0
    data = make([participant("A", risk_level="high")], [control("C")], offences=[], incidents=[], custody=[],
                exits=[])
    people = derive(data)
    assert set(required) <= set(people.columns)
    documented = set(table["name"])
    carried = {"risk_level"}
    assert set(people.columns) - carried <= documented
    rows = recurrent(data)
    assert set(rows.columns) - carried <= documented
