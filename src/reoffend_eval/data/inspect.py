"""Draft a mapping file from an unfamiliar extract: ``reoffend-eval inspect``.

:func:`inspect_folder` looks at every file (and every sheet of a workbook) in a folder and
guesses which contract table each holds (by its column names and values), which of its
columns is which contract column (names, synonyms and value patterns: dates, code lists,
identifier shapes), where the header row is (title rows above it), whether slashed dates are
day-first (or that it cannot tell), and the text encoding of CSV files. Every distinct value
of a code column that is not a contract code becomes a commented line for the analyst to
fill in. What it could not decide is listed in ``undecided``.

>>> draft = inspect_folder("county extract/")            # doctest: +SKIP
>>> print(draft.toml)                                     # doctest: +SKIP
"""

from __future__ import annotations

import csv
import difflib
import html
import io
import itertools
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import ContractError
from .codesets import CODE_SETS, HOME_OFFICE_OUTCOME, SEX_WORDS, YES_NO
from .contract import PROGRAMMES, TABLES, Column, canonical_code
from .load import excel_sheets, read_excel_grid

_SAMPLE_ROWS = 2000
_HEADER_SEARCH = 30
_MAX_CODES = 60

_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")

#: Words a county's files use for each contract column (normalised: lower case, words only).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "person_id": (
        "client ref",
        "client id",
        "client reference",
        "nominal",
        "nominal ref",
        "nominal id",
        "nominal reference",
        "person ref",
        "person reference",
        "subject id",
        "offender id",
        "individual id",
        "young person id",
        "cyp id",
        "pnc id",
        "case ref",
        "id",
    ),
    "programme": ("programme", "program", "service", "scheme", "intervention", "programme name"),
    "referral_date": ("referral date", "date referred", "referred", "referral received", "date of referral"),
    "start_date": ("start date", "intervention start", "programme start", "date started", "commenced", "start"),
    "end_date": ("end date", "intervention end", "programme end", "date closed", "closed date", "closure date", "end"),
    "exit_reason": ("exit reason", "case outcome", "closure reason", "reason for closure", "reason closed", "outcome"),
    "date_of_birth": ("dob", "date of birth", "birth date", "d o b", "birthdate"),
    "sex": ("sex", "gender"),
    "ethnicity": ("ethnicity", "ethnic group", "ethnic origin", "ethnicity group"),
    "risk_level": ("risk", "risk level", "dash risk", "risk rating", "risk grading"),
    "area": ("area", "locality", "district", "neighbourhood", "lpa"),
    "referral_source": ("referral source", "referred by", "referrer", "source of referral"),
    "trigger": ("trigger", "qualifying trigger", "eligibility trigger"),
    "eligible_date": ("eligible date", "eligibility date", "date eligible", "identified date", "date identified"),
    "offence_date": (
        "offence date",
        "date of offence",
        "committed date",
        "date committed",
        "crime date",
        "committed on",
        "offence committed",
        "occurred date",
    ),
    "outcome_date": (
        "outcome date",
        "disposal date",
        "date of outcome",
        "finalised date",
        "result date",
        "conviction date",
    ),
    "disposal": ("disposal", "outcome", "outcome code", "crime outcome", "ho outcome", "result", "finalisation"),
    "offence_id": ("crime ref", "crime number", "crime no", "crime reference", "offence id", "crime id", "offence ref"),
    "offence_type": ("offence type", "offence group", "crime type", "offence category", "crime group"),
    "severity": ("severity", "offence class", "mode of trial", "classification"),
    "domestic_abuse": ("domestic abuse", "da flag", "da", "domestic", "domestic flag", "dv flag", "da marker"),
    "perpetrator_id": ("perpetrator", "perpetrator id", "perpetrator ref", "suspect id", "suspect", "nominal"),
    "victim_id": ("victim", "victim id", "victim ref", "aggrieved", "victim reference"),
    "incident_date": ("incident date", "date of incident", "call date", "reported date", "occurred"),
    "incident_type": ("incident type", "record type", "type"),
    "incident_id": ("incident id", "incident ref", "log number", "cad number", "incident number", "log ref"),
    "date": ("date", "exit date", "date of death", "date moved", "end of observation"),
    "reason": ("reason", "exit reason", "reason for exit"),
    "type": ("type", "asb type", "intervention type", "record type"),
    "asb_id": ("asb id", "asb ref", "asb reference", "asb number"),
}
# custody's start/end take their own words as well
_CUSTODY_WORDS = {
    "start_date": ("reception date", "custody start", "date in", "remand date", "received into custody"),
    "end_date": ("release date", "custody end", "date out", "discharge date", "released"),
}
_TABLE_WORDS = {
    "participants": ("participant", "client", "case", "referral", "programme", "caseload"),
    "comparison": ("comparison", "eligible", "pool", "cohort", "control"),
    "offences": ("offence", "crime", "police", "pnc", "niche", "athena"),
    "incidents": ("incident", "domestic", "marac", "call"),
    "custody": ("custody", "prison", "remand"),
    "exits": ("exit", "death", "moved"),
    "asb": ("asb", "anti social", "antisocial", "nuisance"),
}


#: Words that suggest a contract code, for the commented guesses in the draft (checked in order).
CODE_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "disposal": (
        ("no further action", "nfa"),
        ("nfa", "nfa"),
        ("convict", "conviction"),
        ("guilty", "conviction"),
        ("caution", "caution"),
        ("penalty", "pnd"),
        ("pnd", "pnd"),
        ("community resolution", "community_resolution"),
        ("charge", "charged"),
        ("summons", "charged"),
    ),
    "exit_reason": (
        ("finish", "completed"),
        ("complet", "completed"),
        ("disengag", "disengaged"),
        ("stopped", "disengaged"),
        ("dropped", "disengaged"),
        ("moved", "moved_away"),
        ("relocat", "moved_away"),
        ("deceased", "died"),
        ("died", "died"),
        ("death", "died"),
        ("custody", "custody"),
        ("prison", "custody"),
        ("open", "ongoing"),
        ("ongoing", "ongoing"),
        ("active", "ongoing"),
    ),
    "incident_type": (("marac", "marac_referral"), ("crime", "crime"), ("incident", "incident")),
    "risk_level": (("high", "high"), ("medium", "medium"), ("standard", "standard"), ("low", "standard")),
}


def guess_code(column: Column, value: str) -> str | None:
    """A likely contract code for ``value`` (its words, or a telling word), or None."""
    words = _words(value)
    own = canonical_code(column.codes)
    joined = own.get(words.replace(" ", "_"))
    if joined is not None:
        return joined
    for word, code in CODE_WORDS.get(column.name, ()):
        if word in words:
            return code
    return None


@dataclass(frozen=True)
class TableGuess:
    """What :func:`inspect_folder` decided for one contract table."""

    table: str
    file: str
    sheet: str | None
    header_row: int
    encoding: str | None
    dayfirst: bool | None
    columns: dict[str, str]  # contract column -> the file's column
    code_sets: dict[str, str]
    unmapped_values: dict[str, list[tuple[str, int]]]  # contract column -> (value, rows) not a contract code
    unused_columns: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class InspectResult:
    """A drafted mapping: ``toml`` (the file's text), ``tables`` (one guess each) and ``undecided``."""

    toml: str
    tables: dict[str, TableGuess]
    undecided: tuple[str, ...] = ()
    unused_sources: tuple[str, ...] = field(default=())

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(t.table)}</td><td>{html.escape(t.file)}"
            f"{' [' + html.escape(t.sheet) + ']' if t.sheet else ''}</td><td>{t.header_row}</td>"
            f"<td>{len(t.columns)}</td></tr>"
            for t in self.tables.values()
        )
        notes = "".join(f"<li>{html.escape(u)}</li>" for u in self.undecided)
        return (
            "<div><strong>Drafted mapping</strong><table><thead><tr><th>table</th><th>file</th>"
            f"<th>header row</th><th>columns</th></tr></thead><tbody>{rows}</tbody></table>"
            f"{'<p>Could not decide:</p><ul>' + notes + '</ul>' if notes else ''}</div>"
        )


@dataclass
class _Source:
    file: str
    sheet: str | None
    encoding: str | None
    header_row: int
    header: list[str]
    values: dict[str, list[object]]  # file column -> its non-empty sample values


def inspect_folder(folder: str | os.PathLike, programme: str | None = None) -> InspectResult:
    """Draft a mapping for the files in ``folder``: an :class:`InspectResult` with the TOML text.

    Every CSV, Excel sheet and Parquet file in ``folder`` is matched to a contract table by its
    columns and values; see the module docstring for what is decided. ``programme`` (DRIVE, Up2U,
    Turnaround), when given, is noted in the draft and named when the participants file has no
    programme column (a mapping cannot add one: the analyst does). Raises ``ContractError`` when
    ``folder`` is not a folder or holds no readable file.

    >>> draft = inspect_folder("county extract/", programme="DRIVE")   # doctest: +SKIP
    >>> draft.tables["participants"].header_row, draft.undecided        # doctest: +SKIP
    >>> Path("mapping.toml").write_text(draft.toml)                       # doctest: +SKIP
    """
    path = Path(folder)
    if not path.is_dir():
        raise ContractError(f"{os.fspath(path)!r} is not a folder: pass the folder that holds the extract's files")
    if programme is not None and programme not in PROGRAMMES:
        canonical = canonical_code(PROGRAMMES).get(programme.strip().casefold())
        if canonical is None:
            raise ContractError(f"programme {programme!r} is not one of {', '.join(PROGRAMMES)}")
        programme = canonical
    sources: list[_Source] = []
    undecided: list[str] = []
    for file in sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))):
        try:
            sources.extend(_read_sources(file))
        except ContractError as exc:
            undecided.append(f"{file.name}: could not be read ({exc})")
    if not sources:
        raise ContractError(f"{os.fspath(path)!r} holds no CSV, Excel or Parquet file to inspect")
    scored = []
    for i, src in enumerate(sources):
        for name in TABLES:
            columns, score = _match_columns(name, src)
            scored.append((score, i, name, columns))
    scored.sort(key=lambda x: -x[0])
    chosen: dict[str, tuple[int, dict[str, str], float]] = {}
    used: set[int] = set()
    for score, i, name, columns in scored:
        if score < 0.45 or name in chosen or i in used:
            continue
        chosen[name] = (i, columns, score)
        used.add(i)
    guesses: dict[str, TableGuess] = {}
    for name in TABLES:
        if name not in chosen:
            if TABLES[name].required_table:
                undecided.append(f"{name}: no file or sheet looks like this table ({TABLES[name].one_row_per} per row)")
            continue
        i, columns, score = chosen[name]
        guesses[name] = _guess(name, sources[i], columns, score, undecided, programme)
    unused = tuple(_label(s) for i, s in enumerate(sources) if i not in used)
    toml = _draft(guesses, unused, undecided, programme)
    return InspectResult(toml, guesses, tuple(undecided), unused)


def _label(src: _Source) -> str:
    return src.file + (f" [{src.sheet}]" if src.sheet else "")


# ----------------------------------------------------------------------------- reading


def _read_sources(file: Path) -> list[_Source]:
    suffix = file.suffix.lower()
    content = file.read_bytes()
    if suffix == ".csv":
        text, encoding = _decode(content, file.name)
        rows: list[list] = list(itertools.islice(csv.reader(io.StringIO(text)), _SAMPLE_ROWS + _HEADER_SEARCH))
        return [_source(file.name, None, encoding, rows)]
    if suffix in (".xlsx", ".xlsm"):
        out = []
        for sheet in excel_sheets(content, file.name):
            grid = read_excel_grid(content, file.name, sheet)
            cells = [[None if pd.isna(v) else v for v in r] for r in grid.head(_SAMPLE_ROWS).itertuples(index=False)]
            if cells:
                out.append(_source(file.name, sheet, None, cells))
        return out
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            batch = next(pq.ParquetFile(io.BytesIO(content)).iter_batches(batch_size=_SAMPLE_ROWS), None)
        except Exception as exc:  # pyarrow raises several types for a corrupt file
            raise ContractError(f"{file.name}: not a readable Parquet file ({exc})") from None
        if batch is None:
            return []
        frame = batch.to_pandas()
        rows = [list(frame.columns)] + [list(r) for r in frame.astype(object).itertuples(index=False)]
        return [_source(file.name, None, None, rows)]
    return []


def _decode(content: bytes, label: str) -> tuple[str, str | None]:
    """The text and its encoding: UTF-8 when it decodes as such, else Windows-1252."""
    try:
        return content.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise ContractError(f"{label}: neither UTF-8 nor Windows-1252 text ({exc})") from None


def _filled(v) -> bool:
    return v is not None and not (isinstance(v, float) and pd.isna(v)) and str(v).strip() != ""


def _is_label(v) -> bool:
    """A cell that could be a column name: text that is not a number or a date."""
    if not isinstance(v, str) or not v.strip():
        return False
    s = v.strip()
    return not (_ISO_DATE.match(s) or _SLASHED.match(s) or re.fullmatch(r"[-+]?\d+(\.\d+)?", s))


def _header_row(rows: list[list]) -> int:
    """0-based index of the header: the first row whose filled cells are all labels and span the data."""
    widths = [sum(_filled(v) for v in r) for r in rows]
    for i, row in enumerate(rows[:_HEADER_SEARCH]):
        labels = [v for v in row if _filled(v)]
        if len(labels) < 2 or not all(_is_label(v) for v in labels):
            continue
        below = widths[i + 1 : i + 11]
        if not below or len(labels) >= 0.8 * max(below):
            return i
    return 0


def _source(file: str, sheet: str | None, encoding: str | None, rows: list[list]) -> _Source:
    h = _header_row(rows)
    header: list[str] = [str(v).strip() if _filled(v) else "" for v in rows[h]] if rows else []
    values: dict[str, list] = {}
    for j, name in enumerate(header):
        if name:
            values[name] = [r[j] for r in rows[h + 1 :] if j < len(r) and _filled(r[j])]
    return _Source(file, sheet, encoding, h + 1, header, values)


# ----------------------------------------------------------------------------- matching


def _words(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(name).casefold()).split())


def _name_score(table: str, column: str, file_column: str) -> float:
    w = _words(file_column)
    if w == _words(column):
        return 1.0
    words = SYNONYMS.get(column, ())
    if table == "custody":
        words = _CUSTODY_WORDS.get(column, ()) + words
    if w in words:
        return 0.9
    best = max((difflib.SequenceMatcher(None, w, s).ratio() for s in (*words, _words(column))), default=0.0)
    return 0.75 * best if best >= 0.75 else 0.0


def _text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _date_fraction(values: list) -> float:
    if not values:
        return 0.0
    hits = sum(1 for v in values if hasattr(v, "year") or _ISO_DATE.match(_text(v)) or _SLASHED.match(_text(v)))
    return hits / len(values)


def _code_lookup(column: Column):
    """value -> code for a code or flag column: its own codes and the built-in set meant for it."""
    if column.kind == "bool":
        return lambda v: YES_NO.lookup(v)
    own = canonical_code(column.codes)
    sets = [s for s in CODE_SETS.values() if s.kind == "code" and column.name in s.columns]

    def find(v: str) -> str | bool | None:
        hit: str | bool | None = own.get(v.strip().casefold())
        if hit is None:
            for s in sets:
                hit = s.lookup(v)
                if hit is not None:
                    break
        return hit

    return find


def _value_score(column: Column, values: list) -> float:
    if not values:
        return 0.0
    sample = values[:500]
    dates = _date_fraction(sample)
    if column.kind == "date":
        return dates
    if dates > 0.5:
        return 0.0
    texts = [_text(v) for v in sample]
    if column.kind in ("code", "bool"):
        find = _code_lookup(column)
        values_seen = set(texts)
        known = sum(find(v) is not None for v in values_seen) / len(values_seen)
        few = len(values_seen) <= 25
        return known if known > 0 else (0.3 if few else 0.0)
    if column.kind == "id":
        distinct = len(set(texts)) / len(texts)
        digit = sum(any(c.isdigit() for c in t) for t in texts) / len(texts)
        return 0.5 * digit + 0.5 * min(1.0, distinct * 1.5)
    return 0.3


def _match_columns(table: str, src: _Source) -> tuple[dict[str, str], float]:
    """The best contract column for each file column, and how well the source fits the table."""
    spec = TABLES[table]
    pairs = []
    for column in spec.columns:
        for file_column, values in src.values.items():
            name = _name_score(table, column.name, file_column)
            value = _value_score(column, values)
            if name < 0.5 and not (column.kind == "code" and value >= 0.9):
                continue
            pairs.append((0.6 * name + 0.4 * value, column.name, file_column))
    pairs.sort(key=lambda x: -x[0])
    columns: dict[str, str] = {}
    taken: set[str] = set()
    scores: dict[str, float] = {}
    for score, column_name, file_column in pairs:
        if column_name in columns or file_column in taken or score < 0.45:
            continue
        columns[column_name] = file_column
        taken.add(file_column)
        scores[column_name] = score
    required = spec.required_columns
    fit = sum(scores.get(c, 0.0) for c in required) / len(required)
    words = _words(src.file + " " + (src.sheet or ""))
    if any(w in words for w in _TABLE_WORDS.get(table, ())):
        fit += 0.05
    return columns, fit


# ----------------------------------------------------------------------------- deciding


def _guess(name: str, src: _Source, columns: dict[str, str], score: float, undecided: list, programme) -> TableGuess:
    spec = TABLES[name]
    where = f"{name} ({_label(src)})"
    for required in spec.required_columns:
        if required not in columns:
            if required == "programme" and programme is not None:
                undecided.append(
                    f"{where}: no programme column; add one holding {programme!r} to the file (a mapping cannot)"
                )
            else:
                undecided.append(f"{where}: no column found for {required!r}: name it in [{name}] columns")
    dayfirst = _dayfirst(spec, src, columns, where, undecided)
    code_sets: dict[str, str] = {}
    unmapped: dict[str, list[tuple[str, int]]] = {}
    for contract_column, file_column in columns.items():
        column = spec.column(contract_column)
        if column is None or column.kind not in ("code", "bool"):
            continue
        counts = pd.Series([_text(v) for v in src.values[file_column]]).value_counts(sort=False)
        own = canonical_code(column.codes)
        foreign = {v: int(n) for v, n in counts.items() if v.casefold() not in own}
        if column.kind == "bool":
            foreign = {v: n for v, n in foreign.items() if YES_NO.lookup(v) is None}
        if not foreign:
            continue
        for code_set in (HOME_OFFICE_OUTCOME, SEX_WORDS):
            if contract_column in code_set.columns and sum(
                code_set.lookup(v) is not None for v in foreign
            ) >= 0.8 * len(foreign):
                code_sets[contract_column] = code_set.name
                foreign = {v: n for v, n in foreign.items() if code_set.lookup(v) is None}
                break
        if foreign:
            unmapped[contract_column] = sorted(foreign.items(), key=lambda x: -x[1])[:_MAX_CODES]
            if len(foreign) > _MAX_CODES:
                undecided.append(
                    f"{where}: {contract_column} has {len(foreign)} values that are not codes; the draft lists {_MAX_CODES}"
                )
    unused = tuple(c for c in src.header if c and c not in columns.values())
    columns = {c: columns[c] for c in spec.column_names if c in columns}
    return TableGuess(
        name, src.file, src.sheet, src.header_row, src.encoding, dayfirst, columns, code_sets, unmapped, unused, score
    )


def _dayfirst(spec, src: _Source, columns: dict[str, str], where: str, undecided: list) -> bool | None:
    first_big = second_big = slashed = False
    for contract_column, file_column in columns.items():
        column = spec.column(contract_column)
        if column is None or column.kind != "date":
            continue
        for v in src.values[file_column]:
            m = _SLASHED.match(_text(v)) if isinstance(v, str) else None
            if m:
                slashed = True
                first_big |= int(m.group(1)) > 12
                second_big |= int(m.group(2)) > 12
    if not slashed:
        return None
    if first_big and not second_big:
        return True
    if second_big and not first_big:
        return False
    if first_big and second_big:
        undecided.append(f"{where}: slashed dates are written both day-first and month-first: check the file")
    else:
        undecided.append(
            f"{where}: slashed dates, but no day above 12 in the sample, so day-first cannot be told: "
            "set dayfirst = true (UK) or false yourself"
        )
    return None


# ----------------------------------------------------------------------------- writing


def _q(text: str) -> str:
    return json.dumps(str(text), ensure_ascii=False)


def _draft(guesses: dict[str, TableGuess], unused: tuple[str, ...], undecided: list[str], programme) -> str:
    lines = [
        "# Mapping drafted by `reoffend-eval inspect`: check every line before use.",
        "# Each section says where a contract table is and how its columns and codes are written.",
    ]
    if programme:
        lines.append(f"# Programme: {programme}")
    for note in undecided:
        lines.append(f"# UNDECIDED: {note}")
    for source in unused:
        lines.append(f"# not used: {source}")
    for name, g in guesses.items():
        lines += ["", f"[{name}]", f"file = {_q(g.file)}"]
        if g.sheet is not None:
            lines.append(f"sheet = {_q(g.sheet)}")
        if g.header_row != 1:
            lines.append(f"header_row = {g.header_row}")
        if g.encoding:
            lines.append(f"encoding = {_q(g.encoding)}")
        if g.dayfirst is not None:
            lines.append(f"dayfirst = {'true' if g.dayfirst else 'false'}")
        renamed = {c: f for c, f in g.columns.items() if _words(f) != _words(c) or f.strip().lower() != c}
        if renamed:
            inner = ", ".join(f"{c} = {_q(f)}" for c, f in renamed.items())
            lines.append(f"columns = {{ {inner} }}")
        if g.unused_columns:
            lines.append("# columns kept under their own names: " + ", ".join(map(_q, g.unused_columns)))
        if g.code_sets:
            lines.append(f"[{name}.codes]")
            lines += [f"{c} = {_q(s)}" for c, s in g.code_sets.items()]
        for column_name, values in g.unmapped_values.items():
            column = TABLES[name].column(column_name)
            assert column is not None  # the guess only holds contract columns
            allowed = "true, false" if column.kind == "bool" else ", ".join(column.codes)
            if column_name in g.code_sets:
                lines.append(f"# {column_name}: values the code set {_q(g.code_sets[column_name])} does not know:")
                lines.append(f"# [{name}.codes.{column_name}] cannot be used with the set: map them in the file")
            else:
                lines.append(f"[{name}.codes.{column_name}]  # codes: {allowed}")
            for value, rows in values:
                guess = guess_code(column, value) if column.kind == "code" else None
                count = f"{rows:,} row{'s' if rows != 1 else ''}"
                if guess is not None:
                    lines.append(f"# {_q(value)} = {_q(guess)}  # {count}; a guess: check it")
                else:
                    lines.append(f'# {_q(value)} = ""  # {count}')
    return "\n".join(lines) + "\n"
