"""Checks made before the long work: the config's formula and targets against the extract as loaded.

A formula naming a column that does not exist, a matching variable counted from a table the extract does not
have, or a targets file with no target for the programme is a :class:`ConfigError` at once, not a traceback
after validation and matching. Measures that need a missing optional table are "not measured", with the reason.
"""

from __future__ import annotations

import pandas as pd

from .._formula import split_formula, variables
from ..data import CohortData
from ..errors import did_you_mean
from ..outcomes import column_dictionary
from ._toml import ConfigError
from .config import EvaluationConfig
from .targets import Target

#: derived columns counted from an optional table: without the table they cannot be computed
NEEDS_TABLE = {
    "prior_proven_offences": "offences",
    "prior_violent_offences": "offences",
    "prior_da_offences": "offences",
    "years_since_first_offence": "offences",
    "prior_da_incidents": "incidents",
    "prior_marac_referrals": "incidents",
    "prior_custody": "custody",
    "prior_asb_incidents": "asb",
}
#: measures and the optional table each is counted from
MEASURE_NEEDS = {
    "reoffending_rate": "offences",
    "reoffending_frequency": "offences",
    "time_to_reoffence": "offences",
    "da_incident_rate": "incidents",
    "repeat_marac_rate": "incidents",
    "repeat_victimisation": "incidents",
    "serial_victimisation": "incidents",
    "asb_rate": "asb",
    "asb_incident_rate": "asb",
    "first_time_entry_rate": "offences",
    "police_contact_rate": "offences",
}
#: the [analyses] switch each matched-group measure needs
MEASURE_SWITCH = {
    "reoffending_rate": "reoffending",
    "reoffending_frequency": "reoffending",
    "repeat_marac_rate": "reoffending",
    "repeat_victimisation": "reoffending",
    "serial_victimisation": "reoffending",
    "time_to_reoffence": "survival",
    "da_incident_rate": "repeat_victimisation",
    # compared within the fixed-window match (people with full follow-up), as reoffending is
    "asb_rate": "reoffending",
    "police_contact_rate": "reoffending",
    "first_time_entry_rate": "reoffending",
}


def programme_targets(targets: tuple[Target, ...], config: EvaluationConfig, where: str) -> tuple[tuple, list[str]]:
    """The targets of the evaluated programme, and a note naming those of other programmes (not assessed here)."""
    mine = tuple(t for t in targets if t.programme == config.programme)
    others = [t for t in targets if t.programme != config.programme]
    if targets and not mine:
        programmes = sorted({t.programme for t in others})
        raise ConfigError(
            f"{where}: none of its {len(targets)} targets is for {config.programme} (they are for "
            f"{', '.join(programmes)}): name the targets file of {config.programme}, or set programme = "
            f"{programmes[0]!r} in the config"
        )
    notes = []
    if others:
        ids = ", ".join(t.id for t in others)
        notes.append(f"targets {ids} are for another programme: not assessed in this {config.programme} evaluation")
    return mine, notes


def check_comparison_columns(config: EvaluationConfig, raw: CohortData, where: str) -> None:
    """Every formula and ``exact`` column exists, as a column of the people tables or a derived one."""
    given = set(raw.participants.columns) | set(raw.comparison.columns)
    derived = set(column_dictionary()["name"])
    known = given | derived | {"treated"}
    try:
        lhs, rhs = split_formula(config.comparison.formula)
        needed = variables(rhs)
    except Exception as exc:  # formulaic's parser raises its own types for a malformed formula
        raise ConfigError(
            f"{where}: [comparison] formula {config.comparison.formula!r} cannot be read ({exc})"
        ) from None
    if lhs != "treated":
        raise ConfigError(
            f"{where}: [comparison] formula {config.comparison.formula!r} must model 'treated' (programme "
            f"participant or not) on its left, as 'treated ~ age_at_index + sex + ...', not {lhs!r}"
        )
    for field_name, columns in (("formula", needed), ("exact", list(config.comparison.exact))):
        for column in columns:
            if column not in known:
                raise ConfigError(
                    f"{where}: [comparison] {field_name} names {column!r}, which is neither a column of the "
                    f"participants and comparison tables nor a derived column{did_you_mean(column, sorted(known))}"
                )
            table = NEEDS_TABLE.get(column)
            if column not in given and table is not None and getattr(raw, table) is None:
                raise ConfigError(
                    f"{where}: [comparison] {field_name} uses {column!r}, which is counted from the {table} table, "
                    f"and this extract has no {table} file: supply it, or remove {column!r} from the {field_name}"
                )


def comparison_columns(config: EvaluationConfig) -> list[str]:
    """The people columns the comparison design reads (formula terms and exact-matching columns)."""
    _, rhs = split_formula(config.comparison.formula)
    return list(dict.fromkeys([*variables(rhs), *config.comparison.exact]))


def complete_cases(people: pd.DataFrame, config: EvaluationConfig) -> tuple[pd.DataFrame, list[str]]:
    """People with every matching variable; the rest are left out of the comparison, counted and said."""
    columns = [c for c in comparison_columns(config) if c in people.columns]
    missing = people[columns].isna()
    gone = missing.any(axis=1)
    if not gone.any():
        return people, []
    by_column = ", ".join(f"{c} ({int(missing[c].sum()):,})" for c in columns if missing[c].any())
    treated = int((people.loc[gone, "treated"] == 1).sum())
    share = treated / max(int((people["treated"] == 1).sum()), 1)
    note = (
        f"{int(gone.sum()):,} people ({treated:,} participants, {share:.0%} of them) have no value for a matching "
        f"variable: {by_column}; they are left out of the comparison"
    )
    return people[~gone], [note]


def missing_tables(raw: CohortData) -> dict[str, str]:
    """Measures counted from an optional table the extract does not have, and why: "not measured" whatever
    the comparator."""
    return {
        measure: f"not measured: the extract has no {table} table"
        for measure, table in MEASURE_NEEDS.items()
        if getattr(raw, table) is None
    }


def switched_off(config: EvaluationConfig) -> dict[str, str]:
    """Matched-group measures whose analysis the config switches off, and why."""
    return {
        measure: f"not measured: the config switches this analysis off ([analyses] {switch} = false)"
        for measure, switch in MEASURE_SWITCH.items()
        if not getattr(config.analyses, switch)
    }
