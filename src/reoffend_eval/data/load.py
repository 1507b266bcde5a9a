"""Read the data contract's tables from CSV, Parquet or Excel into typed DataFrames.

Structural problems (missing required column, empty file, duplicated column,
ambiguous date format, undecodable text) stop the load with a
:class:`~reoffend_eval.errors.ContractError`. Row-level problems (one
unparseable date, an unknown code) do not: the typed value becomes missing and
the raw value is recorded in ``CohortData.problems`` so that validation can
quarantine the row and show what was there.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd

from ..errors import ContractError
from .cohort import CohortData, Source, empty_problems
from .contract import TABLES, Column, Table, canonical_code

SUFFIXES = (".parquet", ".csv", ".xlsx")
STRING = pd.StringDtype("pyarrow")

_ISO = r"^\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00(?:\.0+)?)?)?$"
_SLASHED = r"^\d{1,2}/\d{1,2}/\d{4}$"
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}

TableInput: TypeAlias = pd.DataFrame | str | os.PathLike


def load(
    source: str | os.PathLike | Mapping[str, TableInput],
    *,
    dayfirst: bool | None = None,
    encoding: str | None = None,
) -> CohortData:
    """Read the contract's tables into a :class:`CohortData`.

    ``source`` is a folder holding one file per table named after it
    (``participants.csv``, ``offences.parquet``, ``custody.xlsx`` ...), or a
    mapping of table name to a DataFrame or a file path. ``participants`` and
    ``comparison`` are required; the event tables are optional.

    Dates are ISO ``YYYY-MM-DD``. ``dayfirst=True`` reads ``DD/MM/YYYY`` (UK),
    ``dayfirst=False`` reads ``MM/DD/YYYY``; slashed dates are never guessed.
    ``encoding`` is for CSV files not saved as UTF-8 (``"cp1252"`` for most
    files saved by Excel on Windows).

    >>> import reoffend_eval as rev
    >>> data = rev.load("extract/")                       # doctest: +SKIP
    >>> data.participants.dtypes["start_date"]            # doctest: +SKIP
    dtype('<M8[ns]')
    """
    inputs = _resolve_inputs(source)
    tables: dict[str, pd.DataFrame | None] = {name: None for name in TABLES}
    sources: dict[str, Source] = {}
    problems: list[pd.DataFrame] = []
    for name, item in inputs.items():
        raw, src = _read_raw(name, item, encoding)
        typed, table_problems = coerce_table(TABLES[name], raw, src.label, dayfirst=dayfirst)
        tables[name] = typed
        sources[name] = src
        problems.append(table_problems)
    for name, table in TABLES.items():
        if table.required_table and tables[name] is None:
            where = f"folder {os.fspath(source)!r}" if not isinstance(source, Mapping) else "the mapping given"
            raise ContractError(
                f"table {name!r} is missing from {where}: expected a file named "
                f"{name}.csv, {name}.parquet or {name}.xlsx ({table.one_row_per} per row)"
            )
    problems_df = pd.concat(problems, ignore_index=True) if problems else empty_problems()
    return CohortData(**tables, problems=problems_df, sources=sources)


def _resolve_inputs(source) -> dict[str, object]:
    if isinstance(source, Mapping):
        unknown = sorted(set(source) - set(TABLES))
        if unknown:
            raise ContractError(f"unknown table name(s) {unknown}: the contract's tables are {list(TABLES)}")
        return {name: source[name] for name in TABLES if name in source and source[name] is not None}
    folder = Path(source)
    if not folder.is_dir():
        raise ContractError(f"{os.fspath(folder)!r} is not a folder: pass the folder that holds the tables' files")
    found: dict[str, object] = {}
    for name in TABLES:
        matches = [folder / f"{name}{suffix}" for suffix in SUFFIXES if (folder / f"{name}{suffix}").exists()]
        if len(matches) > 1:
            raise ContractError(
                f"table {name!r} has more than one file in {os.fspath(folder)!r}: "
                f"{[m.name for m in matches]}; keep exactly one"
            )
        if matches:
            found[name] = matches[0]
    return found


def _read_raw(name: str, item, encoding: str | None) -> tuple[pd.DataFrame, Source]:
    if isinstance(item, pd.DataFrame):
        frame = item.copy()
        frame.columns = [str(c) for c in frame.columns]
        _check_header(list(frame.columns), f"{name} (DataFrame)")
        _check_not_empty(frame, f"{name} (DataFrame)", name)
        return _normalise_columns(frame, f"{name} (DataFrame)"), Source(name, None, None, "dataframe")
    path = Path(item)
    label = path.name
    if not path.exists():
        raise ContractError(f"table {name!r}: file {os.fspath(path)!r} does not exist")
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    if not content.strip():
        raise ContractError(f"{label}: the file is empty (table {name!r} needs at least a header row)")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = _read_csv(content, label, encoding)
    elif suffix == ".parquet":
        frame = _read_parquet(content, label)
    elif suffix in (".xlsx", ".xlsm"):
        frame = _read_excel(content, label)
    else:
        raise ContractError(f"{label}: unsupported file type {suffix!r} (use .csv, .parquet or .xlsx)")
    _check_not_empty(frame, label, name)
    return _normalise_columns(frame, label), Source(name, os.fspath(path), digest, suffix.lstrip("."))


def _read_csv(content: bytes, label: str, encoding: str | None) -> pd.DataFrame:
    enc = encoding or "utf-8-sig"
    try:
        text = content.decode(enc)
    except UnicodeDecodeError as exc:
        bad = content[exc.start : exc.start + 1].hex()
        line = content[: exc.start].count(b"\n") + 1
        raise ContractError(
            f"{label}: cannot be read as {enc.replace('-sig', '')} (byte 0x{bad} on line {line}). "
            "Files saved by Excel on Windows are usually in Windows-1252: "
            "pass encoding='cp1252' (or --encoding cp1252 on the command line)"
        ) from None
    except LookupError:
        raise ContractError(f"{label}: unknown encoding {encoding!r}") from None
    header = next(csv.reader(io.StringIO(text)), [])
    _check_header(header, label)
    frame = pd.read_csv(io.StringIO(text), dtype=STRING, keep_default_na=False, na_values=[""], skipinitialspace=False)
    frame.columns = header
    return frame


def _read_parquet(content: bytes, label: str) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(content))
    except Exception as exc:  # pyarrow raises several types for a corrupt file
        raise ContractError(f"{label}: not a readable Parquet file ({exc})") from None
    _check_header(table.column_names, label)
    import pyarrow as pa

    # text stays in Arrow memory (no Python string per value): typing 10 million rows stays fast
    as_string = {pa.string(): STRING, pa.large_string(): STRING}
    frame = table.to_pandas(types_mapper=as_string.get, ignore_metadata=True)
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index(drop=True)
    return frame


def _read_excel(content: bytes, label: str) -> pd.DataFrame:
    try:
        frame = pd.read_excel(io.BytesIO(content), sheet_name=0, dtype=object, header=None, engine="openpyxl")
    except Exception as exc:
        raise ContractError(f"{label}: not a readable Excel workbook ({exc})") from None
    if frame.empty:
        raise ContractError(f"{label}: the first sheet is empty")
    header = ["" if pd.isna(v) else str(v) for v in frame.iloc[0]]
    _check_header(header, label)
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = header
    return frame


def _check_header(header: list[str], label: str) -> None:
    if not header or all(not str(h).strip() for h in header):
        raise ContractError(f"{label}: the file has no header row")
    cleaned = [str(h).strip().lower() for h in header]
    seen: dict[str, int] = {}
    for position, name in enumerate(cleaned, start=1):
        if name in seen:
            raise ContractError(
                f"{label}: column {name!r} appears twice (columns {seen[name]} and {position}); "
                "each column must appear once"
            )
        seen[name] = position
    blanks = [i for i, name in enumerate(cleaned, start=1) if not name]
    if blanks:
        raise ContractError(f"{label}: column {blanks[0]} has no name in the header row")


def _check_not_empty(frame: pd.DataFrame, label: str, name: str) -> None:
    if frame.shape[1] == 0:
        raise ContractError(f"{label}: the file has no columns (table {name!r})")


def _normalise_columns(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    frame = frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame.attrs["label"] = label
    return frame


# --------------------------------------------------------------------------- typing


def coerce_table(
    table: Table, raw: pd.DataFrame, label: str, *, dayfirst: bool | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Type one table's columns by the contract; return it and its row-level problems.

    The result's index is the data row number in the source (1 = first row
    under the header), named ``row``.
    """
    missing = [c for c in table.required_columns if c not in raw.columns]
    if missing:
        hints = []
        for m in missing:
            close = difflib.get_close_matches(m, list(raw.columns), n=1)
            hints.append(f"{m!r}" + (f" (found {close[0]!r}: rename it?)" if close else ""))
        raise ContractError(
            f"{label}: required column(s) {', '.join(hints)} missing from table {table.name!r} "
            f"(required: {', '.join(table.required_columns)}; found: {', '.join(map(str, raw.columns))})"
        )
    out = raw.copy()
    out.index = pd.RangeIndex(1, len(out) + 1, name="row")
    problems: list[pd.DataFrame] = []
    for name in out.columns:
        column = table.column(name)
        if column is None:
            out[name] = _extra_column(out[name])
            continue
        out[name], bad = _coerce_column(column, out[name], label, table.name, dayfirst)
        if bad is not None and len(bad):
            problems.append(bad)
    out.attrs = {}
    probs = pd.concat(problems, ignore_index=True) if problems else empty_problems()
    return out, probs


def _coerce_column(column: Column, values: pd.Series, label: str, table: str, dayfirst):
    if column.kind in ("id", "text"):
        return _as_string(values, strip=column.kind == "id"), None
    if column.kind == "date":
        return _as_date(values, column.name, label, table, dayfirst)
    if column.kind == "code":
        return _as_code(values, column, table)
    if column.kind == "bool":
        return _as_bool(values, column.name, table)
    if column.kind == "number":
        numbers = pd.to_numeric(values, errors="coerce")
        bad = values.notna() & numbers.isna()
        return numbers.astype("float64"), _problems(table, column.name, values[bad], "not a number")
    raise AssertionError(column.kind)


def _as_string(values: pd.Series, strip: bool) -> pd.Series:
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        values = values.map(lambda v: v if v is None or isinstance(v, str) or pd.isna(v) else _plain(v))
    out = values.astype(STRING)
    if strip:
        out = out.str.strip()
    return out.mask(out == "", pd.NA)


def _plain(value) -> str:
    # Excel hands whole numbers back as floats: 1234.0 is the identifier "1234"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text(values: pd.Series) -> pd.Series:
    """Raw values as stripped strings (missing stays missing)."""
    return _as_string(values, strip=True)


def _by_distinct_value(values: pd.Series, convert) -> tuple[pd.Series, pd.Series]:
    """Apply ``convert`` (raw text -> typed value or None) once per distinct value: codes repeat a lot.

    Returns the typed values (object, None where missing or unreadable) and the stripped raw text.
    """
    text = _text(values)
    positions, distinct = pd.factorize(text, use_na_sentinel=True)
    converted = np.array([convert(v) for v in distinct] + [None], dtype=object)
    typed = pd.Series(converted[positions], index=values.index, dtype=object)  # -1 (missing) takes the None
    return typed, text


def _as_date(values: pd.Series, name: str, label: str, table: str, dayfirst):
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = pd.to_datetime(values).dt.tz_localize(None) if getattr(values.dtype, "tz", None) else values
        return out.astype("datetime64[ns]").dt.normalize(), None
    if values.dtype != object and not pd.api.types.is_string_dtype(values.dtype):
        if isinstance(values.dtype, pd.ArrowDtype):
            return pd.to_datetime(values.astype(object)).astype("datetime64[ns]"), None
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    is_stamp = pd.Series(False, index=values.index)
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        is_stamp = values.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "isoformat"))
    if is_stamp.any():
        result[is_stamp] = pd.to_datetime(values[is_stamp].astype(object)).dt.normalize()
    text = _text(values.where(~is_stamp))
    present = text.notna()
    iso = present & text.str.fullmatch(_ISO).fillna(False).astype(bool)
    slashed = present & text.str.fullmatch(_SLASHED).fillna(False).astype(bool)
    if iso.any():
        result[iso] = pd.to_datetime(text[iso].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    if slashed.any():
        if dayfirst is None:
            first = slashed.idxmax()
            raise ContractError(
                f"{label}: column {name!r} of table {table!r} has dates written with slashes "
                f"({int(slashed.sum())} rows; first at row {first}: {text[first]!r}), which could be "
                "DD/MM/YYYY or MM/DD/YYYY and are never guessed. Pass dayfirst=True for UK dates "
                "(--dayfirst on the command line), or write them as YYYY-MM-DD"
            )
        fmt = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
        result[slashed] = pd.to_datetime(text[slashed], format=fmt, errors="coerce")
    bad = present & result.isna()
    expected = "a date as YYYY-MM-DD" + (
        " or DD/MM/YYYY" if dayfirst else " or MM/DD/YYYY" if dayfirst is False else ""
    )
    return result, _problems(table, name, text[bad], f"not {expected}")


def _as_code(values: pd.Series, column: Column, table: str):
    lookup = canonical_code(column.codes)
    typed, text = _by_distinct_value(values, lambda v: lookup.get(v.casefold()))
    out = pd.Series(pd.Categorical(typed, categories=list(column.codes)), index=values.index)
    bad = text.notna() & out.isna()
    return out, _problems(table, column.name, text[bad], f"unknown code (expected one of {', '.join(column.codes)})")


def _as_bool(values: pd.Series, name: str, table: str):
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean"), None

    def truth(v: str):
        folded = v.casefold()
        return True if folded in _TRUE else False if folded in _FALSE else None

    if values.dtype == object:
        values = values.map(lambda v: str(v) if isinstance(v, bool) else v)
    typed, text = _by_distinct_value(values, truth)
    out = typed.astype("boolean")
    bad = text.notna() & out.isna()
    return out, _problems(table, name, text[bad], "not true/false")


def _extra_column(values: pd.Series) -> pd.Series:
    """Keep an extra column; numbers stay numbers, everything else is text."""
    if values.dtype != object and not pd.api.types.is_string_dtype(values.dtype):
        return values
    numbers = pd.to_numeric(values, errors="coerce")
    if values.notna().any() and (numbers.notna() == values.notna()).all():
        # plain numpy numbers, as analysts expect: int64 when whole and complete, else float64
        if pd.api.types.is_integer_dtype(numbers.dtype) and not numbers.isna().any():
            return numbers.astype("int64")
        return numbers.astype("float64")
    return _as_string(values, strip=False)


def _problems(table: str, column: str, bad: pd.Series, problem: str) -> pd.DataFrame | None:
    if bad is None or len(bad) == 0:
        return None
    return pd.DataFrame(
        {
            "table": table,
            "row": bad.index.astype("int64"),
            "column": column,
            "value": bad.astype(str).to_numpy(),
            "problem": problem,
        }
    )
