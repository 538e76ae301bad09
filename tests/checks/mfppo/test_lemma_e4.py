"""mfppo.lemma_e4: N-sample vs population semi-gradient, E‖ĝ - g‖² = O(R²/N)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet
from mfcheck.checks.mfppo import lemma_e4
from mfcheck.checks.mfppo._lemma_e_torch import random_semigradient_problem
from mfcheck.claims import QUICK, Verdict
from mfcheck.testing.mutants.mfppo_lemma_e4 import mutant_copied_sampler


def figure(verdict: Verdict, name: str):
    return next(f for f in verdict.measured if f.name == name)


def test_run_quick_passes_with_exponent_minus_one() -> None:
    verdict = lemma_e4.run(QUICK)
    assert verdict.status == "pass", verdict.reasons
    n_exp = figure(verdict, "N-exponent (aligned β)")
    assert -1.06 < n_exp.value < -0.95 and n_exp.high <= -0.9
    assert figure(verdict, "R-exponent (aligned β)").high <= 2.1


def test_gram_form_equals_networks_on_agent_samples() -> None:
    """Exact twin: the Gram-matrix form of ‖ĝ - g‖² equals forward/grad on the sampled agents."""
    encoder = OneHotEncoder(3, 2)
    problem = random_semigradient_problem(np.random.default_rng(0), n_states=3, n_actions=2,
                                          n_points=3, gamma=0.9)
    net = TwoLayerDeepSet(encoder, 32, generator=torch.Generator().manual_seed(1))
    beta = net.beta0 + 0.5 * lemma_e4.aligned_direction(net, problem)
    record: list[np.ndarray] = []

    def sampler(rng, dist, n_agents, n_draws):
        states = lemma_e4.iid_agent_states(rng, dist, n_agents, n_draws)
        record.append(states)
        return states

    value = lemma_e4.sampling_error(net, problem, beta, sampler=sampler,
                                    rng=np.random.default_rng(5), n_agents=7, n_draws=1)
    current, following = record[:3], record[3:]
    dists = torch.as_tensor(problem.dists)
    total = 0.0
    for p in range(3):
        for a in range(2):
            own, act = torch.tensor([problem.own[p]]), torch.tensor([a])
            f_pop = net.population(own, dists[p : p + 1], act, beta)
            g_pop = net.population_grad(own, dists[p : p + 1], act, beta)
            f_hat = net(own, torch.as_tensor(current[p]), act, beta)
            g_hat = net.grad(own, torch.as_tensor(current[p]), act, beta)
            for q in range(3):
                for b in range(2):
                    own_q, act_b = torch.tensor([problem.own[q]]), torch.tensor([b])
                    nxt = net.population(own_q, dists[q : q + 1], act_b, beta)
                    nxt_hat = net(own_q, torch.as_tensor(following[q]), act_b, beta)
                    base = problem.tau * problem.xi[p, a]
                    g = (f_pop - base - problem.mu * nxt) * g_pop
                    g_sample = (f_hat - base - problem.mu * nxt_hat) * g_hat
                    weight = problem.rho[p, a] * problem.next_pairs()[p, a, q, b]
                    total += weight * float(((g_sample - g) ** 2).sum())
    assert abs(value - total) <= 1e-12 * max(1.0, total)


def test_sampler_output_is_validated() -> None:
    with pytest.raises(ValueError, match="sampler: returned shape"):
        lemma_e4.empirical_distributions(lambda rng, d, n, k: np.zeros((k, n + 1), dtype=int),
                                         np.random.default_rng(0), np.array([0.5, 0.5]), 3, 2)


def test_rejects_copied_sampler() -> None:
    config = dataclasses.replace(lemma_e4.CONFIGS["quick"], n_seeds=6, n_draws=32)
    verdict = lemma_e4.check_lemma_e4(mutant_copied_sampler, config=config, master_seed=3,
                                      parameters=("N",))
    assert verdict.status == "fail"
    assert abs(figure(verdict, "N-exponent (aligned β)").value) < 0.1
