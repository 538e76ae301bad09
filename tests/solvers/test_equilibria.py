"""Equilibria: SIS's two equilibria, determinism of the reference solvers."""

from __future__ import annotations

import numpy as np

from mfcheck.instances import sis
from mfcheck.solvers import exploitability, fictitious_play, find_equilibria


def test_find_equilibria_finds_the_two_sis_equilibria() -> None:
    """SIS (γ = 0.9, λ = 0.1) has a disease-free and an endemic equilibrium.

    Disease-free: at μ = (1, 0) nobody is infected, so U and D lead to the same next state and
    Q(s, U) - Q(s, D) = 0.5 (the distancing cost) in both states: π(U|·) = 1/(1 + e^{-0.5/0.1})
    = 0.9933071; μ = (1, 0) is then a fixed point of Γ2 for any policy (no infection source).
    Endemic: i = μ(I) > 0 is stationary iff the inflow equals the outflow,
    (1 - i)·0.81·i·π(U|S) = 0.3·i, i.e. (1 - i)·0.81·π(U|S) = 0.3; the solver's i = 0.3905476
    (π(U|S) = 0.6077101, π(U|I) = 0.9933071: in I both actions again lead alike).
    """
    game = sis()
    found = find_equilibria(game)
    assert len(found) == 2
    endemic, disease_free = found
    p_out = 1.0 / (1.0 + np.exp(-0.5 / 0.1))
    np.testing.assert_allclose(disease_free.mean_field, [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(disease_free.policy, [[p_out, 1 - p_out]] * 2, atol=1e-12)
    i = endemic.mean_field[1]
    np.testing.assert_allclose((1 - i) * 0.81 * endemic.policy[0, 0], 0.3, atol=1e-9)
    np.testing.assert_allclose(endemic.policy[1, 0], p_out, atol=1e-12)
    np.testing.assert_allclose(i, 0.3905476, atol=1e-7)
    np.testing.assert_allclose(endemic.policy[0, 0], 0.6077101, atol=1e-7)
    for eq in found:
        assert abs(eq.exploitability) <= 1e-8
    # The endemic one attracts the flow from ρ = (0.4, 0.6): its policy's exploitability against
    # its *induced* mean field is also 0; the disease-free one is unstable under its policy
    # (the flow from ρ goes endemic), so against the induced mean field it is exploitable.
    assert abs(exploitability(game, endemic.policy)) <= 1e-8
    assert exploitability(game, disease_free.policy) > 0.5


def test_solvers_are_deterministic() -> None:
    game = sis()
    first = find_equilibria(game, rng=np.random.default_rng(7))
    second = find_equilibria(game, rng=np.random.default_rng(7))
    assert len(first) == len(second)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a.mean_field, b.mean_field)
        np.testing.assert_array_equal(a.policy, b.policy)
        assert a.exploitability == b.exploitability
    fp_a = fictitious_play(game, n_iter=5)
    fp_b = fictitious_play(game, n_iter=5)
    np.testing.assert_array_equal(fp_a.policy, fp_b.policy)
    assert fp_a.history == fp_b.history
