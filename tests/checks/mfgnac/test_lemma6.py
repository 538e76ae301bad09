"""MFG-NAC Lemma 6: Lipschitz bound of the composite map Λ = Γ2(Γ1^λ(·), ·)."""

from __future__ import annotations

from functools import cache

import numpy as np

from mfcheck.checks.mfgnac import lemma6
from mfcheck.checks.mfgnac._lipschitz import (
    d2_at,
    estimate_constants,
    reference_visitation,
)
from mfcheck.claims import QUICK
from mfcheck.instances import sis
from mfcheck.testing.mutants.mfgnac_lemma6 import (
    mutant_amplified_composite,
    mutant_underestimated_constants,
)


@cache
def _sis_case():
    game = sis(lam=1.0)
    mu_star = lemma6.equilibria(game)[0]
    weights = reference_visitation(game, mu_star)
    rng = np.random.default_rng(1)
    est = estimate_constants(game, weights, rng, n_pairs=30, n_local=2, extra_points=[mu_star])
    pairs = lemma6._held_out_pairs(2, np.random.default_rng(2), 30)
    return game, weights, est, pairs


def test_quick_run_passes_and_reports_contraction() -> None:
    verdict = lemma6.run(QUICK)
    assert verdict.status == "pass"
    measured = {f.name: f.value for f in verdict.measured}
    assert measured["max ratio / (d1d2+d3)"] <= 1.0
    # SIS: d3 = sup |d/dx (0.81 x (1-x) + 0.7 x)| = 1.51 > 1, so no λ gives a contraction
    assert measured["SIS min d1d2+d3"] > 1.4
    assert measured["LQ min d1d2+d3"] > 1.0
    assert measured["control game min d1d2+d3"] < 1.0


def test_sis_d3_matches_closed_form() -> None:
    _, _, est, _ = _sis_case()
    # Γ2(π, μ)(I) = 0.81 π(U|S) x (1 - x) + 0.7 x with x = μ(I); max slope at x = 0, π(U|S) = 1
    assert 1.45 < est.d3 <= 1.51 + 1e-6


def test_d2_is_attained_by_one_state_perturbation() -> None:
    game, weights, _, _ = _sis_case()
    mu = np.array([0.5, 0.5])
    kernel = game.transition(mu)
    pi = np.array([[1.0, 0.0], [0.5, 0.5]])
    pi_prime = np.array([[0.0, 1.0], [0.5, 0.5]])
    lhs = np.abs(mu @ np.einsum("sa,sat->st", pi - pi_prime, kernel)).sum()
    distance = weights @ np.abs(pi - pi_prime).sum(axis=1)
    assert np.isclose(lhs / distance, d2_at(game, mu, weights))


def test_sis_composite_inequality_holds() -> None:
    game, weights, est, pairs = _sis_case()
    assert lemma6.check_lemma6(game, weights, est, pairs).status == "pass"


def test_rejects_amplified_composite() -> None:
    game, weights, est, pairs = _sis_case()
    verdict = lemma6.check_lemma6(game, weights, est, pairs, composite=mutant_amplified_composite(3.0))
    assert verdict.status == "fail"


def test_rejects_underestimated_constants() -> None:
    game, weights, est, pairs = _sis_case()
    verdict = lemma6.check_lemma6(game, weights, mutant_underestimated_constants(est, 0.5), pairs)
    assert verdict.status == "fail"
