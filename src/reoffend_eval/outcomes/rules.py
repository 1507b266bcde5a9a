"""OutcomeRules: how reoffending and repeat victimisation are measured."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import pandas as pd

from ..data.contract import OFFENCE_TYPES, PROGRAMMES, PROVING_DISPOSALS, canonical_code
from ..errors import UserError

INDEX_CHOICES = ("start", "completion")


@dataclass(frozen=True)
class OutcomeRules:
    """How outcomes are measured. Defaults follow the Justice Data Lab (Ministry of Justice).

    programme
        The programme analysed ("DRIVE", "Up2U", "Turnaround"). ``None`` is allowed only when
        the participants table holds a single programme. An analysis is of one programme at a
        time: a person's first episode of it is the index episode.
    index
        ``"start"`` (intention to treat, default): the index date is the first episode's
        ``start_date``. ``"completion"`` (per protocol): the index date is the ``end_date`` of
        people whose first episode was completed; everyone else is left out, which biases
        the comparison (completers are selected on behaviour after the start), and the result
        says so in its warnings. Comparison people's index date is always ``eligible_date``.
    follow_up_days, waiting_days
        The follow-up window (offences committed on days 1..365 after the index date) and the
        waiting period after it in which the offence must be proven (by day 365 + 183).
    exclude_pnd
        Penalty notices for disorder do not prove an offence (JDL default). With ``False`` a
        ``pnd`` disposal proves it as a conviction or caution does.
    charges_count_as_proven
        A charge or summons (``charged``; Home Office outcome 1/1A) is not proof of guilt and
        proves nothing by default. With ``True`` it proves the offence on its ``outcome_date``
        (the charge date), for extracts where court outcomes are missing; say so in any report.
    extract_date
        The date the data were extracted: nothing after it was observable. Required in
        principle; when ``None`` it is taken as the latest date anywhere in the data, with a
        warning.
    repeat_marac_days
        A MARAC referral is a repeat when it comes within this many days after the previous
        referral (SafeLives: 12 months).
    lookback_days
        History covariates count events in this many days before the index date;
        ``None`` (default) counts all history.
    violent_types
        ``offence_type`` codes counted as violent in ``prior_violent_offences``
        (violence against the person, sexual offences and robbery, as in police
        recorded "violent crime").

    >>> rules = OutcomeRules(programme="DRIVE", extract_date="2025-03-31")
    >>> rules.follow_up_days, rules.waiting_days
    (365, 183)
    """

    programme: str | None = None
    index: str = "start"
    follow_up_days: int = 365
    waiting_days: int = 183
    exclude_pnd: bool = True
    charges_count_as_proven: bool = False
    extract_date: _dt.date | str | pd.Timestamp | None = None
    repeat_marac_days: int = 365
    lookback_days: int | None = None
    violent_types: tuple[str, ...] = ("violence", "sexual", "robbery")

    def __post_init__(self) -> None:
        if self.programme is not None:
            canonical = canonical_code(PROGRAMMES).get(str(self.programme).strip().casefold())
            if canonical is None:
                raise UserError(
                    f"OutcomeRules.programme {self.programme!r} is not a programme of the data "
                    f"contract (expected one of {', '.join(PROGRAMMES)})"
                )
            object.__setattr__(self, "programme", canonical)
        if self.index not in INDEX_CHOICES:
            raise UserError(
                f"OutcomeRules.index must be 'start' (intention to treat) or 'completion' "
                f"(per protocol), not {self.index!r}"
            )
        for name in ("follow_up_days", "waiting_days", "repeat_marac_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < (1 if name != "waiting_days" else 0):
                raise UserError(
                    f"OutcomeRules.{name} must be a whole number of days >= "
                    f"{1 if name != 'waiting_days' else 0}, not {value!r}"
                )
        if self.lookback_days is not None and (
            isinstance(self.lookback_days, bool) or not isinstance(self.lookback_days, int) or self.lookback_days < 1
        ):
            raise UserError(
                f"OutcomeRules.lookback_days must be None (all history) or a whole number of days >= 1, "
                f"not {self.lookback_days!r}"
            )
        if self.extract_date is not None:
            try:
                stamp = pd.Timestamp(self.extract_date)
            except (ValueError, TypeError):
                stamp = pd.NaT
            if pd.isna(stamp):
                raise UserError(f"OutcomeRules.extract_date {self.extract_date!r} is not a date (use YYYY-MM-DD)")
            object.__setattr__(
                self, "extract_date", stamp.tz_localize(None).normalize() if stamp.tz else stamp.normalize()
            )
        types = tuple(self.violent_types)
        unknown = [t for t in types if t not in OFFENCE_TYPES]
        if unknown:
            raise UserError(
                f"OutcomeRules.violent_types has unknown offence_type code(s) {unknown} "
                f"(expected from {', '.join(OFFENCE_TYPES)})"
            )
        object.__setattr__(self, "violent_types", types)

    @property
    def proving_disposals(self) -> tuple[str, ...]:
        """Disposals that prove an offence under these rules."""
        extra = (() if self.exclude_pnd else ("pnd",)) + (("charged",) if self.charges_count_as_proven else ())
        return PROVING_DISPOSALS + extra

    @property
    def full_follow_up_days(self) -> int:
        """Days after the index date the extract must cover for the fixed-window measures."""
        return self.follow_up_days + self.waiting_days
