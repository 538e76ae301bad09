"""mfppo.lemma_e2: population semi-gradient gap ‖ḡ_β - ḡ⁰_β‖², exponents in m and R."""

from __future__ import annotations

import numpy as np
import torch

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.checks.mfppo import lemma_e2
from mfcheck.checks.mfppo._lemma_e_torch import (
    independent_perturbation,
    population_semigradient,
    population_values,
    random_semigradient_problem,
    residuals,
)
from mfcheck.checks.mfppo.lemma_e1 import Config, default_network
from mfcheck.claims import QUICK, Verdict
from mfcheck.testing.mutants.mfppo_lemma_e2 import mutant_linearised_at_other_init

SMALL = Config(widths=(256, 512, 1024, 2048, 4096), radius=0.25, n_seeds=6, n_seeds_tight=8,
               gamma=0.5, reward_range=(2.0, 4.0))


def figure(verdict: Verdict, name: str):
    return next(f for f in verdict.measured if f.name == name)


def test_run_quick_independent_passes_adversarial_fails() -> None:
    verdict = lemma_e2.run(QUICK)
    m_ind = figure(verdict, "m-exponent (independent β)")
    assert -0.6 < m_ind.value < -0.44 and m_ind.high <= -0.4  # the stated -1/2, attained
    r_ind = figure(verdict, "R-exponent (independent β)")
    assert 0.85 < r_ind.value < 1.2
    m_adv = figure(verdict, "m-exponent (adversarial β)")
    assert -0.45 < m_adv.value < -0.28 and m_adv.high > -0.4  # about -1/3
    r_adv = figure(verdict, "R-exponent (adversarial β)")
    assert 0.55 < r_adv.value < 1.0
    assert verdict.status == "fail"
    assert all("independent" not in reason for reason in verdict.reasons)


def test_semigradient_matches_a_direct_sum_over_tuples() -> None:
    """ḡ = Σ_{p,a} ρ δ ∇F(s_p, d_p, a): the input-coefficient form equals the direct sum."""
    encoder = OneHotEncoder(3, 2)
    problem = random_semigradient_problem(np.random.default_rng(1), n_states=3, n_actions=2,
                                          n_points=4, gamma=0.8)
    g = torch.Generator().manual_seed(2)
    net = default_network(encoder, 64, g)
    beta = independent_perturbation(net, 0.7, g)
    for linearised in (False, True):
        values = population_values(net, problem, beta, linearised=linearised)
        delta = residuals(problem, values)
        direct = torch.zeros(net.n_params, dtype=torch.float64)
        for p in range(problem.n_points):
            for a in range(problem.n_actions):
                grad = net.population_grad(torch.tensor([problem.own[p]]),
                                           torch.as_tensor(problem.dists[p : p + 1]),
                                           torch.tensor([a]), beta, linearised=linearised)[0]
                direct += problem.rho[p, a] * delta[p, a] * grad
        assert torch.allclose(population_semigradient(net, problem, beta, linearised=linearised),
                              direct, atol=1e-14)
    # at β(0) the linearisation is exact: ḡ = ḡ⁰
    assert lemma_e2.semigradient_gap(net, problem, net.beta0) == 0.0


def test_rejects_linearised_at_other_init() -> None:
    verdict = lemma_e2.check_lemma_e2(
        mutant_linearised_at_other_init, config=SMALL, master_seed=1,
        perturbations=("independent",), parameters=("m",),
    )
    assert verdict.status == "fail"
    assert figure(verdict, "m-exponent (independent β)").value > -0.2
