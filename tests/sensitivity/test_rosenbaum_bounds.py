"""Rosenbaum bounds: McNemar/binomial formula by hand (rbounds' binarysens), brute-force enumeration for k:1."""
import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from reoffend_eval.sensitivity import rosenbaum_bounds


@dataclass(frozen=True)
class Match:
    data: pd.DataFrame
    treatment: str = "treated"
    replace: bool = False


def pairs(both_yes, treated_only, control_only, both_no):
    """1:1 pairs with the given counts of (treated outcome, control outcome) patterns."""
    rows, s = [], 0
    for (yt, yc), k in [((1, 1), both_yes), ((1, 0), treated_only), ((0, 1), control_only), ((0, 0), both_no)]:
        for _ in range(k):
            s += 1
            rows += [(s, 1, yt), (s, 0, yc)]
    return pd.DataFrame(rows, columns=["subclass", "treated", "reoffended"]).assign(weights=1.0)


def binom_upper(d, t, gamma):
    # P(X >= t), X ~ Binomial(d, gamma / (1 + gamma)), summed by hand
    p = gamma / (1 + gamma)
    return sum(math.comb(d, k) * p**k * (1 - p) ** (d - k) for k in range(t, d + 1))


def test_one_to_one_matches_binomial_formula():
    # 40 pairs where only the comparison person reoffended, 20 where only the participant did
    m = Match(pairs(both_yes=30, treated_only=20, control_only=40, both_no=60))
    r = rosenbaum_bounds(m, "reoffended", gammas=(1, 1.2, 1.5, 2))
    for _, row in r.table.iterrows():
        assert row.p_upper == pytest.approx(binom_upper(60, 40, row.gamma), rel=1e-10)
        assert row.p_lower == pytest.approx(binom_upper(60, 40, 1 / row.gamma), rel=1e-10)
    # at gamma 1: McNemar's exact one-sided test
    assert r.table.p_upper[0] == pytest.approx(stats.binomtest(40, 60, 0.5, alternative="greater").pvalue, rel=1e-10)
    assert r.n_informative == 60 and r.statistic == 40 + 60
    assert r.design.startswith("1:1")


def test_gamma_critical_is_where_p_upper_reaches_alpha():
    m = Match(pairs(0, 20, 40, 0))
    r = rosenbaum_bounds(m, "reoffended")
    assert 1 < r.gamma_critical < 3
    assert binom_upper(60, 40, r.gamma_critical) == pytest.approx(0.05, rel=1e-6)
    assert binom_upper(60, 40, r.gamma_critical * 0.99) < 0.05
    assert "stays significant" in r.summary()


def test_not_significant_at_gamma_one():
    r = rosenbaum_bounds(Match(pairs(0, 20, 22, 0)), "reoffended")
    assert r.gamma_critical == 1.0
    assert "even with no hidden bias" in r.summary()


def brute_force_upper(data, gamma):
    """Enumerate every choice of participant in every set with Rosenbaum's worst-case u (u = 1 without outcome)."""
    goods = [1 - g.reoffended.to_numpy() for _, g in data.groupby("subclass")]
    probs = [np.where(good == 1, gamma, 1.0) / np.where(good == 1, gamma, 1.0).sum() for good in goods]
    observed = int((1 - data.loc[data.treated == 1, "reoffended"]).sum())
    total = 0.0
    for choice in itertools.product(*[range(len(g)) for g in goods]):
        t = sum(good[j] for good, j in zip(goods, choice))
        if t >= observed:
            total += math.prod(p[j] for p, j in zip(probs, choice))
    return total


def test_k_to_one_against_enumeration():
    rng = np.random.default_rng(7)
    rows = []
    for s in range(1, 8):
        k = int(rng.integers(1, 4))  # 1 to 3 comparisons
        rows.append((s, 1, int(rng.random() < 0.3)))
        rows += [(s, 0, int(rng.random() < 0.6)) for _ in range(k)]
    d = pd.DataFrame(rows, columns=["subclass", "treated", "reoffended"])
    r = rosenbaum_bounds(d, "reoffended", gammas=(1, 1.5, 2.5), treatment="treated")
    for _, row in r.table.iterrows():
        assert row.p_upper == pytest.approx(brute_force_upper(d, row.gamma), rel=1e-10)
    assert any("very few" in w for w in r.warnings)


def test_refuses_what_it_cannot_bound():
    d = pd.DataFrame({"subclass": [1, 1, 1], "treated": [1, 1, 0], "reoffended": [0, 1, 1]})
    with pytest.raises(ValueError, match="has 2 participants"):
        rosenbaum_bounds(d, "reoffended", treatment="treated")
    with pytest.raises(ValueError, match="with replacement"):
        rosenbaum_bounds(Match(d, replace=True), "reoffended")
    with pytest.raises(ValueError, match="gamma must be >= 1"):
        rosenbaum_bounds(Match(pairs(1, 1, 1, 1)), "reoffended", gammas=(0.5,))


def test_display():
    r = rosenbaum_bounds(Match(pairs(5, 20, 40, 10)), "reoffended")
    assert "Rosenbaum" in r._repr_html_()


def test_spec_a_matched_pairs_from_matchit():
    """MatchIt spec a (1:1 nearest, 1,500 pairs): discordant pairs counted independently with a pivot."""
    from pathlib import Path
    rows = pd.read_csv(Path(__file__).parents[1] / "fixtures" / "effects" / "matching_rows.csv.gz")
    m = rows[rows.w_a > 0]
    wide = m.pivot(index="s_a", columns="treated", values="reoffended")
    control_only = int(((wide[0] == 1) & (wide[1] == 0)).sum())
    treated_only = int(((wide[0] == 0) & (wide[1] == 1)).sum())
    data = m[["treated", "reoffended"]].assign(subclass=m.s_a, weights=m.w_a)
    r = rosenbaum_bounds(Match(data), "reoffended", gammas=(1, 1.1, 1.2, 1.3))
    d = control_only + treated_only
    for _, row in r.table.iterrows():
        assert row.p_upper == pytest.approx(stats.binom.sf(control_only - 1, d, row.gamma / (1 + row.gamma)), rel=1e-9)
    assert r.n_informative == d and r.n_sets == 1500
    assert stats.binom.sf(control_only - 1, d, r.gamma_critical / (1 + r.gamma_critical)) == pytest.approx(0.05, rel=1e-6)
    # CEM strata hold several participants: refused
    f = rows[rows.w_f > 0]
    with pytest.raises(ValueError, match="participants"):
        rosenbaum_bounds(f.assign(subclass=f.s_f), "reoffended", treatment="treated")
