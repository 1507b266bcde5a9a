"""Built-in code sets: the ways police and providers write codes, translated to the contract's.

A mapping file names one for a column (``[offences.codes] disposal = "home_office_outcome"``)
instead of listing every value. Values match ignoring case and surrounding spaces. Each set
says which contract column kinds it fits and where its entries come from (see the README,
"Built-in code sets").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CodeSet:
    """A named translation from the words or numbers in a file to contract codes."""

    name: str
    entries: dict[str, str | bool]  # case-folded source value -> contract code (True/False for flags)
    kind: str  # "code" (the codes of one column) or "bool"
    columns: tuple[str, ...]  # contract columns it is meant for ("*" any column of its kind)
    source: str

    def lookup(self, value: str) -> str | bool | None:
        """The contract code for ``value`` (ignoring case and surrounding spaces), or None."""
        return self.entries.get(value.strip().casefold())


def _outcomes() -> dict[str, str | bool]:
    # Home Office crime outcomes framework (April 2013 on; outcome 22 from April 2016; 21 from 2014).
    out: dict[str, str | bool] = {
        "1": "charged",  # charged/summonsed
        "1a": "charged",  # charged/summonsed for an alternative offence
        "2": "caution",  # caution - youths
        "3": "caution",  # caution - adults (simple and conditional)
        "4": "other",  # taken into consideration: the court's conviction for another offence is the proof
        "5": "nfa",  # the offender has died
        "6": "pnd",  # penalty notice for disorder
        "7": "other",  # cannabis/khat warning: an informal warning, not a caution
        "8": "community_resolution",  # community resolution
        "22": "other",  # diversionary, educational or intervention activity; no further action in the public interest
    }
    # 9-18, 20, 21: prosecution not in the public interest, prevented, evidential difficulties,
    # time limit expired, no suspect identified, action by another body, further investigation
    # not in the public interest (outcome 19 is not used in the framework)
    for number in (9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21):
        out[str(number)] = "nfa"
    for key in list(out):
        out[f"outcome {key}"] = out[key]
        out[f"oc{key}"] = out[key]
    return out


HOME_OFFICE_OUTCOME = CodeSet(
    name="home_office_outcome",
    entries=_outcomes(),
    kind="code",
    columns=("disposal",),
    source=(
        "Home Office, Crime outcomes in England and Wales: technical annex (outcome types 1-22), "
        "and the Home Office Counting Rules for recorded crime, section H (crime outcomes)"
    ),
)

SEX_WORDS = CodeSet(
    name="sex_words",
    entries={
        **dict.fromkeys(("m", "male", "man", "boy", "1"), "M"),
        **dict.fromkeys(("f", "female", "woman", "girl", "2"), "F"),
        **dict.fromkeys(
            (
                "x",
                "u",
                "other",
                "unknown",
                "not known",
                "not stated",
                "not recorded",
                "prefer not to say",
                "indeterminate",
                "intersex",
                "non-binary",
                "nonbinary",
                "0",
                "9",
            ),
            "X",
        ),
    },
    kind="code",
    columns=("sex",),
    source=(
        "common case-system wording; the numbers follow the NHS Data Dictionary 'person stated "
        "gender code' (1 male, 2 female, 9 indeterminate, 0 not known)"
    ),
)

YES_NO = CodeSet(
    name="yes_no",
    entries={
        **dict.fromkeys(("y", "yes", "true", "t", "1", "1.0"), True),
        **dict.fromkeys(("n", "no", "false", "f", "0", "0.0"), False),
    },
    kind="bool",
    columns=("*",),
    source="common spreadsheet and database spellings of a yes/no flag",
)

CODE_SETS: dict[str, CodeSet] = {s.name: s for s in (HOME_OFFICE_OUTCOME, SEX_WORDS, YES_NO)}
