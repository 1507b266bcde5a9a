"""Hand-worked counting-process rows of recurrent_events.

Index date 2023-01-01; day offsets: 2023-01-31 = 30, 2023-03-01 = 59, 2023-03-12 = 70,
2023-03-31 = 89, 2023-04-11 = 100, 2023-06-01 = 151, 2023-12-01 = 334, 2024-01-01 = 365.
A custody spell from day s to day e removes (s, e] from the risk set.
"""
from __future__ import annotations

import pandas as pd
import pytest

from .cohorts import custody, derive, exit_, incident, make, offence, participant, recurrent, row


@pytest.fixture(scope="module")
def data():
    return make(
        [participant(p) for p in ("A", "B", "C", "D", "E", "F")],
        offences=[
            offence("A", "2023-01-31", "2023-02-15"), offence("A", "2023-01-31", "2023-02-15"),  # day 30 twice
            offence("A", "2023-03-12", "2023-04-20"),     # day 70: in custody (59, 89]
            offence("A", "2023-06-01", "2023-07-01"),     # day 151
            offence("A", "2023-01-01", "2023-01-02"),     # the index event: never a row
            offence("B", "2023-04-11", "2023-05-01"),     # day 100 = day of death: an event
        ],
        incidents=[incident("A", "V", "2023-03-01"), incident("A", "W", "2023-03-01"),   # custody start day
                   incident("A", "V", "2023-03-31"),                                     # release day: in custody
                   incident("A", "V", "2023-03-01", "marac_referral")],                  # not an incident
        custody=[custody("A", "2023-03-01", "2023-03-31"),
                 custody("C", "2022-12-01", "2023-01-31"),        # spans the index date: (-31, 30]
                 custody("D", "2023-12-01", "2024-02-01")],       # past the end: (334, 396] -> (334, 365]
        exits=[exit_("B", "2023-04-11", "died"), exit_("E", "2023-01-01", "died")],   # E: observed 0 days
    )


def rows_of(frame, pid):
    part = frame[frame["person_id"] == pid]
    return [tuple(int(v) for v in r) for r in part[["start", "stop", "event", "n_events", "event_number"]].to_numpy()]


def test_reoffence_rows(data):
    rows = recurrent(data)
    #                 (start, stop, event, n_events, event_number)
    assert rows_of(rows, "A") == [(0, 30, 1, 2, 1),      # two offences on day 30: one row, n_events 2
                                  (30, 59, 0, 0, 2),     # custody (59, 89] cut out; day-70 offence dropped
                                  (89, 151, 1, 1, 2),
                                  (151, 365, 0, 0, 3)]
    assert rows_of(rows, "B") == [(0, 100, 1, 1, 1)]     # event on the day of death, no tail
    assert rows_of(rows, "C") == [(30, 365, 0, 0, 1)]
    assert rows_of(rows, "D") == [(0, 334, 0, 0, 1)]
    assert rows_of(rows, "E") == []                      # no time at risk
    assert rows_of(rows, "F") == [(0, 365, 0, 0, 1)]
    notes = " ".join(rows.attrs["warnings"])
    assert "1 reoffences committed while in custody" in notes and "1 people have no time at risk" in notes
    assert isinstance(rows.index, pd.RangeIndex) and (rows["treated"] == 1).all()
    # the calendar-time outcome still counts the offence in custody
    a = row(derive(data), "A")
    assert (a["n_reoffences"], a["time"], a["event"]) == (4, 30, 1)


def test_da_incident_rows(data):
    rows = recurrent(data, kind="da_incidents")
    # two incidents on day 59 (custody start day, at liberty) end the first interval; the one
    # on day 89 (release day) is in custody
    assert rows_of(rows, "A") == [(0, 59, 1, 2, 1), (89, 365, 0, 0, 2)]
    assert rows_of(rows, "F") == [(0, 365, 0, 0, 1)]


def test_bad_kind_and_missing_table():
    data = make([participant("A")], offences=[])
    with pytest.raises(ValueError, match="kind must be"):
        recurrent(data, kind="incidents")
    with pytest.raises(ValueError, match="incidents table"):
        recurrent(data, kind="da_incidents")
