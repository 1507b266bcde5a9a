"""A small valid cohort as raw text tables (as read from CSV), to break one thing at a time."""
from __future__ import annotations

import pandas as pd

import reoffend_eval.data as rd

EXTRACT = "2025-03-31"


def good_tables() -> dict[str, pd.DataFrame]:
    """Raw tables that pass every rule; each test copies them and breaks one thing."""
    participants = pd.DataFrame({
        "person_id": ["P1", "P2", "P3", "P4"],
        "programme": ["DRIVE", "Up2U", "Turnaround", "DRIVE"],
        "referral_date": ["2023-01-10", "2023-02-01", "2023-03-01", "2023-04-01"],
        "start_date": ["2023-01-20", "2023-02-15", "2023-03-10", "2023-04-05"],
        "end_date": ["2023-07-20", "", "2023-09-10", "2023-10-05"],
        "exit_reason": ["completed", "ongoing", "completed", "disengaged"],
        "date_of_birth": ["1980-05-05", "2000-01-01", "2010-06-15", "1975-12-31"],
        "sex": ["M", "F", "M", "X"],
        "ethnicity": ["white", "asian", "black", "mixed"],
    })
    comparison = pd.DataFrame({
        "person_id": ["C1", "C2", "C3"],
        "eligible_date": ["2023-01-15", "2023-02-20", "2023-05-01"],
        "date_of_birth": ["1982-02-02", "1999-09-09", "1970-01-01"],
        "sex": ["M", "F", "M"],
    })
    offences = pd.DataFrame({
        "person_id": ["P1", "P1", "C1", "P4"],
        "offence_date": ["2022-05-01", "2023-11-01", "2023-06-01", "2024-01-01"],
        "outcome_date": ["2022-08-01", "2024-01-15", "", "2024-02-01"],
        "disposal": ["conviction", "caution", "nfa", "conviction"],
        "offence_type": ["violence", "theft", "public_order", "breach"],
    })
    incidents = pd.DataFrame({
        "perpetrator_id": ["P1", "C2"],
        "victim_id": ["V1", "V2"],
        "incident_date": ["2023-08-01", "2023-09-01"],
        "incident_type": ["incident", "marac_referral"],
    })
    custody = pd.DataFrame({
        "person_id": ["P4", "P4"],
        "start_date": ["2024-02-01", "2024-06-01"],
        "end_date": ["2024-03-01", "2024-07-01"],
    })
    exits = pd.DataFrame({"person_id": ["C3"], "date": ["2024-05-05"], "reason": ["moved_away"]})
    return {"participants": participants, "comparison": comparison, "offences": offences,
            "incidents": incidents, "custody": custody, "exits": exits}


def load(tables: dict[str, pd.DataFrame], **options) -> rd.CohortData:
    """Read raw text tables through the loader, as a CSV folder would be read."""
    frames = {}
    for name, frame in tables.items():
        frame = frame.astype(object).where(frame.notna(), None)
        frames[name] = frame.map(lambda v: None if v == "" else v)
    return rd.load(frames, **options)
