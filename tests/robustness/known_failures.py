"""Corpus cases that fail on the current code, with what happened (details in FAILURES.md).

Each is run as ``xfail(strict=False)`` so the suite stays green while the fixes land: delete a line when its
case passes (``pytest tests/robustness -rX`` lists the cases that now pass).
"""

KNOWN_FAILURES: dict[str, str] = {
    "offences_permission_denied": "API: PermissionError from data/load.py _read_raw (path.read_bytes), not a "
    "ContractError naming the file (the CLI already exits 2)",
    "offences_is_a_directory": "API: IsADirectoryError from data/load.py _read_raw, not a ContractError",
    "dates_with_real_times": "offence_date '2023-01-05 14:35' in every row: fatal 'column offence_date is empty in "
    "every row' (validate/run.py _table_message); present-but-unreadable must not be called empty",
    "offences_all_unreadable": "offence_date '2023-13-45' in every row: reported as 'empty in every row'",
    "dates_unpadded_iso": "'2023-1-5' not read by data/load.py (_ISO needs two-digit month/day): 9,599 offences set "
    "aside, RR1/RR2/RR3 become not yet measurable",
    "exact_duplicate_offences": "40 exact duplicate rows (same offence_id): both copies set aside, 10,717 kept of "
    "10,757 (one copy must be kept)",
    "exact_duplicate_incidents": "40 exact duplicate rows (same incident_id): both copies set aside",
}
