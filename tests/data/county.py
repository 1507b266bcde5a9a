"""A county's extract as it really arrives, made from a synthetic cohort whose contract shape we know.

The provider's case system exports an Excel workbook (a notes sheet first, the data on a
"Clients" sheet under a three-row title block, its own column names and wording, UK dates as
text and dates of birth as Excel date cells); the police send a Windows-1252 CSV of offences
(nominal references, outcomes in words, Y/N domestic-abuse flag) and a CSV of incidents with
timestamps; the comparison pool is a UTF-8 CSV with UK dates and sex in words; custody and
exits are already in the contract's shape. Three bad rows are planted, and one incident is
recorded twice (identical rows, kept and flagged).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

import reoffend_eval as rev

EXIT_WORDS = {
    "completed": "Finished programme",
    "disengaged": "Stopped attending",
    "moved_away": "Moved out of area",
    "custody": "Custody",
    "died": "Deceased",
    "other": "Other",
    "ongoing": "Still open",
}
SEX_WORDS = {"M": "Man", "F": "Woman", "X": "Not stated"}
POOL_SEX_WORDS = {"M": "Male", "F": "Female", "X": "Unknown"}
DISPOSAL_WORDS = {
    "conviction": "Convicted",
    "caution": "Adult caution",
    "pnd": "Penalty notice",
    "community_resolution": "Community resolution",
    "nfa": "NFA \u2013 evidential difficulties",  # an en dash: byte 0x96 in Windows-1252
    "other": "Other",
}

MAPPING = """
[participants]
file = "Case export*.xlsx"
sheet = "Clients"
header_row = 4
dayfirst = true
columns = { person_id = "Client Ref", referral_date = "Referral Date", start_date = "Intervention Start", end_date = "Intervention End", exit_reason = "Case Outcome", date_of_birth = "DOB", sex = "Gender", risk_level = "Risk" }
[participants.codes.exit_reason]
"Finished programme" = "completed"
"Stopped attending" = "disengaged"
"Moved out of area" = "moved_away"
"Deceased" = "died"
"Still open" = "ongoing"
[participants.codes]
sex = "sex_words"

[comparison]
file = "eligible_pool.csv"
dayfirst = true
columns = { person_id = "Nominal Ref", eligible_date = "Eligible Date", date_of_birth = "DOB", sex = "Sex" }
[comparison.codes]
sex = "sex_words"

[offences]
file = "Police offences*.csv"
encoding = "cp1252"
dayfirst = true
columns = { person_id = "Nominal Ref", offence_id = "Crime Ref", offence_date = "Date Committed", outcome_date = "Outcome Date", disposal = "Outcome", offence_type = "Crime Type", domestic_abuse = "DA Flag" }
[offences.codes.disposal]
"Convicted" = "conviction"
"Adult caution" = "caution"
"Penalty notice" = "pnd"
"Community resolution" = "community_resolution"
"NFA \u2013 evidential difficulties" = "nfa"
[offences.codes.offence_type]
"Criminal damage" = "criminal_damage"
"Public order" = "public_order"
[offences.codes.domestic_abuse]
Y = true
N = false

[incidents]
file = "DA incidents.csv"
columns = { perpetrator_id = "Perpetrator", victim_id = "Victim", incident_date = "Incident Date", incident_type = "Incident Type", risk_level = "Risk" }
"""


@dataclass(frozen=True)
class County:
    folder: Path
    mapping: Path
    reference: rev.CohortData  # the same data in the contract's own shape (with the twice-recorded incident)
    planted: dict[str, list[int]]  # table -> the file's own row numbers of the planted bad rows
    duplicate_incident_row: int
    extract_date: str


def _uk(values: pd.Series) -> list:
    return [None if pd.isna(v) else v.strftime("%d/%m/%Y") for v in values]


def make_county(folder: Path, seed: int = 3) -> County:
    """Write the county extract into ``folder`` and return what the test needs to check it."""
    data = rev.synthetic.generate(programme="DRIVE", n_participants=60, n_comparison=200, seed=seed)
    extract = data.truth["extract_date"]
    extract = extract if isinstance(extract, str) else pd.Timestamp(extract).strftime("%Y-%m-%d")
    folder.mkdir(parents=True, exist_ok=True)

    # ---- participants: a workbook with a notes sheet and a title block
    p = data.participants.reset_index(drop=True)
    wb = Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes.append(["Export notes"])
    notes.append(["Dates are UK format. Contact the data team with questions."])
    sheet = wb.create_sheet("Clients")
    sheet.append(["DRIVE case management system: client export"])
    sheet.append(["Extracted 31/03/2026", None, None, "OFFICIAL-SENSITIVE"])
    sheet.append([])
    header = [
        "Client Ref",
        "Programme",
        "Referral Date",
        "Intervention Start",
        "Intervention End",
        "Case Outcome",
        "DOB",
        "Gender",
        "ethnicity",
        "Risk",
        "area",
        "referral_source",
    ]
    sheet.append(header)
    for r in p.itertuples(index=False):
        sheet.append(_client_row(r))
    bad = list(_client_row(next(p.head(1).itertuples(index=False))))
    bad[0], bad[5] = "PX999", "Awaiting allocation"  # neither mapped nor a contract code
    sheet.append(bad)
    wb.save(folder / "Case export 2026-03.xlsx")
    participants_bad = [4 + len(p) + 1]

    # ---- comparison pool: UTF-8 CSV, UK dates, sex in words
    c = data.comparison.reset_index(drop=True)
    pool = pd.DataFrame(
        {
            "Nominal Ref": c["person_id"],
            "Eligible Date": _uk(c["eligible_date"]),
            "DOB": _uk(c["date_of_birth"]),
            "Sex": c["sex"].astype(str).map(POOL_SEX_WORDS),
            "programme": c["programme"].astype(object),
            "ethnicity": c["ethnicity"].astype(object),
            "risk_level": c["risk_level"].astype(object),
            "area": c["area"].astype(object),
        }
    )
    pool.to_csv(folder / "eligible_pool.csv", index=False)

    # ---- offences: Windows-1252 CSV in police wording, two planted bad rows at the end
    o = data.offences.reset_index(drop=True)
    police = pd.DataFrame(
        {
            "Nominal Ref": o["person_id"],
            "Crime Ref": o["offence_id"],
            "Date Committed": _uk(o["offence_date"]),
            "Outcome Date": _uk(o["outcome_date"]),
            "Outcome": o["disposal"].astype(str).map(DISPOSAL_WORDS),
            "Crime Type": o["offence_type"].astype(str).map(lambda t: t.replace("_", " ").capitalize()),
            "severity": o["severity"].astype(object),
            "DA Flag": o["domestic_abuse"].map({True: "Y", False: "N"}),
        }
    )
    first = police.iloc[0].copy()
    unreadable_date = first.copy()
    unreadable_date["Crime Ref"], unreadable_date["Date Committed"] = "CX1", "31/02/2024"
    unknown_outcome = first.copy()
    unknown_outcome["Crime Ref"], unknown_outcome["Outcome"] = "CX2", "Pending court"
    police = pd.concat([police, pd.DataFrame([unreadable_date, unknown_outcome])], ignore_index=True)
    police.to_csv(folder / "Police offences 2026.csv", index=False, encoding="cp1252")
    offences_bad = [len(o) + 2, len(o) + 3]  # header on row 1, first data row is row 2

    # ---- incidents: timestamps at midnight, no incident id, one incident recorded twice
    i = data.incidents.reset_index(drop=True).drop(columns="incident_id")
    i = pd.concat([i, i.iloc[[0]]], ignore_index=True)
    calls = pd.DataFrame(
        {
            "Perpetrator": i["perpetrator_id"],
            "Victim": i["victim_id"],
            "Incident Date": i["incident_date"].dt.strftime("%Y-%m-%d 00:00:00"),
            "Incident Type": i["incident_type"].astype(object),
            "Risk": i["risk_level"].astype(object),
        }
    )
    calls.to_csv(folder / "DA incidents.csv", index=False)

    # ---- custody and exits: already in the contract's shape
    data.custody.reset_index(drop=True).to_parquet(folder / "custody.parquet", index=False)
    data.exits.reset_index(drop=True).to_parquet(folder / "exits.parquet", index=False)
    if getattr(data, "asb", None) is not None:
        data.asb.reset_index(drop=True).to_parquet(folder / "asb.parquet", index=False)

    mapping = folder / "mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    reference = data.replace(incidents=i.set_index(pd.RangeIndex(1, len(i) + 1, name="row")))
    return County(
        folder=folder,
        mapping=mapping,
        reference=reference,
        planted={"participants": participants_bad, "offences": offences_bad},
        duplicate_incident_row=len(i) + 1,
        extract_date=extract,
    )


def _client_row(r) -> list:
    def uk(v):
        return None if pd.isna(v) else v.strftime("%d/%m/%Y")

    return [
        r.person_id,
        str(r.programme),
        uk(r.referral_date),
        uk(r.start_date),
        uk(r.end_date),
        EXIT_WORDS[str(r.exit_reason)],
        dt.datetime(r.date_of_birth.year, r.date_of_birth.month, r.date_of_birth.day),  # an Excel date cell
        SEX_WORDS[str(r.sex)],
        None if pd.isna(r.ethnicity) else str(r.ethnicity),
        None if pd.isna(r.risk_level) else str(r.risk_level).capitalize(),
        None if pd.isna(r.area) else r.area,
        None if pd.isna(r.referral_source) else r.referral_source,
    ]
