"""The corpus: realistic broken extracts, one defect each, with the outcome each must end in (issue 13).

Outcome classes (a case may allow more than one when the issue leaves the choice open):

- ``error``: a library exception (a ``ValueError`` subclass such as ``ContractError``/``ConfigError``) whose
  message holds every word of ``words``; the CLI exits 2 with a one- or two-line message.
- ``quarantine``: a validation rule that failed names ``words`` (rows set aside or flagged).
- ``warning``: ``words`` appear in a validation or evaluation warning (or a failing rule).
- ``not_measurable``: the evaluation completes and ``targets`` (default: all) are "not yet measurable" /
  "not measured", with ``words`` in their reasons or the evaluation's warnings.
- ``accepted``: the defect is one the library must read through: nothing set aside, the same verdicts as the
  clean extract.

Every case also gets the universal checks of ``test_corpus.py`` (no traceback, rows in = clean + set aside,
no verdict more favourable than on the clean extract, no target silently dropped).
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from .extract import Extract

ERROR, QUARANTINE, WARNING, NOT_MEASURABLE, ACCEPTED = "error", "quarantine", "warning", "not_measurable", "accepted"
CLASSES = (ERROR, QUARANTINE, WARNING, NOT_MEASURABLE, ACCEPTED)


@dataclass(frozen=True)
class Case:
    id: str
    category: str
    outcome: str | tuple[str, ...]
    mutate: Callable[[Extract], None]
    words: tuple[str, ...] = ()
    programme: str = "DRIVE"
    #: "data": validate is run too (API and CLI); "config": only evaluate (the data are the clean extract's)
    stage: str = "data"
    #: targets that must be not measurable (None: every target)
    targets: tuple[str, ...] | None = None
    #: extra arguments: load(dayfirst=, encoding=), validate(extract_date=) and their CLI flags
    dayfirst: bool | None = None
    encoding: str | None = None
    extract_date: str | None = None  # None: the base extract's date; "": left out (the library's default)
    xfail: str = ""
    notes: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def outcomes(self) -> tuple[str, ...]:
        return (self.outcome,) if isinstance(self.outcome, str) else self.outcome


# ---------------------------------------------------------------- helpers for mutations


def _rows(frame: pd.DataFrame, n: int, start: int = 0) -> pd.Index:
    return frame.index[start : start + n]


def _set(table: str, column: str, value, n: int | None = None, start: int = 0):
    def change(ext: Extract) -> None:
        def f(frame):
            rows = frame.index if n is None else _rows(frame, n, start)
            frame.loc[rows, column] = value(frame.loc[rows]) if callable(value) else value
            return frame

        ext.edit(table, f)

    return change


def _known_events_only(ext: Extract) -> None:
    """Drop event rows of people who are in neither participants nor comparison (after a cut of the cohort)."""
    known = set(ext.read("participants")["person_id"]) | set(ext.read("comparison")["person_id"])
    for table, column in (("offences", "person_id"), ("incidents", "perpetrator_id"), ("custody", "person_id"),
                          ("exits", "person_id")):
        ext.edit(table, lambda f, c=column: f[f[c].isin(known)])


def _pilot(n: int):
    def change(ext: Extract) -> None:
        ext.edit("participants", lambda f: f.head(n))
        _known_events_only(ext)

    return change


def _shift_years(dates: pd.Series, years: int) -> pd.Series:
    d = pd.to_datetime(dates)
    return (d + pd.DateOffset(years=years)).dt.strftime("%Y-%m-%d")


def _age_at(frame: pd.DataFrame, date_column: str, age: int) -> pd.Series:
    """Date of birth making each row ``age`` years (and a month) old on ``date_column``."""
    d = pd.to_datetime(frame[date_column]) - pd.DateOffset(years=age, months=1)
    return d.dt.strftime("%Y-%m-%d")


def _raw_text(table: str, change: Callable[[str], str], encoding: str = "utf-8"):
    def mutate(ext: Extract) -> None:
        path = ext.path(table)
        path.write_bytes(change(path.read_text(encoding="utf-8")).encode(encoding))

    return mutate


def _raw_bytes(table: str, content: bytes):
    def mutate(ext: Extract) -> None:
        ext.path(table).write_bytes(content)

    return mutate


def _config(key: str, value: str, section: str | None = None):
    return lambda ext: ext.set_config(key, value, section)


def _config_replace(old: str, new: str):
    return lambda ext: ext.replace_config(old, new)


def _both(*changes):
    def mutate(ext: Extract) -> None:
        for c in changes:
            c(ext)

    return mutate


def _ids_as_numbers(ext: Extract) -> None:
    """Ids written as zero-padded digits everywhere, then read as numbers (zeros lost) in participants only."""
    for table, cols in (("participants", ["person_id"]), ("comparison", ["person_id"]), ("offences", ["person_id"]),
                        ("incidents", ["perpetrator_id"]), ("custody", ["person_id"]), ("exits", ["person_id"])):
        def f(frame, cols=cols, table=table):
            for c in cols:
                digits = frame[c].str.replace("P", "", regex=False)
                frame[c] = digits.str.lstrip("0") if table == "participants" else digits
            return frame

        ext.edit(table, f)


def _ids_with_point_zero(ext: Extract) -> None:
    """Offences' ids as floats from a spreadsheet: ``1294.0`` while participants say ``1294``."""
    for table, col in (("participants", "person_id"), ("comparison", "person_id"), ("offences", "person_id"),
                       ("incidents", "perpetrator_id"), ("custody", "person_id"), ("exits", "person_id")):
        def f(frame, col=col, table=table):
            digits = frame[col].str.replace("P", "", regex=False).str.lstrip("0")
            frame[col] = digits + ".0" if table == "offences" else digits
            return frame

        ext.edit(table, f)


def _duplicate_rows(table: str, n: int):
    return lambda ext: ext.edit(table, lambda f: pd.concat([f, f.head(n)], ignore_index=True))


def _unreadable_dates(table: str, column: str, share: float, value: str = "2023-13-45"):
    def f(frame):
        rows = frame.index[: int(len(frame) * share)]
        frame.loc[rows, column] = value
        return frame

    return lambda ext: ext.edit(table, f)


def _slashed(table: str, columns: list[str]):
    def f(frame):
        for c in columns:
            d = pd.to_datetime(frame[c].replace("", None))
            frame[c] = d.dt.strftime("%d/%m/%Y").fillna("")
        return frame

    return lambda ext: ext.edit(table, f)


def _with_times(table: str, columns: list[str], time: str):
    def f(frame):
        for c in columns:
            frame[c] = frame[c].where(frame[c] == "", frame[c] + " " + time)
        return frame

    return lambda ext: ext.edit(table, f)


def _unpadded(table: str, columns: list[str]):
    def f(frame):
        for c in columns:
            d = pd.to_datetime(frame[c].replace("", None))
            frame[c] = [f"{x.year}-{x.month}-{x.day}" if pd.notna(x) else "" for x in d]
        return frame

    return lambda ext: ext.edit(table, f)


def _zero_follow_up(ext: Extract) -> None:
    def f(frame):
        frame["start_date"] = ext.extract_date
        frame["end_date"] = ""
        frame["exit_reason"] = "ongoing"
        return frame

    ext.edit("participants", f)


def _offences_before_index(ext: Extract) -> None:
    ext.edit("offences", lambda f: f.assign(offence_date=_shift_years(f["offence_date"], -8),
                                            outcome_date=f["outcome_date"].where(
                                                f["outcome_date"] == "", _shift_years(
                                                    f["outcome_date"].replace("", "2000-01-01"), -8))))


def _future_offences(n: int):
    def f(frame):
        rows = frame.index[:n]
        frame.loc[rows, "offence_date"] = "2026-09-01"
        frame.loc[rows, "outcome_date"] = "2026-10-01"
        return frame

    return lambda ext: ext.edit("offences", f)


def _add_aged(table: str, date_column: str, age: int, n: int):
    """``n`` extra rows (copies of real ones under new ids, with no events) of people ``age`` years old."""
    def f(frame):
        extra = frame.head(n).copy()
        extra["person_id"] = [f"N{i:07d}" for i in range(n)]
        extra["date_of_birth"] = _age_at(extra, date_column, age)
        return pd.concat([frame, extra], ignore_index=True)

    return lambda ext: ext.edit(table, f)


def _unknown_people_offences(n: int):
    def f(frame):
        extra = frame.head(n).copy()
        extra["person_id"] = [f"Z{i:07d}" for i in range(n)]
        extra["offence_id"] = [f"OZ{i:06d}" for i in range(n)]
        return pd.concat([frame, extra], ignore_index=True)

    return lambda ext: ext.edit("offences", f)


def _contaminate(n: int):
    """``n`` participants also listed in the comparison pool."""
    def mutate(ext: Extract) -> None:
        p = ext.read("participants").head(n)
        c = ext.read("comparison")
        extra = pd.DataFrame({col: "" for col in c.columns}, index=range(n))
        for col in c.columns:
            if col in p.columns:
                extra[col] = p[col].to_numpy()
        extra["eligible_date"] = p["referral_date"].to_numpy()
        ext.write("comparison", pd.concat([c, extra], ignore_index=True))

    return mutate


def _comparison_copy_of_participants(ext: Extract) -> None:
    p = ext.read("participants")
    c = ext.read("comparison")
    copy = pd.DataFrame({col: p[col] if col in p.columns else "" for col in c.columns})
    copy["eligible_date"] = p["start_date"]
    ext.write("comparison", copy)
    _known_events_only(ext)


def _separate_on_area(ext: Extract) -> None:
    ext.edit("participants", lambda f: f.assign(area="Coastal"))


def _sex_split(ext: Extract) -> None:
    ext.edit("participants", lambda f: f.assign(sex="M"))
    ext.edit("comparison", lambda f: f.assign(sex="F"))


def _tiny_comparison(n: int):
    def mutate(ext: Extract) -> None:
        ext.edit("comparison", lambda f: f.head(n))
        _known_events_only(ext)

    return mutate


def _xlsx_wrong_sheet(ext: Extract) -> None:
    frame = ext.read("participants")
    ext.remove("participants")
    with pd.ExcelWriter(ext.data / "participants.xlsx") as writer:
        pd.DataFrame({"About this file": ["Extracted by the county's case system", "Do not edit"]}).to_excel(
            writer, sheet_name="Notes", index=False)
        frame.to_excel(writer, sheet_name="Participants", index=False)


def _xlsx_good(ext: Extract) -> None:
    frame = ext.read("participants")
    ext.remove("participants")
    frame.to_excel(ext.data / "participants.xlsx", sheet_name="Participants", index=False)


def _corrupt_parquet(ext: Extract) -> None:
    ext.remove("offences")
    (ext.data / "offences.parquet").write_bytes(b"PAR1" + os.urandom(300) + b"PAR1")


def _directory_as_file(ext: Extract) -> None:
    ext.remove("offences")
    (ext.data / "offences.csv").mkdir()


def _cp1252(ext: Extract) -> None:
    ext.edit("participants", lambda f: f.assign(referral_source=f["referral_source"].where(
        f.index >= 5, "Children\u2019s Services \u2013 MASH")))
    path = ext.path("participants")
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))


def _targets_for(programme: str):
    def mutate(ext: Extract) -> None:
        text = ext.targets.read_text(encoding="utf-8")
        ext.set_targets(text.replace(f'programme = "{ext.programme}"', f'programme = "{programme}"'))

    return mutate


RMST_TARGET = """
[[target]]
id = "RR4"
description = "Participants stay out of trouble at least 30 days longer in the first years"
programme = "DRIVE"
measure = "time_to_reoffence"
comparator = "matched"
direction = "increase"
threshold = 30
threshold_type = "days"
by = 2027-03-31
"""


def _add_target(text: str):
    def mutate(ext: Extract) -> None:
        ext.set_targets(ext.targets.read_text(encoding="utf-8") + text)

    return mutate


def _header_only(table: str):
    def mutate(ext: Extract) -> None:
        header = ext.path(table).read_text(encoding="utf-8").splitlines()[0]
        ext.path(table).write_text(header + "\n", encoding="utf-8")

    return mutate


P, C, O, I = "participants", "comparison", "offences", "incidents"  # noqa: E741
RR = ("RR1", "RR2", "RR3")
DA = ("DA1", "DA2")
MATCHED = ("RR1", "RR2", "DA1", "DA2")

CASES: list[Case] = [
    # ---------------------------------------------------------- small and degenerate cohorts (issue part 2)
    Case("pilot_8_participants", "small cohort", NOT_MEASURABLE, _pilot(8)),
    Case("pilot_1_participant", "small cohort", NOT_MEASURABLE, _pilot(1)),
    Case("no_participants_after_validation", "small cohort", (ERROR, NOT_MEASURABLE),
         _set(P, "date_of_birth", "2030-01-01"), words=("participants",)),
    Case("no_programme_participants", "small cohort", (ERROR, NOT_MEASURABLE), _set(P, "programme", "Up2U"),
         words=("DRIVE",)),
    Case("comparison_pool_of_3", "small cohort", NOT_MEASURABLE, _tiny_comparison(3), targets=MATCHED),
    Case("comparison_identical_to_participants", "small cohort", (ERROR, NOT_MEASURABLE),
         _comparison_copy_of_participants, targets=MATCHED),
    Case("caliper_nothing_meets", "small cohort", NOT_MEASURABLE, _config("caliper", "0.0000001"),
         stage="config", targets=MATCHED),
    Case("exact_sex_split", "small cohort", NOT_MEASURABLE, _sex_split, targets=MATCHED),
    Case("perfect_separation_area", "small cohort", (NOT_MEASURABLE, WARNING), _separate_on_area,
         words=("separation",), targets=MATCHED),
    Case("zero_follow_up", "small cohort", NOT_MEASURABLE, _zero_follow_up, words=("follow",)),
    Case("subgroup_of_two_people", "small cohort", (WARNING, ACCEPTED),
         _config("subgroups", '["completed", "risk_level", "sex"]'), stage="config", words=("sex",),
         notes="2 participants of sex X: a subgroup of two matched pairs"),
    Case("weighting_comparison_pool_of_3", "small cohort", NOT_MEASURABLE,
         _both(_tiny_comparison(3), _config("design", '"weighting"')), targets=MATCHED),
    Case("comparison_header_only", "small cohort", (ERROR, NOT_MEASURABLE), _header_only(C),
         words=("comparison",), targets=MATCHED),
    Case("up2u_pilot_8_participants", "small cohort", NOT_MEASURABLE, _pilot(8), programme="Up2U"),
    # ---------------------------------------------------------- optional tables and covariates
    Case("no_offences_file", "optional table", (NOT_MEASURABLE, ERROR), lambda e: e.remove(O),
         words=("offences",), targets=RR),
    Case("no_incidents_file", "optional table", (NOT_MEASURABLE, ERROR), lambda e: e.remove(I),
         words=("incidents",), targets=DA),
    Case("no_custody_file", "optional table", (WARNING, ACCEPTED), lambda e: e.remove("custody"),
         words=("custody",)),
    Case("no_exits_file", "optional table", (WARNING, ACCEPTED), lambda e: e.remove("exits"), words=("exits",)),
    Case("turnaround_no_offences_file", "optional table", (NOT_MEASURABLE, ERROR), lambda e: e.remove(O),
         programme="Turnaround", words=("offences",)),
    Case("no_area_column_in_formula", "optional table", ERROR,
         lambda e: (e.edit(P, lambda f: f.drop(columns="area")), e.edit(C, lambda f: f.drop(columns="area"))),
         words=("area",)),
    Case("risk_level_blank_some", "optional table", (ERROR, WARNING, QUARANTINE),
         _set(P, "risk_level", "", n=6), words=("risk_level",)),
    Case("risk_level_blank_all", "optional table", (ERROR, NOT_MEASURABLE),
         _both(_set(P, "risk_level", ""), _set(C, "risk_level", "")), words=("risk_level",)),
    Case("formula_absent_column", "config", ERROR,
         _config_replace("+ area\"", "+ housing_status\""), stage="config", words=("housing_status",)),
    Case("exact_absent_column", "config", ERROR, _config("exact", '["gender"]'), stage="config",
         words=("gender",)),
    Case("subgroup_absent_column", "config", ERROR, _config("subgroups", '["completed", "postcode"]'),
         stage="config", words=("postcode",)),
    # ---------------------------------------------------------- unreadable inputs (issue part 1)
    Case("participants_binary_garbage", "unreadable file", ERROR,
         _raw_bytes(P, bytes(range(256)) * 8), words=("participants.csv",)),
    Case("offences_binary_garbage", "unreadable file", ERROR, _raw_bytes(O, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
         words=("offences.csv",)),
    Case("offences_permission_denied", "unreadable file", ERROR, lambda e: None, words=("offences.csv",),
         extra={"deny": O}),
    Case("offences_empty_file", "unreadable file", ERROR, _raw_bytes(O, b""), words=("offences.csv",)),
    Case("participants_header_only", "unreadable file", (ERROR, NOT_MEASURABLE), _header_only(P),
         words=("participants",)),
    Case("offences_header_only", "unreadable file", (ERROR, NOT_MEASURABLE, WARNING), _header_only(O),
         words=("offences",), targets=RR),
    Case("offences_is_a_directory", "unreadable file", ERROR, _directory_as_file, words=("offences",)),
    Case("offences_corrupt_parquet", "unreadable file", ERROR, _corrupt_parquet, words=("offences.parquet",)),
    Case("participants_missing_file", "unreadable file", ERROR, lambda e: e.remove(P), words=("participants",)),
    Case("comparison_missing_file", "unreadable file", ERROR, lambda e: e.remove(C), words=("comparison",)),
    Case("out_folder_not_writable", "unreadable file", ERROR, lambda e: None, words=("blocked",),
         extra={"out_blocked": True}),
    Case("data_folder_missing", "config", ERROR, _config("folder", '"extract_2026"'), stage="config",
         words=("extract_2026",)),
    Case("required_column_missing", "file format", ERROR, lambda e: e.edit(P, lambda f: f.drop(columns="start_date")),
         words=("start_date",)),
    Case("duplicate_column", "file format", ERROR,
         _raw_text(P, lambda t: t.replace("referral_source", "sex", 1)), words=("sex",)),
    # ---------------------------------------------------------- file formats a county sends
    Case("xlsx_wrong_sheet", "file format", ERROR, _xlsx_wrong_sheet, words=("participants.xlsx",)),
    Case("xlsx_participants", "file format", ACCEPTED, _xlsx_good),
    Case("semicolon_csv", "file format", ERROR, _raw_text(P, lambda t: t.replace(",", ";")),
         words=("participants.csv",)),
    Case("utf8_bom", "file format", ACCEPTED, _raw_text(P, lambda t: "\ufeff" + t)),
    Case("cp1252_text_unannounced", "file format", ERROR, _cp1252, words=("participants.csv", "cp1252")),
    Case("cp1252_text_with_encoding", "file format", ACCEPTED,
         _both(_cp1252, _config("encoding", '"cp1252"', "data")), encoding="cp1252"),
    Case("trailing_blank_lines", "file format", ACCEPTED, _raw_text(P, lambda t: t + "\n\n\n")),
    Case("crlf_line_endings", "file format", ACCEPTED, _raw_text(O, lambda t: t.replace("\n", "\r\n"))),
    Case("upper_case_columns", "file format", ACCEPTED,
         _raw_text(P, lambda t: t.split("\n", 1)[0].upper() + "\n" + t.split("\n", 1)[1])),
    Case("padded_column_names", "file format", ACCEPTED,
         _raw_text(P, lambda t: ", ".join(f" {h} " for h in t.split("\n", 1)[0].split(",")) + "\n"
                   + t.split("\n", 1)[1])),
    Case("column_names_with_spaces_inside", "file format", (ERROR, ACCEPTED),
         _raw_text(P, lambda t: t.split("\n", 1)[0].replace("_", " ").title() + "\n" + t.split("\n", 1)[1]),
         words=("person",)),
    Case("padded_values", "file format", ACCEPTED,
         lambda e: e.edit(P, lambda f: f.assign(sex=" " + f["sex"] + " ", programme=f["programme"] + " "))),
    Case("codes_in_other_case", "file format", ACCEPTED,
         lambda e: e.edit(P, lambda f: f.assign(programme=f["programme"].str.lower(),
                                                risk_level=f["risk_level"].str.upper(),
                                                exit_reason=f["exit_reason"].str.title()))),
    Case("extra_free_text_column", "file format", ACCEPTED,
         lambda e: e.edit(P, lambda f: f.assign(notes="said, \"no further action\"; see file"))),
    Case("sex_as_words", "file format", (ACCEPTED, QUARANTINE, ERROR),
         lambda e: e.edit(P, lambda f: f.assign(sex=f["sex"].map({"M": "Male", "F": "Female"}).fillna(f["sex"]))),
         words=("sex",)),
    # ---------------------------------------------------------- dates (issue part 6)
    Case("dates_with_midnight_times", "dates", ACCEPTED,
         _with_times(O, ["offence_date", "outcome_date"], "00:00:00")),
    Case("dates_iso_t_midnight", "dates", ACCEPTED,
         lambda e: e.edit(P, lambda f: f.assign(start_date=f["start_date"] + "T00:00:00"))),
    Case("dates_with_real_times", "dates", (QUARANTINE, ACCEPTED, ERROR),
         _with_times(O, ["offence_date"], "14:35"), words=("offence_date",), extra={"present_not_empty": True}),
    Case("dates_unpadded_iso", "dates", ACCEPTED, _unpadded(O, ["offence_date", "outcome_date"])),
    Case("offences_mostly_unreadable", "dates", (WARNING, NOT_MEASURABLE, ERROR),
         _unreadable_dates(O, "offence_date", 0.6), words=("offences",), targets=RR,
         extra={"present_not_empty": True}),
    Case("offences_all_unreadable", "dates", ERROR, _unreadable_dates(O, "offence_date", 1.0),
         words=("offence_date",), extra={"present_not_empty": True}),
    Case("offences_few_unreadable", "dates", QUARANTINE, _unreadable_dates(O, "offence_date", 0.01),
         words=("offence_date",)),
    Case("slashed_dates_not_announced", "dates", ERROR,
         _slashed(P, ["referral_date", "start_date", "end_date", "date_of_birth"]), words=("dayfirst",)),
    Case("slashed_dates_dayfirst", "dates", ACCEPTED,
         _both(_slashed(P, ["referral_date", "start_date", "end_date", "date_of_birth"]),
               _config("dayfirst", "true", "data")), dayfirst=True),
    Case("extract_date_slashed", "dates", ERROR, lambda e: None, words=("01/03/2026",),
         extract_date="01/03/2026", extra={"config_extract_date": '"01/03/2026"'}),
    Case("extract_date_before_start_dates", "dates", (ERROR, NOT_MEASURABLE), _config("extract_date", "2019-06-30"),
         extract_date="2019-06-30", words=("extract",)),
    Case("extract_date_eight_months_late", "dates", WARNING, _config("extract_date", "2026-11-30"),
         extract_date="2026-11-30", words=("extract date",)),
    Case("future_dated_offences", "dates", QUARANTINE, _future_offences(25), words=("extract",)),
    Case("future_dated_incidents", "dates", QUARANTINE,
         _set(I, "incident_date", "2026-08-15", n=25), words=("extract",)),
    Case("extract_date_left_to_default", "dates", WARNING,
         lambda e: e.replace_config(f"extract_date = {e.extract_date}", "# extract_date left out"),
         extract_date="", words=("extract date",)),
    Case("us_dates_read_dayfirst", "dates", (ERROR, QUARANTINE),
         _both(lambda e: e.edit(O, lambda f: f.assign(offence_date=pd.to_datetime(f["offence_date"]).dt.strftime(
             "%m/%d/%Y"))), _config("dayfirst", "true", "data")), dayfirst=True, words=("offence_date",)),
    Case("iso_dates_with_dayfirst_set", "dates", ACCEPTED, _config("dayfirst", "true", "data"), dayfirst=True),
    Case("end_date_before_start_date", "dates", QUARANTINE,
         lambda e: e.edit(P, lambda f: f.assign(end_date=f["end_date"].where(
             f.index >= 5, _shift_years(f["start_date"], -1)), exit_reason=f["exit_reason"].where(
             f.index >= 5, "completed"))), words=("end_date",)),
    Case("referral_after_start", "dates", QUARANTINE,
         lambda e: e.edit(P, lambda f: f.assign(referral_date=f["referral_date"].where(
             f.index >= 5, _shift_years(f["start_date"], 1)))), words=("referral_date",)),
    Case("birth_after_start", "dates", QUARANTINE,
         lambda e: e.edit(P, lambda f: f.assign(date_of_birth=f["date_of_birth"].where(
             f.index >= 5, _shift_years(f["start_date"], 1)))), words=("date_of_birth",)),
    Case("outcome_before_offence", "dates", QUARANTINE,
         lambda e: e.edit(O, lambda f: f.assign(outcome_date=f["outcome_date"].where(
             (f.index >= 20) | (f["outcome_date"] == ""), _shift_years(f["offence_date"], -1)))),
         words=("outcome_date",)),
    Case("custody_end_before_start", "dates", QUARANTINE,
         lambda e: e.edit("custody", lambda f: f.assign(end_date=f["end_date"].where(
             f.index >= 5, _shift_years(f["start_date"], -1)))), words=("end_date",)),
    # ---------------------------------------------------------- plausibility (issue part 3)
    Case("born_1800", "plausibility", QUARANTINE,
         _set(P, "date_of_birth", lambda f: _shift_years(f["date_of_birth"], -190), n=10), words=("age",)),
    Case("comparison_born_1800", "plausibility", QUARANTINE,
         _set(C, "date_of_birth", lambda f: _shift_years(f["date_of_birth"], -190), n=30), words=("age",)),
    Case("drive_comparison_aged_8", "plausibility", (QUARANTINE, WARNING), _add_aged(C, "eligible_date", 8, 40),
         words=("eligib",), extra={"same_verdicts": True}),
    Case("turnaround_children_aged_20", "plausibility", QUARANTINE, _add_aged(P, "referral_date", 20, 10),
         programme="Turnaround", words=("eligib",), extra={"same_verdicts": True}),
    Case("turnaround_comparison_aged_30", "plausibility", (QUARANTINE, WARNING),
         _add_aged(C, "eligible_date", 30, 40), programme="Turnaround", words=("eligib",),
         extra={"same_verdicts": True}),
    Case("up2u_participants_aged_14", "plausibility", QUARANTINE, _add_aged(P, "referral_date", 14, 10),
         programme="Up2U", words=("eligib",), extra={"same_verdicts": True}),
    Case("up2u_comparison_aged_12", "plausibility", (QUARANTINE, WARNING), _add_aged(C, "eligible_date", 12, 40),
         programme="Up2U", words=("eligib",), extra={"same_verdicts": True}),
    Case("participants_aged_130_added", "plausibility", QUARANTINE, _add_aged(P, "referral_date", 130, 10),
         words=("age",), extra={"same_verdicts": True}),
    Case("ids_numbers_vs_zero_padded", "plausibility", (WARNING, ERROR), _ids_as_numbers, words=("numbers",)),
    Case("ids_with_point_zero", "plausibility", (WARNING, ERROR), _ids_with_point_zero, words=("numbers",)),
    Case("offences_for_unknown_people", "plausibility", (QUARANTINE, WARNING), _unknown_people_offences(30),
         words=("person",), extra={"same_verdicts": True}),
    Case("offences_all_before_index", "plausibility", (WARNING, NOT_MEASURABLE), _offences_before_index,
         words=("offences",), targets=RR),
    Case("participant_in_comparison_pool", "plausibility", QUARANTINE, _contaminate(10), words=("comparison",)),
    Case("unknown_disposal_codes", "plausibility", QUARANTINE, _set(O, "disposal", "fine", n=15),
         words=("disposal",)),
    Case("unknown_exit_reason", "plausibility", QUARANTINE, _set("exits", "reason", "deported", n=5),
         words=("reason",)),
    Case("incidents_victim_blank", "plausibility", QUARANTINE, _set(I, "victim_id", "", n=10),
         words=("victim_id",)),
    Case("programme_blank", "plausibility", QUARANTINE, _set(P, "programme", "", n=4), words=("programme",)),
    Case("sex_blank", "plausibility", QUARANTINE, _set(C, "sex", "", n=20), words=("sex",)),
    Case("person_id_blank", "plausibility", QUARANTINE, _set(O, "person_id", "", n=10), words=("person_id",)),
    # ---------------------------------------------------------- what was set aside (issue part 4)
    Case("exact_duplicate_offences", "set aside", (QUARANTINE, WARNING, ACCEPTED), _duplicate_rows(O, 40),
         words=("duplicate",), extra={"one_copy_kept": O}),
    Case("exact_duplicate_participants", "set aside", (QUARANTINE, WARNING, ACCEPTED), _duplicate_rows(P, 5),
         words=("duplicate",), extra={"one_copy_kept": P}),
    Case("exact_duplicate_incidents", "set aside", (QUARANTINE, WARNING, ACCEPTED), _duplicate_rows(I, 40),
         words=("duplicate",), extra={"one_copy_kept": I}),
    Case("participants_mostly_set_aside", "set aside", (ERROR, NOT_MEASURABLE),
         _set(P, "start_date", "2015-02-30", n=110), words=("participants",)),
    # ---------------------------------------------------------- files holding identifiers (issue part 7)
    Case("quarantine_file_owner_only", "identifiers", QUARANTINE,
         _set(P, "date_of_birth", lambda f: _shift_years(f["start_date"], 1), n=5), words=("date_of_birth",),
         extra={"quarantine_mode": True}),
    Case("show_ids_on_request", "identifiers", QUARANTINE, _unknown_people_offences(5), words=("person",),
         extra={"show_ids": True}),
    # ---------------------------------------------------------- verdict rules (issue part 5) and config
    Case("targets_all_other_programme", "verdict rules", (ERROR, NOT_MEASURABLE), _targets_for("Up2U"),
         stage="config", words=("Up2U",)),
    Case("measure_switched_off_repeat_victimisation", "verdict rules", NOT_MEASURABLE,
         _config("repeat_victimisation", "false"), stage="config", targets=DA),
    Case("measure_switched_off_survival", "verdict rules", NOT_MEASURABLE, _config("survival", "false"),
         stage="config", targets=("RR2",)),
    Case("rmst_tau_beyond_follow_up", "verdict rules", (ERROR, NOT_MEASURABLE),
         _both(_config("rmst_tau", "5000"), _add_target(RMST_TARGET)), stage="config", targets=("RR4",),
         words=("tau",)),
    Case("targets_file_missing", "config", ERROR, lambda e: e.targets.unlink(), stage="config",
         words=("drive_targets.toml",)),
    Case("target_wrong_measure", "config", ERROR,
         lambda e: e.replace_targets('measure = "reoffending_rate"', 'measure = "reoffending_rte"', 1),
         stage="config", words=("reoffending_rte",)),
    Case("target_duplicate_id", "config", ERROR, lambda e: e.replace_targets('id = "RR2"', 'id = "RR1"'),
         stage="config", words=("RR1",)),
    Case("config_typo_field", "config", ERROR, _config_replace("caliper = 0.2", "calliper = 0.2"), stage="config",
         words=("calliper",)),
    Case("config_typo_section", "config", ERROR, _config_replace("[outcomes]", "[outcome]"), stage="config",
         words=("outcome",)),
    Case("negative_caliper", "config", ERROR, _config("caliper", "-0.2"), stage="config", words=("caliper",)),
    Case("ratio_zero", "config", ERROR, _config("ratio", "0"), stage="config", words=("ratio",)),
    Case("follow_up_days_zero", "config", ERROR, _config("follow_up_days", "0"), stage="config",
         words=("follow_up_days",)),
    Case("waiting_days_text", "config", ERROR, _config("waiting_days", '"183 days"'), stage="config",
         words=("waiting_days",)),
    Case("programme_misspelt", "config", ERROR, _config("programme", '"Drive"'), stage="config",
         words=("Drive",)),
    Case("formula_syntax_error", "config", ERROR,
         _config("formula", '"treated ~ age_at_index + "'), stage="config", words=("formula",)),
    Case("formula_without_treated", "config", ERROR, _config("formula", '"reoffended ~ age_at_index + sex"'),
         stage="config", words=("treated",)),
    Case("costs_file_missing", "config", ERROR, lambda e: (e.root / "costs.toml").unlink(), stage="config",
         words=("costs.toml",)),
    Case("config_not_toml", "config", ERROR, lambda e: e.config.write_text("programme: DRIVE\nfolder: data\n"),
         stage="config", words=("drive.toml",)),
]


def by_id() -> dict[str, Case]:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return {c.id: c for c in CASES}
