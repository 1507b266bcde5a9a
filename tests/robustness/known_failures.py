"""Corpus cases that fail on the current code, with what happened (details in FAILURES.md).

Each is run as ``xfail(strict=False)`` so the suite stays green while the fixes land: delete a line when its
case passes (``pytest tests/robustness -rX`` lists the cases that now pass).
"""

KNOWN_FAILURES: dict[str, str] = {}
