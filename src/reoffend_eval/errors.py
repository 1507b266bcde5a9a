"""Exceptions people can act on: each names the file, table, column, row and value.

Every problem a user can fix is a :class:`UserError` (a ``ValueError``): the command line prints its
message in a line or two and exits 2. Any other exception is a bug in the library and keeps its traceback.
"""

import difflib
from collections.abc import Iterable


def did_you_mean(key: object, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` naming the closest known name to a misspelt ``key``, or nothing."""
    close = difflib.get_close_matches(str(key), list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class UserError(ValueError):
    """A problem the user can fix: bad input data, a wrong config, an unwritable folder."""


class ContractError(UserError):
    """The input does not fit the data contract (see ``shared/DESIGN.md``)."""


class OutputError(UserError):
    """A result cannot be written where the user asked (folder missing rights, a file in the way)."""
