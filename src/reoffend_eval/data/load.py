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
import datetime as dt
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
from .cohort import CohortData, Source, empty_problems, empty_recoded
from .contract import TABLES, Column, Table, canonical_code
from .mapping import ExtractMapping, TableMapping, read_mapping

SUFFIXES = (".parquet", ".csv", ".xlsx")
STRING = pd.StringDtype("pyarrow")

# ISO dates, zero-padded or not (2023-1-5), alone or as a timestamp at midnight
_ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$"
_SLASHED = r"^\d{1,2}/\d{1,2}/\d{4}$"
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}

TableInput: TypeAlias = pd.DataFrame | str | os.PathLike


def load(
    source: str | os.PathLike | Mapping[str, TableInput],
    *,
    mapping: str | os.PathLike | Mapping | ExtractMapping | None = None,
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

    ``mapping`` reads a county's files in their own shape: a mapping file
    (TOML; a relative path is looked for as given, then in the folder) or the
    same as a dict, with one section per table naming its file (a name or
    glob: exactly one file must match), sheet, header row, encoding, columns
    and codes (see :mod:`reoffend_eval.data.mapping`). The rows of a CSV or
    Excel table read through a mapping are numbered as in the file itself
    (the header is on ``header_row``, title rows counted); otherwise row 1 is
    the first row under the header. What each code mapping recoded is in ``CohortData.recoded``.

    >>> import reoffend_eval as rev
    >>> data = rev.load("extract/")                       # doctest: +SKIP
    >>> data.participants.dtypes["start_date"]            # doctest: +SKIP
    dtype('<M8[ns]')
    """
    folder = None if isinstance(source, Mapping) else source
    spec = read_mapping(mapping, folder) if mapping is not None else ExtractMapping({})
    inputs = _resolve_inputs(source, spec)
    unused = [name for name in spec.tables if name not in inputs]
    if unused:
        where = "the tables given" if isinstance(source, Mapping) else f"folder {os.fspath(source)!r}"
        raise ContractError(
            f"{spec.label}: [{unused[0]}] describes a table that is not in {where}: "
            f'name its file with file = "..." (a name or glob), or remove the section'
        )
    tables: dict[str, pd.DataFrame | None] = {name: None for name in TABLES}
    sources: dict[str, Source] = {}
    problems: list[pd.DataFrame] = []
    recoded: list[pd.DataFrame] = []
    for name, item in inputs.items():
        table_spec = spec.get(name)
        raw, src = _read_raw(name, item, encoding, table_spec)
        if table_spec is not None:
            raw = _map_columns(raw, table_spec, src.label, spec.label)
        typed, table_problems = coerce_table(
            TABLES[name],
            raw,
            src.label,
            dayfirst=table_spec.dayfirst if table_spec is not None and table_spec.dayfirst is not None else dayfirst,
            mapping=table_spec,
            # a spreadsheet's or CSV's own row numbers (Parquet and DataFrames have no header row)
            first_row=table_spec.header_row + 1
            if table_spec is not None and src.format in ("csv", "xlsx", "xlsm")
            else 1,
            recoded=recoded,
        )
        tables[name] = typed
        sources[name] = src
        problems.append(table_problems)
    for name, table in TABLES.items():
        if table.required_table and tables[name] is None:
            where = f"folder {os.fspath(source)!r}" if not isinstance(source, Mapping) else "the mapping given"
            raise ContractError(
                f"table {name!r} is missing from {where}: expected a file named "
                f"{name}.csv, {name}.parquet or {name}.xlsx ({table.one_row_per} per row)"
                + (
                    f', or one named in the mapping file: [{name}] file = "..."'
                    if not isinstance(source, Mapping)
                    else ""
                )
            )
    problems_df = pd.concat(problems, ignore_index=True) if problems else empty_problems()
    recoded_df = pd.concat(recoded, ignore_index=True) if recoded else empty_recoded()
    if spec.path is not None:
        # the mapping decides what the data say: its hash goes into the provenance with the tables'
        sources["mapping"] = Source("mapping", spec.path, spec.sha256, "toml")
    return CohortData(**tables, problems=problems_df, sources=sources, recoded=recoded_df)


def _resolve_inputs(source, spec: ExtractMapping) -> dict[str, object]:
    if isinstance(source, Mapping):
        unknown = sorted(set(source) - set(TABLES))
        if unknown:
            raise ContractError(f"unknown table name(s) {unknown}: the contract's tables are {list(TABLES)}")
        with_file = [name for name, t in spec.tables.items() if t.file is not None]
        if with_file:
            raise ContractError(
                f"{spec.label}: [{with_file[0]}] file = {spec.tables[with_file[0]].file!r} finds a file in a folder, "
                "but load() was given the tables themselves: pass the folder, or leave 'file' out"
            )
        return {name: source[name] for name in TABLES if name in source and source[name] is not None}
    folder = Path(source)
    if not folder.is_dir():
        raise ContractError(f"{os.fspath(folder)!r} is not a folder: pass the folder that holds the tables' files")
    found: dict[str, object] = {}
    for name in TABLES:
        table_spec = spec.get(name)
        if table_spec is not None and table_spec.file is not None:
            found[name] = _glob_one(folder, table_spec.file, name, spec.label)
            continue
        matches = [folder / f"{name}{suffix}" for suffix in SUFFIXES if (folder / f"{name}{suffix}").exists()]
        if len(matches) > 1:
            raise ContractError(
                f"table {name!r} has more than one file in {os.fspath(folder)!r}: "
                f"{[m.name for m in matches]}; keep exactly one"
            )
        if matches:
            found[name] = matches[0]
    return found


def _glob_one(folder: Path, pattern: str, table: str, label: str) -> Path:
    """The one file in ``folder`` that ``pattern`` (a name or glob) matches."""
    if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
        raise ContractError(f"{label}: [{table}] file = {pattern!r} must name a file inside the folder")
    matches = sorted(p for p in folder.glob(pattern) if p.is_file() and not p.name.startswith("~$"))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        there = sorted(p.name for p in folder.iterdir() if p.is_file())
        raise ContractError(
            f"{label}: [{table}] file = {pattern!r} matches no file in {os.fspath(folder)!r} "
            f"(files there: {', '.join(there) if there else 'none'}); names and globs are case-sensitive"
        )
    raise ContractError(
        f"{label}: [{table}] file = {pattern!r} matches {len(matches)} files in {os.fspath(folder)!r}: "
        f"{', '.join(m.name for m in matches)}; exactly one must match: make the pattern narrower"
    )


def _read_raw(name: str, item, encoding: str | None, spec: TableMapping | None = None) -> tuple[pd.DataFrame, Source]:
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
    try:
        content = path.read_bytes()
    except OSError as exc:  # permission denied, a folder where the file should be, a broken disk
        raise ContractError(
            f"table {name!r}: file {os.fspath(path)!r} cannot be read ({exc.strerror or exc}): check its permissions"
        ) from None
    digest = hashlib.sha256(content).hexdigest()
    if not content.strip():
        raise ContractError(f"{label}: the file is empty (table {name!r} needs at least a header row)")
    suffix = path.suffix.lower()
    header_row = spec.header_row if spec is not None else 1
    sheet = spec.sheet if spec is not None else None
    if spec is not None and spec.encoding is not None:
        encoding = spec.encoding
    if sheet is not None and suffix not in (".xlsx", ".xlsm"):
        raise ContractError(f"[{name}] sheet = {sheet!r} is for Excel workbooks; {label} is a {suffix} file")
    if suffix == ".csv":
        frame = _read_csv(content, label, encoding, header_row)
    elif suffix == ".parquet":
        if header_row != 1:
            raise ContractError(f"[{name}] header_row = {header_row} is for CSV and Excel files; {label} is Parquet")
        frame = _read_parquet(content, label)
    elif suffix in (".xlsx", ".xlsm"):
        frame = _read_excel(content, label, sheet, header_row)
        if sheet is not None:
            label = f"{label} [{sheet}]"
            frame.attrs["label"] = label
    else:
        raise ContractError(f"{label}: unsupported file type {suffix!r} (use .csv, .parquet or .xlsx)")
    _check_not_empty(frame, label, name)
    return _normalise_columns(frame, label), Source(name, os.fspath(path), digest, suffix.lstrip("."))


def _read_csv(content: bytes, label: str, encoding: str | None, header_row: int = 1) -> pd.DataFrame:
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
    skip = header_row - 1
    if skip:
        lines = text.splitlines(keepends=True)
        if skip >= len(lines):
            raise ContractError(
                f"{label}: header_row = {header_row} is past the end of the file (it has {len(lines)} lines)"
            )
        text = "".join(lines[skip:])
    full = next(csv.reader(io.StringIO(text)), [])
    header = _drop_blank_trailing(full)
    _check_header(header, label)
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=STRING, keep_default_na=False, na_values=[""], skipinitialspace=False
        )
    except pd.errors.ParserError as exc:
        raise ContractError(f"{label}: not a readable CSV file under the header on row {header_row} ({exc})") from None
    frame = _without_unnamed_empty(frame, header, label)
    frame.columns = header
    return frame


def _drop_blank_trailing(header: list) -> list[str]:
    """A header without the unnamed columns at its end (spreadsheets leave them)."""
    keep = len(header)
    while keep > 1 and not str(header[keep - 1]).strip():
        keep -= 1
    return [str(h) for h in header[:keep]]


def _without_unnamed_empty(frame: pd.DataFrame, header: list[str], label: str) -> pd.DataFrame:
    """Drop the columns after the named ones if they are empty; a value there is an unnamed column."""
    extra = frame.iloc[:, len(header) :]
    if extra.shape[1]:
        filled = extra.notna() & extra.astype(object).map(lambda v: not (isinstance(v, str) and not v.strip()))
        if filled.any().any():
            raise ContractError(
                f"{label}: column {len(header) + int(np.argmax(filled.any().to_numpy())) + 1} has values but no name in the header row"
            )
    return frame.iloc[:, : len(header)]


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


def excel_sheets(content: bytes, label: str) -> list[str]:
    """The sheet names of a workbook, in order."""
    try:
        return list(pd.ExcelFile(io.BytesIO(content), engine="openpyxl").sheet_names)
    except Exception as exc:
        raise ContractError(f"{label}: not a readable Excel workbook ({exc})") from None


def read_excel_grid(content: bytes, label: str, sheet: str | None = None) -> pd.DataFrame:
    """One sheet as a grid of cells (no header), trailing empty rows and columns removed."""
    sheets = excel_sheets(content, label)
    if sheet is not None and sheet not in sheets:
        folded = {s.strip().casefold(): s for s in sheets}
        if sheet.strip().casefold() not in folded:
            close = difflib.get_close_matches(sheet, sheets, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ContractError(
                f"{label}: the workbook has no sheet {sheet!r}{hint}; its sheets are {', '.join(map(repr, sheets))}"
            )
        sheet = folded[sheet.strip().casefold()]
    try:
        frame = pd.read_excel(
            io.BytesIO(content),
            sheet_name=sheet if sheet is not None else 0,
            dtype=object,
            header=None,
            engine="openpyxl",
        )
    except Exception as exc:
        raise ContractError(f"{label}: not a readable Excel workbook ({exc})") from None
    filled = frame.notna() & frame.map(lambda v: not (isinstance(v, str) and not v.strip()))
    rows = np.flatnonzero(filled.any(axis=1).to_numpy())
    cols = np.flatnonzero(filled.any(axis=0).to_numpy())
    if len(rows) == 0:
        return frame.iloc[0:0, 0:0]
    return frame.iloc[: rows[-1] + 1, : cols[-1] + 1]


def _read_excel(content: bytes, label: str, sheet: str | None = None, header_row: int = 1) -> pd.DataFrame:
    frame = read_excel_grid(content, label, sheet)
    which = f"sheet {sheet!r}" if sheet is not None else "the first sheet"
    if frame.empty:
        raise ContractError(f"{label}: {which} is empty")
    if header_row > len(frame):
        raise ContractError(
            f"{label}: header_row = {header_row} is past the end of {which} (its last filled row is {len(frame)})"
        )
    header = _drop_blank_trailing(["" if pd.isna(v) else _plain(v) for v in frame.iloc[header_row - 1]])
    where = label if sheet is None and header_row == 1 else f"{label} ({which}, header row {header_row})"
    _check_header(header, where)
    frame = _without_unnamed_empty(frame.iloc[header_row:].reset_index(drop=True), header, where)
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


def _map_columns(frame: pd.DataFrame, spec: TableMapping, label: str, mapping_label: str) -> pd.DataFrame:
    """Rename the file's columns to the contract's, as the mapping says (names already stripped, lower case)."""
    if not spec.columns:
        return frame
    renames: dict[str, str] = {}
    for contract_column, file_column in spec.columns.items():
        wanted = file_column.strip().lower()
        if wanted not in frame.columns:
            close = difflib.get_close_matches(wanted, list(frame.columns), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ContractError(
                f"{mapping_label}: [{spec.table}] columns.{contract_column} = {file_column!r}, but {label} has no "
                f"such column{hint}; its columns are {', '.join(map(repr, frame.columns))}"
            )
        renames[wanted] = contract_column
    clash = [c for c in renames.values() if c in frame.columns and c not in renames]
    if clash:
        raise ContractError(
            f"{mapping_label}: [{spec.table}] maps a column to {clash[0]!r}, but {label} already has a column "
            f"{clash[0]!r}; map one of them, or rename the other"
        )
    return frame.rename(columns=renames)


# --------------------------------------------------------------------------- typing


def coerce_table(
    table: Table,
    raw: pd.DataFrame,
    label: str,
    *,
    dayfirst: bool | None = None,
    mapping: TableMapping | None = None,
    first_row: int = 1,
    recoded: list[pd.DataFrame] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Type one table's columns by the contract; return it and its row-level problems.

    The result's index is the row number in the source, named ``row``:
    ``first_row`` for the first row under the header (1 by default; the
    file's own row number when read through a mapping). ``mapping``'s codes
    translate values before typing; what they recoded is appended to
    ``recoded`` (table, column, value, code, rows, by).
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
            + (
                f'; name the file\'s column in the mapping: [{table.name}] columns = {{ {missing[0]} = "..." }}'
                if mapping is not None
                else "; or read the file through a mapping file (reoffend-eval inspect drafts one)"
            )
        )
    out = raw.copy()
    out.index = pd.RangeIndex(first_row, len(out) + first_row, name="row")
    problems: list[pd.DataFrame] = []
    for name in out.columns:
        column = table.column(name)
        if column is None:
            out[name] = _extra_column(out[name])
            continue
        values = out[name]
        if mapping is not None and name in mapping.codes:
            values, touched = _recode(values, column, mapping, table.name)
            if recoded is not None and len(touched):
                recoded.append(touched)
        out[name], bad = _coerce_column(column, values, label, table.name, dayfirst)
        if bad is not None and len(bad):
            problems.append(bad)
            _check_some_readable(column, out[name], bad, label, table.name, mapping)
    out.attrs = {}
    probs = pd.concat(problems, ignore_index=True) if problems else empty_problems()
    return out, probs


def _recode(values: pd.Series, column: Column, mapping: TableMapping, table: str) -> tuple[pd.Series, pd.DataFrame]:
    """Translate a column's values by the mapping (ignoring case and spaces); others pass unchanged."""
    entries = mapping.codes[column.name]
    text = _text(values)
    folded = text.str.casefold()
    positions, distinct = pd.factorize(folded, use_na_sentinel=True)
    own = canonical_code(column.codes) if column.kind == "code" else {}
    targets: list[str | None] = []
    for value in distinct:
        hit = entries.get(value)
        if hit is None:
            targets.append(None)
            continue
        code = hit[1]
        as_text = ("true" if code else "false") if isinstance(code, bool) else code
        # a value already written as the contract's code is read, not recoded
        already = own.get(value) == code if column.kind == "code" else False
        targets.append(None if already else as_text)
    if not any(t is not None for t in targets):
        return values, pd.DataFrame()
    target = np.array(targets + [None], dtype=object)[positions]
    hit = pd.notna(target)
    out = text.mask(pd.Series(hit, index=values.index), pd.Series(target, index=values.index, dtype=STRING))
    counts = (
        pd.DataFrame({"value": text[hit].to_numpy(), "folded": folded[hit].to_numpy(), "code": target[hit]})
        .groupby(["folded", "code"], sort=True)
        .agg(value=("value", "first"), rows=("value", "size"))
        .reset_index()
    )
    touched = pd.DataFrame(
        {
            "table": table,
            "column": column.name,
            "value": counts["value"].astype(str),
            "code": counts["code"].astype(str),
            "rows": counts["rows"].astype("int64"),
            "by": mapping.code_sets.get(column.name, "mapping"),
        }
    )
    return out, touched


def _check_some_readable(column: Column, typed: pd.Series, bad: pd.DataFrame, label, table, mapping) -> None:
    """A required column with values of which none can be read cannot be used: say so, showing one."""
    if not column.required or typed.notna().any():
        return
    first = bad.iloc[0]
    if column.kind == "code":
        fix = (
            f"map the file's values to the contract's codes ({', '.join(column.codes)}) in the mapping file's "
            f"[{table}.codes.{column.name}] section, or name a built-in code set"
        )
    elif column.kind == "date":
        fix = "write the dates as YYYY-MM-DD (or DD/MM/YYYY with dayfirst)"
    else:
        fix = "check the column holds what the contract expects"
    raise ContractError(
        f"{label}: column {column.name!r} of table {table!r} has values but none of them can be read "
        f"({len(bad):,} unreadable; first at row {int(first['row'])}: {first['value']!r}, {first['problem']}): {fix}"
    )


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
        # Excel date cells arrive as datetime objects (a time-of-day cell is not a date: left unreadable)
        is_stamp = values.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64, dt.date)))
    if is_stamp.any():
        result[is_stamp] = pd.to_datetime(values[is_stamp].astype(object)).dt.normalize()
    text = _text(values.where(~is_stamp))
    present = text.notna()
    iso = present & text.str.fullmatch(_ISO).fillna(False).astype(bool)
    slashed = present & text.str.fullmatch(_SLASHED).fillna(False).astype(bool)
    if iso.any():
        parts = text[iso].str.extract(_ISO)
        result[iso] = pd.to_datetime(
            {"year": parts[0].astype(int), "month": parts[1].astype(int), "day": parts[2].astype(int)}, errors="coerce"
        )
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
