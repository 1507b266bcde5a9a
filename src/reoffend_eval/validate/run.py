"""``validate()``: run the suites on every table, set aside error rows, flag warnings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._dates import parse_date
from ..data import CohortData
from ..data.cohort import empty_problems, empty_recoded
from ..data.contract import PROGRAMMES, TABLES
from . import _gx, _native, derive, plausibility
from .errors import ValidationError
from .result import COUNT_COLUMNS, QUARANTINE_COLUMNS, SUMMARY_COLUMNS, ValidationResult
from .suites import Rule, Suite, load_suites

_EXAMPLES = 3


def validate(
    data: CohortData,
    extract_date: str | dt.date | None = None,
    programme: str | None = None,
    *,
    suites: str | None = None,
    timings: dict | None = None,
) -> ValidationResult:
    """Check every table against its Great Expectations suite; set aside bad rows.

    Returns a :class:`ValidationResult` whose ``clean`` data holds every row not
    set aside by an error; warnings keep the row and flag it in ``quarantine``.
    ``extract_date`` (default: today) is the date the data were extracted:
    nothing may happen after it. ``programme`` names the programme analysed:
    a comparison person who took part in it is contamination (set aside from
    the comparison, kept as a participant). Each participant row is checked
    against its own programme's eligibility suite (age at referral).
    ``suites`` is a folder of suites to use instead of the library's own
    ``validation/``. ``timings``, when given a dict, receives wall-clock seconds per stage, and
    under ``"cpu"`` a dict of CPU seconds per stage.

    Raises :class:`ValidationError` (a ``ContractError``) naming the table and
    column when a table cannot be used at all (a fatal rule failed).

    >>> import reoffend_eval as rev
    >>> checked = rev.validate(rev.load("extract/"), extract_date="2025-03-31")  # doctest: +SKIP
    >>> checked.counts                                                          # doctest: +SKIP
    """
    clock = _Clock(timings)
    if not isinstance(data, CohortData):
        raise TypeError(f"validate() takes the CohortData from load(), not {type(data).__name__}")
    if programme is not None and programme not in PROGRAMMES:
        raise ValidationError(f"programme {programme!r} is not one of {', '.join(PROGRAMMES)}")
    extract = _extract_date(extract_date)
    all_suites = load_suites(suites)
    table_suites = {s.table: s for s in all_suites.values() if s.programme is None}
    programme_suites = [s for s in all_suites.values() if s.programme is not None]
    tables = data.tables()
    for name in ("participants", "comparison"):
        if name not in tables:
            raise ValidationError(f"table {name!r} is missing: it is required ({TABLES[name].one_row_per} per row)")
    clock("setup")

    fatal: list[str] = []
    for name, frame in tables.items():
        fatal += _schema(frame, table_suites[name])
    if fatal:
        raise ValidationError(_fatal_message(fatal))
    clock("schema")

    who = derive.people(data)
    clock("people")
    found = _Findings()
    params = {"extract_date": extract}
    ids: dict[str, pd.Series] = {}  # each table's person ids as categories, for the plausibility check
    for name, frame in tables.items():
        suite = table_suites[name]
        checked = _gx_frame(frame, suite, name, data, who, programme)
        if TABLES[name].person_column in checked:
            ids[name] = checked[TABLES[name].person_column]
        clock(f"{name}: derive")
        _check(checked, suite, name, params, found)
        clock(f"{name}: great expectations")
    participants = tables["participants"]
    for suite in programme_suites:
        rows = participants.index[(participants["programme"] == suite.programme).fillna(False).to_numpy()]
        checked = _gx_frame(participants.loc[rows], suite, "participants", data, who, programme)
        _check(checked, suite, "participants", params, found)
    pool_suite = next((s for s in programme_suites if s.programme == programme), None)
    if pool_suite is not None:
        # the comparison pool must meet the programme's own age rules, at its eligible date
        pool = tables["comparison"].drop(columns=["referral_date"], errors="ignore")
        pool = pool.rename(columns={"eligible_date": "referral_date"})
        suite = _for_comparison_pool(pool_suite)
        _check(_gx_frame(pool, suite, "comparison", data, who, programme), suite, "comparison", params, found)
    clock("programme eligibility")
    if found.fatal:
        raise ValidationError(_fatal_message(found.fatal))
    found.warnings += plausibility.latest_record_warning(data, extract) + plausibility.number_like_ids(data, ids)
    clock("plausibility")

    quarantine = _quarantine(found, data)
    result = _assemble(data, tables, quarantine, found, extract, programme)
    clock("assemble")
    return result


def _for_comparison_pool(suite: Suite) -> Suite:
    """A programme's eligibility rules worded for the comparison pool, checked at ``eligible_date``."""
    rules = tuple(
        dataclasses.replace(r, rule="comparison pool: " + r.rule.replace("at referral", "at eligible_date"))
        for r in suite.rules
    )
    return dataclasses.replace(suite, rules=rules)


# ---------------------------------------------------------------- stages


@dataclass
class _Findings:
    quarantine: list[pd.DataFrame] = field(default_factory=list)
    summary: list[dict] = field(default_factory=list)
    fatal: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Clock:
    """Wall-clock seconds per stage into ``sink``, and CPU seconds per stage into ``sink["cpu"]``
    (on a shared machine the wall clock says more about the other work than about validate)."""

    def __init__(self, sink: dict | None):
        self.sink, self.last, self.last_cpu = sink, time.perf_counter(), time.process_time()

    def __call__(self, stage: str) -> None:
        now, now_cpu = time.perf_counter(), time.process_time()
        if self.sink is not None:
            self.sink[stage] = self.sink.get(stage, 0.0) + now - self.last
            cpu = self.sink.setdefault("cpu", {})
            cpu[stage] = cpu.get(stage, 0.0) + now_cpu - self.last_cpu
        self.last, self.last_cpu = now, now_cpu


def _extract_date(value) -> pd.Timestamp:
    if value is None:
        return pd.Timestamp(dt.date.today())
    return pd.Timestamp(parse_date(value, "extract_date"))


def _schema(frame: pd.DataFrame, suite: Suite) -> list[str]:
    """Fatal problems with the table's columns and types (GX on its first rows)."""
    rules = [r for r in suite.rules if r.stage == "schema"]
    exists = [r for r in rules if r.type == "expect_column_to_exist"]
    typed = [
        r
        for r in rules
        if r.type != "expect_column_to_exist"
        and set(r.columns) <= set(frame.columns)
        and not _typed_by_loader(frame[r.columns[0]], r.kwargs.get("type_list", ()))
    ]
    # GX judges an extension dtype (pyarrow text, categories) by its class, which never
    # matches a type name; on plain Python values it checks each value's type instead
    head = frame.head(1000).rename_axis("row")
    head = head.astype({c: object for c in head.columns if not _is_date_rule_column(typed, c)})
    outcomes = _gx.run(head, exists + typed, {}, f"{suite.table} (columns)")
    problems = []
    for rule in exists + typed:
        out = outcomes[rule.number]
        if out.success or rule.severity != "fatal":
            continue
        col = rule.columns[0]
        if rule.type == "expect_column_to_exist":
            problems.append(
                f"table {suite.table!r}: required column {col!r} is missing "
                f"(columns found: {', '.join(map(str, frame.columns))})"
            )
        else:
            problems.append(
                f"table {suite.table!r}: column {col!r} holds {_observed(out.observed, frame[col])} "
                f"(expected {' or '.join(rule.kwargs['type_list'])}); read the files with rev.load(), "
                "which types every column"
            )
    return problems


def _observed(observed, values: pd.Series) -> str:
    if isinstance(observed, dict) or observed is None:
        kinds = sorted({type(v).__name__ for v in values.head(1000).dropna()})
        return "values of type " + ", ".join(kinds) if kinds else f"type {values.dtype}"
    return f"type {values.dtype}"


def _typed_by_loader(values: pd.Series, type_list) -> bool:
    """A column as load() types it passes its type rule by construction; GX (about 20 ms per
    expectation) then only checks the columns of tables built some other way."""
    if "datetime64[ns]" in type_list:
        return values.dtype == "datetime64[ns]"
    if list(type_list) == ["str"]:
        if isinstance(values.dtype, pd.StringDtype):
            return True
        if isinstance(values.dtype, pd.CategoricalDtype):
            return pd.api.types.is_string_dtype(values.cat.categories.dtype) or values.cat.categories.empty
    return False


def _is_date_rule_column(rules: list[Rule], column: str) -> bool:
    return any(column in r.columns and any("datetime" in t for t in r.kwargs.get("type_list", ())) for r in rules)


def _gx_frame(frame, suite, table, data, who, programme) -> pd.DataFrame:
    """The table as GX sees it: text as categories (cheap to hash and match) plus derived columns."""
    out = {}
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
            values = derive.as_categories(values)
        out[col] = values
    checked = pd.DataFrame(out, index=frame.index)
    for name, spec in suite.derived_columns.items():
        checked[name] = derive.compute(
            spec.get("kind"), checked, spec, table=table, data=data, who=who, programme=programme
        )
    checked.index = pd.Index(frame.index, name="row")
    return checked


def _applies(rule: Rule, frame: pd.DataFrame) -> bool:
    # rules on optional columns run only when the column is there
    return rule.stage != "schema" and set(rule.columns) <= set(frame.columns)


def _passes_by_construction(rule: Rule, frame: pd.DataFrame) -> bool:
    """A code column typed by load() is categorical over the contract's codes: when every
    category is in the rule's list no value can fail, so GX need not scan 10 million rows."""
    if rule.type != "expect_column_values_to_be_in_set":
        return False
    values = frame[rule.columns[0]]
    allowed = rule.kwargs.get("value_set")
    if not isinstance(values.dtype, pd.CategoricalDtype) or not isinstance(allowed, list):
        return False
    return set(values.cat.categories) <= set(allowed)


def _check(frame: pd.DataFrame, suite: Suite, table: str, params: dict, found: _Findings) -> None:
    rules = [r for r in suite.rules if _applies(r, frame)]
    if len(frame) == 0:
        rules = [r for r in rules if r.type == "expect_table_row_count_to_be_between"]
    passed = [r for r in rules if _passes_by_construction(r, frame)]
    outcomes = {r.number: _gx.Outcome(True, np.array([], dtype="int64")) for r in passed}
    # the commonest row rules are computed as GX computes them, without GX's copy of the frame per
    # rule (see _native); every other rule goes to GX
    for rule in rules:
        if rule in passed or rule.stage != "rows":
            continue
        rows = _native.failing_rows(frame, rule, params)
        if rows is not None:
            outcomes[rule.number] = _gx.Outcome(len(rows) == 0, rows)
    to_run = [r for r in rules if r.number not in outcomes]
    # GX copies and filters the whole frame for each expectation: on 10 million rows that
    # costs far more than the check, so each group of rules on the same columns gets a
    # frame of just those columns
    groups: dict[tuple[str, ...], list[Rule]] = {}
    for rule in to_run:
        cols = rule.columns or tuple(frame.columns[:1])
        groups.setdefault(tuple(dict.fromkeys(cols)), []).append(rule)
    for cols, group in groups.items():
        outcomes.update(_gx.run(frame[list(cols)], group, params, suite.name))
    person_column = TABLES[table].person_column
    for rule in rules:
        out = outcomes[rule.number]
        if rule.stage == "table":
            failing = 0 if out.success else len(frame)
            if not out.success:
                message = _table_message(rule, table, out.observed)
                (found.fatal if rule.severity == "fatal" else found.warnings).append(message)
            found.summary.append(_summary_row(table, rule, failing, [] if out.success else [str(out.observed)]))
            continue
        rows = np.unique(out.rows)
        if not out.success and len(rows) == 0:
            raise ValidationError(f"{suite.name}: rule {rule.rule!r} failed but GX named no rows")
        if rule.severity == "fatal" and len(rows):
            found.fatal.append(
                f"table {table!r}: rule {rule.rule!r} fails in {len(rows):,} rows (first: row {rows[0]})"
            )
        values = _values(frame, rows, rule)
        person = frame.loc[rows, person_column].astype(object) if person_column in frame else pd.NA
        found.quarantine.append(
            pd.DataFrame(
                {
                    "table": table,
                    "row": rows,
                    "person_id": np.asarray(person, dtype=object) if len(rows) else [],
                    "rule": rule.rule,
                    "severity": rule.severity,
                    "value": values,
                    "_column": rule.columns[0] if rule.type == "expect_column_values_to_not_be_null" else None,
                }
            )
        )
        found.summary.append(_summary_row(table, rule, len(rows), list(values[:_EXAMPLES])))


def _table_message(rule: Rule, table: str, observed) -> str:
    if rule.type == "expect_table_row_count_to_be_between":
        return f"table {table!r} has no rows"
    col = rule.columns[0] if rule.columns else "?"
    if rule.type == "expect_column_proportion_of_non_null_values_to_be_between" and not observed:
        return f"table {table!r}: column {col!r} is empty in every row"
    return f"table {table!r}: rule {rule.rule!r} failed (observed {observed!r})"


def _summary_row(table, rule, failing, examples) -> dict:
    return {
        "table": table,
        "rule": rule.rule,
        "severity": rule.severity,
        "rows_failing": int(failing),
        "examples": "; ".join(map(str, examples)),
    }


def _values(frame: pd.DataFrame, rows: np.ndarray, rule: Rule) -> np.ndarray:
    """Each failing row's value(s) as text: the rule's ``show`` columns, else its own columns."""
    cols = [c for c in (rule.show or rule.columns) if c in frame.columns]
    if len(rows) == 0 or not cols:
        return np.array([""] * len(rows), dtype=object)
    part = frame.loc[rows, cols]
    texts = [_text(part[c]) for c in cols]
    if len(cols) == 1:
        return texts[0].to_numpy(dtype=object)
    joined = pd.Series("", index=part.index)
    for i, (c, t) in enumerate(zip(cols, texts)):
        joined = joined + ("" if i == 0 else ", ") + f"{c}=" + t
    return joined.to_numpy(dtype=object)


def _text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.dt.strftime("%Y-%m-%d").fillna("missing")
    if pd.api.types.is_float_dtype(values.dtype):
        whole = values.dropna().mod(1).eq(0).all()
        return values.map(lambda v: "missing" if pd.isna(v) else (f"{v:.0f}" if whole else str(v)))
    return values.astype(object).map(
        lambda v: "missing" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else str(v)
    )


def _quarantine(found: _Findings, data: CohortData) -> pd.DataFrame:
    parts = [q for q in found.quarantine if len(q)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else object) for c in QUARANTINE_COLUMNS})
    q = pd.concat(parts, ignore_index=True)
    probs = data.problems if data.problems is not None else empty_problems()
    if len(probs):
        # a value the loader could not read is reported once, by the rule that shows the raw value
        read = pd.MultiIndex.from_frame(probs[["table", "row", "column"]].astype({"row": "int64"}))
        mine = pd.MultiIndex.from_arrays([q["table"], q["row"].astype("int64"), q["_column"]])
        q = q[~(q["_column"].notna().to_numpy() & mine.isin(read))]
    q = q.drop(columns="_column")
    q["row"] = q["row"].astype("int64")
    return q.sort_values(["table", "row"], kind="stable").reset_index(drop=True)[list(QUARANTINE_COLUMNS)]


def _assemble(data, tables, quarantine, found, extract, programme) -> ValidationResult:
    errors = quarantine[quarantine["severity"] == "error"]
    warns = quarantine[quarantine["severity"] == "warning"]
    clean_tables, counts = {}, {}
    for name, frame in tables.items():
        aside = pd.Index(errors.loc[errors["table"] == name, "row"].unique())
        keep = ~frame.index.isin(aside)
        clean = frame[keep]
        flagged = pd.Index(warns.loc[warns["table"] == name, "row"].unique())
        counts[name] = {
            "rows_in": len(frame),
            "clean": len(clean),
            "set_aside": int((~keep).sum()),
            "flagged": int(clean.index.isin(flagged).sum()),
        }
        if counts[name]["rows_in"] != counts[name]["clean"] + counts[name]["set_aside"]:
            raise AssertionError(f"{name}: rows in != clean + set aside")  # cannot happen: a guard
        clean_tables[name] = clean
    probs = data.problems if data.problems is not None else empty_problems()
    if len(probs):
        still = np.zeros(len(probs), dtype=bool)
        for name, clean in clean_tables.items():
            mask = (probs["table"] == name).to_numpy()
            still[mask] = probs.loc[mask, "row"].isin(clean.index).to_numpy()
        probs = probs[still].reset_index(drop=True)
    clean = data.replace(**clean_tables, problems=probs)
    summary = pd.DataFrame(found.summary, columns=list(SUMMARY_COLUMNS))
    summary = summary.groupby(["table", "rule", "severity"], sort=False, as_index=False).agg(
        rows_failing=("rows_failing", "sum"), examples=("examples", lambda s: "; ".join(x for x in s if x))
    )
    # rows reported under another rule (unreadable values) are not counted twice
    actual = quarantine.groupby(["table", "rule"], sort=False).size()
    key = pd.MultiIndex.from_frame(summary[["table", "rule"]])
    table_level = summary["examples"].ne("") & ~key.isin(actual.index)
    summary["rows_failing"] = np.where(
        table_level, summary["rows_failing"], actual.reindex(key, fill_value=0).to_numpy()
    )
    count_frame = pd.DataFrame.from_dict(counts, orient="index")[list(COUNT_COLUMNS)].rename_axis("table")
    warnings = list(found.warnings)
    warned = count_frame["flagged"].sum()
    if warned:
        warnings.append(f"{warned:,} rows are kept but flagged by a warning rule: see quarantine")
    return ValidationResult(
        ok=bool(count_frame["set_aside"].sum() == 0) and not plausibility.emptied_tables(count_frame),
        fatal=tuple(plausibility.emptied_tables(count_frame)),
        summary=summary,
        quarantine=quarantine,
        clean=clean,
        counts=count_frame,
        extract_date=extract,
        programme=programme,
        warnings=tuple(warnings),
        recoded=getattr(data, "recoded", None) if getattr(data, "recoded", None) is not None else empty_recoded(),
    )


def _fatal_message(problems: list[str]) -> str:
    head = "the data cannot be validated:" if len(problems) > 1 else "the data cannot be validated: "
    if len(problems) == 1:
        return head + problems[0]
    return head + "".join(f"\n  - {p}" for p in problems)
