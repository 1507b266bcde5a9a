"""One reading of a date given by a person (an extract date, a period bound): ISO only, never guessed."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from .errors import UserError

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?\s*$")


def parse_date(value, what: str) -> dt.date:
    """``value`` as a date: a date object, or text ``YYYY-MM-DD`` (``2026-3-1`` and a midnight time are read too).

    Slashed dates such as ``01/03/2026`` are refused, never guessed: 1 March or 3 January?
    ``what`` names the field in the message.

    >>> parse_date("2026-3-1", "extract_date")
    datetime.date(2026, 3, 1)
    """
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            raise UserError(f"{what}: no date given")
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if "/" in text or "." in text.split("T")[0]:
        raise UserError(
            f"{what} {text!r}: dates with slashes or dots are never guessed (is 01/03/2026 1 March or 3 January?); "
            "write it as YYYY-MM-DD"
        )
    match = _ISO.match(text)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    raise UserError(f"{what} {text!r} is not a date: write it as YYYY-MM-DD")
