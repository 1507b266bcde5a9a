"""``generate``: a realistic synthetic cohort with a known true programme effect."""

from __future__ import annotations

import math
import numbers
from datetime import date

import numpy as np
import pandas as pd

from ..data.cohort import CohortData
from ..data.contract import OFFENCE_TYPES, PROGRAMMES, canonical_code
from . import asb
from . import cohort_tables as ct
from . import incidents as da
from . import offences as off
from . import tables as tb
from .episodes import programme_episodes, sentence_spells, spell_by_person
from .people import draw_pool, select, selection_score
from .profiles import PROFILES, TRIGGER_BY_RISK
from .sampling import DAYS_PER_YEAR, codes_given, events_after, in_spell, owner_day_order
from .truth import first_proven_day, potential_outcomes, truth_table

_EPOCH = np.datetime64("1970-01-01", "D")
VIOLENT_CODES = np.array([OFFENCE_TYPES.index(t) for t in ("violence", "sexual", "robbery")])


def generate(
    programme: str = "DRIVE",
    n_participants: int = 1000,
    n_comparison: int = 10000,
    seed: int = 1,
    effect: float = 0.75,
    da_effect: float | None = None,
    extract_date: date = date(2026, 3, 31),
    *,
    start_years: float = 3.0,
    asb_effect: float | None = None,
    da_offence_effect: float | None = None,
    violent_effect: float | None = None,
) -> CohortData:
    """A synthetic cohort for one programme: every table of the data contract, and the true effects.

    ``n_participants`` programme starters are drawn from a pool of
    ``n_participants + n_comparison`` eligible people; everyone not drawn is
    in ``comparison``. Index dates (participants' ``start_date``, the
    comparison's ``eligible_date``) are spread uniformly over the
    ``start_years`` years before ``extract_date`` (the last at least 14 days
    before it), so recent starters lack full follow-up (365 + 183 days).

    The people (see ``synthetic/profiles.py`` for every number):

    - DRIVE: high-harm, high-risk adults, about 90% men, 18+ at referral.
      Up2U: 16+, mixed risk, about 78% men. Turnaround: children 10-17 at
      referral (and at start), with a qualifying ``trigger``.
    - History before the index date: offences since the onset of a criminal
      career (dates, types, severities, disposals, proof dates), and DA
      incidents over the last years (Turnaround: very few).
    - Selection into the programme: the ``n_participants`` people with the
      largest ``score`` plus standard logistic noise, so that
      ``P(selected) = expit(score - c)`` with ``c`` the pool's threshold (a
      logit model). ``score`` is linear in the risk level,
      ``log(1 + prior proven offences)`` (committed before the index date and
      convicted or cautioned on or before it), ``log(1 + prior DA
      incidents)`` (incident or crime rows before the index date), age at
      index, sex (male) and area — observed covariates only, as the outcome
      stage derives them. Hidden frailties drive both history and outcomes
      but not selection beyond those covariates, so balancing the covariates
      balances them too; the naive comparison is biased.
    - After the index date: offences at a rate depending on age, sex, risk
      level, area and an offending frailty, times ``effect`` for participants;
      the baseline is calibrated so the comparison group's one-year proven
      reoffending (committed within 365 days, proven by conviction or caution
      within 365 + 183 days, penalty notices excluded) is 27% (adults) or 32%
      (Turnaround) in expectation. Proof delays are lognormal (convictions:
      median 75 days; cautions: 14), so some offences are proven after the
      waiting period; others end as pnd, community resolution, nfa or other
      (never proven). An offence whose conviction or caution would come after
      the extract date (or after the person's exit) is recorded with disposal
      ``other`` and no ``outcome_date`` (not yet proven; after a death, never).
    - Custody: some people have a spell near the index date (starting up to
      180 days before or after it, so some span it); a conviction in
      follow-up may bring one custodial sentence starting on the conviction
      date. A spell still running at the extract date ends on it.
      Nobody offends or has a DA incident on a day in custody (start to end
      inclusive).
    - Deaths and moves away (``exits``) end observation: no events after them.
    - DA incidents (types ``incident`` or ``crime``) with the same victim
      (repeat) or, with probability 0.15 per incident, a new one (serial); a
      high-risk incident may be referred to MARAC (a ``marac_referral`` row for
      the same victim, days later), calibrated so that in the comparison group
      about 32% of referrals follow one for the same victim within 365 days.
      Participants' DA incident rate is multiplied by ``da_effect`` after the
      index date.
    - Participants' episodes: ``referral_date <= start_date <= end_date``;
      ``exit_reason`` completed, disengaged or other, or died / moved_away /
      custody when that came first (matching ``exits`` and ``custody``);
      ``ongoing`` with an empty ``end_date`` when the episode runs past the
      extract date.

    - Anti-social behaviour (``asb`` table): incidents as a Poisson process at ``profile.asb_rate``
      (Turnaround most, DRIVE least) times the square root of the relative offending rate, two
      years of history, participants' rate after the index date times ``asb_effect`` (default
      ``effect``); some incidents bring a formal intervention 1..30 days later.
    - ``da_offence_effect`` (default ``effect``) multiplies participants' rate of offences flagged
      domestic abuse and ``violent_effect`` (default ``effect``) that of the other violent ones
      (violence, sexual, robbery); every other offence changes by ``effect``.

    ``data.truth`` (a dict) holds ``programme``, ``seed``, ``effect``,
    ``da_effect``, ``extract_date`` (a ``date``), ``n_participants``,
    ``n_comparison``, ``follow_up_days`` (365), ``waiting_days`` (183), the
    calibrated ``baseline_offence_rate`` (offences per year at relative rate 1)
    and ``marac_share``, and quantities among the participants computed from
    both of their potential outcomes, simulated with common random numbers
    (the treated world keeps an offence or incident when its uniform is below
    ``effect / max(1, effect)``, the untreated one when below
    ``1 / max(1, effect)``), ignoring censoring by the extract date, death or
    moving away (custody still applies; because a few percent of people die
    or move away within a year, the one-year risks run about a point above
    what the tables can show, while differences and ratios are hardly
    affected):

    - ``effect``: the conditional hazard ratio of offending, hence of proven
      reoffending, given covariates and frailty (the data-generating value);
      ``da_effect`` the conditional DA incident rate ratio.
    - ``att_risk_treated`` / ``att_risk_untreated``: share of participants
      with an offence committed in days 1..365 after ``start_date`` and proven
      by conviction or caution within 365 + 183 days of it, in the treated /
      untreated world; ``att_risk_difference`` treated minus untreated;
      ``att_risk_ratio`` treated over untreated.
    - ``att_marginal_hr``: hazard ratio of the first such offence (day of
      commission), treated world against untreated world, from a Cox model
      (Efron ties, as R survival's ``coxph``) with each participant once in
      each world, censored at 365 days — the marginal HR among the treated that a
      correct matched analysis estimates (the HR is non-collapsible, so this
      is nearer 1 than ``effect``).
    - ``att_da_rate_treated`` / ``att_da_rate_untreated``: DA incidents
      (``incident`` or ``crime`` rows, not MARAC referrals) per participant
      in days 1..365 after ``start_date`` (a rate per person-year), and
      ``att_da_rate_ratio`` their ratio.
    - ``asb_effect``, ``da_offence_effect``, ``violent_effect`` as given, and (#15) among the
      participants from both potential outcomes: ``att_da_risk_*`` / ``att_violent_risk_*``
      (``_treated``, ``_untreated``, ``_difference``, ``_ratio``: one-year proven DA / violent
      reoffending), ``att_first_time_entry_*`` (a first proven offence among participants with none
      before the index date; ``_people`` how many), ``att_police_contact_*`` (any offence committed
      in days 1..365), ``att_asb_rate_*`` (ASB incidents per participant in days 1..365, and
      ``_ratio``) and ``att_any_asb_*`` (share with an ASB incident).
    - ``potential_outcomes``: a DataFrame, one row per participant
      (``person_id``, ``reoffended_untreated`` / ``_treated``,
      ``days_to_first_reoffence_untreated`` / ``_treated`` (NaN if none in
      365 days), ``da_incidents_untreated`` / ``_treated``), from which the
      keys above are computed, so the truth can be recomputed for a subset
      (for example the participants a caliper kept in a matched analysis).

    Raises ``ValueError`` for an unknown programme, sizes below 1, a
    non-integer or negative seed, or an effect that is not a positive number.

    >>> import reoffend_eval as rev
    >>> data = rev.synthetic.generate("DRIVE", n_participants=200, n_comparison=2000, seed=3)
    >>> data.participants.shape[0], round(data.truth["effect"], 2)
    (200, 0.75)
    """
    profile = PROFILES[_programme(programme)]
    n_participants = _size("n_participants", n_participants)
    n_comparison = _size("n_comparison", n_comparison)
    seed = _seed(seed)
    effect = _ratio("effect", effect)
    da_effect = effect if da_effect is None else _ratio("da_effect", da_effect)
    asb_effect = effect if asb_effect is None else _ratio("asb_effect", asb_effect)
    da_offence_effect = effect if da_offence_effect is None else _ratio("da_offence_effect", da_offence_effect)
    violent_effect = effect if violent_effect is None else _ratio("violent_effect", violent_effect)
    extract = _date(extract_date)
    if not (isinstance(start_years, numbers.Real) and 0.1 <= start_years <= 20):
        raise ValueError(f"start_years must be a number of years between 0.1 and 20, not {start_years!r}")

    # one stream per stage, and separate streams for participants and the comparison group after the
    # index date, so the effect (which touches participants only) never changes the comparison's data
    rng = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(16)]
    n = n_participants + n_comparison
    pool = draw_pool(rng[0], profile, n, int(round(start_years * DAYS_PER_YEAR)))

    prior = off.prior_offences(rng[1], profile, pool)
    da_rate = da.relative_da_rate(profile, pool)
    prior_da_owner, prior_da_day = da.prior_incidents(rng[2], profile, pool, da_rate)
    prior_da = da.draw(rng[2], profile, pool, prior_da_owner, prior_da_day)
    score = selection_score(profile, pool, off.prior_proven_count(prior, n), da.prior_da_count(prior_da_owner, n))
    treated = select(rng[3], score, n_participants)
    participants, comparison = np.flatnonzero(treated), np.flatnonzero(~treated)
    streams = ((comparison, rng[4], rng[5]), (participants, rng[11], rng[12]))

    # offences after the index date, thinned into the two potential outcomes by common random numbers
    relative = off.outcome_rate(profile, pool)
    baseline = off.calibrate_baseline(profile, pool, relative, comparison)
    length = np.where(treated, np.maximum(pool.horizon, off.FOLLOW_UP_DAYS), pool.horizon)
    top = max(1.0, effect, da_offence_effect, violent_effect)
    rate = baseline * relative * np.where(treated, top, 1.0)
    drawn = [off.follow_up_offences(offence_rng, profile, rate, length, people) for people, offence_rng, _ in streams]
    post = off.Offences.concat([offences for offences, _ in drawn])
    treated_row = treated[post.owner]
    free = ~in_spell(post.owner, post.day, pool.custody_start, pool.custody_end)
    violent = np.isin(post.offence_type, VIOLENT_CODES)
    # DA-flagged offences change by da_offence_effect, other violent ones by violent_effect, the rest by effect
    ratio = np.where(post.domestic_abuse, da_offence_effect, np.where(violent, violent_effect, effect))
    uniforms = np.concatenate([u for _, u in drawn])
    untreated_world, treated_world = _worlds(treated_row, uniforms, free, ratio, top=top)
    first_untreated = first_proven_day(post, untreated_world & treated_row, participants, n)
    first_treated = first_proven_day(post, treated_world, participants, n)
    programme_truth = _offence_truths(
        post,
        untreated_world & treated_row,
        treated_world,
        participants,
        n,
        violent,
        first_untreated,
        first_treated,
        off.prior_proven_count(prior, n)[participants] == 0,
    )
    observed = np.where(treated_row, treated_world, untreated_world) & _observed(pool, post.owner, post.day)
    post = post.take(observed)

    # DA incidents after the index date, the same way
    da_rates = da_rate * np.where(treated, max(1.0, da_effect), 1.0)
    parts = []
    for people, _, incident_rng in streams:
        owner, day = events_after(incident_rng, da_rates[people], length[people])
        parts.append((da.draw(incident_rng, profile, pool, people[owner], day), incident_rng.random(owner.size)))
    post_da = da.Draws.concat([d for d, _ in parts])
    da_owner, da_day = post_da.owner, post_da.day
    da_treated_row = treated[da_owner]
    da_free = ~in_spell(da_owner, da_day, pool.custody_start, pool.custody_end)
    da_untreated_world, da_treated_world = _worlds(
        da_treated_row, np.concatenate([u for _, u in parts]), da_free, da_effect
    )
    in_year = da_day <= off.FOLLOW_UP_DAYS
    da_untreated_count = np.bincount(da_owner[da_untreated_world & da_treated_row & in_year], minlength=n)
    da_treated_count = np.bincount(da_owner[da_treated_world & in_year], minlength=n)
    da_observed = np.where(da_treated_row, da_treated_world, da_untreated_world) & _observed(pool, da_owner, da_day)

    # anti-social behaviour: history, then incidents after the index date thinned into the two worlds
    asb_rate = asb.relative_rate(profile, relative)
    prior_asb = asb.history(rng[14], asb_rate, pool.age_index)
    asb_top = max(1.0, asb_effect)
    asb_parts = []
    for (people, _, _), asb_rng in zip(streams, (rng[6], rng[7]), strict=True):
        owner, day = events_after(asb_rng, (asb_rate * np.where(treated, asb_top, 1.0))[people], length[people])
        asb_parts.append(
            (
                asb.Records(people[owner], day.astype(np.int64), np.full(owner.size, asb.INCIDENT, np.int8)),
                asb_rng.random(owner.size),
            )
        )
    post_asb = asb.Records.concat([r for r, _ in asb_parts])
    asb_treated_row = treated[post_asb.owner]
    asb_free = ~in_spell(post_asb.owner, post_asb.day, pool.custody_start, pool.custody_end)
    asb_untreated_world, asb_treated_world = _worlds(
        asb_treated_row, np.concatenate([u for _, u in asb_parts]), asb_free, asb_effect
    )
    asb_year = post_asb.day <= off.FOLLOW_UP_DAYS
    asb_untreated_count = np.bincount(post_asb.owner[asb_untreated_world & asb_treated_row & asb_year], minlength=n)
    asb_treated_count = np.bincount(post_asb.owner[asb_treated_world & asb_year], minlength=n)
    asb_observed = np.where(asb_treated_row, asb_treated_world, asb_untreated_world) & _observed(
        pool, post_asb.owner, post_asb.day
    )

    # custody sentences in follow-up; nothing happens while in custody
    sentences = sentence_spells(pool, post)
    sentence_start, sentence_end = spell_by_person(sentences, n)
    post = post.take(~in_spell(post.owner, post.day, sentence_start, sentence_end))
    da_observed &= ~in_spell(da_owner, da_day, sentence_start, sentence_end)
    asb_observed &= ~in_spell(post_asb.owner, post_asb.day, sentence_start, sentence_end)
    asb_incidents = asb.Records.concat([prior_asb, post_asb.take(asb_observed)])
    all_asb = asb.Records.concat([asb_incidents, asb.interventions(rng[15], asb_incidents)])
    all_asb = all_asb.take(_observed(pool, all_asb.owner, all_asb.day))
    all_asb = all_asb.take(owner_day_order(all_asb.owner, all_asb.day))

    marac_share = da.calibrate_marac(profile, pool, da_rate, comparison)
    all_da = da.assemble(da.Draws.concat([prior_da, post_da.take(da_observed)]), marac_share)
    all_da = all_da.take(_observed(pool, all_da.owner, all_da.day))
    episodes = programme_episodes(rng[8], profile, pool, participants, sentence_start)
    all_offences = off.Offences.concat([prior, post])
    all_offences = all_offences.take(owner_day_order(all_offences.owner, all_offences.day))

    index_day = (np.datetime64(extract, "D") - _EPOCH).astype(np.int64) - pool.horizon.astype(np.int64)
    # Turnaround's qualifying trigger depends on the risk level only (an observed covariate)
    trigger = codes_given(rng[13], TRIGGER_BY_RISK, pool.risk) if profile.triggers else None
    person_numbers = rng[9].permutation(n) + 1

    def person_ids(positions: np.ndarray) -> pd.arrays.ArrowStringArray:
        """Identifiers of the people at these pool positions (numbers shuffled so they say nothing)."""
        return tb.strings(tb.id_strings("P", person_numbers[positions], len(str(n)) + 1))

    data = CohortData(
        participants=ct.participants_table(
            rng[10], profile, pool, participants, episodes, index_day, person_ids, trigger
        ),
        comparison=ct.comparison_table(profile, pool, comparison, index_day, person_ids, trigger),
        offences=ct.offences_table(pool, all_offences, index_day, person_ids),
        incidents=ct.incidents_table(all_da, index_day, person_ids, n),
        custody=ct.custody_table(pool, sentences, index_day, person_ids),
        exits=ct.exits_table(pool, index_day, person_ids),
        asb=ct.asb_table(all_asb, index_day, person_ids),
    )
    truth = {
        "programme": profile.name,
        "seed": seed,
        "effect": effect,
        "da_effect": da_effect,
        "asb_effect": asb_effect,
        "da_offence_effect": da_offence_effect,
        "violent_effect": violent_effect,
        "extract_date": extract,
        "n_participants": n_participants,
        "n_comparison": n_comparison,
        "follow_up_days": off.FOLLOW_UP_DAYS,
        "waiting_days": off.WAITING_DAYS,
        "baseline_offence_rate": baseline,
        "marac_share": marac_share,
        **truth_table(first_untreated, first_treated, da_untreated_count[participants], da_treated_count[participants]),
        **programme_truth,
        **_asb_truths(asb_untreated_count[participants], asb_treated_count[participants]),
        "potential_outcomes": potential_outcomes(
            data.participants["person_id"].array,
            first_untreated,
            first_treated,
            da_untreated_count[participants],
            da_treated_count[participants],
        ),
    }
    return data.replace(truth=truth)


# ----------------------------------------------------------------------------- arguments


def _programme(programme) -> str:
    name = canonical_code(PROGRAMMES).get(str(programme).strip().casefold()) if isinstance(programme, str) else None
    if name is None:
        raise ValueError(f"unknown programme {programme!r}: choose one of {', '.join(PROGRAMMES)}")
    return name


def _size(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a whole number of people, at least 1, not {value!r}")
    return int(value)


def _seed(value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"seed must be a whole number >= 0 (same seed, same data), not {value!r}")
    return int(value)


def _ratio(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= 0:
        raise ValueError(
            f"{name} must be a positive number (a ratio: 1 = no effect, 0.75 = a quarter lower), not {value!r}"
        )
    return float(value)


def _date(value) -> date:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if stamp is pd.NaT or pd.isna(stamp):
        raise ValueError(f"extract_date must be a date such as date(2026, 3, 31), not {value!r}")
    return stamp.date()


# ----------------------------------------------------------------------------- helpers


def _worlds(treated_row: np.ndarray, uniform: np.ndarray, free: np.ndarray, ratio, top: float | None = None):
    """(untreated world, treated world) masks of events drawn at ``max(1, ratio)`` times the untreated
    rate for participants (``treated_row``) and at the untreated rate for everyone else.

    Common random numbers: a participant's event is in the untreated world when
    its uniform is below ``1 / max(1, ratio)`` and in the treated world when
    below ``ratio / max(1, ratio)``, so each world is a Poisson process at the
    right rate and the two share every event they can. ``free``: not in custody.
    """
    top = max(1.0, ratio) if top is None else top
    untreated = free & (uniform < np.where(treated_row, 1 / top, 1.0))
    treated = free & treated_row & (uniform < ratio / top)
    return untreated, treated


def _offence_truths(
    post, untreated_world, treated_world, participants, n, violent, first_untreated, first_treated, no_prior
) -> dict:
    """ATT truths of the offence-filtered measures, first-time entry and police contact (#15)."""
    out: dict = {}
    for key, flag in (("da", post.domestic_abuse), ("violent", violent)):
        untreated = first_proven_day(post, untreated_world & flag, participants, n) > 0
        treated = first_proven_day(post, treated_world & flag, participants, n) > 0
        risk_t, risk_u = float(np.mean(treated)), float(np.mean(untreated))
        out[f"att_{key}_risk_treated"] = risk_t
        out[f"att_{key}_risk_untreated"] = risk_u
        out[f"att_{key}_risk_difference"] = risk_t - risk_u
        out[f"att_{key}_risk_ratio"] = risk_t / risk_u if risk_u > 0 else float("nan")
    # entry to the youth justice system: a first proven offence for those with none before the index date
    entry_t = float(np.mean(first_treated[no_prior] > 0)) if no_prior.any() else float("nan")
    entry_u = float(np.mean(first_untreated[no_prior] > 0)) if no_prior.any() else float("nan")
    out.update(
        att_first_time_entry_treated=entry_t,
        att_first_time_entry_untreated=entry_u,
        att_first_time_entry_difference=entry_t - entry_u,
        att_first_time_entry_people=int(no_prior.sum()),
    )
    in_year = (post.day >= 1) & (post.day <= off.FOLLOW_UP_DAYS)
    contact_t = np.bincount(post.owner[treated_world & in_year], minlength=n)[participants] > 0
    contact_u = np.bincount(post.owner[untreated_world & in_year], minlength=n)[participants] > 0
    out.update(
        att_police_contact_treated=float(np.mean(contact_t)),
        att_police_contact_untreated=float(np.mean(contact_u)),
        att_police_contact_difference=float(np.mean(contact_t) - np.mean(contact_u)),
    )
    return out


def _asb_truths(untreated: np.ndarray, treated: np.ndarray) -> dict:
    """ATT truths of the ASB measures: incidents per participant in days 1..365 and the share with one."""
    rate_t, rate_u = float(np.mean(treated)), float(np.mean(untreated))
    any_t, any_u = float(np.mean(treated > 0)), float(np.mean(untreated > 0))
    return {
        "att_asb_rate_treated": rate_t,
        "att_asb_rate_untreated": rate_u,
        "att_asb_rate_ratio": rate_t / rate_u if rate_u > 0 else float("nan"),
        "att_any_asb_treated": any_t,
        "att_any_asb_untreated": any_u,
        "att_any_asb_difference": any_t - any_u,
    }


def _observed(pool, owner: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Events visible in the extract: on or before the extract date and before any exit."""
    return (day <= pool.horizon[owner]) & (day < pool.exit_day[owner])
