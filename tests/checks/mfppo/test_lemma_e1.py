"""mfppo.lemma_e1: linearisation gap E|F⁰_β - F_β|², exponents in m and R, both kinds of β."""

from __future__ import annotations

import math

import numpy as np
import torch

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.checks.mfppo import lemma_e1
from mfcheck.checks.mfppo._lemma_e_torch import (
    independent_perturbation,
    kink_perturbation,
    random_semigradient_problem,
)
from mfcheck.claims import QUICK, Verdict
from mfcheck.testing.mutants.mfppo_lemma_e1 import (
    mutant_linearised_at_other_init,
    mutant_unscaled_output,
)

SMALL = lemma_e1.Config(widths=(256, 512, 1024, 2048, 4096), radii=(0.25, 0.5, 1.0, 2.0),
                        radius_width=1024, n_seeds=6, n_seeds_tight=8)


def figure(verdict: Verdict, name: str):
    return next(f for f in verdict.measured if f.name == name)


def test_run_quick_independent_passes_adversarial_fails() -> None:
    verdict = lemma_e1.run(QUICK)
    # independent β: gap ~ R³ m^-3/2 (faster than stated in m, exactly R³)
    m_ind = figure(verdict, "m-exponent (independent β)")
    assert -1.8 < m_ind.value < -1.2 and m_ind.high <= -0.4
    r_ind = figure(verdict, "R-exponent (independent β)")
    assert 2.85 < r_ind.value < 3.1 and r_ind.high <= 3.1
    # β built from β(0): gap ~ R^(8/3) m^(-1/3), slower than the stated m^-1/2
    m_adv = figure(verdict, "m-exponent (adversarial β)")
    assert -0.42 < m_adv.value < -0.3 and m_adv.high > -0.4
    r_adv = figure(verdict, "R-exponent (adversarial β)")
    assert 2.5 < r_adv.value < 2.85
    assert verdict.status == "fail"
    assert any("Assumption 2" in reason for reason in verdict.reasons)
    assert all("independent" not in reason for reason in verdict.reasons)


def test_no_flip_no_gap_and_perturbations_on_the_sphere() -> None:
    encoder = OneHotEncoder(4, 2)
    problem = random_semigradient_problem(np.random.default_rng(0), n_states=4, n_actions=2,
                                          n_points=5, gamma=0.9)
    g = torch.Generator().manual_seed(0)
    net = lemma_e1.default_network(encoder, 512, g)
    tiny = independent_perturbation(net, 1e-9, g)  # no unit crosses its kink
    assert lemma_e1.linearisation_gap(net, problem, tiny) < 1e-28
    for radius in (0.5, 2.0):
        beta = independent_perturbation(net, radius, g)
        assert math.isclose(float(torch.linalg.vector_norm(beta - net.beta0)), radius, rel_tol=1e-12)
    x = lemma_e1.worst_input(problem, encoder)
    beta, moved = kink_perturbation(net, x, 1.0, objective="value")
    assert math.isclose(float(torch.linalg.vector_norm(beta - net.beta0)), 1.0, rel_tol=1e-12)
    before = net.weights(net.beta0) @ x
    after = net.weights(beta) @ x
    flipped = (torch.sign(before) != torch.sign(after))
    assert int(flipped.sum()) == moved > 0 and bool((net.u[flipped] > 0).all())
    beta, moved = kink_perturbation(net, x, 1.0, objective="count")
    assert float(torch.linalg.vector_norm(beta - net.beta0)) <= 1.0 + 1e-12
    assert int((torch.sign(net.weights(beta) @ x) != torch.sign(before)).sum()) == moved


def test_rejects_linearised_at_other_init() -> None:
    verdict = lemma_e1.check_lemma_e1(
        mutant_linearised_at_other_init, config=SMALL, master_seed=1,
        perturbations=("independent",), parameters=("m",),
    )
    assert verdict.status == "fail"
    assert figure(verdict, "m-exponent (independent β)").value > -0.2


def test_unscaled_output_does_not_violate() -> None:
    """Dropping 1/sqrt(m) multiplies the gap by m: m^-3/2 becomes the stated m^-1/2 (a finding)."""
    verdict = lemma_e1.check_lemma_e1(
        mutant_unscaled_output, config=lemma_e1.Config(widths=SMALL.widths, n_seeds=16),
        master_seed=1, perturbations=("independent",), parameters=("m",),
    )
    assert -0.8 < figure(verdict, "m-exponent (independent β)").value < -0.3


def test_same_seed_same_numbers() -> None:
    small = lemma_e1.Config(widths=(256, 512, 1024), radii=(0.5, 1.0, 2.0), radius_width=512,
                            n_seeds=2, n_seeds_tight=2, asymptotic_from=0)
    one = lemma_e1.check_lemma_e1(config=small, master_seed=5)
    two = lemma_e1.check_lemma_e1(config=small, master_seed=5)
    assert one.to_dict() == two.to_dict()
