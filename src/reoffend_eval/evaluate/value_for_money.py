"""Value for money: what the programme cost against the harm its effect avoided.

From the matched estimates of the results table (``analysis == "main"``, ``group == "all"``):

=====================  ==========================  ==============================================
outcome (costs field)  estimate used               avoided per participant in the year after index
=====================  ==========================  ==============================================
proven_reoffence       reoffending_frequency,      ``-mean_difference`` (proven reoffences)
                       mean_difference
da_incident            da_incident_rate,           ``comparison rate * (1 - rate_ratio)``
                       rate_ratio                  (incidents per person-year)
repeat_marac_case      repeat_marac_rate,          ``-risk_difference / 100`` (people with a repeat
                       risk_difference (points)    MARAC case: victims spared one)
=====================  ==========================  ==============================================

For each outcome: avoided per 100 participants, social cost avoided per participant
(avoided x unit cost), cost per outcome avoided (programme cost / avoided), the
benefit-cost ratio (social cost avoided / programme cost) and the break-even effect
(the effect, on the estimate's own scale, at which the social cost avoided equals the
programme cost). The outcomes overlap (a domestic-abuse incident may be a proven
reoffence and lead to a MARAC referral), so their values are never added together.

Uncertainty (``uncertainty="transform"``, the default): every quantity is a monotone
function of the one effect estimate, so its 95% interval is that function of the
effect's 95% confidence limits. This is exact (it is what a parametric simulation
from the estimate and its standard error converges to; the delta method would give a
symmetric approximation instead). ``uncertainty="simulation"`` draws the effect from a
normal distribution (log scale for the rate ratio) with the standard error implied by
its interval, seeded, and takes 2.5% and 97.5% percentiles. Either way the comparison
group's rate and the unit costs are taken as fixed.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from . import power
from .costs import Costs, caveat

Z = stats.norm.ppf(0.975)
TABLE_COLUMNS = ["outcome", "quantity", "estimate", "ci_lower", "ci_upper", "unit", "note"]
SOURCE_COLUMNS = ["item", "cost", "uplift", "source", "table", "price_year", "status", "quoted_by", "note"]
BREAK_EVEN_COLUMNS = [
    "outcome",
    "measure",
    "statistic",
    "break_even_effect",
    "estimate",
    "ci_lower",
    "ci_upper",
    "compared",
]


@dataclass(frozen=True)
class _Outcome:
    measure: str
    statistic: str
    words: str
    one: str
    ask: str


OUTCOMES = {
    "proven_reoffence": _Outcome(
        "reoffending_frequency",
        "mean_difference",
        "proven reoffences",
        "proven reoffence",
        "give [proven_reoffence] cost, source and price_year (or [offence_type.<type>] tables) in costs.toml",
    ),
    "da_incident": _Outcome(
        "da_incident_rate",
        "rate_ratio",
        "domestic-abuse incidents",
        "domestic-abuse incident",
        "give [da_incident] cost, source and price_year in costs.toml",
    ),
    "repeat_marac_case": _Outcome(
        "repeat_marac_rate",
        "risk_difference",
        "repeat MARAC cases (victims spared repeat victimisation)",
        "victim spared a repeat MARAC case",
        "give [repeat_marac_case] cost, source and price_year in costs.toml",
    ),
}
DA_ONLY = ("da_incident", "repeat_marac_case")
ASK_PROGRAMME = (
    "give [programme] cost_per_participant (or total_cost and participants), source and price_year in costs.toml"
)


def avoided_per_participant(statistic: str, effect, comparison_value: float):
    """Outcomes avoided per participant for an effect on its own scale (array or number)."""
    effect = np.asarray(effect, dtype=float)
    if statistic == "mean_difference":
        return -effect
    if statistic == "rate_ratio":
        return comparison_value * (1 - effect)
    if statistic == "risk_difference":
        return -effect / 100
    raise ValueError(f"no value-for-money rule for statistic {statistic!r}")


def effect_for_avoided(statistic: str, avoided: float, comparison_value: float) -> float:
    """The effect (its own scale) at which ``avoided`` outcomes per participant are avoided: the inverse of the above."""
    if statistic == "mean_difference":
        return -avoided
    if statistic == "rate_ratio":
        return 1 - avoided / comparison_value if comparison_value > 0 else math.nan
    if statistic == "risk_difference":
        return -100 * avoided
    raise ValueError(f"no value-for-money rule for statistic {statistic!r}")


@dataclass(frozen=True)
class OutcomeValue:
    """Value for money on one outcome (amounts in pounds at today's prices, per participant unless said)."""

    outcome: str
    measure: str
    statistic: str
    effect: tuple[float, float, float]  # estimate, ci_lower, ci_upper on the estimate's scale
    avoided_per_100: tuple[float, float, float]  # estimate, lower, upper
    n_treated: int
    comparison_value: float = math.nan  # the comparison group's value on the estimate's own measure
    unit_cost: float | None = None
    social_cost_avoided: tuple[float, float, float] | None = None
    cost_per_avoided: tuple[float, float, float] | None = None
    benefit_cost_ratio: tuple[float, float, float] | None = None
    break_even_effect: float | None = None
    break_even_compared: str | None = None
    break_even_reachable: bool = True
    people_needed: float | None = None
    people_needed_for: str | None = None
    missing: tuple[str, ...] = ()

    @property
    def shows_return(self) -> bool:
        """True only when the whole interval of avoided harm is above zero (and a ratio was computed)."""
        return self.benefit_cost_ratio is not None and bool(self.avoided_per_100[1] > 0)


@dataclass(frozen=True)
class ValueForMoney:
    """What the programme cost per participant against the harm it avoided, outcome by outcome.

    ``table``: one row per outcome and quantity (``avoided_per_100``, ``social_cost_avoided``,
    ``cost_per_outcome_avoided``, ``benefit_cost_ratio``), with ``estimate``, ``ci_lower``,
    ``ci_upper``, ``unit`` and a ``note`` (what is missing and must be given). ``break_even``:
    the break-even effect of each outcome beside the interval observed. ``missing``: the
    costs-file fields the user must give for the rest to be computed.
    """

    programme: str
    cost_per_participant: float | None
    outcomes: tuple[OutcomeValue, ...]
    table: pd.DataFrame
    break_even: pd.DataFrame
    uncertainty: str
    costs: Costs
    missing: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def sentences(self) -> tuple[str, ...]:
        return value_for_money_sentences(self)

    @property
    def short_sentences(self) -> tuple[str, ...]:
        """The bid's version of :attr:`sentences`: each ratio with its interval, and the figures' status."""
        return value_for_money_short(self)

    @property
    def short_source_lines(self) -> tuple[str, ...]:
        """One short line per figure: amount, price year, source and, when not read in it, its status."""
        out = []
        for r in self.costs.sources():
            status = {"second-hand": f"; second-hand, quoted by {r['quoted_by']}", "illustrative": "; illustrative"}
            out.append(
                f"{r['item']}: £{r['cost']:,.0f} at {r['price_year']} prices ({r['source']}"
                f"{status.get(r['status'], '')})"
            )
        return tuple(out)

    @property
    def sources(self) -> pd.DataFrame:
        """Each figure used, with its source, table and price year."""
        return pd.DataFrame(self.costs.sources(), columns=SOURCE_COLUMNS)

    @property
    def public_table(self) -> pd.DataFrame:
        """The table in words and rounded for reports: pounds to whole £, ratios to 2 dp, outcomes per 100 to 1 dp."""
        names = {
            "cost_per_participant": "Cost per participant",
            "avoided_per_100": "Avoided per 100 participants",
            "social_cost_avoided": "Harm avoided per participant",
            "cost_per_outcome_avoided": "Cost per one avoided",
            "benefit_cost_ratio": "£ of harm avoided per £1 spent",
        }
        rows = []
        for r in self.table.itertuples(index=False):
            fmt = (
                (lambda v: f"{v:,.2f}")
                if r.quantity == "benefit_cost_ratio"
                else ((lambda v: f"{v:,.1f}") if r.quantity == "avoided_per_100" else (lambda v: f"£{v:,.0f}"))
            )
            show = lambda v: "" if pd.isna(v) else fmt(v)  # noqa: E731, B023
            interval = (
                ""
                if pd.isna(r.ci_lower) and pd.isna(r.ci_upper)
                else (f"{show(r.ci_lower) or 'unbounded'} to {show(r.ci_upper) or 'unbounded'}")
            )
            outcome = "programme" if r.outcome == "programme" else OUTCOMES[r.outcome].words.split(" (")[0]
            rows.append(
                {
                    "Outcome": outcome,
                    "Quantity": names[r.quantity],
                    "Estimate": show(r.estimate),
                    "95% interval": interval,
                    "Note": r.note,
                }
            )
        return pd.DataFrame(rows, columns=["Outcome", "Quantity", "Estimate", "95% interval", "Note"])

    @property
    def source_lines(self) -> tuple[str, ...]:
        """One line per figure used: amount, price year, uplift and source, for the report's list of sources."""
        out = []
        for r in self.costs.sources():
            where = f", {r['table']}" if r["table"] else ""
            uplift = f", uplifted by {r['uplift']:g}" if r["uplift"] != 1 else ""
            line = f"{r['item']}: £{r['cost']:,.2f} at {r['price_year']} prices{uplift} ({r['source']}{where})"
            if r["note"]:
                line += f"; {r['note']}"
            words = caveat(r["status"], r["quoted_by"])
            if words:
                line += f". {words[0].upper()}{words[1:]}."
            out.append(line)
        return tuple(out)

    @property
    def caveats(self) -> tuple[str, ...]:
        """One sentence per figure used that was not read in its source (second-hand or illustrative)."""
        out = []
        for r in self.costs.sources():
            words = caveat(r["status"], r["quoted_by"])
            if words:
                out.append(f"{r['item']} (£{r['cost']:,.0f}): {words}.")
        return tuple(out)

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.sentences)
        return (
            f"<div><h4>Value for money: {html.escape(self.programme)}</h4><ul>{items}</ul>"
            f"{self.table.to_html(index=False, escape=True, float_format=lambda v: f'{v:,.2f}')}</div>"
        )

    def plot(self, ax=None):
        """Benefit-cost ratios with their 95% intervals; the line at 1 is break-even."""
        import matplotlib.pyplot as plt  # noqa: PLC0415

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 0.6 + 0.6 * max(len(self.outcomes), 1)))
        rows = [o for o in self.outcomes if o.benefit_cost_ratio is not None]
        for i, o in enumerate(rows):
            est, lo, hi = o.benefit_cost_ratio
            ax.errorbar(est, i, xerr=[[est - lo], [hi - est]], fmt="o", color="black", capsize=3)
        ax.axvline(1, color="grey", linestyle="--", linewidth=1)
        ax.set_yticks(range(len(rows)), [OUTCOMES[o.outcome].words.split(" (")[0] for o in rows])
        ax.set_xlabel("£ of avoided harm per £1 spent (95% interval)")
        return ax


def _with_caveats(note: str, costs: Costs, *outcomes: str) -> str:
    """``note`` followed by the status caveats of the figures a row rests on."""
    words = [w for o in outcomes for w in costs.caveats(o)]
    return "; ".join(x for x in [note, *dict.fromkeys(words)] if x)


def _row(results: pd.DataFrame, measure: str, statistic: str):
    rows = results[
        (results["measure"] == measure)
        & (results["statistic"] == statistic)
        & (results["analysis"] == "main")
        & (results["group"] == "all")
    ]
    return None if rows.empty else rows.iloc[0]


def _avoided_interval(statistic, estimate, lo, hi, comparison, uncertainty, rng) -> tuple[float, float, float]:
    point = float(avoided_per_participant(statistic, estimate, comparison))
    if uncertainty == "transform":
        # avoided falls as the effect rises, so the upper effect limit gives the lower avoided limit
        a_lo = float(avoided_per_participant(statistic, hi, comparison))
        a_hi = float(avoided_per_participant(statistic, lo, comparison))
        return point, a_lo, a_hi
    if statistic == "rate_ratio":
        se = (math.log(hi) - math.log(lo)) / (2 * Z)
        draws = np.exp(rng.normal(math.log(estimate), se, 20_000))
    else:
        se = (hi - lo) / (2 * Z)
        draws = rng.normal(estimate, se, 20_000)
    avoided = avoided_per_participant(statistic, draws, comparison)
    a_lo, a_hi = np.percentile(avoided, [2.5, 97.5])
    return point, float(a_lo), float(a_hi)


def _people_needed(statistic: str, row, avoided: float) -> float:
    """Participants per group to show ``avoided`` outcomes per participant with 80% power (normal approximations)."""
    comparison = float(row["comparison_value"])
    if avoided <= 0 or not math.isfinite(avoided):
        return math.inf
    if statistic == "risk_difference":
        p1 = comparison - avoided
        return power.n_per_group_proportions(comparison, p1) if 0 <= p1 <= 1 else math.inf
    if statistic == "mean_difference":
        ratio = (comparison - avoided) / comparison if comparison > 0 else 0
    else:
        ratio = 1 - avoided / comparison if comparison > 0 else 0
    return power.n_per_group_rates(comparison, ratio) if ratio > 0 else math.inf


def _compared(statistic: str, break_even: float, lo: float, hi: float, reachable: bool = True) -> str:
    # for every statistic here a lower effect means more avoided
    if not math.isfinite(break_even):
        return "no break-even effect exists on this scale (the comparison group has no such outcomes)"
    if not reachable:
        return "break-even is out of reach: it needs more avoided than the comparison group had"
    if hi < break_even:
        return "the whole interval is beyond break-even"
    if lo > break_even:
        return "the whole interval falls short of break-even"
    return "the interval includes the break-even effect"


def value_for_money(
    results: pd.DataFrame,
    costs: Costs,
    programme: str,
    *,
    seed: int = 1,
    uncertainty: Literal["transform", "simulation"] = "transform",
) -> ValueForMoney:
    """Value for money of a programme from an evaluation's results table and a checked costs file.

    Amounts are pounds at today's prices (each figure times its ``uplift``); outcomes are
    those avoided in the first year after the index date (so the return is a floor: harm
    avoided later is not counted). See the module docstring for the rules and the intervals.

    ``results``: the evaluation's tidy results table (``ev.results``); ``costs``: a checked costs file
    (``read_costs``); ``programme``: the programme's name. ``uncertainty``: ``"transform"`` (default: the
    effect's 95% limits carried through each monotone formula) or ``"simulation"`` (20,000 normal draws
    of the effect, seeded by ``seed``).

    >>> vfm = value_for_money(ev.results, read_costs("costs.toml"), "DRIVE")   # doctest: +SKIP
    >>> vfm.table; vfm.sentences                                               # doctest: +SKIP
    """
    if uncertainty not in ("transform", "simulation"):
        raise ValueError(f"uncertainty must be 'transform' or 'simulation', not {uncertainty!r}")
    rng = np.random.default_rng(seed)
    cpp = costs.programme.per_participant if costs.programme is not None else None
    missing: list[str] = [] if cpp is not None else [ASK_PROGRAMME]
    rows: list[dict] = []
    if cpp is not None:
        rows.append(
            {
                "outcome": "programme",
                "quantity": "cost_per_participant",
                "estimate": cpp,
                "ci_lower": np.nan,
                "ci_upper": np.nan,
                "unit": "£ per participant",
                "note": _with_caveats("", costs, "programme"),
            }
        )
    else:
        rows.append(
            {
                "outcome": "programme",
                "quantity": "cost_per_participant",
                "estimate": np.nan,
                "ci_lower": np.nan,
                "ci_upper": np.nan,
                "unit": "£ per participant",
                "note": f"not computed: {ASK_PROGRAMME}",
            }
        )
    values, breaks, notes = [], [], []
    for name, spec in OUTCOMES.items():
        if name in DA_ONLY and programme not in ("DRIVE", "Up2U"):
            continue
        row = _row(results, spec.measure, spec.statistic)
        if row is None or not all(math.isfinite(float(row[c])) for c in ("estimate", "ci_lower", "ci_upper")):
            rows.append(
                {
                    "outcome": name,
                    "quantity": "avoided_per_100",
                    "estimate": np.nan,
                    "ci_lower": np.nan,
                    "ci_upper": np.nan,
                    "unit": f"{spec.words} per 100 participants",
                    "note": f"not computed: no {spec.measure} {spec.statistic} estimate in the results",
                }
            )
            notes.append(f"value for money on {spec.words}: not computed (no {spec.measure} estimate)")
            continue
        est, lo, hi = (float(row[c]) for c in ("estimate", "ci_lower", "ci_upper"))
        comparison = float(row["comparison_value"])
        avoided = _avoided_interval(spec.statistic, est, lo, hi, comparison, uncertainty, rng)
        per_100 = tuple(100 * a for a in avoided)
        rows.append(
            {
                "outcome": name,
                "quantity": "avoided_per_100",
                "estimate": per_100[0],
                "ci_lower": per_100[1],
                "ci_upper": per_100[2],
                "unit": f"{spec.words} per 100 participants in a year",
                "note": "",
            }
        )
        unit = costs.unit_cost(name)
        out: dict[str, Any] = dict(
            outcome=name,
            measure=spec.measure,
            statistic=spec.statistic,
            effect=(est, lo, hi),
            avoided_per_100=per_100,
            n_treated=int(row["n_treated"]),
            comparison_value=comparison,
            unit_cost=unit,
        )
        needs = [] if unit is not None else [spec.ask]
        if unit is None:
            missing.append(spec.ask)
        if unit is not None:
            social = tuple(a * unit for a in avoided)
            out["social_cost_avoided"] = social
            rows.append(
                {
                    "outcome": name,
                    "quantity": "social_cost_avoided",
                    "estimate": social[0],
                    "ci_lower": social[1],
                    "ci_upper": social[2],
                    "unit": "£ per participant",
                    "note": _with_caveats("", costs, name),
                }
            )
        if unit is not None and cpp is not None:
            ratio = tuple(s / cpp for s in out["social_cost_avoided"])
            out["benefit_cost_ratio"] = ratio
            point = cpp / avoided[0] if avoided[0] > 0 else math.nan
            upper = cpp / avoided[1] if avoided[1] > 0 else math.nan
            lower = cpp / avoided[2] if avoided[2] > 0 else math.nan
            out["cost_per_avoided"] = (point, lower, upper)
            note = (
                ""
                if avoided[1] > 0
                else (
                    "no upper limit: the interval includes no reduction" if avoided[2] > 0 else "no reduction estimated"
                )
            )
            rows.append(
                {
                    "outcome": name,
                    "quantity": "cost_per_outcome_avoided",
                    "estimate": point,
                    "ci_lower": lower,
                    "ci_upper": upper,
                    "unit": f"£ per {spec.one}",
                    "note": _with_caveats(note, costs, "programme"),
                }
            )
            rows.append(
                {
                    "outcome": name,
                    "quantity": "benefit_cost_ratio",
                    "estimate": ratio[0],
                    "ci_lower": ratio[1],
                    "ci_upper": ratio[2],
                    "unit": "£ avoided harm per £1 spent",
                    "note": _with_caveats("", costs, name, "programme"),
                }
            )
            needed_avoided = cpp / unit
            be = effect_for_avoided(spec.statistic, needed_avoided, comparison)
            out["break_even_effect"] = be
            # no programme can avoid more than the comparison group had (a rate ratio below 0 is meaningless)
            reachable = bool(needed_avoided <= comparison)
            out["break_even_reachable"] = reachable
            out["break_even_compared"] = _compared(spec.statistic, be, lo, hi, reachable)
            breaks.append(
                {
                    "outcome": name,
                    "measure": spec.measure,
                    "statistic": spec.statistic,
                    "break_even_effect": be,
                    "estimate": est,
                    "ci_lower": lo,
                    "ci_upper": hi,
                    "compared": out["break_even_compared"],
                }
            )
            if not avoided[1] > 0:
                target = avoided[0] if avoided[0] > 0 else needed_avoided
                out["people_needed"] = _people_needed(spec.statistic, row, target)
                out["people_needed_for"] = "the estimated effect" if avoided[0] > 0 else "the break-even effect"
        elif needs or cpp is None:
            rows.append(
                {
                    "outcome": name,
                    "quantity": "benefit_cost_ratio",
                    "estimate": np.nan,
                    "ci_lower": np.nan,
                    "ci_upper": np.nan,
                    "unit": "£ avoided harm per £1 spent",
                    "note": "not computed: " + "; ".join(needs + ([] if cpp is not None else [ASK_PROGRAMME])),
                }
            )
        values.append(OutcomeValue(**out, missing=tuple(needs)))
    notes.append(
        "harm avoided is counted for the first year after the index date only; the outcomes overlap, "
        "so their values are shown separately and never added"
    )
    words = (
        "the effect's 95% confidence limits carried through each (monotone) formula"
        if uncertainty == "transform"
        else f"parametric simulation (20,000 normal draws of the effect from its estimate and standard error, "
        f"seed {seed})"
    )
    return ValueForMoney(
        programme=programme,
        cost_per_participant=cpp,
        outcomes=tuple(values),
        table=pd.DataFrame(rows, columns=TABLE_COLUMNS),
        break_even=pd.DataFrame(breaks, columns=BREAK_EVEN_COLUMNS),
        uncertainty=words,
        costs=costs,
        missing=tuple(dict.fromkeys(missing)),
        warnings=tuple(notes),
    )


def _pounds(x: float) -> str:
    return f"£{x:,.0f}"


def _count(n: int) -> str:
    return "<5" if 1 <= n <= 4 else f"{n:,}"  # disclosure control, as everywhere in the outputs


def _number(x: float) -> str:
    return f"{x:,.1f}"


def _status_words(costs: Costs, outcome: str) -> str:
    second_hand = [i for i in costs.items(outcome) if i.status == "second-hand"]
    illustrative = [i for i in costs.items(outcome) + costs.items("programme") if i.status == "illustrative"]
    words = ""
    if second_hand:
        quoted = "; ".join(dict.fromkeys(str(i.quoted_by) for i in second_hand))
        words += (
            f" The unit cost is second-hand (not read in the original, quoted by {quoted}): "
            "check it in the original before a bid relies on this ratio."
        )
    if illustrative:
        words += " A figure behind this ratio is illustrative, not a real cost: replace it before relying on it."
    return words


def value_for_money_sentences(vfm: ValueForMoney) -> tuple[str, ...]:
    """Plain-English sentences for the report and the evidence section.

    "Every £1 spent returned between £A and £B in avoided harm" is said only when the whole
    interval of avoided harm is above zero; otherwise the sentence says the evidence does not
    yet show value for money and about how many participants would settle it.

    ``vfm``: a ``ValueForMoney`` result (also its ``.sentences``).

    >>> for sentence in value_for_money_sentences(ev.value_for_money):   # doctest: +SKIP
    ...     print(sentence)
    """
    out: list[str] = []
    not_computed: list[str] = []
    asks: list[str] = []
    p = vfm.costs.programme
    if vfm.cost_per_participant is not None and p is not None:
        out.append(
            f"{vfm.programme} cost {_pounds(vfm.cost_per_participant)} per participant "
            f"(source: {p.source}; {p.price_year} prices"
            + (f", uplifted by {p.uplift:g} to today's prices)." if p.uplift != 1 else ").")
            + (f" This is an {p.caveat}." if p.status == "illustrative" else "")
            + (f" This is a {p.caveat}." if p.status == "second-hand" else "")
        )
    for o in vfm.outcomes:
        spec = OUTCOMES[o.outcome]
        label = spec.words.split(" (")[0]
        est, lo, hi = o.avoided_per_100
        if o.benefit_cost_ratio is None or o.unit_cost is None:  # a ratio is computed only with a unit cost
            not_computed.append(label)
            asks.extend(list(o.missing) + ([ASK_PROGRAMME] if vfm.cost_per_participant is None else []))
            continue
        b_est, b_lo, b_hi = o.benefit_cost_ratio
        if o.shows_return:
            sentence = (
                f"On {label}: for every 100 participants, between {_number(lo)} and {_number(hi)} fewer "
                f"{label} within a year; every £1 spent returned between £{b_lo:,.2f} and "
                f"£{b_hi:,.2f} in avoided harm (valuing each at {_pounds(o.unit_cost)})."
            )
            if b_lo > 1:
                sentence += " The whole interval is above £1: on this measure the programme more than pays for itself."
            elif b_hi < 1:
                sentence += (
                    " The whole interval is below £1: on this measure the harm avoided does not cover the "
                    "programme's cost."
                )
            else:
                sentence += (
                    " Part of the interval is below £1: it is not yet clear that it pays for itself on this measure."
                )
            out.append(sentence + _status_words(vfm.costs, o.outcome))
            continue
        sentence = (
            f"On {label}, the evidence does not yet show value for money: the interval for {label} avoided per "
            f"100 participants runs from {_number(lo)} to {_number(hi)}, which includes no reduction."
        )
        if o.people_needed is not None and math.isfinite(o.people_needed):
            needed = int(math.ceil(o.people_needed))
            more = max(needed - o.n_treated, 0)
            sentence += (
                f" To show {o.people_needed_for} with 80% power would take about {needed:,} participants "
                f"(and as many in the comparison group); this analysis had {_count(o.n_treated)}"
                + (
                    f", so about {more:,} more."
                    if more > 0
                    else ", so the width of the interval comes from the spread of outcomes or the matching, not numbers alone."
                )
            )
        elif o.people_needed is not None:
            sentence += " No feasible number of extra participants would settle it at the effect estimated."
        out.append(sentence)
    if not_computed:
        labels = (
            not_computed[0] if len(not_computed) == 1 else ", ".join(not_computed[:-1]) + " and " + not_computed[-1]
        )
        out.append(f"Value for money on {labels} was not computed: {'; '.join(dict.fromkeys(asks))}.")
    absent = vfm.table[(vfm.table["quantity"] == "avoided_per_100") & vfm.table["note"].str.startswith("not computed")]
    for name in absent["outcome"]:
        label = OUTCOMES[name].words.split(" (")[0]
        out.append(
            f"Value for money on {label} was not computed: the evaluation made no estimate of it "
            "(too little data, or the analysis is switched off)."
        )
    for o in vfm.outcomes:
        if (
            o.break_even_effect is not None
            and math.isfinite(o.break_even_effect)
            and o.unit_cost is not None  # a break-even effect is computed only with both costs
            and vfm.cost_per_participant is not None
        ):
            label = OUTCOMES[o.outcome].words.split(" (")[0]
            per_100 = 100 * vfm.cost_per_participant / o.unit_cost
            if not o.break_even_reachable:
                out.append(
                    f"Break-even on {label}: the programme would pay for itself only by avoiding {_number(per_100)} "
                    f"{label} per 100 participants, more than the comparison group had "
                    f"({_number(100 * o.comparison_value)} per 100): valued on this measure alone, at these costs, "
                    "it cannot pay for itself."
                )
                continue
            out.append(
                f"Break-even on {label}: the programme pays for itself if it avoids at least {_number(per_100)} "
                f"{label} per 100 participants (a {o.statistic.replace('_', ' ')} of {o.break_even_effect:.3g}); "
                f"the interval observed was {o.effect[1]:.3g} to {o.effect[2]:.3g}, so {o.break_even_compared}."
            )
    if vfm.caveats:
        out.append(
            "Not every figure was read in its original publication: "
            + " ".join(vfm.caveats)
            + " Until each is checked, treat these ratios as indicative."
        )
    if any(o.benefit_cost_ratio is not None for o in vfm.outcomes):
        out.append(
            "These values count harm avoided in the first year only and are shown outcome by outcome "
            "(the outcomes overlap, so they are not added); the uncertainty comes from the effect estimate "
            f"({vfm.uncertainty}), with unit costs taken as fixed."
        )
    return tuple(out)


def _item_words(item: str) -> str:
    name = item.removeprefix("offence_type.")
    return OUTCOMES[name].words.split(" (")[0] if name in OUTCOMES else name.replace("_", " ")


def value_for_money_short(vfm: ValueForMoney) -> tuple[str, ...]:
    """The bid's few lines: each outcome's benefit-cost ratio with its interval, and the figures' status."""
    out: list[str] = []
    for o in vfm.outcomes:
        label = OUTCOMES[o.outcome].words.split(" (")[0]
        if o.benefit_cost_ratio is None:
            out.append(f"{label}: not computed ({'; '.join(o.missing) or ASK_PROGRAMME}).")
            continue
        est, b_lo, b_hi = o.benefit_cost_ratio
        verdict = "not yet shown" if not o.shows_return else f"each valued at {_pounds(o.unit_cost or math.nan)}"
        out.append(f"{label}: {est:,.2f} ({b_lo:,.2f} to {b_hi:,.2f}); {verdict}.")
    second = [r for r in vfm.costs.sources() if r["status"] == "second-hand"]
    if second:
        named = "; ".join(f"{_item_words(r['item'])}: quoted by {r['quoted_by']}" for r in second)
        out.append(
            f"Second-hand unit costs ({named}) were not read in the original: check each in the original before "
            "a bid relies on it."
        )
    if any(r["status"] == "illustrative" for r in vfm.costs.sources()):
        out.append("An illustrative figure, not a real cost, is used: replace it before relying on any ratio.")
    return tuple(out)
