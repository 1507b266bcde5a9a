"""The cohort flow: how many people reach each stage, for the programme and the comparison pool."""

from __future__ import annotations

import pandas as pd

from ..data import CohortData

STAGES = ("referred", "passed validation", "started", "completed", "in analysis", "full follow-up", "matched")


def cohort_flow(
    raw: CohortData, clean: CohortData, people: pd.DataFrame, programme: str, designs: dict
) -> pd.DataFrame:
    """Counts of people (distinct person_id) per stage; index ``stage``, columns ``programme``, ``comparison``.

    Stages that do not apply to the comparison pool (started, completed) are left empty.
    """

    def episodes(data: CohortData) -> pd.DataFrame:
        p = data.participants
        return p[p["programme"] == programme]

    raw_p, clean_p = episodes(raw), episodes(clean)
    started = clean_p[clean_p["start_date"].notna()]
    completed = started[started["exit_reason"] == "completed"]
    treated = people[people["treated"] == 1]
    control = people[people["treated"] == 0]
    full = people[people["full_follow_up"].fillna(False).astype(bool)]

    def matched(treatment: int) -> float | None:
        design = designs.get("fixed_window") or designs.get("everyone")
        if design is None:
            return None
        data = design.result.data
        rows = data[(data[design.result.treatment] == treatment) & (data["weights"] > 0)]
        return rows["person_id"].nunique()

    programme_counts = [
        raw_p["person_id"].nunique(),
        clean_p["person_id"].nunique(),
        started["person_id"].nunique(),
        completed["person_id"].nunique(),
        treated["person_id"].nunique(),
        full[full["treated"] == 1]["person_id"].nunique(),
        matched(1),
    ]
    comparison_counts = [
        raw.comparison["person_id"].nunique(),
        clean.comparison["person_id"].nunique(),
        None,
        None,
        control["person_id"].nunique(),
        full[full["treated"] == 0]["person_id"].nunique(),
        matched(0),
    ]
    frame = pd.DataFrame(
        {"programme": programme_counts, "comparison": comparison_counts}, index=pd.Index(STAGES, name="stage")
    )
    return frame.astype("Int64")
