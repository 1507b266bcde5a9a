"""Exceptions people can act on: each names the file, table, column, row and value."""


class ContractError(ValueError):
    """The input does not fit the data contract (see ``shared/DESIGN.md``)."""
