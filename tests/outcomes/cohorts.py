"""Tiny cohorts for hand-worked tests, built through rev.load so they carry the contract's dtypes."""
from __future__ import annotations

import warnings

import pandas as pd

import reoffend_eval as rev
from reoffend_eval.outcomes import OutcomeRules, derive_outcomes, recurrent_events

INDEX = "2023-01-01"          # the usual index date in these tests (2023 is not a leap year)
EXTRACT = "2030-01-01"        # far enough for full follow-up unless a test says otherwise

_COLUMNS = {
    "participants": ["person_id", "programme", "referral_date", "start_date", "end_date", "exit_reason",
                     "date_of_birth", "sex"],
    "comparison": ["person_id", "eligible_date", "date_of_birth", "sex"],
    "offences": ["person_id", "offence_date", "outcome_date", "disposal", "offence_type", "domestic_abuse"],
    "incidents": ["perpetrator_id", "victim_id", "incident_date", "incident_type"],
    "custody": ["person_id", "start_date", "end_date"],
    "exits": ["person_id", "date", "reason"],
    "asb": ["person_id", "date", "type"],
}


def participant(person_id="A", start=INDEX, programme="DRIVE", end=None, exit_reason="ongoing",
                dob="1990-01-01", sex="M", **extra):
    return {"person_id": person_id, "programme": programme, "referral_date": start, "start_date": start,
            "end_date": end, "exit_reason": exit_reason, "date_of_birth": dob, "sex": sex, **extra}


def control(person_id="C", eligible=INDEX, dob="1990-01-01", sex="M", **extra):
    return {"person_id": person_id, "eligible_date": eligible, "date_of_birth": dob, "sex": sex, **extra}


def offence(person_id, committed, proven=None, disposal="conviction", offence_type="theft", domestic_abuse=False):
    return {"person_id": person_id, "offence_date": committed, "outcome_date": proven, "disposal": disposal,
            "offence_type": offence_type, "domestic_abuse": domestic_abuse}


def incident(perpetrator_id, victim_id, date, incident_type="incident"):
    return {"perpetrator_id": perpetrator_id, "victim_id": victim_id, "incident_date": date,
            "incident_type": incident_type}


def custody(person_id, start, end):
    return {"person_id": person_id, "start_date": start, "end_date": end}


def exit_(person_id, date, reason):
    return {"person_id": person_id, "date": date, "reason": reason}


def asb(person_id, date, type="incident"):
    return {"person_id": person_id, "date": date, "type": type}


def _frame(name, rows):
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _COLUMNS[name]})
    return pd.DataFrame(rows).astype(object).where(lambda f: f.notna(), None)


def make(participants=(), comparison=(), offences=None, incidents=None, custody=None, exits=None, asb=None):
    """A CohortData; event tables left as None unless given (pass [] for an empty table)."""
    tables = {"participants": _frame("participants", list(participants)),
              "comparison": _frame("comparison", list(comparison))}
    for name, rows in (("offences", offences), ("incidents", incidents), ("custody", custody), ("exits", exits),
                       ("asb", asb)):
        if rows is not None:
            tables[name] = _frame(name, list(rows))
    return rev.load(tables)


def derive(data, **rules):
    rules.setdefault("extract_date", EXTRACT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return derive_outcomes(data, OutcomeRules(**rules))


def recurrent(data, kind="reoffences", **rules):
    rules.setdefault("extract_date", EXTRACT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return recurrent_events(data, OutcomeRules(**rules), kind=kind)


def row(people: pd.DataFrame, person_id: str) -> pd.Series:
    hit = people[people["person_id"] == person_id]
    assert len(hit) == 1, f"{person_id}: {len(hit)} rows"
    return hit.iloc[0]


def make_typed(participants=(), comparison=(), offences=(), incidents=(), custody=(), exits=(), asb=()):
    """As :func:`make` but typed directly in the contract's dtypes (fast, for property tests)."""
    from reoffend_eval.data import CohortData
    from reoffend_eval.data.contract import TABLES

    def typed(name, rows):
        frame = pd.DataFrame(list(rows), columns=_COLUMNS[name] if not rows else None)
        table = TABLES[name]
        for column in table.columns:
            if column.name not in frame.columns:
                continue
            values = frame[column.name].astype(object)
            if column.kind in ("id", "text"):
                frame[column.name] = values.astype(pd.StringDtype("pyarrow"))
            elif column.kind == "date":
                frame[column.name] = pd.to_datetime(values, format="%Y-%m-%d").astype("datetime64[ns]")
            elif column.kind == "code":
                frame[column.name] = pd.Categorical(values, categories=list(column.codes))
            elif column.kind == "bool":
                frame[column.name] = values.astype("boolean")
        frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
        return frame

    return CohortData(participants=typed("participants", participants), comparison=typed("comparison", comparison),
                      offences=typed("offences", offences), incidents=typed("incidents", incidents),
                      custody=typed("custody", custody), exits=typed("exits", exits), asb=typed("asb", asb))
