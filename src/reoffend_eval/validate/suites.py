"""The Great Expectations suites in ``validation/``: find them, read them, check them.

Each suite is hand-maintained JSON in GX Core 1.x form (``name``, ``meta``,
``expectations``). Every expectation's ``meta`` holds the rule's name in the
users' words (``rule``), its ``severity`` (``fatal``, ``error`` or
``warning``) and, optionally, the columns to ``show`` as the failing value.
A suite's ``meta`` names the ``table`` it checks, the ``programme`` its
eligibility rules apply to (programme suites only) and the
``derived_columns`` computed in pandas before GX runs (see ``derive.py``).
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..data.contract import TABLES
from .errors import ValidationError

SEVERITIES = ("fatal", "error", "warning")

#: Expectations that look at the table's columns and types, not its rows.
SCHEMA_TYPES = ("expect_column_to_exist", "expect_column_values_to_be_in_type_list")
#: Expectations about the whole table: they cannot set a row aside.
TABLE_TYPES = (
    "expect_table_row_count_to_be_between",
    "expect_column_proportion_of_non_null_values_to_be_between",
)


@dataclass(frozen=True)
class Rule:
    """One expectation of a suite, with what our flow needs to act on it."""

    number: int
    type: str
    kwargs: dict
    rule: str
    severity: str
    show: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the expectation reads."""
        k = self.kwargs
        if "column" in k:
            return (k["column"],)
        if "column_A" in k:
            return (k["column_A"], k["column_B"])
        return tuple(k.get("column_list", ()))

    @property
    def stage(self) -> str:
        if self.type in SCHEMA_TYPES:
            return "schema"
        if self.type in TABLE_TYPES:
            return "table"
        return "rows"

    def config(self) -> dict:
        """The expectation as GX reads it; ``meta.number`` finds the rule again in GX's results."""
        return {
            "type": self.type,
            "kwargs": copy.deepcopy(self.kwargs),
            "meta": {"number": self.number, "rule": self.rule, "severity": self.severity},
        }


@dataclass(frozen=True)
class Suite:
    """One suite file: the table it checks, its derived columns and its rules."""

    name: str
    table: str
    programme: str | None
    derived_columns: dict
    rules: tuple[Rule, ...]
    path: str


def suites_folder() -> Path:
    """The folder holding the suites: ``validation/`` at the root of a checkout,
    reached through the package's ``suites`` link (a copy of it when installed)."""
    linked = Path(__file__).resolve().parent / "suites"
    if linked.is_dir():
        return linked
    # a checkout without symbolic links (git core.symlinks=false) keeps the link as a file
    checkout = Path(__file__).resolve().parents[3] / "validation"
    return checkout if checkout.is_dir() else linked


def load_suites(folder: str | os.PathLike | None = None) -> dict[str, Suite]:
    """Read and check every ``*.json`` suite in ``folder`` (default: the library's own).

    Returns the suites by name. Raises :class:`ValidationError` when a file is
    not valid JSON, names an unknown table or severity, or holds an expectation
    GX does not know (GX would drop it silently).

    ``folder``: a folder of suite files, e.g. a service's edited copy of ``validation/``.

    >>> suites = load_suites()                  # the library's own suites
    >>> sorted(suites)[:3]                       # doctest: +SKIP
    """
    where = Path(folder) if folder is not None else suites_folder()
    return dict(_load_cached(os.fspath(where.resolve())))


@lru_cache(maxsize=8)
def _load_cached(where: str) -> tuple[tuple[str, Suite], ...]:
    folder = Path(where)
    files = sorted(folder.glob("*.json"))
    if not files:
        raise ValidationError(
            f"no validation suites (*.json) found in {where!r}: a non-editable install needs "
            "'validate/suites/*.json' in the package data"
        )
    suites = []
    for path in files:
        suite = read_suite(path)
        suites.append((suite.name, suite))
    names = {s.table for _, s in suites if s.programme is None}
    missing = [t for t in TABLES if t not in names]
    if missing:
        raise ValidationError(f"{where}: no suite for table(s) {missing}; each table needs one")
    return tuple(suites)


def read_suite(path: str | os.PathLike) -> Suite:
    """Read one suite file and check it (see :func:`load_suites`)."""
    path = Path(path)
    label = path.name
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"validation suite {label}: not readable JSON ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("expectations"), list):
        raise ValidationError(f"validation suite {label}: expected an object with a list 'expectations'")
    meta = doc.get("meta") or {}
    table = meta.get("table")
    if table not in TABLES:
        raise ValidationError(f"validation suite {label}: meta.table is {table!r}; expected one of {list(TABLES)}")
    _check_gx_knows_every_expectation(doc, label)
    rules = []
    for number, item in enumerate(doc["expectations"]):
        emeta = item.get("meta") or {}
        where = f"validation suite {label}, expectation {number + 1} ({item.get('type')})"
        severity = emeta.get("severity")
        if severity not in SEVERITIES:
            raise ValidationError(f"{where}: meta.severity is {severity!r}; expected one of {SEVERITIES}")
        if not emeta.get("rule"):
            raise ValidationError(f"{where}: meta.rule (the rule's name) is missing")
        rule = Rule(
            number=number,
            type=item["type"],
            kwargs=dict(item.get("kwargs") or {}),
            rule=str(emeta["rule"]),
            severity=severity,
            show=tuple(emeta.get("show") or ()),
        )
        if rule.stage == "table" and severity == "error":
            raise ValidationError(
                f"{where}: a table-wide expectation cannot set single rows aside; "
                "make its severity 'fatal' or 'warning'"
            )
        rules.append(rule)
    return Suite(
        name=str(doc.get("name") or path.stem),
        table=table,
        programme=meta.get("programme"),
        derived_columns=dict(meta.get("derived_columns") or {}),
        rules=tuple(rules),
        path=os.fspath(path),
    )


def _check_gx_knows_every_expectation(doc: dict, label: str) -> None:
    """GX 1.x drops an expectation it does not know with only a log line: count them."""
    from ._gx import build_suite

    listed = len(doc["expectations"])
    try:
        suite = build_suite(doc.get("name") or label, [_plain(e) for e in doc["expectations"]])
    except Exception as exc:  # GX raises many types for a bad configuration
        raise ValidationError(f"validation suite {label}: Great Expectations cannot read it ({exc})") from None
    kept = len(suite.expectations)
    if kept != listed:
        known = {e.expectation_type for e in suite.expectations}
        dropped = [e.get("type") for e in doc["expectations"] if e.get("type") not in known]
        raise ValidationError(
            f"validation suite {label}: lists {listed} expectations but Great Expectations "
            f"kept only {kept}; unknown expectation type(s): {dropped}"
        )


def _plain(item: dict) -> dict:
    return {"type": item.get("type"), "kwargs": item.get("kwargs") or {}, "meta": item.get("meta") or {}}
