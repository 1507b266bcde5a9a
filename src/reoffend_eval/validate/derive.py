"""Derived columns: the rules GX has no expectation for, computed in pandas, vectorised.

A suite's ``meta.derived_columns`` names each column and its ``kind`` with
parameters, e.g. ``{"offences_in_past_year": {"kind": "events_in_past_days",
"person_column": "person_id", "date": "offence_date", "days": 365}}``; GX
then checks the derived column like any other (``max_value: 50``), so every
threshold and severity stays in the suite file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..data import CohortData
from .errors import ValidationError

_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class People:
    """Who the event tables may refer to: everyone in participants or comparison."""

    ids: pa.Array  # every person id, once
    date_of_birth: np.ndarray  # earliest date of birth given for each id (datetime64[ns])
    participant_programmes: pd.DataFrame  # person_id, programme (one row per pair)
    # each id column's positions in ``ids``, found once per column (person_known and
    # person_date_of_birth both need them); holds the column's array so its id stays unique
    positions: dict = field(default_factory=dict, compare=False, repr=False)


def people(data: CohortData) -> People:
    """Gather the people of ``participants`` and ``comparison`` once for all tables."""
    frames = [
        t[["person_id", "date_of_birth"]]
        for t in (data.participants, data.comparison)
        if t is not None and "person_id" in t and "date_of_birth" in t
    ]
    both = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"person_id": [], "date_of_birth": []})
    both = both[both["person_id"].notna()]
    person = as_categories(both["person_id"])
    # the earliest date of birth per person, as groupby(...).min(): missing dates skipped
    codes = person.cat.codes.to_numpy().astype("intp")
    born = pd.to_datetime(both["date_of_birth"]).to_numpy(dtype="datetime64[ns]").view("int64")
    never = np.iinfo("int64").max
    earliest = np.full(len(person.cat.categories), never, dtype="int64")
    np.minimum.at(earliest, codes, np.where(born == np.iinfo("int64").min, never, born))
    earliest[earliest == never] = np.iinfo("int64").min  # NaT
    seen = np.zeros(len(earliest), dtype=bool)
    seen[codes] = True
    ids = pa.array(person.cat.categories.to_numpy(dtype=object)[seen], type=pa.large_string())
    dob = earliest[seen].view("datetime64[ns]")
    pp = data.participants
    pairs = (
        pp[["person_id", "programme"]].dropna().astype({"person_id": object, "programme": object}).drop_duplicates()
        if pp is not None and {"person_id", "programme"} <= set(pp.columns)
        else pd.DataFrame({"person_id": [], "programme": []})
    )
    return People(ids, dob, pairs)


def as_categories(values: pd.Series) -> pd.Series:
    """Text as a categorical: hashing, grouping and matching 10 million ids get far cheaper."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        # Arrow's dictionary encoding is several times faster than pandas' factorize here
        encoded = pc.dictionary_encode(pa.chunked_array(values.array._pa_array).combine_chunks())
        codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype("int32")
        categories = pd.Index(encoded.dictionary.to_numpy(zero_copy_only=False), dtype=object)
        dtype = pd.CategoricalDtype(categories)
        return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype, validate=False), index=values.index)
    return values.astype("category")


def _positions(ids: pd.Series, who: People) -> np.ndarray:
    """For each row, the position of its person in ``who.ids`` (-1: unknown or missing)."""
    key = id(ids.array)
    cached = who.positions.get(key)
    if cached is not None and cached[0] is ids.array:
        return cached[1]
    cats = as_categories(ids)
    categories = pa.array(cats.cat.categories.to_numpy(dtype=object), type=pa.large_string())
    where = pc.index_in(categories, value_set=who.ids).fill_null(-1).to_numpy(zero_copy_only=False)
    codes = cats.cat.codes.to_numpy()
    if len(where) == 0:
        out = np.full(len(codes), -1, dtype="int64")
    else:
        out = np.where(codes >= 0, where[np.maximum(codes, 0)], -1)
    who.positions[key] = (ids.array, out)
    return out


def compute(
    kind: str, frame: pd.DataFrame, spec: dict, *, table: str, data: CohortData, who: People, programme: str | None
) -> pd.Series:
    """One derived column for ``frame`` (a table as GX will see it), by its ``kind``."""
    try:
        fn = _KINDS[kind]
    except KeyError:
        raise ValidationError(
            f"derived column kind {kind!r} (suite for {table}) is unknown; known kinds: {sorted(_KINDS)}"
        ) from None
    params = {k: v for k, v in spec.items() if k != "kind"}
    try:
        out = fn(frame, table=table, data=data, who=who, programme=programme, **params)
    except TypeError as exc:
        raise ValidationError(f"derived column kind {kind!r} (suite for {table}): bad parameters ({exc})") from None
    return out


def loader_problems(frame, *, table, data, **_):
    """Each row's values the loader could not read, as ``column='raw' (problem)``; missing if none."""
    probs = data.problems
    # categorical, not object: GX fingerprints the frame, and hashing 10 million objects is slow
    empty = pd.Series(pd.Categorical.from_codes(np.full(len(frame), -1), categories=[]), index=frame.index)
    if probs is None or len(probs) == 0:
        return empty
    mine = probs[probs["table"] == table]
    mine = mine[mine["row"].isin(frame.index)]
    if len(mine) == 0:
        return empty
    text = mine["column"].astype(str) + "=" + mine["value"].map(repr) + " (" + mine["problem"].astype(str) + ")"
    joined = text.groupby(mine["row"].to_numpy()).agg("; ".join)
    values = pd.Series(pd.NA, index=frame.index, dtype=object)
    values.loc[joined.index] = joined.to_numpy()
    return values.astype("category")


def copy_of_earlier_row(frame, *, columns=None, unless_present=None, skip_missing=False, **_):
    """For a row identical to an earlier one, the earlier row's number; missing otherwise.

    ``columns`` compares only those columns (e.g. a record id); ``skip_missing`` leaves rows
    with any of them missing out. ``unless_present`` names a record id column: a row that has
    one is judged by its id (another rule), not by its other values. A missing column in
    ``columns`` or ``unless_present`` (optional, absent from this table) leaves every row out
    or in, respectively.
    """
    cols = list(columns) if columns else list(frame.columns)
    # float, NaN when not a copy: GX vectorises checks on numpy dtypes only
    out = pd.Series(np.nan, index=frame.index, dtype="float64")
    if len(frame) == 0 or not set(cols) <= set(frame.columns):
        return out
    eligible = pd.Series(True, index=frame.index)
    if skip_missing:
        eligible &= frame[cols].notna().all(axis=1)
    if unless_present is not None and unless_present in frame.columns:
        eligible &= frame[unless_present].isna()
    if not eligible.all():
        inner = copy_of_earlier_row(frame[eligible.to_numpy()], columns=cols)
        out.loc[inner.index] = inner.to_numpy()
        return out
    part = frame[cols]
    hashes = _row_hashes(part)
    # only rows whose hash may be shared are looked at further (a tenth or so of 10 million rows)
    maybe = np.flatnonzero(_maybe_shared(hashes))
    hashes = pd.Series(hashes[maybe], index=frame.index[maybe])
    later = hashes.duplicated(keep="first")
    if not later.any():
        return out
    repeated = hashes.isin(hashes[later].unique())
    first_row = pd.Series(hashes.index.to_numpy()[repeated.to_numpy()], index=hashes[repeated].to_numpy())
    first_row = first_row.groupby(level=0).min()
    candidates = hashes.index[later.to_numpy()]
    firsts = first_row.loc[hashes[later].to_numpy()].to_numpy()
    # a 64-bit hash could collide: confirm each candidate copy value by value
    a = part.loc[candidates].reset_index(drop=True)
    b = part.loc[firsts].reset_index(drop=True)
    same = ((a == b) | (a.isna() & b.isna())).fillna(False).all(axis=1).to_numpy()
    out.loc[candidates[same]] = firsts[same]
    return out


def _row_hashes(part: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row; equal rows get equal hashes. Numbers, not text: category codes and
    dates as integers, other columns through pandas' hash; mixed in place (pandas' own
    ``hash_pandas_object`` of a frame costs several times more on 10 million rows)."""
    out = np.zeros(len(part), dtype="uint64")
    with np.errstate(over="ignore"):
        for _, v in part.items():
            if isinstance(v.dtype, pd.CategoricalDtype):
                x = v.cat.codes.to_numpy().astype("int64").view("uint64")
            elif v.dtype.kind == "M":
                x = v.to_numpy().view("int64").view("uint64")
            elif v.dtype.kind in "iub" and isinstance(v.dtype, np.dtype):
                x = v.to_numpy().astype("int64").view("uint64")
            else:
                x = pd.util.hash_pandas_object(v, index=False).to_numpy()
            out *= np.uint64(0x100000001B3)
            out ^= x
        # spread every column's bits over the whole word (the buckets below use the top and bottom bits)
        out ^= out >> np.uint64(33)
        out *= np.uint64(0xFF51AFD7ED558CCD)
        out ^= out >> np.uint64(33)
        out *= np.uint64(0xC4CEB9FE1A85EC53)
        out ^= out >> np.uint64(33)
    return out


def _maybe_shared(hashes: np.ndarray) -> np.ndarray:
    """True for every row whose hash occurs more than once, and some others: two counts of
    hash buckets (top bits, bottom bits) find the rows alone in a bucket far faster than a hash table."""
    if len(hashes) < 1 << 20:
        return np.ones(len(hashes), dtype=bool)
    bits = 24
    top = (hashes >> np.uint64(64 - bits)).astype(np.intp)
    maybe = np.bincount(top, minlength=1 << bits)[top] > 1
    bottom = (hashes[maybe] & np.uint64((1 << bits) - 1)).astype(np.intp)
    maybe[maybe] = np.bincount(bottom, minlength=1 << bits)[bottom] > 1
    return maybe


def rows_sharing_key(frame, *, columns, **_):
    """How many rows (identical copies counted once) share this row's key columns."""
    missing = [c for c in columns if c not in frame.columns]
    if missing or len(frame) == 0:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    keep = frame["copy_of_row"].isna() if "copy_of_row" in frame else pd.Series(True, index=frame.index)
    keys = frame.loc[keep, list(columns)]
    size = keys.groupby(list(columns), observed=True, dropna=False, sort=False)[columns[0]].transform("size")
    out = pd.Series(np.nan, index=frame.index, dtype="float64")
    out.loc[size.index] = size.to_numpy()
    return out.where(keys.notna().all(axis=1).reindex(frame.index, fill_value=False))


def days_between(frame, *, start, end, **_):
    """Days from ``start`` to ``end`` (missing when either is missing)."""
    return ((frame[end] - frame[start]) / _DAY).round().astype("float64")


def age_in_years(frame, *, born, at, **_):
    """Age in whole years on the date ``at`` (the birthday counts from its day)."""
    b, a = frame[born], frame[at]
    if len(frame) == 0:
        return pd.Series(dtype="float64", index=frame.index)
    years = a.dt.year - b.dt.year
    before_birthday = (a.dt.month < b.dt.month) | ((a.dt.month == b.dt.month) & (a.dt.day < b.dt.day))
    return (years - before_birthday.astype("int64")).astype("float64")


def person_known(frame, *, person_column, who, **_):
    """True when the row's person is in participants or comparison (missing id: missing)."""
    where = _positions(frame[person_column], who)
    out = pd.array(where >= 0, dtype="boolean")
    out[frame[person_column].isna().to_numpy()] = pd.NA
    return pd.Series(out, index=frame.index)


def person_date_of_birth(frame, *, person_column, who, **_):
    """The person's date of birth from participants/comparison (earliest if they differ)."""
    where = _positions(frame[person_column], who)
    if len(who.date_of_birth) == 0:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    values = np.where(where >= 0, who.date_of_birth[np.maximum(where, 0)], np.datetime64("NaT"))
    return pd.Series(values, index=frame.index, dtype="datetime64[ns]")


def also_a_participant(frame, *, who, programme, **_):
    """True when this comparison person also took part: in ``programme`` when one is
    analysed, else in the programme the row names, else in any programme."""
    pairs = who.participant_programmes
    ids = frame["person_id"].astype(object)
    any_programme = ids.isin(pd.Index(pairs["person_id"]))
    if programme is not None:
        out = ids.isin(pd.Index(pairs.loc[pairs["programme"] == programme, "person_id"]))
    elif "programme" in frame.columns and frame["programme"].notna().any():
        key = pd.MultiIndex.from_frame(pairs[["person_id", "programme"]])
        rows = pd.MultiIndex.from_arrays([ids, frame["programme"].astype(object)])
        own = pd.Series(rows.isin(key), index=frame.index)
        out = own.where(frame["programme"].notna(), any_programme)
    else:
        out = any_programme
    return out.astype("boolean").mask(frame["person_id"].isna(), pd.NA)


def events_in_past_days(frame, *, person_column, date, days, **_):
    """How many of the person's rows fall in the ``days`` days ending on this row's date."""
    out = np.full(len(frame), -1, dtype="int64")
    ids = as_categories(frame[person_column])
    codes = ids.cat.codes.to_numpy().astype("int64")
    when = frame[date].to_numpy(dtype="datetime64[D]").astype("int64")
    ok = (codes >= 0) & (frame[date].notna().to_numpy())
    if ok.any():
        c, d = codes[ok], when[ok]
        d = d - d.min()
        span = int(d.max()) + int(days) + 1
        key = c * span + d
        order = _argsort_nonnegative(key)
        sorted_key = key[order]
        first = np.searchsorted(sorted_key, sorted_key - (int(days) - 1), side="left")
        # ties on the same day all count the whole day: each row counts to the end of its run of equal keys
        run_start = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
        run_end = np.r_[run_start[1:], len(sorted_key)]
        last = np.repeat(run_end, run_end - run_start)
        counts = np.empty_like(key)
        counts[order] = last - first
        out[ok] = counts
    result = pd.Series(out, index=frame.index, dtype="float64")
    return result.mask(result < 0, np.nan)


def _argsort_nonnegative(key: np.ndarray) -> np.ndarray:
    """``np.argsort(key, kind="stable")`` for keys >= 0, by 16 bits at a time: numpy sorts 16-bit
    integers by radix, which on 10 million keys of 32 bits is about twice as fast as sorting them whole."""
    order = np.argsort(key.astype(np.uint16), kind="stable")  # the lowest 16 bits
    for shift in range(16, int(key.max()).bit_length(), 16):
        order = order[np.argsort((key[order] >> shift).astype(np.uint16), kind="stable")]
    return order


def overlaps_another_spell(frame, *, person_column, start, end, **_):
    """True when this spell overlaps another spell of the same person (both are flagged)."""
    if len(frame) == 0:
        return pd.Series(dtype="boolean", index=frame.index)
    ok = frame[person_column].notna() & frame[start].notna() & frame[end].notna()
    part = frame.loc[ok, [person_column, start, end]].copy()
    part["_p"] = as_categories(part[person_column]).cat.codes
    part = part.sort_values(["_p", start, end], kind="stable")
    g = part.groupby("_p", sort=False)
    reach = g[end].cummax()
    previous_reach = reach.groupby(part["_p"].to_numpy()).shift(1)
    next_start = g[start].shift(-1)
    # a spell ending on the day the next starts is a transfer, not an overlap
    hit = (part[start] < previous_reach) | (part[end] > next_start)
    out = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    out.loc[hit.index] = hit.fillna(False).to_numpy()
    return out


def proven_offences_before(frame, *, data, at, person_column="person_id", **_):
    """How many offences of the row's person were committed before the date ``at`` and proven (conviction
    or caution) by it; missing when there is no offences table or no date."""
    from ..data.contract import PROVING_DISPOSALS

    out = pd.Series(np.nan, index=frame.index, dtype="float64")
    off = data.offences
    needed = {"person_id", "offence_date", "outcome_date", "disposal"}
    if off is None or not needed <= set(off.columns) or len(frame) == 0:
        return out
    rows = pd.DataFrame(
        {"_row": frame.index, "person_id": frame[person_column].astype(object), "_at": frame[at]}
    ).dropna()
    proving = off["disposal"].isin(PROVING_DISPOSALS).fillna(False).to_numpy(bool)
    mine = off.loc[proving, ["person_id", "offence_date", "outcome_date"]].astype({"person_id": object})
    mine = mine[mine["person_id"].isin(pd.Index(rows["person_id"]))]
    both = rows.merge(mine, on="person_id", how="inner")
    hit = (both["offence_date"] < both["_at"]) & (both["outcome_date"] <= both["_at"])
    counts = hit.groupby(both["_row"].to_numpy()).sum()
    out.loc[rows["_row"].to_numpy()] = 0.0
    out.loc[counts.index] = counts.to_numpy(dtype="float64")
    return out


_KINDS: dict[str, Callable[..., pd.Series]] = {
    "loader_problems": loader_problems,
    "copy_of_earlier_row": copy_of_earlier_row,
    "rows_sharing_key": rows_sharing_key,
    "days_between": days_between,
    "age_in_years": age_in_years,
    "person_known": person_known,
    "person_date_of_birth": person_date_of_birth,
    "also_a_participant": also_a_participant,
    "events_in_past_days": events_in_past_days,
    "overlaps_another_spell": overlaps_another_spell,
    "proven_offences_before": proven_offences_before,
}
