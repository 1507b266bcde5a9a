"""The exception validation raises when a table cannot be used at all."""

from ..errors import ContractError


class ValidationError(ContractError):
    """A fatal validation problem: the table cannot be used (names table and column)."""
