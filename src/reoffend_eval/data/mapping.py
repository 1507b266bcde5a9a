"""The mapping file: how a county's own files map onto the data contract.

One TOML section per contract table (every key optional)::

    [participants]
    file = "Case export*.xlsx"             # a name or glob in the folder; exactly one file must match
    sheet = "Clients"                      # Excel only (default: the first sheet)
    header_row = 4                         # 1-based row holding the column names (default 1)
    encoding = "cp1252"                    # CSV only
    dayfirst = true                        # slashed dates are DD/MM/YYYY (default: the load option)
    columns = { person_id = "Client Ref", start_date = "Intervention Start" }
    [participants.codes.exit_reason]       # value in the file = contract code
    "Finished programme" = "completed"
    [offences.codes]
    disposal = "home_office_outcome"       # or name a built-in code set

Columns not named keep their own names; source values match ignoring case and surrounding
spaces; a value neither mapped nor a contract code is still quarantined by validation. Every
mistake in a mapping is a :class:`~reoffend_eval.errors.ContractError` naming the file, the
section and the key.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContractError, did_you_mean
from .codesets import CODE_SETS
from .contract import TABLES, canonical_code

SECTION_KEYS = ("file", "sheet", "header_row", "encoding", "dayfirst", "columns", "codes")


@dataclass(frozen=True)
class TableMapping:
    """How one contract table is read from a county's file."""

    table: str
    file: str | None = None
    sheet: str | None = None
    header_row: int = 1
    encoding: str | None = None
    dayfirst: bool | None = None
    columns: dict[str, str] = field(default_factory=dict)  # contract column -> column name in the file
    # contract column -> {case-folded value in the file: (value as the mapping wrote it, contract code)}
    codes: dict[str, dict[str, tuple[str, str | bool]]] = field(default_factory=dict)
    code_sets: dict[str, str] = field(default_factory=dict)  # contract column -> built-in code set name


@dataclass(frozen=True)
class ExtractMapping:
    """A whole mapping file: one :class:`TableMapping` per table it names."""

    tables: dict[str, TableMapping]
    label: str = "mapping"
    path: str | None = None  # the mapping file read, if any
    sha256: str | None = None  # its hash, for provenance

    def get(self, table: str) -> TableMapping | None:
        return self.tables.get(table)


def read_mapping(
    mapping: str | os.PathLike | Mapping | ExtractMapping, folder: str | os.PathLike | None = None
) -> ExtractMapping:
    """Read and check a mapping: a TOML file's path, or the same shape as a dict.

    A relative path is looked for as given, then in ``folder``. Raises
    :class:`ContractError` naming the mapping, section and key for any mistake.

    >>> m = read_mapping({"participants": {"columns": {"person_id": "Client Ref"}}})
    >>> m.tables["participants"].columns
    {'person_id': 'Client Ref'}
    """
    if isinstance(mapping, ExtractMapping):
        return mapping
    if isinstance(mapping, Mapping):
        return parse_mapping(dict(mapping), "mapping")
    path = Path(mapping)
    if not path.is_absolute() and not path.exists() and folder is not None and (Path(folder) / path).exists():
        path = Path(folder) / path
    if not path.is_file():
        raise ContractError(f"mapping file {os.fspath(mapping)!r} not found")
    content = path.read_bytes()
    try:
        raw = tomllib.loads(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise ContractError(f"{path.name}: the mapping file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContractError(f"{path.name}: not valid TOML ({exc})") from None
    parsed = parse_mapping(raw, path.name)
    return ExtractMapping(parsed.tables, parsed.label, os.fspath(path), hashlib.sha256(content).hexdigest())


def parse_mapping(raw: dict, label: str = "mapping") -> ExtractMapping:
    """Check a mapping given as a dict (the TOML file's shape); see :func:`read_mapping`."""
    if not isinstance(raw, dict):
        raise ContractError(f"{label}: expected one section per table, got {type(raw).__name__}")
    tables = {}
    for name, section in raw.items():
        if name not in TABLES:
            raise ContractError(
                f"{label}: [{name}] is not a table of the data contract{did_you_mean(name, TABLES)}; "
                f"the tables are {', '.join(TABLES)}"
            )
        tables[name] = _section(name, section, label)
    return ExtractMapping(tables, label)


def _section(name: str, section, label: str) -> TableMapping:
    where = f"{label}: [{name}]"
    if not isinstance(section, dict):
        raise ContractError(f"{where} must be a section of keys ({', '.join(SECTION_KEYS)}), not {section!r}")
    for key in section:
        if key not in SECTION_KEYS:
            raise ContractError(
                f"{where}: unknown key {key!r}{did_you_mean(key, SECTION_KEYS)}; allowed keys: {', '.join(SECTION_KEYS)}"
            )
    table = TABLES[name]
    file = _optional(section, "file", str, where)
    sheet = _optional(section, "sheet", str, where)
    encoding = _optional(section, "encoding", str, where)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ContractError(
                f"{where}: encoding {encoding!r} is not a known text encoding (e.g. 'cp1252')"
            ) from None
    header_row = section.get("header_row", 1)
    if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1:
        raise ContractError(
            f"{where}: header_row must be a whole number >= 1 (the row holding the column names), not {header_row!r}"
        )
    dayfirst = _optional(section, "dayfirst", bool, where)
    columns_raw = section.get("columns", {})
    if not isinstance(columns_raw, dict):
        raise ContractError(f'{where}: columns must be a table, e.g. columns = {{ person_id = "Client Ref" }}')
    columns: dict[str, str] = {}
    seen: dict[str, str] = {}
    for contract_column, file_column in columns_raw.items():
        if table.column(contract_column) is None:
            raise ContractError(
                f"{where}: columns.{contract_column} is not a column of table {name!r}"
                f"{did_you_mean(contract_column, table.column_names)}; its columns are {', '.join(table.column_names)}"
            )
        if not isinstance(file_column, str) or not file_column.strip():
            raise ContractError(
                f"{where}: columns.{contract_column} must name a column of the file, not {file_column!r}"
            )
        folded = file_column.strip().casefold()
        if folded in seen:
            raise ContractError(
                f"{where}: columns.{seen[folded]} and columns.{contract_column} both name the file's column "
                f"{file_column!r}; each file column can fill one contract column"
            )
        seen[folded] = contract_column
        columns[contract_column] = file_column
    codes, code_sets = _codes(name, section.get("codes", {}), where)
    return TableMapping(name, file, sheet, header_row, encoding, dayfirst, columns, codes, code_sets)


def _optional(section: dict, key: str, kind: type, where: str):
    value = section.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        expected = {str: "text", bool: "true or false"}[kind]
        raise ContractError(f"{where}: {key} must be {expected}, not {value!r}")
    return value


def _codes(name: str, raw, where: str):
    table = TABLES[name]
    if not isinstance(raw, dict):
        raise ContractError(f"{where}: codes must be a table of columns, e.g. [{name}.codes.<column>]")
    codes: dict[str, dict[str, tuple[str, str | bool]]] = {}
    sets: dict[str, str] = {}
    for column_name, entries in raw.items():
        column = table.column(column_name)
        coded = [c.name for c in table.columns if c.kind in ("code", "bool")]
        if column is None or column.kind not in ("code", "bool"):
            what = "is not a column" if column is None else f"is a {column.kind} column, not a code column"
            raise ContractError(
                f"{where}: codes.{column_name} {what} of table {name!r}{did_you_mean(column_name, coded)}; "
                f"codes can be mapped for {', '.join(coded)}"
            )
        at = f"{where}: codes.{column_name}"
        if isinstance(entries, str):
            code_set = CODE_SETS.get(entries)
            if code_set is None:
                raise ContractError(
                    f"{at} = {entries!r} is not a built-in code set{did_you_mean(entries, CODE_SETS)}; "
                    f"the built-in sets are {', '.join(CODE_SETS)} (or give a table of value = code)"
                )
            if code_set.kind != column.kind or (code_set.columns != ("*",) and column_name not in code_set.columns):
                fits = ", ".join(code_set.columns) if code_set.columns != ("*",) else f"any {code_set.kind} column"
                raise ContractError(f"{at}: the code set {entries!r} is for {fits}, not {name}.{column_name}")
            codes[column_name] = {k: (k, v) for k, v in code_set.entries.items()}
            sets[column_name] = code_set.name
            continue
        if not isinstance(entries, dict):
            raise ContractError(f"{at} must be a built-in code set's name or a table of value = code, not {entries!r}")
        mapped: dict[str, tuple[str, str | bool]] = {}
        for source, code in entries.items():
            target = _target(column, code)
            if target is None:
                allowed = "true or false" if column.kind == "bool" else ", ".join(column.codes)
                raise ContractError(
                    f"{at}: {source!r} = {code!r}, but {code!r} is not a code of {name}.{column_name}"
                    f"{did_you_mean(str(code), column.codes)} (allowed: {allowed})"
                )
            key = str(source).strip().casefold()
            if key in mapped and mapped[key][1] != target:
                raise ContractError(
                    f"{at}: {mapped[key][0]!r} and {source!r} are the same value (case and spaces are ignored) "
                    "but are mapped to different codes"
                )
            mapped[key] = (str(source), target)
        codes[column_name] = mapped
    return codes, sets


def _target(column, code) -> str | bool | None:
    if column.kind == "bool":
        if isinstance(code, bool):
            return code
        if isinstance(code, str) and code.strip().casefold() in ("true", "false"):
            return code.strip().casefold() == "true"
        return None
    if not isinstance(code, str):
        return None
    return canonical_code(column.codes).get(code.strip().casefold())
