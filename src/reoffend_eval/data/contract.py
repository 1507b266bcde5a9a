"""The data contract: which tables exist, their columns, types and codes.

Every other stage reads column names and code lists from here, so the contract
is written down once (see ``shared/DESIGN.md``, "Data contract").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["id", "date", "code", "bool", "number", "text"]

PROGRAMMES = ("DRIVE", "Up2U", "Turnaround")
EXIT_REASONS = ("completed", "disengaged", "moved_away", "custody", "died", "other", "ongoing")
SEXES = ("F", "M", "X")
RISK_LEVELS = ("standard", "medium", "high")
ETHNICITIES = ("asian", "black", "mixed", "white", "other")
#: ``charged`` (charged or summonsed, Home Office outcome 1/1A) is not proof of guilt: it proves an
#: offence only when the rules say ``charges_count_as_proven``. It comes last so that the other codes
#: keep their positions.
DISPOSALS = ("conviction", "caution", "pnd", "community_resolution", "nfa", "other", "charged")
OFFENCE_TYPES = (
    "violence",
    "sexual",
    "robbery",
    "theft",
    "burglary",
    "criminal_damage",
    "public_order",
    "drugs",
    "weapons",
    "fraud",
    "motoring",
    "breach",
    "other",
)
SEVERITIES = ("indictable", "either_way", "summary")
INCIDENT_TYPES = ("incident", "crime", "marac_referral")
EXIT_TYPES = ("died", "moved_away")
ASB_TYPES = (
    "incident",
    "warning",
    "acceptable_behaviour_contract",
    "community_protection_notice",
    "criminal_behaviour_order",
    "injunction",
    "other",
)
#: ASB records that are formal responses (interventions), not incidents.
ASB_INTERVENTIONS = tuple(t for t in ASB_TYPES if t != "incident")

#: Disposals that prove an offence (Justice Data Lab: conviction or caution).
PROVING_DISPOSALS = ("conviction", "caution")


@dataclass(frozen=True)
class Column:
    """One column of the contract: its kind and, for codes, the allowed values."""

    name: str
    kind: Kind
    codes: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class Table:
    """One table of the contract."""

    name: str
    one_row_per: str
    columns: tuple[Column, ...]
    required_table: bool = False
    person_column: str = "person_id"
    extra: dict = field(default_factory=dict)
    #: An event table: two identical rows may be two real events, so they are kept and flagged.
    event: bool = False
    #: The event table's own optional record id: with it, a repeated id is a duplicate (keep one).
    record_id: str | None = None

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column | None:
        for c in self.columns:
            if c.name == name:
                return c
        return None


def _c(name: str, kind: Kind, codes: tuple[str, ...] = (), required: bool = True) -> Column:
    return Column(name, kind, codes, required)


_PERSON_OPTIONAL = (
    _c("ethnicity", "code", ETHNICITIES, required=False),
    _c("risk_level", "code", RISK_LEVELS, required=False),
    _c("area", "text", required=False),
    _c("referral_source", "text", required=False),
    _c("trigger", "text", required=False),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "participants",
            "programme episode",
            (
                _c("person_id", "id"),
                _c("programme", "code", PROGRAMMES),
                _c("referral_date", "date"),
                _c("start_date", "date"),
                _c("end_date", "date"),
                _c("exit_reason", "code", EXIT_REASONS),
                _c("date_of_birth", "date"),
                _c("sex", "code", SEXES),
                *_PERSON_OPTIONAL,
            ),
            required_table=True,
        ),
        Table(
            "comparison",
            "eligible non-participant",
            (
                _c("person_id", "id"),
                _c("eligible_date", "date"),
                _c("date_of_birth", "date"),
                _c("sex", "code", SEXES),
                _c("programme", "code", PROGRAMMES, required=False),
                *_PERSON_OPTIONAL,
            ),
            required_table=True,
        ),
        Table(
            "offences",
            "offence",
            (
                _c("person_id", "id"),
                _c("offence_date", "date"),
                _c("outcome_date", "date"),
                _c("disposal", "code", DISPOSALS),
                _c("offence_id", "id", required=False),
                _c("offence_type", "code", OFFENCE_TYPES, required=False),
                _c("severity", "code", SEVERITIES, required=False),
                _c("domestic_abuse", "bool", required=False),
            ),
            event=True,
            record_id="offence_id",
        ),
        Table(
            "incidents",
            "domestic-abuse incident or MARAC referral",
            (
                _c("perpetrator_id", "id"),
                _c("victim_id", "id"),
                _c("incident_date", "date"),
                _c("incident_type", "code", INCIDENT_TYPES),
                _c("incident_id", "id", required=False),
                _c("risk_level", "code", RISK_LEVELS, required=False),
            ),
            person_column="perpetrator_id",
            event=True,
            record_id="incident_id",
        ),
        Table(
            "custody",
            "spell in custody",
            (_c("person_id", "id"), _c("start_date", "date"), _c("end_date", "date")),
            event=True,
        ),
        Table(
            "exits",
            "end of observation",
            (_c("person_id", "id"), _c("date", "date"), _c("reason", "code", EXIT_TYPES)),
        ),
        Table(
            "asb",
            "anti-social behaviour record (incident or formal intervention)",
            (
                _c("person_id", "id"),
                _c("date", "date"),
                _c("type", "code", ASB_TYPES),
                _c("asb_id", "id", required=False),
            ),
            event=True,
            record_id="asb_id",
        ),
    )
}
"""The contract's tables by name: each table's columns, their kinds and codes, and which are required."""

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)

#: Event tables (see ``Table.event``) and their record ids: identical rows are kept and flagged,
#: a repeated record id is set aside (the first kept). Each event table's suite says so.
EVENT_TABLES: tuple[str, ...] = tuple(name for name, t in TABLES.items() if t.event)
EVENT_IDS: dict[str, str] = {name: t.record_id for name, t in TABLES.items() if t.record_id}


def canonical_code(codes: tuple[str, ...]) -> dict[str, str]:
    """Map each code's case-folded form to its canonical spelling ('drive' -> 'DRIVE')."""
    return {c.casefold(): c for c in codes}
