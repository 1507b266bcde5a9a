"""Checks across tables that no single suite can make: is the extract date believable, were identifiers read
as numbers somewhere, did validation leave a table with nothing (or the participants with too little)?"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..data import CohortData
from ..data.contract import TABLES
from .derive import as_categories

#: an extract date this long after the last record of every table looks like unobserved follow-up
QUIET_DAYS = 90
#: more than this share of participant rows set aside and the data cannot be evaluated
PARTICIPANTS_FATAL_SHARE = 0.5
_NUMBERISH = re.compile(r"^0*(\d+?)(?:\.0+)?$")


def latest_record(data: CohortData) -> pd.Timestamp | None:
    """The latest date in any date column of any table (None when there is none)."""
    latest = None
    for name, frame in data.tables().items():
        for column in (c.name for c in TABLES[name].columns if c.kind == "date"):
            if column in frame.columns and frame[column].notna().any():
                value = frame[column].max()
                latest = value if latest is None or value > latest else latest
    return None if latest is None or pd.isna(latest) else pd.Timestamp(latest)


def quiet_end(data: CohortData, extract: pd.Timestamp) -> pd.Timestamp | None:
    """The latest record's date when it is more than ``QUIET_DAYS`` before the extract date, else None."""
    latest = latest_record(data)
    if latest is None or (extract - latest).days <= QUIET_DAYS:
        return None
    return latest


def latest_record_warning(data: CohortData, extract: pd.Timestamp) -> list[str]:
    """Warn when the extract date is well after the last dated record of every table."""
    latest = quiet_end(data, extract)
    if latest is None:
        return []
    gap = (extract - latest).days
    return [
        f"the latest record in any table is dated {latest:%Y-%m-%d}, {gap} days before the extract date "
        f"{extract:%Y-%m-%d}: follow-up after it looks unobserved (people would look as if nothing happened to "
        "them). Check the extract date, or whether some tables were extracted earlier"
    ]


def number_like_ids(data: CohortData, encoded: dict[str, pd.Series] | None = None) -> list[str]:
    """Warn when event rows name a person only after leading zeros or a '.0' are stripped (ids read as numbers).

    ``encoded`` may give a table's person-id column already as categories (validate has made them).
    """
    people = pd.concat(
        [t["person_id"] for t in (data.participants, data.comparison) if t is not None and "person_id" in t]
    ).dropna()
    # each distinct id once (10 million rows hold about a million ids): the text of every row is never made
    known = pd.Index(pd.unique(people)).astype(str)
    bare: dict[str, str] | None = None  # built only when an orphan id looks like a number
    notes = []
    for name, frame in data.tables().items():
        column = TABLES[name].person_column
        if name in ("participants", "comparison") or column not in frame.columns:
            continue
        values = as_categories((encoded or {}).get(name, frame[column]))
        codes = values.cat.codes.to_numpy()
        used = np.bincount(codes[codes >= 0], minlength=len(values.cat.categories)) > 0
        distinct = pd.Index(values.cat.categories).astype(str)
        orphans = np.flatnonzero(used & ~distinct.isin(known))
        candidates = [c for c in orphans if _bare(distinct[c]) is not None]
        if not candidates:
            continue
        if bare is None:
            bare = {b: v for v in people.astype(str) if (b := _bare(v)) is not None}
        pairs = [(c, bare[b]) for c in candidates if (b := _bare(distinct[c])) in bare]
        if pairs:
            rows = int(np.isin(codes, [c for c, _ in pairs]).sum())
            # no example ids in the message: it reaches consoles and logs (quarantine.csv names the rows)
            notes.append(
                f"{rows:,} {name} rows name a {column} that matches a person only after leading zeros or a '.0' "
                "are removed (as 214 and 0000214, or 214.0): the identifiers were probably read as numbers "
                "somewhere (Excel does this). They are set aside as orphans: export the ids as text and run again"
            )
    return notes


def _bare(value: str) -> str | None:
    match = _NUMBERISH.match(value.strip())
    return match.group(1) if match else None


def emptied_tables(counts: pd.DataFrame) -> list[str]:
    """Fatal: a table that had rows and lost them all, or participants mostly set aside."""
    problems = []
    for name, row in counts.iterrows():
        if row["rows_in"] and row["clean"] == 0:
            problems.append(
                f"table {name!r}: every one of its {int(row['rows_in']):,} rows was set aside (see quarantine.csv)"
            )
    if "participants" in counts.index:
        row = counts.loc["participants"]
        share = row["set_aside"] / row["rows_in"] if row["rows_in"] else 0
        if row["clean"] and share > PARTICIPANTS_FATAL_SHARE:
            problems.append(
                f"table 'participants': {int(row['set_aside']):,} of {int(row['rows_in']):,} rows ({share:.0%}) were "
                "set aside (see quarantine.csv): too few are left for an evaluation to mean anything"
            )
    return problems
