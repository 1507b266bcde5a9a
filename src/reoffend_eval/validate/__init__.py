"""Validate stage: Great Expectations suites from ``validation/``; bad rows set aside with reasons.

>>> import reoffend_eval as rev
>>> checked = rev.validate(rev.load("extract/"), extract_date="2025-03-31")  # doctest: +SKIP
>>> checked.clean, checked.quarantine, checked.summary                       # doctest: +SKIP
"""

from .errors import ValidationError
from .result import ValidationResult
from .run import validate
from .suites import load_suites

__all__ = ["ValidationError", "ValidationResult", "load_suites", "validate"]

from .._callable import make_callable  # noqa: E402

make_callable(__name__, validate)  # rev.validate(data) calls validate()
