import pandas as pd
import pytest


def raw_tables() -> dict[str, pd.DataFrame]:
    """A tiny extract written as an analyst would: every value a string, one of each table."""
    return {
        "participants": pd.DataFrame(
            {
                "person_id": ["P1", "P2", "P3"],
                "programme": ["DRIVE", "drive ", "Up2U"],
                "referral_date": ["2023-01-05", "2023-02-01", "2023-03-10"],
                "start_date": ["2023-01-20", "2023-02-15", "2023-03-20"],
                "end_date": ["2023-07-20", "", ""],
                "exit_reason": ["completed", "ongoing", "Ongoing"],
                "date_of_birth": ["1980-04-03", "1991-12-31", "1975-06-15"],
                "sex": ["M", "m", "F"],
                "risk_level": ["high", "HIGH", "medium"],
                "area": ["North", "South", "East"],
                "gp_registered": ["1", "0", "1"],
            }
        ),
        "comparison": pd.DataFrame(
            {
                "person_id": ["C1", "C2"],
                "eligible_date": ["2023-01-11", "2023-04-01"],
                "date_of_birth": ["1985-01-01", "1979-09-09"],
                "sex": ["M", "X"],
            }
        ),
        "offences": pd.DataFrame(
            {
                "person_id": ["P1", "P1", "C1"],
                "offence_date": ["2023-05-01", "2022-01-01", "2023-06-01"],
                "outcome_date": ["2023-08-01", "2022-03-01", ""],
                "disposal": ["conviction", "caution", "nfa"],
                "offence_type": ["violence", "theft", "criminal_damage"],
                "domestic_abuse": ["true", "FALSE", "false"],
            }
        ),
        "incidents": pd.DataFrame(
            {
                "perpetrator_id": ["P1", "P1"],
                "victim_id": ["V1", "V2"],
                "incident_date": ["2023-03-01", "2023-04-01"],
                "incident_type": ["incident", "marac_referral"],
            }
        ),
        "custody": pd.DataFrame(
            {"person_id": ["P2"], "start_date": ["2023-06-01"], "end_date": ["2023-07-01"]}
        ),
        "exits": pd.DataFrame({"person_id": ["C2"], "date": ["2023-09-01"], "reason": ["moved_away"]}),
        "asb": pd.DataFrame(
            {"person_id": ["P3", "C1"], "date": ["2023-05-01", "2023-05-02"], "type": ["Incident", " warning"]}
        ),
    }


def write_tables(folder, tables, fmt):
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        path = folder / f"{name}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False)
        elif fmt == "parquet":
            frame.to_parquet(path, index=False)
        else:
            frame.to_excel(path, index=False)
    return folder


@pytest.fixture
def raw():
    return raw_tables()
