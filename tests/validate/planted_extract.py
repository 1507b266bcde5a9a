"""A mid-sized synthetic extract (raw text, as read from CSV) with defects planted at known rows.

Every table is valid by construction apart from the planted defects; ``PLANTED`` lists, for each
defect, the (table, row, rule) quarantine rows it must produce (row = source row number, from 1).
Used to check that a faster way of running the suites sets aside exactly the same rows for the
same reasons.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

EXTRACT = "2025-03-31"


def _days(base: str, offsets) -> list[str]:
    return list((pd.Timestamp(base) + pd.to_timedelta(np.asarray(offsets), unit="D")).strftime("%Y-%m-%d"))


def planted_tables(seed: int = 7) -> tuple[dict[str, pd.DataFrame], set[tuple[str, int, str]]]:
    """Raw tables and the set of (table, row, rule) the planted defects must produce."""
    rng = np.random.default_rng(seed)
    n_part, n_comp, n_off, n_inc, n_cus, n_exit = 300, 1200, 6000, 400, 300, 100
    programmes = np.array(["DRIVE", "Up2U", "Turnaround"])[rng.integers(0, 3, n_part)]
    referral = rng.integers(0, 1500, n_part)
    start = referral + rng.integers(0, 30, n_part)
    ongoing = rng.random(n_part) < 0.2
    end = np.where(ongoing, -1, start + rng.integers(30, 300, n_part))
    # ages at referral that fit each programme: Turnaround 11-16, others 20-50
    age = np.where(programmes == "Turnaround", rng.integers(11, 17, n_part), rng.integers(20, 51, n_part))
    dob = referral - age * 366 - rng.integers(0, 200, n_part)
    participants = pd.DataFrame(
        {
            "person_id": [f"P{i}" for i in range(1, n_part + 1)],
            "programme": programmes,
            "referral_date": _days("2019-01-01", referral),
            "start_date": _days("2019-01-01", start),
            "end_date": [("" if e < 0 else d) for e, d in zip(end, _days("2019-01-01", np.maximum(end, 0)))],
            "exit_reason": np.where(ongoing, "ongoing", np.array(["completed", "disengaged"])[rng.integers(0, 2, n_part)]),
            "date_of_birth": _days("2019-01-01", dob),
            "sex": np.array(["F", "M", "X"])[rng.integers(0, 3, n_part)],
            "ethnicity": np.array(["white", "asian", "black", "mixed", "other"])[rng.integers(0, 5, n_part)],
        }
    )
    comparison = pd.DataFrame(
        {
            "person_id": [f"C{i}" for i in range(1, n_comp + 1)],
            "eligible_date": _days("2019-01-01", rng.integers(0, 1500, n_comp)),
            "date_of_birth": _days("1960-01-01", rng.integers(0, 12000, n_comp)),
            "sex": np.array(["F", "M", "X"])[rng.integers(0, 3, n_comp)],
        }
    )
    everyone = np.r_[participants["person_id"].to_numpy(), comparison["person_id"].to_numpy()]

    def people(n):
        return everyone[rng.integers(0, len(everyone), n)]

    off_day = rng.integers(0, 1800, n_off)
    proven = rng.random(n_off) < 0.6
    offences = pd.DataFrame(
        {
            "offence_id": [f"O{i}" for i in range(1, n_off + 1)],
            "person_id": people(n_off),
            "offence_date": _days("2019-06-01", off_day),
            "outcome_date": [
                (d if p else "") for p, d in zip(proven, _days("2019-06-01", off_day + rng.integers(0, 150, n_off)))
            ],
            "disposal": np.array(["conviction", "caution", "pnd", "community_resolution", "nfa", "other"])[
                rng.integers(0, 6, n_off)
            ],
            "offence_type": np.array(["violence", "theft", "public_order", "breach", "drugs"])[
                rng.integers(0, 5, n_off)
            ],
            "domestic_abuse": np.array(["true", "false"])[rng.integers(0, 2, n_off)],
        }
    )
    incidents = pd.DataFrame(
        {
            "incident_id": [f"I{i}" for i in range(1, n_inc + 1)],
            "perpetrator_id": people(n_inc),
            "victim_id": [f"V{i}" for i in rng.integers(1, 300, n_inc)],
            "incident_date": _days("2019-06-01", rng.integers(0, 2000, n_inc)),
            "incident_type": np.array(["incident", "crime", "marac_referral"])[rng.integers(0, 3, n_inc)],
        }
    )
    # custody: one spell per person, so no spell overlaps by chance
    c_start = rng.integers(0, 1800, n_cus)
    custody = pd.DataFrame(
        {
            "person_id": rng.permutation(everyone)[:n_cus],
            "start_date": _days("2019-06-01", c_start),
            "end_date": _days("2019-06-01", c_start + rng.integers(10, 200, n_cus)),
        }
    )
    exits = pd.DataFrame(
        {
            "person_id": rng.permutation(everyone)[:n_exit],
            "date": _days("2020-01-01", rng.integers(0, 1500, n_exit)),
            "reason": np.array(["died", "moved_away"])[rng.integers(0, 2, n_exit)],
        }
    )
    # the random offences must not be too many in a year for anyone, nor duplicate each other
    offences["person_id"] = np.where(offences.duplicated(["person_id", "offence_date"]), "P1", offences["person_id"])
    offences.loc[offences["person_id"] == "P1", "person_id"] = "C1"
    offences = offences.drop_duplicates(["person_id", "offence_date"], keep="first").reset_index(drop=True)
    offences["offence_id"] = [f"O{i}" for i in range(1, len(offences) + 1)]

    planted: set[tuple[str, int, str]] = set()
    t = {
        "participants": participants,
        "comparison": comparison,
        "offences": offences,
        "incidents": incidents,
        "custody": custody,
        "exits": exits,
    }

    def put(table, row, column, value, *rules):
        t[table].loc[row - 1, column] = value
        planted.update((table, row, r) for r in rules)

    def dob_of(pid):
        frame = participants if pid.startswith("P") else comparison
        return frame.loc[frame["person_id"] == pid, "date_of_birth"].iloc[0]

    # participants: make rows 10-16 DRIVE adults so each defect below has one reason
    for row in range(10, 17):
        participants.loc[row - 1, ["programme", "date_of_birth"]] = ["DRIVE", "1980-01-01"]
    put("participants", 10, "start_date", "2021-02-30", "value could not be read")
    put("participants", 11, "referral_date", "", "referral_date missing")
    put("participants", 12, "start_date", "2018-01-01", "start_date before referral_date")
    put("participants", 12, "end_date", "", )
    put("participants", 13, "end_date", "2018-06-01", "end_date before start_date")
    put("participants", 14, "end_date", "2026-01-01", "end_date after the extract date", "episode longer than three years")
    participants.loc[14, ["referral_date", "start_date", "end_date"]] = ["2019-01-01", "2019-01-05", "2023-01-05"]
    planted.add(("participants", 15, "episode longer than three years"))
    put("participants", 16, "sex", "female", "value could not be read")
    put("participants", 20, "programme", "Turnaround")
    put("participants", 20, "date_of_birth", "1990-01-01", "Turnaround eligibility: not aged 10-17 at referral")
    put("participants", 21, "programme", "DRIVE")
    put("participants", 21, "date_of_birth", _days(participants.loc[20, "referral_date"], [-15 * 366])[0],
        "DRIVE eligibility: under 18 at referral (adults only)")
    put("participants", 22, "programme", "Up2U")
    put("participants", 22, "date_of_birth", _days(participants.loc[21, "referral_date"], [-14 * 366])[0],
        "Up2U eligibility: under 16 at referral")
    # a copy of row 30, and a second episode of row 31's person on the same start date
    copy = participants.loc[[29]].copy()
    second = participants.loc[[30]].copy()
    second["exit_reason"] = "other" if second["exit_reason"].item() != "other" else "completed"
    second["end_date"] = ""
    t["participants"] = participants = pd.concat([participants, copy, second], ignore_index=True)
    planted.add(("participants", n_part + 1, "duplicate row"))
    planted.update(("participants", r, "duplicate episode: same person, programme and start_date") for r in (31, n_part + 2))

    # comparison
    put("comparison", 5, "eligible_date", "", "eligible_date missing")
    put("comparison", 6, "sex", "Q", "value could not be read")
    put("comparison", 7, "date_of_birth", "2026-02-01", "date_of_birth after the extract date",
        "eligible_date before date_of_birth")
    put("comparison", 8, "eligible_date", "1950-01-01", "eligible_date before date_of_birth")
    extra = pd.DataFrame(
        [
            {"person_id": "C9", "eligible_date": "2021-01-01", "date_of_birth": comparison.loc[8, "date_of_birth"], "sex": "M"},
            {"person_id": "P40", "eligible_date": "2021-01-01", "date_of_birth": participants.loc[39, "date_of_birth"], "sex": "M"},
        ]
    )
    t["comparison"] = comparison = pd.concat([comparison, extra], ignore_index=True)
    planted.update(("comparison", r, "duplicate person in the comparison pool") for r in (9, n_comp + 1))
    planted.add(("comparison", n_comp + 2, "contamination: also a participant (dropped from the comparison)"))

    # offences
    offences = t["offences"]
    n_off = len(offences)
    put("offences", 3, "person_id", "NOBODY", "orphan: person in neither participants nor comparison")
    put("offences", 4, "person_id", "", "person_id missing")
    put("offences", 5, "disposal", "", "disposal missing")
    put("offences", 6, "disposal", "fine", "value could not be read")
    put("offences", 7, "domestic_abuse", "maybe", "value could not be read")
    put("offences", 8, "outcome_date", _days(offences.loc[7, "offence_date"], [-3])[0], "outcome_date before offence_date")
    put("offences", 9, "offence_date", "2025-06-01", "offence_date after the extract date")
    put("offences", 9, "outcome_date", "")
    put("offences", 10, "outcome_date", "2025-05-01", "outcome_date after the extract date")
    put("offences", 11, "offence_date", _days(dob_of(offences.loc[10, "person_id"]), [-10])[0],
        "offence_date before the person's date_of_birth")
    put("offences", 11, "outcome_date", "")
    # a repeated record id: the first row is kept, the later one set aside (issue 14)
    put("offences", 12, "offence_id", "O13")
    planted.add(("offences", 13, "duplicate offence_id"))
    # an exact copy of row 20 (its id too: a copy is a copy)
    many = pd.DataFrame(
        {
            "offence_id": [f"X{i}" for i in range(53)],
            "person_id": "NOBODY2",
            "offence_date": _days("2024-01-01", np.arange(53)),
            "outcome_date": "",
            "disposal": "nfa",
            "offence_type": "theft",
            "domestic_abuse": "false",
        }
    )
    t["offences"] = offences = pd.concat([offences, offences.loc[[19]], many], ignore_index=True)
    # with its id the copy is a repeated record: row 20 is kept, the copy set aside
    planted.add(("offences", n_off + 1, "duplicate offence_id"))
    for k in range(53):
        row = n_off + 2 + k
        planted.add(("offences", row, "orphan: person in neither participants nor comparison"))
        if k + 1 > 50:
            planted.add(("offences", row, "implausibly many offences in a year"))

    # incidents
    put("incidents", 2, "perpetrator_id", "NOBODY", "orphan: person in neither participants nor comparison")
    put("incidents", 3, "victim_id", "", "victim_id missing")
    put("incidents", 4, "incident_type", "phone call", "value could not be read")
    put("incidents", 5, "incident_id", "I6")
    planted.add(("incidents", 6, "duplicate incident_id"))
    put("incidents", 7, "incident_date", _days(dob_of(incidents.loc[6, "perpetrator_id"]), [-1])[0],
        "incident_date before the person's date_of_birth")
    put("incidents", 8, "incident_date", "2025-04-01", "incident_date after the extract date")

    # custody
    custody = t["custody"]
    put("custody", 2, "end_date", "", "end_date missing: spell taken as still in custody")
    put("custody", 3, "end_date", _days(custody.loc[2, "start_date"], [-1])[0], "end_date before start_date")
    put("custody", 4, "person_id", "NOBODY", "orphan: person in neither participants nor comparison")
    overlap = custody.loc[[4]].copy()
    overlap["start_date"] = _days(custody.loc[4, "start_date"], [2])[0]
    t["custody"] = pd.concat([custody, overlap], ignore_index=True)
    planted.update(("custody", r, "custody spells overlap") for r in (5, n_cus + 1))

    # exits
    exits = t["exits"]
    put("exits", 2, "reason", "emigrated", "value could not be read")
    put("exits", 3, "date", _days(dob_of(exits.loc[2, "person_id"]), [-5])[0], "date before the person's date_of_birth")
    put("exits", 4, "person_id", "NOBODY", "orphan: person in neither participants nor comparison")
    put("exits", 5, "date", "2025-12-01", "date after the extract date")
    # comparison row 7 (born after the extract date): each of their events comes before their birth
    born_late = comparison.loc[6, "person_id"]
    for table, person, date in (("offences", "person_id", "offence_date"), ("incidents", "perpetrator_id", "incident_date"),
                                ("custody", "person_id", "start_date"), ("exits", "person_id", "date")):
        rows = np.flatnonzero((t[table][person] == born_late).to_numpy()) + 1
        planted.update((table, int(r), f"{date} before the person's date_of_birth") for r in rows)
    # Turnaround children with an offence committed before referral and proven (conviction or caution) by it
    rule = (
        "Turnaround: already in the youth justice system (a proven offence before referral); the child is kept, "
        "and counts in every measure but first-time entry"
    )
    off = t["offences"]
    proving = off[off["disposal"].isin(["conviction", "caution"]) & (off["outcome_date"] != "")]
    for row, p in enumerate(t["participants"].itertuples(index=False), start=1):
        if p.programme != "Turnaround" or not p.referral_date:
            continue
        mine = proving[proving["person_id"] == p.person_id]
        if ((mine["offence_date"] < p.referral_date) & (mine["outcome_date"] <= p.referral_date)).any():
            planted.add(("participants", row, rule))
    return t, planted
