"""Property tests: random small cohorts against a slow, literal per-person oracle.

The oracle walks each person's events day by day in plain Python straight from the
definitions (shared/DESIGN.md, Justice Data Lab), sharing no code with the vectorised
implementation. On top of agreement with it, the invariants of the issue are checked:
0 <= time <= follow-up, days_at_risk <= time, reoffended <=> n_reoffences > 0 under full
follow-up, no counted event on or before the index date, well-formed recurrent rows.
"""
from __future__ import annotations

import datetime as dt
import os

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .cohorts import asb, control, custody, derive, exit_, incident, make_typed, offence, participant, recurrent

BASE = dt.date(2022, 1, 1)
F, W = 365, 365 + 183
DISPOSALS = ["conviction", "caution", "pnd", "community_resolution", "nfa", "other"]
TYPES = ["theft", "violence", "robbery", "sexual", "public_order"]
VIOLENT = {"violence", "robbery", "sexual"}
ASB = ["incident", "incident", "warning", "community_protection_notice", "injunction", "other"]


def day(n: int) -> str:
    return (BASE + dt.timedelta(days=n)).isoformat()


# the boundaries of the definitions, drawn often so that each example is likely to hit one
EDGES = [-1, 0, 1, 30, 364, 365, 366, 547, 548, 549]


def near(low, high):
    """Days relative to the index date: mostly boundaries, otherwise anywhere in [low, high]."""
    edges = st.sampled_from([e for e in EDGES if low <= e <= high])
    return st.one_of(edges, edges, edges, st.integers(low, high))


@st.composite
def cohorts(draw):
    n_treated = draw(st.integers(1, 4))
    n_control = draw(st.integers(0, 3))
    ids = [f"P{i}" for i in range(n_treated)] + [f"C{i}" for i in range(n_control)]
    index = {p: draw(st.integers(0, 600)) for p in ids}
    first = min(index.values())
    # the extract date relative to the earliest index date, at least the latest index date
    extract = max(max(index.values()), first + draw(near(0, 900)))
    person = st.sampled_from(ids)
    offences = []
    for _ in range(draw(st.integers(0, 12))):
        p = draw(person)
        committed = index[p] + draw(near(-400, 600))
        proof = draw(st.one_of(st.none(), near(-400, 800)))
        proven = None if proof is None else max(committed, index[p] + proof)
        offences.append((p, committed, proven, draw(st.sampled_from(DISPOSALS)),
                         draw(st.sampled_from(TYPES)), draw(st.booleans())))
    incidents = []
    for _ in range(draw(st.integers(0, 10))):
        p = draw(person)
        incidents.append((p, draw(st.sampled_from(["V1", "V2", "V3"])), index[p] + draw(near(-400, 500)),
                          draw(st.sampled_from(["incident", "crime", "marac_referral"]))))
    spells = []
    for _ in range(draw(st.integers(0, 4))):
        p = draw(person)
        start = index[p] + draw(near(-200, 450))
        end = draw(st.one_of(st.none(), near(-200, 500)))
        spells.append((p, start, None if end is None else max(start, index[p] + end)))
    exits = []
    for _ in range(draw(st.integers(0, 3))):
        p = draw(person)
        exits.append((p, index[p] + draw(near(-5, 500)), draw(st.sampled_from(["died", "moved_away"]))))
    asb_rows = []
    for _ in range(draw(st.integers(0, 8))):
        p = draw(person)
        asb_rows.append((p, index[p] + draw(near(-400, 500)), draw(st.sampled_from(ASB))))
    exclude_pnd = draw(st.booleans())
    return dict(asb=asb_rows, ids=ids, n_treated=n_treated, index=index, extract=extract, offences=offences,
                incidents=incidents, custody=spells, exits=exits, exclude_pnd=exclude_pnd)


def build(c):
    parts = [participant(p, day(c["index"][p])) for p in c["ids"][: c["n_treated"]]]
    comps = [control(p, day(c["index"][p])) for p in c["ids"][c["n_treated"]:]]
    data = make_typed(
        parts, comps,
        offences=[offence(p, day(o), None if r is None else day(r), d, t, da) for p, o, r, d, t, da in c["offences"]],
        incidents=[incident(p, v, day(t), k) for p, v, t, k in c["incidents"]],
        custody=[custody(p, day(s), None if e is None else day(e)) for p, s, e in c["custody"]],
        exits=[exit_(p, day(t), r) for p, t, r in c["exits"]],
        asb=[asb(p, day(t), k) for p, t, k in c["asb"] if t <= c["extract"]],
    )
    return data


def oracle(c, p):
    idx, ext = c["index"][p], c["extract"]
    proving = {"conviction", "caution"} | (set() if c["exclude_pnd"] else {"pnd"})

    def proven_reoffence(o, r, d):
        return d in proving and r is not None and r <= ext and 1 <= o - idx <= F and r - idx <= W

    reoff_days = sorted(o - idx for q, o, r, d, *_ in c["offences"] if q == p and proven_reoffence(o, r, d))
    full = ext - idx >= W
    ends = {"died": None, "moved_away": None}
    for q, t, why in c["exits"]:
        if q == p and (ends[why] is None or t - idx < ends[why]):
            ends[why] = t - idx
    candidates = [(max(ends["died"], 0) if ends["died"] is not None else 10**9, "died"),
                  (max(ends["moved_away"], 0) if ends["moved_away"] is not None else 10**9, "moved_away"),
                  (F, "end_of_follow_up"), (ext - idx, "extract_date")]
    observed = min(v for v, _ in candidates)
    reason = next(why for v, why in candidates if v == observed)
    events = [d for d in reoff_days if d <= observed]
    time = events[0] if events else observed

    def in_custody(k):
        return any(q == p and s - idx < k and (e is None or k <= e - idx) for q, s, e in c["custody"])

    custody_days = sum(in_custody(k) for k in range(1, time + 1))
    prior = sum(1 for q, o, r, d, *_ in c["offences"]
                if q == p and o < idx and d in proving and r is not None and r <= idx and r <= ext)
    # DA
    mine = [(v, t - idx, k) for q, v, t, k in c["incidents"] if q == p and t <= ext]
    window = [(v, d) for v, d, k in mine if k in ("incident", "crime") and 1 <= d <= F]
    repeat = sum(1 for v, d in window if any(w == v and e < d for w, e, _ in mine))
    marac = sorted({d for v, d, k in mine if k == "marac_referral"})
    repeat_marac = any(1 <= d <= F and i > 0 and d - marac[i - 1] <= 365 for i, d in enumerate(marac))
    da_events = sorted(d for v, d, k in mine if k in ("incident", "crime") and 1 <= d <= observed)
    filtered = {}
    for prefix, keep in (("da", lambda t, da: da), ("violent", lambda t, da: t in VIOLENT)):
        mine_days = sorted(o - idx for q, o, r, d, t, da in c["offences"]
                           if q == p and keep(t, da) and proven_reoffence(o, r, d))
        mine_events = [d for d in mine_days if d <= observed]
        filtered[f"{prefix}_reoffended"] = bool(mine_days) if full else None
        filtered[f"n_{prefix}_reoffences"] = len(mine_days) if full else None
        filtered[f"days_to_first_{prefix}_reoffence"] = (mine_days[0] if mine_days else None) if full else None
        filtered[f"{prefix}_reoffence_time"] = mine_events[0] if mine_events else observed
        filtered[f"{prefix}_reoffence_event"] = int(bool(mine_events))
    # children and the youth justice system
    proven_before = any(q == p and o < idx and d in proving and r is not None and r <= idx and r <= ext
                        for q, o, r, d, *_ in c["offences"])
    filtered["entered_youth_justice"] = (bool(reoff_days) if full and not proven_before else None)
    da_full = ext - idx >= F
    filtered["police_contact"] = (any(q == p and 1 <= o - idx <= F for q, o, *_ in c["offences"])
                                  if da_full else None)
    # anti-social behaviour
    mine_asb = [(t - idx, k) for q, t, k in c["asb"] if q == p and t <= ext]
    asb_window = [d for d, k in mine_asb if k == "incident" and 1 <= d <= F]
    filtered["prior_asb_incidents"] = sum(1 for d, k in mine_asb if k == "incident" and d < 0)
    filtered["any_asb"] = bool(asb_window) if da_full else None
    filtered["n_asb_incidents"] = len(asb_window) if da_full else None
    filtered["n_asb_interventions"] = (sum(1 for d, k in mine_asb if k != "incident" and 1 <= d <= F)
                                       if da_full else None)
    asb_events = sorted(d for d, k in mine_asb if k == "incident" and 1 <= d <= observed)
    filtered["asb_time"] = asb_events[0] if asb_events else observed
    filtered["asb_event"] = int(bool(asb_events))
    filtered["n_asb_incidents_observed"] = sum(1 for d in asb_events if not in_custody(d))
    filtered["asb_days_at_risk"] = observed - sum(in_custody(k) for k in range(1, observed + 1))
    return {
        **filtered,
        "full_follow_up": full,
        "n_reoffences": len(reoff_days) if full else None,
        "days_to_first_reoffence": (reoff_days[0] if reoff_days else None) if full else None,
        "observed_days": observed,
        "time": time,
        "event": int(bool(events)),
        "censor_reason": None if events else reason,
        "days_in_custody": custody_days,
        "days_at_risk": time - custody_days,
        "prior_proven_offences": prior,
        "n_da_incidents": len(window) if ext - idx >= F else None,
        "n_repeat_victim": repeat if ext - idx >= F else None,
        "n_serial_victim": len(window) - repeat if ext - idx >= F else None,
        "repeat_marac": repeat_marac if ext - idx >= F else None,
        "da_time": da_events[0] if da_events else observed,
        "da_event": int(bool(da_events)),
        "_recurrent_reoffences": sum(1 for d in events if not in_custody(d)),
        "_recurrent_da": sum(1 for d in da_events if not in_custody(d)),
        "_at_risk_total": observed - sum(in_custody(k) for k in range(1, observed + 1)),
    }


def plain(v):
    return None if v is None or pd.isna(v) else (v if isinstance(v, str) else int(v))


# OUTCOMES_EXAMPLES=1000 for a longer search by hand; 50 keeps the suite fast
SETTINGS = settings(max_examples=int(os.environ.get("OUTCOMES_EXAMPLES", "50")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(cohorts())
def test_derive_outcomes_agrees_with_the_oracle_and_invariants_hold(c):
    people = derive(build(c), programme="DRIVE", extract_date=day(c["extract"]), exclude_pnd=c["exclude_pnd"])
    assert sorted(people["person_id"]) == sorted(c["ids"])
    for _, r in people.iterrows():
        want = oracle(c, r["person_id"])
        got = {k: plain(r[k]) for k in want if not k.startswith("_")}
        got["full_follow_up"] = bool(r["full_follow_up"])
        for k in ("da_reoffended", "violent_reoffended", "entered_youth_justice", "police_contact", "any_asb"):
            got[k] = None if pd.isna(r[k]) else bool(r[k])
        assert got == {k: v for k, v in want.items() if not k.startswith("_")}, r["person_id"]
        # invariants, stated directly
        assert 0 <= r["time"] <= F and 0 <= r["days_at_risk"] <= r["time"]
        if r["full_follow_up"]:
            assert bool(r["reoffended"]) == (r["n_reoffences"] > 0)
            if r["reoffended"]:
                assert 1 <= r["days_to_first_reoffence"] <= F
        else:
            assert pd.isna(r["reoffended"]) and pd.isna(r["n_reoffences"])
        if r["event"] == 1:
            assert r["time"] >= 1 and pd.isna(r["censor_reason"])
        for prefix in ("da", "violent"):       # a filtered measure counts a subset of the reoffences
            assert pd.isna(r[f"n_{prefix}_reoffences"]) == pd.isna(r["n_reoffences"])
            if r["full_follow_up"]:
                assert r[f"n_{prefix}_reoffences"] <= r["n_reoffences"]
            assert r[f"{prefix}_reoffence_time"] >= r["time"] and r[f"{prefix}_reoffence_event"] <= r["event"]
        if r["da_event"] == 1:
            assert r["da_time"] >= 1


@SETTINGS
@given(cohorts(), st.sampled_from(["reoffences", "da_incidents"]))
def test_recurrent_rows_are_well_formed_and_count_every_event(c, kind):
    rows = recurrent(build(c), kind=kind, programme="DRIVE", extract_date=day(c["extract"]),
                     exclude_pnd=c["exclude_pnd"])
    assert (rows["start"] < rows["stop"]).all() and (rows["start"] >= 0).all() and (rows["stop"] <= F).all()
    assert set(rows["event"]) <= {0, 1} and ((rows["n_events"] > 0) == (rows["event"] == 1)).all()
    key = "_recurrent_reoffences" if kind == "reoffences" else "_recurrent_da"
    for p in c["ids"]:
        mine = rows[rows["person_id"] == p]
        want = oracle(c, p)
        assert int(mine["n_events"].sum()) == want[key], p
        assert int((mine["stop"] - mine["start"]).sum()) == want["_at_risk_total"], p
        starts, stops = mine["start"].to_numpy(), mine["stop"].to_numpy()
        assert (starts[1:] >= stops[:-1]).all()                      # ordered, no overlap
        numbers = mine["event_number"].to_numpy()
        assert list(numbers) == [1 + int(mine["event"].to_numpy()[:i].sum()) for i in range(len(mine))]
